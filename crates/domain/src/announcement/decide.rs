//! The rules: every command is checked against the folded state, the acting user and the clock
//! from the `Context`, and either refused or turned into events.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::deadline::end_of_working_days;
use super::event::*;
use super::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::actor::{Context, Role};
use crate::announcement::header::Header;
use crate::announcement::notice::NoticeDirection;
use crate::application::{ApplicationId, LotOffer, conditional_price};
use crate::camera_control::CameraControl;
use crate::commission::QueryRecipient;
use crate::error::DomainError;
use crate::ident::Iin;
use crate::lot::{LotOutcome, LotSource, LotTerms, WorkDumping, WorkKind};
use crate::method::{AcceptanceDates, Method, MethodRules, Step};
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::protocol::{
    CommissionSigners, ListedSigners, ProtocolApplication, ProtocolContent, ProtocolKind,
    ProtocolLot, Protocols, SignerPolicy, Signing,
};
use crate::status::{AdmissionDecision, AnnouncementStatus as S};
use crate::voting::{CommissionMajority, LotVotingControl, Review, VotingRules};

type Decision = Result<Vec<AnnouncementEvent>, DomainError>;

/// Gap between the automatic discussion protocol and the moved acceptance start (L1906–1926).
const RESCHEDULE_GAP_MINUTES: i64 = 30;
/// The supplement period after the ППД; not given in this part (docs/decisions/0205).
const SUPPLEMENT_WORKING_DAYS: u32 = 3;

fn non_empty(field: &'static str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(refusal::missing_field(field))
    } else {
        Ok(())
    }
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

    fn decide_existing(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        self.require_not_blocked(&command, ctx)?;
        match command {
            C::CameraControl(command) => self.decide_camera_control(command, ctx),
            C::CreateDraft { .. } | C::CreateIndexCopy { .. } => {
                Err(refusal::announcement_exists())
            }
            C::UpdateHeader { header } => {
                self.require_drafting(ctx)?;
                header.validate()?;
                let current = self.header()?;
                if self.index > 1 && !frozen_header_fields_equal(current, &header) {
                    return Err(refusal::not_editable_in_copy());
                }
                let lots_depend =
                    header.method != current.method || header.subject_type != current.subject_type;
                if lots_depend && !self.lots.is_empty() {
                    return Err(refusal::remove_lots_first());
                }
                Ok(vec![AnnouncementEvent::AnnouncementHeaderUpdated(
                    AnnouncementHeaderUpdated {
                        header,
                        updated_at: now,
                    },
                )])
            }
            C::AddLots { lots } => self.add_lots(lots, ctx),
            C::RemoveLots { plan_item_ids } => {
                self.require_drafting(ctx)?;
                self.require_original()?;
                if plan_item_ids.is_empty() {
                    return Err(refusal::no_lots_selected());
                }
                for id in &plan_item_ids {
                    self.lot(id)?;
                }
                Ok(vec![AnnouncementEvent::LotsRemoved(LotsRemoved {
                    plan_item_ids: dedup(plan_item_ids),
                    removed_at: now,
                })])
            }
            C::SetLotTerms {
                plan_item_id,
                terms,
            } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                terms.validate(self.header()?.subject_type)?;
                if self.index > 1 {
                    copy_terms_change_allowed(lot.terms.as_ref(), &terms)?;
                }
                Ok(vec![AnnouncementEvent::LotTermsSet(LotTermsSet {
                    plan_item_id,
                    terms,
                    set_at: now,
                })])
            }
            C::AttachTechnicalSpecification {
                plan_item_id,
                specification,
            } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                // A generated and signed specification cannot be edited, only deleted (L262–268).
                if lot.technical_specification.is_some() {
                    return Err(refusal::technical_specification_exists());
                }
                specification.validate(self.header()?.subject_type)?;
                Ok(vec![AnnouncementEvent::TechnicalSpecificationAttached(
                    TechnicalSpecificationAttached {
                        plan_item_id,
                        specification,
                        attached_at: now,
                    },
                )])
            }
            C::RemoveTechnicalSpecification { plan_item_id } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                if lot.technical_specification.is_none() {
                    return Err(refusal::technical_specification_missing());
                }
                Ok(vec![AnnouncementEvent::TechnicalSpecificationRemoved(
                    TechnicalSpecificationRemoved {
                        plan_item_id,
                        removed_at: now,
                    },
                )])
            }
            C::SetRepresentatives { representatives } => {
                self.require_drafting(ctx)?;
                representatives.validate()?;
                Ok(vec![AnnouncementEvent::RepresentativesSet(
                    RepresentativesSet {
                        representatives,
                        set_at: now,
                    },
                )])
            }
            C::SetCommission { commission } => {
                self.require_drafting(ctx)?;
                self.require_commission_method()?;
                commission.validate(self.header()?.single_organizer)?;
                Ok(vec![AnnouncementEvent::CommissionSet(CommissionSet {
                    commission,
                    set_at: now,
                })])
            }
            C::SignTenderDocumentation { documentation } => {
                self.require_drafting(ctx)?;
                self.require_commission_method()?;
                documentation.validate()?;
                Ok(vec![AnnouncementEvent::TenderDocumentationSigned(
                    TenderDocumentationSigned {
                        documentation,
                        signed_by: ctx.actor.iin,
                        signed_at: now,
                    },
                )])
            }
            C::ApproveContractDraft { contract_draft } => {
                self.require_drafting(ctx)?;
                // An approved draft must be revoked before it is edited (L369–371, L1480–1482).
                if self.contract_draft.is_some() {
                    return Err(refusal::contract_draft_already_approved());
                }
                contract_draft.validate()?;
                Ok(vec![AnnouncementEvent::ContractDraftApproved(
                    ContractDraftApproved {
                        contract_draft,
                        approved_at: now,
                    },
                )])
            }
            C::RevokeContractDraft => {
                self.require_drafting(ctx)?;
                if self.contract_draft.is_none() {
                    return Err(refusal::contract_draft_missing());
                }
                Ok(vec![AnnouncementEvent::ContractDraftRevoked(
                    ContractDraftRevoked { revoked_at: now },
                )])
            }
            C::SetAcceptanceDates { start, end } => {
                self.require_drafting(ctx)?;
                let start = if self.index > 1 { now } else { start };
                self.validate_dates(start, end, ctx)?;
                Ok(vec![AnnouncementEvent::AcceptanceDatesSet(
                    AcceptanceDatesSet {
                        start,
                        end,
                        set_at: now,
                    },
                )])
            }
            C::Publish => self.publish(ctx),
            C::DeleteDraft => {
                self.require_drafting(ctx)?;
                Ok(vec![AnnouncementEvent::DraftDeleted(DraftDeleted {
                    plan_item_ids: self.lots.keys().cloned().collect(),
                    deleted_at: now,
                })])
            }

            C::RefreshLotFromPlan { source } => {
                self.require_system(ctx)?;
                if !self.status.is_some_and(S::is_draft) {
                    return Err(refusal::not_a_draft());
                }
                self.lot(&source.plan_item_id)?;
                // Lots that were «Работа с ТЭО и ПСД» in the original stay as they were (L1810–1816).
                self.require_lot_editable(&source.plan_item_id)?;
                non_empty("name_ru", &source.name_ru)?;
                if source.amount.is_zero() {
                    return Err(refusal::invalid_amount());
                }
                Ok(vec![AnnouncementEvent::LotRefreshedFromPlan(
                    LotRefreshedFromPlan {
                        source,
                        refreshed_at: now,
                    },
                )])
            }
            C::SubmitDiscussionRequest {
                request_id,
                subject,
                text,
            } => {
                self.require_role(ctx, Role::Supplier)?;
                self.require_step(Step::Discussion)?;
                let end = self
                    .discussion_end
                    .filter(|_| self.has_discussion())
                    .ok_or_else(refusal::discussion_not_available)?;
                if now > end || self.discussion_ended {
                    return Err(refusal::discussion_period_over());
                }
                if self.discussion_requests.contains_key(&request_id) {
                    return Err(refusal::duplicate_id());
                }
                non_empty("subject", &subject)?;
                non_empty("text", &text)?;
                Ok(vec![AnnouncementEvent::DiscussionRequestSubmitted(
                    DiscussionRequestSubmitted {
                        request_id,
                        supplier_bin: ctx.actor.org,
                        subject,
                        text,
                        submitted_at: now,
                    },
                )])
            }
            C::AnswerDiscussionRequest {
                request_id,
                decision,
                text,
            } => {
                self.require_step(Step::Discussion)?;
                let iin = &ctx.actor.iin;
                let is_representative = self.representatives.as_ref().is_some_and(|r| {
                    &r.organizer_representative.iin == iin || &r.customer_representative.iin == iin
                });
                if !self.is_secretary(iin) && !is_representative {
                    return Err(refusal::not_a_discussion_responder());
                }
                self.require_discussion_ended(now)?;
                let request = self
                    .discussion_requests
                    .get(&request_id)
                    .ok_or_else(refusal::discussion_request_not_found)?;
                if request.answer.is_some() {
                    return Err(refusal::discussion_request_already_answered());
                }
                self.require_no_discussion_protocol()?;
                crate::discussion::DiscussionAnswer::validate_text(decision, text.as_deref())?;
                Ok(vec![AnnouncementEvent::DiscussionRequestAnswered(
                    DiscussionRequestAnswered {
                        request_id,
                        decision,
                        text,
                        answered_by: *iin,
                        answered_at: now,
                    },
                )])
            }
            C::EditDiscussionAnswer {
                request_id,
                decision,
                text,
            } => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                let request = self
                    .discussion_requests
                    .get(&request_id)
                    .ok_or_else(refusal::discussion_request_not_found)?;
                if request.answer.is_none() {
                    return Err(refusal::discussion_request_not_answered());
                }
                self.require_no_discussion_protocol()?;
                crate::discussion::DiscussionAnswer::validate_text(decision, text.as_deref())?;
                Ok(vec![AnnouncementEvent::DiscussionAnswerEdited(
                    DiscussionAnswerEdited {
                        request_id,
                        decision,
                        text,
                        edited_by: ctx.actor.iin,
                        edited_at: now,
                    },
                )])
            }
            C::CompleteDiscussion { signers } => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                self.require_discussion_ended(now)?;
                // With a first-direction notice the camera-control flow takes over (L1656–1662);
                // its documentation change goes through this signed protocol, requests or not
                // (spec 000-D L11983–12059).
                let change_by_notices = self.documentation_change_by_notices();
                if self.open_notices(NoticeDirection::First).next().is_some() && !change_by_notices
                {
                    return Err(refusal::camera_control_notice_open());
                }
                if self.discussion_requests.is_empty() && !change_by_notices {
                    return Err(refusal::no_discussion_requests());
                }
                if self
                    .discussion_requests
                    .values()
                    .any(|r| r.answer.is_none())
                {
                    return Err(refusal::discussion_requests_unanswered());
                }
                self.require_no_discussion_protocol()?;
                if signers.is_empty() {
                    return Err(refusal::discussion_signers_required());
                }
                signers
                    .iter()
                    .try_for_each(|p| non_empty("full_name", &p.full_name))?;
                Ok(vec![AnnouncementEvent::DiscussionCompleted(
                    DiscussionCompleted {
                        signers,
                        completed_at: now,
                    },
                )])
            }
            C::FormDiscussionProtocol => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                if self.discussion_signers.is_none() {
                    return Err(refusal::discussion_not_completed());
                }
                self.require_no_discussion_protocol()?;
                Ok(vec![AnnouncementEvent::ProtocolFormed(self.form_protocol(
                    ProtocolKind::Discussion,
                    false,
                    now,
                    None,
                ))])
            }
            C::DeleteDiscussionProtocol => {
                self.require_step(Step::Discussion)?;
                self.require_secretary(ctx)?;
                let protocol = self.protocols.deletable(ProtocolKind::Discussion)?;
                if !protocol.signatures.is_empty() {
                    return Err(refusal::protocol_already_signed());
                }
                Ok(vec![AnnouncementEvent::ProtocolDeleted(Protocols::delete(
                    protocol, now,
                ))])
            }

            C::EndDiscussion => self.end_discussion(ctx),
            C::StartAcceptance => {
                self.require_system(ctx)?;
                self.require_step(Step::StartAcceptance)?;
                let acceptance = self.acceptance_window()?;
                if self.has_discussion() && !self.discussion_protocol_published() {
                    return Err(refusal::discussion_protocol_not_published());
                }
                require_reached(now, acceptance.start)?;
                Ok(vec![AnnouncementEvent::AcceptanceStarted(
                    AcceptanceStarted { started_at: now },
                )])
            }
            C::EndAcceptance => self.end_acceptance(ctx),
            C::EndSupplementPeriod => {
                self.require_system(ctx)?;
                self.require_step(Step::Supplements)?;
                let supplement = self.supplement.ok_or_else(refusal::wrong_status)?;
                require_reached(now, supplement.end)?;
                let mut events = vec![AnnouncementEvent::SupplementPeriodEnded(
                    SupplementPeriodEnded { ended_at: now },
                )];
                let notice_ids: Vec<Uuid> = self
                    .open_notices(NoticeDirection::Third)
                    .map(|n| n.id)
                    .collect();
                if !notice_ids.is_empty() {
                    events.push(AnnouncementEvent::PpdRevisionDecisionRequired(
                        PpdRevisionDecisionRequired {
                            notice_ids,
                            required_at: now,
                        },
                    ));
                }
                Ok(events)
            }
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

            C::SubmitApplication {
                application_id,
                offers,
            } => self.submit_application(application_id, offers, ctx),
            C::WithdrawApplication { application_id } => {
                self.require_role(ctx, Role::Supplier)?;
                self.require_step(Step::Acceptance)?;
                self.require_own_application(&application_id, ctx)?;
                if now >= self.acceptance_window()?.end {
                    return Err(refusal::acceptance_period_over());
                }
                Ok(vec![AnnouncementEvent::ApplicationWithdrawn(
                    ApplicationWithdrawn {
                        application_id,
                        withdrawn_at: now,
                    },
                )])
            }
            C::SupplementApplication {
                application_id,
                plan_item_ids,
                documents,
            } => {
                self.require_role(ctx, Role::Supplier)?;
                self.require_step(Step::Supplements)?;
                self.require_own_application(&application_id, ctx)?;
                let supplement = self.supplement.ok_or_else(refusal::wrong_status)?;
                if now >= supplement.end {
                    return Err(refusal::supplement_period_over());
                }
                if plan_item_ids.is_empty() {
                    return Err(refusal::no_lots_selected());
                }
                for lot in &plan_item_ids {
                    match self.voting.decisions.get(&(application_id, lot.clone())) {
                        Some(AdmissionDecision::Rejected) if !self.lot(lot)?.is_cancelled() => {}
                        Some(AdmissionDecision::RejectedNoResubmission) => {
                            return Err(refusal::no_right_to_supplement());
                        }
                        _ => return Err(refusal::lot_not_rejected()),
                    }
                }
                if documents.is_empty() {
                    return Err(refusal::missing_field("documents"));
                }
                documents.iter().try_for_each(|d| d.validate())?;
                Ok(vec![AnnouncementEvent::ApplicationSupplemented(
                    ApplicationSupplemented {
                        application_id,
                        plan_item_ids: dedup(plan_item_ids),
                        documents,
                        supplemented_at: now,
                    },
                )])
            }

            C::CastVote {
                application_id,
                ballot,
            } => {
                self.require_step(Step::Review)?;
                let cast = self.voting.cast(
                    &self.review(),
                    (ctx.actor.iin, application_id),
                    ballot,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::VoteCast(cast)])
            }
            C::WithdrawVote { application_id } => {
                self.require_step(Step::Review)?;
                let withdrawn = self.voting.withdraw(ctx.actor.iin, application_id, now)?;
                Ok(vec![AnnouncementEvent::VoteWithdrawn(withdrawn)])
            }
            C::CompleteVoting => {
                self.require_step(Step::Review)?;
                self.require_secretary(ctx)?;
                let completed = self
                    .voting
                    .complete(&self.review(), self.voting_rules(), now)?;
                let mut events = vec![AnnouncementEvent::VotingCompleted(completed)];
                // In a ППД or results revision by notice, the notices are executed, pending the
                // inspector, changed or not (spec 000-D L12522–12530, L12785–12793).
                events.extend(
                    self.camera_control
                        .on_revision_voting_completed(now)
                        .into_iter()
                        .map(AnnouncementEvent::CameraControl),
                );
                Ok(events)
            }
            C::ReopenVoting => {
                self.require_step(Step::Review)?;
                self.require_secretary(ctx)?;
                let reopened = self.voting.reopen(now)?;
                Ok(vec![AnnouncementEvent::VotingReopened(reopened)])
            }

            C::FormPreliminaryAdmissionProtocol => {
                // Also re-formed in a ППД revision by notice (spec 000-D L12534–12540).
                self.require_step(Step::FormPreliminaryAdmissionProtocol)?;
                self.require_secretary(ctx)?;
                self.voting.require_completed()?;
                if !self.preliminary_admission_required() {
                    return Err(refusal::no_rejected_applications());
                }
                let formed =
                    self.form_protocol(ProtocolKind::PreliminaryAdmission, false, now, None);
                Ok(vec![AnnouncementEvent::ProtocolFormed(formed)])
            }
            C::DeleteResultsProtocol => {
                self.require_secretary(ctx)?;
                let protocol = self.protocols.deletable(ProtocolKind::Results)?;
                // Only a revision's protocol: the seed allows it in «Пересмотр итогов» alone.
                self.require_step(Step::DeleteResultsProtocol)?;
                if !self.revising_results() {
                    return Err(refusal::wrong_status());
                }
                Ok(vec![AnnouncementEvent::ProtocolDeleted(Protocols::delete(
                    protocol, now,
                ))])
            }
            C::FormResultsProtocol => {
                self.require_step(Step::FormResultsProtocol)?;
                self.require_secretary(ctx)?;
                self.voting.require_completed()?;
                if self.preliminary_admission_required() {
                    return Err(refusal::preliminary_admission_protocol_required());
                }
                if self.discount_lots().next().is_some() && !self.discounts_completed {
                    return Err(refusal::conditional_discounts_not_completed());
                }
                let outcomes = self.compute_outcomes();
                Ok(vec![AnnouncementEvent::ProtocolFormed(self.form_protocol(
                    ProtocolKind::Results,
                    false,
                    now,
                    Some(&outcomes),
                ))])
            }
            C::SignProtocol {
                kind,
                version,
                signer_iin,
                content_sha256,
                dissent,
            } => {
                if signer_iin != ctx.actor.iin {
                    return Err(refusal::signer_mismatch());
                }
                let signing = Signing {
                    kind,
                    version,
                    signer_iin,
                    content_sha256,
                    dissent,
                };
                let policy = self.signer_policy(kind);
                let signed =
                    self.protocols
                        .sign(signing, policy.as_ref(), self.signing_open(kind), now)?;
                Ok(vec![AnnouncementEvent::ProtocolSigned(signed)])
            }
            C::RecordSignatureAbsence {
                kind,
                version,
                member_iin,
                file,
            } => {
                self.require_secretary(ctx)?;
                let is_member = self.is_active_voter(&member_iin);
                let recorded = self.protocols.record_absence(
                    (kind, version),
                    member_iin,
                    is_member,
                    self.signing_open(kind),
                    file,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::SignatureAbsenceRecorded(recorded)])
            }
            C::AttachExpertOpinion { kind, file } => {
                self.require_secretary(ctx)?;
                if !self.allows(Step::ExpertOpinion(kind)) {
                    return Err(refusal::expert_opinion_not_allowed());
                }
                let attached = self.protocols.attach_expert_opinion(kind, file, now)?;
                Ok(vec![AnnouncementEvent::ExpertOpinionAttached(attached)])
            }
            C::PublishProtocol { kind } => self.publish_protocol(kind, ctx),

            C::RecordCommissionQuery { query } => {
                self.require_secretary(ctx)?;
                // Only after a published ППД and supplemented applications (L2943–2945).
                self.require_step(Step::CommissionQuery)?;
                if !self
                    .applications
                    .values()
                    .any(|a| !a.supplemented_lots.is_empty())
                {
                    return Err(refusal::no_supplemented_applications());
                }
                self.lot(&query.plan_item_id)?;
                if let QueryRecipient::Supplier { application_id } = &query.recipient
                    && !self
                        .applications
                        .get(application_id)
                        .is_some_and(|a| a.applies_to(&query.plan_item_id))
                {
                    return Err(refusal::application_not_found());
                }
                query.validate()?;
                Ok(vec![AnnouncementEvent::CommissionQueryRecorded(
                    CommissionQueryRecorded {
                        query,
                        recorded_at: now,
                    },
                )])
            }
            C::FillConditionalDiscounts {
                plan_item_id,
                entries,
            } => {
                // In a results revision the discounts entered before stay «Заполнено» and the
                // secretary may change them, with or without a re-vote (L10456–10474).
                if self.status == Some(S::ResultsRevision) {
                    self.require_secretary(ctx)?;
                } else {
                    self.require_discounts_open(ctx)?;
                }
                if !self.discount_lots().any(|l| l == &plan_item_id) {
                    return Err(refusal::discounts_not_required_for_lot());
                }
                let expected: BTreeSet<ApplicationId> =
                    self.applications_on(&plan_item_id).map(|a| a.id).collect();
                let given: BTreeSet<ApplicationId> = entries.iter().map(|(id, _)| *id).collect();
                if expected != given || given.len() != entries.len() {
                    return Err(refusal::discount_entries_mismatch());
                }
                let subject = self.header()?.subject_type;
                let entries = entries
                    .into_iter()
                    .map(|(application_id, form)| {
                        Ok(DiscountEntry {
                            application_id,
                            discounts: form.validate(subject)?,
                        })
                    })
                    .collect::<Result<Vec<_>, DomainError>>()?;
                Ok(vec![AnnouncementEvent::ConditionalDiscountsFilled(
                    ConditionalDiscountsFilled {
                        plan_item_id,
                        entries,
                        filled_at: now,
                    },
                )])
            }
            C::CompleteConditionalDiscounts => {
                self.require_discounts_open(ctx)?;
                let mut lots = self.discount_lots().peekable();
                if lots.peek().is_none() {
                    return Err(refusal::discounts_not_required_for_lot());
                }
                if lots.any(|l| !self.discounts.contains_key(l)) {
                    return Err(refusal::discounts_incomplete());
                }
                Ok(vec![AnnouncementEvent::ConditionalDiscountsCompleted(
                    ConditionalDiscountsCompleted { completed_at: now },
                )])
            }

            C::Suspend { act } => {
                self.require_secretary(ctx)?;
                // From publication until the results protocol is formed, whole procurement only
                // (L3391–3489).
                self.require_step(Step::Suspend)?;
                act.validate()?;
                Ok(vec![AnnouncementEvent::ProcurementSuspended(
                    ProcurementSuspended {
                        act,
                        suspended_at: now,
                    },
                )])
            }
            C::Resume { act } => {
                self.require_secretary(ctx)?;
                self.require_step(Step::Resume)?;
                act.validate()?;
                Ok(vec![AnnouncementEvent::ProcurementResumed(
                    ProcurementResumed {
                        act,
                        resumed_at: now,
                    },
                )])
            }
            C::CancelLots { plan_item_ids, act } => self.cancel_lots(plan_item_ids, act, ctx),
            C::RefuseProcurement {
                plan_item_ids,
                reason,
                document,
            } => self.refuse_procurement(plan_item_ids, reason, document, ctx),
            C::ChangeCommission {
                commission,
                decision,
            } => {
                self.require_commission_method()?;
                let current = self
                    .commission
                    .as_ref()
                    .ok_or_else(refusal::commission_missing)?;
                let iin = &ctx.actor.iin;
                if !current.is_secretary(iin) && !current.is_chairman(iin) {
                    return Err(refusal::not_secretary());
                }
                // Only the chairman can change the secretary (L1974–1976).
                if commission.secretary.iin != current.secretary.iin && !current.is_chairman(iin) {
                    return Err(refusal::only_chairman_changes_secretary());
                }
                let allowed = self.allows(Step::ChangeCommission)
                    || self.allows(Step::ChangeCommissionWhileVoting) && !self.voting.completed;
                if !allowed {
                    return Err(refusal::commission_change_not_allowed());
                }
                decision.validate()?;
                commission.validate(self.header()?.single_organizer)?;
                Ok(vec![AnnouncementEvent::CommissionChanged(
                    CommissionChanged {
                        commission,
                        decision,
                        changed_by: *iin,
                        changed_at: now,
                    },
                )])
            }
            C::ChangeCreator {
                new_creator_iin,
                creator_blocked,
                new_creator_blocked,
            } => {
                self.require_role(ctx, Role::OrgAdmin)?;
                self.require_own_organization(ctx)?;
                self.require_step(Step::ChangeCreator)
                    .map_err(|_| refusal::creator_change_not_allowed())?;
                if !creator_blocked {
                    return Err(refusal::creator_not_blocked());
                }
                if new_creator_blocked {
                    return Err(refusal::new_creator_blocked());
                }
                let previous = self
                    .creator_iin
                    .ok_or_else(refusal::announcement_not_found)?;
                if previous == new_creator_iin {
                    return Err(refusal::creator_unchanged());
                }
                Ok(vec![AnnouncementEvent::CreatorChanged(CreatorChanged {
                    previous_creator_iin: previous,
                    new_creator_iin,
                    changed_at: now,
                })])
            }
            C::ChangeRepresentatives {
                organizer_representative,
                customer_representative,
            } => {
                self.require_role(ctx, Role::Organizer)?;
                let iin = &ctx.actor.iin;
                if !self.is_secretary(iin) && self.creator_iin.as_ref() != Some(iin) {
                    return Err(refusal::not_secretary());
                }
                self.require_step(Step::ChangeRepresentatives)
                    .map_err(|_| refusal::representatives_change_not_allowed())?;
                if self.representatives.is_none() {
                    return Err(refusal::representatives_missing());
                }
                non_empty(
                    "organizer_representative",
                    &organizer_representative.full_name,
                )?;
                non_empty(
                    "customer_representative",
                    &customer_representative.full_name,
                )?;
                Ok(vec![AnnouncementEvent::RepresentativesChanged(
                    RepresentativesChanged {
                        organizer_representative,
                        customer_representative,
                        changed_at: now,
                    },
                )])
            }
            C::RecordLotContractDraft {
                plan_item_id,
                contract_id,
            } => {
                self.require_role(ctx, Role::Customer)?;
                let lot = self.lot(&plan_item_id)?;
                if lot.source.customer_bin != ctx.actor.org {
                    return Err(refusal::foreign_organization());
                }
                if self.status != Some(S::Completed)
                    || !matches!(lot.outcome, Some(LotOutcome::Held { .. }))
                {
                    return Err(refusal::lot_not_held());
                }
                if self.lot_contracts.contains_key(&plan_item_id) {
                    return Err(refusal::contract_draft_exists());
                }
                Ok(vec![AnnouncementEvent::LotContractDrafted(
                    LotContractDrafted {
                        plan_item_id,
                        contract_id,
                        recorded_at: now,
                    },
                )])
            }
            C::RecordLotContractDeleted { plan_item_id } => {
                self.require_role(ctx, Role::Customer)?;
                let lot = self.lot(&plan_item_id)?;
                if lot.source.customer_bin != ctx.actor.org {
                    return Err(refusal::foreign_organization());
                }
                if !self.lot_contracts.contains_key(&plan_item_id) {
                    return Err(refusal::contract_not_found());
                }
                Ok(vec![AnnouncementEvent::LotContractDeleted(
                    LotContractDeleted {
                        plan_item_id,
                        recorded_at: now,
                    },
                )])
            }
        }
    }

    // ---- drafting -------------------------------------------------------------------------

    fn create_draft(
        &self,
        announcement_id: Uuid,
        number: String,
        header: Header,
        ctx: &Context,
    ) -> Decision {
        if self.status.is_some() {
            return Err(refusal::announcement_exists());
        }
        self.require_role(ctx, Role::Organizer)?;
        non_empty("number", &number)?;
        header.validate()?;
        Ok(vec![AnnouncementEvent::AnnouncementDrafted(
            AnnouncementDrafted {
                announcement_id,
                number,
                header,
                organizer_bin: ctx.actor.org,
                creator_iin: ctx.actor.iin,
                drafted_at: ctx.now,
            },
        )])
    }

    fn create_index_copy(
        &self,
        announcement_id: Uuid,
        number: String,
        source: &Announcement,
        ctx: &Context,
    ) -> Decision {
        if self.status.is_some() {
            return Err(refusal::announcement_exists());
        }
        if source.status != Some(S::DocumentationChanged)
            || source.copy_announcement_id != Some(announcement_id)
        {
            return Err(refusal::not_a_documentation_change_copy());
        }
        source.require_role(ctx, Role::Organizer)?;
        source.require_own_organization(ctx)?;
        non_empty("number", &number)?;
        let source_id = source.id.ok_or_else(refusal::announcement_not_found)?;
        let notices = source
            .camera_control
            .handed_over
            .as_ref()
            .filter(|h| h.copy_announcement_id == announcement_id)
            .map(|h| AnnouncementEvent::CameraControl(CameraControl::taken_over(source_id, h)));
        let created = AnnouncementEvent::AnnouncementCopyCreated(AnnouncementCopyCreated {
            announcement_id,
            number,
            source_announcement_id: source_id,
            index: source.index + 1,
            header: source.header()?.clone(),
            organizer_bin: source
                .organizer_bin
                .ok_or_else(refusal::announcement_not_found)?,
            creator_iin: source
                .creator_iin
                .ok_or_else(refusal::announcement_not_found)?,
            lots: source.active_lots().cloned().collect(),
            representatives: source.representatives.clone(),
            commission: source.commission.clone(),
            tender_documentation: source.tender_documentation.clone(),
            contract_draft: source.contract_draft.clone(),
            acceptance_end: source.acceptance.map(|w| w.end),
            created_at: ctx.now,
        });
        Ok(std::iter::once(created).chain(notices).collect())
    }

    fn add_lots(&self, lots: Vec<LotSource>, ctx: &Context) -> Decision {
        self.require_drafting(ctx)?;
        self.require_original()?;
        if lots.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let mut seen = BTreeSet::new();
        for lot in &lots {
            if self.lots.contains_key(&lot.plan_item_id) || !seen.insert(lot.plan_item_id.clone()) {
                return Err(refusal::lot_already_added());
            }
            non_empty("lot_number", &lot.lot_number)?;
            non_empty("name_ru", &lot.name_ru)?;
            if lot.amount.is_zero() {
                return Err(refusal::invalid_amount());
            }
        }
        Ok(vec![AnnouncementEvent::LotsAdded(LotsAdded {
            lots,
            added_at: ctx.now,
        })])
    }

    /// The method's deadlines for the acceptance window.
    fn validate_dates(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        let dates = AcceptanceDates {
            start,
            end,
            index: self.index,
        };
        self.rules()?.validate_dates(dates, ctx)
    }

    fn publish(&self, ctx: &Context) -> Decision {
        self.require_drafting(ctx)?;
        let header = self.header()?;
        let now = ctx.now;
        if self.lots.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        for lot in self.lots.values() {
            let terms = lot.terms.as_ref().ok_or_else(refusal::lot_data_missing)?;
            terms.validate(header.subject_type)?;
            // Not required for «Работа с ТЭО и ПСД» lots (L1293–1303).
            if lot.technical_specification.is_none() && !lot.is_work_with_feasibility_and_design() {
                return Err(refusal::technical_specification_missing());
            }
        }
        if self.contract_draft.is_none() {
            return Err(refusal::contract_draft_missing());
        }
        // A method with a commission publishes with it, its representatives and its tender
        // documentation (L1293–1303, L1480–1490).
        if self.rules()?.commission().is_some() {
            self.representatives
                .as_ref()
                .ok_or_else(refusal::representatives_missing)?
                .validate()?;
            self.commission
                .as_ref()
                .ok_or_else(refusal::commission_missing)?
                .validate(header.single_organizer)?;
            if self.tender_documentation.is_none() {
                return Err(refusal::tender_documentation_missing());
            }
        }
        let acceptance = self
            .acceptance
            .ok_or_else(refusal::acceptance_dates_missing)?;
        if self.index > 1 {
            // The copy's acceptance starts at publication (L1856–1860) and has no discussion.
            self.validate_dates(now, acceptance.end, ctx)?;
            return Ok(vec![
                AnnouncementEvent::AnnouncementPublished(AnnouncementPublished {
                    published_at: now,
                    acceptance_start: now,
                    acceptance_end: acceptance.end,
                    discussion_end: None,
                }),
                AnnouncementEvent::AcceptanceStarted(AcceptanceStarted { started_at: now }),
            ]
            .into_iter()
            // The changed documentation is published: executed, pending the inspector
            // (spec 000-D L11038–11048, docs/decisions/0304).
            .chain(
                self.camera_control
                    .on_copy_published(now)
                    .into_iter()
                    .map(AnnouncementEvent::CameraControl),
            )
            .collect());
        }
        self.validate_dates(acceptance.start, acceptance.end, ctx)?;
        let discussion_end = match self.has_discussion() {
            true => self
                .rules()?
                .discussion_days()
                .map(|days| end_of_working_days(ctx, now, days))
                .transpose()?,
            false => None,
        };
        Ok(vec![AnnouncementEvent::AnnouncementPublished(
            AnnouncementPublished {
                published_at: now,
                acceptance_start: acceptance.start,
                acceptance_end: acceptance.end,
                discussion_end,
            },
        )])
    }

    // ---- discussion -----------------------------------------------------------------------

    fn end_discussion(&self, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        self.require_step(Step::Discussion)?;
        let now = ctx.now;
        let end = self
            .discussion_end
            .filter(|_| self.has_discussion())
            .ok_or_else(refusal::discussion_not_available)?;
        let mut events = Vec::new();
        if !self.discussion_ended {
            require_reached(now, end)?;
            events.push(AnnouncementEvent::DiscussionEnded(DiscussionEnded {
                ended_at: now,
            }));
        } else if !self.discussion_requests.is_empty()
            || self.valid_protocol(ProtocolKind::Discussion).is_some()
        {
            return Err(refusal::discussion_period_over());
        }
        if self.discussion_requests.is_empty() {
            // A first-direction notice holds the automatic protocol back until it is closed
            // (L1574–1578); it is formed then, by this same command.
            if self.open_notices(NoticeDirection::First).next().is_some() {
                return if events.is_empty() {
                    Err(refusal::camera_control_notice_open())
                } else {
                    Ok(events)
                };
            }
            // No requests: the protocol is formed and published by the system without
            // signatures, and an acceptance start later than that moves to 30 minutes after it,
            // keeping the entered duration (L1884–1926).
            let formed = self.form_protocol(ProtocolKind::Discussion, true, now, None);
            let published = Protocols::publish_automatic(&formed, now);
            events.push(AnnouncementEvent::ProtocolFormed(formed));
            events.push(AnnouncementEvent::ProtocolPublished(published));
            let acceptance = self.acceptance_window()?;
            if acceptance.start > now {
                let start = now + Duration::minutes(RESCHEDULE_GAP_MINUTES);
                let end = start + (acceptance.end - acceptance.start);
                events.push(AnnouncementEvent::AcceptanceRescheduled(
                    AcceptanceRescheduled {
                        start,
                        end,
                        rescheduled_at: now,
                    },
                ));
            }
        }
        Ok(events)
    }

    fn discussion_protocol_published(&self) -> bool {
        self.valid_protocol(ProtocolKind::Discussion)
            .is_some_and(|p| p.published_at.is_some())
    }

    fn require_discussion_ended(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        // «Предоставить ответ» appears only once the discussion deadline is reached (L1606–1610).
        match self.discussion_end {
            Some(end) if now >= end || self.discussion_ended => Ok(()),
            Some(_) => Err(refusal::discussion_not_ended()),
            None => Err(refusal::discussion_not_available()),
        }
    }

    fn require_no_discussion_protocol(&self) -> Result<(), DomainError> {
        if self.valid_protocol(ProtocolKind::Discussion).is_some() {
            return Err(refusal::protocol_already_formed());
        }
        Ok(())
    }

    // ---- acceptance and applications ------------------------------------------------------

    fn end_acceptance(&self, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        self.require_step(Step::Acceptance)?;
        let now = ctx.now;
        require_reached(now, self.acceptance_window()?.end)?;
        let mut events = vec![AnnouncementEvent::AcceptanceEnded(AcceptanceEnded {
            ended_at: now,
        })];
        if !self.applications.is_empty() {
            events.push(AnnouncementEvent::ApplicationsOpened(ApplicationsOpened {
                application_ids: self.applications.keys().copied().collect(),
                opened_at: now,
            }));
        }
        // OK with applications goes to the commission; ЗЦП, or OK without applications, ends
        // with an automatic results protocol (L434–448, L3123–3129).
        if self.rules()?.commission().is_some() && !self.applications.is_empty() {
            return Ok(events);
        }
        let outcomes = self.compute_outcomes();
        events.extend(self.automatic_results(&outcomes, now));
        events.push(AnnouncementEvent::ProcurementCompleted(
            ProcurementCompleted {
                outcomes: outcomes
                    .into_iter()
                    .map(|(plan_item_id, outcome)| LotOutcomeRecord {
                        plan_item_id,
                        outcome,
                    })
                    .collect(),
                completed_at: now,
            },
        ));
        Ok(events)
    }

    fn submit_application(
        &self,
        application_id: ApplicationId,
        offers: Vec<LotOffer>,
        ctx: &Context,
    ) -> Decision {
        self.require_role(ctx, Role::Supplier)?;
        self.require_step(Step::Acceptance)?;
        let now = ctx.now;
        if now >= self.acceptance_window()?.end {
            return Err(refusal::acceptance_period_over());
        }
        if self.application_of(&ctx.actor.org).is_some() {
            return Err(refusal::application_already_submitted());
        }
        if self.applications.contains_key(&application_id) {
            return Err(refusal::duplicate_id());
        }
        if offers.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let mut seen = BTreeSet::new();
        for offer in &offers {
            let lot = self.lot(&offer.plan_item_id)?;
            if lot.is_cancelled() {
                return Err(refusal::lot_cancelled());
            }
            if !seen.insert(offer.plan_item_id.clone()) {
                return Err(refusal::lot_already_added());
            }
            if offer.price.is_zero() {
                return Err(refusal::invalid_amount());
            }
            // An offer may not exceed the amount allocated to the lot (docs/decisions/0206).
            if offer.price > lot.source.amount {
                return Err(refusal::price_above_allocated_amount());
            }
        }
        Ok(vec![AnnouncementEvent::ApplicationSubmitted(
            ApplicationSubmitted {
                application_id,
                supplier_bin: ctx.actor.org,
                offers,
                submitted_at: now,
            },
        )])
    }

    // ---- voting ---------------------------------------------------------------------------

    /// The facts the commission's review decides on.
    pub fn review(&self) -> Review<'_> {
        Review {
            commission: self.commission.as_ref(),
            applications: &self.applications,
            lots: &self.lots,
        }
    }

    /// What the review counts.
    fn voting_rules(&self) -> &'static dyn VotingRules {
        // A method without a commission has no votes: any rules read none.
        self.method()
            .and_then(|m| m.rules().commission())
            .unwrap_or(&CommissionMajority)
    }

    /// The lots of an application under review in the current round (§7.5).
    pub fn review_lots(&self, application_id: &ApplicationId) -> BTreeSet<PlanItemId> {
        self.voting.review_lots(&self.review(), application_id)
    }

    /// «Контроль голосования» (L2351–2365).
    pub fn voting_control(&self) -> Vec<LotVotingControl> {
        self.voting.control(&self.review(), self.voting_rules())
    }

    /// A member's status on an application × lot as the secretary sees it (L2367–2419).
    pub fn member_decision(
        &self,
        member: &Iin,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> AdmissionDecision {
        self.voting
            .member_decision(self.voting_rules(), member, application_id, lot)
    }

    /// A ППД is needed only when someone may still supplement (spec §7.4, L2493–2503).
    pub fn preliminary_admission_required(&self) -> bool {
        self.voting.preliminary_admission_required(&self.lots)
    }

    fn require_discounts_open(&self, ctx: &Context) -> Result<(), DomainError> {
        self.require_step(Step::ConditionalDiscounts)?;
        self.require_secretary(ctx)?;
        self.voting.require_completed()?;
        if self.preliminary_admission_required() {
            return Err(refusal::preliminary_admission_protocol_required());
        }
        if self.discounts_completed {
            return Err(refusal::discounts_already_completed());
        }
        Ok(())
    }

    // ---- results --------------------------------------------------------------------------

    /// Winner per lot: among admitted applications (every offer for ЗЦП), the lowest
    /// conditional price wins; equal prices go to the earlier application
    /// (docs/decisions/0202-conditional-discounts.md). No admitted application: failed.
    pub fn compute_outcomes(&self) -> BTreeMap<PlanItemId, LotOutcome> {
        self.lots
            .values()
            .map(|lot| {
                let id = lot.plan_item_id();
                if lot.is_cancelled() {
                    return (id.clone(), LotOutcome::Cancelled);
                }
                let winner = self
                    .applications_on(id)
                    .filter(|a| {
                        self.method().is_some_and(|m| {
                            m.rules()
                                .competes(self.voting.decisions.get(&(a.id, id.clone())))
                        })
                    })
                    .filter_map(|a| {
                        Some((self.conditional_price_of(&a.id, id)?, a.submitted_at, a.id))
                    })
                    .min();
                let outcome = winner.map_or(LotOutcome::Failed, |(_, _, winner)| {
                    LotOutcome::Held { winner }
                });
                (id.clone(), outcome)
            })
            .collect()
    }

    fn conditional_price_of(
        &self,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> Option<Money> {
        let price = *self.applications.get(application_id)?.price_for(lot)?;
        Some(
            match self.discounts.get(lot).and_then(|d| d.get(application_id)) {
                Some(discounts) => conditional_price(price, discounts),
                None => price,
            },
        )
    }

    fn automatic_results(
        &self,
        outcomes: &BTreeMap<PlanItemId, LotOutcome>,
        now: DateTime<Utc>,
    ) -> Vec<AnnouncementEvent> {
        let formed = self.form_protocol(ProtocolKind::Results, true, now, Some(outcomes));
        let published = Protocols::publish_automatic(&formed, now);
        vec![
            AnnouncementEvent::ProtocolFormed(formed),
            AnnouncementEvent::ProtocolPublished(published),
        ]
    }

    fn form_protocol(
        &self,
        kind: ProtocolKind,
        automatic: bool,
        now: DateTime<Utc>,
        outcomes: Option<&BTreeMap<PlanItemId, LotOutcome>>,
    ) -> ProtocolFormed {
        let lots = self
            .lots
            .values()
            .map(|lot| {
                let id = lot.plan_item_id();
                let discounts = self.discounts.get(id);
                let applications = self
                    .applications_on(id)
                    .map(|a| ProtocolApplication {
                        application_id: a.id,
                        supplier_bin: a.supplier_bin,
                        price: *a
                            .price_for(id)
                            .expect("applications_on yields applications with an offer"),
                        decision: self.voting.decisions.get(&(a.id, id.clone())).copied(),
                        discount_pct: discounts.and_then(|d| d.get(&a.id)).map(|d| d.total_pct()),
                        conditional_price: discounts
                            .and_then(|_| self.conditional_price_of(&a.id, id)),
                    })
                    .collect();
                let outcome = if lot.is_cancelled() {
                    Some(LotOutcome::Cancelled)
                } else {
                    outcomes
                        .and_then(|o| o.get(id).cloned())
                        .or_else(|| lot.outcome.clone())
                };
                ProtocolLot {
                    plan_item_id: id.clone(),
                    lot_number: lot.source.lot_number.clone(),
                    name_ru: lot.source.name_ru.clone(),
                    amount: lot.source.amount,
                    applications,
                    cancellation: lot.cancellation.as_ref().map(|c| c.act.clone()),
                    refusal: lot.refusal.clone(),
                    outcome,
                }
            })
            .collect();
        let discussion = match kind {
            ProtocolKind::Discussion => self.discussion_requests.values().cloned().collect(),
            _ => Vec::new(),
        };
        let content = ProtocolContent {
            announcement_id: self.id.unwrap_or_default(),
            announcement_number: self.number.clone(),
            kind,
            // Numbered by the component.
            version: 0,
            formed_at: now,
            lots,
            discussion,
        };
        self.protocols.form(automatic, content)
    }

    /// Whether the phase takes signatures of a protocol kind.
    fn signing_open(&self, kind: ProtocolKind) -> bool {
        self.allows(Step::SignProtocol(kind))
    }

    /// The kind's signers: the discussion's listed signers, or the commission.
    fn signer_policy(&self, kind: ProtocolKind) -> Box<dyn SignerPolicy + '_> {
        match kind {
            ProtocolKind::Discussion => Box::new(ListedSigners(
                self.discussion_signers.as_deref().unwrap_or_default(),
            )),
            ProtocolKind::PreliminaryAdmission | ProtocolKind::Results => {
                Box::new(CommissionSigners {
                    commission: self.commission.as_ref(),
                    excluded: &self.voting.excluded_voters,
                })
            }
        }
    }

    fn publish_protocol(&self, kind: ProtocolKind, ctx: &Context) -> Decision {
        self.require_secretary(ctx)?;
        let now = ctx.now;
        let policy = self.signer_policy(kind);
        let (protocol, published) =
            self.protocols
                .publish(kind, policy.as_ref(), self.signing_open(kind), now)?;
        let published = AnnouncementEvent::ProtocolPublished(published);
        match kind {
            ProtocolKind::Discussion => {
                let mut events = vec![published];
                let amend = self.discussion_requests.values().any(|r| {
                    r.answer.as_ref().is_some_and(|a| {
                        a.decision == crate::discussion::DiscussionDecision::AmendDocumentation
                    })
                });
                if amend || self.documentation_change_by_notices() {
                    let id = self.id.ok_or_else(refusal::announcement_not_found)?;
                    let name = format!("index-{}", self.index + 1);
                    let copy_announcement_id = Uuid::new_v5(&id, name.as_bytes());
                    events.push(AnnouncementEvent::DocumentationChangeDecided(
                        DocumentationChangeDecided {
                            copy_announcement_id,
                            decided_at: now,
                        },
                    ));
                    // The notices follow their lots into the copy (spec 000-D L12077–12085).
                    events.extend(
                        self.camera_control
                            .hand_over_to_copy(copy_announcement_id, now)
                            .into_iter()
                            .map(AnnouncementEvent::CameraControl),
                    );
                }
                Ok(events)
            }
            ProtocolKind::PreliminaryAdmission => Ok(vec![
                published,
                AnnouncementEvent::SupplementPeriodStarted(SupplementPeriodStarted {
                    start: now,
                    end: end_of_working_days(ctx, now, SUPPLEMENT_WORKING_DAYS)?,
                }),
            ]),
            ProtocolKind::Results => {
                let outcomes = protocol
                    .content
                    .lots
                    .iter()
                    .map(|l| LotOutcomeRecord {
                        plan_item_id: l.plan_item_id.clone(),
                        outcome: l.outcome.clone().unwrap_or(LotOutcome::Failed),
                    })
                    .collect();
                Ok(vec![
                    published,
                    AnnouncementEvent::ProcurementCompleted(ProcurementCompleted {
                        outcomes,
                        completed_at: now,
                    }),
                ])
            }
        }
    }

    // ---- cancellation ---------------------------------------------------------------------

    pub(super) fn cancel_lots(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        act: crate::announcement::act::GroundingAct,
        ctx: &Context,
    ) -> Decision {
        self.require_secretary(ctx)?;
        let plan_item_ids = self.withdrawable(plan_item_ids)?;
        act.validate()?;
        let cancelled = AnnouncementEvent::LotsCancelled(LotsCancelled {
            plan_item_ids,
            act,
            cancelled_at: ctx.now,
        });
        Ok(self.withdraw(cancelled, ctx.now))
    }

    /// «Отказ от закупки» by the customer (L1928–1940): its own lots leave the procurement like
    /// cancelled ones, and the results protocol is re-formed the same way (L3353–3367).
    fn refuse_procurement(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        reason: String,
        document: crate::announcement::act::FileRef,
        ctx: &Context,
    ) -> Decision {
        self.require_role(ctx, Role::Customer)?;
        let plan_item_ids = self.withdrawable(plan_item_ids)?;
        if plan_item_ids
            .iter()
            .any(|id| self.lots[id].source.customer_bin != ctx.actor.org)
        {
            return Err(refusal::foreign_organization());
        }
        non_empty("reason", &reason)?;
        document.validate()?;
        let refused = AnnouncementEvent::ProcurementRefused(ProcurementRefused {
            plan_item_ids,
            reason,
            document,
            refused_at: ctx.now,
        });
        Ok(self.withdraw(refused, ctx.now))
    }

    /// Lots that can leave the procurement: from publication until a contract exists (L464,
    /// L3205), also while suspended; a contract in «Проект договора» must be deleted first
    /// (L598–600, L3341–3343).
    fn withdrawable(&self, plan_item_ids: Vec<PlanItemId>) -> Result<Vec<PlanItemId>, DomainError> {
        if matches!(
            self.status,
            Some(S::Draft | S::DraftDocumentationChange | S::DocumentationChanged | S::Cancelled)
                | None
        ) {
            return Err(refusal::wrong_status());
        }
        if plan_item_ids.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let plan_item_ids = dedup(plan_item_ids);
        for id in &plan_item_ids {
            if self.lot(id)?.is_cancelled() {
                return Err(refusal::lot_cancelled());
            }
            if self.lot_contracts.contains_key(id) {
                return Err(refusal::contract_draft_exists());
            }
        }
        Ok(plan_item_ids)
    }

    /// The withdrawal event and the results protocol it re-forms.
    fn withdraw(
        &self,
        withdrawal: AnnouncementEvent,
        now: DateTime<Utc>,
    ) -> Vec<AnnouncementEvent> {
        let mut after = self.clone();
        after.apply(&withdrawal);
        let mut events = vec![withdrawal];
        let all_withdrawn = after.active_lots().next().is_none();
        if self.status == Some(S::Completed) || all_withdrawn {
            // Re-formed with the reason; the previous version becomes «Не действительный»
            // (L588–590, L608–612, L3331–3333, L3369–3387).
            events.extend(after.automatic_results(&BTreeMap::new(), now));
        } else if self.status == Some(S::FormingResultsProtocol) {
            // Re-formed; the previous signatures no longer count (L3353–3367).
            let outcomes = after.compute_outcomes();
            events.push(AnnouncementEvent::ProtocolFormed(after.form_protocol(
                ProtocolKind::Results,
                false,
                now,
                Some(&outcomes),
            )));
        }
        events
    }

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
    /// allow the step is the wrong status.
    fn require_step(&self, step: Step) -> Result<(), DomainError> {
        match self.status {
            _ if self.allows(step) => Ok(()),
            Some(S::Suspended) => Err(refusal::suspended()),
            _ => Err(refusal::wrong_status()),
        }
    }

    /// Commission, tender documentation: only for a method with a commission.
    fn require_commission_method(&self) -> Result<(), DomainError> {
        if self.rules()?.commission().is_some() {
            Ok(())
        } else {
            Err(refusal::not_applicable_to_method())
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

    fn require_lot_editable(&self, id: &PlanItemId) -> Result<(), DomainError> {
        if self.frozen_lots.contains(id) {
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
        let application = self
            .applications
            .get(id)
            .ok_or_else(refusal::application_not_found)?;
        if application.supplier_bin != ctx.actor.org {
            return Err(refusal::not_own_application());
        }
        Ok(())
    }
}

fn require_reached(now: DateTime<Utc>, at: DateTime<Utc>) -> Result<(), DomainError> {
    if now < at {
        Err(refusal::too_early(at))
    } else {
        Ok(())
    }
}

fn dedup(ids: Vec<PlanItemId>) -> Vec<PlanItemId> {
    let mut seen = BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}

/// Frozen in the index-2 copy: method, subject type, disability attribute, names (L1798–1804).
fn frozen_header_fields_equal(a: &Header, b: &Header) -> bool {
    a.method == b.method
        && a.subject_type == b.subject_type
        && a.among_disabled_organizations == b.among_disabled_organizations
        && a.name_kk == b.name_kk
        && a.name_ru == b.name_ru
}

/// Dumping switches allowed in the copy (L1818–1852): without → with (work kind becomes «Работа
/// на разработку ТЭО/ПСД»), with + «Работа на разработку ТЭО/ПСД» → without; services may add
/// or remove «Инжиниринговая услуга».
fn copy_terms_change_allowed(old: Option<&LotTerms>, new: &LotTerms) -> Result<(), DomainError> {
    use WorkDumping::*;
    let Some(LotTerms::Work { dumping: old }) = old else {
        return Ok(());
    };
    let LotTerms::Work { dumping: new } = new else {
        return Ok(());
    };
    let allowed = match (old, new) {
        (WorkWithoutDumping, WorkWithoutDumping) => true,
        (
            WorkWithoutDumping,
            WorkWithDumping {
                kind, expertise, ..
            },
        ) => !expertise && *kind == Some(WorkKind::DevelopingFeasibilityOrDesign),
        (WorkWithDumping { kind, .. }, WorkWithoutDumping) => {
            *kind == Some(WorkKind::DevelopingFeasibilityOrDesign)
        }
        (WorkWithDumping { .. }, WorkWithDumping { .. }) => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(refusal::lot_change_not_allowed())
    }
}
