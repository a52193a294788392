//! Workload 1: commands through the engine (load the announcement, decide, append) against
//! one-row inserts of the same event with sqlx.
//!
//! The command is a commission member casting or withdrawing a vote while applications are under
//! review: repeatable on one announcement, one event of a realistic size (a ballot with its lots).
//! Each client works on its own announcements, so the figure measures the engine, not contention
//! on one stream; each announcement gets a few dozen commands at most, so streams keep a
//! realistic length (load cost grows with it: there are no snapshots).

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sqlx::PgPool;
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand;
use zakup_domain::calendar::Calendar;
use zakup_domain::plan_item::PlanItemId;
use zakup_engine::{CommandMeta, Engine};
use zakup_store::NewEvent;

use crate::Result;
use crate::seed::Batch;
use crate::world::{Lifecycle, admit, application_id, plan_item, voters};

pub const LOTS: u32 = 3;
pub const SUPPLIERS: u32 = 4;

/// Announcements under review, seeded straight into the store.
pub struct Reviewing {
    pub ids: Vec<Uuid>,
    /// The instant the reviews are at: the engine's clock for the commands that follow.
    pub now: DateTime<Utc>,
    /// The event of one vote, as the engine writes it: the raw baseline inserts the same row.
    pub sample: NewEvent,
}

pub async fn seed_reviewing(
    pool: &PgPool,
    calendar: &Arc<Calendar>,
    count: usize,
) -> Result<Reviewing> {
    let mut ids = Vec::with_capacity(count);
    let mut now = None;
    let mut batch = Batch::default();
    for _ in 0..count {
        let id = Uuid::new_v4();
        let mut life = Lifecycle::new(id, calendar.clone(), 0, LOTS, SUPPLIERS);
        life.reach_review();
        now = Some(life.now);
        let events = life.take();
        batch.push(&life.stream, events)?;
        ids.push(id);
        if batch.events() > 2000 {
            std::mem::take(&mut batch).write(pool).await?;
        }
    }
    if batch.events() > 0 {
        batch.write(pool).await?;
    }
    let mut life = Lifecycle::new(Uuid::new_v4(), calendar.clone(), 0, LOTS, SUPPLIERS);
    life.reach_review();
    let (actor, command) = Votes::new(life.id).next();
    life.take();
    life.run(&actor, command);
    let sample = life.take().pop().ok_or("a vote decides one event")?;
    Ok(Reviewing {
        ids,
        now: now.unwrap_or(life.now),
        sample,
    })
}

/// The votes on one announcement: every voter casts a vote on every application, then withdraws
/// them all, then casts again…, so every command is accepted.
pub struct Votes {
    pub id: Uuid,
    done: usize,
    lots: Vec<PlanItemId>,
}

impl Votes {
    pub fn new(id: Uuid) -> Self {
        Votes {
            id,
            done: 0,
            lots: (1..=LOTS).map(plan_item).collect(),
        }
    }

    pub fn next(&mut self) -> (Actor, AnnouncementCommand) {
        let pairs = 3 * SUPPLIERS as usize;
        let pair = self.done % pairs;
        let withdraw = (self.done / pairs) % 2 == 1;
        self.done += 1;
        let voter = voters()[pair % 3].clone();
        let application_id = application_id(self.id, (pair / 3) as u32 + 1);
        let command = if withdraw {
            AnnouncementCommand::WithdrawVote { application_id }
        } else {
            AnnouncementCommand::CastVote {
                application_id,
                ballot: admit(&self.lots),
            }
        };
        (voter, command)
    }
}

pub fn meta(actor: Actor) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    }
}

/// Commands/s of `clients` concurrent clients for `duration`, each on its own announcements.
pub async fn engine_rate(
    engine: &Engine,
    announcements: &[Uuid],
    clients: usize,
    duration: Duration,
) -> Result<f64> {
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let engine = engine.clone();
            let mut mine: Vec<Votes> = announcements
                .iter()
                .skip(c)
                .step_by(clients)
                .map(|id| Votes::new(*id))
                .collect();
            tokio::spawn(async move {
                let mut done = 0u64;
                while Instant::now() < end {
                    let next = done as usize % mine.len();
                    let votes = &mut mine[next];
                    let (actor, command) = votes.next();
                    engine.announcement(votes.id, &meta(actor), command).await?;
                    done += 1;
                }
                Ok::<_, crate::Error>(done)
            })
        })
        .collect();
    let mut total = 0;
    for t in tasks {
        total += t.await??;
    }
    Ok(total as f64 / started.elapsed().as_secs_f64())
}

/// The raw baseline's table: the event store's own table shape, indexes included.
pub async fn create_raw_table(pool: &PgPool) -> Result<()> {
    sqlx::query("CREATE TABLE IF NOT EXISTS raw_events (LIKE es_events INCLUDING ALL)")
        .execute(pool)
        .await?;
    Ok(())
}

/// Gives the raw table the statement trigger the event store had until its migration 2,
/// `pg_notify` on every insert, inside the inserting transaction: the diagnostic that shows what
/// such a wake-up costs concurrent writers (the store now notifies after its commits).
pub async fn notify_raw_inserts(pool: &PgPool, on: bool) -> Result<()> {
    let sql = if on {
        "CREATE OR REPLACE FUNCTION raw_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN
             PERFORM pg_notify('zakup_events', '');
             RETURN NULL;
         END $$;
         CREATE TRIGGER raw_events_notify AFTER INSERT ON raw_events
             FOR EACH STATEMENT EXECUTE FUNCTION raw_events_notify()"
    } else {
        "DROP TRIGGER raw_events_notify ON raw_events"
    };
    sqlx::raw_sql(sql).execute(pool).await?;
    Ok(())
}

/// Inserts/s of `clients` concurrent clients inserting the sample event, one row per
/// statement (autocommit), for `duration`.
pub async fn raw_rate(
    pool: &PgPool,
    sample: &NewEvent,
    clients: usize,
    duration: Duration,
) -> Result<f64> {
    Ok(raw_run(pool, sample, clients, duration).await?.0)
}

/// [`raw_rate`], with every insert's latency (ms, sorted) for the workloads that compare tails.
pub async fn raw_run(
    pool: &PgPool,
    sample: &NewEvent,
    clients: usize,
    duration: Duration,
) -> Result<(f64, Vec<f64>)> {
    let metadata = serde_json::to_value(&sample.metadata)?;
    let hash = "0".repeat(64);
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (pool, sample, metadata, hash) =
                (pool.clone(), sample.clone(), metadata.clone(), hash.clone());
            tokio::spawn(async move {
                let stream = format!("raw-{}", Uuid::new_v4());
                let mut done = 0u64;
                let mut latencies = Vec::new();
                while Instant::now() < end {
                    let sent = Instant::now();
                    sqlx::query(
                        "INSERT INTO raw_events (stream_id, category, version, event_id,
                             event_type, schema_version, payload, metadata, hash)
                         VALUES ($1, 'announcement', $2, $3, $4, $5, $6, $7, $8)",
                    )
                    .bind(&stream)
                    .bind(done as i64)
                    .bind(Uuid::new_v4())
                    .bind(&sample.event_type)
                    .bind(sample.schema_version as i32)
                    .bind(&sample.payload)
                    .bind(&metadata)
                    .bind(&hash)
                    .execute(&pool)
                    .await?;
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    done += 1;
                }
                Ok::<_, crate::Error>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok((rate, latencies))
}
