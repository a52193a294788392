//! The deadline scheduler: when an announcement's deadline passes, it sends the explicit timed
//! command (`EndDiscussion`, `StartAcceptance`, `EndAcceptance`, `EndSupplementPeriod`) as the
//! portal itself; a PPP competition's discussion start likewise (`StartDiscussion`,
//! [`Scheduler::tick_competitions`]). The aggregate refuses a timed command before its instant, so the scheduler can
//! only be late, never early; time comes from the engine's injected clock, so tests move it.
//!
//! It keeps the announcements in flight folded in memory, fed from the global log, with an index
//! of their deadlines (`folded`: finished ones are dropped, so memory does not grow with them),
//! and works the same on both backends. Command ids derive from (announcement, transition, instant): two schedulers
//! running at once fire each deadline once, the second answered from the record.

mod folded;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Mutex;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::{Announcement, TimedTransition};
use zakup_domain::competition::{Competition, CompetitionCommand};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::status::AnnouncementStatus;
use zakup_store::{Filter, Position};

pub(crate) use folded::Folded;

use crate::{CommandMeta, Engine, EngineError};

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
    /// The deadline's instant.
    pub at: DateTime<Utc>,
    pub result: Result<(), EngineError>,
    /// Where its events were appended (or found, for one fired before).
    pub position: Option<Position>,
}

/// A competition's discussion start the scheduler sent (C3), and what became of it.
#[derive(Debug)]
pub struct FiredCompetition {
    pub competition_id: Uuid,
    /// The discussion's start.
    pub at: DateTime<Utc>,
    pub result: Result<(), EngineError>,
    pub position: Option<Position>,
}

/// A deadline a sandbox move has sent already: (announcement, transition, instant).
pub(crate) type Sent = HashSet<(Uuid, TimedTransition, DateTime<Utc>)>;

impl Scheduler {
    /// `system` acts for the portal; see [`system_actor`].
    pub fn new(engine: Engine, system: Actor) -> Self {
        Scheduler {
            engine,
            system,
            folded: Mutex::new(Folded::new(in_bidding)),
        }
    }

    /// How many announcements the scheduler holds folded in memory (the bench's workload 9).
    pub async fn followed(&self) -> usize {
        self.folded.lock().await.len()
    }

    /// Fires every transition due at the clock's current instant.
    pub async fn tick(&self) -> Result<Vec<Fired>, EngineError> {
        let due = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            folded.due(self.engine.now())
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
                .await;
            let position = result.as_ref().ok().and_then(|o| o.position);
            fired.push(Fired {
                announcement_id: id,
                transition: deadline.transition,
                at: deadline.at,
                result: result.map(|_| ()),
                position,
            });
        }
        Ok(fired)
    }

    /// Opens every competition's discussion whose start has come (C3, spec 002-003 §4.B.2): the
    /// competition refuses it before the start, so this too can only be late. The command id
    /// derives from (competition, start), as for the announcements' deadlines.
    pub async fn tick_competitions(&self) -> Result<Vec<FiredCompetition>, EngineError> {
        let due = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            let now = self.engine.now();
            folded.competitions_due(now)
        };
        let mut fired = Vec::with_capacity(due.len());
        for (id, at) in due {
            let meta = CommandMeta {
                command_id: Uuid::new_v5(
                    &id,
                    format!("StartDiscussion@{}", at.to_rfc3339()).as_bytes(),
                ),
                correlation_id: None,
                causation_id: None,
                actor: self.system.clone(),
                unread_notices: Default::default(),
            };
            let result = self
                .engine
                .execute::<Competition>(&id.to_string(), &meta, CompetitionCommand::StartDiscussion)
                .await;
            fired.push(FiredCompetition {
                competition_id: id,
                at,
                position: result.as_ref().ok().and_then(|o| o.position),
                result: result.map(|_| ()),
            });
        }
        Ok(fired)
    }

    /// The earliest deadline at or before `until` not in `sent`: where a sandbox move stops next.
    pub(crate) async fn next_due(
        &self,
        until: DateTime<Utc>,
        sent: &Sent,
    ) -> Result<Option<DateTime<Utc>>, EngineError> {
        let mut folded = self.folded.lock().await;
        folded.catch_up(&self.engine).await?;
        Ok(folded
            .due(until)
            .into_iter()
            .find(|(id, d)| !sent.contains(&(*id, d.transition, d.at)))
            .map(|(_, d)| d.at))
    }

    /// The auctions in «Опубликовано (проведение аукциона)», and those cancelled after their
    /// start, as the fold stands: those a sandbox move takes through the results workflow.
    pub(crate) async fn auctions_in_bidding(&self) -> Result<Vec<Uuid>, EngineError> {
        let mut folded = self.folded.lock().await;
        folded.catch_up(&self.engine).await?;
        Ok(folded.in_bidding())
    }

    /// Waits until the fold has read the global log up to `position`: the global log shows a
    /// commit shortly after it happens (once the transactions before it have ended), and a
    /// sandbox move must see a transition's consequences before it looks for the next deadline.
    pub(crate) async fn caught_up_to(&self, position: Position) -> Result<(), EngineError> {
        for _ in 0..1000 {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            if folded.after.is_some_and(|after| after >= position) {
                return Ok(());
            }
            // `position` may be another stream's: once the log shows it, it shows everything
            // before it (gap-free), and one more read of the announcements folds all of that.
            if self.visible(folded.after, position).await? {
                return folded.catch_up(&self.engine).await;
            }
            drop(folded);
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        Err(EngineError::Store(zakup_store::StoreError::Backend(
            format!("the global log did not show position {position} within 10 s"),
        )))
    }

    /// Whether the global log shows `position` yet, read from `after`.
    async fn visible(
        &self,
        mut after: Option<Position>,
        position: Position,
    ) -> Result<bool, EngineError> {
        const PAGE: usize = 1000;
        loop {
            let page = self
                .engine
                .store()
                .read_all(after, &Filter::all(), PAGE)
                .await?;
            if page.iter().any(|e| e.position >= position) {
                return Ok(true);
            }
            match page.last() {
                Some(last) if page.len() == PAGE => after = Some(last.position),
                _ => return Ok(false),
            }
        }
    }

    /// Ticks forever: on every new event, and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            if self.engine.sandbox()
                && let Err(e) = crate::sandbox::follow(&self.engine).await
            {
                tracing::error!(error = %e, "scheduler: the sandbox clock");
            }
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
            match self.tick_competitions().await {
                Ok(fired) => {
                    for f in fired.iter().filter(|f| f.result.is_err()) {
                        tracing::warn!(
                            competition = %f.competition_id,
                            result = ?f.result,
                            "scheduler: discussion start refused"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "scheduler: competitions' tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }
}

/// In «Опубликовано (проведение аукциона)», or cancelled after its bidding started: a sandbox
/// move takes it through the results workflow (0715), so the fold keeps it even when settled.
pub(crate) fn in_bidding(a: &Announcement) -> bool {
    a.status == Some(AnnouncementStatus::PublishedAuctionInProgress)
        || (a.status == Some(AnnouncementStatus::Cancelled)
            && a.procedure
                .auction()
                .is_some_and(|x| x.started_at.is_some()))
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
