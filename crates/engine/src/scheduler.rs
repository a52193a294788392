//! The deadline scheduler: when an announcement's deadline passes, it sends the explicit timed
//! command (`EndDiscussion`, `StartAcceptance`, `EndAcceptance`, `EndSupplementPeriod`) as the
//! portal itself. The aggregate refuses a timed command before its instant, so the scheduler can
//! only be late, never early; time comes from the engine's injected clock, so tests move it.
//!
//! It keeps every announcement folded in memory, fed from the global log, and works the same on
//! both backends. Command ids derive from (announcement, transition, instant): two schedulers
//! running at once fire each deadline once, the second answered from the record.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Mutex;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::{Announcement, TimedTransition};
use zakup_domain::ident::{Bin, Iin};
use zakup_store::{Filter, Position};

use crate::{CommandMeta, Decider, Engine, EngineError, decode};

/// Every announcement, folded from the global log as far as it was read.
#[derive(Default)]
pub(crate) struct Folded {
    after: Option<Position>,
    pub(crate) announcements: HashMap<Uuid, Announcement>,
}

pub struct Scheduler {
    engine: Engine,
    system: Actor,
    folded: Mutex<Folded>,
}

/// A timed transition the scheduler sent, and what became of it.
#[derive(Debug)]
pub struct Fired {
    pub announcement_id: Uuid,
    pub transition: TimedTransition,
    pub result: Result<(), EngineError>,
}

impl Scheduler {
    /// `system` acts for the portal; see [`system_actor`].
    pub fn new(engine: Engine, system: Actor) -> Self {
        Scheduler {
            engine,
            system,
            folded: Mutex::default(),
        }
    }

    /// Fires every transition due at the clock's current instant.
    pub async fn tick(&self) -> Result<Vec<Fired>, EngineError> {
        let due = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            let now = self.engine.now();
            let mut due: Vec<_> = folded
                .announcements
                .iter()
                .flat_map(|(id, a)| a.deadlines().into_iter().map(move |d| (*id, d)))
                .filter(|(_, d)| d.at <= now)
                .collect();
            due.sort_by_key(|(id, d)| (d.at, *id));
            due
        };
        let mut fired = Vec::with_capacity(due.len());
        for (id, deadline) in due {
            let meta = CommandMeta {
                command_id: Uuid::new_v5(
                    &id,
                    format!("{:?}@{}", deadline.transition, deadline.at.to_rfc3339()).as_bytes(),
                ),
                correlation_id: None,
                causation_id: None,
                actor: self.system.clone(),
                // The scheduler is never blocked by a notice (docs/decisions/0310).
                unread_notices: Default::default(),
            };
            let result = self
                .engine
                .announcement(id, &meta, deadline.transition.command())
                .await
                .map(|_| ());
            fired.push(Fired {
                announcement_id: id,
                transition: deadline.transition,
                result,
            });
        }
        Ok(fired)
    }

    /// Ticks forever: on every new event, and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.tick().await {
                Ok(fired) => {
                    for f in fired.iter().filter(|f| f.result.is_err()) {
                        tracing::warn!(
                            transition = ?f.transition,
                            announcement = %f.announcement_id,
                            result = ?f.result,
                            "scheduler: transition refused"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "scheduler: tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }
}

impl Folded {
    /// Reads the announcements' events after the last one folded.
    pub(crate) async fn catch_up(&mut self, engine: &Engine) -> Result<(), EngineError> {
        let filter = Filter::categories([Announcement::CATEGORY]);
        loop {
            let batch = engine.store().read_all(self.after, &filter, 1000).await?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            self.after = Some(last.position);
            for recorded in &batch {
                let Some(id) = recorded
                    .stream_id
                    .as_str()
                    .strip_prefix("announcement-")
                    .and_then(|id| Uuid::parse_str(id).ok())
                else {
                    continue;
                };
                let event = decode::<Announcement>(recorded)?;
                self.announcements.entry(id).or_default().apply(&event);
            }
        }
    }
}

/// The portal's own identity for timed commands: role `system`, with a fixed, valid ИИН and
/// БИН (the portal operator's) so the envelope's actor is always well-formed.
pub fn system_actor(operator_bin: Bin, operator_iin: Iin) -> Actor {
    Actor {
        user_id: "system".into(),
        iin: operator_iin,
        org: operator_bin,
        roles: vec![Role::System],
    }
}
