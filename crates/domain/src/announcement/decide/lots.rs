//! Lots from the plan while drafting (L734–1300, L1810–1852): the guards, then the component.

use super::Decision;
use crate::actor::Context;
use crate::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent, refusal};
use crate::lot::LotSource;
use crate::status::AnnouncementStatus as S;

impl Announcement {
    /// Decides the commands routed here by `decide_existing`.
    pub(super) fn decide_lots(&self, command: AnnouncementCommand, ctx: &Context) -> Decision {
        use AnnouncementCommand as C;
        let now = ctx.now;
        let lots = &self.lots;
        match command {
            C::AddLots { lots } => self.add_lots(lots, ctx),
            C::RemoveLots { plan_item_ids } => {
                self.require_drafting(ctx)?;
                self.require_original()?;
                let removed = self.plan_lots.remove(lots, plan_item_ids, now)?;
                Ok(vec![AnnouncementEvent::LotsRemoved(removed)])
            }
            C::SetLotTerms {
                plan_item_id,
                terms,
            } => {
                self.require_drafting(ctx)?;
                let subject = self.header()?.subject_type;
                let set = self.plan_lots.set_terms(
                    lots,
                    plan_item_id,
                    terms,
                    subject,
                    self.index > 1,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::LotTermsSet(set)])
            }
            C::AttachTechnicalSpecification {
                plan_item_id,
                specification,
            } => {
                self.require_drafting(ctx)?;
                let subject = self.header()?.subject_type;
                let attached = self.plan_lots.attach_specification(
                    lots,
                    plan_item_id,
                    specification,
                    subject,
                    now,
                )?;
                Ok(vec![AnnouncementEvent::TechnicalSpecificationAttached(
                    attached,
                )])
            }
            C::RemoveTechnicalSpecification { plan_item_id } => {
                self.require_drafting(ctx)?;
                let removed = self
                    .plan_lots
                    .remove_specification(lots, plan_item_id, now)?;
                Ok(vec![AnnouncementEvent::TechnicalSpecificationRemoved(
                    removed,
                )])
            }
            C::RefreshLotFromPlan { source } => {
                self.require_system(ctx)?;
                if !self.status.is_some_and(S::is_draft) {
                    return Err(refusal::not_a_draft());
                }
                let refreshed = self.plan_lots.refresh(lots, source, now)?;
                Ok(vec![AnnouncementEvent::LotRefreshedFromPlan(refreshed)])
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
        if self.rules()?.single_lot() && self.active_lots().count() + lots.len() > 1 {
            return Err(refusal::single_lot_only());
        }
        let added = self.plan_lots.add(&self.lots, lots, ctx.now)?;
        Ok(vec![AnnouncementEvent::LotsAdded(added)])
    }
}
