//! Conditional discounts (spec 000-A §7.6, L2741–2767; docs/decisions/0202) as a procedure
//! component: per lot, one entry per application, then completed once every lot that needs them
//! has them. Which lots need them, and when they are open, is the caller's word.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::{ApplicationId, ConditionalDiscounts, DiscountForm, conditional_price};
use crate::error::DomainError;
use crate::lot::SubjectType;
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discounts {
    pub by_lot: BTreeMap<PlanItemId, BTreeMap<ApplicationId, ConditionalDiscounts>>,
    pub completed: bool,
}

impl Discounts {
    pub fn on_lot(
        &self,
        lot: &PlanItemId,
    ) -> Option<&BTreeMap<ApplicationId, ConditionalDiscounts>> {
        self.by_lot.get(lot)
    }

    /// The price an offer competes with: less its discounts, if any were filled.
    pub fn conditional_price(
        &self,
        lot: &PlanItemId,
        application_id: &ApplicationId,
        price: Money,
    ) -> Money {
        match self.by_lot.get(lot).and_then(|d| d.get(application_id)) {
            Some(discounts) => conditional_price(price, discounts),
            None => price,
        }
    }

    // ---- decide ---------------------------------------------------------------------------

    /// Fills a lot's discounts: `required` says the lot needs them, `expected` names its
    /// applications, each of which gets exactly one entry.
    pub fn fill(
        &self,
        (plan_item_id, required): (PlanItemId, bool),
        expected: BTreeSet<ApplicationId>,
        entries: Vec<(ApplicationId, DiscountForm)>,
        subject: SubjectType,
        now: DateTime<Utc>,
    ) -> Result<ConditionalDiscountsFilled, DomainError> {
        if !required {
            return Err(refusal::discounts_not_required_for_lot());
        }
        let given: BTreeSet<ApplicationId> = entries.iter().map(|(id, _)| *id).collect();
        if expected != given || given.len() != entries.len() {
            return Err(refusal::discount_entries_mismatch());
        }
        let entries = entries
            .into_iter()
            .map(|(application_id, form)| {
                Ok(DiscountEntry {
                    application_id,
                    discounts: form.validate(subject)?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(ConditionalDiscountsFilled {
            plan_item_id,
            entries,
            filled_at: now,
        })
    }

    /// Completes the discounts once every lot that needs them has them.
    pub fn complete<'a>(
        &self,
        required: impl IntoIterator<Item = &'a PlanItemId>,
        now: DateTime<Utc>,
    ) -> Result<ConditionalDiscountsCompleted, DomainError> {
        let mut lots = required.into_iter().peekable();
        if lots.peek().is_none() {
            return Err(refusal::discounts_not_required_for_lot());
        }
        if lots.any(|l| !self.by_lot.contains_key(l)) {
            return Err(refusal::discounts_incomplete());
        }
        Ok(ConditionalDiscountsCompleted { completed_at: now })
    }

    // ---- evolve ---------------------------------------------------------------------------

    pub fn filled(&mut self, e: &ConditionalDiscountsFilled) {
        let entries = e
            .entries
            .iter()
            .map(|d| (d.application_id, d.discounts.clone()))
            .collect();
        self.by_lot.insert(e.plan_item_id.clone(), entries);
    }

    pub fn completed(&mut self) {
        self.completed = true;
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscountEntry {
    pub application_id: ApplicationId,
    pub discounts: ConditionalDiscounts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionalDiscountsFilled {
    pub plan_item_id: PlanItemId,
    pub entries: Vec<DiscountEntry>,
    pub filled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionalDiscountsCompleted {
    pub completed_at: DateTime<Utc>,
}
