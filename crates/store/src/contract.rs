//! The contract every backend passes: the same tests, run by each backend's test crate through
//! [`contract_suite!`](crate::contract_suite). Each test gets a fresh, empty store.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::envelope::{Actor, ExpectedVersion, Filter, Metadata, NewEvent, StreamId, StreamRange};
use crate::error::StoreError;
use crate::store::{OutcomeOrEvents, SharedStore};
use crate::verify::verify_chains;

/// Expands to one `#[tokio::test]` per contract test. `$make` is an async expression giving a
/// fresh `SharedStore` (for example one on a new, empty database).
///
/// `contract_suite!(ignore = "reason"; $make)` marks every test `#[ignore = "reason"]`, for a
/// backend that needs a server the test machine may not have: the tests then show as skipped,
/// with the reason, and `cargo test -- --include-ignored` runs them.
#[macro_export]
macro_rules! contract_suite {
    (ignore = $reason:literal; $make:expr) => {
        $crate::contract_suite!(@suite [#[ignore = $reason]] $make);
    };
    ($make:expr) => {
        $crate::contract_suite!(@suite [] $make);
    };
    (@suite $attrs:tt $make:expr) => {
        $crate::contract_suite!(@tests $attrs $make;
            append_then_read_back, expected_version_conflicts, read_stream_ranges,
            read_stream_as_of_instant, read_all_filters_by_category_in_batches,
            retried_command_returns_original_outcome, racing_retries_append_once,
            invalid_batches_write_nothing, duplicate_event_id_rolls_back_whole_batch,
            hash_chain_verifies, count_after_counts_matching_events,
            subscription_catches_up_then_follows_live,
            concurrent_writers_and_live_subscriber_see_one_total_order);
    };
    (@tests $attrs:tt $make:expr; $($name:ident),*) => {
        $( $crate::contract_suite!(@test $attrs $make; $name); )*
    };
    (@test [$($attr:tt)*] $make:expr; $name:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        $($attr)*
        async fn $name() {
            let store: $crate::SharedStore = $make.await;
            $crate::contract::$name(store).await;
        }
    };
}

pub fn actor() -> Actor {
    Actor {
        user_id: "user-1".into(),
        iin: "900101300011".into(),
        org_bin: "990140000011".into(),
        role: "organizer".into(),
    }
}

/// A command's events as the engine would make them.
pub fn command(command_id: Uuid, items: &[(&str, Value)]) -> Vec<NewEvent> {
    let target = StreamId::new("test", command_id).expect("valid stream id");
    items
        .iter()
        .enumerate()
        .map(|(i, (event_type, payload))| NewEvent {
            event_id: NewEvent::id_for(command_id, &target, i),
            event_type: (*event_type).to_owned(),
            schema_version: 1,
            payload: payload.clone(),
            metadata: Metadata {
                command_id,
                correlation_id: command_id,
                causation_id: None,
                actor: actor(),
                // Microseconds, as the engine stamps them and PostgreSQL keeps them
                // (docs/decisions/0651): a finer instant would round differently in each store.
                occurred_at: chrono::DurationRound::duration_trunc(
                    Utc::now(),
                    chrono::Duration::microseconds(1),
                )
                .expect("a representable instant"),
                sandbox: false,
            },
        })
        .collect()
}

/// Waits until the global log shows `n` events matching `filter`. An event becomes readable in
/// the global log shortly after its commit, once every transaction that could precede it has
/// ended (on PostgreSQL that includes transactions of other databases on the same cluster).
pub async fn settled(store: &SharedStore, filter: &Filter, n: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        let seen = store.count_after(None, filter).await.unwrap();
        if seen >= n || tokio::time::Instant::now() > deadline {
            assert_eq!(seen, n, "events visible in the global log");
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn stream(category: &str) -> StreamId {
    StreamId::new(category, Uuid::new_v4()).expect("valid stream id")
}

fn one(event_type: &str, n: u64) -> Vec<NewEvent> {
    command(
        Uuid::new_v4(),
        &[(event_type, json!({ "n": n, "name": "Лот №1" }))],
    )
}

pub async fn append_then_read_back(store: SharedStore) {
    let s = stream("announcement");
    let cmd = Uuid::new_v4();
    let events = command(
        cmd,
        &[
            (
                "AnnouncementDrafted",
                json!({"title": "Закуп бумаги", "amount": "1500000.00"}),
            ),
            ("LotAdded", json!({"lot": 1})),
        ],
    );
    let appended = store
        .append(&s, ExpectedVersion::NoStream, events.clone())
        .await
        .expect("append to a new stream");
    assert_eq!((appended.first_version, appended.last_version), (0, 1));
    assert!(!appended.duplicate);
    assert_eq!(appended.command_id, cmd);

    let read = store.read_stream(&s, StreamRange::all()).await.unwrap();
    assert_eq!(read.len(), 2);
    for (i, (r, e)) in read.iter().zip(&events).enumerate() {
        assert_eq!(r.version, i as u64);
        assert_eq!(r.stream_id, s);
        assert_eq!(r.event_id, e.event_id);
        assert_eq!(r.event_type, e.event_type);
        assert_eq!(r.payload, e.payload);
        assert_eq!(r.metadata, e.metadata);
        assert_eq!(r.hash.len(), 64);
    }
    assert!(read[0].position < read[1].position);
    assert_eq!(read[1].position, appended.position);
    assert!(read[0].recorded_at <= read[1].recorded_at);

    let next = store
        .append(&s, ExpectedVersion::Exact(1), one("LotAdded", 2))
        .await
        .unwrap();
    assert_eq!((next.first_version, next.last_version), (2, 2));
    assert!(next.position > appended.position);
}

pub async fn expected_version_conflicts(store: SharedStore) {
    let s = stream("announcement");
    store
        .append(&s, ExpectedVersion::NoStream, one("A", 0))
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Exact(0), one("A", 1))
        .await
        .unwrap();

    let again = store
        .append(&s, ExpectedVersion::NoStream, one("A", 9))
        .await;
    assert_eq!(
        again.unwrap_err(),
        StoreError::Conflict {
            stream: s.to_string(),
            expected: ExpectedVersion::NoStream,
            actual: Some(1)
        }
    );
    let stale = store
        .append(&s, ExpectedVersion::Exact(0), one("A", 9))
        .await;
    assert!(matches!(
        stale,
        Err(StoreError::Conflict {
            actual: Some(1),
            ..
        })
    ));
    let ahead = store
        .append(&s, ExpectedVersion::Exact(7), one("A", 9))
        .await;
    assert!(matches!(
        ahead,
        Err(StoreError::Conflict {
            actual: Some(1),
            ..
        })
    ));
    let missing = stream("announcement");
    let none = store
        .append(&missing, ExpectedVersion::Exact(0), one("A", 9))
        .await;
    assert!(matches!(
        none,
        Err(StoreError::Conflict { actual: None, .. })
    ));

    assert_eq!(
        store
            .read_stream(&s, StreamRange::all())
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .read_stream(&missing, StreamRange::all())
            .await
            .unwrap()
            .is_empty()
    );
}

async fn stream_of(store: &SharedStore, n: u64) -> StreamId {
    let s = stream("announcement");
    for v in 0..n {
        store
            .append(&s, ExpectedVersion::after(v.checked_sub(1)), one("Step", v))
            .await
            .unwrap();
    }
    s
}

pub async fn read_stream_ranges(store: SharedStore) {
    let s = stream_of(&store, 6).await;
    let versions = |r: Vec<crate::RecordedEvent>| r.iter().map(|e| e.version).collect::<Vec<_>>();
    let upto = store
        .read_stream(&s, StreamRange::up_to_version(2))
        .await
        .unwrap();
    assert_eq!(versions(upto), vec![0, 1, 2]);
    let window = StreamRange {
        from_version: 2,
        to_version: Some(4),
        until: None,
    };
    assert_eq!(
        versions(store.read_stream(&s, window).await.unwrap()),
        vec![2, 3, 4]
    );
    let tail = StreamRange {
        from_version: 4,
        ..StreamRange::all()
    };
    assert_eq!(
        versions(store.read_stream(&s, tail).await.unwrap()),
        vec![4, 5]
    );
}

pub async fn read_stream_as_of_instant(store: SharedStore) {
    let s = stream_of(&store, 3).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let all = store.read_stream(&s, StreamRange::all()).await.unwrap();
    // The procedure's time, not the store's (docs/decisions/0660).
    let instant = all[2].metadata.occurred_at;
    store
        .append(&s, ExpectedVersion::Exact(2), one("Later", 3))
        .await
        .unwrap();
    let as_of = store
        .read_stream(&s, StreamRange::up_to_instant(instant))
        .await
        .unwrap();
    assert_eq!(
        as_of.len(),
        3,
        "events that occurred after the instant are not part of the past"
    );
    let before_all = store
        .read_stream(
            &s,
            StreamRange::up_to_instant(all[0].metadata.occurred_at - chrono::Duration::seconds(1)),
        )
        .await
        .unwrap();
    assert!(before_all.is_empty());
}

pub async fn read_all_filters_by_category_in_batches(store: SharedStore) {
    let mut expected = Vec::new();
    for i in 0..5u64 {
        let a = stream("announcement");
        let appended = store
            .append(&a, ExpectedVersion::NoStream, one("A", i))
            .await
            .unwrap();
        expected.push(appended.position);
        let p = stream("plan_item");
        store
            .append(&p, ExpectedVersion::NoStream, one("P", i))
            .await
            .unwrap();
    }
    settled(&store, &Filter::all(), 10).await;
    let filter = Filter::categories(["announcement"]);
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let batch = store.read_all(after, &filter, 2).await.unwrap();
        assert!(batch.len() <= 2);
        let Some(last) = batch.last() else { break };
        after = Some(last.position);
        for e in &batch {
            assert_eq!(e.stream_id.category(), "announcement");
            seen.push(e.position);
        }
    }
    assert_eq!(seen, expected);
    let everything = store.read_all(None, &Filter::all(), 100).await.unwrap();
    assert_eq!(everything.len(), 10);
    assert!(everything.windows(2).all(|w| w[0].position < w[1].position));
}

pub async fn retried_command_returns_original_outcome(store: SharedStore) {
    let s = stream("announcement");
    let cmd = Uuid::new_v4();
    let events = command(
        cmd,
        &[("Published", json!({})), ("AcceptanceScheduled", json!({}))],
    );
    let first = store
        .append(&s, ExpectedVersion::NoStream, events.clone())
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Exact(1), one("Other", 2))
        .await
        .unwrap();

    // The retry carries the expectation it had the first time, which is now stale.
    let retry = store
        .append(&s, ExpectedVersion::NoStream, events)
        .await
        .unwrap();
    assert!(retry.duplicate);
    assert_eq!(
        (retry.first_version, retry.last_version, retry.position),
        (0, 1, first.position)
    );
    assert_eq!(
        store
            .read_stream(&s, StreamRange::all())
            .await
            .unwrap()
            .len(),
        3
    );

    let outcome = store
        .command_outcome(&s, cmd)
        .await
        .unwrap()
        .expect("recorded");
    assert_eq!(outcome.position, first.position);
    // Asked together with the events, the record wins; a new command gets the events instead.
    assert_eq!(
        store.outcome_or_events(&s, cmd, 1).await.unwrap(),
        OutcomeOrEvents::Outcome(outcome.clone())
    );
    match store
        .outcome_or_events(&s, Uuid::new_v4(), 1)
        .await
        .unwrap()
    {
        OutcomeOrEvents::Events(events) => {
            assert_eq!(events.iter().map(|e| e.version).collect::<Vec<_>>(), [1, 2])
        }
        other => panic!("expected the events from version 1, got {other:?}"),
    }
    // Command ids are global (decision 0930): the same id on another stream is no retry there.
    // It is refused before deciding and on the append, and nothing is written.
    let other = stream("announcement");
    assert_eq!(
        store.outcome_or_events(&other, cmd, 0).await,
        Err(StoreError::CommandIdReused(cmd))
    );
    let mut elsewhere = command(cmd, &[("Published", json!({}))]);
    elsewhere[0].event_id = Uuid::new_v4();
    assert_eq!(
        store
            .append(&other, ExpectedVersion::NoStream, elsewhere)
            .await,
        Err(StoreError::CommandIdReused(cmd))
    );
    let written = store.read_stream(&other, StreamRange::all()).await;
    assert!(written.unwrap().is_empty());
    assert!(store.command_outcome(&other, cmd).await.unwrap().is_none());
    assert!(
        store
            .command_outcome(&s, Uuid::new_v4())
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn racing_retries_append_once(store: SharedStore) {
    let s = stream("announcement");
    store
        .append(&s, ExpectedVersion::NoStream, one("Drafted", 0))
        .await
        .unwrap();
    let events = command(Uuid::new_v4(), &[("Published", json!({"at": "now"}))]);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (store, s, events) = (store.clone(), s.clone(), events.clone());
            tokio::spawn(async move { store.append(&s, ExpectedVersion::Exact(0), events).await })
        })
        .collect();
    let mut fresh = 0;
    for t in tasks {
        let outcome = t.await.unwrap().expect("a retry never fails");
        assert_eq!(outcome.first_version, 1);
        fresh += usize::from(!outcome.duplicate);
    }
    assert_eq!(fresh, 1);
    assert_eq!(
        store
            .read_stream(&s, StreamRange::all())
            .await
            .unwrap()
            .len(),
        2
    );
}

pub async fn invalid_batches_write_nothing(store: SharedStore) {
    let s = stream("announcement");
    let empty = store.append(&s, ExpectedVersion::NoStream, vec![]).await;
    assert!(matches!(empty, Err(StoreError::InvalidEvent(_))));
    let mut mixed = one("A", 0);
    mixed.extend(one("B", 1));
    let mixed = store.append(&s, ExpectedVersion::NoStream, mixed).await;
    assert!(matches!(mixed, Err(StoreError::InvalidEvent(_))));
    let float = command(Uuid::new_v4(), &[("A", json!({"amount": 1.5}))]);
    let float = store.append(&s, ExpectedVersion::NoStream, float).await;
    assert!(matches!(float, Err(StoreError::InvalidEvent(_))));
    assert!(
        store
            .read_stream(&s, StreamRange::all())
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .read_all(None, &Filter::all(), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn duplicate_event_id_rolls_back_whole_batch(store: SharedStore) {
    let a = stream("announcement");
    let taken = one("A", 0);
    let taken_id = taken[0].event_id;
    store
        .append(&a, ExpectedVersion::NoStream, taken)
        .await
        .unwrap();

    let b = stream("announcement");
    let mut batch = command(Uuid::new_v4(), &[("B", json!({})), ("C", json!({}))]);
    batch[1].event_id = taken_id;
    let err = store
        .append(&b, ExpectedVersion::NoStream, batch)
        .await
        .unwrap_err();
    assert_eq!(err, StoreError::DuplicateEventId(taken_id));
    assert!(
        store
            .read_stream(&b, StreamRange::all())
            .await
            .unwrap()
            .is_empty(),
        "no partial write"
    );
    // The stream is still free for a correct append.
    store
        .append(&b, ExpectedVersion::NoStream, one("B", 0))
        .await
        .unwrap();
}

pub async fn hash_chain_verifies(store: SharedStore) {
    stream_of(&store, 4).await;
    stream_of(&store, 2).await;
    settled(&store, &Filter::all(), 6).await;
    let report = verify_chains(store.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!((report.streams, report.events), (2, 6));
    assert_eq!(report.broken, None);
}

pub async fn count_after_counts_matching_events(store: SharedStore) {
    let s = stream_of(&store, 3).await;
    let p = stream("plan_item");
    store
        .append(&p, ExpectedVersion::NoStream, one("P", 0))
        .await
        .unwrap();
    settled(&store, &Filter::all(), 4).await;
    let announcements = Filter::categories(["announcement"]);
    assert_eq!(store.count_after(None, &announcements).await.unwrap(), 3);
    assert_eq!(store.count_after(None, &Filter::all()).await.unwrap(), 4);
    let first = store
        .read_stream(&s, StreamRange::up_to_version(0))
        .await
        .unwrap();
    assert_eq!(
        store
            .count_after(Some(first[0].position), &announcements)
            .await
            .unwrap(),
        2
    );
}

pub async fn subscription_catches_up_then_follows_live(store: SharedStore) {
    let s = stream_of(&store, 3).await;
    let mut sub = store
        .clone()
        .subscribe(None, Filter::categories(["announcement"]));
    for v in 0..3 {
        assert_eq!(next(&mut sub).await.version, v);
    }
    let other = stream("plan_item");
    store
        .append(&other, ExpectedVersion::NoStream, one("P", 0))
        .await
        .unwrap();
    store
        .append(&s, ExpectedVersion::Exact(2), one("Live", 3))
        .await
        .unwrap();
    let live = next(&mut sub).await;
    assert_eq!(
        (live.stream_id.clone(), live.version),
        (s.clone(), 3),
        "filtered, live"
    );

    let from_middle = store
        .read_stream(&s, StreamRange::up_to_version(1))
        .await
        .unwrap();
    let mut resumed = store.clone().subscribe(
        Some(from_middle[1].position),
        Filter::categories(["announcement"]),
    );
    assert_eq!(
        next(&mut resumed).await.version,
        2,
        "a checkpoint is exclusive"
    );
}

async fn next(sub: &mut crate::Subscription) -> crate::RecordedEvent {
    tokio::time::timeout(Duration::from_secs(10), sub.next())
        .await
        .expect("event within 10 s")
        .expect("subscription open")
        .expect("no error")
}

/// Small deterministic generator: the seed is printed, so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Several writers append with random delays and random rolled-back batches while a live
/// subscriber runs; the subscriber must see every committed event exactly once, in one total
/// order consistent with every stream's versions.
pub async fn concurrent_writers_and_live_subscriber_see_one_total_order(store: SharedStore) {
    const WRITERS: u64 = 6;
    const APPENDS: u64 = 25;
    let seed = std::env::var("ZAKUP_CONTRACT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64 | 1);
    println!("contract seed: ZAKUP_CONTRACT_SEED={seed}");

    let filter = Filter::categories(["announcement"]);
    let subscriber = {
        let sub = store.clone().subscribe(None, filter.clone());
        tokio::spawn(async move { sub })
    }
    .await
    .unwrap();

    let poison = {
        let s = stream("announcement");
        let events = one("Poison", 0);
        let id = events[0].event_id;
        store
            .append(&s, ExpectedVersion::NoStream, events)
            .await
            .unwrap();
        id
    };

    let streams: Arc<Vec<StreamId>> = Arc::new((0..4).map(|_| stream("announcement")).collect());
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = store.clone();
            let streams = streams.clone();
            tokio::spawn(async move {
                let mut rng = Rng(seed.wrapping_mul(w + 7) | 1);
                let mut committed = Vec::new();
                for _ in 0..APPENDS {
                    tokio::time::sleep(Duration::from_millis(rng.below(4))).await;
                    let s = &streams[rng.below(streams.len() as u64) as usize];
                    loop {
                        let current = store
                            .read_stream(s, StreamRange::all())
                            .await
                            .unwrap()
                            .last()
                            .map(|e| e.version);
                        let size = 1 + rng.below(3) as usize;
                        let items: Vec<(&str, Value)> = (0..size)
                            .map(|i| ("Step", json!({"writer": w, "i": i})))
                            .collect();
                        let mut events = command(Uuid::new_v4(), &items);
                        let rollback = rng.below(5) == 0;
                        if rollback {
                            // The last event reuses a stored id: the backend writes the first
                            // rows, then fails and must roll the whole batch back.
                            events.last_mut().unwrap().event_id = poison;
                        }
                        match store
                            .append(s, ExpectedVersion::after(current), events.clone())
                            .await
                        {
                            Ok(_) if !rollback => {
                                committed.extend(events.iter().map(|e| e.event_id));
                                break;
                            }
                            Err(StoreError::DuplicateEventId(_)) if rollback => break,
                            Err(StoreError::Conflict { .. }) => continue,
                            other => panic!("unexpected outcome {other:?} (rollback: {rollback})"),
                        }
                    }
                }
                committed
            })
        })
        .collect();

    let mut committed: HashSet<Uuid> = HashSet::from([poison]);
    for w in writers {
        committed.extend(w.await.unwrap());
    }

    let mut sub = subscriber;
    let mut seen: Vec<crate::RecordedEvent> = Vec::new();
    while seen.len() < committed.len() {
        let event = tokio::time::timeout(Duration::from_secs(30), sub.next())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "saw {} of {} events (seed {seed})",
                    seen.len(),
                    committed.len()
                )
            })
            .expect("subscription open")
            .expect("no error");
        seen.push(event);
    }
    // Nothing more arrives: no duplicates, no phantom events from rolled-back batches.
    let extra = tokio::time::timeout(Duration::from_millis(700), sub.next()).await;
    assert!(
        extra.is_err(),
        "no event beyond the committed ones (seed {seed})"
    );

    let ids: HashSet<Uuid> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!(
        ids.len(),
        seen.len(),
        "each event exactly once (seed {seed})"
    );
    assert_eq!(ids, committed, "exactly the committed events (seed {seed})");
    assert!(
        seen.windows(2).all(|w| w[0].position < w[1].position),
        "one total order"
    );
    let mut next_version: HashMap<&StreamId, u64> = HashMap::new();
    for e in &seen {
        let expected = next_version.entry(&e.stream_id).or_insert(0);
        assert_eq!(
            e.version, *expected,
            "stream order kept in the global order (seed {seed})"
        );
        *expected += 1;
    }
    settled(&store, &Filter::all(), seen.len() as u64).await;
    let report = verify_chains(store.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!(report.broken, None);
}
