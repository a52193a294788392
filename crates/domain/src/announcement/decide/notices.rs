//! The legacy camera-control hooks of this part (spec 000-A §9.5, docs/decisions/0211).

use super::{Decision, dedup};
use crate::actor::Context;
use crate::announcement::deadline::end_of_working_days;
use crate::announcement::event::*;
use crate::announcement::notice::NoticeDirection;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::method::Step;
use crate::protocol::ProtocolKind;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_notices(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::RecordCameraControlNotice {
                notice_id,
                direction,
                plan_item_ids,
            } => {
                self.require_system(ctx)?;
                if self.notices.contains_key(&notice_id) {
                    return Err(refusal::duplicate_id());
                }
                if plan_item_ids.is_empty() {
                    return Err(refusal::no_lots_selected());
                }
                for lot in &plan_item_ids {
                    if self.lot(lot)?.is_cancelled() {
                        return Err(refusal::lot_cancelled());
                    }
                }
                match direction {
                    NoticeDirection::First => {
                        self.require_step(Step::Discussion)?;
                        if !self.has_discussion() || self.discussion_protocol_published() {
                            return Err(refusal::discussion_not_available());
                        }
                    }
                    NoticeDirection::Third => {
                        self.require_step(Step::Supplements)?;
                        let ppd_published = self
                            .valid_protocol(ProtocolKind::PreliminaryAdmission)
                            .and_then(|p| p.published_at)
                            .ok_or_else(refusal::wrong_status)?;
                        if now >= end_of_working_days(ctx, ppd_published, 3)? {
                            return Err(refusal::camera_control_notice_too_late());
                        }
                    }
                }
                Ok(vec![AnnouncementEvent::CameraControlNoticeReceived(
                    CameraControlNoticeReceived {
                        notice_id,
                        direction,
                        plan_item_ids: dedup(plan_item_ids),
                        received_at: now,
                    },
                )])
            }
            C::ResolveCameraControlNotice { notice_id } => {
                self.require_system(ctx)?;
                if !self.notices.get(&notice_id).is_some_and(|n| n.is_open()) {
                    return Err(refusal::camera_control_notice_unknown());
                }
                Ok(vec![AnnouncementEvent::CameraControlNoticeResolved(
                    CameraControlNoticeResolved {
                        notice_id,
                        resolved_at: now,
                    },
                )])
            }
            C::ContinueWithoutPpdRevision => {
                self.require_secretary(ctx)?;
                self.require_step(Step::DecidePpdRevision)?;
                Ok(vec![AnnouncementEvent::PpdRevisionDeclined(
                    PpdRevisionDeclined {
                        declined_by: ctx.actor.iin,
                        declined_at: now,
                    },
                )])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }
}
