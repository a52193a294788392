//! A restart of the lot-pool runner reads what is unfinished, not the history (issue 14 item 4,
//! docs/decisions/0503-durable-workflows.md): it starts from its newest checkpoint and the
//! processes open there, and the sweep of orphans older than processes ran once already. On
//! PostgreSQL; what the restarted runner reads is recorded by a store that notes every event it
//! hands out.

use crate::support;

use std::collections::BTreeSet;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use support::world::*;
use support::*;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::plan_item::PlanItem;
use zakup_engine::{Engine, Halt, LotPoolRunner, ManualClock, ProcessStep};
use zakup_store::{
    Appended, EventStore, ExpectedVersion, Filter, NewEvent, Position, RecordedEvent, SharedStore,
    StoreError, StreamId, StreamRange, Subscription,
};

type Boxed<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// The store under test, noting every event read from it (stream and version).
struct Reads {
    inner: SharedStore,
    read: Mutex<Vec<(StreamId, u64)>>,
}

impl Reads {
    fn on(store: &SharedStore) -> Arc<Self> {
        Arc::new(Reads {
            inner: store.clone(),
            read: Mutex::default(),
        })
    }

    fn saw(&self, events: &[RecordedEvent]) {
        let mut read = self.read.lock().unwrap();
        read.extend(events.iter().map(|e| (e.stream_id.clone(), e.version)));
    }

    /// The events read of streams of `category`.
    fn of(&self, category: &str) -> Vec<(StreamId, u64)> {
        let read = self.read.lock().unwrap();
        read.iter()
            .filter(|(s, _)| s.category() == category)
            .cloned()
            .collect()
    }
}

impl EventStore for Reads {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Boxed<'a, Appended> {
        self.inner.append(stream, expected, events)
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> Boxed<'a, Option<Appended>> {
        self.inner.command_outcome(stream, command_id)
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> Boxed<'a, Vec<RecordedEvent>> {
        Box::pin(async move {
            let events = self.inner.read_stream(stream, range).await?;
            self.saw(&events);
            Ok(events)
        })
    }

    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> Boxed<'a, Vec<RecordedEvent>> {
        Box::pin(async move {
            let events = self.inner.read_all(after, filter, limit).await?;
            self.saw(&events);
            Ok(events)
        })
    }

    fn count_after<'a>(&'a self, after: Option<Position>, filter: &'a Filter) -> Boxed<'a, u64> {
        self.inner.count_after(after, filter)
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes()
    }

    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        self.inner.clone().subscribe(after, filter)
    }

    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
}

fn add(lots: &[u32]) -> C {
    C::AddLots {
        lots: lots.iter().copied().map(lot_source).collect(),
    }
}

/// The process log as it is now: every process event, and the streams of the ended processes.
async fn process_log(store: &SharedStore) -> (Vec<(StreamId, u64)>, BTreeSet<StreamId>) {
    readable(store).await;
    let filter = Filter::categories(["lot_pool"]);
    let log = store.read_all(None, &filter, 10_000).await.unwrap();
    let ended = log
        .iter()
        .filter(|e| e.event_type == "LotPoolProcessFinished")
        .map(|e| e.stream_id.clone())
        .collect();
    (
        log.into_iter().map(|e| (e.stream_id, e.version)).collect(),
        ended,
    )
}

/// A runner restarted on `store`, and what it reads.
fn restarted(store: &SharedStore, clock: &ManualClock) -> (LotPoolRunner, Arc<Reads>) {
    let reads = Reads::on(store);
    let shared: SharedStore = reads.clone();
    let engine = engine_on(&shared, clock);
    let runner = LotPoolRunner::new(engine, system()).with_grace(Duration::ZERO);
    (runner, reads)
}

async fn holder(engine: &Engine, n: u32) -> Option<Uuid> {
    engine
        .load::<PlanItem>(&plan_item(n).0, StreamRange::all())
        .await
        .unwrap()
        .state
        .holder
        .map(|h| h.announcement_id)
}

/// After processes that ended, a restart reads of the process log only the one event its
/// checkpoint names (where the log is read on from), and no plan item: the orphan sweep is
/// recorded as done.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_after_ended_processes_reads_nothing_old() {
    let store = postgres().await;
    let s = drafted(&store, 2, 0).await;
    let engine = engine_on(&store, &s.clock);
    let organizer = meta(&organizer());
    engine
        .announcement(s.announcement, &organizer, add(&[1, 2]))
        .await
        .unwrap();
    let remove = C::RemoveLots {
        plan_item_ids: vec![plan_item(1)],
    };
    engine
        .announcement(s.announcement, &meta(&organizer.actor), remove)
        .await
        .unwrap();
    let (log, ended) = process_log(&store).await;
    assert_eq!((log.len(), ended.len()), (4, 2), "two processes, ended");

    let first = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    assert!(first.start_up().await.unwrap().is_empty());

    let (runner, reads) = restarted(&store, &s.clock);
    assert!(runner.start_up().await.unwrap().is_empty());
    let (mark, version) = log.last().unwrap().clone();
    assert_eq!(reads.of("lot_pool"), vec![(mark.clone(), version)]);
    assert_eq!(reads.of("plan_item"), vec![]);
    assert_eq!(reads.of("announcement"), vec![]);

    // It reads on from there: a process of the restarted server is seen, and a later restart
    // starts after it.
    let again = engine_on(&store, &s.clock);
    again
        .announcement(s.announcement, &meta(&organizer.actor), add(&[1]))
        .await
        .unwrap();
    readable(&store).await;
    assert!(runner.start_up().await.unwrap().is_empty());
    let (log, _) = process_log(&store).await;
    let (next, reads) = restarted(&store, &s.clock);
    assert!(next.start_up().await.unwrap().is_empty());
    assert_eq!(reads.of("lot_pool"), vec![log.last().unwrap().clone()]);
    assert_eq!(holder(&again, 1).await, Some(s.announcement));

    // `zakup replay` shows the runner's record.
    let checkpoints = StreamId::new("lot_pool_runner", "checkpoints").unwrap();
    let history = store
        .read_stream(&checkpoints, StreamRange::all())
        .await
        .unwrap();
    let view = zakup_engine::replay::state_view(&checkpoints, &history)
        .unwrap()
        .unwrap();
    assert_eq!(view["checkpoints"], 2, "{view}");
    assert_eq!(view["through"]["streamId"], log.last().unwrap().0.as_str());
    assert_eq!(view["open"], serde_json::json!([]));
    assert_ne!(mark, log.last().unwrap().0, "a later process");
}

/// A process left unfinished is named by the checkpoint of a restart that was too early to end
/// it (its grace period had not passed); the next restart reads it from there and ends it,
/// without reading the process that had ended before it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_with_an_unfinished_process_still_ends_it() {
    let store = postgres().await;
    let s = drafted(&store, 2, 0).await;
    let engine = engine_on(&store, &s.clock);
    engine
        .announcement(s.announcement, &meta(&organizer()), add(&[1]))
        .await
        .unwrap();
    let halt: Halt = Arc::new(|step| step == ProcessStep::Reserved);
    let crashing = engine_on(&store, &s.clock).halting(halt);
    let crashed = crashing
        .announcement(s.announcement, &meta(&organizer()), add(&[2]))
        .await;
    assert!(crashed.is_err(), "{crashed:?}");
    drop(crashing);
    let (_, ended) = process_log(&store).await;
    assert_eq!(ended.len(), 1);

    let early = LotPoolRunner::new(engine.clone(), system());
    assert!(early.start_up().await.unwrap().is_empty());
    assert_eq!(holder(&engine, 2).await, Some(s.announcement), "still open");

    let (runner, reads) = restarted(&store, &s.clock);
    let settled = runner.start_up().await.unwrap();
    assert_eq!(settled.len(), 1, "{settled:?}");
    assert!(settled[0].result.is_ok(), "{settled:?}");
    assert_eq!(settled[0].announcement_id, s.announcement);
    assert_eq!(holder(&engine, 2).await, None, "compensated");
    assert_eq!(holder(&engine, 1).await, Some(s.announcement));
    let read: BTreeSet<StreamId> = reads.of("lot_pool").into_iter().map(|(s, _)| s).collect();
    assert!(
        read.is_disjoint(&ended),
        "read {read:?}, ended before {ended:?}"
    );
    assert_eq!(read.len(), 1);
}
