//! Offers (spec 000-A §4.3, §7.5) as a procedure component: the suppliers' applications with a
//! price offer per lot, sealed until opening, and the supplements to rejected ones. When
//! acceptance and supplements are open, and who may act, is the method's word; the component
//! decides on the lots and windows it is given.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::{Application, ApplicationId, LotOffer};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::file::FileRef;
use crate::lot::{Lot, dedup};
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;
use crate::status::AdmissionDecision;

/// A period with a start and an end instant (acceptance, supplements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Offers {
    pub applications: BTreeMap<ApplicationId, Application>,
    /// Opened with the preliminary admission protocol for rejected applications (§7.5).
    pub supplement: Option<Window>,
}

impl Offers {
    pub fn application_of(&self, supplier_bin: &Bin) -> Option<&Application> {
        self.applications
            .values()
            .find(|a| &a.supplier_bin == supplier_bin)
    }

    /// Whether any application was supplemented.
    pub fn any_supplemented(&self) -> bool {
        self.applications
            .values()
            .any(|a| !a.supplemented_lots.is_empty())
    }

    /// The supplier's own application, or why not.
    pub fn own(&self, id: &ApplicationId, supplier_bin: &Bin) -> Result<&Application, DomainError> {
        let application = self
            .applications
            .get(id)
            .ok_or_else(refusal::application_not_found)?;
        if &application.supplier_bin != supplier_bin {
            return Err(refusal::not_own_application());
        }
        Ok(application)
    }

    /// An application with one offer per lot, each priced within the lot's allocated amount,
    /// before the end of acceptance.
    pub fn submit(
        &self,
        application_id: ApplicationId,
        supplier_bin: Bin,
        offers: Vec<LotOffer>,
        lots: &BTreeMap<PlanItemId, Lot>,
        acceptance_end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<ApplicationSubmitted, DomainError> {
        if now >= acceptance_end {
            return Err(refusal::acceptance_period_over());
        }
        if self.application_of(&supplier_bin).is_some() {
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
            let lot = lots
                .get(&offer.plan_item_id)
                .ok_or_else(refusal::unknown_lot)?;
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
        Ok(ApplicationSubmitted {
            application_id,
            supplier_bin,
            offers,
            submitted_at: now,
        })
    }

    /// Withdrawn before the end of acceptance; the caller checked it is the supplier's own.
    pub fn withdraw(
        &self,
        application_id: ApplicationId,
        acceptance_end: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<ApplicationWithdrawn, DomainError> {
        if now >= acceptance_end {
            return Err(refusal::acceptance_period_over());
        }
        Ok(ApplicationWithdrawn {
            application_id,
            withdrawn_at: now,
        })
    }

    /// Documents supplementing an application on lots where it was rejected with the right to
    /// supplement, within the supplement period; the caller checked it is the supplier's own.
    pub fn supplement(
        &self,
        application_id: ApplicationId,
        plan_item_ids: Vec<PlanItemId>,
        documents: Vec<FileRef>,
        lots: &BTreeMap<PlanItemId, Lot>,
        decisions: &BTreeMap<(ApplicationId, PlanItemId), AdmissionDecision>,
        now: DateTime<Utc>,
    ) -> Result<ApplicationSupplemented, DomainError> {
        let supplement = self.supplement.ok_or_else(refusal::wrong_status)?;
        if now >= supplement.end {
            return Err(refusal::supplement_period_over());
        }
        if plan_item_ids.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        for id in &plan_item_ids {
            match decisions.get(&(application_id, id.clone())) {
                Some(AdmissionDecision::Rejected)
                    if !lots
                        .get(id)
                        .ok_or_else(refusal::unknown_lot)?
                        .is_cancelled() => {}
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
        Ok(ApplicationSupplemented {
            application_id,
            plan_item_ids: dedup(plan_item_ids),
            documents,
            supplemented_at: now,
        })
    }

    /// Opening unseals every application; none opens an empty acceptance.
    pub fn open(&self, now: DateTime<Utc>) -> Option<ApplicationsOpened> {
        (!self.applications.is_empty()).then(|| ApplicationsOpened {
            application_ids: self.applications.keys().copied().collect(),
            opened_at: now,
        })
    }

    pub fn submitted(&mut self, e: &ApplicationSubmitted) {
        self.applications.insert(
            e.application_id,
            Application {
                id: e.application_id,
                supplier_bin: e.supplier_bin,
                offers: e.offers.clone(),
                submitted_at: e.submitted_at,
                supplemented_lots: BTreeSet::new(),
            },
        );
    }

    pub fn withdrawn(&mut self, e: &ApplicationWithdrawn) {
        self.applications.remove(&e.application_id);
    }

    pub fn supplement_started(&mut self, e: &SupplementPeriodStarted) {
        self.supplement = Some(Window {
            start: e.start,
            end: e.end,
        });
    }

    pub fn supplemented(&mut self, e: &ApplicationSupplemented) {
        if let Some(application) = self.applications.get_mut(&e.application_id) {
            application
                .supplemented_lots
                .extend(e.plan_item_ids.iter().cloned());
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AcceptanceStarted {
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationSubmitted {
    pub application_id: ApplicationId,
    pub supplier_bin: Bin,
    pub offers: Vec<LotOffer>,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationWithdrawn {
    pub application_id: ApplicationId,
    pub withdrawn_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AcceptanceEnded {
    pub ended_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationsOpened {
    pub application_ids: Vec<ApplicationId>,
    pub opened_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SupplementPeriodStarted {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationSupplemented {
    pub application_id: ApplicationId,
    pub plan_item_ids: Vec<PlanItemId>,
    pub documents: Vec<FileRef>,
    pub supplemented_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SupplementPeriodEnded {
    pub ended_at: DateTime<Utc>,
}
