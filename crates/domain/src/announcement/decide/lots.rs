//! Lots from the plan while drafting (L734–1300, L1810–1852).

use std::collections::BTreeSet;

use super::{Decision, dedup, non_empty};
use crate::actor::Context;
use crate::announcement::event::*;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::error::DomainError;
use crate::lot::{LotSource, LotTerms, WorkDumping, WorkKind};
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_lots(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        match command {
            C::AddLots { lots } => self.add_lots(lots, ctx),
            C::RemoveLots { plan_item_ids } => {
                self.require_drafting(ctx)?;
                self.require_original()?;
                if plan_item_ids.is_empty() {
                    return Err(refusal::no_lots_selected());
                }
                for id in &plan_item_ids {
                    self.lot(id)?;
                }
                Ok(vec![AnnouncementEvent::LotsRemoved(LotsRemoved {
                    plan_item_ids: dedup(plan_item_ids),
                    removed_at: now,
                })])
            }
            C::SetLotTerms {
                plan_item_id,
                terms,
            } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                terms.validate(self.header()?.subject_type)?;
                if self.index > 1 {
                    copy_terms_change_allowed(lot.terms.as_ref(), &terms)?;
                }
                Ok(vec![AnnouncementEvent::LotTermsSet(LotTermsSet {
                    plan_item_id,
                    terms,
                    set_at: now,
                })])
            }
            C::AttachTechnicalSpecification {
                plan_item_id,
                specification,
            } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                // A generated and signed specification cannot be edited, only deleted (L262–268).
                if lot.technical_specification.is_some() {
                    return Err(refusal::technical_specification_exists());
                }
                specification.validate(self.header()?.subject_type)?;
                Ok(vec![AnnouncementEvent::TechnicalSpecificationAttached(
                    TechnicalSpecificationAttached {
                        plan_item_id,
                        specification,
                        attached_at: now,
                    },
                )])
            }
            C::RemoveTechnicalSpecification { plan_item_id } => {
                self.require_drafting(ctx)?;
                let lot = self.lot(&plan_item_id)?;
                self.require_lot_editable(&plan_item_id)?;
                if lot.technical_specification.is_none() {
                    return Err(refusal::technical_specification_missing());
                }
                Ok(vec![AnnouncementEvent::TechnicalSpecificationRemoved(
                    TechnicalSpecificationRemoved {
                        plan_item_id,
                        removed_at: now,
                    },
                )])
            }
            C::RefreshLotFromPlan { source } => {
                self.require_system(ctx)?;
                if !self.status.is_some_and(S::is_draft) {
                    return Err(refusal::not_a_draft());
                }
                self.lot(&source.plan_item_id)?;
                // Lots that were «Работа с ТЭО и ПСД» in the original stay as they were (L1810–1816).
                self.require_lot_editable(&source.plan_item_id)?;
                non_empty("name_ru", &source.name_ru)?;
                if source.amount.is_zero() {
                    return Err(refusal::invalid_amount());
                }
                Ok(vec![AnnouncementEvent::LotRefreshedFromPlan(
                    LotRefreshedFromPlan {
                        source,
                        refreshed_at: now,
                    },
                )])
            }
            _ => unreachable!("decide_existing routes only these commands here"),
        }
    }

    pub(in crate::announcement) fn add_lots(
        &self,
        lots: Vec<LotSource>,
        ctx: &Context,
    ) -> Decision {
        self.require_drafting(ctx)?;
        self.require_original()?;
        if lots.is_empty() {
            return Err(refusal::no_lots_selected());
        }
        let mut seen = BTreeSet::new();
        for lot in &lots {
            if self.lots.contains_key(&lot.plan_item_id) || !seen.insert(lot.plan_item_id.clone()) {
                return Err(refusal::lot_already_added());
            }
            non_empty("lot_number", &lot.lot_number)?;
            non_empty("name_ru", &lot.name_ru)?;
            if lot.amount.is_zero() {
                return Err(refusal::invalid_amount());
            }
        }
        Ok(vec![AnnouncementEvent::LotsAdded(LotsAdded {
            lots,
            added_at: ctx.now,
        })])
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
