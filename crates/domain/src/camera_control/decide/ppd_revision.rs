//! Direction 3: «Пересмотреть ППД» or «Продолжить закупку без пересмотра ППД» (spec 000-D §4.7).

use super::{Decision, require_stage};
use crate::actor::Context;
use crate::camera_control::event::*;
use crate::camera_control::facts::{AnnouncementFacts, Stage};
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, ExecutionRoute, refusal,
};
use crate::error::DomainError;

impl CameraControl {
    /// The ППД revised by the notices, or the procurement continued without.
    pub(super) fn decide_ppd_revision(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::StartPpdRevision { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::PpdRevision, facts)?;
                self.check_ppd_revision_open(facts)?;
                Ok(vec![CameraControlEvent::PpdRevisionStarted(
                    PpdRevisionStarted {
                        notice_ids,
                        plan_item_ids,
                        started_by: by,
                        started_at: now,
                    },
                )])
            }
            C::ContinueWithoutPpdRevision => {
                self.require_secretary(ctx, facts)?;
                require_stage(facts, Stage::DecidingPpdRevision)?;
                let next = if !facts.supplemented_application_ids.is_empty() {
                    PpdContinuation::ReviewingSupplements {
                        application_ids: facts.supplemented_application_ids.clone(),
                    }
                } else if facts.discounts_without_supplements {
                    PpdContinuation::FillingConditionalDiscounts {
                        plan_item_ids: facts
                            .active_lots()
                            .filter(|l| l.application_count > 1)
                            .map(|l| l.plan_item_id.clone())
                            .collect(),
                    }
                } else {
                    PpdContinuation::AdmissionProtocolFormation
                };
                Ok(vec![CameraControlEvent::ContinuedWithoutPpdRevision(
                    ContinuedWithoutPpdRevision {
                        restricted_notice_ids: self.unexecuted(Direction::Third),
                        next,
                        continued_by: by,
                        continued_at: now,
                    },
                )])
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    pub(super) fn check_ppd_revision_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        if facts.stage == Stage::SupplementingApplications {
            return Err(refusal::supplement_period_not_ended());
        }
        require_stage(facts, Stage::DecidingPpdRevision)?;
        if self.ppd_revision_started {
            return Err(refusal::ppd_revision_already_started());
        }
        Ok(())
    }
}
