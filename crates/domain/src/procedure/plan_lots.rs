//! Lots from the plan (spec 000-A §2.4, L734–1300, L1810–1852) as a procedure component: the
//! plan items a draft takes as lots, their terms and technical specifications, a plan item's
//! new data taken over, and what an index-2 copy may no longer change. The lots themselves are
//! the announcement's (every part reads them); the component decides on them as it is given
//! them and folds its events into them. Who may draft, and when, is the method's word.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::lot::{
    Lot, LotSource, LotTerms, SubjectType, TechnicalSpecification, WorkDumping, WorkKind, dedup,
};
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanLots {
    /// Lots that were «Работа с ТЭО и ПСД» in the original: not editable in the copy (L1810–1816).
    pub frozen: BTreeSet<PlanItemId>,
    /// Plan items changed while drafting: `PLAN_CHANGED_WARNING_RU` is shown until publication.
    pub plan_changed: bool,
}

type Lots = BTreeMap<PlanItemId, Lot>;

fn lot<'a>(lots: &'a Lots, id: &PlanItemId) -> Result<&'a Lot, DomainError> {
    lots.get(id).ok_or_else(refusal::unknown_lot)
}

/// A required one-line name or number: `kernel::text::name`.
fn non_empty(field: &'static str, value: &str) -> Result<(), DomainError> {
    crate::kernel::text::name(field, value)
}

impl PlanLots {
    /// Plan items taken as lots, each once and not yet in the draft.
    pub fn add(
        &self,
        lots: &Lots,
        sources: Vec<LotSource>,
        now: DateTime<Utc>,
    ) -> Result<LotsAdded, DomainError> {
        if sources.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let mut seen = BTreeSet::new();
        for source in &sources {
            if lots.contains_key(&source.plan_item_id) || !seen.insert(source.plan_item_id.clone())
            {
                return Err(refusal::lot_already_added());
            }
            non_empty("lot_number", &source.lot_number)?;
            non_empty("name_ru", &source.name_ru)?;
            if source.amount.is_zero() {
                return Err(refusal::invalid_amount());
            }
        }
        Ok(LotsAdded {
            lots: sources,
            added_at: now,
        })
    }

    pub fn remove(
        &self,
        lots: &Lots,
        plan_item_ids: Vec<PlanItemId>,
        now: DateTime<Utc>,
    ) -> Result<LotsRemoved, DomainError> {
        if plan_item_ids.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        for id in &plan_item_ids {
            lot(lots, id)?;
        }
        Ok(LotsRemoved {
            plan_item_ids: dedup(plan_item_ids),
            removed_at: now,
        })
    }

    /// A lot an index-2 copy took as «Работа с ТЭО и ПСД» stays as it was (L1810–1816).
    pub fn require_editable(&self, id: &PlanItemId) -> Result<(), DomainError> {
        if self.frozen.contains(id) {
            Err(refusal::not_editable_in_copy())
        } else {
            Ok(())
        }
    }

    /// The lot's terms for the draft's subject type; in a copy only the dumping switches of
    /// L1818–1852.
    pub fn set_terms(
        &self,
        lots: &Lots,
        plan_item_id: PlanItemId,
        terms: LotTerms,
        subject: SubjectType,
        in_copy: bool,
        now: DateTime<Utc>,
    ) -> Result<LotTermsSet, DomainError> {
        let current = lot(lots, &plan_item_id)?;
        self.require_editable(&plan_item_id)?;
        terms.validate(subject)?;
        if in_copy {
            copy_terms_change_allowed(current.terms.as_ref(), &terms)?;
        }
        Ok(LotTermsSet {
            plan_item_id,
            terms,
            set_at: now,
        })
    }

    pub fn attach_specification(
        &self,
        lots: &Lots,
        plan_item_id: PlanItemId,
        specification: TechnicalSpecification,
        subject: SubjectType,
        now: DateTime<Utc>,
    ) -> Result<TechnicalSpecificationAttached, DomainError> {
        let current = lot(lots, &plan_item_id)?;
        self.require_editable(&plan_item_id)?;
        // A generated and signed specification cannot be edited, only deleted (L262–268).
        if current.technical_specification.is_some() {
            return Err(refusal::technical_specification_exists());
        }
        specification.validate(subject)?;
        Ok(TechnicalSpecificationAttached {
            plan_item_id,
            specification,
            attached_at: now,
        })
    }

    pub fn remove_specification(
        &self,
        lots: &Lots,
        plan_item_id: PlanItemId,
        now: DateTime<Utc>,
    ) -> Result<TechnicalSpecificationRemoved, DomainError> {
        let current = lot(lots, &plan_item_id)?;
        self.require_editable(&plan_item_id)?;
        if current.technical_specification.is_none() {
            return Err(refusal::technical_specification_missing());
        }
        Ok(TechnicalSpecificationRemoved {
            plan_item_id,
            removed_at: now,
        })
    }

    /// A plan item's new data taken over by its lot.
    pub fn refresh(
        &self,
        lots: &Lots,
        source: LotSource,
        now: DateTime<Utc>,
    ) -> Result<LotRefreshedFromPlan, DomainError> {
        lot(lots, &source.plan_item_id)?;
        self.require_editable(&source.plan_item_id)?;
        non_empty("name_ru", &source.name_ru)?;
        if source.amount.is_zero() {
            return Err(refusal::invalid_amount());
        }
        Ok(LotRefreshedFromPlan {
            source,
            refreshed_at: now,
        })
    }

    /// An index-2 copy's lots: those «Работа с ТЭО и ПСД» are frozen.
    pub fn copied(&mut self, lots: &[Lot]) {
        self.frozen = lots
            .iter()
            .filter(|l| l.is_work_with_feasibility_and_design())
            .map(|l| l.plan_item_id().clone())
            .collect();
    }

    pub fn added(&self, lots: &mut Lots, e: &LotsAdded) {
        for source in &e.lots {
            lots.insert(source.plan_item_id.clone(), Lot::new(source.clone()));
        }
    }

    pub fn removed(&self, lots: &mut Lots, e: &LotsRemoved) {
        for id in &e.plan_item_ids {
            lots.remove(id);
        }
    }

    pub fn terms_set(&self, lots: &mut Lots, e: &LotTermsSet) {
        if let Some(lot) = lots.get_mut(&e.plan_item_id) {
            lot.terms = Some(e.terms.clone());
        }
    }

    pub fn specification_attached(&self, lots: &mut Lots, e: &TechnicalSpecificationAttached) {
        if let Some(lot) = lots.get_mut(&e.plan_item_id) {
            lot.technical_specification = Some(e.specification.clone());
        }
    }

    pub fn specification_removed(&self, lots: &mut Lots, e: &TechnicalSpecificationRemoved) {
        if let Some(lot) = lots.get_mut(&e.plan_item_id) {
            lot.technical_specification = None;
        }
    }

    /// The lot took the plan item's new data; its technical specification must be done again.
    pub fn refreshed(&mut self, lots: &mut Lots, e: &LotRefreshedFromPlan) {
        if let Some(lot) = lots.get_mut(&e.source.plan_item_id) {
            lot.source = e.source.clone();
            lot.technical_specification = None;
        }
        self.plan_changed = true;
    }
}

/// Dumping switches allowed in the copy (L1818–1852): without → with (work kind becomes «Работа
/// на разработку ТЭО/ПСД»), with + «Работа на разработку ТЭО/ПСД» → without; services may add
/// or remove «Инжиниринговая услуга».
fn copy_terms_change_allowed(old: Option<&LotTerms>, new: &LotTerms) -> Result<(), DomainError> {
    use WorkDumping::*;
    let Some(LotTerms::Work { dumping: old }) = old else {
        return Ok(());
    };
    let LotTerms::Work { dumping: new } = new else {
        return Ok(());
    };
    let allowed = match (old, new) {
        (WorkWithoutDumping, WorkWithoutDumping) => true,
        (
            WorkWithoutDumping,
            WorkWithDumping {
                kind, expertise, ..
            },
        ) => !expertise && *kind == Some(WorkKind::DevelopingFeasibilityOrDesign),
        (WorkWithDumping { kind, .. }, WorkWithoutDumping) => {
            *kind == Some(WorkKind::DevelopingFeasibilityOrDesign)
        }
        (WorkWithDumping { .. }, WorkWithDumping { .. }) => true,
    };
    if allowed {
        Ok(())
    } else {
        Err(refusal::lot_change_not_allowed())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotsAdded {
    pub lots: Vec<LotSource>,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotsRemoved {
    pub plan_item_ids: Vec<PlanItemId>,
    pub removed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotTermsSet {
    pub plan_item_id: PlanItemId,
    pub terms: LotTerms,
    pub set_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalSpecificationAttached {
    pub plan_item_id: PlanItemId,
    pub specification: TechnicalSpecification,
    pub attached_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalSpecificationRemoved {
    pub plan_item_id: PlanItemId,
    pub removed_at: DateTime<Utc>,
}

/// The lot took the plan item's new data; its technical specification, the signed tender
/// documentation and the contract draft must be done again (L1872–1880).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotRefreshedFromPlan {
    pub source: LotSource,
    pub refreshed_at: DateTime<Utc>,
}
