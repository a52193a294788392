//! Camera control (spec 000-D §4) inside the announcement: the notices and objections of an
//! announcement live in its stream as `AnnouncementEvent::CameraControl`, folded into
//! [`Announcement::camera_control`]. The camera-control rules decide on facts read from the
//! announcement ([`Announcement::camera_facts`]); their announcement-side effects become the
//! announcement's own events where it has them (cancellation, voting reopened, continuing without
//! ППД revision) and status changes in the fold otherwise (docs/decisions/0308).

use super::{Announcement, AnnouncementCommand, AnnouncementEvent};
use crate::actor::{Context, Role};
use crate::announcement::event::{PpdRevisionDeclined, VotingReopened};
use crate::announcement::header::ProcurementType;
use crate::announcement::refusal;
use crate::camera_control::event::{DiscussionOutcome, EditableLots};
use crate::camera_control::facts::{AnnouncementFacts, LotFacts, Stage};
use crate::camera_control::{
    AnnouncementEffect, CameraControlCommand, CameraControlEvent, ExecutionRoute, Notice,
    NoticeStatus, refusal as camera_refusal,
};
use crate::discussion::DiscussionDecision;
use crate::error::DomainError;
use crate::kernel::act::{ActType, Body, GroundingAct};
use crate::kernel::file::FileRef;
use crate::plan_item::PlanItemId;
use crate::protocol::ProtocolKind;
use crate::status::AnnouncementStatus as S;
use crate::voting::ReviewRound;

/// The complaint period after the results protocol, the end of the direction-4 window
/// (L10910–10914; 000-A L3178–3183).
const COMPLAINT_WORKING_DAYS: u32 = 5;

impl Announcement {
    /// What the camera-control rules need from this announcement.
    pub fn camera_facts(&self, ctx: &Context) -> Result<AnnouncementFacts, DomainError> {
        let header = self
            .header
            .as_ref()
            .ok_or_else(refusal::announcement_not_found)?;
        let organizer_bin = self
            .organizer_bin
            .ok_or_else(refusal::announcement_not_found)?;
        let answers = || {
            self.discussion_requests()
                .values()
                .map(|r| r.answer.as_ref())
        };
        let results_published = self
            .valid_protocol(ProtocolKind::Results)
            .and_then(|p| p.published_at);
        let complaint_period_end = results_published
            .map(|at| {
                let calendar = &ctx.calendar;
                let last = calendar
                    .add_working_days(calendar.to_local_date(at)?, COMPLAINT_WORKING_DAYS)?;
                calendar.end_of_local_day(last)
            })
            .transpose()?;
        Ok(AnnouncementFacts {
            organizer_bin,
            secretary_iin: self.commission().map(|c| c.secretary.iin),
            under_camera_control: header.method.rules().under_camera_control(),
            discounts_without_supplements: header.method.rules().without_supplements()
                == Some(S::FillingConditionalDiscounts),
            repeat_procurement: header.procurement_type == ProcurementType::Repeat,
            stage: self.status.map_or(Stage::Other, camera_stage),
            lots: self
                .lots
                .values()
                .map(|lot| {
                    let id = lot.plan_item_id();
                    LotFacts {
                        plan_item_id: id.clone(),
                        subject_to_discussion: self.has_discussion()
                            && !lot.is_work_with_feasibility_and_design(),
                        cancelled: lot.is_cancelled(),
                        application_count: self.applications_on(id).count() as u32,
                    }
                })
                .collect(),
            published_at: self.published_at,
            discussion_ended: self.discussion().is_some_and(|d| d.ended),
            unanswered_discussion_requests: answers().any(|a| a.is_none()),
            documentation_change_decided_on_requests: answers()
                .any(|a| a.is_some_and(|a| a.decision == DiscussionDecision::AmendDocumentation)),
            acceptance_started_at: self
                .acceptance
                .filter(|_| self.acceptance_started)
                .map(|w| w.start),
            ppd_published_at: self
                .valid_protocol(ProtocolKind::PreliminaryAdmission)
                .and_then(|p| p.published_at),
            complaint_period_end,
            supplemented_application_ids: self
                .offers
                .applications
                .values()
                .filter(|a| !a.supplemented_lots.is_empty())
                .map(|a| a.id)
                .collect(),
        })
    }

    /// Delivery blocks every action of the organizer's users on the announcement until each
    /// notice is acknowledged (L10934–10944); the camera-control commands apply the rule themselves
    /// (acknowledging is what unblocks). An unread notice on another announcement of the actor's
    /// organisation blocks it too (L11082–11088, `Context::require_portal_unblocked`), except
    /// «Ознакомлен» and the commands the engine relays as consequences of a command already
    /// allowed.
    pub(super) fn require_not_blocked(
        &self,
        command: &AnnouncementCommand,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        let organizers_user =
            self.organizer_bin == Some(ctx.actor.org) && !ctx.actor.has_role(Role::System);
        if organizers_user
            && self.camera_control.is_blocking()
            && !matches!(command, AnnouncementCommand::CameraControl(_))
        {
            return Err(camera_refusal::unread_notice_block());
        }
        let exempt = matches!(
            command,
            AnnouncementCommand::CameraControl(CameraControlCommand::AcknowledgeNotice { .. })
                | AnnouncementCommand::RefreshLotFromPlan { .. }
        );
        if exempt {
            Ok(())
        } else {
            ctx.require_portal_unblocked(self.id)
        }
    }

    pub(super) fn decide_camera_control(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        let facts = self.camera_facts(ctx)?;
        let decided = self.camera_control.decide(command, ctx, &facts)?;
        let mut after = self.clone();
        let mut events = Vec::new();
        for camera_event in decided {
            let effect = camera_event.announcement_effect();
            let wrapped = AnnouncementEvent::CameraControl(camera_event);
            after.apply(&wrapped);
            events.push(wrapped);
            for follow in after.follow_camera_effect(effect, ctx)? {
                after.apply(&follow);
                events.push(follow);
            }
        }
        Ok(events)
    }

    /// The announcement's own events for an effect it already has a fact for.
    fn follow_camera_effect(
        &self,
        effect: Option<AnnouncementEffect>,
        ctx: &Context,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        let round = self.voting().current_round();
        Ok(match effect {
            // The ordinary cancellation: lots and plan items «Отменено» and back to the pool, the
            // automatic results protocol when every lot is cancelled (L12127–12175).
            Some(AnnouncementEffect::CancelLots {
                plan_item_ids,
                reason_ru,
                ..
            }) => {
                let act = self.notice_act(&plan_item_ids, reason_ru, ctx)?;
                self.cancel_lots(plan_item_ids, act, ctx)?
            }
            // The ППД revision reopens the first review, whose ballots the supplement round had
            // put aside: «Кворум достигнут», members withdraw and re-cast (L12512–12516,
            // L12534–12536; docs/decisions/0309).
            Some(AnnouncementEffect::RevisePpd { .. }) => {
                vec![AnnouncementEvent::VotingReopened(VotingReopened {
                    round: ReviewRound::Initial,
                    reopened_at: ctx.now,
                })]
            }
            // Members withdraw their votes and vote again (L12797–12799).
            Some(AnnouncementEffect::ReviseResults { .. }) => {
                vec![AnnouncementEvent::VotingReopened(VotingReopened {
                    round,
                    reopened_at: ctx.now,
                })]
            }
            Some(AnnouncementEffect::ContinueWithoutPpdRevision { .. }) => {
                vec![AnnouncementEvent::PpdRevisionDeclined(
                    PpdRevisionDeclined {
                        declined_by: ctx.actor.iin,
                        declined_at: ctx.now,
                    },
                )]
            }
            _ => Vec::new(),
        })
    }

    /// The cancellation's grounding act is the inspector's notice: «Уведомление» of the internal
    /// state audit (no act is asked of the organizer, spec §4.5.3).
    fn notice_act(
        &self,
        plan_item_ids: &[PlanItemId],
        reason_ru: String,
        ctx: &Context,
    ) -> Result<GroundingAct, DomainError> {
        let notices: Vec<&Notice> = plan_item_ids
            .iter()
            .filter_map(|lot| self.camera_control.notice_on(lot))
            .collect();
        let first = notices
            .first()
            .ok_or_else(camera_refusal::lot_has_no_notice)?;
        let number = notices
            .iter()
            .map(|n| n.id.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let file = first.file.clone().unwrap_or_else(|| FileRef {
            file_id: first.id.to_string(),
            name: reason_ru,
        });
        Ok(GroundingAct {
            body: Body::StateFinancialControl,
            body_name: "Департамент внутреннего государственного аудита".to_owned(),
            act_type: ActType::Notice,
            number,
            date: ctx.calendar.to_local_date(first.delivered_at)?,
            file,
        })
    }

    /// The Secretary chose «Внести изменения в документацию»: the signed discussion protocol
    /// leads to the copy, with or without supplier requests (L11983–12059).
    pub(super) fn documentation_change_by_notices(&self) -> bool {
        self.camera_control.notices.values().any(|n| {
            n.status == NoticeStatus::InExecution
                && n.route == Some(ExecutionRoute::DocumentationChange)
        })
    }

    /// The system publishes the discussion protocol on its last signature when a documentation
    /// change follows from camera control: by the notices (S13, L12033–12047), or without
    /// executing them but with a request answered by a change (S17, L12251–12268).
    pub(super) fn discussion_published_on_signing(&self) -> bool {
        self.documentation_change_by_notices()
            || self.camera_control.without_execution
                == Some(DiscussionOutcome::CopyWithAllLotsEditable)
    }

    /// «Публикация протокола обсуждения без исполнения уведомления» with no request answered by
    /// a change: the secretary enters the end of acceptance and publishes (S17, L12269–12313).
    pub(super) fn acceptance_end_required(&self) -> bool {
        self.camera_control.without_execution == Some(DiscussionOutcome::AcceptanceEndDateRequired)
    }

    /// Folds a camera-control fact: the notices, the statuses the announcement has no event for,
    /// and the notices as the announcement's own hooks see them.
    pub(super) fn apply_camera_control(&mut self, event: &CameraControlEvent) {
        self.camera_control.apply(event);
        match event.announcement_effect() {
            Some(AnnouncementEffect::DecideOnNoticeExecution { .. }) => {
                self.status = Some(S::DecidingNoticeExecution)
            }
            Some(AnnouncementEffect::RevisePpd { .. }) => self.status = Some(S::PpdRevision),
            Some(AnnouncementEffect::ReviseResults { .. }) => {
                self.status = Some(S::ResultsRevision)
            }
            Some(
                AnnouncementEffect::ReturnToCompleted { .. }
                | AnnouncementEffect::CancelLots {
                    back_to_completed: true,
                    ..
                },
            ) => self.status = Some(S::Completed),
            _ => {}
        }
        // In the copy only the notice lots are editable unless a supplier request was answered
        // with a change (L12049–12059, L12067–12071).
        if let CameraControlEvent::NoticesTakenOverFromSource(e) = event
            && let Some(EditableLots::Only(editable)) = &e.editable_lots
        {
            let frozen = self
                .lots
                .keys()
                .filter(|id| !editable.contains(id))
                .cloned();
            self.plan_lots.frozen.extend(frozen.collect::<Vec<_>>());
        }
    }
}

/// The camera-control stage of an announcement status (spec 000-D §3.1): the rules ask where the
/// announcement stands, not for its status id.
fn camera_stage(status: S) -> Stage {
    match status {
        S::Draft | S::DraftDocumentationChange => Stage::Unpublished,
        S::Published => Stage::Published,
        S::PublishedAcceptingApplications => Stage::AcceptingApplications,
        S::PublishedSupplementingApplications => Stage::SupplementingApplications,
        S::DecidingPpdRevision => Stage::DecidingPpdRevision,
        S::Completed => Stage::Completed,
        S::DecidingNoticeExecution => Stage::DecidingNoticeExecution,
        S::DocumentationChanged | S::Cancelled => Stage::Ended,
        _ => Stage::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A notice records the announcement's status id at delivery (spec 000-D §2.7): the stage's
    /// id must be the status's own, for every status in which a notice can be delivered.
    #[test]
    fn a_stage_open_to_delivery_records_its_status_id() {
        for status in S::ALL {
            if let Some(id) = camera_stage(*status).delivery_status_id() {
                assert_eq!(id, status.id(), "{status:?}");
            }
        }
        let open: Vec<_> = S::ALL
            .iter()
            .filter(|s| camera_stage(**s).delivery_status_id().is_some())
            .collect();
        assert_eq!(open.len(), 5, "{open:?}");
    }
}
