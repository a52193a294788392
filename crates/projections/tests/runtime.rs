//! The projection runtime on real PostgreSQL: exactly once, blue/green rebuilds, lag, live follow.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::BoxFuture;
use serde_json::json;
use sqlx::{PgConnection, PgPool};
use uuid::Uuid;
use zakup_projections::timeline::Timeline;
use zakup_projections::{
    Daemon, Projection, ProjectionError, advance, ensure_live, rebuild, status,
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
        events: &'a [RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(150)).await;
            Timeline.apply(tx, events).await
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
