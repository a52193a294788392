//! The lot pool's cross-stream process as plain functions (docs/decisions/0503-durable-workflows.md):
//! what it records on its own stream, how that record folds, and which writes on other streams
//! are left to do given what the announcement now says. No I/O here; the runner
//! (`lot_pool::runner`) reads the streams, performs the steps and records the ending.
//!
//! A process is started for every announcement command that reserves, releases, transfers or
//! marks plan items, or that decides an index-2 copy. Its record is written **before** anything
//! else, so whatever a crash interrupts is found again: either the command's events were
//! appended (then their follow-ups are done) or they were not (then its reservations are undone).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId, ReleaseReason};

/// Processes live in `lot_pool-<process id>`: one stream each, two events at most.
pub(crate) const CATEGORY: &str = "lot_pool";

const STARTED: &str = "LotPoolProcessStarted";
const FINISHED: &str = "LotPoolProcessFinished";

/// Recorded before the process writes anywhere else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Started {
    pub announcement_id: Uuid,
    /// The announcement command whose consequences the process carries.
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    /// Who sent it: the steps act on their behalf (decision 0201).
    pub actor: Actor,
    /// The plan items to reserve before the command's events are appended.
    pub reserving: Vec<PlanItemId>,
}

/// How a process ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Ending {
    /// The command's events were appended and everything they name has followed.
    FollowedUp,
    /// They were not: the reservations made for them are released.
    Compensated,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Finished {
    pub ending: Ending,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ProcessEvent {
    Started(Started),
    Finished(Finished),
}

impl ProcessEvent {
    pub fn encode(&self) -> (&'static str, u32, Value) {
        let (event_type, payload) = match self {
            ProcessEvent::Started(e) => (STARTED, serde_json::to_value(e)),
            ProcessEvent::Finished(e) => (FINISHED, serde_json::to_value(e)),
        };
        // Plain structs of strings, ids and enums: serialising them cannot fail.
        (event_type, 1, payload.unwrap_or(Value::Null))
    }

    pub fn decode(event_type: &str, schema_version: u32, payload: &Value) -> Result<Self, String> {
        if schema_version != 1 {
            return Err(format!(
                "{event_type} has no schema version {schema_version}"
            ));
        }
        let payload = payload.clone();
        match event_type {
            STARTED => serde_json::from_value(payload).map(ProcessEvent::Started),
            FINISHED => serde_json::from_value(payload).map(ProcessEvent::Finished),
            other => return Err(format!("unknown event type {other}")),
        }
        .map_err(|e| format!("{event_type}: {e}"))
    }
}

/// A process as its stream tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Process {
    pub started: Option<Started>,
    pub ending: Option<Ending>,
}

impl Process {
    pub fn evolve(&mut self, event: &ProcessEvent) {
        match event {
            ProcessEvent::Started(started) => self.started = Some(started.clone()),
            ProcessEvent::Finished(f) => self.ending = Some(f.ending),
        }
    }

    /// Started and not finished: the runner owes it an ending.
    pub fn unfinished(&self) -> Option<&Started> {
        self.started.as_ref().filter(|_| self.ending.is_none())
    }
}

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
    use zakup_domain::actor::Role;
    use zakup_domain::announcement::event::{DocumentationChangeDecided, LotsRemoved};
    use zakup_domain::ident::{Bin, Iin};

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

    /// The record survives the store: what is written decodes to the same process.
    #[test]
    fn a_process_record_round_trips_and_folds() {
        let started = ProcessEvent::Started(Started {
            announcement_id: Uuid::from_u128(1),
            command_id: Uuid::from_u128(2),
            correlation_id: Uuid::from_u128(2),
            actor: Actor {
                user_id: "organizer".into(),
                iin: (0..20)
                    .find_map(|k| Iin::from_prefix(&format!("85010130{k:03}")).ok())
                    .unwrap(),
                org: (0..20)
                    .find_map(|k| Bin::from_prefix(&format!("0501400{k:04}")).ok())
                    .unwrap(),
                roles: vec![Role::Organizer],
            },
            reserving: vec![item(1)],
        });
        let finished = ProcessEvent::Finished(Finished {
            ending: Ending::Compensated,
        });
        let mut process = Process::default();
        for event in [&started, &finished] {
            let (event_type, version, payload) = event.encode();
            let decoded = ProcessEvent::decode(event_type, version, &payload).unwrap();
            assert_eq!(&decoded, event);
            process.evolve(&decoded);
            assert_eq!(process.unfinished().is_some(), decoded == started);
        }
        assert!(ProcessEvent::decode(STARTED, 2, &Value::Null).is_err());
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
