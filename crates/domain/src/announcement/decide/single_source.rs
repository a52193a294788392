//! The single source's own steps (spec 000-C §4.1, §4.3): its automatic creation after a failed
//! ЗЦП and the record of it on the ЗЦП, the creator's manual opening and the invited supplier's
//! refusal (both end acceptance early, as its deadline would).

use std::collections::BTreeMap;

use uuid::Uuid;

use super::Decision;
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::header::{Header, Method, ProcurementType};
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::lot::{FailureReason, Lot};
use crate::method::Step;
use crate::method::single_source::automatic::{automatic_window, one_application_lots};
use crate::method::single_source::{SingleSourceTerms, SourceFailure};
use crate::plan_item::PlanItemId;
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_single_source(
        &self,
        command: AnnouncementCommand,
        ctx: &Context,
    ) -> Decision {
        use AnnouncementCommand as C;
        let terms = self
            .procedure
            .single_source_terms()
            .ok_or_else(refusal::not_applicable_to_method)?;
        self.require_step(Step::Acceptance)?;
        match command {
            // O3 (L7538–7544, L7594–7616): the creator, with an application, before the end.
            C::OpenApplications => {
                self.require_role(ctx, Role::Organizer)?;
                if self.creator_iin != Some(ctx.actor.iin) {
                    return Err(refusal::not_secretary());
                }
                if self.offers.applications.is_empty() {
                    return Err(refusal::nothing_to_review());
                }
                if ctx.now >= self.acceptance_window()?.end {
                    return Err(refusal::acceptance_period_over());
                }
                self.close_acceptance(ctx)
            }
            // O2 (L7566–7576): the invited supplier refuses; the procurement opens at once and
            // the results protocol is formed.
            C::RefuseParticipation => {
                self.require_role(ctx, Role::Supplier)?;
                if terms.invited_supplier_bin != ctx.actor.org {
                    return Err(refusal::supplier_not_invited());
                }
                if self
                    .offers
                    .applications
                    .values()
                    .any(|a| a.supplier_bin == ctx.actor.org)
                {
                    return Err(refusal::application_already_submitted());
                }
                let refused = AnnouncementEvent::ParticipationRefused(ParticipationRefused {
                    supplier_bin: ctx.actor.org,
                    refused_at: ctx.now,
                });
                let mut events = vec![refused];
                events.extend(self.close_acceptance(ctx)?);
                Ok(events)
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }
}

impl Announcement {
    /// A1 (L6862–6952): on the new stream, the ИОИ for the lots of the failed ЗЦП `source` that
    /// `supplier_bin` alone applied to, created and published in one decision by the ЗЦП's
    /// creator. Each step is the command a creator would send, decided on the state the steps
    /// before it made, so every drafting rule holds as for a draft made by hand.
    pub(super) fn create_single_source(
        &self,
        announcement_id: Uuid,
        number: String,
        source: &Announcement,
        supplier_bin: Bin,
        ctx: &Context,
    ) -> Decision {
        use AnnouncementCommand as C;
        if self.status.is_some() {
            return Err(refusal::announcement_exists());
        }
        let (Some(organizer_bin), Some(creator_iin)) = (source.organizer_bin, source.creator_iin)
        else {
            return Err(refusal::announcement_not_found());
        };
        if ctx.actor.org != organizer_bin || ctx.actor.iin != creator_iin {
            return Err(refusal::foreign_organization());
        }
        // Not once recorded on the ЗЦП: `one_application_lots` leaves those out.
        let lots: Vec<&Lot> = match source.one_application_lots().remove(&supplier_bin) {
            Some(ids) => ids.iter().filter_map(|id| source.lots.get(id)).collect(),
            None => return Err(refusal::no_single_source_lots()),
        };
        let header = source.header()?;
        let created = AnnouncementEvent::SingleSourceCreated(SingleSourceCreated {
            drafted: AnnouncementDrafted {
                announcement_id,
                number,
                header: Header {
                    method: Method::SingleSource,
                    procurement_type: ProcurementType::First,
                    ..header.clone()
                },
                organizer_bin,
                creator_iin,
                drafted_at: ctx.now,
            },
            failed_announcement_id: source.id.ok_or_else(refusal::announcement_not_found)?,
        });
        let mut draft = Drafting::new(created);
        // A new procurement: the rule set in force today (decision 0891).
        draft.record(super::drafting::regime_in_force(ctx)?);
        draft.run(
            C::AddLots {
                lots: lots.iter().map(|l| l.source.clone()).collect(),
            },
            ctx,
        )?;
        for lot in &lots {
            let plan_item_id = lot.plan_item_id().clone();
            if let Some(terms) = lot.terms.clone() {
                let plan_item_id = plan_item_id.clone();
                draft.run(
                    C::SetLotTerms {
                        plan_item_id,
                        terms,
                    },
                    ctx,
                )?;
            }
            if let Some(specification) = lot.technical_specification.clone() {
                let attach = C::AttachTechnicalSpecification {
                    plan_item_id,
                    specification,
                };
                draft.run(attach, ctx)?;
            }
        }
        if let Some(contract_draft) = source.contract_draft.clone() {
            draft.run(C::ApproveContractDraft { contract_draft }, ctx)?;
        }
        let terms = SingleSourceTerms {
            source: SourceFailure {
                failed_method: Method::PriceQuotations,
                failure_reason: FailureReason::OneApplication,
            },
            invited_supplier_bin: supplier_bin,
        };
        draft.run(C::SetSingleSourceTerms { terms }, ctx)?;
        let (start, end) = automatic_window(ctx)?;
        draft.run(C::SetAcceptanceDates { start, end }, ctx)?;
        draft.run(C::Publish, ctx)?;
        Ok(draft.events)
    }

    /// The failed ЗЦП's lots that await their automatic single source, by supplier (A1).
    pub fn one_application_lots(&self) -> BTreeMap<Bin, Vec<PlanItemId>> {
        if self.method() != Some(Method::PriceQuotations) || self.status != Some(S::Completed) {
            return BTreeMap::new();
        }
        let applicant = |lot: &PlanItemId| {
            let mut on_lot = self.applications_on(lot);
            match (on_lot.next(), on_lot.next()) {
                (Some(one), None) => Some(one.supplier_bin),
                _ => None,
            }
        };
        let mut pending = one_application_lots(self.active_lots(), applicant);
        pending.retain(|supplier, _| !self.single_sources.contains_key(supplier));
        pending
    }

    /// The workflow's last step, on the failed ЗЦП; a retry changes nothing.
    pub(super) fn record_single_source(
        &self,
        single_source_announcement_id: Uuid,
        supplier_bin: Bin,
        ctx: &Context,
    ) -> Decision {
        self.require_system(ctx)?;
        if self.single_sources.get(&supplier_bin) == Some(&single_source_announcement_id) {
            return Ok(Vec::new());
        }
        if !self.one_application_lots().contains_key(&supplier_bin) {
            return Err(refusal::no_single_source_lots());
        }
        Ok(vec![AnnouncementEvent::SingleSourceStarted(
            SingleSourceStarted {
                single_source_announcement_id,
                supplier_bin,
                started_at: ctx.now,
            },
        )])
    }
}

/// A draft made step by step: each command decided on the state the previous ones left.
struct Drafting {
    state: Announcement,
    events: Vec<AnnouncementEvent>,
}

impl Drafting {
    fn new(created: AnnouncementEvent) -> Self {
        let mut state = Announcement::default();
        state.apply(&created);
        Drafting {
            state,
            events: vec![created],
        }
    }

    fn record(&mut self, event: AnnouncementEvent) {
        self.state.apply(&event);
        self.events.push(event);
    }

    fn run(&mut self, command: AnnouncementCommand, ctx: &Context) -> Result<(), DomainError> {
        for event in self.state.decide(command, ctx)? {
            self.state.apply(&event);
            self.events.push(event);
        }
        Ok(())
    }
}
