//! The camera-control rules: every command is checked against the state, the context and the
//! announcement facts, and either refused or turned into events. `decide` routes a command to the
//! part of camera control it belongs to: the notices, the objections, one part per execution route.

mod actions;
mod cancellation;
mod copy;
mod documentation_change;
mod execution;
mod notices;
mod objections;
mod ppd_revision;
mod results_revision;

use super::facts::{AnnouncementFacts, Stage};
use super::{CameraControl, CameraControlCommand, CameraControlEvent, Notice, NoticeId, refusal};
use crate::actor::{Context, Role};
use crate::error::DomainError;

type Decision = Result<Vec<CameraControlEvent>, DomainError>;

impl CameraControl {
    pub fn decide(
        &self,
        command: CameraControlCommand,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Decision {
        use CameraControlCommand as C;
        if !facts.under_camera_control {
            return Err(refusal::camera_control_not_applicable());
        }
        match command {
            c @ (C::DeliverNotice { .. } | C::AcknowledgeNotice { .. } | C::ExpireNotices) => {
                self.decide_notices(c, ctx, facts)
            }
            c @ (C::SaveObjection { .. }
            | C::DeleteObjection { .. }
            | C::SubmitObjectionForApproval { .. }) => self.decide_objection_drafts(c, ctx, facts),
            c @ (C::RejectObjection { .. }
            | C::ApproveObjection { .. }
            | C::SignObjection { .. }
            | C::ConcludeObjection { .. }) => self.decide_objection_review(c, ctx, facts),
            c @ (C::ChangeDocumentationByNotices { .. }
            | C::PublishDiscussionProtocolWithoutExecution) => {
                self.decide_documentation_change(c, ctx, facts)
            }
            c @ (C::SelectLotsForCancellation { .. } | C::CancelByNotices) => {
                self.decide_cancellation(c, ctx, facts)
            }
            c @ (C::StartPpdRevision { .. } | C::ContinueWithoutPpdRevision) => {
                self.decide_ppd_revision(c, ctx, facts)
            }
            c @ (C::StartResultsRevision { .. } | C::ContinueWithoutNoticeExecution) => {
                self.decide_results_revision(c, ctx, facts)
            }
            c @ (C::ConfirmExecution { .. } | C::RejectExecution { .. }) => {
                self.decide_confirmation(c, ctx)
            }
        }
    }

    fn find_notice(&self, id: &NoticeId) -> Result<&Notice, DomainError> {
        self.notices.get(id).ok_or_else(refusal::notice_not_found)
    }

    fn require_unblocked(&self) -> Result<(), DomainError> {
        if self.is_blocking() {
            Err(refusal::unread_notice_block())
        } else {
            Ok(())
        }
    }

    fn require_unblocked_employee(
        &self,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_employee(ctx, facts)?;
        self.require_unblocked()
    }

    /// The notice-execution buttons are the secretary's (L11945, spec §1.2 best reading).
    fn require_secretary(
        &self,
        ctx: &Context,
        facts: &AnnouncementFacts,
    ) -> Result<(), DomainError> {
        require_employee(ctx, facts)?;
        ctx.actor.require_role(Role::Organizer)?;
        if facts.secretary_iin.is_some_and(|s| s != ctx.actor.iin) {
            return Err(refusal::not_secretary());
        }
        self.require_unblocked()
    }
}

/// Any employee of the organizer's organization, never an auditor: the inspector and the
/// Committee do not act on the procurement itself.
fn require_employee(ctx: &Context, facts: &AnnouncementFacts) -> Result<(), DomainError> {
    if ctx.actor.has_role(Role::Inspector) || ctx.actor.has_role(Role::AuditCommittee) {
        return Err(refusal::auditor_cannot_act_on_procurement());
    }
    if ctx.actor.org != facts.organizer_bin {
        return Err(refusal::foreign_organization());
    }
    Ok(())
}

fn require_stage(facts: &AnnouncementFacts, stage: Stage) -> Result<(), DomainError> {
    if facts.stage == stage {
        Ok(())
    } else {
        Err(refusal::wrong_announcement_status())
    }
}
