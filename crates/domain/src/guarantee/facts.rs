//! What the guarantee may know of its procurement: the announcement's and the lots' statuses, as
//! the engine reads them from the announcement's stream when the command arrives (no aggregate
//! sees another stream). Which statuses allow which request is here (decision 0852).

use std::collections::BTreeMap;

use super::{RequestKind, refusal};
use crate::announcement::Announcement;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::lot::LotOutcome;
use crate::plan_item::PlanItemId;
use crate::status::{AnnouncementStatus, LotStatus};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotFacts {
    pub status: Option<LotStatus>,
    /// The supplier whose application won the lot, once the results are published.
    pub winner_bin: Option<Bin>,
    /// The winner recorded as evading the contract (`ContractEvasionRecorded`).
    pub evaded: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProcedureFacts {
    pub status: Option<AnnouncementStatus>,
    pub lots: BTreeMap<PlanItemId, LotFacts>,
}

impl ProcedureFacts {
    /// The facts of `lots` of the announcement, as its fold says now.
    pub fn of<'a>(
        announcement: &Announcement,
        lots: impl IntoIterator<Item = &'a PlanItemId>,
    ) -> Self {
        let lots = lots
            .into_iter()
            .map(|id| {
                let winner_bin = match announcement.lots.get(id).and_then(|l| l.outcome.as_ref()) {
                    Some(LotOutcome::Held { winner }) => announcement
                        .applications()
                        .get(winner)
                        .map(|a| a.supplier_bin),
                    _ => None,
                };
                let facts = LotFacts {
                    status: announcement.lot_status(id),
                    winner_bin,
                    evaded: announcement.contract_evasions.contains_key(id),
                };
                (id.clone(), facts)
            })
            .collect();
        ProcedureFacts {
            status: announcement.status,
            lots,
        }
    }

    /// Whether the announcement's and each lot's status allow `request` (decision 0852): a
    /// guarantee secures a procurement until its outcome, so nothing is asked of the bank while
    /// the lot is still competed for, suspended or under revision. A return once the lot is
    /// completed or cancelled; a hold once it is completed (nobody evades a cancelled lot's
    /// contract). The kind of guarantee changes nothing here: the contract's own life is not in
    /// the engine.
    pub fn allow(&self, request: RequestKind, lots: &[PlanItemId]) -> Result<(), DomainError> {
        let allowed: &[LotStatus] = match request {
            RequestKind::Hold => &[LotStatus::Completed],
            RequestKind::Return => &[LotStatus::Completed, LotStatus::Cancelled],
        };
        let suspended = self.status == Some(AnnouncementStatus::Suspended);
        let every_lot = lots.iter().all(|id| {
            self.lots
                .get(id)
                .and_then(|l| l.status)
                .is_some_and(|s| allowed.contains(&s))
        });
        if suspended || !every_lot {
            return Err(refusal::guarantee_procedure_in_progress());
        }
        Ok(())
    }
}
