//! Workload 5: how long after a command commits its event is visible in every read model, under
//! a steady load of commands.

use std::sync::Arc;
use std::time::{Duration, Instant};

use uuid::Uuid;
use zakup_engine::Engine;
use zakup_projections::Daemon;

use crate::Result;
use crate::commands::{Votes, meta};
use crate::report::percentile;

/// A visibility that takes longer counts as a failure of the workload, not as a sample.
const GIVE_UP: Duration = Duration::from_secs(10);

pub struct Lags {
    /// Sorted, in milliseconds.
    pub samples: Vec<f64>,
}

impl Lags {
    pub fn p(&self, p: f64) -> f64 {
        percentile(&self.samples, p)
    }
}

/// Issues `rate` commands per second for `duration` (open loop: a command starts on its tick
/// whether or not the earlier ones are visible yet) and measures, for each, the time from the
/// engine's answer (the commit) to the moment every read model has applied its event.
pub async fn measure(
    engine: &Engine,
    daemon: Arc<Daemon>,
    announcements: &[Uuid],
    rate: u32,
    duration: Duration,
) -> Result<Lags> {
    let announcements: Vec<Arc<tokio::sync::Mutex<Votes>>> = announcements
        .iter()
        .map(|id| Arc::new(tokio::sync::Mutex::new(Votes::new(*id))))
        .collect();
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / f64::from(rate)));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let total = (f64::from(rate) * duration.as_secs_f64()) as usize;
    let mut tasks = Vec::with_capacity(total);
    for n in 0..total {
        tick.tick().await;
        let (engine, daemon) = (engine.clone(), daemon.clone());
        let votes = announcements[n % announcements.len()].clone();
        tasks.push(tokio::spawn(async move {
            // One command at a time per announcement, as one commission's clicks arrive.
            let outcome = {
                let mut votes = votes.lock().await;
                let (actor, command) = votes.next();
                engine.announcement(votes.id, &meta(actor), command).await?
            };
            let committed = Instant::now();
            let position = outcome.position.ok_or("a vote appends an event")?;
            if !daemon.wait_for("announcement", position, GIVE_UP).await {
                return Err(format!("not visible after {GIVE_UP:?}").into());
            }
            Ok::<_, crate::Error>(committed.elapsed().as_secs_f64() * 1e3)
        }));
    }
    let mut samples = Vec::with_capacity(total);
    for t in tasks {
        samples.push(t.await??);
    }
    samples.sort_by(f64::total_cmp);
    Ok(Lags { samples })
}

/// Runs one command on `announcement` and waits until the read models show it: the daemon has
/// caught up with the seeded history and the measurement starts from a steady state.
pub async fn catch_up(engine: &Engine, daemon: &Daemon, announcement: Uuid) -> Result<()> {
    let (actor, command) = Votes::new(announcement).next();
    let outcome = engine
        .announcement(announcement, &meta(actor), command)
        .await?;
    let position = outcome.position.ok_or("a vote appends an event")?;
    if daemon
        .wait_for("announcement", position, Duration::from_secs(300))
        .await
    {
        Ok(())
    } else {
        Err("the read models did not catch up with the seeded history".into())
    }
}
