//! Seeding: whole streams written in one multi-row insert per batch, in the event store's own
//! SQL shape (the `es_streams` row first, as the store does, then the events with their hash
//! chain). A million events through a million commands would take longer than the benchmarks.

use sqlx::PgPool;
use uuid::Uuid;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::{NewEvent, StreamId};

use crate::Result;

/// Columns of `es_events`, one vector each, for `unnest`.
#[derive(Default)]
pub struct Batch {
    streams: Vec<String>,
    categories: Vec<String>,
    last_versions: Vec<i64>,
    last_hashes: Vec<String>,
    event_streams: Vec<String>,
    event_categories: Vec<String>,
    versions: Vec<i64>,
    ids: Vec<Uuid>,
    types: Vec<String>,
    schema_versions: Vec<i32>,
    payloads: Vec<serde_json::Value>,
    metadata: Vec<serde_json::Value>,
    hashes: Vec<String>,
}

impl Batch {
    /// Adds a new stream with all its events (versions from 0), hashing the chain as the store
    /// does.
    pub fn push(&mut self, stream: &StreamId, events: Vec<NewEvent>) -> Result<()> {
        let hashes = chain_batch(GENESIS, stream, 0, &events)?;
        self.streams.push(stream.to_string());
        self.categories.push(stream.category().to_owned());
        self.last_versions.push(events.len() as i64 - 1);
        self.last_hashes
            .push(hashes.last().cloned().unwrap_or_default());
        for (version, (event, hash)) in events.into_iter().zip(hashes).enumerate() {
            self.event_streams.push(stream.to_string());
            self.event_categories.push(stream.category().to_owned());
            self.versions.push(version as i64);
            self.ids.push(event.event_id);
            self.types.push(event.event_type);
            self.schema_versions.push(event.schema_version as i32);
            self.payloads.push(event.payload);
            self.metadata.push(serde_json::to_value(&event.metadata)?);
            self.hashes.push(hash);
        }
        Ok(())
    }

    pub fn events(&self) -> usize {
        self.ids.len()
    }

    /// Writes the batch in one transaction.
    pub async fn write(self, pool: &PgPool) -> Result<()> {
        let mut tx = pool.begin().await?;
        sqlx::query(
            "INSERT INTO es_streams (stream_id, category, version, last_hash)
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])",
        )
        .bind(&self.streams)
        .bind(&self.categories)
        .bind(&self.last_versions)
        .bind(&self.last_hashes)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO es_events (stream_id, category, version, event_id, event_type,
                                    schema_version, payload, metadata, hash)
             SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::uuid[], $5::text[],
                                  $6::int[], $7::jsonb[], $8::jsonb[], $9::text[])",
        )
        .bind(&self.event_streams)
        .bind(&self.event_categories)
        .bind(&self.versions)
        .bind(&self.ids)
        .bind(&self.types)
        .bind(&self.schema_versions)
        .bind(&self.payloads)
        .bind(&self.metadata)
        .bind(&self.hashes)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
