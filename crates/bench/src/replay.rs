//! Workload 4: an auditor's as-of replay of one long announcement, against the raw ordered
//! SELECT of the same rows.

use std::sync::Arc;
use std::time::Instant;

use sqlx::PgPool;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::calendar::Calendar;
use zakup_engine::Engine;
use zakup_store::StreamRange;

use crate::Result;
use crate::commands::{LOTS, SUPPLIERS, Votes};
use crate::report::percentile;
use crate::seed::Batch;
use crate::world::Lifecycle;

/// An announcement with `events` events: a review in which the commission casts and withdraws
/// votes, the longest stream a real procedure produces.
pub async fn seed_long(pool: &PgPool, calendar: &Arc<Calendar>, events: usize) -> Result<Uuid> {
    let mut life = Lifecycle::new(Uuid::new_v4(), calendar.clone(), 0, LOTS, SUPPLIERS);
    life.reach_review();
    let mut taken = life.take();
    let mut votes = Votes::new(life.id);
    while taken.len() < events {
        let (actor, command) = votes.next();
        life.run(&actor, command);
        taken.extend(life.take());
    }
    taken.truncate(events);
    let mut batch = Batch::default();
    batch.push(&life.stream, taken)?;
    batch.write(pool).await?;
    Ok(life.id)
}

pub struct Replayed {
    pub engine_ms: f64,
    pub raw_ms: f64,
}

/// Median times over `rounds` rounds, engine and raw alternating so both see the same cache and
/// machine load. As of the last version, so both read every event.
pub async fn measure(
    engine: &Engine,
    pool: &PgPool,
    id: Uuid,
    events: usize,
    rounds: usize,
) -> Result<Replayed> {
    let last = events as u64 - 1;
    let key = id.to_string();
    let stream = format!("announcement-{key}");
    let (mut engine_ms, mut raw_ms) = (Vec::new(), Vec::new());
    // The first round warms the caches and is not counted.
    for round in 0..=rounds {
        let started = Instant::now();
        let loaded = engine
            .load::<Announcement>(&key, StreamRange::up_to_version(last))
            .await?;
        let engine_took = started.elapsed().as_secs_f64() * 1e3;
        if loaded.events.len() != events {
            return Err(format!("replayed {} events of {events}", loaded.events.len()).into());
        }
        let started = Instant::now();
        let rows = sqlx::query(
            "SELECT stream_id, version, event_id, event_type, schema_version, payload, metadata,
                    recorded_at, tx_id::text, global_position, hash
               FROM es_events WHERE stream_id = $1 AND version <= $2 ORDER BY version",
        )
        .bind(&stream)
        .bind(last as i64)
        .fetch_all(pool)
        .await?;
        let raw_took = started.elapsed().as_secs_f64() * 1e3;
        if rows.len() != events {
            return Err(format!("selected {} rows of {events}", rows.len()).into());
        }
        if round > 0 {
            engine_ms.push(engine_took);
            raw_ms.push(raw_took);
        }
    }
    engine_ms.sort_by(f64::total_cmp);
    raw_ms.sort_by(f64::total_cmp);
    Ok(Replayed {
        engine_ms: percentile(&engine_ms, 50.0),
        raw_ms: percentile(&raw_ms, 50.0),
    })
}
