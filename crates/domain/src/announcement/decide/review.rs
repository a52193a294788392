//! The commission's review and its protocols (§6–§7).

use std::collections::BTreeSet;

use uuid::Uuid;

use super::{Decision, SUPPLEMENT_WORKING_DAYS};
use crate::actor::Context;
use crate::announcement::deadline::end_of_working_days;
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::application::ApplicationId;
use crate::ident::Iin;
use crate::lot::LotOutcome;
use crate::method::procedure::MethodProcedure;
use crate::method::{Reviewer, Step};
use crate::plan_item::PlanItemId;
use crate::protocol::{
    CommissionSigners, ListedSigners, ProtocolKind, Protocols, SignerPolicy, Signing, SoleSigner,
};
use crate::status::AdmissionDecision;
use crate::status::AnnouncementStatus as S;
use crate::voting::{CommissionMajority, LotVotingControl, Review, VotingRules};

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_review(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::CastVote {
                application_id,
                ballot,
            } => {
                self.require_step(Step::Review)?;
                self.voting_rules().validate_ballot(&ballot)?;
                let cast = self.voting().cast(
                    &self.review(),
                    (ctx.actor.iin, application_id),
                    ballot,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::VoteCast(cast)])
            }
            C::WithdrawVote { application_id } => {
                self.require_step(Step::Review)?;
                let withdrawn = self.voting().withdraw(ctx.actor.iin, application_id, now)?;
                Ok(vec![AnnouncementEvent::VoteWithdrawn(withdrawn)])
            }
            C::CompleteVoting => {
                self.require_step(Step::Review)?;
                self.require_secretary(ctx)?;
                let completed = self
                    .voting()
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
                // «Возобновить голосование» is the seed's first step of a results revision
                // (L10420–10436), but entering the revision already opened the voting
                // (L12775–12777): pressing it then changes nothing (docs/decisions/0604).
                if self.status == Some(S::ResultsRevision) && !self.voting().completed {
                    return Ok(Vec::new());
                }
                // The auction's admission protocol is formed while the status stays
                // «Рассмотрение заявок» (L5504–5506) and states the decisions: once it is formed,
                // reopened votes would no longer match it (docs/decisions/0714).
                if self.valid_protocol(ProtocolKind::Admission).is_some() {
                    return Err(refusal::protocol_already_formed());
                }
                let reopened = self.voting().reopen(now)?;
                Ok(vec![AnnouncementEvent::VotingReopened(reopened)])
            }
            C::FormPreliminaryAdmissionProtocol => {
                // Also re-formed in a ППД revision by notice (spec 000-D L12534–12540).
                self.require_step(Step::FormPreliminaryAdmissionProtocol)?;
                self.require_secretary(ctx)?;
                self.voting().require_completed()?;
                if !self.preliminary_admission_required() {
                    return Err(refusal::no_rejected_applications());
                }
                let formed =
                    self.form_protocol(ProtocolKind::PreliminaryAdmission, false, now, None);
                Ok(vec![AnnouncementEvent::ProtocolFormed(formed)])
            }
            C::FormAdmissionProtocol => {
                // P1: after the (re-)review is completed, with no ППД pending (L5504–5506).
                self.require_step(Step::FormAdmissionProtocol)?;
                self.require_secretary(ctx)?;
                self.voting().require_completed()?;
                if self.preliminary_admission_required() {
                    return Err(refusal::preliminary_admission_protocol_required());
                }
                let formed = self.form_protocol(ProtocolKind::Admission, false, now, None);
                Ok(vec![AnnouncementEvent::ProtocolFormed(formed)])
            }
            C::DeleteResultsProtocol => {
                self.require_secretary(ctx)?;
                let protocol = self.protocols.deletable(ProtocolKind::Results)?;
                // A revision's protocol, where the seed allows it in «Пересмотр итогов»; or one
                // formed from results entered by hand, before its publication (spec 000-C B10).
                self.require_step(Step::DeleteResultsProtocol)?;
                if !self.revising_results()
                    && self.reviewer() != Reviewer::EnteredByHand
                    && !self.rules()?.protocol_deletable_before_publication()
                {
                    return Err(refusal::wrong_status());
                }
                Ok(vec![AnnouncementEvent::ProtocolDeleted(Protocols::delete(
                    protocol, now,
                ))])
            }
            C::FormResultsProtocol => self.form_results_protocol(ctx),
            C::SignProtocol {
                kind,
                version,
                signer_iin,
                content_sha256,
                dissent,
                proof,
            } => {
                if signer_iin != ctx.actor.iin {
                    return Err(refusal::signer_mismatch());
                }
                let proof = proof.ok_or_else(refusal::signature_required)?;
                let signing = Signing {
                    kind,
                    version,
                    signer_iin,
                    content_sha256,
                    dissent,
                    proof,
                };
                let policy = self.signer_policy(kind);
                let signed =
                    self.protocols
                        .sign(signing, policy.as_ref(), self.signing_open(kind), now)?;
                let signed = AnnouncementEvent::ProtocolSigned(signed);
                if kind == ProtocolKind::Discussion && self.discussion_published_on_signing() {
                    return self.publish_on_last_signature(signed, ctx);
                }
                Ok(vec![signed])
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
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    fn form_results_protocol(&self, ctx: &Context) -> Decision {
        let now = ctx.now;
        self.require_step(Step::FormResultsProtocol)?;
        self.require_secretary(ctx)?;
        // The representative reviewing alone has no completion of his own: his decisions on
        // every application are final when the protocol is formed (spec 000-B H9–H11,
        // L6312–6350; docs/decisions/0745).
        if self.reviewer() == Reviewer::EnteredByHand {
            return self.form_entered_results_protocol(now);
        }
        let mut events = Vec::new();
        let mut after = self.clone();
        // So too the ИОИ's representative: his vote on every lot completes the review and the
        // results protocol follows it in one step (P1, L7746–7766).
        let completes_alone = self.reviewer() == Reviewer::OrganizerRepresentative
            || self.rules()?.voting_completed_by_results_protocol();
        if completes_alone && !self.voting().completed {
            let completed = self
                .voting()
                .complete(&self.review(), self.voting_rules(), now)?;
            events.push(AnnouncementEvent::VotingCompleted(completed));
            after.apply(&events[0]);
        }
        after.voting().require_completed()?;
        after.require_qualification_info_filled()?;
        if after.preliminary_admission_required() {
            return Err(refusal::preliminary_admission_protocol_required());
        }
        if after.discount_lots().next().is_some() && !after.discounts().is_some_and(|d| d.completed)
        {
            return Err(refusal::conditional_discounts_not_completed());
        }
        events.push(AnnouncementEvent::ProtocolFormed(
            after.results_protocol(now),
        ));
        Ok(events)
    }

    /// B8: the protocol of the results entered by hand.
    fn form_entered_results_protocol(&self, now: chrono::DateTime<chrono::Utc>) -> Decision {
        if self.procedure.entered_results().is_none() {
            return Err(refusal::results_data_missing());
        }
        Ok(vec![AnnouncementEvent::ProtocolFormed(
            self.results_protocol(now),
        )])
    }

    /// The facts the commission's review decides on.
    pub fn review(&self) -> Review<'_> {
        Review {
            commission: self.procedure.review_panel(),
            applications: &self.offers.applications,
            lots: &self.lots,
        }
    }

    /// What the review counts.
    pub(in crate::announcement) fn voting_rules(&self) -> &'static dyn VotingRules {
        // A method without a commission has no votes: any rules read none.
        self.method()
            .and_then(|m| m.rules().commission())
            .unwrap_or(&CommissionMajority)
    }

    /// The lots of an application under review in the current round (§7.5).
    pub fn review_lots(&self, application_id: &ApplicationId) -> BTreeSet<PlanItemId> {
        self.voting().review_lots(&self.review(), application_id)
    }

    /// «Контроль голосования» (L2351–2365).
    pub fn voting_control(&self) -> Vec<LotVotingControl> {
        self.voting().control(&self.review(), self.voting_rules())
    }

    /// A member's status on an application × lot as the secretary sees it (L2367–2419).
    pub fn member_decision(
        &self,
        member: &Iin,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> AdmissionDecision {
        self.voting()
            .member_decision(self.voting_rules(), member, application_id, lot)
    }

    /// A ППД is needed only when someone may still supplement (spec §7.4, L2493–2503).
    pub fn preliminary_admission_required(&self) -> bool {
        self.method_has(Step::FormPreliminaryAdmissionProtocol)
            && self.voting().preliminary_admission_required(&self.lots)
    }

    /// Whether the phase takes signatures of a protocol kind.
    pub(in crate::announcement) fn signing_open(&self, kind: ProtocolKind) -> bool {
        self.allows(Step::SignProtocol(kind))
    }

    /// The kind's signers: the discussion's listed signers, or the commission.
    pub(in crate::announcement) fn signer_policy(
        &self,
        kind: ProtocolKind,
    ) -> Box<dyn SignerPolicy + '_> {
        match kind {
            ProtocolKind::Discussion => {
                Box::new(ListedSigners(self.discussion_signers().unwrap_or_default()))
            }
            // The single source's results: its representative alone signs (L7774–7780).
            ProtocolKind::Results if matches!(self.procedure, MethodProcedure::SingleSource(_)) => {
                let signer = self.commission().map(|c| std::slice::from_ref(&c.chairman));
                Box::new(ListedSigners(signer.unwrap_or_default()))
            }
            // The creator alone signs the results entered by hand (spec 000-C B9).
            ProtocolKind::Results if self.reviewer() == Reviewer::EnteredByHand => {
                Box::new(SoleSigner(self.creator_iin))
            }
            // The representative reviewing alone signs alone (spec 000-B H12, L6358–6364).
            ProtocolKind::Results if self.reviewer() == Reviewer::OrganizerRepresentative => {
                let panel = self.procedure.review_panel();
                Box::new(ListedSigners(
                    panel.map_or(&[], |p| std::slice::from_ref(&p.chairman)),
                ))
            }
            ProtocolKind::PreliminaryAdmission
            | ProtocolKind::Results
            | ProtocolKind::Admission => Box::new(CommissionSigners {
                commission: self.commission(),
                excluded: &self.voting().excluded_voters,
            }),
        }
    }

    /// The discussion protocol of a documentation change by camera control is published by the
    /// system once its last signer signed (000-D S13, L12033–12047; S17, L12251–12268;
    /// docs/decisions/0606).
    fn publish_on_last_signature(&self, signed: AnnouncementEvent, ctx: &Context) -> Decision {
        let mut after = self.clone();
        after.apply(&signed);
        let mut events = vec![signed];
        let kind = ProtocolKind::Discussion;
        let complete = after
            .valid_protocol(kind)
            .is_some_and(|p| after.signer_policy(kind).complete(p).is_ok());
        if complete {
            events.extend(after.publish_protocol_now(kind, ctx)?);
        }
        Ok(events)
    }

    pub(in crate::announcement) fn publish_protocol(
        &self,
        kind: ProtocolKind,
        ctx: &Context,
    ) -> Decision {
        self.require_secretary(ctx)?;
        // Where the system publishes on the last signature, the secretary meets
        // `signatures_missing` before it and `protocol_already_published` after it.
        self.publish_protocol_now(kind, ctx)
    }

    /// The publication and what follows it, once the caller checked who publishes.
    fn publish_protocol_now(&self, kind: ProtocolKind, ctx: &Context) -> Decision {
        let now = ctx.now;
        let policy = self.signer_policy(kind);
        let (protocol, published) =
            self.protocols
                .publish(kind, policy.as_ref(), self.signing_open(kind), now)?;
        let published = AnnouncementEvent::ProtocolPublished(published);
        match kind {
            ProtocolKind::Discussion if self.acceptance_end_required() => {
                let mut events = vec![published];
                events.extend(self.start_acceptance_on_publication(ctx)?);
                Ok(events)
            }
            ProtocolKind::Discussion => {
                let mut events = vec![published];
                let amend = self.discussion_requests().values().any(|r| {
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
            // P4: the appendix with the auction's time frame is published with it (L5540–5564);
            // with nobody admitted there is no auction: the procurement fails at once
            // («нет допущенных заявок», L7478–7482; docs/decisions/0716).
            ProtocolKind::Admission => {
                let mut after = self.clone();
                after.apply(&published);
                let mut events = vec![published];
                match after.auction_without_participants() {
                    Some(outcomes) => events.extend(after.complete_automatically(outcomes, now)),
                    None => events.push(AnnouncementEvent::AuctionScheduled(
                        AuctionScheduled::on_publication(ctx)?,
                    )),
                }
                Ok(events)
            }
            ProtocolKind::Results => {
                let outcomes = protocol
                    .content
                    .lots
                    .iter()
                    .map(|l| {
                        let outcome = l.outcome.clone();
                        let outcome = outcome.unwrap_or(LotOutcome::Failed { reason: None });
                        self.outcome_record(l.plan_item_id.clone(), outcome)
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
}
