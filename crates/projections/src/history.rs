//! The events a projector has already seen, kept in a private table of its own generation, so
//! that a batch can fold every stream it touches from the stream's first event with the domain's
//! own `apply`. Read models then show exactly what the aggregate knows (statuses, voting
//! control, protocol validity) without re-deriving any rule in SQL, and the projector never asks
//! the event store for more than the batch it was given.
//!
//! Folding whole histories again for every batch would make a rebuild quadratic in the length
//! of the streams, so the folds are also kept in memory, keyed by stream AND version: a batch
//! continues the fold it finds at the version just before its first event, folds a stream that
//! starts in the batch from nothing, and reads the history table only for the other streams it
//! finds no fold for. A fold at a given version is the same in
//! every generation and whether or not the batch that made it committed, so the cache is never
//! wrong, only sometimes missing.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use sqlx::PgConnection;
use zakup_store::RecordedEvent;

use crate::projection::ProjectionError;

/// How many folds to keep; past it the cache starts over (a miss only costs a read).
const CAPACITY: usize = 20_000;

/// Applies one stored event (type, schema version, payload) to a fold.
pub type Step<S> = fn(&mut S, &str, u32, &serde_json::Value) -> Result<(), ProjectionError>;

pub struct Folds<S> {
    table: &'static str,
    step: Step<S>,
    cache: Mutex<HashMap<String, (u64, S)>>,
}

impl<S: Clone + Default> Folds<S> {
    pub fn new(table: &'static str, step: Step<S>) -> Self {
        Folds {
            table,
            step,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// Records `events` in the history table and returns, for every stream they touch, the fold
    /// up to the stream's last event in the batch, with that event.
    pub async fn fold<'e>(
        &self,
        tx: &mut PgConnection,
        events: &[&'e RecordedEvent],
    ) -> Result<BTreeMap<String, (S, &'e RecordedEvent)>, ProjectionError> {
        self.remember(tx, events).await?;
        let mut batches: BTreeMap<String, Vec<&'e RecordedEvent>> = BTreeMap::new();
        for e in events {
            batches.entry(e.stream_id.to_string()).or_default().push(e);
        }
        let mut out = BTreeMap::new();
        let mut misses = Vec::new();
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            for (stream, batch) in &batches {
                let first = batch[0].version;
                // A stream that starts in this batch (every stream, in a rebuild) folds from
                // nothing over the batch itself: its history holds nothing older to read back.
                let start = match cache.get(stream) {
                    _ if first == 0 => Some(S::default()),
                    Some((version, state)) if *version + 1 == first => Some(state.clone()),
                    _ => None,
                };
                let Some(mut state) = start else {
                    misses.push(stream.clone());
                    continue;
                };
                for e in batch {
                    (self.step)(&mut state, &e.event_type, e.schema_version, &e.payload)?;
                }
                out.insert(stream.clone(), (state, *batch.last().unwrap_or(&batch[0])));
            }
        }
        if !misses.is_empty() {
            let rows: Vec<(String, String, i32, serde_json::Value)> = sqlx::query_as(&format!(
                "SELECT stream_id, event_type, schema_version, payload FROM {}
                  WHERE stream_id = ANY($1) ORDER BY stream_id, version",
                self.table
            ))
            .bind(&misses)
            .fetch_all(&mut *tx)
            .await?;
            let mut folded: BTreeMap<String, S> = BTreeMap::new();
            for (stream, event_type, schema_version, payload) in rows {
                let state = folded.entry(stream).or_default();
                (self.step)(state, &event_type, schema_version as u32, &payload)?;
            }
            for (stream, state) in folded {
                if let Some(last) = batches.get(&stream).and_then(|b| b.last()) {
                    out.insert(stream, (state, *last));
                }
            }
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() + out.len() > CAPACITY {
            cache.clear();
        }
        for (stream, (state, last)) in &out {
            cache.insert(stream.clone(), (last.version, state.clone()));
        }
        Ok(out)
    }

    /// One statement per batch, whatever its size.
    async fn remember(
        &self,
        tx: &mut PgConnection,
        events: &[&RecordedEvent],
    ) -> Result<(), ProjectionError> {
        sqlx::query(&format!(
            "INSERT INTO {} (stream_id, version, event_type, schema_version, payload)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::jsonb[])",
            self.table
        ))
        .bind(
            events
                .iter()
                .map(|e| e.stream_id.to_string())
                .collect::<Vec<_>>(),
        )
        .bind(events.iter().map(|e| e.version as i64).collect::<Vec<_>>())
        .bind(
            events
                .iter()
                .map(|e| e.event_type.clone())
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| e.schema_version as i32)
                .collect::<Vec<_>>(),
        )
        .bind(
            events
                .iter()
                .map(|e| sqlx::types::Json(&e.payload))
                .collect::<Vec<_>>(),
        )
        .execute(&mut *tx)
        .await?;
        Ok(())
    }
}
