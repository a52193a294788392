//! Suspension, resumption, cancellation, refusal and the contracts (§9).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::Decision;
use crate::actor::{Context, Role};
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::error::DomainError;
use crate::lot::LotOutcome;
use crate::method::Step;
use crate::plan_item::PlanItemId;
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_acts(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::Suspend { act } => {
                self.require_secretary(ctx)?;
                // From publication until the results protocol is formed, whole procurement only
                // (L3391–3489).
                self.require_step(Step::Suspend)?;
                let suspended = self.acts.suspend(act, now)?;
                Ok(vec![AnnouncementEvent::ProcurementSuspended(suspended)])
            }
            C::Resume { act } => {
                self.require_secretary(ctx)?;
                self.require_step(Step::Resume)?;
                let resumed = self.acts.resume(act, now)?;
                Ok(vec![AnnouncementEvent::ProcurementResumed(resumed)])
            }
            C::CancelLots { plan_item_ids, act } => self.cancel_lots(plan_item_ids, act, ctx),
            C::RefuseProcurement {
                plan_item_ids,
                reason,
                document,
            } => self.refuse_procurement(plan_item_ids, reason, document, ctx),
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
            C::RecordContractEvasion {
                plan_item_id,
                grounds,
            } => self.record_contract_evasion(plan_item_id, grounds, ctx),
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    /// The customer of a lot whose procurement was held records that the winner evaded the
    /// contract, once (decision 0853). Not after a contract draft: the winner concluded it.
    fn record_contract_evasion(
        &self,
        plan_item_id: PlanItemId,
        grounds: String,
        ctx: &Context,
    ) -> Decision {
        self.require_role(ctx, Role::Customer)?;
        let lot = self.lot(&plan_item_id)?;
        if lot.source.customer_bin != ctx.actor.org {
            return Err(refusal::foreign_organization());
        }
        crate::kernel::text::text("grounds", &grounds)?;
        let winner = match (&self.status, &lot.outcome) {
            (Some(S::Completed), Some(LotOutcome::Held { winner })) => winner,
            _ => return Err(refusal::lot_not_held()),
        };
        if self.lot_contracts.contains_key(&plan_item_id) {
            return Err(refusal::contract_draft_exists());
        }
        if self.contract_evasions.contains_key(&plan_item_id) {
            return Err(refusal::contract_evasion_recorded());
        }
        let supplier_bin = self
            .applications()
            .get(winner)
            .map(|a| a.supplier_bin)
            .ok_or_else(refusal::application_not_found)?;
        Ok(vec![AnnouncementEvent::ContractEvasionRecorded(
            ContractEvasionRecorded {
                plan_item_id,
                supplier_bin,
                grounds,
                recorded_by: ctx.actor.iin,
                recorded_at: ctx.now,
            },
        )])
    }

    pub(in crate::announcement) fn cancel_lots(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        act: crate::kernel::act::GroundingAct,
        ctx: &Context,
    ) -> Decision {
        self.require_secretary(ctx)?;
        let plan_item_ids = self.withdrawable(plan_item_ids)?;
        let cancelled =
            AnnouncementEvent::LotsCancelled(self.acts.cancel(plan_item_ids, act, ctx.now)?);
        Ok(self.withdraw(cancelled, ctx.now))
    }

    /// «Отказ от закупки» by the customer (L1928–1940): its own lots leave the procurement like
    /// cancelled ones, and the results protocol is re-formed the same way (L3353–3367).
    pub(in crate::announcement) fn refuse_procurement(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        reason: String,
        document: crate::kernel::file::FileRef,
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
        let refused = AnnouncementEvent::ProcurementRefused(self.acts.refuse(
            plan_item_ids,
            reason,
            document,
            ctx.now,
        )?);
        Ok(self.withdraw(refused, ctx.now))
    }

    /// Lots that can leave the procurement: from publication until a contract exists (L464,
    /// L3205), also while suspended; which ones is the acts component's word.
    pub(in crate::announcement) fn withdrawable(
        &self,
        plan_item_ids: Vec<PlanItemId>,
    ) -> Result<Vec<PlanItemId>, DomainError> {
        if matches!(
            self.status,
            Some(S::Draft | S::DraftDocumentationChange | S::DocumentationChanged | S::Cancelled)
                | None
        ) {
            return Err(refusal::wrong_status());
        }
        self.acts
            .withdrawable(plan_item_ids, &self.lots, &self.lot_contracts)
    }

    /// The withdrawal event and the results protocol it re-forms.
    pub(in crate::announcement) fn withdraw(
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
            events.push(AnnouncementEvent::ProtocolFormed(
                after.results_protocol(now),
            ));
        }
        events
    }
}
