//! The events a projector has already seen, kept in a private table of its own generation, so
//! that a batch can fold every stream it touches from the stream's first event with the domain's
//! own `apply`. Read models then show exactly what the aggregate knows (statuses, voting
//! control, protocol validity) without re-deriving any rule in SQL, and the projector never asks
//! the event store for more than the batch it was given.

use std::collections::BTreeMap;

use sqlx::PgConnection;
use zakup_store::RecordedEvent;

use crate::projection::ProjectionError;

/// One remembered event: enough to decode it again.
pub struct Remembered {
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
}

/// Records `events` in `table` and returns the whole history of every stream they touch, in
/// version order. Two statements per batch, whatever its size.
pub async fn remember_and_recall(
    tx: &mut PgConnection,
    table: &'static str,
    events: &[RecordedEvent],
) -> Result<BTreeMap<String, Vec<Remembered>>, ProjectionError> {
    let streams: Vec<String> = events.iter().map(|e| e.stream_id.to_string()).collect();
    sqlx::query(&format!(
        "INSERT INTO {table} (stream_id, version, event_type, schema_version, payload)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::int[], $5::jsonb[])"
    ))
    .bind(&streams)
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
    .bind(events.iter().map(|e| e.payload.clone()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    let mut touched = streams;
    touched.sort();
    touched.dedup();
    let rows: Vec<(String, String, i32, serde_json::Value)> = sqlx::query_as(&format!(
        "SELECT stream_id, event_type, schema_version, payload FROM {table}
          WHERE stream_id = ANY($1) ORDER BY stream_id, version"
    ))
    .bind(&touched)
    .fetch_all(&mut *tx)
    .await?;
    let mut out: BTreeMap<String, Vec<Remembered>> = BTreeMap::new();
    for (stream, event_type, schema_version, payload) in rows {
        out.entry(stream).or_default().push(Remembered {
            event_type,
            schema_version: schema_version as u32,
            payload,
        });
    }
    Ok(out)
}

/// The last event of each stream in the batch: its version, position and instant.
pub fn last_of_each(events: &[RecordedEvent]) -> BTreeMap<String, &RecordedEvent> {
    let mut last = BTreeMap::new();
    for e in events {
        last.insert(e.stream_id.to_string(), e);
    }
    last
}
