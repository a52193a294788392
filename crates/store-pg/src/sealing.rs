//! Sealing the personal values of events written before sealing began (decision 0842): each
//! stream that holds one is sealed in place, its hash chain computed again over what is then
//! stored, and a record of it (old and new head) appended in the same transaction, so that the
//! log says which chains were recomputed and an exported copy's heads can still be matched.
//!
//! PostgreSQL only: KurrentDB's events cannot be rewritten (decision 0840).

use uuid::Uuid;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::shred::Sealer;
use zakup_store::{
    EventStore, ExpectedVersion, Metadata, NewEvent, RecordedEvent, StoreError, StreamId,
    StreamRange,
};

use crate::{PgStore, backend};

/// One stream sealed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedStream {
    pub stream: StreamId,
    pub events: u64,
    pub values: u64,
    pub previous_head: String,
    pub head: String,
}

/// How often a stream written to while it is being sealed is tried again.
const ATTEMPTS: usize = 5;

/// Seals every stream outside `skip` (the record's own category) that still holds plaintext
/// personal values; `record` makes the record of each. A stream sealed already is left as it
/// is, so the command may be run again, and a run stopped halfway is finished by the next.
pub async fn seal_plaintext(
    store: &PgStore,
    sealer: &Sealer,
    skip: &str,
    mut record: impl FnMut(&SealedStream) -> Result<(StreamId, NewEvent), StoreError>,
) -> Result<Vec<SealedStream>, StoreError> {
    let streams: Vec<String> = sqlx::query_scalar(
        "SELECT stream_id FROM es_streams WHERE category <> $1 ORDER BY stream_id",
    )
    .bind(skip)
    .fetch_all(store.pool())
    .await
    .map_err(backend)?;
    let mut sealed = Vec::new();
    for stream in streams {
        let stream: StreamId = stream.parse()?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            match seal_stream(store, sealer, &stream, &mut record).await {
                Ok(done) => {
                    sealed.extend(done);
                    break;
                }
                Err(StoreError::Conflict { .. }) if attempt < ATTEMPTS => continue,
                Err(e) => return Err(e),
            }
        }
    }
    Ok(sealed)
}

fn as_new(e: &RecordedEvent) -> NewEvent {
    NewEvent {
        event_id: e.event_id,
        event_type: e.event_type.clone(),
        schema_version: e.schema_version,
        payload: e.payload.clone(),
        metadata: e.metadata.clone(),
    }
}

async fn seal_stream(
    store: &PgStore,
    sealer: &Sealer,
    stream: &StreamId,
    record: &mut impl FnMut(&SealedStream) -> Result<(StreamId, NewEvent), StoreError>,
) -> Result<Option<SealedStream>, StoreError> {
    let events = store.read_stream(stream, StreamRange::all()).await?;
    let Some(last) = events.last() else {
        return Ok(None);
    };
    let mut sealed: Vec<NewEvent> = events.iter().map(as_new).collect();
    let values = sealer.seal(&mut sealed).await?;
    if values == 0 {
        return Ok(None);
    }
    let hashes = chain_batch(GENESIS, stream, 0, &sealed)?;
    let head = hashes.last().cloned().unwrap_or_default();
    let done = SealedStream {
        stream: stream.clone(),
        events: events.len() as u64,
        values: values as u64,
        previous_head: last.hash.clone(),
        head: head.clone(),
    };
    let (record_stream, record_event) = record(&done)?;
    // The record's own actor (the operator) is a person too.
    let mut record_event = [record_event];
    sealer.seal(&mut record_event).await?;
    let mut tx = store.pool().begin().await.map_err(backend)?;
    store
        .append_in(
            &mut tx,
            &record_stream,
            ExpectedVersion::NoStream,
            &record_event,
        )
        .await?;
    // Appends to the stream wait on this lock until the chain is rewritten; one that came
    // between the read above and here makes this attempt start over.
    let now: Option<(i64, String)> =
        sqlx::query_as("SELECT version, last_hash FROM es_streams WHERE stream_id = $1 FOR UPDATE")
            .bind(stream.as_str())
            .fetch_optional(&mut *tx)
            .await
            .map_err(backend)?;
    if now != Some((last.version as i64, last.hash.clone())) {
        tx.rollback().await.map_err(backend)?;
        return Err(StoreError::Conflict {
            stream: stream.to_string(),
            expected: ExpectedVersion::Exact(last.version),
            actual: now.map(|(v, _)| v as u64),
        });
    }
    let ids: Vec<Uuid> = sealed.iter().map(|e| e.event_id).collect();
    let payloads: Vec<&serde_json::Value> = sealed.iter().map(|e| &e.payload).collect();
    let metadata: Vec<sqlx::types::Json<&Metadata>> = sealed
        .iter()
        .map(|e| sqlx::types::Json(&e.metadata))
        .collect();
    sqlx::query(
        "UPDATE es_events e SET payload = u.p, metadata = u.m, hash = u.h
           FROM unnest($1::uuid[], $2::jsonb[], $3::jsonb[], $4::text[]) AS u(id, p, m, h)
          WHERE e.event_id = u.id",
    )
    .bind(&ids)
    .bind(&payloads)
    .bind(&metadata)
    .bind(&hashes)
    .execute(&mut *tx)
    .await
    .map_err(backend)?;
    sqlx::query("UPDATE es_streams SET last_hash = $2 WHERE stream_id = $1")
        .bind(stream.as_str())
        .bind(&head)
        .execute(&mut *tx)
        .await
        .map_err(backend)?;
    tx.commit().await.map_err(backend)?;
    store.committed();
    Ok(Some(done))
}
