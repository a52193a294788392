//! The projection runtime on real PostgreSQL: exactly once, blue/green rebuilds, lag, live follow.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;
use zakup_projections::timeline::Timeline;
use zakup_projections::{
    Daemon, Generation, Projection, ProjectionError, advance, advance_together, ensure_live,
    rebuild, rebuild_together, status,
};
use zakup_store::contract::{command, settled};
use zakup_store::{EventStore, ExpectedVersion, Filter, RecordedEvent, SharedStore, StreamId};
use zakup_store_pg::PgStore;

async fn setup() -> (Arc<PgStore>, PgPool) {
    let db = zakup_pgcluster::test_database()
        .await
        .expect("test database");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect(&db.url)
        .await
        .unwrap();
    let store = PgStore::connect(pool.clone()).await.unwrap();
    zakup_projections::migrate(&pool).await.unwrap();
    (store, pool)
}

/// Appends `streams` announcements of `per_stream` single-event commands, reasons included.
async fn seed(store: &Arc<PgStore>, streams: usize, per_stream: u64) -> u64 {
    let mut total = 0;
    for _ in 0..streams {
        let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
        // One command with many events keeps seeding fast.
        let items: Vec<(&str, serde_json::Value)> = (0..per_stream)
            .map(|i| ("Step", json!({"i": i, "reason": format!("причина {i}")})))
            .collect();
        store
            .append(
                &s,
                ExpectedVersion::NoStream,
                command(Uuid::new_v4(), &items),
            )
            .await
            .unwrap();
        total += per_stream;
    }
    let shared: SharedStore = store.clone();
    settled(&shared, &Filter::all(), total).await;
    total
}

async fn answers(pool: &PgPool) -> Vec<(String, i64, String, Option<String>)> {
    sqlx::query_as("SELECT stream_id, version, event_type, reason FROM rm.timeline ORDER BY stream_id, version")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn catch_up(pool: &PgPool, store: &Arc<PgStore>, p: &dyn Projection) {
    let g = ensure_live(pool, p).await.unwrap();
    while !advance(pool, store.as_ref(), p, &g, 300)
        .await
        .unwrap()
        .is_empty()
    {}
}

/// Issue "Foundation" §5: the read-model change and its checkpoint commit in one transaction,
/// so two runners racing over the same generation apply every event exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_runners_apply_every_event_exactly_once() {
    let (store, pool) = setup().await;
    let total = seed(&store, 20, 50).await;
    let g = ensure_live(&pool, &Timeline).await.unwrap();
    let runners: Vec<_> = (0..3)
        .map(|_| {
            let (pool, store, g) = (pool.clone(), store.clone(), g.clone());
            tokio::spawn(async move {
                let mut applied = 0;
                for _ in 0..200 {
                    applied += advance(&pool, store.as_ref(), &Timeline, &g, 37)
                        .await
                        .unwrap()
                        .len();
                }
                applied
            })
        })
        .collect();
    let mut applied = 0;
    for r in runners {
        applied += r.await.unwrap() as u64;
    }
    assert_eq!(applied, total, "each event applied by exactly one runner");
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM rm.timeline")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows as u64, total);
    let s = status(
        &pool,
        store.as_ref(),
        &[Arc::new(Timeline) as Arc<dyn Projection>],
    )
    .await
    .unwrap();
    assert_eq!((s[0].lag_events, s[0].events_applied as u64), (0, total));
}

/// The timeline keeps who acted and the reason given.
#[tokio::test]
async fn timeline_records_actor_and_reason() {
    let (store, pool) = setup().await;
    seed(&store, 1, 2).await;
    catch_up(&pool, &store, &Timeline).await;
    let rows = answers(&pool).await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1].3.as_deref(), Some("причина 1"));
    let (role, iin): (String, String) =
        sqlx::query_as("SELECT actor_role, actor_iin FROM rm.timeline LIMIT 1")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!((role.as_str(), iin.as_str()), ("organizer", "900101300011"));
}

/// The timeline, slowed down so that a rebuild takes long enough to be watched.
struct SlowTimeline;
impl Projection for SlowTimeline {
    fn name(&self) -> &'static str {
        Timeline.name()
    }
    fn filter(&self) -> Filter {
        Timeline.filter()
    }
    fn migrations(&self) -> &'static [&'static str] {
        Timeline.migrations()
    }
    fn tables(&self) -> &'static [&'static str] {
        Timeline.tables()
    }
    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Timeline.apply(tx, store, events).await
        })
    }
}

/// Issue "Foundation", done-when: a rebuild runs while queries keep answering from the old
/// version; then the new version takes over with the same answers.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rebuild_serves_the_old_generation_until_the_switch() {
    let (store, pool) = setup().await;
    seed(&store, 5, 600).await;
    catch_up(&pool, &store, &Timeline).await;
    let before = answers(&pool).await;
    assert_eq!(before.len(), 3000);

    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (pool, done, before) = (pool.clone(), done.clone(), before.clone());
        tokio::spawn(async move {
            let mut checks = 0;
            while !done.load(Ordering::SeqCst) {
                assert_eq!(
                    answers(&pool).await,
                    before,
                    "queries never see a half-built model"
                );
                checks += 1;
            }
            checks
        })
    };
    let report = rebuild(&pool, store.as_ref(), &SlowTimeline, |_, _| {})
        .await
        .unwrap();
    done.store(true, Ordering::SeqCst);
    let checks = watcher.await.unwrap();
    assert!(checks > 1, "queries ran during the rebuild ({checks})");
    assert_eq!(
        (report.generation, report.replaced, report.events),
        (2, Some(1), 3000)
    );

    assert_eq!(
        answers(&pool).await,
        before,
        "the new generation answers the same"
    );
    let live: String =
        sqlx::query_scalar("SELECT schema_name FROM projection_generations WHERE state = 'live'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(live, "rm_timeline_g2");
    let old_schema: Option<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname = 'rm_timeline_g1'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(
        old_schema, None,
        "the old generation is dropped after the switch"
    );
}

/// The daemon catches up, then follows live; read-your-writes waits for a position; a committed
/// batch is announced only after the read model holds it; lag is reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn daemon_follows_live_and_serves_read_your_writes() {
    let (store, pool) = setup().await;
    seed(&store, 2, 3).await;
    let shared: SharedStore = store.clone();
    // The timeline alone: the seeded events are not domain events.
    let timeline: Vec<Arc<dyn Projection>> = vec![Arc::new(Timeline)];
    let daemon = Daemon::start(shared.clone(), pool.clone(), timeline)
        .await
        .unwrap();
    let mut applied = daemon.subscribe();

    let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    let appended = store
        .append(
            &s,
            ExpectedVersion::NoStream,
            command(Uuid::new_v4(), &[("Published", json!({}))]),
        )
        .await
        .unwrap();
    assert!(
        daemon
            .wait_for("announcement", appended.position, Duration::from_secs(20))
            .await
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM rm.timeline WHERE stream_id = $1")
        .bind(s.as_str())
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, 1, "visible once wait_for returns");

    let mut seen = 0;
    while seen < 7 {
        let batch = tokio::time::timeout(Duration::from_secs(10), applied.recv())
            .await
            .unwrap()
            .unwrap();
        seen += batch.events.len();
    }
    let s = status(&pool, store.as_ref(), daemon.projections())
        .await
        .unwrap();
    assert_eq!(s[0].lag_events, 0);
    assert_eq!(s[0].lag_seconds, 0.0);
}

/// Lag is counted in events and seconds while a projection is behind.
#[tokio::test]
async fn status_reports_lag_while_behind() {
    let (store, pool) = setup().await;
    seed(&store, 1, 5).await;
    ensure_live(&pool, &Timeline).await.unwrap();
    let p: Vec<Arc<dyn Projection>> = vec![Arc::new(Timeline)];
    let s = status(&pool, store.as_ref(), &p).await.unwrap();
    assert_eq!(s[0].lag_events, 5);
    assert!(s[0].lag_seconds >= 0.0);
    assert_eq!(s[0].checkpoint, None);
}

/// A read model of the `announcement` streams only, whose every row double-applying or skipping
/// an event would change, and which fails (after writing, so its transaction must roll back) on
/// the call numbered `fail_on`: a crash in the middle of a pass shared with other read models.
struct Counts {
    calls: AtomicUsize,
    fail_on: usize,
}

impl Counts {
    fn failing_on(fail_on: usize) -> Self {
        Counts {
            calls: AtomicUsize::new(0),
            fail_on,
        }
    }
}

impl Projection for Counts {
    fn name(&self) -> &'static str {
        "counts"
    }
    fn filter(&self) -> Filter {
        Filter::categories(["announcement"])
    }
    fn migrations(&self) -> &'static [&'static str] {
        &[
            "CREATE TABLE counts (stream_id text PRIMARY KEY, events bigint NOT NULL, \
           last_version bigint NOT NULL)",
        ]
    }
    fn tables(&self) -> &'static [&'static str] {
        &["counts"]
    }
    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        _store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            for e in events {
                sqlx::query(
                    "INSERT INTO counts VALUES ($1, 1, $2) ON CONFLICT (stream_id)
                     DO UPDATE SET events = counts.events + 1, last_version = $2",
                )
                .bind(e.stream_id.as_str())
                .bind(e.version as i64)
                .execute(&mut *tx)
                .await?;
            }
            if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.fail_on {
                return Err(ProjectionError::Event {
                    event_type: "any".into(),
                    why: "crash in the middle of the pass".into(),
                });
            }
            Ok(())
        })
    }
}

/// `streams` announcement streams and as many other streams, alternating in the log, of
/// `per_stream` events each: the timeline reads them all, [`Counts`] every other one.
async fn seed_two_categories(store: &Arc<PgStore>, streams: usize, per_stream: u64) -> u64 {
    for _ in 0..streams {
        for category in ["plan_item", "announcement"] {
            let s = StreamId::new(category, Uuid::new_v4()).unwrap();
            let items: Vec<(&str, serde_json::Value)> =
                (0..per_stream).map(|i| ("Step", json!({"i": i}))).collect();
            store
                .append(
                    &s,
                    ExpectedVersion::NoStream,
                    command(Uuid::new_v4(), &items),
                )
                .await
                .unwrap();
        }
    }
    let total = 2 * streams as u64 * per_stream;
    let shared: SharedStore = store.clone();
    settled(&shared, &Filter::all(), total).await;
    total
}

/// Every announcement stream counted once per event, each exactly once.
async fn assert_counted_once(pool: &PgPool, streams: usize, per_stream: u64) {
    let rows: Vec<(i64, i64)> = sqlx::query_as("SELECT events, last_version FROM rm.counts")
        .fetch_all(pool)
        .await
        .unwrap();
    assert_eq!(rows.len(), streams);
    assert!(
        rows.iter()
            .all(|&r| r == (per_stream as i64, per_stream as i64 - 1)),
        "every event counted exactly once: {rows:?}"
    );
}

/// One read of the log shared by read models of different streams: each applies its own share
/// with its own checkpoint, exactly once, even when one of them fails mid-pass (its batch rolls
/// back while the others' commit) and two runners race over the same generations.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_shared_pass_applies_each_share_exactly_once_across_a_crash_and_a_race() {
    let (store, pool) = setup().await;
    let total = seed_two_categories(&store, 10, 40).await;
    let counts = Arc::new(Counts::failing_on(3));
    let timeline = ensure_live(&pool, &Timeline).await.unwrap();
    let counted = ensure_live(&pool, counts.as_ref()).await.unwrap();
    let runners: Vec<_> = (0..2)
        .map(|_| {
            let (pool, store, counts) = (pool.clone(), store.clone(), counts.clone());
            let (timeline, counted) = (timeline.clone(), counted.clone());
            tokio::spawn(async move {
                let targets: [(&dyn Projection, &Generation); 2] =
                    [(&Timeline, &timeline), (counts.as_ref(), &counted)];
                let (mut applied, mut failed) = ([0u64; 2], 0);
                loop {
                    let round = advance_together(&pool, store.as_ref(), &targets, 29)
                        .await
                        .unwrap();
                    for (i, share) in round.applied.into_iter().enumerate() {
                        match share {
                            Ok(share) => applied[i] += share.len() as u64,
                            Err(_) => failed += 1,
                        }
                    }
                    if round.events.is_empty() {
                        return (applied, failed);
                    }
                }
            })
        })
        .collect();
    let (mut applied, mut failed) = ([0u64; 2], 0);
    for r in runners {
        let (a, f) = r.await.unwrap();
        applied = [applied[0] + a[0], applied[1] + a[1]];
        failed += f;
    }
    assert_eq!(failed, 1, "the crash happened once");
    assert_eq!(
        applied,
        [total, total / 2],
        "each event applied by exactly one runner"
    );
    let rows: i64 =
        sqlx::query_scalar("SELECT count(DISTINCT (stream_id, version)) FROM rm.timeline")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows as u64, total);
    assert_counted_once(&pool, 10, 40).await;
    let both: Vec<Arc<dyn Projection>> = vec![Arc::new(Timeline), counts];
    let lag: Vec<(u64, i64)> = status(&pool, store.as_ref(), &both)
        .await
        .unwrap()
        .into_iter()
        .map(|s| (s.lag_events, s.events_applied))
        .collect();
    assert_eq!(lag, vec![(0, total as i64), (0, total as i64 / 2)]);
}

/// Rebuilds users love: a one-pass rebuild of several read models that crashes half-way is
/// started again and goes on from the checkpoints the crash left (same generations, nothing
/// applied twice or lost), then switches to the same rows a catch-up of the live ones built.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_one_pass_rebuild_restarts_where_it_crashed_and_builds_what_catch_up_built() {
    let (store, pool) = setup().await;
    // Enough for several rounds of a rebuild, the crash in the second.
    let total = seed_two_categories(&store, 25, 240).await;
    catch_up(&pool, &store, &Timeline).await;
    let caught_up = Counts::failing_on(0);
    catch_up(&pool, &store, &caught_up).await;
    let before = answers(&pool).await;
    assert_eq!(before.len() as u64, total);

    let crashing = Counts::failing_on(2);
    let crashed = rebuild_together(&pool, store.as_ref(), &[&Timeline, &crashing], |_, _| {}).await;
    assert!(crashed.is_err());
    let building: Vec<(String, i32, i64)> = sqlx::query_as(
        "SELECT projection, generation, events_applied FROM projection_generations
          WHERE state = 'building' ORDER BY projection",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(building.len(), 2);
    assert!(
        building
            .iter()
            .all(|b| b.1 == 2 && b.2 > 0 && (b.2 as u64) < total),
        "both stopped half-way: {building:?}"
    );

    let reports = rebuild_together(
        &pool,
        store.as_ref(),
        &[&Timeline, &Counts::failing_on(0)],
        |_, _| {},
    )
    .await
    .unwrap();
    let resumed: Vec<(i32, Option<i32>, u64)> = reports
        .iter()
        .map(|r| (r.generation, r.replaced, r.events))
        .collect();
    let already = |name: &str| building.iter().find(|b| b.0 == name).unwrap().2 as u64;
    assert_eq!(
        resumed,
        vec![
            (2, Some(1), total - already("timeline")),
            (2, Some(1), total / 2 - already("counts")),
        ],
        "the same generations, going on from where they stopped"
    );
    assert_eq!(
        answers(&pool).await,
        before,
        "the same rows as the catch-up"
    );
    assert_counted_once(&pool, 25, 240).await;
}

/// Issue 28 items 1 and 3 (decisions 0760, 0761): two nodes' daemons on one database. Only the
/// holder of the projections' lease applies; the other node's subscribers hear of every batch
/// (woken by the holder's NOTIFY) and its read-your-writes waits return. The holder stops,
/// giving its lease back, and the other node takes over from the checkpoint: every event is in
/// the read model once, and the follower's subscribers heard of each once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_nodes_one_applies_the_other_follows_then_takes_over() {
    use zakup_projections::{Leases, lease};
    let (store, pool) = setup().await;
    let shared: SharedStore = store.clone();
    let ttl = Duration::from_millis(900);
    let node = |name: &str| Arc::new(Leases::compete(&pool, name, ttl, &[lease::PROJECTIONS]));
    let a = node("node-a");
    let held = |l: &Leases| l.held().iter().any(|(_, held)| *held);
    while !held(&a) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let b = node("node-b");
    let start = |leases: Arc<Leases>| {
        let timeline: Vec<Arc<dyn Projection>> = vec![Arc::new(Timeline)];
        Daemon::start_with(shared.clone(), pool.clone(), timeline, leases)
    };
    let daemon_a = start(a.clone()).await.unwrap();
    let daemon_b = start(b.clone()).await.unwrap();
    let mut heard = daemon_b.subscribe();
    let append = |n: usize| {
        let store = store.clone();
        async move {
            let mut last = None;
            for _ in 0..n {
                let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
                let items = [("Published", json!({})), ("Step", json!({"reason": "р"}))];
                let at = store
                    .append(
                        &s,
                        ExpectedVersion::NoStream,
                        command(Uuid::new_v4(), &items),
                    )
                    .await
                    .unwrap();
                last = Some(at.position);
            }
            last.unwrap()
        }
    };
    let mut positions = Vec::new();
    let mut hear = async |heard: &mut tokio::sync::broadcast::Receiver<_>, total: usize| {
        while positions.len() < total {
            let batch: zakup_projections::Applied =
                tokio::time::timeout(Duration::from_secs(10), heard.recv())
                    .await
                    .expect("the follower hears of every batch")
                    .unwrap();
            positions.extend(batch.events.iter().map(|e| e.position));
        }
    };
    let last = append(3).await;
    assert!(
        daemon_b
            .wait_for("announcement", last, Duration::from_secs(10))
            .await,
        "read-your-writes on the node without the lease"
    );
    hear(&mut heard, 6).await;
    assert!(held(&a) && !held(&b));

    // The holder stops; the other node takes over within a lease time.
    a.release().await;
    drop(daemon_a);
    let last = append(2).await;
    assert!(
        daemon_b
            .wait_for("announcement", last, Duration::from_secs(10))
            .await
    );
    assert!(held(&b), "the follower took the lease over");
    hear(&mut heard, 10).await;
    let mut distinct = positions.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "each batch heard once: {positions:?}");
    let (rows, applied): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM rm.timeline), events_applied
           FROM projection_generations WHERE projection = 'timeline' AND state = 'live'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((rows, applied), (10, 10), "every event applied once");
}
