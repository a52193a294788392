//! The in-memory backend: for domain and unit tests only. It keeps the same contract as the real
//! backends (and runs the same contract suite), but nothing survives the process.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use uuid::Uuid;

use crate::chain::{GENESIS, chain_batch};
use crate::envelope::{
    Appended, ExpectedVersion, Filter, NewEvent, Position, RecordedEvent, StreamId, StreamRange,
    validate_batch,
};
use crate::error::StoreError;
use crate::store::{EventStore, OutcomeOrEvents};
use crate::subscription::{Subscription, catch_up};

type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

#[derive(Default)]
struct Inner {
    log: Vec<RecordedEvent>,
    streams: HashMap<StreamId, Vec<usize>>,
    /// Command ids are global: one record per id, naming its stream (decision 0930).
    commands: HashMap<Uuid, Appended>,
    event_ids: HashMap<Uuid, usize>,
}

pub struct MemoryStore {
    inner: Mutex<Inner>,
    clock: Clock,
    changes: tokio::sync::watch::Sender<u64>,
}

impl Default for MemoryStore {
    fn default() -> Self {
        Self::with_clock(Arc::new(Utc::now))
    }
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// `recorded_at` comes from `clock`, so tests of "as of an instant" can move time.
    pub fn with_clock(clock: Clock) -> Self {
        MemoryStore {
            inner: Mutex::default(),
            clock,
            changes: tokio::sync::watch::Sender::new(0),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave a half-applied append (appends mutate only
        // after every check), so a poisoned lock is still consistent.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn append_now(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<Appended, StoreError> {
        let command_id = validate_batch(&events)?;
        let mut inner = self.lock();
        if let Some(done) = inner.commands.get(&command_id) {
            if done.stream_id != *stream {
                return Err(StoreError::CommandIdReused(command_id));
            }
            return Ok(Appended {
                duplicate: true,
                ..done.clone()
            });
        }
        let current = inner.streams.get(stream).map(|ix| ix.len() as u64 - 1);
        if current != expected_current(expected) {
            return Err(StoreError::Conflict {
                stream: stream.to_string(),
                expected,
                actual: current,
            });
        }
        if let Some(dup) = events
            .iter()
            .find(|e| inner.event_ids.contains_key(&e.event_id))
        {
            return Err(StoreError::DuplicateEventId(dup.event_id));
        }
        let prev_hash = inner
            .streams
            .get(stream)
            .and_then(|ix| ix.last())
            .map_or(GENESIS.to_owned(), |&i| inner.log[i].hash.clone());
        let first_version = expected.next_version();
        let hashes = chain_batch(&prev_hash, stream, first_version, &events)?;
        let last_recorded = inner.log.last().map(|e| e.recorded_at);
        // Commit order and recorded_at agree, as they do on PostgreSQL with clock_timestamp().
        let recorded_at = last_recorded.map_or((self.clock)(), |l| l.max((self.clock)()));
        for (i, (event, hash)) in events.into_iter().zip(hashes).enumerate() {
            let index = inner.log.len();
            inner.event_ids.insert(event.event_id, index);
            inner.streams.entry(stream.clone()).or_default().push(index);
            inner.log.push(RecordedEvent {
                stream_id: stream.clone(),
                version: first_version + i as u64,
                event_id: event.event_id,
                event_type: event.event_type,
                schema_version: event.schema_version,
                payload: event.payload,
                metadata: event.metadata,
                recorded_at,
                position: Position {
                    major: 0,
                    minor: index as u64 + 1,
                },
                hash,
            });
        }
        let last = inner.log.last().map(|e| (e.version, e.position));
        let (last_version, position) =
            last.ok_or_else(|| StoreError::Corrupt("empty log".into()))?;
        let appended = Appended {
            stream_id: stream.clone(),
            command_id,
            first_version,
            last_version,
            position,
            duplicate: false,
        };
        inner.commands.insert(command_id, appended.clone());
        drop(inner);
        self.changes.send_modify(|n| *n += 1);
        Ok(appended)
    }
}

fn expected_current(expected: ExpectedVersion) -> Option<u64> {
    match expected {
        ExpectedVersion::NoStream => None,
        ExpectedVersion::Exact(v) => Some(v),
    }
}

impl EventStore for MemoryStore {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        let result = self.append_now(stream, expected, events);
        Box::pin(async move { result })
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        let found = self
            .lock()
            .commands
            .get(&command_id)
            .filter(|a| a.stream_id == *stream)
            .map(|a| Appended {
                duplicate: true,
                ..a.clone()
            });
        Box::pin(async move { Ok(found) })
    }

    fn outcome_or_events<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
        from_version: u64,
    ) -> BoxFuture<'a, Result<OutcomeOrEvents, StoreError>> {
        let recorded = self.lock().commands.get(&command_id).cloned();
        Box::pin(async move {
            match recorded {
                Some(done) if done.stream_id != *stream => {
                    Err(StoreError::CommandIdReused(command_id))
                }
                Some(done) => Ok(OutcomeOrEvents::Outcome(Appended {
                    duplicate: true,
                    ..done
                })),
                None => Ok(OutcomeOrEvents::Events(
                    self.read_stream(stream, StreamRange::from_version(from_version))
                        .await?,
                )),
            }
        })
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        let inner = self.lock();
        let events = inner
            .streams
            .get(stream)
            .map(|ix| {
                ix.iter()
                    .map(|&i| &inner.log[i])
                    .take_while(|e| range.before_until(e))
                    .filter(|e| range.contains(e))
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        Box::pin(async move { Ok(events) })
    }

    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        let inner = self.lock();
        let start = after.map_or(0, |p| p.minor as usize);
        let events = inner
            .log
            .iter()
            .skip(start)
            .filter(|e| filter.matches(&e.stream_id))
            .take(limit)
            .cloned()
            .collect();
        Box::pin(async move { Ok(events) })
    }

    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        let inner = self.lock();
        let start = after.map_or(0, |p| p.minor as usize);
        let n = inner
            .log
            .iter()
            .skip(start)
            .filter(|e| filter.matches(&e.stream_id))
            .count() as u64;
        Box::pin(async move { Ok(n) })
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        catch_up(self, after, filter)
    }

    fn backend(&self) -> &'static str {
        "memory"
    }
}
