//! Notices delivered, acknowledged and expired (spec 000-D §4.2–4.3), and the sending windows of
//! the four directions.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{Decision, require_employee};
use crate::actor::{Context, Role};
use crate::camera_control::event::*;
use crate::camera_control::facts::{AnnouncementFacts, LotFacts, Stage};
use crate::camera_control::notice::{EXECUTION_WORKING_DAYS, OBJECTION_WORKING_DAYS};
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, NoticeStatus, Remedy,
    refusal,
};
use crate::error::DomainError;

/// Direction 1 (b) and direction 2 count calendar days from the day after the start (L10882,
/// L10892; docs/decisions/0303-direction-windows.md).
const SENDING_CALENDAR_DAYS: i64 = 10;
/// Direction 2: "но не более 5 рабочих дней" (L10894).
const DIRECTION_TWO_WORKING_DAYS: u32 = 5;
/// Direction 3: "в течение трех рабочих дней с момента размещения ППД" (L10900–10902).
const DIRECTION_THREE_WORKING_DAYS: u32 = 3;

impl CameraControl {
    /// Delivery, acknowledgement and expiry of notices.
    pub(super) fn decide_notices(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::DeliverNotice {
                notice_id,
                plan_item_id,
                direction,
                remedy,
                text,
                file,
            } => {
                ctx.actor.require_role(Role::Inspector)?;
                if self.notices.contains_key(&notice_id) {
                    return Err(refusal::notice_exists());
                }
                if text.trim().is_empty() {
                    return Err(refusal::notice_text_required());
                }
                crate::kernel::text::text("text", &text)?;
                let lot = facts
                    .lot(&plan_item_id)
                    .ok_or_else(refusal::lot_not_in_announcement)?;
                if lot.cancelled {
                    return Err(refusal::lot_cancelled());
                }
                if self
                    .notice_on(&plan_item_id)
                    .is_some_and(|n| !n.status.is_final())
                {
                    return Err(refusal::lot_has_open_notice());
                }
                check_direction(direction, remedy, lot, facts, ctx)?;
                let today = ctx.today()?;
                let execution_deadline = ctx
                    .calendar
                    .add_working_days(today, EXECUTION_WORKING_DAYS)?;
                Ok(vec![CameraControlEvent::NoticeDelivered(NoticeDelivered {
                    notice_id,
                    plan_item_id,
                    direction,
                    remedy,
                    text,
                    file,
                    inspector_iin: by,
                    organizer_bin: facts.organizer_bin,
                    announcement_status_at_delivery: facts
                        .stage
                        .delivery_status_id()
                        .unwrap_or_default()
                        .to_owned(),
                    delivered_at: now,
                    execution_deadline,
                    expires_at: ctx.calendar.end_of_local_day(execution_deadline)?,
                    objection_deadline: ctx
                        .calendar
                        .add_working_days(today, OBJECTION_WORKING_DAYS)?,
                })])
            }
            C::AcknowledgeNotice { notice_id } => {
                require_employee(ctx, facts)?;
                let notice = self.find_notice(&notice_id)?;
                if !notice.status.is_unread() {
                    return Err(refusal::notice_already_acknowledged());
                }
                Ok(vec![CameraControlEvent::NoticeAcknowledged(
                    NoticeAcknowledged {
                        notice_id,
                        acknowledged_by: by,
                        acknowledged_at: now,
                    },
                )])
            }
            C::ExpireNotices => {
                ctx.actor.require_role(Role::System)?;
                let mut events = Vec::new();
                for notice in self.notices.values().filter(|n| n.status.countdown_runs()) {
                    if now >= notice.expires_at {
                        let status = if notice.status == NoticeStatus::Delivered {
                            NoticeStatus::NotExecutedNotAcknowledged
                        } else {
                            NoticeStatus::NotExecutedAcknowledged
                        };
                        events.push(CameraControlEvent::NoticeExpired(NoticeExpired {
                            notice_id: notice.id,
                            status,
                            expired_at: now,
                        }));
                    }
                }
                Ok(events)
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }
}

/// The sending windows and remedies of the four directions (L10864–10914, spec §4.3).
fn check_direction(
    direction: Direction,
    remedy: Remedy,
    lot: &LotFacts,
    facts: &AnnouncementFacts,
    ctx: &Context,
) -> Result<(), DomainError> {
    use Remedy as R;
    let today = ctx.today()?;
    let local_date = |at: Option<DateTime<Utc>>| -> Result<Option<NaiveDate>, DomainError> {
        at.map(|t| ctx.calendar.to_local_date(t))
            .transpose()
            .map_err(DomainError::from)
    };
    let discussed = lot.subject_to_discussion && !facts.repeat_procurement;
    let (open, remedies): (bool, &[Remedy]) = match direction {
        Direction::First if discussed => (
            facts.stage == Stage::Published && !facts.discussion_ended,
            &[R::ChangeDocumentation, R::CancelProcurement],
        ),
        Direction::First => {
            let in_status = matches!(facts.stage, Stage::Published | Stage::AcceptingApplications);
            let within = local_date(facts.published_at)?
                .is_some_and(|p| today <= p + Duration::days(SENDING_CALENDAR_DAYS));
            (in_status && within, &[R::CancelProcurement])
        }
        Direction::Second => {
            let within = match local_date(facts.acceptance_started_at)? {
                Some(start) => {
                    let by_working = ctx
                        .calendar
                        .add_working_days(start, DIRECTION_TWO_WORKING_DAYS)?;
                    today <= by_working.min(start + Duration::days(SENDING_CALENDAR_DAYS))
                }
                None => false,
            };
            (
                discussed && facts.stage == Stage::AcceptingApplications && within,
                &[R::CancelProcurement],
            )
        }
        Direction::Third => {
            let within = match local_date(facts.ppd_published_at)? {
                Some(posted) => {
                    today
                        <= ctx
                            .calendar
                            .add_working_days(posted, DIRECTION_THREE_WORKING_DAYS)?
                }
                None => false,
            };
            (
                facts.stage == Stage::SupplementingApplications && within,
                &[R::RevisePpd],
            )
        }
        // Per lot and per period, not on the announcement's status: a notice on one lot turns
        // «Завершено» into «Принятие решения по исполнению уведомления», and the other lots stay
        // open until the complaint period ends (L10910–10914, L10978–10982; decision 0607).
        Direction::Fourth => {
            let within = facts.complaint_period_end.is_some_and(|end| ctx.now < end);
            (
                facts.stage.results_posted() && within,
                &[R::ReviseResults, R::CancelProcurement],
            )
        }
    };
    if !open {
        return Err(refusal::direction_window_closed());
    }
    if !remedies.contains(&remedy) {
        return Err(refusal::remedy_not_allowed_for_direction());
    }
    Ok(())
}
