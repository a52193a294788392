//! The fold, part by part: `Announcement::apply` routes each event here, and each part hands
//! what a component owns to it (`Protocols`, `Voting`, `CameraControl`).

use super::documents::ChangedRepresentatives;
use super::event::RepresentativesChanged;
use super::{Announcement, AnnouncementEvent, Window};
use crate::commission::Person;
use crate::lot::LotOutcome;
use crate::method::{Reviewer, Step};
use crate::protocol::ProtocolKind;
use crate::status::AnnouncementStatus;
use crate::voting::Voting;

impl Announcement {
    /// The method's status while its results protocol is formed.
    fn results_protocol_status(&self) -> AnnouncementStatus {
        self.method()
            .map_or(AnnouncementStatus::FormingResultsProtocol, |m| {
                m.rules().results_protocol_status()
            })
    }

    fn method_status_after_voting(&self, any_admitted: bool) -> Option<AnnouncementStatus> {
        self.method()?.rules().status_after_voting(any_admitted)
    }

    /// Folds a fact of the commission's review; a method without a commission has none.
    fn review_mut(&mut self, fold: impl FnOnce(&mut Voting)) {
        if let Some(voting) = self.procedure.voting_mut() {
            fold(voting);
        }
    }

    /// The draft, its lots and its publication.
    pub(super) fn apply_drafting(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::AnnouncementDrafted(e) => {
                self.id = Some(e.announcement_id);
                self.number = e.number.clone();
                self.index = 1;
                self.header = Some(e.header.clone());
                self.organizer_bin = Some(e.organizer_bin);
                self.creator_iin = Some(e.creator_iin);
                self.procedure = e.header.method.rules().procedure();
                self.status = Some(AnnouncementStatus::Draft);
            }
            E::AnnouncementCopyCreated(e) => {
                self.id = Some(e.announcement_id);
                self.number = e.number.clone();
                self.index = e.index;
                self.source_announcement_id = Some(e.source_announcement_id);
                self.header = Some(e.header.clone());
                self.organizer_bin = Some(e.organizer_bin);
                self.creator_iin = Some(e.creator_iin);
                self.lots = e
                    .lots
                    .iter()
                    .map(|l| (l.plan_item_id().clone(), l.clone()))
                    .collect();
                self.plan_lots.copied(&e.lots);
                self.representatives = e.representatives.clone();
                self.procedure = e.header.method.rules().procedure();
                self.name_organizer_representative();
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts.commission = e.commission.clone();
                    parts.tender_documentation = e.tender_documentation.clone();
                }
                self.contract_draft = e.contract_draft.clone();
                self.acceptance = e.acceptance_end.map(|end| Window {
                    start: e.created_at,
                    end,
                });
                self.status = Some(AnnouncementStatus::DraftDocumentationChange);
            }
            E::AnnouncementHeaderUpdated(e) => {
                // A draft changes its method only with no lots (L734–1525): the parts reset.
                if self.method() != Some(e.header.method) {
                    self.procedure = e.header.method.rules().procedure();
                }
                self.header = Some(e.header.clone());
                self.name_organizer_representative();
            }
            E::LotsAdded(e) => self.plan_lots.added(&mut self.lots, e),
            E::LotsRemoved(e) => self.plan_lots.removed(&mut self.lots, e),
            E::LotTermsSet(e) => self.plan_lots.terms_set(&mut self.lots, e),
            E::TechnicalSpecificationAttached(e) => {
                self.plan_lots.specification_attached(&mut self.lots, e)
            }
            E::TechnicalSpecificationRemoved(e) => {
                self.plan_lots.specification_removed(&mut self.lots, e)
            }
            E::RepresentativesSet(e) => {
                self.representatives = Some(e.representatives.clone());
                self.name_organizer_representative();
            }
            E::CommissionSet(e) => {
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts.commission = Some(e.commission.clone());
                }
            }
            E::TenderDocumentationSigned(e) => {
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts.tender_documentation = Some(e.documentation.clone());
                }
            }
            E::ContractDraftApproved(e) => self.contract_draft = Some(e.contract_draft.clone()),
            E::ContractDraftRevoked(_) => self.contract_draft = None,
            E::SingleSourceCreated(e) => {
                self.apply_drafting(&E::AnnouncementDrafted(e.drafted.clone()));
                // The failed ЗЦП's creator is the organizer's representative (L6910–6916) until
                // the creator names another (L6940–6942).
                let creator = Person {
                    iin: e.drafted.creator_iin,
                    full_name: String::new(),
                };
                if let Some(parts) = self.procedure.single_source_mut() {
                    parts.failed_announcement_id = Some(e.failed_announcement_id);
                    parts.representative_named(&creator);
                }
            }
            E::SingleSourceStarted(e) => {
                self.single_sources
                    .insert(e.supplier_bin, e.single_source_announcement_id);
            }
            E::SingleSourceTermsSet(e) => {
                if let Some(parts) = self.procedure.single_source_mut() {
                    parts.terms = Some(e.terms.clone());
                }
            }
            E::LotRefreshedFromPlan(e) => {
                self.plan_lots.refreshed(&mut self.lots, e);
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts.tender_documentation = None;
                }
                self.contract_draft = None;
            }
            E::AcceptanceDatesSet(e) => {
                self.acceptance = Some(Window {
                    start: e.start,
                    end: e.end,
                })
            }
            E::AnnouncementPublished(e) => {
                self.published_at = Some(e.published_at);
                self.acceptance = Some(Window {
                    start: e.acceptance_start,
                    end: e.acceptance_end,
                });
                if let Some(discussion) = self.procedure.discussion_mut() {
                    discussion.end = e.discussion_end;
                }
                self.status = Some(AnnouncementStatus::Published);
                self.plan_lots.plan_changed = false;
            }
            E::DraftDeleted(_) => self.deleted = true,
            _ => unreachable!("apply routes only these events here"),
        }
    }

    /// The discussion of the documentation and its outcome.
    pub(super) fn apply_discussion(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        let discussion = self.procedure.discussion_mut();
        match event {
            E::DiscussionRequestSubmitted(e) => discussion.into_iter().for_each(|d| d.submitted(e)),
            E::DiscussionRequestAnswered(e) => discussion.into_iter().for_each(|d| d.answered(e)),
            E::DiscussionAnswerEdited(e) => discussion.into_iter().for_each(|d| d.edited(e)),
            E::DiscussionEnded(_) => discussion.into_iter().for_each(|d| d.ended = true),
            E::DiscussionCompleted(e) => discussion.into_iter().for_each(|d| d.completed(e)),
            E::AcceptanceEndEntered(e) => discussion
                .into_iter()
                .for_each(|d| d.acceptance_end_entered(e)),
            E::AcceptanceRescheduled(e) => {
                self.acceptance = Some(Window {
                    start: e.start,
                    end: e.end,
                })
            }
            E::DocumentationChangeDecided(e) => {
                self.copy_announcement_id = Some(e.copy_announcement_id);
                self.status = Some(AnnouncementStatus::DocumentationChanged);
            }
            _ => unreachable!("apply routes only these events here"),
        }
    }

    /// Acceptance, applications and supplements.
    pub(super) fn apply_offers(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::AcceptanceStarted(_) => {
                self.acceptance_started = true;
                self.status = self.method().map(|m| m.rules().accepting());
            }
            E::ApplicationSubmitted(e) => self.offers.submitted(e),
            E::ApplicationWithdrawn(e) => self.offers.withdrawn(e),
            // A procurement run off the portal waits for its results (spec 000-C B5, L8997–9001).
            E::AcceptanceEnded(_) if self.reviewer() == Reviewer::EnteredByHand => {
                self.status = Some(AnnouncementStatus::FormingResultsProtocol);
            }
            E::AcceptanceEnded(_) => {}
            E::ParticipationRefused(e) => {
                if let Some(parts) = self.procedure.single_source_mut() {
                    parts.refused = Some(e.clone());
                }
            }
            // ЗЦП opens and compares automatically: no review by a commission (L434–448).
            E::ApplicationsOpened(_) if self.reviewer() == Reviewer::Automatic => {}
            E::ApplicationsOpened(_) => {
                self.review_mut(Voting::opened);
                self.status = Some(AnnouncementStatus::ReviewingApplications);
            }
            E::SupplementPeriodStarted(e) => {
                self.offers.supplement_started(e);
                self.status = Some(AnnouncementStatus::PublishedSupplementingApplications);
            }
            E::ApplicationSupplemented(e) => self.offers.supplemented(e),
            E::SupplementPeriodEnded(_) => {
                self.review_mut(Voting::supplements_round);
                self.status = Some(AnnouncementStatus::ReviewingSupplements);
            }
            E::PpdRevisionDecisionRequired(_) => {
                self.status = Some(AnnouncementStatus::DecidingPpdRevision)
            }
            E::PpdRevisionDeclined(_) => {
                let supplemented = self.offers.any_supplemented();
                let skipped = self
                    .method()
                    .and_then(|m| m.rules().without_supplements())
                    .filter(|_| !supplemented);
                // Nothing to re-review: the first review's decisions stand (S21a, L12560–12574).
                if skipped.is_some() {
                    self.review_mut(Voting::supplements_skipped);
                }
                self.status = Some(skipped.unwrap_or(AnnouncementStatus::ReviewingSupplements));
            }
            _ => unreachable!("apply routes only these events here"),
        }
    }

    /// The commission's review, the protocols, the discounts and the outcome.
    pub(super) fn apply_review(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::VoteCast(e) => self.review_mut(|v| v.vote_cast(e)),
            E::VoteWithdrawn(e) => self.review_mut(|v| v.vote_withdrawn(e)),
            E::VotingCompleted(e) => {
                self.review_mut(|v| v.voting_completed(e));
                let admitted = e
                    .decisions
                    .iter()
                    .any(|d| d.decision == crate::status::AdmissionDecision::Admitted);
                if let Some(status) = self.method_status_after_voting(admitted) {
                    self.status = Some(status);
                }
            }
            E::VotingReopened(e) => {
                self.review_mut(|v| v.reopened(e));
                // Q7: the resumed voting goes back to the review (spec 000-C §4.9).
                if self.status == Some(AnnouncementStatus::FillingQualificationInfo) {
                    self.status = Some(AnnouncementStatus::ReviewingApplications);
                }
            }
            E::ProtocolFormed(e) => {
                self.protocols.formed(e);
                match e.content.kind {
                    ProtocolKind::PreliminaryAdmission => {
                        self.status = Some(AnnouncementStatus::FormingPreliminaryAdmissionProtocol);
                    }
                    ProtocolKind::Results if !e.automatic => {
                        self.status = Some(self.results_protocol_status());
                    }
                    ProtocolKind::Results | ProtocolKind::Discussion | ProtocolKind::Admission => {}
                }
            }
            E::ProtocolDeleted(e) => {
                self.protocols.deleted(e);
                if e.kind == ProtocolKind::Results
                    && self.status == Some(self.results_protocol_status())
                {
                    let revision = self
                        .protocol_versions(ProtocolKind::Results)
                        .any(|p| p.published_at.is_some());
                    // A revision's results protocol deleted: back to «Пересмотр итогов», to vote
                    // again or change the discounts (L10500–10506); a first one (the housing
                    // representative replaced): back to the review (spec 000-B L6820–6830).
                    // Without a review, back to entering the results (spec 000-C B10).
                    // The qualification selection's: back to filling the data with a supplier
                    // admitted, else to the review (spec 000-C Q12, L10298–10304).
                    let admitted = self.admitted_applications().next().is_some();
                    let after_voting = self.method_status_after_voting(admitted);
                    self.status = Some(if revision {
                        AnnouncementStatus::ResultsRevision
                    } else if let Some(status) = after_voting {
                        status
                    } else if self.method_has(Step::Review) {
                        AnnouncementStatus::ReviewingApplications
                    } else {
                        AnnouncementStatus::FormingResultsProtocol
                    });
                }
            }
            E::ProtocolSigned(e) => self.protocols.signed(e),
            E::SignatureAbsenceRecorded(e) => self.protocols.absence_recorded(e),
            E::ExpertOpinionAttached(e) => self.protocols.expert_opinion_attached(e),
            E::ProtocolPublished(e) => self.protocols.published(e),
            E::CommissionQueryRecorded(e) => {
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts.commission_queries.push(e.query.clone());
                }
            }
            E::ConditionalDiscountsFilled(e) => {
                if let Some(discounts) = self.procedure.discounts_mut() {
                    discounts.filled(e);
                }
            }
            E::ConditionalDiscountsCompleted(_) => {
                if let Some(discounts) = self.procedure.discounts_mut() {
                    discounts.completed();
                }
            }
            E::AuctionScheduled(e) => {
                if let Some(auction) = self.procedure.auction_mut() {
                    auction.schedule = Some(e.clone());
                }
                self.status = Some(AnnouncementStatus::PublishedAwaitingAuction);
            }
            E::AuctionStarted(e) => {
                if let Some(auction) = self.procedure.auction_mut() {
                    auction.started_at = Some(e.started_at);
                }
                self.status = Some(AnnouncementStatus::PublishedAuctionInProgress);
            }
            E::AuctionResultRecorded(e) => {
                if let Some(auction) = self.procedure.auction_mut() {
                    auction.result = Some(e.clone());
                }
            }
            E::ProcurementCompleted(e) => {
                for record in &e.outcomes {
                    if let Some(lot) = self.lots.get_mut(&record.plan_item_id) {
                        lot.outcome = Some(record.outcome.clone());
                    }
                }
                self.status = Some(AnnouncementStatus::Completed);
            }
            _ => unreachable!("apply routes only these events here"),
        }
    }

    /// Acts, withdrawals, changes of people and the contracts.
    pub(super) fn apply_acts(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::ProcurementSuspended(e) => {
                self.status_before_suspension = self.status;
                self.status = Some(AnnouncementStatus::Suspended);
                self.acts.suspended(e);
            }
            E::ProcurementResumed(e) => {
                self.status = self.status_before_suspension.take().or(self.status);
                self.acts.resumed(e);
            }
            E::LotsCancelled(e) => {
                for id in &e.plan_item_ids {
                    if let Some(lot) = self.lots.get_mut(id) {
                        lot.cancellation = Some(crate::lot::LotCancellation {
                            act: e.act.clone(),
                            cancelled_at: e.cancelled_at,
                        });
                        if lot.outcome.is_some() {
                            lot.outcome = Some(LotOutcome::Cancelled);
                        }
                    }
                }
                self.close_if_all_withdrawn();
                self.acts.cancelled(e);
            }
            E::ProcurementRefused(e) => {
                for id in &e.plan_item_ids {
                    if let Some(lot) = self.lots.get_mut(id) {
                        lot.refusal = Some(crate::lot::CustomerRefusal {
                            reason: e.reason.clone(),
                            document: e.document.clone(),
                            refused_at: e.refused_at,
                        });
                        if lot.outcome.is_some() {
                            lot.outcome = Some(LotOutcome::Cancelled);
                        }
                    }
                }
                self.close_if_all_withdrawn();
            }
            E::CommissionChanged(e) => {
                if let Some(parts) = self.procedure.open_tender_mut() {
                    parts
                        .voting
                        .commission_changed(parts.commission.as_ref(), &e.commission);
                    parts.commission = Some(e.commission.clone());
                }
            }
            E::CreatorChanged(e) => self.creator_iin = Some(e.new_creator_iin),
            E::RepresentativesChanged(e) => {
                self.procedure
                    .organizer_representative_changed(&e.organizer_representative);
                self.representatives_changed(e);
            }
            E::LotContractDrafted(e) => {
                self.lot_contracts
                    .insert(e.plan_item_id.clone(), e.contract_id);
            }
            E::LotContractDeleted(e) => {
                self.lot_contracts.remove(&e.plan_item_id);
            }
            E::ContractEvasionRecorded(e) => {
                self.contract_evasions
                    .insert(e.plan_item_id.clone(), e.clone());
            }
            _ => unreachable!("apply routes only these events here"),
        }
    }

    /// The draft's representatives as changed, or named by the change on a ЗЦП published
    /// without them (decision 0602).
    fn representatives_changed(&mut self, e: &RepresentativesChanged) {
        match &mut self.representatives {
            Some(r) => {
                r.organizer_representative = e.organizer_representative.clone();
                r.customer_representative = e.customer_representative.clone();
            }
            // A ЗЦП published without them: the change names them (decision 0602).
            None => {
                self.changed_representatives = Some(ChangedRepresentatives {
                    organizer_representative: e.organizer_representative.clone(),
                    customer_representative: e.customer_representative.clone(),
                })
            }
        }
    }

    /// The method's reviewer follows the organizer's representative named in the draft.
    fn name_organizer_representative(&mut self) {
        if let Some((organizer, _)) = self.representative_persons() {
            let organizer = organizer.clone();
            self.procedure.organizer_representative_named(&organizer);
        }
    }
}
