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
        events
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
                        LotOutcome::Failed { .. } => {
                            PlanItemCommand::MarkProcurementFailed { announcement_id }
                        }
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
