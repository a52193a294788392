//! Commission queries, conditional discounts and the outcome (§7.6–§8).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Decision;
use crate::actor::Context;
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::application::ApplicationId;
use crate::commission::QueryRecipient;
use crate::discounts::Discounts;
use crate::error::DomainError;
use crate::lot::{FailureReason, LotOutcome};
use crate::method::{Method, Step};
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::protocol::{
    ProtocolApplication, ProtocolBidding, ProtocolContent, ProtocolKind, ProtocolLot, Protocols,
};
use crate::status::AnnouncementStatus as S;
use crate::status::{AdmissionDecision, LotInApplication};

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_results(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::RecordCommissionQuery { query } => {
                self.require_secretary(ctx)?;
                // Only after a published ППД and supplemented applications (L2943–2945).
                self.require_step(Step::CommissionQuery)?;
                if self.method_has(Step::Supplements) && !self.offers.any_supplemented() {
                    return Err(refusal::no_supplemented_applications());
                }
                self.lot(&query.plan_item_id)?;
                if let QueryRecipient::Supplier { application_id } = &query.recipient
                    && !self
                        .offers
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
                let required = self.discount_lots().any(|l| l == &plan_item_id);
                let expected = self.applications_on(&plan_item_id).map(|a| a.id).collect();
                let subject = self.header()?.subject_type;
                let filled = self.open_discounts()?.fill(
                    (plan_item_id, required),
                    expected,
                    entries,
                    subject,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::ConditionalDiscountsFilled(filled)])
            }
            C::CompleteConditionalDiscounts => {
                self.require_discounts_open(ctx)?;
                let completed = self.open_discounts()?.complete(self.discount_lots(), now)?;
                Ok(vec![AnnouncementEvent::ConditionalDiscountsCompleted(
                    completed,
                )])
            }
            // B6–B7: by the creator, until the protocol is formed (delete it to edit again).
            C::EnterResultsData { results } => {
                self.require_step(Step::EnterResults)?;
                self.require_secretary(ctx)?;
                if self.valid_protocol(ProtocolKind::Results).is_some() {
                    return Err(refusal::protocol_already_formed());
                }
                results.validate()?;
                Ok(vec![AnnouncementEvent::ResultsDataEntered(
                    ResultsDataEntered {
                        results,
                        entered_at: now,
                    },
                )])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// The discounts, once the guard let a discounts step through: a method without them
    /// never gets here.
    fn open_discounts(&self) -> Result<&Discounts, DomainError> {
        self.discounts().ok_or_else(refusal::wrong_status)
    }

    pub(in crate::announcement) fn require_discounts_open(
        &self,
        ctx: &Context,
    ) -> Result<(), DomainError> {
        self.require_step(Step::ConditionalDiscounts)?;
        self.require_secretary(ctx)?;
        self.voting().require_completed()?;
        if self.preliminary_admission_required() {
            return Err(refusal::preliminary_admission_protocol_required());
        }
        if self.discounts().is_some_and(|d| d.completed) {
            return Err(refusal::discounts_already_completed());
        }
        Ok(())
    }

    /// Winner per lot: among admitted applications (every offer for ЗЦП), the lowest
    /// conditional price wins; equal prices go to the earlier application
    /// (docs/decisions/0202-conditional-discounts.md). The method says when a lot fails
    /// instead, and why (`MethodRules::fails`, docs/decisions/0601).
    pub fn compute_outcomes(&self) -> BTreeMap<PlanItemId, LotOutcome> {
        let rules = self.method().map(Method::rules);
        self.lots
            .values()
            .map(|lot| {
                let id = lot.plan_item_id();
                if lot.is_cancelled() {
                    return (id.clone(), LotOutcome::Cancelled);
                }
                let submitted = self.applications_on(id).count();
                let ranking = self.ranking(id);
                let failure = rules
                    .and_then(|m| m.fails(submitted, ranking.len()))
                    .map(LotOutcome::failed);
                let outcome = match (failure, ranking.first()) {
                    (Some(failed), _) => failed,
                    (None, Some(winner)) => LotOutcome::Held { winner: *winner },
                    (None, None) => LotOutcome::failed(FailureReason::NoAdmitted),
                };
                (id.clone(), outcome)
            })
            .collect()
    }

    /// The results protocol formed by hand on this fold, with the lots' outcomes: computed, or
    /// the ones entered for a procurement run off the portal (spec 000-C §6.3).
    pub(in crate::announcement) fn results_protocol(&self, now: DateTime<Utc>) -> ProtocolFormed {
        let entered = self
            .procedure
            .entered_results()
            .zip(self.id)
            .map(|(results, id)| {
                results.outcomes(id, self.active_lots().map(|l| l.plan_item_id()))
            });
        let outcomes = entered.unwrap_or_else(|| self.compute_outcomes());
        self.form_protocol(ProtocolKind::Results, false, now, Some(&outcomes))
    }

    /// The applications competing for a lot, best first: the lowest conditional price, equal
    /// prices to the earlier application. The first wins; the next is «Второй победитель»
    /// (spec 000-B L6390–6392, docs/decisions/0747).
    pub fn ranking(&self, lot: &PlanItemId) -> Vec<ApplicationId> {
        let rules = self.method().map(Method::rules);
        let mut competing: Vec<_> = self
            .applications_on(lot)
            .filter(|a| {
                rules.is_some_and(|m| m.competes(self.voting().decisions.get(&(a.id, lot.clone()))))
            })
            // Competing offers always carry a price for their lot.
            .filter_map(|a| Some((self.conditional_price_of(&a.id, lot)?, a.submitted_at, a.id)))
            .collect();
        competing.sort();
        competing.into_iter().map(|(_, _, id)| id).collect()
    }

    /// «Статус лота в заявке» once the lot has its outcome: «Победитель», «Второй
    /// победитель», «Допущен» or «Отклонен» (spec 000-B H13, L6390–6392).
    pub fn lot_in_application(
        &self,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> Option<LotInApplication> {
        let outcome = self.lots.get(lot)?.outcome.as_ref()?;
        self.offers
            .applications
            .get(application_id)?
            .price_for(lot)?;
        if matches!(outcome, LotOutcome::Held { winner } if winner == application_id) {
            return Some(LotInApplication::Winner);
        }
        let ranking = self.ranking(lot);
        if !outcome.is_failed() && ranking.get(1) == Some(application_id) {
            return Some(LotInApplication::SecondWinner);
        }
        match self.voting().decisions.get(&(*application_id, lot.clone())) {
            Some(AdmissionDecision::Admitted) => Some(LotInApplication::Admitted),
            Some(AdmissionDecision::Rejected | AdmissionDecision::RejectedNoResubmission) => {
                Some(LotInApplication::Rejected)
            }
            _ => None,
        }
    }

    pub(in crate::announcement) fn conditional_price_of(
        &self,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> Option<Money> {
        let price = *self
            .offers
            .applications
            .get(application_id)?
            .price_for(lot)?;
        Some(
            self.discounts()
                .map_or(price, |d| d.conditional_price(lot, application_id, price)),
        )
    }

    pub(in crate::announcement) fn automatic_results(
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

    /// The automatic results protocol and the completion with these outcomes: how a procurement
    /// ends when no commission forms its results protocol (ЗЦП, no applications, the auction).
    pub(in crate::announcement) fn complete_automatically(
        &self,
        outcomes: BTreeMap<PlanItemId, LotOutcome>,
        now: DateTime<Utc>,
    ) -> Vec<AnnouncementEvent> {
        let mut events = self.automatic_results(&outcomes, now);
        events.push(AnnouncementEvent::ProcurementCompleted(
            ProcurementCompleted {
                outcomes: outcomes
                    .into_iter()
                    .map(|(plan_item_id, outcome)| self.outcome_record(plan_item_id, outcome))
                    .collect(),
                completed_at: now,
            },
        ));
        events
    }

    /// An auction's recorded bidding, as its results protocol states it.
    fn auction_bidding(&self) -> Option<ProtocolBidding> {
        let result = self.procedure.auction()?.result.as_ref()?;
        let winner = result.winner.as_ref();
        Some(ProtocolBidding {
            round_end: result.round_end,
            offers: result.offers,
            winner_application_id: winner.map(|w| w.application_id),
            winner_bin: winner.map(|w| w.supplier_bin),
            winning_price: winner.map(|w| w.price),
        })
    }

    pub(in crate::announcement) fn form_protocol(
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
                let discounts = self.discounts().and_then(|d| d.on_lot(id));
                let applications = self
                    .applications_on(id)
                    .map(|a| ProtocolApplication {
                        application_id: a.id,
                        supplier_bin: a.supplier_bin,
                        price: *a
                            .price_for(id)
                            .expect("applications_on yields applications with an offer"),
                        decision: self.voting().decisions.get(&(a.id, id.clone())).copied(),
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
            ProtocolKind::Discussion => self.discussion_requests().values().cloned().collect(),
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
            bidding: match kind {
                ProtocolKind::Results => self.auction_bidding(),
                _ => None,
            },
            entered_results: match kind {
                ProtocolKind::Results => self.procedure.entered_results().cloned(),
                _ => None,
            },
        };
        self.protocols.form(automatic, content)
    }
}
