//! Seeding: whole streams written in one multi-row insert per batch, in the event store's own
//! SQL shape (the `es_streams` row first, as the store does, then the events with their hash
//! chain). A million events through a million commands would take longer than the benchmarks.

use std::sync::Arc;

use sqlx::PgPool;
use uuid::Uuid;
use zakup_domain::calendar::Calendar;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::{NewEvent, StreamId};

use crate::Result;
use crate::world::Lifecycle;

/// What a seeding target counts.
#[derive(Clone, Copy)]
pub enum Count {
    Events,
    Announcements,
}

/// Writes announcements until `target` (events or announcements, as `count` says) is reached:
/// each one's life made by `life` from a fresh id, decided by the domain on blocking threads
/// (one per core) and written by one task each, 2000 events a batch.
pub async fn lives(
    pool: &PgPool,
    calendar: &Arc<Calendar>,
    target: usize,
    count: Count,
    life: fn(Uuid, Arc<Calendar>) -> Lifecycle,
) -> Result<usize> {
    let pipelines = std::thread::available_parallelism().map_or(2, |n| n.get());
    let share = target.div_ceil(pipelines);
    let mut writers = Vec::new();
    for _ in 0..pipelines {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(4);
        let calendar = calendar.clone();
        let producer = tokio::task::spawn_blocking(move || {
            let mut written = 0;
            while written < share {
                let mut batch = Batch::default();
                while batch.events() < 2000 && written + batch.counted(count) < share {
                    let mut life = life(Uuid::new_v4(), calendar.clone());
                    let events = life.take();
                    batch.push(&life.stream, events)?;
                }
                written += batch.counted(count);
                if tx.blocking_send(batch).is_err() {
                    break;
                }
            }
            Ok::<_, crate::Error>(written)
        });
        let pool = pool.clone();
        let writer = tokio::spawn(async move {
            while let Some(batch) = rx.recv().await {
                batch.write(&pool).await?;
            }
            Ok::<_, crate::Error>(())
        });
        writers.push((producer, writer));
    }
    let mut total = 0;
    for (producer, writer) in writers {
        total += producer.await??;
        writer.await??;
    }
    Ok(total)
}

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

    fn counted(&self, count: Count) -> usize {
        match count {
            Count::Events => self.ids.len(),
            Count::Announcements => self.streams.len(),
        }
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
