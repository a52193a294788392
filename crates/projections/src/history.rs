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

    /// For every stream `events` touch, what the batch changed: the fold before its first event
    /// in the batch and after its last; streams missing from the cache are read back from
    /// `store`.
    pub async fn fold<'e>(
        &self,
        store: &dyn EventStore,
        events: &[&'e RecordedEvent],
    ) -> Result<BTreeMap<String, Change<'e, S>>, ProjectionError> {
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
        for (stream, before) in starts.into_iter().chain(read) {
            let batch = &batches[stream];
            let mut after = before.clone();
            for e in batch {
                (self.step)(&mut after, &e.event_type, e.schema_version, &e.payload)?;
            }
            let last = batch[batch.len() - 1];
            out.insert(
                stream.clone(),
                Change {
                    before,
                    after,
                    last,
                },
            );
        }
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() + out.len() > CAPACITY {
            cache.clear();
        }
        for (stream, change) in &out {
            cache.insert(stream.clone(), (change.last.version, change.after.clone()));
        }
        Ok(out)
    }
}

/// What one batch did to one stream's fold. `before` is what the read model shows now (its
/// rows were written from that fold, in the batch that ended there), so a projector that
/// derives its rows from both rewrites only the rows that differ.
pub struct Change<'e, S> {
    pub before: S,
    pub after: S,
    /// The stream's last event in the batch.
    pub last: &'e RecordedEvent,
}

/// The rows one table must rewrite for a batch: for the announcements (or other owners) whose
/// rows, as `rows` derives them, differ before and after, the owners to clear (those that had
/// rows) and the new rows. Most events change one or two tables of a read model, so the others
/// are not written at all.
pub struct Rewrite<K, R> {
    pub clear: Vec<K>,
    pub rows: Vec<R>,
}

impl<K, R> Rewrite<K, R> {
    /// Compares, for each `(owner, before, after)`, the rows `rows` derives from both states.
    pub fn of<'s, T: 's>(
        owners: impl IntoIterator<Item = (K, &'s T, &'s T)>,
        rows: impl Fn(&K, &'s T) -> Vec<R>,
    ) -> Self
    where
        R: PartialEq,
    {
        let mut rewrite = Rewrite {
            clear: Vec::new(),
            rows: Vec::new(),
        };
        for (owner, before, after) in owners {
            let (old, new) = (rows(&owner, before), rows(&owner, after));
            if old == new {
                continue;
            }
            rewrite.rows.extend(new);
            if !old.is_empty() {
                rewrite.clear.push(owner);
            }
        }
        rewrite
    }
}

#[cfg(test)]
mod tests {
    use super::Rewrite;

    fn rows(owner: &u32, state: &Vec<&'static str>) -> Vec<(u32, &'static str)> {
        state.iter().map(|r| (*owner, *r)).collect()
    }

    /// Only owners whose rows differ are rewritten; those that had none are not cleared.
    #[test]
    fn a_rewrite_touches_only_the_owners_whose_rows_changed() {
        let (same, changed, new, gone) =
            (vec!["a"], (vec!["b"], vec!["b", "c"]), vec!["d"], vec!["e"]);
        let empty = Vec::new();
        let rewrite = Rewrite::of(
            [
                (1, &same, &same),
                (2, &changed.0, &changed.1),
                (3, &empty, &new),
                (4, &gone, &empty),
                (5, &empty, &empty),
            ],
            rows,
        );
        assert_eq!(rewrite.clear, vec![2, 4]);
        assert_eq!(rewrite.rows, vec![(2, "b"), (2, "c"), (3, "d")]);
    }
}
