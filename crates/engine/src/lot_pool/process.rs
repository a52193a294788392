//! The lot pool's cross-stream process as plain functions (docs/decisions/0503-durable-workflows.md):
//! which writes on other streams are left to do given what the announcement now says. What the
//! process records on its own stream, and how that folds, is the domain's
//! (`zakup_domain::lot_pool`). No I/O here; the runner (`lot_pool::runner`) reads the streams,
//! performs the steps and records the ending.

use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId, ReleaseReason};

/// One write of the process on another stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    PlanItem(PlanItemId, PlanItemCommand),
    /// The index-2 copy that `DocumentationChangeDecided` names (L1746–1760).
    IndexCopy {
        copy_id: Uuid,
    },
}

/// Whether the events decided on announcement `id` need a process: they reserve (`reserving`),
/// name plan items to follow (`AnnouncementEvent::plan_item_followups`), or decide a copy.
pub(crate) fn needed(id: Uuid, reserving: &[PlanItemId], events: &[AnnouncementEvent]) -> bool {
    !reserving.is_empty()
        || events.iter().any(|e| {
            matches!(e, AnnouncementEvent::DocumentationChangeDecided(_))
                || !e.plan_item_followups(id).is_empty()
        })
}

/// What follows `recorded`, the command's events as appended to announcement `id`, given the
/// announcement `now`. A release is skipped while the announcement holds the item again: a later
/// command may have taken it back after this one removed it, and the reservation is its own.
pub(crate) fn follow_ups(
    id: Uuid,
    now: &Announcement,
    recorded: &[AnnouncementEvent],
) -> Vec<Step> {
    let plan_items = recorded
        .iter()
        .flat_map(|e| e.plan_item_followups(id))
        .filter(|(item, command)| {
            !matches!(command, PlanItemCommand::Release { .. }) || !now.holds_plan_item(item)
        })
        .map(|(item, command)| Step::PlanItem(item, command));
    let copies = recorded.iter().filter_map(|e| match e {
        AnnouncementEvent::DocumentationChangeDecided(d) => Some(Step::IndexCopy {
            copy_id: d.copy_announcement_id,
        }),
        _ => None,
    });
    plan_items.chain(copies).collect()
}

/// What undoes the reservations of a command that was never appended: a release of every item
/// the announcement `now` does not hold (one it holds was reserved again for a command that was).
/// Releasing an item that is free already, or held by another announcement, changes nothing.
pub(crate) fn compensation(id: Uuid, now: &Announcement, reserving: &[PlanItemId]) -> Vec<Step> {
    reserving
        .iter()
        .filter(|item| !now.holds_plan_item(item))
        .map(|item| {
            let release = PlanItemCommand::Release {
                announcement_id: id,
                reason: ReleaseReason::AppendFailed,
            };
            Step::PlanItem(item.clone(), release)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use zakup_domain::announcement::event::{DocumentationChangeDecided, LotsRemoved};

    use super::*;

    fn item(n: u32) -> PlanItemId {
        PlanItemId(format!("PI-{n}"))
    }

    fn release(id: Uuid, reason: ReleaseReason) -> PlanItemCommand {
        PlanItemCommand::Release {
            announcement_id: id,
            reason,
        }
    }

    /// Decision 0201: removals release after the append; a decided copy is made. Nothing else
    /// needs a process.
    #[test]
    fn follow_ups_release_what_the_announcement_no_longer_holds_and_make_the_copy() {
        let id = Uuid::from_u128(1);
        let at = Utc.with_ymd_and_hms(2026, 2, 2, 4, 0, 0).unwrap();
        let removed = AnnouncementEvent::LotsRemoved(LotsRemoved {
            plan_item_ids: vec![item(1), item(2)],
            removed_at: at,
        });
        let decided = AnnouncementEvent::DocumentationChangeDecided(DocumentationChangeDecided {
            copy_announcement_id: Uuid::from_u128(9),
            decided_at: at,
        });
        let events = [removed, decided];
        assert!(needed(id, &[], &events));
        assert!(!needed(id, &[], &[]));
        assert_eq!(
            follow_ups(id, &Announcement::default(), &events),
            vec![
                Step::PlanItem(item(1), release(id, ReleaseReason::RemovedFromDraft)),
                Step::PlanItem(item(2), release(id, ReleaseReason::RemovedFromDraft)),
                Step::IndexCopy {
                    copy_id: Uuid::from_u128(9)
                },
            ]
        );
    }

    /// A command never appended gives back what it reserved.
    #[test]
    fn compensation_releases_every_reservation_the_announcement_does_not_hold() {
        let id = Uuid::from_u128(1);
        let reserving = [item(1), item(2)];
        assert!(needed(id, &reserving, &[]));
        assert_eq!(
            compensation(id, &Announcement::default(), &reserving),
            vec![
                Step::PlanItem(item(1), release(id, ReleaseReason::AppendFailed)),
                Step::PlanItem(item(2), release(id, ReleaseReason::AppendFailed)),
            ]
        );
    }
}
