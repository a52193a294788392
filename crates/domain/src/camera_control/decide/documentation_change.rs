//! Direction 1 after the discussion: «Внести изменения в документацию» by the notices, or the
//! discussion protocol without executing them (spec 000-D §4.5.1–4.5.2).

use std::collections::BTreeSet;

use super::{Decision, require_stage};
use crate::actor::Context;
use crate::camera_control::event::*;
use crate::camera_control::facts::{AnnouncementFacts, Stage};
use crate::camera_control::{
    CameraControl, CameraControlCommand, CameraControlEvent, Direction, ExecutionRoute, refusal,
};
use crate::error::DomainError;

impl CameraControl {
    /// The documentation change by the notices, or the protocol without it.
    pub(super) fn decide_documentation_change(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        let now = ctx.now;
        let by = ctx.actor.iin;
        match command {
            C::ChangeDocumentationByNotices { plan_item_ids } => {
                self.require_secretary(ctx, facts)?;
                let (notice_ids, plan_item_ids) =
                    self.select(plan_item_ids, ExecutionRoute::DocumentationChange, facts)?;
                self.check_documentation_change_open(facts)?;
                let editable_lots = if facts.documentation_change_decided_on_requests {
                    EditableLots::All
                } else {
                    let with_notices: BTreeSet<_> = self
                        .notices
                        .values()
                        .map(|n| n.plan_item_id.clone())
                        .collect();
                    EditableLots::Only(
                        facts
                            .active_lots()
                            .map(|l| l.plan_item_id.clone())
                            .filter(|id| with_notices.contains(id))
                            .collect(),
                    )
                };
                Ok(vec![
                    CameraControlEvent::DocumentationChangeByNoticesStarted(
                        DocumentationChangeByNoticesStarted {
                            notice_ids,
                            plan_item_ids,
                            editable_lots,
                            started_by: by,
                            started_at: now,
                        },
                    ),
                ])
            }
            C::PublishDiscussionProtocolWithoutExecution => {
                self.require_secretary(ctx, facts)?;
                self.check_publish_without_execution_open(facts)?;
                let outcome = if facts.documentation_change_decided_on_requests {
                    DiscussionOutcome::CopyWithAllLotsEditable
                } else {
                    DiscussionOutcome::AcceptanceEndDateRequired
                };
                Ok(vec![
                    CameraControlEvent::DiscussionProtocolWithoutExecutionChosen(
                        DiscussionProtocolWithoutExecutionChosen {
                            restricted_notice_ids: self.unexecuted(Direction::First),
                            outcome,
                            chosen_by: by,
                            chosen_at: now,
                        },
                    ),
                ])
            }
            _ => unreachable!("decide routes only these commands here"),
        }
    }

    pub(super) fn check_documentation_change_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_stage(facts, Stage::Published)?;
        require_discussion_completed(facts)?;
        self.require_no_documentation_change()
    }

    pub(super) fn check_publish_without_execution_open(
        &self,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        self.check_documentation_change_open(facts)?;
        if !self.replaces_discussion_completion() {
            return Err(refusal::no_direction_one_notice());
        }
        Ok(())
    }

    fn require_no_documentation_change(&self) -> Result<(), DomainError> {
        let started = self
            .notices
            .values()
            .any(|n| n.route == Some(ExecutionRoute::DocumentationChange));
        if started {
            Err(refusal::documentation_change_in_progress())
        } else {
            Ok(())
        }
    }
}

/// A documentation change needs the discussion over and every supplier request answered
/// (L11915–11921).
fn require_discussion_completed(facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if facts.discussion_ended && !facts.unanswered_discussion_requests {
        Ok(())
    } else {
        Err(refusal::discussion_not_completed())
    }
}
