//! Cancellation by notices, in any direction whose remedy is cancellation (spec 000-D §4.5.3).

use std::collections::BTreeSet;

use super::Decision;
use crate::actor::Context;
use crate::camera_control::event::*;
use crate::camera_control::facts::{AnnouncementFacts, Stage};
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, ExecutionRoute, Notice,
    NoticeStatus, refusal,
};
use crate::error::DomainError;
use crate::ident::Iin;
use crate::plan_item::PlanItemId;

const CANCELLATION_BY_CAMERA_CONTROL: &str = "Отмена по результатам камерального контроля";
const CANCELLATION_BY_ELECTRONIC_NOTICES: &str = "Отмена на основании электронных уведомлений";

impl CameraControl {
    /// Lots selected for cancellation, then cancelled by their notices.
    pub(super) fn decide_cancellation(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::SelectLotsForCancellation { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::Cancellation, facts)?;
                check_cancellation_open(facts)?;
                Ok(vec![CameraControlEvent::NoticesSelectedForCancellation(
                    NoticesSelectedForCancellation {
                        notice_ids,
                        plan_item_ids,
                        selected_by: by,
                        selected_at: now,
                    },
                )])
            }
            C::CancelByNotices => {
                self.require_secretary(ctx, facts)?;
                let selected: Vec<&Notice> = self
                    .notices
                    .values()
                    .filter(|n| {
                        n.status == NoticeStatus::InExecution
                            && n.route == Some(ExecutionRoute::Cancellation)
                    })
                    .collect();
                if selected.is_empty() {
                    return Err(refusal::no_lots_added_for_cancellation());
                }
                let plan_item_ids: Vec<PlanItemId> =
                    selected.iter().map(|n| n.plan_item_id.clone()).collect();
                let whole_announcement = facts
                    .active_lots()
                    .all(|l| plan_item_ids.contains(&l.plan_item_id));
                // Direction 4: once no notice is left to decide on, the announcement is
                // «Завершено» again (docs/decisions/0307).
                let back_to_completed = !whole_announcement
                    && facts.stage == Stage::DecidingNoticeExecution
                    && self.open_notices(Direction::Fourth).all(|n| {
                        plan_item_ids.contains(&n.plan_item_id)
                            || facts.lot(&n.plan_item_id).is_none_or(|l| l.cancelled)
                    });
                // Direction 1 names its hyperlink «Отмена по результатам камерального контроля»
                // (L12093), directions 2 and 4 «Отмена на основании электронных уведомлений» (L12347, L12644).
                let reason_ru = if selected.iter().any(|n| n.direction == Direction::First) {
                    CANCELLATION_BY_CAMERA_CONTROL
                } else {
                    CANCELLATION_BY_ELECTRONIC_NOTICES
                };
                let inspector_iins: BTreeSet<Iin> =
                    selected.iter().map(|n| n.inspector_iin).collect();
                Ok(vec![CameraControlEvent::LotsCancelledByNotices(
                    LotsCancelledByNotices {
                        notice_ids: selected.iter().map(|n| n.id).collect(),
                        plan_item_ids,
                        whole_announcement,
                        back_to_completed,
                        reason_ru: reason_ru.to_owned(),
                        inspector_iins: inspector_iins.into_iter().collect(),
                        cancelled_by: by,
                        cancelled_at: now,
                    },
                )])
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }
}

/// Cancellation by notices is available from delivery on (L10956–10958), on a published
/// announcement: not in a draft copy before its publication (L12081–12085), nor after the end.
pub(super) fn check_cancellation_open(facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if matches!(facts.stage, Stage::Unpublished | Stage::Ended) {
        Err(refusal::wrong_announcement_status())
    } else {
        Ok(())
    }
}
