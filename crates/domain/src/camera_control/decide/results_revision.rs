//! Direction 4: «Пересмотреть ПИ» or «Продолжить закупку без пересмотра исполнения уведомления»
//! (spec 000-D §4.8).

use std::collections::BTreeSet;

use super::{Decision, require_stage};
use crate::actor::Context;
use crate::camera_control::event::*;
use crate::camera_control::facts::{AnnouncementFacts, Stage};
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, ExecutionRoute, Notice,
    refusal,
};
use crate::error::DomainError;
use crate::plan_item::PlanItemId;

impl CameraControl {
    /// The results revised by the notices, or the procurement continued without.
    pub(super) fn decide_results_revision(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::StartResultsRevision { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::ResultsRevision, facts)?;
                require_stage(facts, Stage::DecidingNoticeExecution)?;
                Ok(vec![CameraControlEvent::ResultsRevisionStarted(
                    ResultsRevisionStarted {
                        notice_ids,
                        plan_item_ids,
                        started_by: by,
                        started_at: now,
                    },
                )])
            }
            C::ContinueWithoutNoticeExecution => {
                self.require_secretary(ctx, facts)?;
                self.check_continue_without_notice_execution_open(facts)?;
                let deciding: Vec<&Notice> = self.open_notices(Direction::Fourth).collect();
                let lots: BTreeSet<PlanItemId> = deciding
                    .iter()
                    .map(|n| n.plan_item_id.clone())
                    .filter(|id| facts.lot(id).is_some_and(|l| !l.cancelled))
                    .collect();
                Ok(vec![CameraControlEvent::ContinuedWithoutNoticeExecution(
                    ContinuedWithoutNoticeExecution {
                        restricted_notice_ids: self.unexecuted(Direction::Fourth),
                        plan_item_ids: lots.into_iter().collect(),
                        continued_by: by,
                        continued_at: now,
                    },
                )])
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    pub(super) fn check_continue_without_notice_execution_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_stage(facts, Stage::DecidingNoticeExecution)?;
        if self.open_notices(Direction::Fourth).next().is_none() {
            return Err(refusal::no_direction_four_notice());
        }
        Ok(())
    }
}
