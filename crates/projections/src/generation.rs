//! Generations of a read model: blue/green builds, exactly-once batches, the atomic switch.

use std::time::Instant;

use sqlx::{Executor, PgConnection, PgPool, Row};
use tracing::Instrument;
use zakup_store::{EventStore, Filter, Page, Position, RecordedEvent};

use crate::projection::{Projection, ProjectionError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generation {
    pub projection: String,
    pub generation: i32,
    pub schema_name: String,
    pub schema_version: i32,
    pub state: String,
    pub checkpoint: Option<Position>,
    pub events_applied: i64,
}

const SELECT: &str = "SELECT projection, generation, schema_name, schema_version, state, \
                      position_major, position_minor, events_applied FROM projection_generations";

fn decode(row: &sqlx::postgres::PgRow) -> Result<Generation, sqlx::Error> {
    let (major, minor): (i64, i64) = (row.try_get(5)?, row.try_get(6)?);
    Ok(Generation {
        projection: row.try_get(0)?,
        generation: row.try_get(1)?,
        schema_name: row.try_get(2)?,
        schema_version: row.try_get(3)?,
        state: row.try_get(4)?,
        checkpoint: (major, minor).ne(&(0, 0)).then_some(Position {
            major: major as u64,
            minor: minor as u64,
        }),
        events_applied: row.try_get(7)?,
    })
}

pub async fn live(pool: &PgPool, projection: &str) -> Result<Option<Generation>, ProjectionError> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE projection = $1 AND state = 'live'"
    ))
    .bind(projection)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}

async fn reload(pool: &PgPool, g: &Generation) -> Result<Option<Generation>, ProjectionError> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE projection = $1 AND generation = $2"
    ))
    .bind(&g.projection)
    .bind(g.generation)
    .fetch_optional(pool)
    .await?;
    Ok(row.as_ref().map(decode).transpose()?)
}

/// The live generation, created (empty, live at once) on first use: with no older build there
/// is nothing better to show while it catches up.
pub async fn ensure_live(pool: &PgPool, p: &dyn Projection) -> Result<Generation, ProjectionError> {
    if let Some(g) = live(pool, p.name()).await? {
        return Ok(g);
    }
    match create(pool, p, "live").await {
        Ok(g) => Ok(g),
        // Another process created it at the same moment.
        Err(ProjectionError::Database(e))
            if e.as_database_error()
                .is_some_and(|d| d.code().as_deref() == Some("23505")) =>
        {
            live(pool, p.name())
                .await?
                .ok_or(ProjectionError::Database(e))
        }
        Err(e) => Err(e),
    }
}

async fn create(
    pool: &PgPool,
    p: &dyn Projection,
    state: &str,
) -> Result<Generation, ProjectionError> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock(hashtext($1))")
        .bind(p.name())
        .execute(&mut *tx)
        .await?;
    let next: i32 = sqlx::query_scalar(
        "SELECT coalesce(max(generation), 0) + 1 FROM projection_generations WHERE projection = $1",
    )
    .bind(p.name())
    .fetch_one(&mut *tx)
    .await?;
    let schema = format!("rm_{}_g{next}", p.name());
    let ddl = format!("CREATE SCHEMA {schema}; SET LOCAL search_path TO {schema}, public;");
    tx.execute(ddl.as_str()).await?;
    for sql in p.migrations() {
        tx.execute(*sql).await?;
    }
    sqlx::query(
        "INSERT INTO projection_generations (projection, generation, schema_name, schema_version, state, switched_at)
         VALUES ($1, $2, $3, $4, $5, CASE WHEN $5 = 'live' THEN now() END)",
    )
    .bind(p.name())
    .bind(next)
    .bind(&schema)
    .bind(p.migrations().len() as i32)
    .bind(state)
    .execute(&mut *tx)
    .await?;
    if state == "live" {
        point_views(&mut tx, p, &schema).await?;
    }
    tx.commit().await?;
    Ok(Generation {
        projection: p.name().to_owned(),
        generation: next,
        schema_name: schema,
        schema_version: p.migrations().len() as i32,
        state: state.to_owned(),
        checkpoint: None,
        events_applied: 0,
    })
}

async fn point_views(
    tx: &mut PgConnection,
    p: &dyn Projection,
    schema: &str,
) -> Result<(), ProjectionError> {
    let sql: String = p
        .tables()
        .iter()
        .map(|table| format!("DROP VIEW IF EXISTS rm.{table}; CREATE VIEW rm.{table} AS SELECT * FROM {schema}.{table};"))
        .collect();
    tx.execute(sql.as_str()).await?;
    Ok(())
}

/// Applies the next batch (at most `batch` events) to generation `g`, moving its checkpoint in
/// the same transaction. Returns the events applied: none when there was nothing new, or when
/// another runner moved the checkpoint first (the compare-and-set lost; nothing was written).
pub async fn advance(
    pool: &PgPool,
    store: &dyn EventStore,
    p: &dyn Projection,
    g: &Generation,
    batch: usize,
) -> Result<Vec<RecordedEvent>, ProjectionError> {
    let Some(mut current) = reload(pool, g).await? else {
        return Ok(Vec::new());
    };
    Ok(advance_from(pool, store, p, &mut current, batch)
        .await?
        .unwrap_or_default())
}

/// [`advance`] from generation `g` as the caller last knew it, without reading it again from the
/// registry: the daemon's followers keep their live generation between rounds. On success `g`
/// is where the batch left it; `None` when the compare-and-set lost (another runner moved the
/// checkpoint, or a rebuild retired the generation), and the caller must read it again.
pub(crate) async fn advance_from(
    pool: &PgPool,
    store: &dyn EventStore,
    p: &dyn Projection,
    g: &mut Generation,
    batch: usize,
) -> Result<Option<Vec<RecordedEvent>>, ProjectionError> {
    if g.state == "retired" {
        return Ok(Some(Vec::new()));
    }
    // The checkpoint moves to where the search ended, past other categories' events.
    let Page { events, through } = store
        .read_all_through(g.checkpoint, &p.filter(), batch)
        .await?;
    let read: Vec<&RecordedEvent> = events.iter().collect();
    let committed = commit(pool, store, p, g, &read, through);
    // A span for a batch that applies events (decision 0684), not for every empty poll.
    let ok = if read.is_empty() {
        committed.await?
    } else {
        let span = tracing::info_span!(
            "projection_batch",
            projection = p.name(),
            events = read.len()
        );
        committed.instrument(span).await?
    };
    if !ok {
        return Ok(None);
    }
    if through > g.checkpoint {
        g.checkpoint = through;
        g.events_applied += events.len() as i64;
    }
    Ok(Some(events))
}

/// One read of the log shared by several read models: what [`advance_together`] read, and
/// for each target (in the order given) the indices into `events` it applied, or its error.
pub struct Round {
    pub events: Vec<RecordedEvent>,
    pub applied: Vec<Result<Vec<usize>, ProjectionError>>,
}

/// Like [`advance`] for several read models at once: reads the next batch of the log ONCE,
/// from the oldest of their checkpoints and for all their filters, and hands each its share,
/// so that a rebuild or a catch-up of N read models reads and decodes every event once instead
/// of N times. Each read model still applies its share and moves its own checkpoint in its own
/// transaction with the compare-and-set of [`advance`], concurrently with the others; one
/// failing leaves the others' batches committed. A target's share is empty when the batch holds
/// nothing for it past its checkpoint, or when another runner moved the checkpoint first.
pub async fn advance_together(
    pool: &PgPool,
    store: &dyn EventStore,
    targets: &[(&dyn Projection, &Generation)],
    batch: usize,
) -> Result<Round, ProjectionError> {
    let Some(plan) = plan(pool, targets).await? else {
        return Ok(Round {
            events: Vec::new(),
            applied: targets.iter().map(|_| Ok(Vec::new())).collect(),
        });
    };
    let Page { events, through } = store
        .read_all_through(plan.from, &plan.filter, batch)
        .await?;
    let applied = plan.apply(pool, store, &events, through).await;
    Ok(Round { events, applied })
}

/// Where a shared read of the log starts and what it reads: the targets as they stand now
/// (`None` for a retired or vanished one), the oldest checkpoint among them and the union of
/// their filters.
struct Plan<'p> {
    current: Vec<Option<(&'p dyn Projection, Generation)>>,
    from: Option<Position>,
    filter: Filter,
}

/// `None` when no target is left to advance.
async fn plan<'p>(
    pool: &PgPool,
    targets: &[(&'p dyn Projection, &Generation)],
) -> Result<Option<Plan<'p>>, ProjectionError> {
    let mut current = Vec::with_capacity(targets.len());
    for (p, g) in targets {
        current.push(
            reload(pool, g)
                .await?
                .filter(|g| g.state != "retired")
                .map(|g| (*p, g)),
        );
    }
    let active: Vec<&(&dyn Projection, Generation)> = current.iter().flatten().collect();
    let Some(from) = active.iter().map(|(_, g)| g.checkpoint).min() else {
        return Ok(None);
    };
    let filters: Vec<Filter> = active.iter().map(|(p, _)| p.filter()).collect();
    // No categories means every stream; otherwise the union of the targets' categories.
    let filter = if filters.iter().any(|f| f.categories.is_empty()) {
        Filter::all()
    } else {
        let mut categories: Vec<String> =
            filters.iter().flat_map(|f| f.categories.clone()).collect();
        categories.sort();
        categories.dedup();
        Filter { categories }
    };
    Ok(Some(Plan {
        current,
        from,
        filter,
    }))
}

impl Plan<'_> {
    /// Each target applies its share of `events` (read from `self.from` with `self.filter`, the
    /// search ending at `through`) in its own transaction, all at once.
    async fn apply(
        &self,
        pool: &PgPool,
        store: &dyn EventStore,
        events: &[RecordedEvent],
        through: Option<Position>,
    ) -> Vec<Result<Vec<usize>, ProjectionError>> {
        futures::future::join_all(self.current.iter().map(|target| async move {
            let Some((p, g)) = target else {
                return Ok(Vec::new());
            };
            let mine: Vec<usize> = share(*p, g, events).collect();
            let read: Vec<&RecordedEvent> = mine.iter().map(|&i| &events[i]).collect();
            if commit(pool, store, *p, g, &read, through).await? {
                Ok(mine)
            } else {
                Ok(Vec::new())
            }
        }))
        .await
    }
}

/// The indices of the events of `read` that `p` reads and generation `g` has not applied yet.
fn share<'e>(
    p: &dyn Projection,
    g: &Generation,
    read: &'e [RecordedEvent],
) -> impl Iterator<Item = usize> + 'e {
    let (filter, after) = (p.filter(), g.checkpoint);
    read.iter()
        .enumerate()
        .filter(move |(_, e)| Some(e.position) > after && filter.matches(&e.stream_id))
        .map(|(i, _)| i)
}

/// Applies `events` to generation `g` and moves its checkpoint from where `g` says it is to
/// `through` (where the read that found them ended, which may be past them: everything up to it
/// that `p` reads is in `events`), in one transaction, which also notifies the other nodes of the
/// generation and its new checkpoint (decision 0761): PostgreSQL delivers the notification at the
/// commit, so a node woken by it finds the rows. False when the compare-and-set lost
/// (another runner moved the checkpoint, or the generation was retired): nothing written.
///
/// The transaction commits without waiting for its WAL flush (`synchronous_commit = off`). A
/// crash may then lose the last few batches of a read model, but rows and checkpoint together,
/// so the projector applies them again from the log: exactly once still holds, and the read
/// models (which are derived, never the record) stop costing a disk flush per batch.
async fn commit(
    pool: &PgPool,
    store: &dyn EventStore,
    p: &dyn Projection,
    g: &Generation,
    events: &[&RecordedEvent],
    through: Option<Position>,
) -> Result<bool, ProjectionError> {
    let Some(through) = through else {
        return Ok(true);
    };
    if g.checkpoint >= Some(through) {
        return Ok(true);
    }
    let before = g.checkpoint.unwrap_or(Position { major: 0, minor: 0 });
    let mut tx = pool.begin().await?;
    // The compare-and-set also sets the transaction's settings, in the same round trip.
    let moved = sqlx::query(
        "UPDATE projection_generations
            SET position_major = $3, position_minor = $4, events_applied = events_applied + $7,
                updated_at = now()
          WHERE projection = $1 AND generation = $2 AND state <> 'retired'
            AND position_major = $5 AND position_minor = $6
         RETURNING set_config('search_path', schema_name || ', public', true),
                   set_config('synchronous_commit', 'off', true),
                   pg_notify($8, concat_ws(' ', projection, generation, $3, $4))",
    )
    .bind(&g.projection)
    .bind(g.generation)
    .bind(through.major as i64)
    .bind(through.minor as i64)
    .bind(before.major as i64)
    .bind(before.minor as i64)
    .bind(events.len() as i64)
    .bind(crate::daemon::CHANNEL)
    .fetch_optional(&mut *tx)
    .await?;
    if moved.is_none() {
        return Ok(false);
    }
    if !events.is_empty() {
        p.apply(&mut tx, store, events).await?;
    }
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, PartialEq)]
pub struct RebuildReport {
    pub generation: i32,
    pub events: u64,
    pub seconds: f64,
    pub replaced: Option<i32>,
}

/// Events read per round of a rebuild: each round also reloads the generations, moves every
/// checkpoint and commits once per read model, so larger rounds spread those costs thinner.
const REBUILD_BATCH: usize = 5000;

/// Builds a new generation beside the live one, then switches the views to it in one
/// transaction once it has caught up with the live generation. Queries keep reading the old
/// generation until that instant. The old generation's schema is dropped after the switch.
/// `progress` gets the events read so far and their rate.
pub async fn rebuild(
    pool: &PgPool,
    store: &dyn EventStore,
    p: &dyn Projection,
    progress: impl FnMut(u64, f64),
) -> Result<RebuildReport, ProjectionError> {
    let mut reports = rebuild_together(pool, store, &[p], progress).await?;
    reports
        .pop()
        .ok_or_else(|| ProjectionError::Unknown(p.name().to_owned()))
}

/// [`rebuild`] of several read models from one pass over the log (see [`advance_together`]):
/// each gets its new generation, and each switches as soon as it has caught up with its live
/// one. The reports are in the order of `projections`.
pub async fn rebuild_together(
    pool: &PgPool,
    store: &dyn EventStore,
    projections: &[&dyn Projection],
    mut progress: impl FnMut(u64, f64),
) -> Result<Vec<RebuildReport>, ProjectionError> {
    let started = Instant::now();
    let mut building = Vec::with_capacity(projections.len());
    for p in projections {
        building.push((*p, resume_or_create(pool, *p).await?, 0u64));
    }
    let mut reports: Vec<Option<RebuildReport>> = vec![None; building.len()];
    let mut read = 0u64;
    let mut ahead: Option<(Option<Position>, Filter, Page)> = None;
    loop {
        let pending: Vec<usize> = (0..building.len())
            .filter(|&i| reports[i].is_none())
            .collect();
        if pending.is_empty() {
            return Ok(reports.into_iter().flatten().collect());
        }
        let targets: Vec<(&dyn Projection, &Generation)> = pending
            .iter()
            .map(|&i| (building[i].0, &building[i].1))
            .collect();
        let events = match plan(pool, &targets).await? {
            None => Vec::new(),
            Some(plan) => {
                let Page { events, through } = match ahead.take() {
                    Some((from, filter, page)) if (from, &filter) == (plan.from, &plan.filter) => {
                        page
                    }
                    _ => {
                        store
                            .read_all_through(plan.from, &plan.filter, REBUILD_BATCH)
                            .await?
                    }
                };
                // While the read models apply this batch, the next one is read from where it
                // ends: the server's reading overlaps the client's folding. It is used only if
                // the next round starts exactly there (every target committed this one).
                let next = through.filter(|_| !events.is_empty());
                let applied = plan.apply(pool, store, &events, through);
                let (applied, next) = futures::join!(applied, async {
                    match next {
                        Some(from) => store
                            .read_all_through(Some(from), &plan.filter, REBUILD_BATCH)
                            .await
                            .map(|page| Some((Some(from), plan.filter.clone(), page))),
                        None => Ok(None),
                    }
                });
                for (&i, applied) in pending.iter().zip(applied) {
                    building[i].2 += applied?.len() as u64;
                }
                ahead = next?;
                events
            }
        };
        if !events.is_empty() {
            read += events.len() as u64;
            progress(
                read,
                read as f64 / started.elapsed().as_secs_f64().max(1e-9),
            );
            continue;
        }
        let mut behind = false;
        for &i in &pending {
            let (p, new, events) = &building[i];
            match try_switch(pool, *p, new).await? {
                Some(replaced) => {
                    reports[i] = Some(RebuildReport {
                        generation: new.generation,
                        events: *events,
                        seconds: started.elapsed().as_secs_f64(),
                        replaced,
                    })
                }
                None => behind = true,
            }
        }
        if behind {
            // A live generation moved on meanwhile: catch up again.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}

/// The generation a rebuild of `p` fills: the one an interrupted rebuild left behind, built by
/// the same migrations, so that a restarted rebuild goes on from its checkpoint instead of
/// starting over; otherwise a new one. Its rows and checkpoint were committed together, so going
/// on from there neither skips nor repeats an event.
async fn resume_or_create(
    pool: &PgPool,
    p: &dyn Projection,
) -> Result<Generation, ProjectionError> {
    let row = sqlx::query(&format!(
        "{SELECT} WHERE projection = $1 AND state = 'building' AND schema_version = $2
          ORDER BY generation DESC LIMIT 1"
    ))
    .bind(p.name())
    .bind(p.migrations().len() as i32)
    .fetch_optional(pool)
    .await?;
    match row {
        Some(row) => Ok(decode(&row)?),
        None => create(pool, p, "building").await,
    }
}

/// `Some(old generation)` if the switch happened; `None` if the new generation is still behind.
async fn try_switch(
    pool: &PgPool,
    p: &dyn Projection,
    new: &Generation,
) -> Result<Option<Option<i32>>, ProjectionError> {
    let mut tx = pool.begin().await?;
    // Locking both rows stops the live runner's compare-and-set until the switch commits.
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE projection = $1 AND (state = 'live' OR generation = $2)
          ORDER BY generation FOR UPDATE"
    ))
    .bind(p.name())
    .bind(new.generation)
    .fetch_all(&mut *tx)
    .await?;
    let gens = rows.iter().map(decode).collect::<Result<Vec<_>, _>>()?;
    let old = gens.iter().find(|g| g.state == "live");
    let Some(fresh) = gens.iter().find(|g| g.generation == new.generation) else {
        return Err(ProjectionError::Unknown(format!(
            "{} generation {}",
            p.name(),
            new.generation
        )));
    };
    // Two runners of a resumed rebuild fill the same generation: the other one switched it.
    if fresh.state != "building" {
        return Ok(Some(None));
    }
    if old.is_some_and(|old| old.checkpoint > fresh.checkpoint) {
        return Ok(None);
    }
    if let Some(old) = old {
        sqlx::query("UPDATE projection_generations SET state = 'retired', updated_at = now() WHERE projection = $1 AND generation = $2")
            .bind(p.name())
            .bind(old.generation)
            .execute(&mut *tx)
            .await?;
    }
    sqlx::query("UPDATE projection_generations SET state = 'live', switched_at = now(), updated_at = now() WHERE projection = $1 AND generation = $2")
        .bind(p.name())
        .bind(new.generation)
        .execute(&mut *tx)
        .await?;
    point_views(&mut tx, p, &fresh.schema_name).await?;
    tx.commit().await?;
    if let Some(old) = old {
        let drop = format!("DROP SCHEMA IF EXISTS {} CASCADE", old.schema_name);
        pool.execute(drop.as_str()).await?;
    }
    Ok(Some(old.map(|o| o.generation)))
}
