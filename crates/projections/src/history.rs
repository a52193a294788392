//! Folds of the streams a projector reads, with the domain's own `apply`, so that read models
//! show exactly what the aggregate knows (statuses, voting control, protocol validity) without
//! re-deriving any rule in SQL.
//!
//! A batch holds only part of a stream, so the folds are kept in memory, keyed by stream AND
//! version: a batch continues the fold it finds at the version just before its first event, and
//! folds a stream that starts in the batch (every stream, in a rebuild) from nothing. For the
//! other streams (a fresh projector after a restart, an evicted fold) it reads the stream's
//! older events back from the event store itself: the log is the history, immutable, so a fold
//! at a given version is the same whoever reads it, in every generation and whether or not the
//! batch that made it committed. The cache is therefore never wrong, only sometimes missing, and
//! projectors keep no copy of the events they see (writing one cost more than the read models).

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use zakup_store::{EventStore, RecordedEvent, StreamRange};

use crate::projection::ProjectionError;

/// How many folds to keep; past it the cache starts over (a miss only costs a read).
const CAPACITY: usize = 20_000;

/// Applies one stored event (type, schema version, payload) to a fold.
pub type Step<S> = fn(&mut S, &str, u32, &serde_json::Value) -> Result<(), ProjectionError>;

pub struct Folds<S> {
    step: Step<S>,
    cache: Mutex<HashMap<String, (u64, S)>>,
}

impl<S: Clone + Default> Folds<S> {
    pub fn new(step: Step<S>) -> Self {
        Folds {
            step,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// For every stream `events` touch, the fold up to the stream's last event in the batch,
    /// with that event; streams missing from the cache are read back from `store`.
    pub async fn fold<'e>(
        &self,
        store: &dyn EventStore,
        events: &[&'e RecordedEvent],
    ) -> Result<BTreeMap<String, (S, &'e RecordedEvent)>, ProjectionError> {
        let mut batches: BTreeMap<String, Vec<&'e RecordedEvent>> = BTreeMap::new();
        for e in events {
            batches.entry(e.stream_id.to_string()).or_default().push(e);
        }
        let mut starts: Vec<(&String, S)> = Vec::with_capacity(batches.len());
        let mut misses: Vec<&String> = Vec::new();
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            for (stream, batch) in &batches {
                let first = batch[0].version;
                match cache.get(stream) {
                    _ if first == 0 => starts.push((stream, S::default())),
                    Some((version, state)) if *version + 1 == first => {
                        starts.push((stream, state.clone()))
                    }
                    _ => misses.push(stream),
                }
            }
        }
        // The misses are read concurrently: after a restart, most streams of a batch miss.
        let batches = &batches;
        let read = futures::future::try_join_all(misses.into_iter().map(|stream| async move {
            let batch = &batches[stream];
            let older = store
                .read_stream(
                    &batch[0].stream_id,
                    StreamRange::up_to_version(batch[0].version - 1),
                )
                .await?;
            let mut state = S::default();
            for e in &older {
                (self.step)(&mut state, &e.event_type, e.schema_version, &e.payload)?;
            }
            Ok::<_, ProjectionError>((stream, state))
        }))
        .await?;
        let mut out = BTreeMap::new();
        for (stream, mut state) in starts.into_iter().chain(read) {
            let batch = &batches[stream];
            for e in batch {
                (self.step)(&mut state, &e.event_type, e.schema_version, &e.payload)?;
            }
            out.insert(stream.clone(), (state, batch[batch.len() - 1]));
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
}
