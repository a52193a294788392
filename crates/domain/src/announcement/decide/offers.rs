//! Acceptance, applications and price offers, supplements (§4.3, §7.5).

use std::collections::BTreeSet;

use uuid::Uuid;

use super::{Decision, dedup, require_reached};
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::application::{ApplicationId, LotOffer};
use crate::camera_control::Direction;
use crate::method::Step;
use crate::status::AdmissionDecision;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_offers(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
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
                    .camera_control
                    .holding(Direction::Third)
                    .map(|n| n.id.0)
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
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    pub(in crate::announcement) fn end_acceptance(&self, ctx: &Context) -> Decision {
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

    pub(in crate::announcement) fn submit_application(
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
}
