//! What the plan items must do around an announcement's events: the domain half of the engine's
//! reserve → append → compensate process (docs/decisions/0201-lot-pool-reservation.md).

use uuid::Uuid;

use crate::announcement::{Announcement, AnnouncementEvent};
use crate::lot::LotOutcome;
use crate::plan_item::{PlanItemCommand, PlanItemId, ReleaseReason};

impl Announcement {
    /// The reservations to obtain **before** appending `events` decided on this announcement:
    /// one `Reserve` per lot added. If any is refused, or the append fails, the engine releases
    /// the ones it got with `ReleaseReason::AppendFailed`.
    pub fn reservations_for(
        &self,
        events: &[AnnouncementEvent],
    ) -> Vec<(PlanItemId, PlanItemCommand)> {
        // An announcement these events create (the automatic single source, decision 0724)
        // reserves its lots as a draft would.
        let created = self.id.is_none().then(|| Announcement::fold(events));
        let announcement = created.as_ref().unwrap_or(self);
        let (Some(id), Some(header)) = (announcement.id, &announcement.header) else {
            return Vec::new();
        };
        let mut reservations: Vec<_> = events
            .iter()
            .filter_map(|event| match event {
                AnnouncementEvent::LotsAdded(added) => Some(&added.lots),
                _ => None,
            })
            .flatten()
            .map(|lot| {
                let reserve = PlanItemCommand::Reserve {
                    announcement_id: id,
                    lot_number: lot.lot_number.clone(),
                    method: header.method,
                    procurement_type: header.procurement_type,
                    customer_bin: lot.customer_bin,
                    amount: lot.amount,
                };
                (lot.plan_item_id.clone(), reserve)
            })
            .collect();
        reservations.extend(self.invitation_checks(events));
        reservations
    }

    /// A single source invites no supplier that a failed procurement of one of its lots rejected
    /// under article 6 (spec 000-C §2.4 rule 4, L6972–6982; docs/decisions/0726): the plan items
    /// it already holds are asked when the invited supplier is named and again at publication
    /// (lots may be added after the supplier). A plan item is asked once per decision.
    fn invitation_checks(
        &self,
        events: &[AnnouncementEvent],
    ) -> Vec<(PlanItemId, PlanItemCommand)> {
        let asks = events.iter().any(|event| {
            matches!(
                event,
                AnnouncementEvent::SingleSourceTermsSet(_)
                    | AnnouncementEvent::AnnouncementPublished(_)
            )
        });
        let Some(id) = self.id.filter(|_| asks) else {
            return Vec::new();
        };
        let mut after = self.clone();
        events.iter().for_each(|e| after.apply(e));
        let Some(terms) = after.procedure.single_source_terms() else {
            return Vec::new();
        };
        self.lots
            .keys()
            .filter(|item| self.holds_plan_item(item))
            .map(|item| {
                let check = PlanItemCommand::CheckInvitation {
                    announcement_id: id,
                    supplier_bin: terms.invited_supplier_bin,
                };
                (item.clone(), check)
            })
            .collect()
    }
}

impl AnnouncementEvent {
    /// The plan-item commands that follow this event **after** it is appended to the stream of
    /// `announcement_id`. All of them are idempotent, so the engine retries until they succeed.
    pub fn plan_item_followups(&self, announcement_id: Uuid) -> Vec<(PlanItemId, PlanItemCommand)> {
        let release = |ids: &[PlanItemId], reason| {
            ids.iter()
                .map(|id| {
                    (
                        id.clone(),
                        PlanItemCommand::Release {
                            announcement_id,
                            reason,
                        },
                    )
                })
                .collect()
        };
        match self {
            AnnouncementEvent::LotsRemoved(e) => {
                release(&e.plan_item_ids, ReleaseReason::RemovedFromDraft)
            }
            AnnouncementEvent::DraftDeleted(e) => {
                release(&e.plan_item_ids, ReleaseReason::DraftDeleted)
            }
            AnnouncementEvent::LotsCancelled(e) => {
                release(&e.plan_item_ids, ReleaseReason::LotCancelled)
            }
            AnnouncementEvent::ProcurementRefused(e) => {
                release(&e.plan_item_ids, ReleaseReason::CustomerRefused)
            }
            AnnouncementEvent::AnnouncementCopyCreated(e) => e
                .lots
                .iter()
                .map(|lot| {
                    let transfer = PlanItemCommand::Transfer {
                        from_announcement_id: e.source_announcement_id,
                        to_announcement_id: announcement_id,
                    };
                    (lot.plan_item_id().clone(), transfer)
                })
                .collect(),
            AnnouncementEvent::ProcurementCompleted(e) => e
                .outcomes
                .iter()
                .filter_map(|record| {
                    let command = match record.outcome {
                        LotOutcome::Held { .. } => {
                            PlanItemCommand::MarkProcurementHeld { announcement_id }
                        }
                        LotOutcome::Failed { .. } => PlanItemCommand::MarkProcurementFailed {
                            announcement_id,
                            article6_rejected_bins: record.article6_rejected_bins.clone(),
                        },
                        // Already released with the cancellation.
                        LotOutcome::Cancelled => return None,
                    };
                    Some((record.plan_item_id.clone(), command))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}
