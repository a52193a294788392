//! The PostgreSQL backend of the event store, the embedded default.
//!
//! Global order is `(tx_id xid8, global_position)`, read only below
//! `pg_snapshot_xmin(pg_current_snapshot())`: every transaction that could still commit has an
//! xid at or above that bound, so a subscriber's checkpoint never skips a late commit. See
//! `migrations/0001_event_store.sql` for the rules that make this order agree with every
//! stream's versions.

pub mod keyring;
pub mod migrations;
pub mod sealing;

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::postgres::{PgListener, PgPoolOptions, PgRow};
use sqlx::{PgConnection, PgPool, Row};
use uuid::Uuid;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::envelope::validate_batch;
use zakup_store::recent::RecentStreams;
use zakup_store::{
    Appended, EventStore, ExpectedVersion, Filter, Metadata, NewEvent, OutcomeOrEvents, Page,
    Position, RecordedEvent, StoreError, StreamId, StreamRange, Subscription, catch_up,
};

pub const MIGRATIONS: &[migrations::Migration] = &[
    migrations::Migration {
        version: 1,
        name: "event_store",
        sql: include_str!("../migrations/0001_event_store.sql"),
    },
    migrations::Migration {
        version: 2,
        name: "notify_after_commit",
        sql: include_str!("../migrations/0002_notify_after_commit.sql"),
    },
    migrations::Migration {
        version: 3,
        name: "command_in_event_row",
        sql: include_str!("../migrations/0003_command_in_event_row.sql"),
    },
];

/// How long a request waits for a database connection before it is refused as unavailable.
/// sqlx's default (30 s) made every request hang through an outage; a second is far above a
/// healthy pool's wait and still answers a client before it gives up (decision 0625).
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(1);

/// The pool every server process uses: `max_connections`, and a wait for a connection bounded
/// by `acquire_timeout` (connecting included), so that a database that is down is reported as
/// `event_store_unavailable` at once rather than after the client's own timeout.
pub fn pool_options(max_connections: u32, acquire_timeout: Duration) -> PgPoolOptions {
    PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
}

/// The channel on which stores tell each other that events were committed.
const CHANNEL: &str = "zakup_events";

/// Stream heads remembered per generation (see [`RecentStreams`]): a few thousand streams in use
/// at once, a hundred bytes each.
const HEADS: usize = 4096;

pub struct PgStore {
    pool: PgPool,
    /// Each stream's last version and hash as last seen committed: an append at that version
    /// chains onto it without reading the head first.
    heads: RecentStreams<String>,
    changes: tokio::sync::watch::Sender<u64>,
    /// Wakes the task that tells other processes about this one's commits.
    committed: Arc<tokio::sync::Notify>,
    listener: tokio::task::JoinHandle<()>,
    announcer: tokio::task::JoinHandle<()>,
}

impl Drop for PgStore {
    fn drop(&mut self) {
        self.listener.abort();
        self.announcer.abort();
    }
}

/// Why a write left the log unchanged.
enum Unwritten {
    /// The stream was not at the expected version, or not with the expected head.
    NotClaimed,
    /// A unique key refused the batch: an event id already stored, or this command id already
    /// recorded (on this stream: a retry; on another: a re-use).
    Duplicate,
    Failed(StoreError),
}

/// Appends a command's events in ONE statement: one round trip, and outside a caller's
/// transaction one implicit transaction that commits with it. `head` claims the stream row, which
/// must be the transaction's first write (it takes the xid that orders the events, see the
/// schema); the events read `head`, so they are written after it, and not at all when the stream
/// is not at the expected head (then no row comes back). The command's record is its last event
/// row's `command_id` and `command_events` (migration 0003): two rows per append, not three.
///
/// Parameters: $1 stream, $2 category, $3 first version, $4 last version, $5 new head hash,
/// $6–$11 the events' ids, types, schema versions, payloads, metadata and hashes, $12 command id;
/// `$13` the expected head's hash where `head` needs it.
macro_rules! append_statement {
    ($head:literal) => {
        concat!(
            "WITH head AS (",
            $head,
            " RETURNING stream_id),
             events AS (
                 INSERT INTO es_events (stream_id, category, version, event_id, event_type,
                                        schema_version, payload, metadata, hash, command_id,
                                        command_events)
                 SELECT head.stream_id, $2, $3 + e.ord - 1, e.id, e.t, e.sv, e.p, e.m, e.h,
                        CASE WHEN $3 + e.ord - 1 = $4 THEN $12::uuid END,
                        CASE WHEN $3 + e.ord - 1 = $4 THEN ($4 - $3 + 1)::int END
                   FROM head,
                        unnest($6::uuid[], $7::text[], $8::int[], $9::jsonb[], $10::jsonb[],
                               $11::text[]) WITH ORDINALITY AS e(id, t, sv, p, m, h, ord)
                 RETURNING global_position)
             SELECT pg_current_xact_id()::text, max(global_position) FROM events
             HAVING count(*) > 0"
        )
    };
}

const APPEND_NEW_STREAM: &str = append_statement!(
    "INSERT INTO es_streams (stream_id, category, version, last_hash) VALUES ($1, $2, $4, $5)
     ON CONFLICT (stream_id) DO NOTHING"
);

// The hash check costs nothing and means a remembered head that is wrong can only make the
// append fall back to reading the head, never chain onto the wrong hash.
const APPEND_EXISTING_STREAM: &str = append_statement!(
    "UPDATE es_streams SET version = $4, last_hash = $5, updated_at = clock_timestamp()
      WHERE stream_id = $1 AND version = $3 - 1 AND last_hash = $13"
);

impl PgStore {
    /// Applies the event-store migrations, then starts listening for commits.
    pub async fn connect(pool: PgPool) -> Result<Arc<Self>, StoreError> {
        migrations::apply(&pool, "event_store", MIGRATIONS)
            .await
            .map_err(backend)?;
        let changes = tokio::sync::watch::Sender::new(0);
        let mut listener = PgListener::connect_with(&pool).await.map_err(backend)?;
        listener.listen(CHANNEL).await.map_err(backend)?;
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
        let committed = Arc::new(tokio::sync::Notify::new());
        // The listener also hears this store's own notifications: its subscribers were woken at
        // the commit already, and this second, later wake-up is on purpose. A subscriber woken
        // at once may find the new events not yet readable (`read_all` waits for older
        // transactions, a projection's own among them, to end) and would then sleep until its
        // poll fallback.
        let announcer = tokio::spawn(announce(pool.clone(), committed.clone()));
        Ok(Arc::new(PgStore {
            pool,
            heads: RecentStreams::new(HEADS),
            changes,
            committed,
            listener,
            announcer,
        }))
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Wakes the subscribers after events were committed: this process's at once, other
    /// processes' through a NOTIFY sent after the commit. [`EventStore::append`] calls it itself;
    /// a caller of [`PgStore::append_in`] calls it once its transaction has committed (if it
    /// does not, subscribers see the events at their next poll).
    pub fn committed(&self) {
        self.changes.send_modify(|n| *n += 1);
        self.committed.notify_one();
    }

    /// Appends inside the caller's transaction, for writers that must commit something else
    /// atomically with the events; call [`PgStore::committed`] after the commit. The append must
    /// be the transaction's FIRST write (see the schema): it takes the transaction id that orders
    /// the events globally.
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
        if current != expected_head(expected) {
            return Err(conflict(current));
        }
        let prev_hash = head.as_ref().map_or(GENESIS, |(_, h)| h.as_str());
        // Not remembered in `heads`: the caller may still roll back.
        match write(&mut *conn, stream, expected, prev_hash, events, command_id).await {
            Ok((appended, _)) => Ok(appended),
            // Another writer got there between our read and our write.
            Err(Unwritten::NotClaimed) => Err(conflict(None)),
            // The caller's transaction is aborted; what was taken is read outside it.
            Err(Unwritten::Duplicate) => match self.record(stream, command_id).await? {
                Some(done) if done.stream_id != *stream => {
                    Err(StoreError::CommandIdReused(command_id))
                }
                _ => Err(StoreError::DuplicateEventId(
                    self.first_taken_id(events).await?,
                )),
            },
            Err(Unwritten::Failed(e)) => Err(e),
        }
    }

    /// The hash to chain onto if the stream is at `expected`, from what this process last saw;
    /// `None` when it does not know.
    fn known_head(&self, stream: &StreamId, expected: ExpectedVersion) -> Option<String> {
        match expected {
            ExpectedVersion::NoStream => Some(GENESIS.to_owned()),
            ExpectedVersion::Exact(v) => self
                .heads
                .get(stream.as_str())
                .and_then(|(at, hash)| (at == v).then_some(hash)),
        }
    }

    /// The hash to chain onto if the stream is at `expected`, read from the database; `None` if
    /// it is not at `expected`.
    async fn stored_head(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
    ) -> Result<Option<String>, StoreError> {
        let head: Option<(i64, String)> =
            sqlx::query_as("SELECT version, last_hash FROM es_streams WHERE stream_id = $1")
                .bind(stream.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        let Some((version, hash)) = head else {
            return Ok((expected == ExpectedVersion::NoStream).then(|| GENESIS.to_owned()));
        };
        self.heads
            .put(stream.as_str(), version as u64, hash.clone());
        Ok((expected == ExpectedVersion::Exact(version as u64)).then_some(hash))
    }

    /// The answer to an append once written, or once refused: a refusal may be a retry of the
    /// same command that raced us and won, answered from its record.
    async fn settle(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        command_id: Uuid,
        events: &[NewEvent],
        written: Result<(Appended, String), Unwritten>,
    ) -> Result<Appended, StoreError> {
        let why = match written {
            Ok((appended, last_hash)) => {
                self.heads
                    .put(stream.as_str(), appended.last_version, last_hash);
                self.committed();
                return Ok(appended);
            }
            Err(Unwritten::Failed(e)) => return Err(e),
            Err(why) => why,
        };
        if let Some(done) = self.record(stream, command_id).await? {
            if done.stream_id != *stream {
                return Err(StoreError::CommandIdReused(command_id));
            }
            return Ok(done);
        }
        match why {
            Unwritten::Duplicate => Err(StoreError::DuplicateEventId(
                self.first_taken_id(events).await?,
            )),
            _ => Err(StoreError::Conflict {
                stream: stream.to_string(),
                expected,
                actual: self.current_version(stream).await?,
            }),
        }
    }

    /// Rows of `COLUMNS`, all of `stream` in version order; the last one is remembered as the
    /// stream's head.
    fn decode_stream(
        &self,
        stream: &StreamId,
        rows: &[PgRow],
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        // Every row is of `stream`: its id is not parsed again for each.
        let events = rows
            .iter()
            .map(|row| decode(row, Some(stream)))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(last) = events.last() {
            self.heads
                .put(stream.as_str(), last.version, last.hash.clone());
        }
        Ok(events)
    }

    /// The record of `command_id`, on `stream` if it is recorded there, else wherever it is: the
    /// last event of its command, or for records older than migration 0003 that it could not
    /// move (an id the old schema let several streams record), `es_commands`.
    async fn record(
        &self,
        stream: &StreamId,
        command_id: Uuid,
    ) -> Result<Option<Appended>, StoreError> {
        let rows = sqlx::query(
            "SELECT stream_id, version - command_events + 1, version, tx_id::text,
                    global_position
               FROM es_events WHERE command_id = $2
             UNION ALL
             SELECT stream_id, first_version, last_version, tx_id::text, position
               FROM es_commands WHERE stream_id = $1 AND command_id = $2",
        )
        .bind(stream.as_str())
        .bind(command_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let records = rows
            .iter()
            .map(|row| recorded(row, (0, 3), command_id))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(pick_record(stream, records))
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

/// The version a stream must be at for an append expecting `expected`.
fn expected_head(expected: ExpectedVersion) -> Option<u64> {
    match expected {
        ExpectedVersion::NoStream => None,
        ExpectedVersion::Exact(v) => Some(v),
    }
}

/// Writes the batch chained onto `prev_hash`; the new head's hash comes back with the outcome.
async fn write<'c, E: sqlx::PgExecutor<'c>>(
    conn: E,
    stream: &StreamId,
    expected: ExpectedVersion,
    prev_hash: &str,
    events: &[NewEvent],
    command_id: Uuid,
) -> Result<(Appended, String), Unwritten> {
    let first_version = expected.next_version();
    let last_version = first_version + events.len() as u64 - 1;
    let hashes =
        chain_batch(prev_hash, stream, first_version, events).map_err(Unwritten::Failed)?;
    let last_hash = hashes.last().cloned().unwrap_or_default();
    let ids: Vec<Uuid> = events.iter().map(|e| e.event_id).collect();
    let types: Vec<&str> = events.iter().map(|e| e.event_type.as_str()).collect();
    let schema_versions: Vec<i32> = events.iter().map(|e| e.schema_version as i32).collect();
    let payloads: Vec<&serde_json::Value> = events.iter().map(|e| &e.payload).collect();
    let metadata: Vec<sqlx::types::Json<&Metadata>> = events
        .iter()
        .map(|e| sqlx::types::Json(&e.metadata))
        .collect();
    let statement = match expected {
        ExpectedVersion::NoStream => APPEND_NEW_STREAM,
        ExpectedVersion::Exact(_) => APPEND_EXISTING_STREAM,
    };
    let mut query = sqlx::query(statement)
        .bind(stream.as_str())
        .bind(stream.category())
        .bind(first_version as i64)
        .bind(last_version as i64)
        .bind(&last_hash)
        .bind(&ids)
        .bind(&types)
        .bind(&schema_versions)
        .bind(&payloads)
        .bind(&metadata)
        .bind(&hashes)
        .bind(command_id);
    if let ExpectedVersion::Exact(_) = expected {
        query = query.bind(prev_hash);
    }
    let row = match query.fetch_optional(conn).await {
        Ok(Some(row)) => row,
        Ok(None) => return Err(Unwritten::NotClaimed),
        Err(e)
            if is_unique_violation(&e, "es_events_event_id_key")
                || is_unique_violation(&e, "es_events_command_id") =>
        {
            return Err(Unwritten::Duplicate);
        }
        Err(e) => return Err(Unwritten::Failed(backend(e))),
    };
    let position = position_of(&row, 0, 1).map_err(Unwritten::Failed)?;
    Ok((
        Appended {
            stream_id: stream.clone(),
            command_id,
            first_version,
            last_version,
            position,
            duplicate: false,
        },
        last_hash,
    ))
}

/// Tells other processes' stores that events were committed here. Each NOTIFY runs in its own
/// transaction after the commits it announces, so no append waits for the notify queue's lock;
/// the wake-ups that arrive while one is being sent are coalesced into the next (`Notify` keeps
/// one permit), so at most one is in flight and every commit is followed by one. The transaction
/// commits asynchronously: a notification lost in a crash only costs a subscriber its poll
/// interval, and it does not hold the lock while the commit record is flushed.
async fn announce(pool: PgPool, committed: Arc<tokio::sync::Notify>) {
    loop {
        committed.notified().await;
        let sent =
            sqlx::query("SELECT set_config('synchronous_commit', 'off', true), pg_notify($1, '')")
                .bind(CHANNEL)
                .execute(&pool)
                .await;
        if sent.is_err() {
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
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
            // No lookup of the command first: the engine has just asked, and a retry that was
            // already appended is refused by the stream's version or the command's key, then
            // answered from the record (`settle`).
            // A command id recorded on another stream is refused by the same key (`settle`).
            if let Some(prev) = self.known_head(stream, expected) {
                match write(&self.pool, stream, expected, &prev, &events, command_id).await {
                    // The remembered head may be behind: ask the database below.
                    Err(Unwritten::NotClaimed) => self.heads.forget(stream.as_str()),
                    written => {
                        return self
                            .settle(stream, expected, command_id, &events, written)
                            .await;
                    }
                }
            }
            let written = match self.stored_head(stream, expected).await? {
                Some(prev) => write(&self.pool, stream, expected, &prev, &events, command_id).await,
                None => Err(Unwritten::NotClaimed),
            };
            self.settle(stream, expected, command_id, &events, written)
                .await
        })
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        Box::pin(async move {
            let done = self.record(stream, command_id).await?;
            Ok(done.filter(|done| done.stream_id == *stream))
        })
    }

    fn outcome_or_events<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
        from_version: u64,
    ) -> BoxFuture<'a, Result<OutcomeOrEvents, StoreError>> {
        Box::pin(async move {
            // One statement, so one round trip and one snapshot: the events, unless the command
            // id is recorded (on any stream: ids are global), then only its records, as rows
            // with NULL event columns and the record's stream, first and last versions in three
            // extra columns (see `record` for where records are).
            let rows = sqlx::query(&format!(
                "WITH done AS (
                     SELECT stream_id AS done_stream, version - command_events + 1 AS first_version,
                            version AS last_version, tx_id, global_position AS position
                       FROM es_events WHERE command_id = $2
                     UNION ALL
                     SELECT stream_id, first_version, last_version, tx_id, position
                       FROM es_commands WHERE stream_id = $1 AND command_id = $2)
                 SELECT {COLUMNS}, NULL::text AS done_stream, NULL::bigint AS first_version,
                        NULL::bigint AS last_version
                   FROM es_events
                  WHERE stream_id = $1 AND version >= $3 AND NOT EXISTS (SELECT FROM done)
                 UNION ALL
                 SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, tx_id::text, position,
                        NULL, done_stream, first_version, last_version
                   FROM done
                 ORDER BY version"
            ))
            .bind(stream.as_str())
            .bind(command_id)
            .bind(from_version as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            let done = match rows.first() {
                Some(row) => row.try_get::<Option<&str>, _>(11).map_err(backend)?,
                None => None,
            };
            if done.is_some() {
                let records = rows
                    .iter()
                    .map(|row| recorded(row, (11, 8), command_id))
                    .collect::<Result<Vec<_>, _>>()?;
                return match pick_record(stream, records) {
                    Some(done) if done.stream_id == *stream => Ok(OutcomeOrEvents::Outcome(done)),
                    _ => Err(StoreError::CommandIdReused(command_id)),
                };
            }
            let events = self.decode_stream(stream, &rows)?;
            Ok(OutcomeOrEvents::Events(events))
        })
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
                    AND ($4::timestamptz IS NULL OR version < COALESCE(
                         (SELECT min(later.version) FROM es_events later
                           WHERE later.stream_id = $1
                             AND (later.metadata->>'occurred_at')::timestamptz > $4),
                         9223372036854775807))
                  ORDER BY version"
            ))
            .bind(stream.as_str())
            .bind(range.from_version as i64)
            .bind(range.to_version.map(|v| v as i64))
            .bind(range.until)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            self.decode_stream(stream, &rows)
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
            // ORDER BY names the table's columns: a bare `tx_id` would mean the output column
            // `tx_id::text` and sort "10…" before "9…".
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM es_events
                  WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    AND {AFTER_MATCHING}
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
            rows.iter().map(|row| decode(row, None)).collect()
        })
    }

    fn read_all_through<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Page, StoreError>> {
        Box::pin(async move {
            let from = after.unwrap_or(Position { major: 0, minor: 0 });
            // One statement, so `last` (the newest event below the horizon, whatever its
            // category) and the page share the horizon: every event up to `last` that matches
            // the filter is in the page, unless the page is full. `last` is one step of a
            // backward index scan. The row with no page columns is there when the page is empty.
            let rows = sqlx::query(&format!(
                "WITH horizon AS MATERIALIZED (
                      SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
                  last AS (
                      SELECT tx_id, global_position FROM es_events
                       WHERE tx_id < (SELECT xmin FROM horizon)
                       ORDER BY tx_id DESC, global_position DESC LIMIT 1),
                  page AS (
                      SELECT {COLUMNS}, es_events.tx_id AS order_tx,
                             es_events.global_position AS order_position
                        FROM es_events
                       WHERE tx_id < (SELECT xmin FROM horizon)
                         AND {AFTER_MATCHING}
                       ORDER BY es_events.tx_id, es_events.global_position
                       LIMIT $4)
                 SELECT page.*, last.tx_id::text, last.global_position
                   FROM last LEFT JOIN page ON true
                  ORDER BY page.order_tx, page.order_position"
            ))
            .bind(from.major.to_string())
            .bind(from.minor as i64)
            .bind(&filter.categories)
            .bind(limit as i64)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            let Some(first) = rows.first() else {
                return Ok(Page {
                    events: Vec::new(),
                    through: None,
                });
            };
            let last = position_of(first, 13, 14)?;
            let mut events = Vec::with_capacity(rows.len());
            for row in &rows {
                let stream: Option<&str> = row
                    .try_get(0)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                if stream.is_some() {
                    events.push(decode(row, None)?);
                }
            }
            let through = match events.last() {
                Some(e) if events.len() == limit => e.position,
                _ => last,
            };
            Ok(Page {
                events,
                through: Some(through),
            })
        })
    }

    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let after = after.unwrap_or(Position { major: 0, minor: 0 });
            let n: i64 = sqlx::query_scalar(&format!(
                "SELECT count(*) FROM es_events
                  WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    AND {AFTER_MATCHING}"
            ))
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

/// The events after the position `($1, $2)` (the xid as text, the global position) that match
/// the categories `$3` (none: every category). The scalar bound `tx_id >= $1` is redundant with
/// the row comparison but keeps the planner on the index range scan (design research §4.2,
/// "planner trap").
const AFTER_MATCHING: &str = "tx_id >= $1::text::xid8
    AND (tx_id, global_position) > ($1::text::xid8, $2)
    AND (cardinality($3::text[]) = 0 OR category = ANY($3))";

const COLUMNS: &str = "stream_id, version, event_id, event_type, schema_version, payload, \
                       metadata, recorded_at, tx_id::text, global_position, hash";

/// One row of `COLUMNS`; `stream` when the caller knows every row is of that stream.
fn decode(row: &PgRow, stream: Option<&StreamId>) -> Result<RecordedEvent, StoreError> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
    let stream_id = match stream {
        Some(stream) => stream.clone(),
        None => row.try_get::<&str, _>(0).map_err(corrupt)?.parse()?,
    };
    let metadata: sqlx::types::Json<Metadata> = row.try_get(6).map_err(corrupt)?;
    Ok(RecordedEvent {
        stream_id,
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

/// A command's record from `row`: its stream, first and last versions from column `at.0` on, its
/// transaction and position from column `at.1` on.
fn recorded(row: &PgRow, at: (usize, usize), command_id: Uuid) -> Result<Appended, StoreError> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
    let (stream, tx) = at;
    Ok(Appended {
        stream_id: row.try_get::<&str, _>(stream).map_err(corrupt)?.parse()?,
        command_id,
        first_version: row.try_get::<i64, _>(stream + 1).map_err(corrupt)? as u64,
        last_version: row.try_get::<i64, _>(stream + 2).map_err(corrupt)? as u64,
        position: position_of(row, tx, tx + 1)?,
        duplicate: true,
    })
}

/// Of a command id's records, the one on `stream` if there is one, else any (another stream's).
fn pick_record(stream: &StreamId, mut records: Vec<Appended>) -> Option<Appended> {
    let here = records.iter().position(|r| r.stream_id == *stream);
    match here {
        Some(i) => Some(records.swap_remove(i)),
        None => records.pop(),
    }
}

fn position_of(row: &PgRow, tx: usize, pos: usize) -> Result<Position, StoreError> {
    let corrupt = |e: String| StoreError::Corrupt(e);
    // Borrowed: the xid's text is only parsed, once per event read.
    let tx: &str = row.try_get(tx).map_err(|e| corrupt(e.to_string()))?;
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

pub(crate) fn backend(e: sqlx::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}
