//! Acceptance, applications and price offers, supplements (§4.3, §7.5).

use uuid::Uuid;

use super::{Decision, require_reached};
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::application::{ApplicationId, LotOffer};
use crate::bidding::AuctionBiddingEnded;
use crate::camera_control::Direction;
use crate::method::{Reviewer, Step};
use crate::protocol::ProtocolKind;

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
            C::CompleteAuction { ended } => self.complete_auction(&ended, ctx),
            C::StartAuction => {
                self.require_system(ctx)?;
                self.require_step(Step::StartAuction)?;
                let schedule = self
                    .procedure
                    .auction()
                    .and_then(|a| a.schedule.as_ref())
                    .ok_or_else(refusal::admission_protocol_not_published)?;
                require_reached(now, schedule.start)?;
                Ok(vec![AnnouncementEvent::AuctionStarted(AuctionStarted {
                    started_at: now,
                })])
            }
            C::EndSupplementPeriod => {
                self.require_system(ctx)?;
                self.require_step(Step::Supplements)?;
                let supplement = self.offers.supplement.ok_or_else(refusal::wrong_status)?;
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
                let withdrawn =
                    self.offers
                        .withdraw(application_id, self.acceptance_window()?.end, now)?;
                Ok(vec![AnnouncementEvent::ApplicationWithdrawn(withdrawn)])
            }
            C::SupplementApplication {
                application_id,
                plan_item_ids,
                documents,
            } => {
                self.require_role(ctx, Role::Supplier)?;
                self.require_step(Step::Supplements)?;
                self.require_own_application(&application_id, ctx)?;
                let supplemented = self.offers.supplement(
                    application_id,
                    plan_item_ids,
                    documents,
                    &self.lots,
                    &self.voting().decisions,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::ApplicationSupplemented(
                    supplemented,
                )])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// P7 (L5588–5594): the outcome recorded, the results protocol formed and published
    /// automatically with its content hash, the lot and its plan item given their outcome.
    fn complete_auction(&self, ended: &AuctionBiddingEnded, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        self.require_step(Step::CompleteAuction)?;
        let now = ctx.now;
        let recorded = AuctionResultRecorded::of(ended, now);
        let outcomes = self
            .active_lots()
            .map(|lot| (lot.plan_item_id().clone(), recorded.outcome()))
            .collect();
        let recorded = AnnouncementEvent::AuctionResultRecorded(recorded);
        // The protocol states the bidding: form it on the fold that knows the outcome.
        let mut after = self.clone();
        after.apply(&recorded);
        let mut events = vec![recorded];
        events.extend(after.complete_automatically(outcomes, now));
        Ok(events)
    }

    pub(in crate::announcement) fn end_acceptance(&self, ctx: &Context) -> Decision {
        self.require_system(ctx)?;
        self.require_step(Step::Acceptance)?;
        require_reached(ctx.now, self.acceptance_window()?.end)?;
        self.close_acceptance(ctx)
    }

    /// The end of acceptance, at its deadline or earlier where the method allows (the single
    /// source's opening and refusal, spec 000-C O2, O3).
    pub(in crate::announcement) fn close_acceptance(&self, ctx: &Context) -> Decision {
        let now = ctx.now;
        let mut events = vec![AnnouncementEvent::AcceptanceEnded(AcceptanceEnded {
            ended_at: now,
        })];
        // Applications were submitted on paper: the creator enters the results (spec 000-C B5).
        if self.reviewer() == Reviewer::EnteredByHand {
            return Ok(events);
        }
        events.extend(
            self.offers
                .open(now)
                .map(AnnouncementEvent::ApplicationsOpened),
        );
        // OK with applications goes to the commission, housing to the organizer's
        // representative (L6260–6264), the ИОИ to its representative; ЗЦП, or any without
        // applications, ends with an automatic results protocol (L434–448, L3123–3129).
        let rules = self.rules()?;
        if self.reviewer() != Reviewer::Automatic && !self.offers.applications.is_empty() {
            return Ok(events);
        }
        let outcomes = self.compute_outcomes();
        // The single source's protocol is signed and published all the same (O5, L7580–7592).
        if rules.empty_results_signed() {
            let formed = self.form_protocol(ProtocolKind::Results, false, now, Some(&outcomes));
            events.push(AnnouncementEvent::ProtocolFormed(formed));
            return Ok(events);
        }
        events.extend(self.complete_automatically(outcomes, now));
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
        // An ИОИ accepts the application of its invited supplier only (L6908, L7538–7540).
        if let Some(terms) = self.procedure.single_source_terms()
            && terms.invited_supplier_bin != ctx.actor.org
        {
            return Err(refusal::supplier_not_invited());
        }
        // Submitted on paper, off the portal (spec 000-C §1.9–1.10).
        if self.reviewer() == Reviewer::EnteredByHand {
            return Err(refusal::not_applicable_to_method());
        }
        let now = ctx.now;
        let submitted = self.offers.submit(
            application_id,
            ctx.actor.org,
            offers,
            &self.lots,
            self.acceptance_window()?.end,
            now,
        )?;
        Ok(vec![AnnouncementEvent::ApplicationSubmitted(submitted)])
    }
}
