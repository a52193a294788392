//! The deadline scheduler: when an announcement's deadline passes, it sends the explicit timed
//! command (`EndDiscussion`, `StartAcceptance`, `EndAcceptance`, `EndSupplementPeriod`) as the
//! portal itself; a PPP competition's discussion start likewise (`StartDiscussion`,
//! [`Scheduler::tick_competitions`]). The aggregate refuses a timed command before its instant, so the scheduler can
//! only be late, never early; time comes from the engine's injected clock, so tests move it.
//!
//! It keeps every announcement folded in memory, fed from the global log, and works the same on
//! both backends. Command ids derive from (announcement, transition, instant): two schedulers
//! running at once fire each deadline once, the second answered from the record.

use std::collections::{HashMap, HashSet};
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

use crate::{CommandMeta, Decider, Engine, EngineError, decode};

/// Every announcement, folded from the global log as far as it was read.
#[derive(Default)]
pub(crate) struct Folded {
    after: Option<Position>,
    pub(crate) announcements: HashMap<Uuid, Announcement>,
    /// The PPP competitions (decision 0910): their one timed transition is the discussion's
    /// start (C3).
    competitions: HashMap<Uuid, Competition>,
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
            let mut due: Vec<_> = folded
                .competitions
                .iter()
                .filter_map(|(id, c)| c.discussion_start_due().map(|at| (*id, at)))
                .filter(|(_, at)| *at <= now)
                .collect();
            due.sort_by_key(|(id, at)| (*at, *id));
            due
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
            .announcements
            .iter()
            .flat_map(|(id, a)| a.deadlines().into_iter().map(move |d| (*id, d)))
            .filter(|(id, d)| d.at <= until && !sent.contains(&(*id, d.transition, d.at)))
            .map(|(_, d)| d.at)
            .min())
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

impl Folded {
    /// Folds the announcements' events after where it last read. It keeps how far the log was
    /// searched, past the last announcement event, so that [`Scheduler::caught_up_to`] can wait
    /// for a position of another stream (a sandbox clock's move).
    pub(crate) fn in_bidding(&self) -> Vec<Uuid> {
        self.announcements
            .iter()
            .filter(|(_, a)| {
                a.status == Some(AnnouncementStatus::PublishedAuctionInProgress)
                    // Cancelled during bidding: its bidding is still to be closed (0715).
                    || (a.status == Some(AnnouncementStatus::Cancelled)
                        && a.procedure.auction().is_some_and(|x| x.started_at.is_some()))
            })
            .map(|(id, _)| *id)
            .collect()
    }

    pub(crate) async fn catch_up(&mut self, engine: &Engine) -> Result<(), EngineError> {
        let filter = Filter::categories([Announcement::CATEGORY, Competition::CATEGORY]);
        loop {
            let page = engine
                .store()
                .read_all_through(self.after, &filter, 1000)
                .await?;
            for recorded in &page.events {
                let stream = recorded.stream_id.as_str();
                let id = |prefix: &str| {
                    stream
                        .strip_prefix(prefix)
                        .and_then(|id| Uuid::parse_str(id).ok())
                };
                if let Some(id) = id("announcement-") {
                    let event = decode::<Announcement>(recorded)?;
                    self.announcements.entry(id).or_default().apply(&event);
                } else if let Some(id) = id("competition-") {
                    let event = decode::<Competition>(recorded)?;
                    self.competitions.entry(id).or_default().evolve(&event);
                }
            }
            let through = page.through.or(page.events.last().map(|e| e.position));
            if let Some(through) = through {
                self.after = Some(self.after.map_or(through, |a| a.max(through)));
            }
            if page.events.is_empty() {
                return Ok(());
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
