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
//!
//! For the same reason one cache serves every projector that folds the same streams the same
//! way (the announcement read models, camera control and the messages share one, see
//! [`AnnouncementFold`]): each projector follows the log at its own pace, in its own batches and
//! generations, so a stream keeps its last few versions, and a projector finds the version its
//! batch starts from even when another has already folded further. A projector that finds the
//! version its batch ends at takes that fold as it is.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::camera_control::CameraControlEvent;
use zakup_domain::camera_control::event::DiscussionOutcome;
use zakup_domain::protocol::ProtocolKind;
use zakup_store::{EventStore, RecordedEvent, StreamRange};

use crate::projection::ProjectionError;
use crate::views::VotesFixed;
use crate::views::visibility::{self, Visibility};

/// How many streams to keep folds of; past it the cache starts over (a miss only costs a read).
const CAPACITY: usize = 20_000;

/// How many versions of a stream to keep: the projectors sharing a cache are rarely more than a
/// batch apart.
const VERSIONS: usize = 3;

/// Applies one stored event to a fold.
pub type Step<S> = fn(&mut S, &RecordedEvent) -> Result<(), ProjectionError>;

/// A stream's newest folds, by version (oldest first).
type Versions<S> = Vec<(u64, Arc<S>)>;

/// Where a stream's batch starts: the fold before it, and the one after it if already made.
type Start<'b, S> = (&'b String, Arc<S>, Option<Arc<S>>);

pub struct Folds<S> {
    step: Step<S>,
    cache: Mutex<HashMap<String, Versions<S>>>,
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
        let mut starts: Vec<Start<S>> = Vec::with_capacity(batches.len());
        let mut misses: Vec<&String> = Vec::new();
        {
            let cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
            for (stream, batch) in &batches {
                let (first, last) = (batch[0].version, batch[batch.len() - 1].version);
                let cached = |version: u64| {
                    cache.get(stream).and_then(|folds| {
                        folds
                            .iter()
                            .find(|(v, _)| *v == version)
                            .map(|(_, s)| s.clone())
                    })
                };
                let before = if first == 0 {
                    Some(Arc::new(S::default()))
                } else {
                    cached(first - 1)
                };
                match before {
                    Some(before) => starts.push((stream, before, cached(last))),
                    None => misses.push(stream),
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
                (self.step)(&mut state, e)?;
            }
            Ok::<_, ProjectionError>((stream, Arc::new(state), None))
        }))
        .await?;
        let mut out = BTreeMap::new();
        for (stream, before, after) in starts.into_iter().chain(read) {
            let batch = &batches[stream];
            let after = match after {
                Some(after) => after,
                None => {
                    let mut after = S::clone(&before);
                    for e in batch {
                        (self.step)(&mut after, e)?;
                    }
                    Arc::new(after)
                }
            };
            out.insert(
                stream.clone(),
                Change {
                    before,
                    before_version: batch[0].version.checked_sub(1),
                    after,
                    last: batch[batch.len() - 1],
                },
            );
        }
        self.remember(&out);
        Ok(out)
    }

    /// Keeps the folds a batch ended at, and the ones it started from.
    fn remember(&self, changes: &BTreeMap<String, Change<'_, S>>) {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() + changes.len() > CAPACITY {
            cache.clear();
        }
        for (stream, change) in changes {
            let folds = cache.entry(stream.clone()).or_default();
            for (version, state) in [
                (change.before_version, &change.before),
                (Some(change.last.version), &change.after),
            ] {
                let Some(version) = version else { continue };
                if folds.iter().all(|(v, _)| *v != version) {
                    folds.push((version, state.clone()));
                }
            }
            folds.sort_by_key(|(v, _)| *v);
            let excess = folds.len().saturating_sub(VERSIONS);
            folds.drain(..excess);
        }
    }
}

/// What one batch did to one stream's fold. `before` is what the read model shows now (its
/// rows were written from that fold, in the batch that ended there), so a projector that
/// derives its rows from both rewrites only the rows that differ.
pub struct Change<'e, S> {
    pub before: Arc<S>,
    /// The version `before` stands at; none for a stream that starts in the batch.
    pub before_version: Option<u64>,
    pub after: Arc<S>,
    /// The stream's last event in the batch.
    pub last: &'e RecordedEvent,
}

/// An announcement stream as the read models fold it: the domain's state, and the little of its
/// history the state does not keep. One cache of these serves every announcement projector.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementFold {
    pub state: Announcement,
    /// The version of the last event folded.
    pub version: Option<u64>,
    /// When the draft (or the index-2 copy) was made.
    pub drafted_at: Option<DateTime<Utc>>,
    /// «Публикация протокола обсуждения без исполнения уведомления» chose to publish the
    /// protocol and start acceptance (L12177–12313), and the protocol is not published yet: its
    /// publication is messaged.
    pub publishing_without_execution: bool,
    /// Before opening, the application events sealed from everyone but their author, oldest
    /// first; emptied at opening, when they become public (decision 0670).
    pub sealed: Vec<SealedEvent>,
    /// When the last event that everyone may know of happened.
    pub public_at: Option<DateTime<Utc>>,
    /// Whether the members' votes are fixed by a published protocol (decision 0672).
    pub votes: VotesFixed,
}

/// An event sealed until opening: the organisation that acted, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SealedEvent {
    pub org: String,
    pub at: DateTime<Utc>,
}

/// The folds of the announcement streams, shared by the projectors that read them.
pub type AnnouncementFolds = Arc<Folds<AnnouncementFold>>;

/// A new, empty cache of announcement folds.
pub fn announcement_folds() -> AnnouncementFolds {
    Arc::new(Folds::new(AnnouncementFold::step))
}

impl AnnouncementFold {
    /// Decodes a stored announcement event.
    pub fn decode(
        event_type: &str,
        schema_version: u32,
        payload: &serde_json::Value,
    ) -> Result<AnnouncementEvent, ProjectionError> {
        AnnouncementEvent::from_stored(event_type, schema_version, payload).map_err(|e| {
            ProjectionError::Event {
                event_type: event_type.to_owned(),
                why: e.to_string(),
            }
        })
    }

    /// Folds the next event of the stream.
    pub fn apply(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::AnnouncementDrafted(e) => self.drafted_at = Some(e.drafted_at),
            E::AnnouncementCopyCreated(e) => self.drafted_at = Some(e.created_at),
            // The automatic single source is drafted and published by the workflow at once.
            E::SingleSourceCreated(e) => self.drafted_at = Some(e.drafted.drafted_at),
            E::CameraControl(CameraControlEvent::DiscussionProtocolWithoutExecutionChosen(e)) => {
                self.publishing_without_execution =
                    e.outcome == DiscussionOutcome::AcceptanceEndDateRequired;
            }
            E::ProtocolPublished(e) if e.kind == ProtocolKind::Discussion => {
                self.publishing_without_execution = false;
            }
            _ => {}
        }
        self.state.apply(event);
        self.version = Some(self.version.map_or(0, |v| v + 1));
    }

    fn step(&mut self, e: &RecordedEvent) -> Result<(), ProjectionError> {
        self.apply(&Self::decode(&e.event_type, e.schema_version, &e.payload)?);
        self.seal(e);
        self.votes.step(&e.event_type);
        Ok(())
    }

    /// Notes whether `e`, just folded, is sealed until opening (decision 0670): the read model's
    /// version and instant skip it for everyone but its author.
    fn seal(&mut self, e: &RecordedEvent) {
        let at = e.metadata.occurred_at;
        if crate::views::opened(&self.state) {
            self.sealed.clear();
            self.public_at = Some(at);
        } else if visibility::rule(&e.event_type) == Visibility::SealedUntilOpening {
            self.sealed.push(SealedEvent {
                org: e.metadata.actor.org_bin.clone(),
                at,
            });
        } else {
            self.public_at = Some(at);
        }
    }
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
    use serde_json::json;
    use uuid::Uuid;
    use zakup_store::{
        Actor, EventStore, ExpectedVersion, MemoryStore, Metadata, NewEvent, RecordedEvent,
        StreamId, StreamRange,
    };

    use super::{Folds, Rewrite};
    use crate::projection::ProjectionError;

    /// A fold that lists the payloads it saw.
    fn step(seen: &mut Vec<u64>, e: &RecordedEvent) -> Result<(), ProjectionError> {
        seen.push(e.payload.as_u64().unwrap_or_default());
        Ok(())
    }

    async fn stream_of(store: &MemoryStore, n: u64) -> Vec<RecordedEvent> {
        let stream = StreamId::new("counter", 1).unwrap();
        let command_id = Uuid::new_v4();
        let metadata = Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: Actor {
                user_id: "u".into(),
                iin: String::new(),
                org_bin: String::new(),
                role: "system".into(),
            },
            occurred_at: chrono::Utc::now(),
            sandbox: false,
        };
        let events = (0..n)
            .map(|i| NewEvent {
                event_id: NewEvent::id_for(command_id, &stream, i as usize),
                event_type: "Counted".into(),
                schema_version: 1,
                payload: json!(i),
                metadata: metadata.clone(),
            })
            .collect();
        store
            .append(&stream, ExpectedVersion::NoStream, events)
            .await
            .unwrap();
        store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap()
    }

    /// The fold before and after one stream's batch.
    async fn once(
        folds: &Folds<Vec<u64>>,
        store: &dyn EventStore,
        batch: &[&RecordedEvent],
    ) -> (Vec<u64>, Vec<u64>) {
        let changes = folds.fold(store, batch).await.unwrap();
        let change = changes.into_values().next().unwrap();
        (change.before.to_vec(), change.after.to_vec())
    }

    /// Two projectors sharing the cache, each in batches of its own, always find the fold their
    /// batch starts from (the store they are given is empty: a miss would fold nothing), and a
    /// fresh one that misses reads the stream back.
    #[tokio::test]
    async fn projectors_at_different_positions_share_one_cache() {
        let log = MemoryStore::new();
        let events = stream_of(&log, 6).await;
        let e: Vec<&RecordedEvent> = events.iter().collect();
        let empty = MemoryStore::new();
        let folds = Folds::new(step);
        let fold = |batch| once(&folds, &empty, batch);
        // A ahead of B, then B ahead of A.
        assert_eq!(fold(&e[0..3]).await, (vec![], vec![0, 1, 2]));
        assert_eq!(fold(&e[0..2]).await, (vec![], vec![0, 1]));
        assert_eq!(fold(&e[2..4]).await, (vec![0, 1], vec![0, 1, 2, 3]));
        assert_eq!(fold(&e[3..5]).await, (vec![0, 1, 2], vec![0, 1, 2, 3, 4]));
        // A fresh cache misses and reads the older events from the log.
        assert_eq!(
            once(&Folds::new(step), &log, &e[5..6]).await,
            (vec![0, 1, 2, 3, 4], vec![0, 1, 2, 3, 4, 5])
        );
    }

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
