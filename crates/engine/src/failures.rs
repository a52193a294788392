//! The measures of technical failures, maintenance windows and force majeure, applied to the
//! procurements they touch (spec 001-004 §4.2, §4.4, §4.5; decision 0873): a workflow across
//! streams. It reads the failures (`technical_failure-*`) and windows (`maintenance_window-*`)
//! and, for each affected announcement, sends `ExtendDeadlines` with the cause's facts; the
//! announcement decides what moves (`procedure::extensions`) and marks the step done on its own
//! stream. So whether a step is done is what the announcement's stream says, and each command id
//! derives from the cause, the announcement and the step: a crash between two announcements is
//! completed by the next tick, and a step sent twice is answered from the record.
//!
//! Which announcements a cause affects is read from the fold of every announcement, the read
//! model of the running procedures' steps: a medium failure names its procurements (004 L600);
//! a high failure affects every procedure whose open deadline coincides with it (004 L721); a
//! window, every procedure with a deadline inside it (004 L760); force majeure, every procedure
//! open while it lasted (004 L731).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::Mutex;
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::{Announcement, AnnouncementCommand};
use zakup_domain::maintenance_window::MaintenanceWindow;
use zakup_domain::procedure::extensions::{ExtensionCause, FailureFacts, OpenDeadlines};
use zakup_domain::technical_failure::{Level, TechnicalFailure};
use zakup_store::{Filter, Position};

use crate::scheduler::Folded;
use crate::{CommandMeta, Decider, Engine, EngineError, decode};

/// What a tick did for one cause and one announcement.
#[derive(Debug)]
pub struct MeasuresApplied {
    pub cause_id: Uuid,
    pub announcement_id: Uuid,
    pub result: Result<(), EngineError>,
}

/// The failures and windows, folded from the global log as far as it was read.
#[derive(Default)]
struct Causes {
    after: Option<Position>,
    failures: HashMap<Uuid, TechnicalFailure>,
    windows: HashMap<Uuid, MaintenanceWindow>,
}

impl Causes {
    async fn catch_up(&mut self, engine: &Engine) -> Result<(), EngineError> {
        let filter = Filter::categories([TechnicalFailure::CATEGORY, MaintenanceWindow::CATEGORY]);
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
                if let Some(id) = id("technical_failure-") {
                    let event = decode::<TechnicalFailure>(recorded)?;
                    self.failures.entry(id).or_default().evolve(&event);
                } else if let Some(id) = id("maintenance_window-") {
                    let event = decode::<MaintenanceWindow>(recorded)?;
                    self.windows.entry(id).or_default().evolve(&event);
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

    /// Every cause with measures to apply now.
    fn pending(&self, now: DateTime<Utc>) -> Vec<ExtensionCause> {
        let failures = self.failures.values().flat_map(|f| {
            let (Some(reported), Some(confirmed), None) = (&f.reported, &f.confirmed, &f.refuted)
            else {
                return vec![];
            };
            let mut causes = Vec::new();
            if confirmed.level != Level::Low {
                causes.push(ExtensionCause::Failure(FailureFacts {
                    failure_id: reported.failure_id,
                    confirmed: true,
                    level: confirmed.level,
                    started_at: confirmed.started_at,
                    planned_elimination: confirmed.planned_elimination,
                    eliminated_at: f.eliminated.as_ref().map(|e| e.eliminated_at),
                    decryption_impossible: confirmed.decryption_impossible,
                }));
            }
            if let Some(fm) = &f.force_majeure {
                causes.push(ExtensionCause::ForceMajeure {
                    failure_id: reported.failure_id,
                    started_at: fm.started_at,
                    ended_at: fm.ended_at,
                    days: fm.days,
                });
            }
            causes
        });
        let windows = self.windows.values().filter_map(|w| {
            let w = w.announced.as_ref()?;
            // A window over is no longer a reason to move what lies ahead.
            (w.ends_at >= now).then_some(ExtensionCause::Maintenance {
                window_id: w.window_id,
                starts_at: w.starts_at,
                ends_at: w.ends_at,
            })
        });
        failures.chain(windows).collect()
    }

    /// Whether `cause` concerns the announcement `id`, as the fold shows it.
    fn affects(
        &self,
        cause: &ExtensionCause,
        id: Uuid,
        a: &Announcement,
        now: DateTime<Utc>,
    ) -> bool {
        if a.extensions
            .applied(cause.reason(), cause.id(), cause.stage())
        {
            return false;
        }
        let open = a.open_deadlines();
        let any = |f: &dyn Fn(DateTime<Utc>, DateTime<Utc>) -> bool| {
            let OpenDeadlines {
                acceptance,
                supplement,
            } = &open;
            [acceptance, supplement]
                .into_iter()
                .flatten()
                .any(|w| f(w.start, w.end))
        };
        match *cause {
            ExtensionCause::Failure(f) if f.level == Level::Medium => self
                .failures
                .get(&f.failure_id)
                .and_then(|failure| failure.confirmed.as_ref())
                .is_some_and(|c| c.affected_announcements.contains(&id)),
            ExtensionCause::Failure(f) => {
                // A held procedure is finished by the elimination even if no longer open.
                let held = a.extensions.applied(
                    cause.reason(),
                    f.failure_id,
                    zakup_domain::procedure::extensions::ExtensionStage::Hold,
                );
                let until = f
                    .eliminated_at
                    .unwrap_or_else(|| f.planned_elimination.max(now));
                held || any(&|start, end| start <= until && end >= f.started_at)
            }
            ExtensionCause::Maintenance {
                starts_at, ends_at, ..
            } => any(&|_, end| starts_at <= end && end <= ends_at),
            ExtensionCause::ForceMajeure {
                started_at,
                ended_at,
                ..
            } => any(&|start, end| start <= ended_at && end >= started_at),
        }
    }
}

/// Applies the measures, beside the scheduler.
pub struct FailureRunner {
    engine: Engine,
    system: Actor,
    folded: Mutex<(Causes, Folded)>,
}

impl FailureRunner {
    /// `system` acts for the portal (`scheduler::system_actor`).
    pub fn new(engine: Engine, system: Actor) -> Self {
        FailureRunner {
            engine,
            system,
            // Only the announcements in flight: a settled one has no deadline to extend.
            folded: Mutex::new((Causes::default(), Folded::new(|_| false))),
        }
    }

    /// Applies every step that waits; what each one did (one failure does not hold the others).
    pub async fn tick(&self) -> Result<Vec<MeasuresApplied>, EngineError> {
        let now = self.engine.now();
        let waiting: Vec<(ExtensionCause, Uuid)> = {
            let mut guard = self.folded.lock().await;
            let (causes, folded) = &mut *guard;
            causes.catch_up(&self.engine).await?;
            folded.catch_up(&self.engine).await?;
            let mut waiting: Vec<_> = causes
                .pending(now)
                .into_iter()
                .flat_map(|cause| {
                    folded
                        .iter()
                        .filter(|(id, a)| causes.affects(&cause, *id, a, now))
                        .map(|(id, _)| (cause, id))
                        .collect::<Vec<_>>()
                })
                .collect();
            waiting.sort_by_key(|(cause, id)| (cause.id(), *id));
            waiting
        };
        let mut applied = Vec::with_capacity(waiting.len());
        for (cause, announcement_id) in waiting {
            let result = self.apply(cause, announcement_id).await;
            applied.push(MeasuresApplied {
                cause_id: cause.id(),
                announcement_id,
                result,
            });
        }
        Ok(applied)
    }

    /// Ticks forever: on every new event, and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.tick().await {
                Ok(applied) => {
                    for a in applied.iter().filter(|a| a.result.is_err()) {
                        tracing::warn!(
                            cause = %a.cause_id,
                            announcement = %a.announcement_id,
                            result = ?a.result,
                            "failure runner: step failed"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "failure runner: tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }

    async fn apply(&self, cause: ExtensionCause, announcement_id: Uuid) -> Result<(), EngineError> {
        let step = format!(
            "deadline-measures/{:?}/{announcement_id}/{:?}",
            cause.reason(),
            cause.stage()
        );
        let meta = CommandMeta {
            command_id: Uuid::new_v5(&cause.id(), step.as_bytes()),
            correlation_id: Some(cause.id()),
            causation_id: None,
            actor: self.system.clone(),
            unread_notices: Default::default(),
        };
        let command = AnnouncementCommand::ExtendDeadlines { cause };
        match self
            .engine
            .announcement(announcement_id, &meta, command)
            .await
        {
            // Applied by another runner since the fold was read.
            Err(EngineError::Refused(e)) if e.code == "deadline_measures_applied" => Ok(()),
            result => result.map(|_| ()),
        }
    }
}
