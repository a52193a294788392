//! Workload 3: rebuilding every read model from the whole log, against a COPY of the rows the
//! read models hold into tables of the same shape.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use sqlx::PgPool;
use zakup_domain::calendar::Calendar;
use zakup_projections::generation::live;
use zakup_store::EventStore;

use crate::Result;
use crate::seed;
use crate::world::Lifecycle;

/// Writes at least `target` events: whole announcements from draft to «Завершено».
pub async fn seed_completed(
    pool: &PgPool,
    calendar: &Arc<Calendar>,
    target: usize,
) -> Result<usize> {
    seed::lives(
        pool,
        calendar,
        target,
        seed::Count::Events,
        |id, calendar| {
            // Drafted over most of a year, as a real log is: lists sort by date.
            let day = (id.as_u128() % 300) as u32;
            let mut life = Lifecycle::new(id, calendar, day, 3, 4);
            life.reach_review();
            life.complete();
            life
        },
    )
    .await
}

pub struct Rebuilt {
    /// Wall seconds to rebuild every read model from one pass over the log, as the daemon does
    /// after a migration.
    pub seconds: f64,
    /// Each read model's own time within that run.
    pub each: Vec<(&'static str, f64)>,
}

pub enum Rebuild {
    Done(Rebuilt),
    /// Stopped at the cap: the slowest read model had applied `applied` events.
    Stopped {
        seconds: f64,
        applied: u64,
    },
}

/// Rebuilds every read model at once from `store`, stopping after `cap`.
pub async fn rebuild_all(pool: &PgPool, store: &dyn EventStore, cap: Duration) -> Result<Rebuild> {
    zakup_projections::migrate(pool).await?;
    let projections = zakup_projections::all();
    let started = Instant::now();
    let each: Vec<&dyn zakup_projections::Projection> =
        projections.iter().map(|p| p.as_ref()).collect();
    let all = zakup_projections::rebuild_together(pool, store, &each, |_, _| {});
    let Ok(reports) = tokio::time::timeout(cap, all).await else {
        let applied: Option<i64> = sqlx::query_scalar(
            "SELECT min(events_applied) FROM projection_generations WHERE state = 'building'",
        )
        .fetch_one(pool)
        .await?;
        return Ok(Rebuild::Stopped {
            seconds: started.elapsed().as_secs_f64(),
            applied: applied.unwrap_or(0) as u64,
        });
    };
    let seconds = started.elapsed().as_secs_f64();
    Ok(Rebuild::Done(Rebuilt {
        seconds,
        each: projections
            .iter()
            .zip(reports?)
            .map(|(p, r)| (p.name(), r.seconds))
            .collect(),
    }))
}

/// Seconds to COPY every row the read models now hold into fresh tables of the same shape
/// (`LIKE … INCLUDING ALL`: columns, keys, indexes), one connection per table, all at once.
/// The rows are read out beforehand, so only the writes are timed, like the rebuild's; the CPU
/// they took is measured over the same span.
pub async fn copy_baseline(pool: &PgPool) -> Result<(f64, crate::cpu::Usage)> {
    sqlx::query("CREATE SCHEMA IF NOT EXISTS raw_rm")
        .execute(pool)
        .await?;
    let mut tables = Vec::new();
    for p in zakup_projections::all() {
        let generation = live(pool, p.name())
            .await?
            .ok_or_else(|| format!("{} has no live generation", p.name()))?;
        for table in p.tables() {
            let source = format!("{}.{table}", generation.schema_name);
            let target = format!("raw_rm.{}_{table}", p.name());
            sqlx::query(&format!(
                "CREATE TABLE {target} (LIKE {source} INCLUDING ALL)"
            ))
            .execute(pool)
            .await?;
            let mut conn = pool.acquire().await?;
            let rows: Vec<_> = conn
                .copy_out_raw(&format!("COPY {source} TO STDOUT (FORMAT binary)"))
                .await?
                .try_collect()
                .await?;
            tables.push((target, rows));
        }
    }
    let started = Instant::now();
    let (copied, usage) = crate::cpu::during(
        futures::stream::iter(tables)
            .map(|(target, rows)| async move {
                let mut conn = pool.acquire().await?;
                let mut copy = conn
                    .copy_in_raw(&format!("COPY {target} FROM STDIN (FORMAT binary)"))
                    .await?;
                for chunk in rows {
                    copy.send(chunk).await?;
                }
                copy.finish().await?;
                Ok::<_, crate::Error>(())
            })
            .buffer_unordered(usize::MAX)
            .try_collect::<Vec<()>>(),
    )
    .await;
    copied?;
    Ok((started.elapsed().as_secs_f64(), usage))
}
