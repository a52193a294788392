//! The record of the lot pool's cross-stream processes (docs/decisions/0503-durable-workflows.md):
//! the events a process writes on its own stream `lot_pool-<process id>`, and their fold. The
//! engine runs the process (`zakup_engine::lot_pool`); these are its stored facts, a contract
//! like every other event set (schemas in `schemas/events/`, fixtures in `tests/fixtures/events/`).
//!
//! A process is started for every announcement command that reserves, releases, transfers or
//! marks plan items, or that decides an index-2 copy. Its record is written **before** anything
//! else, so whatever a crash interrupts is found again: either the command's events were
//! appended (then their follow-ups are done) or they were not (then its reservations are undone).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::Actor;
use crate::kernel::event::event_set;
use crate::plan_item::PlanItemId;

/// Processes live in `lot_pool-<process id>`: one stream each, two events at most.
pub const CATEGORY: &str = "lot_pool";

/// Recorded before the process writes anywhere else.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotPoolProcessStarted {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// The command's events were appended and everything they name has followed.
    FollowedUp,
    /// They were not: the reservations made for them are released.
    Compensated,
}

/// Recorded once every step is done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotPoolProcessFinished {
    pub ending: Ending,
}

event_set! {
    /// What a process's stream holds.
    pub enum LotPoolProcessEvent {
        Started(LotPoolProcessStarted) = 1,
        Finished(LotPoolProcessFinished) = 1,
    }
}

/// A process as its stream tells it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Process {
    pub started: Option<LotPoolProcessStarted>,
    pub ending: Option<Ending>,
}

impl Process {
    pub fn evolve(&mut self, event: &LotPoolProcessEvent) {
        match event {
            LotPoolProcessEvent::Started(started) => self.started = Some(started.clone()),
            LotPoolProcessEvent::Finished(f) => self.ending = Some(f.ending),
        }
    }

    /// Started and not finished: the runner owes it an ending.
    pub fn unfinished(&self) -> Option<&LotPoolProcessStarted> {
        self.started.as_ref().filter(|_| self.ending.is_none())
    }
}

/// The lot-pool runner's own record, on `lot_pool_runner-<name>`: where it has read the process
/// log to, so that a restart starts there, and whether the installation's orphans older than
/// processes were released (decision 0503).
pub const RUNNER_CATEGORY: &str = "lot_pool_runner";

/// A process event, named by its stream and version: a mark in the global log that means the
/// same on every backend (positions do not survive `zakup migrate-events`; stream versions do).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LogMark {
    pub stream_id: String,
    pub version: u64,
}

/// Every process whose record lies at or before `through` in the global log has ended, except
/// the `open` ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotPoolRunnerCheckpointed {
    pub through: LogMark,
    pub open: Vec<Uuid>,
}

/// The sweep of the orphans older than processes ran on this installation (once is enough: every
/// later reservation is recorded by its process first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotPoolOrphansReleased {
    pub released: Vec<PlanItemId>,
}

event_set! {
    /// What the runner's streams hold.
    pub enum LotPoolRunnerEvent {
        Checkpointed(LotPoolRunnerCheckpointed) = 1,
        OrphansReleased(LotPoolOrphansReleased) = 1,
    }
}
