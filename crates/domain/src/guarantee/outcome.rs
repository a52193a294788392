//! The requests the procurement's outcome starts (decision 0853): read from the guarantee and
//! its announcement, nothing stored, so the engine's workflow computes what is left on every tick.

use super::{
    Guarantee, GuaranteeCommand, GuaranteeKind, ProcedureFacts, RequestCause, RequestKind,
};
use crate::announcement::Announcement;
use crate::plan_item::PlanItemId;
use crate::status::LotStatus;

impl Guarantee {
    /// The request the announcement's outcome asks of the bank now, if any: none while a form or
    /// a request is open, none for a contract security (left to the customer). First the returns,
    /// a cancelled lot's then a lot the supplier did not win (or that failed); then the hold of
    /// a winner who evaded the contract.
    pub fn outcome_request(&self, announcement: &Announcement) -> Option<GuaranteeCommand> {
        let issued = self.issued.as_ref()?;
        if self.request.is_some() || issued.kind != GuaranteeKind::ApplicationSecurity {
            return None;
        }
        let facts = ProcedureFacts::of(announcement, self.active_lots());
        let supplier = issued.supplier_bin;
        let pick = |wanted: &dyn Fn(&super::LotFacts) -> bool| -> Vec<PlanItemId> {
            facts
                .lots
                .iter()
                .filter(|(_, l)| wanted(l))
                .map(|(id, _)| id.clone())
                .collect()
        };
        let completed = |l: &super::LotFacts| l.status == Some(LotStatus::Completed);
        let steps: [(RequestKind, RequestCause, Vec<PlanItemId>); 3] = [
            (
                RequestKind::Return,
                RequestCause::Cancelled,
                pick(&|l| l.status == Some(LotStatus::Cancelled)),
            ),
            (
                RequestKind::Return,
                RequestCause::ProcedureCompleted,
                pick(&|l| completed(l) && l.winner_bin != Some(supplier)),
            ),
            (
                RequestKind::Hold,
                RequestCause::WinnerEvadedContract,
                pick(&|l| completed(l) && l.winner_bin == Some(supplier) && l.evaded),
            ),
        ];
        let (request, cause, plan_item_ids) = steps.into_iter().find(|s| !s.2.is_empty())?;
        let facts = ProcedureFacts {
            status: facts.status,
            lots: facts
                .lots
                .into_iter()
                .filter(|(id, _)| plan_item_ids.contains(id))
                .collect(),
        };
        Some(GuaranteeCommand::RequestByProcedure {
            request,
            plan_item_ids,
            cause,
            facts,
        })
    }
}
