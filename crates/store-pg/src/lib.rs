//! The PostgreSQL backend of the event store, the embedded default.
//!
//! Global order is `(tx_id xid8, global_position)`, read only below
//! `pg_snapshot_xmin(pg_current_snapshot())`: every transaction that could still commit has an
//! xid at or above that bound, so a subscriber's checkpoint never skips a late commit. See
//! `migrations/0001_event_store.sql` for the rules that make this order agree with every
//! stream's versions.

pub mod migrations;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::postgres::{PgListener, PgRow};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::envelope::validate_batch;
use zakup_store::{
    Appended, EventStore, ExpectedVersion, Filter, Metadata, NewEvent, Position, RecordedEvent,
    StoreError, StreamId, StreamRange, Subscription, catch_up,
};

pub const MIGRATIONS: &[migrations::Migration] = &[migrations::Migration {
    version: 1,
    name: "event_store",
    sql: include_str!("../migrations/0001_event_store.sql"),
}];

pub struct PgStore {
    pool: PgPool,
    changes: tokio::sync::watch::Sender<u64>,
    listener: tokio::task::JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
    }
}

impl PgStore {
    /// Applies the event-store migrations, then starts listening for commits.
    pub async fn connect(pool: PgPool) -> Result<Arc<Self>, StoreError> {
        migrations::apply(&pool, "event_store", MIGRATIONS)
            .await
            .map_err(backend)?;
        let changes = tokio::sync::watch::Sender::new(0);
        let mut listener = PgListener::connect_with(&pool).await.map_err(backend)?;
        listener.listen("zakup_events").await.map_err(backend)?;
        let notify = changes.clone();
        let listener = tokio::spawn(async move {
            loop {
                // `recv` reconnects by itself after a lost connection; the subscribers' poll
                // fallback covers notifications missed meanwhile.
                match listener.recv().await {
                    Ok(_) => notify.send_modify(|n| *n += 1),
                    Err(_) => tokio::time::sleep(std::time::Duration::from_millis(200)).await,
                }
            }
        });
        Ok(Arc::new(PgStore {
            pool,
            changes,
            listener,
        }))
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Appends inside the caller's transaction, for writers that must commit something else
    /// atomically with the events. The append must be the transaction's FIRST write (see the
    /// schema): it takes the transaction id that orders the events globally.
    pub async fn append_in(
        &self,
        conn: &mut PgConnection,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<Appended, StoreError> {
        let command_id = validate_batch(events)?;
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT version, last_hash FROM es_streams WHERE stream_id = $1")
                .bind(stream.as_str())
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?;
        let current = head.as_ref().map(|(v, _)| *v as u64);
        let conflict = |actual| StoreError::Conflict {
            stream: stream.to_string(),
            expected,
            actual,
        };
        let expected_current = match expected {
            ExpectedVersion::NoStream => None,
            ExpectedVersion::Exact(v) => Some(v),
        };
        if current != expected_current {
            return Err(conflict(current));
        }
        let first_version = expected.next_version();
        let prev_hash = head.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
        let hashes = chain_batch(prev_hash, stream, first_version, events)?;
        let last_version = first_version + events.len() as u64 - 1;
        let last_hash = hashes.last().cloned().unwrap_or_default();

        let claimed = match expected {
            ExpectedVersion::NoStream => sqlx::query(
                "INSERT INTO es_streams (stream_id, category, version, last_hash)
                 VALUES ($1, $2, $3, $4) ON CONFLICT (stream_id) DO NOTHING",
            )
            .bind(stream.as_str())
            .bind(stream.category())
            .bind(last_version as i64)
            .bind(&last_hash),
            ExpectedVersion::Exact(v) => sqlx::query(
                "UPDATE es_streams SET version = $3, last_hash = $4, updated_at = clock_timestamp()
                 WHERE stream_id = $1 AND version = $2",
            )
            .bind(stream.as_str())
            .bind(v as i64)
            .bind(last_version as i64)
            .bind(&last_hash),
        }
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
        if claimed.rows_affected() == 0 {
            // Another writer got there between our read and our write.
            return Err(conflict(None));
        }

        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
        let schema_versions: Vec<i32> = events.iter().map(|e| e.schema_version as i32).collect();
        let payloads: Vec<serde_json::Value> = events.iter().map(|e| e.payload.clone()).collect();
        let metadata: Vec<serde_json::Value> = events
            .iter()
            .map(|e| serde_json::to_value(&e.metadata))
            .collect::<Result<_, _>>()
            .map_err(|e| StoreError::InvalidEvent(e.to_string()))?;
        let inserted = sqlx::query(
            "INSERT INTO es_events (stream_id, category, version, event_id, event_type,
                                    schema_version, payload, metadata, hash)
             SELECT $1, $2, $3 + e.ord - 1, e.id, e.t, e.sv, e.p, e.m, e.h
               FROM unnest($4::uuid[], $5::text[], $6::int[], $7::jsonb[], $8::jsonb[], $9::text[])
                    WITH ORDINALITY AS e(id, t, sv, p, m, h, ord)
             RETURNING tx_id::text, global_position",
        )
        .bind(stream.as_str())
        .bind(stream.category())
        .bind(first_version as i64)
        .bind(&ids)
        .bind(&types)
        .bind(&schema_versions)
        .bind(&payloads)
        .bind(&metadata)
        .bind(&hashes)
        .fetch_all(&mut *conn)
        .await;
        let rows = match inserted {
            Ok(rows) => rows,
            Err(e) if is_unique_violation(&e, "es_events_event_id_key") => {
                return Err(StoreError::DuplicateEventId(Uuid::nil()));
            }
            Err(e) => return Err(backend(e)),
        };
        let mut position = Position { major: 0, minor: 0 };
        for row in &rows {
            position = position.max(position_of(row, 0, 1)?);
        }
        sqlx::query(
            "INSERT INTO es_commands (stream_id, command_id, first_version, last_version, tx_id, position)
             VALUES ($1, $2, $3, $4, $5::text::xid8, $6)",
        )
        .bind(stream.as_str())
        .bind(command_id)
        .bind(first_version as i64)
        .bind(last_version as i64)
        .bind(position.major.to_string())
        .bind(position.minor as i64)
        .execute(&mut *conn)
        .await
        .map_err(backend)?;
        Ok(Appended {
            stream_id: stream.clone(),
            command_id,
            first_version,
            last_version,
            position,
            duplicate: false,
        })
    }

    async fn append_tx(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: &[NewEvent],
    ) -> Result<Appended, StoreError> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let appended = self.append_in(&mut tx, stream, expected, events).await?;
        tx.commit().await.map_err(backend)?;
        Ok(appended)
    }

    async fn outcome(
        &self,
        stream: &StreamId,
        command_id: Uuid,
    ) -> Result<Option<Appended>, StoreError> {
        let row = sqlx::query(
            "SELECT first_version, last_version, tx_id::text, position
               FROM es_commands WHERE stream_id = $1 AND command_id = $2",
        )
        .bind(stream.as_str())
        .bind(command_id)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(|row| {
            Ok(Appended {
                stream_id: stream.clone(),
                command_id,
                first_version: row.try_get::<i64, _>(0).map_err(backend)? as u64,
                last_version: row.try_get::<i64, _>(1).map_err(backend)? as u64,
                position: position_of(&row, 2, 3)?,
                duplicate: true,
            })
        })
        .transpose()
    }

    async fn current_version(&self, stream: &StreamId) -> Result<Option<u64>, StoreError> {
        let v: Option<i64> =
            sqlx::query_scalar("SELECT version FROM es_streams WHERE stream_id = $1")
                .bind(stream.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(v.map(|v| v as u64))
    }

    async fn first_taken_id(&self, events: &[NewEvent]) -> Result<Uuid, StoreError> {
        let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
        let taken: Option<Uuid> =
            sqlx::query_scalar("SELECT event_id FROM es_events WHERE event_id = ANY($1) LIMIT 1")
                .bind(&ids)
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        Ok(taken.unwrap_or_else(Uuid::nil))
    }
}

impl EventStore for PgStore {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        Box::pin(async move {
            let command_id = validate_batch(&events)?;
            if let Some(done) = self.outcome(stream, command_id).await? {
                return Ok(done);
            }
            match self.append_tx(stream, expected, &events).await {
                Ok(appended) => Ok(appended),
                Err(StoreError::Conflict { .. }) => {
                    // A retry of the same command may have raced us and won.
                    if let Some(done) = self.outcome(stream, command_id).await? {
                        return Ok(done);
                    }
                    Err(StoreError::Conflict {
                        stream: stream.to_string(),
                        expected,
                        actual: self.current_version(stream).await?,
                    })
                }
                Err(StoreError::DuplicateEventId(_)) => Err(StoreError::DuplicateEventId(
                    self.first_taken_id(&events).await?,
                )),
                Err(e) => Err(e),
            }
        })
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        Box::pin(self.outcome(stream, command_id))
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM es_events
                  WHERE stream_id = $1 AND version >= $2
                    AND ($3::bigint IS NULL OR version <= $3)
                    AND ($4::timestamptz IS NULL OR recorded_at <= $4)
                  ORDER BY version"
            ))
            .bind(stream.as_str())
            .bind(range.from_version as i64)
            .bind(range.to_version.map(|v| v as i64))
            .bind(range.until)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            rows.iter().map(decode).collect()
        })
    }

    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            let after = after.unwrap_or(Position { major: 0, minor: 0 });
            // The scalar bound `tx_id >= $1` is redundant with the row comparison but keeps the
            // planner on the index range scan (design research §4.2, "planner trap"). ORDER BY
            // names the table's columns: a bare `tx_id` would mean the output column
            // `tx_id::text` and sort "10…" before "9…".
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM es_events
                  WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    AND tx_id >= $1::text::xid8
                    AND (tx_id, global_position) > ($1::text::xid8, $2)
                    AND (cardinality($3::text[]) = 0 OR category = ANY($3))
                  ORDER BY es_events.tx_id, es_events.global_position
                  LIMIT $4"
            ))
            .bind(after.major.to_string())
            .bind(after.minor as i64)
            .bind(&filter.categories)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            rows.iter().map(decode).collect()
        })
    }

    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let after = after.unwrap_or(Position { major: 0, minor: 0 });
            let n: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM es_events
                  WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    AND tx_id >= $1::text::xid8
                    AND (tx_id, global_position) > ($1::text::xid8, $2)
                    AND (cardinality($3::text[]) = 0 OR category = ANY($3))",
            )
            .bind(after.major.to_string())
            .bind(after.minor as i64)
            .bind(&filter.categories)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
            Ok(n as u64)
        })
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        catch_up(self, after, filter)
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}

const COLUMNS: &str = "stream_id, version, event_id, event_type, schema_version, payload, \
                       metadata, recorded_at, tx_id::text, global_position, hash";

fn decode(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
    let stream: String = row.try_get(0).map_err(corrupt)?;
    let metadata: sqlx::types::Json<Metadata> = row.try_get(6).map_err(corrupt)?;
    Ok(RecordedEvent {
        stream_id: stream.parse()?,
        version: row.try_get::<i64, _>(1).map_err(corrupt)? as u64,
        event_id: row.try_get(2).map_err(corrupt)?,
        event_type: row.try_get(3).map_err(corrupt)?,
        schema_version: row.try_get::<i32, _>(4).map_err(corrupt)? as u32,
        payload: row.try_get(5).map_err(corrupt)?,
        metadata: metadata.0,
        recorded_at: row.try_get::<DateTime<Utc>, _>(7).map_err(corrupt)?,
        position: position_of(row, 8, 9)?,
        hash: row.try_get(10).map_err(corrupt)?,
    })
}

fn position_of(row: &PgRow, tx: usize, pos: usize) -> Result<Position, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(e);
    let tx: String = row.try_get(tx).map_err(|e| corrupt(e.to_string()))?;
    let pos: i64 = row.try_get(pos).map_err(|e| corrupt(e.to_string()))?;
    Ok(Position {
        major: tx.parse().map_err(|_| corrupt(format!("bad xid8 {tx}")))?,
        minor: pos as u64,
    })
}

fn is_unique_violation(e: &sqlx::Error, constraint: &str) -> bool {
    e.as_database_error()
        .is_some_and(|d| d.code().as_deref() == Some("23505") && d.constraint() == Some(constraint))
}

fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}
