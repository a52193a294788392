//! The PostgreSQL store with one line changed, to measure the fix proposed in
//! `docs/benchmarks.md` (workload 3) before anyone edits the store.
//!
//! `PgStore::read_all` selects `tx_id::text` and orders by `tx_id`: in PostgreSQL an ORDER BY name
//! that matches an output column means that column, so the log is sorted by the xid's TEXT. The
//! index on `(tx_id, global_position)` cannot serve that order, so every batch scans and sorts
//! everything after the checkpoint (a rebuild becomes quadratic), and text order puts xid
//! `100000` before `99999`. Here the query orders by `es_events.tx_id`, the xid8 column; every
//! other call goes to the real store unchanged.

use std::sync::Arc;

use futures::future::BoxFuture;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;
use zakup_store::{
    Appended, EventStore, ExpectedVersion, Filter, Metadata, NewEvent, Position, RecordedEvent,
    StoreError, StreamId, StreamRange, Subscription, catch_up,
};
use zakup_store_pg::PgStore;

pub struct Ordered(pub Arc<PgStore>);

impl EventStore for Ordered {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        self.0.append(stream, expected, events)
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        self.0.command_outcome(stream, command_id)
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        self.0.read_stream(stream, range)
    }

    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            let after = after.unwrap_or(Position { major: 0, minor: 0 });
            // The store's own query but for the ORDER BY (see the module comment).
            let rows = sqlx::query(
                "SELECT stream_id, version, event_id, event_type, schema_version, payload,
                        metadata, recorded_at, tx_id::text, global_position, hash
                   FROM es_events
                  WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
                    AND tx_id >= $1::text::xid8
                    AND (tx_id, global_position) > ($1::text::xid8, $2)
                    AND (cardinality($3::text[]) = 0 OR category = ANY($3))
                  ORDER BY es_events.tx_id, global_position
                  LIMIT $4",
            )
            .bind(after.major.to_string())
            .bind(after.minor as i64)
            .bind(&filter.categories)
            .bind(limit as i64)
            .fetch_all(self.0.pool())
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
            rows.iter().map(decode).collect()
        })
    }

    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        self.0.count_after(after, filter)
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.0.changes()
    }

    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        catch_up(self, after, filter)
    }

    fn backend(&self) -> &'static str {
        "postgres"
    }
}

/// The store's row decoding, column for column.
fn decode(row: &PgRow) -> Result<RecordedEvent, StoreError> {
    let corrupt = |e: sqlx::Error| StoreError::Corrupt(e.to_string());
    let stream: String = row.try_get(0).map_err(corrupt)?;
    let metadata: sqlx::types::Json<Metadata> = row.try_get(6).map_err(corrupt)?;
    let tx: String = row.try_get(8).map_err(corrupt)?;
    Ok(RecordedEvent {
        stream_id: stream.parse()?,
        version: row.try_get::<i64, _>(1).map_err(corrupt)? as u64,
        event_id: row.try_get(2).map_err(corrupt)?,
        event_type: row.try_get(3).map_err(corrupt)?,
        schema_version: row.try_get::<i32, _>(4).map_err(corrupt)? as u32,
        payload: row.try_get(5).map_err(corrupt)?,
        metadata: metadata.0,
        recorded_at: row.try_get(7).map_err(corrupt)?,
        position: Position {
            major: tx
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("bad xid8 {tx}")))?,
            minor: row.try_get::<i64, _>(9).map_err(corrupt)? as u64,
        },
        hash: row.try_get(10).map_err(corrupt)?,
    })
}
