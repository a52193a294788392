//! Acts (spec 000-A §9) as a procedure component: suspension and resumption on a grounding act,
//! cancellation of lots on one, and the customer's refusal of its lots; and the record the tab
//! «приостановление/продолжение/отмена закупки» lists. When each is allowed, and what the
//! procedure does after, is the method's word; the component decides on the lots and contracts
//! it is given.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;
use crate::kernel::act::GroundingAct;
use crate::kernel::file::FileRef;
use crate::lot::{Lot, dedup};
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;

/// What the tab «приостановление/продолжение/отмена закупки» lists (L602–604, L3345–3347).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActRecord {
    Suspended {
        act: GroundingAct,
        at: DateTime<Utc>,
    },
    Resumed {
        act: GroundingAct,
        at: DateTime<Utc>,
    },
    Cancelled {
        plan_item_ids: Vec<PlanItemId>,
        act: GroundingAct,
        at: DateTime<Utc>,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Acts {
    /// Oldest first.
    pub records: Vec<ActRecord>,
}

impl Acts {
    pub fn suspend(
        &self,
        act: GroundingAct,
        now: DateTime<Utc>,
    ) -> Result<ProcurementSuspended, DomainError> {
        act.validate()?;
        Ok(ProcurementSuspended {
            act,
            suspended_at: now,
        })
    }

    pub fn resume(
        &self,
        act: GroundingAct,
        now: DateTime<Utc>,
    ) -> Result<ProcurementResumed, DomainError> {
        act.validate()?;
        Ok(ProcurementResumed {
            act,
            resumed_at: now,
        })
    }

    /// Lots that can leave the procurement, each once: still in it, and with no contract in
    /// «Проект договора», which must be deleted first (L598–600, L3341–3343).
    pub fn withdrawable(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        lots: &BTreeMap<PlanItemId, Lot>,
        contracts: &BTreeMap<PlanItemId, Uuid>,
    ) -> Result<Vec<PlanItemId>, DomainError> {
        if plan_item_ids.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let plan_item_ids = dedup(plan_item_ids);
        for id in &plan_item_ids {
            if lots
                .get(id)
                .ok_or_else(refusal::unknown_lot)?
                .is_cancelled()
            {
                return Err(refusal::lot_cancelled());
            }
            if contracts.contains_key(id) {
                return Err(refusal::contract_draft_exists());
            }
        }
        Ok(plan_item_ids)
    }

    /// Withdrawable lots cancelled on a grounding act.
    pub fn cancel(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        act: GroundingAct,
        now: DateTime<Utc>,
    ) -> Result<LotsCancelled, DomainError> {
        act.validate()?;
        Ok(LotsCancelled {
            plan_item_ids,
            act,
            cancelled_at: now,
        })
    }

    /// Withdrawable lots of the customer refused with a reason and a document (L1928–1940).
    pub fn refuse(
        &self,
        plan_item_ids: Vec<PlanItemId>,
        reason: String,
        document: FileRef,
        now: DateTime<Utc>,
    ) -> Result<ProcurementRefused, DomainError> {
        crate::kernel::text::text("reason", &reason)?;
        document.validate()?;
        Ok(ProcurementRefused {
            plan_item_ids,
            reason,
            document,
            refused_at: now,
        })
    }

    pub fn suspended(&mut self, e: &ProcurementSuspended) {
        self.records.push(ActRecord::Suspended {
            act: e.act.clone(),
            at: e.suspended_at,
        });
    }

    pub fn resumed(&mut self, e: &ProcurementResumed) {
        self.records.push(ActRecord::Resumed {
            act: e.act.clone(),
            at: e.resumed_at,
        });
    }

    pub fn cancelled(&mut self, e: &LotsCancelled) {
        self.records.push(ActRecord::Cancelled {
            plan_item_ids: e.plan_item_ids.clone(),
            act: e.act.clone(),
            at: e.cancelled_at,
        });
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcurementSuspended {
    pub act: GroundingAct,
    pub suspended_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcurementResumed {
    pub act: GroundingAct,
    pub resumed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotsCancelled {
    pub plan_item_ids: Vec<PlanItemId>,
    pub act: GroundingAct,
    pub cancelled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcurementRefused {
    pub plan_item_ids: Vec<PlanItemId>,
    pub reason: String,
    pub document: FileRef,
    pub refused_at: DateTime<Utc>,
}
