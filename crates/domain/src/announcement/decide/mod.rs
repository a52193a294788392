//! The rules: every command is checked against the folded state, the acting user and the clock
//! from the `Context`, and either refused or turned into events.

mod acts;
mod changes;
mod discussion;
mod drafting;
mod extensions;
mod lots;
mod offers;
mod qualification;
mod results;
mod review;
mod single_source;

use chrono::{DateTime, Utc};

use super::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::actor::{Context, Role};
use crate::announcement::header::Header;
use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::method::{Method, MethodRules, Step};
use crate::plan_item::PlanItemId;
use crate::status::AnnouncementStatus as S;

pub(super) type Decision = Result<Vec<AnnouncementEvent>, DomainError>;

/// Gap between the automatic discussion protocol and the moved acceptance start (L1906–1926).
pub(super) const RESCHEDULE_GAP_MINUTES: i64 = 30;
/// The supplement period after the ППД; not given in this part (docs/decisions/0205).
pub(super) const SUPPLEMENT_WORKING_DAYS: u32 = 3;

/// A required one-line name (a person's full name): `kernel::text::name`.
pub(super) fn non_empty(field: &'static str, value: &str) -> Result<(), DomainError> {
    crate::kernel::text::name(field, value)
}

impl Announcement {
    pub fn decide(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        match command {
            C::CreateDraft {
                announcement_id,
                number,
                header,
            } => {
                ctx.require_portal_unblocked(None)?;
                self.create_draft(announcement_id, number, header, ctx)
            }
            C::CreateSingleSource {
                announcement_id,
                number,
                source,
                supplier_bin,
            } => self.create_single_source(announcement_id, number, &source, supplier_bin, ctx),
            // Not checked: the engine starts the copy for a command already allowed on the source.
            C::CreateIndexCopy {
                announcement_id,
                number,
                source,
            } => self.create_index_copy(announcement_id, number, &source, ctx),
            command => {
                if self.status.is_none() || self.deleted {
                    return Err(refusal::announcement_not_found());
                }
                self.decide_existing(command, ctx)
            }
        }
    }

    /// Routes a command to the part of the procedure it belongs to.
    fn decide_existing(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        self.require_not_blocked(&command, ctx)?;
        // Drafts and copies check the organizer's role where they are created.
        if !command
            .permitted_roles()
            .iter()
            .any(|role| ctx.actor.has_role(*role))
        {
            return Err(refusal::forbidden_role());
        }
        self.require_acting_organisation(&command, ctx)?;
        match command {
            C::CameraControl(command) => self.decide_camera_control(command, ctx),
            C::CreateDraft { .. } | C::CreateIndexCopy { .. } | C::CreateSingleSource { .. } => {
                Err(refusal::announcement_exists())
            }
            c @ (C::AddLots { .. }
            | C::RemoveLots { .. }
            | C::SetLotTerms { .. }
            | C::AttachTechnicalSpecification { .. }
            | C::RemoveTechnicalSpecification { .. }
            | C::RefreshLotFromPlan { .. }) => self.decide_lots(c, ctx),
            c @ (C::UpdateHeader { .. }
            | C::SetRepresentatives { .. }
            | C::SetCommission { .. }
            | C::SetPublicationPlaces { .. }
            | C::SignTenderDocumentation { .. }
            | C::ApproveContractDraft { .. }
            | C::RevokeContractDraft
            | C::SetSingleSourceTerms { .. }
            | C::SetAcceptanceDates { .. }
            | C::Publish
            | C::DeleteDraft) => self.decide_drafting(c, ctx),
            c @ (C::SubmitDiscussionRequest { .. }
            | C::AnswerDiscussionRequest { .. }
            | C::EditDiscussionAnswer { .. }) => self.decide_discussion(c, ctx),
            c @ (C::CompleteDiscussion { .. }
            | C::FormDiscussionProtocol
            | C::DeleteDiscussionProtocol
            | C::EnterAcceptanceEnd { .. }
            | C::EndDiscussion) => self.decide_discussion_protocol(c, ctx),
            c @ (C::StartAcceptance
            | C::EndAcceptance
            | C::EndSupplementPeriod
            | C::StartAuction
            | C::CompleteAuction { .. }
            | C::SubmitApplication { .. }
            | C::WithdrawApplication { .. }
            | C::SupplementApplication { .. }) => self.decide_offers(c, ctx),
            c @ (C::OpenApplications | C::RefuseParticipation) => self.decide_single_source(c, ctx),
            C::RecordSingleSource {
                single_source_announcement_id,
                supplier_bin,
            } => self.record_single_source(single_source_announcement_id, supplier_bin, ctx),
            C::ExtendDeadlines { cause } => self.extend_deadlines(&cause, ctx),
            c @ (C::CastVote { .. }
            | C::WithdrawVote { .. }
            | C::CompleteVoting
            | C::ReopenVoting
            | C::FormPreliminaryAdmissionProtocol
            | C::FormAdmissionProtocol
            | C::DeleteResultsProtocol
            | C::FormResultsProtocol
            | C::SignProtocol { .. }
            | C::RecordSignatureAbsence { .. }
            | C::AttachExpertOpinion { .. }
            | C::PublishProtocol { .. }) => self.decide_review(c, ctx),
            c @ (C::RecordCommissionQuery { .. }
            | C::FillConditionalDiscounts { .. }
            | C::CompleteConditionalDiscounts
            | C::EnterResultsData { .. }) => self.decide_results(c, ctx),
            C::FillQualificationInfo {
                application_id,
                rows,
            } => self.fill_qualification_info(application_id, rows, ctx),
            c @ (C::Suspend { .. }
            | C::Resume { .. }
            | C::CancelLots { .. }
            | C::RefuseProcurement { .. }
            | C::RecordLotContractDraft { .. }
            | C::RecordLotContractDeleted { .. }
            | C::RecordContractEvasion { .. }) => self.decide_acts(c, ctx),
            c @ (C::ChangeCommission { .. }
            | C::ChangeCreator { .. }
            | C::ChangeRepresentatives { .. }) => self.decide_changes(c, ctx),
        }
    }

    // ---- drafting -------------------------------------------------------------------------

    // ---- discussion -----------------------------------------------------------------------

    // ---- acceptance and applications ------------------------------------------------------

    // ---- voting ---------------------------------------------------------------------------

    // ---- results --------------------------------------------------------------------------

    // ---- cancellation ---------------------------------------------------------------------

    // ---- guards ---------------------------------------------------------------------------

    fn header(&self) -> Result<&Header, DomainError> {
        self.header
            .as_ref()
            .ok_or_else(refusal::announcement_not_found)
    }

    fn lot(&self, id: &PlanItemId) -> Result<&crate::lot::Lot, DomainError> {
        self.lots.get(id).ok_or_else(refusal::unknown_lot)
    }

    fn acceptance_window(&self) -> Result<super::Window, DomainError> {
        self.acceptance
            .ok_or_else(refusal::acceptance_dates_missing)
    }

    fn rules(&self) -> Result<&'static dyn MethodRules, DomainError> {
        Ok(self.header()?.method.rules())
    }

    /// Whether the method's guard table allows the step in the current status.
    fn allows(&self, step: Step) -> bool {
        let rules = self.method().map(Method::rules);
        self.status
            .zip(rules)
            .is_some_and(|(status, rules)| rules.allows(status, step))
    }

    /// The method's guard: a suspended procurement says so, any other phase that does not
    /// allow the step is the wrong status, refused with the statuses of the method's guard table
    /// that would allow it.
    fn require_step(&self, step: Step) -> Result<(), DomainError> {
        match self.status {
            _ if self.allows(step) => Ok(()),
            Some(S::Suspended) => Err(refusal::suspended()),
            current => {
                let allowed = self.method().map_or_else(Vec::new, |m| {
                    let rules = m.rules();
                    S::ALL
                        .iter()
                        .filter(|s| rules.allows(**s, step))
                        .map(|s| s.id())
                        .collect()
                });
                Err(refusal::wrong_status().with_status(current.map(S::id), allowed))
            }
        }
    }

    /// Commission, tender documentation: only for a method with a commission of its own. The
    /// single source votes as a commission of one, its organizer's representative (spec 000-C
    /// §7.1, L7668–7674): a commission set on it would be ignored, so it is refused.
    fn require_commission_method(&self) -> Result<(), DomainError> {
        match &self.procedure {
            p if p.open_tender().is_some() => Ok(()),
            crate::method::procedure::MethodProcedure::SingleSource(_) => {
                Err(refusal::single_source_single_voter())
            }
            _ => Err(refusal::not_applicable_to_method()),
        }
    }

    fn require_role(&self, ctx: &Context, role: Role) -> Result<(), DomainError> {
        if ctx.actor.has_role(role) {
            Ok(())
        } else {
            Err(refusal::forbidden_role())
        }
    }

    fn require_system(&self, ctx: &Context) -> Result<(), DomainError> {
        self.require_role(ctx, Role::System)
    }

    fn require_own_organization(&self, ctx: &Context) -> Result<(), DomainError> {
        if self.organizer_bin.as_ref() == Some(&ctx.actor.org) {
            Ok(())
        } else {
            Err(refusal::foreign_organization())
        }
    }

    /// The organisation the command's table names (decision 0674), checked for every command
    /// before any match by ИИН: a token of the right role carrying the secretary's or a
    /// representative's ИИН acts for nobody else's procurement.
    fn require_acting_organisation(
        &self,
        command: &AnnouncementCommand,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        use crate::announcement::ActingOrganisation as O;
        let customer = || {
            self.lots
                .values()
                .any(|l| l.source.customer_bin == ctx.actor.org)
        };
        match command.acting_organisation() {
            O::Organizer => self.require_own_organization(ctx),
            O::OrganizerOrCustomer if customer() => Ok(()),
            O::OrganizerOrCustomer => self.require_own_organization(ctx),
            O::Customer if customer() => Ok(()),
            O::Customer => Err(refusal::foreign_organization()),
            O::Supplier | O::CommissionMember | O::Portal | O::CameraControl => Ok(()),
        }
    }

    /// Drafting is for organizers of the owning organisation, on a «Проект» (L734–740, L850–852).
    fn require_drafting(&self, ctx: &Context) -> Result<(), DomainError> {
        self.require_role(ctx, Role::Organizer)?;
        self.require_own_organization(ctx)?;
        if !self.status.is_some_and(S::is_draft) {
            return Err(refusal::not_a_draft());
        }
        Ok(())
    }

    fn require_original(&self) -> Result<(), DomainError> {
        if self.index > 1 {
            Err(refusal::not_editable_in_copy())
        } else {
            Ok(())
        }
    }

    fn require_secretary(&self, ctx: &Context) -> Result<(), DomainError> {
        self.require_role(ctx, Role::Organizer)?;
        self.require_own_organization(ctx)?;
        if self.is_secretary(&ctx.actor.iin) {
            Ok(())
        } else {
            Err(refusal::not_secretary())
        }
    }

    fn require_own_application(
        &self,
        id: &ApplicationId,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        self.offers.own(id, &ctx.actor.org).map(|_| ())
    }
}

pub(super) fn require_reached(now: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), DomainError> {
    if now < at {
        Err(refusal::too_early(at))
    } else {
        Ok(())
    }
}
