//! What only PostgreSQL can show: late commits, tampered rows, the planner.
mod common;
#[path = "postgres_specific/personal_data.rs"]
mod personal_data;

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use uuid::Uuid;
use zakup_store::contract::{command, settled};
use zakup_store::{EventStore, ExpectedVersion, Filter, StoreError, StreamId, verify_chains};

/// Design research §5.1: a transaction that takes its global position first but commits last
/// must still reach a subscriber that already passed the positions committed after it. Slow
/// writers hold their transaction open (with random rollbacks) while fast writers commit.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn late_commits_are_never_skipped_by_a_live_subscriber() {
    let store = common::fresh_store().await;
    let filter = Filter::categories(["announcement"]);
    let mut sub = store.clone().subscribe(None, filter);

    let mut tasks = Vec::new();
    for w in 0..12u64 {
        let slow = store.clone();
        tasks.push(tokio::spawn(async move {
            let store = slow;
            let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
            let events = command(Uuid::new_v4(), &[("Slow", json!({"writer": w}))]);
            let mut tx = store.pool().begin().await.unwrap();
            store
                .append_in(&mut tx, &s, ExpectedVersion::NoStream, &events)
                .await
                .unwrap();
            // Hold the transaction (and its early position) while others commit.
            tokio::time::sleep(Duration::from_millis(30 * (w % 4))).await;
            if w % 3 == 0 {
                tx.rollback().await.unwrap();
                None
            } else {
                tx.commit().await.unwrap();
                store.committed();
                Some(events[0].event_id)
            }
        }));
        let fast = store.clone();
        tasks.push(tokio::spawn(async move {
            let store = fast;
            let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
            let events = command(Uuid::new_v4(), &[("Fast", json!({"writer": w}))]);
            store
                .append(&s, ExpectedVersion::NoStream, events.clone())
                .await
                .unwrap();
            Some(events[0].event_id)
        }));
    }
    let mut committed = HashSet::new();
    for t in tasks {
        committed.extend(t.await.unwrap());
    }
    let mut seen = Vec::new();
    while seen.len() < committed.len() {
        let e = tokio::time::timeout(Duration::from_secs(20), sub.next())
            .await
            .expect("every committed event arrives")
            .unwrap()
            .unwrap();
        seen.push(e);
    }
    assert!(
        tokio::time::timeout(Duration::from_millis(700), sub.next())
            .await
            .is_err()
    );
    let ids: HashSet<Uuid> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!(ids, committed);
    assert!(seen.windows(2).all(|w| w[0].position < w[1].position));
}

/// Subscribers in another process (here another store with its own pool and listener on the
/// same database) see every event exactly once, in one order, woken by the NOTIFY each store sends
/// after its commits; and that process's appends meet this one's through the database alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_process_sees_every_event_once_and_writes_consistently() {
    let url = common::fresh_database().await;
    let (writer, reader) = (common::store_on(&url).await, common::store_on(&url).await);
    let filter = Filter::categories(["announcement"]);
    let mut sub = reader.clone().subscribe(None, filter.clone());
    let mut woken = reader.changes();

    let streams: Vec<StreamId> = (0..4)
        .map(|_| StreamId::new("announcement", Uuid::new_v4()).unwrap())
        .collect();
    let tasks: Vec<_> = streams
        .iter()
        .cloned()
        .map(|s| {
            let writer = writer.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for v in 0..10u64 {
                    let events = command(Uuid::new_v4(), &[("Step", json!({"v": v}))]);
                    ids.push(events[0].event_id);
                    writer
                        .append(&s, ExpectedVersion::after(v.checked_sub(1)), events)
                        .await
                        .unwrap();
                }
                ids
            })
        })
        .collect();
    let mut committed = HashSet::new();
    for t in tasks {
        committed.extend(t.await.unwrap());
    }
    // The other store heard of the commits (its poll fallback does not move this counter).
    tokio::time::timeout(Duration::from_secs(10), woken.changed())
        .await
        .expect("a notification from the writing store")
        .unwrap();
    let mut seen = Vec::new();
    while seen.len() < committed.len() {
        let e = tokio::time::timeout(Duration::from_secs(20), sub.next())
            .await
            .expect("every committed event arrives")
            .unwrap()
            .unwrap();
        seen.push(e);
    }
    assert!(
        tokio::time::timeout(Duration::from_millis(700), sub.next())
            .await
            .is_err(),
        "nothing twice"
    );
    let ids: HashSet<Uuid> = seen.iter().map(|e| e.event_id).collect();
    assert_eq!((ids.len(), ids), (committed.len(), committed));
    assert!(seen.windows(2).all(|w| w[0].position < w[1].position));

    // Both stores append to the same stream: each chains onto the other's events, and a stale
    // expectation is a typed conflict, also when this store remembers an older head.
    let s = &streams[0];
    let next = |v: u64| command(Uuid::new_v4(), &[("Step", json!({"v": v}))]);
    reader
        .append(s, ExpectedVersion::Exact(9), next(10))
        .await
        .unwrap();
    writer
        .append(s, ExpectedVersion::Exact(10), next(11))
        .await
        .unwrap();
    let stale = writer.append(s, ExpectedVersion::Exact(10), next(12)).await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                actual: Some(11),
                ..
            })
        ),
        "{stale:?}"
    );
    let stale = reader.append(s, ExpectedVersion::Exact(10), next(12)).await;
    assert!(
        matches!(
            stale,
            Err(StoreError::Conflict {
                actual: Some(11),
                ..
            })
        ),
        "{stale:?}"
    );
    reader
        .append(s, ExpectedVersion::Exact(11), next(12))
        .await
        .unwrap();
    let shared: zakup_store::SharedStore = writer.clone();
    settled(&shared, &filter, 43).await;
    let report = verify_chains(writer.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!(report.broken, None);
}

/// Issue "Foundation", done-when: a test alters an event row and verification names the broken
/// stream and version.
#[tokio::test]
async fn a_tampered_row_is_named_by_stream_and_version() {
    let store = common::fresh_store().await;
    let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    for v in 0..4u64 {
        let events = command(
            Uuid::new_v4(),
            &[("Step", json!({"amount": format!("{v}00.00")}))],
        );
        store
            .append(&s, ExpectedVersion::after(v.checked_sub(1)), events)
            .await
            .unwrap();
    }
    let shared: zakup_store::SharedStore = store.clone();
    settled(&shared, &Filter::all(), 4).await;
    let clean = verify_chains(store.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!(clean.broken, None);

    sqlx::query("UPDATE es_events SET payload = '{\"amount\": \"1.00\"}' WHERE stream_id = $1 AND version = 2")
        .bind(s.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let report = verify_chains(store.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    let broken = report
        .broken
        .clone()
        .unwrap_or_else(|| panic!("the altered row is found: {report:?}"));
    assert_eq!((broken.stream.as_str(), broken.version), (s.as_str(), 2));
}

/// A deleted row breaks the version sequence, which verification also reports.
#[tokio::test]
async fn a_deleted_row_is_named_too() {
    let store = common::fresh_store().await;
    let s = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    for v in 0..3u64 {
        let events = command(Uuid::new_v4(), &[("Step", json!({"v": v}))]);
        store
            .append(&s, ExpectedVersion::after(v.checked_sub(1)), events)
            .await
            .unwrap();
    }
    let shared: zakup_store::SharedStore = store.clone();
    settled(&shared, &Filter::all(), 3).await;
    sqlx::query("DELETE FROM es_events WHERE stream_id = $1 AND version = 1")
        .bind(s.as_str())
        .execute(store.pool())
        .await
        .unwrap();
    let broken = verify_chains(store.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap()
        .broken
        .unwrap();
    assert_eq!((broken.stream.as_str(), broken.version), (s.as_str(), 2));
}

/// Design research §4.2: the global-log query must use the (tx_id, global_position) index, not a
/// sequential scan. Checked with EXPLAIN on a realistic table, so a future edit of the query
/// cannot lose it silently.
#[tokio::test]
async fn global_log_reads_use_the_index() {
    let store = common::fresh_store().await;
    sqlx::raw_sql(
        "INSERT INTO es_streams (stream_id, category, version, last_hash) VALUES ('announcement-big', 'announcement', 19999, '');
         INSERT INTO es_events (stream_id, category, version, event_id, event_type, schema_version, payload, metadata, hash)
         SELECT 'announcement-big', 'announcement', g, gen_random_uuid(), 'Step', 1, '{}', '{}', ''
           FROM generate_series(0, 19999) g;
         ANALYZE es_events;",
    )
    .execute(store.pool())
    .await
    .unwrap();
    let plan: Vec<String> = sqlx::query_scalar(
        "EXPLAIN SELECT * FROM es_events
          WHERE tx_id < pg_snapshot_xmin(pg_current_snapshot())
            AND tx_id >= $1::text::xid8 AND (tx_id, global_position) > ($1::text::xid8, $2)
            AND (cardinality($3::text[]) = 0 OR category = ANY($3))
          ORDER BY tx_id, global_position LIMIT 500",
    )
    .bind("1")
    .bind(19_000i64)
    .bind(vec!["announcement".to_owned()])
    .fetch_all(store.pool())
    .await
    .unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("es_events_global_order"), "plan: {plan}");
    assert!(!plan.contains("Seq Scan"), "plan: {plan}");
}

/// The global order is numeric in the transaction id, also across a power of ten: ordering by
/// the id's text would put xid 100 before xid 99, and a checkpoint taken there would skip every
/// event in between. Rows with explicit (old, committed) transaction ids make the case without
/// burning real ones.
#[tokio::test]
async fn the_global_order_is_numeric_across_a_power_of_ten_of_transaction_ids() {
    let store = common::fresh_store().await;
    let metadata =
        serde_json::to_string(&command(Uuid::new_v4(), &[("X", json!({}))])[0].metadata).unwrap();
    sqlx::query(
        "INSERT INTO es_streams (stream_id, category, version, last_hash)
              VALUES ('announcement-xids', 'announcement', 1, '')",
    )
    .execute(store.pool())
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO es_events (tx_id, stream_id, category, version, event_id, event_type,
                                schema_version, payload, metadata, hash)
              VALUES ('100', 'announcement-xids', 'announcement', 1, gen_random_uuid(), 'Later', 1, '{}', $1::jsonb, ''),
                     ('99', 'announcement-xids', 'announcement', 0, gen_random_uuid(), 'Earlier', 1, '{}', $1::jsonb, '')",
    )
    .bind(metadata)
    .execute(store.pool())
    .await
    .unwrap();
    let log = store.read_all(None, &Filter::all(), 10).await.unwrap();
    let order: Vec<_> = log
        .iter()
        .map(|e| (e.position.major, e.event_type.as_str()))
        .collect();
    assert_eq!(order, [(99, "Earlier"), (100, "Later")]);
    let after_first = store
        .read_all(Some(log[0].position), &Filter::all(), 10)
        .await
        .unwrap();
    assert_eq!(
        after_first.len(),
        1,
        "a checkpoint at xid 99 still sees xid 100"
    );
}

/// A reader of a rarely written category learns how far its read searched, past the other
/// categories' events, so its next read starts there; a transaction still open is never passed,
/// so the event it commits later is found, not skipped.
#[tokio::test]
async fn a_narrow_read_says_how_far_it_searched_and_never_passes_an_open_transaction() {
    let store = common::fresh_store().await;
    let shared: zakup_store::SharedStore = store.clone();
    let append = |category: &'static str| {
        let store = store.clone();
        async move {
            let s = StreamId::new(category, Uuid::new_v4()).unwrap();
            let events = command(Uuid::new_v4(), &[("Made", json!({}))]);
            store
                .append(&s, ExpectedVersion::NoStream, events)
                .await
                .unwrap()
                .position
        }
    };
    let rare = Filter::categories(["plan_item"]);
    let first = append("plan_item").await;
    for _ in 0..5 {
        append("announcement").await;
    }
    let newest = append("announcement").await;
    settled(&shared, &Filter::all(), 7).await;

    let page = store.read_all_through(None, &rare, 100).await.unwrap();
    let read: Vec<_> = page.events.iter().map(|e| e.position).collect();
    assert_eq!(read, vec![first]);
    assert_eq!(
        page.through,
        Some(newest),
        "searched past the announcements"
    );
    let again = store
        .read_all_through(page.through, &rare, 100)
        .await
        .unwrap();
    assert!(again.events.is_empty());
    assert_eq!(again.through, Some(newest));

    // A full page stops at its last event: the rest is not searched yet.
    let all = store
        .read_all_through(None, &Filter::all(), 3)
        .await
        .unwrap();
    assert_eq!(all.events.len(), 3);
    assert_eq!(all.through, all.events.last().map(|e| e.position));

    // An open transaction holds the horizon: nothing after it is passed while it is open.
    let s = StreamId::new("plan_item", Uuid::new_v4()).unwrap();
    let late = command(Uuid::new_v4(), &[("Late", json!({}))]);
    let mut tx = store.pool().begin().await.unwrap();
    store
        .append_in(&mut tx, &s, ExpectedVersion::NoStream, &late)
        .await
        .unwrap();
    let after_open = append("announcement").await;
    let held = store
        .read_all_through(again.through, &rare, 100)
        .await
        .unwrap();
    assert!(held.events.is_empty());
    assert!(held.through.is_none_or(|t| t < after_open));
    tx.commit().await.unwrap();
    settled(&shared, &Filter::all(), 9).await;
    let found = store
        .read_all_through(held.through.or(again.through), &rare, 100)
        .await
        .unwrap();
    let ids: Vec<Uuid> = found.events.iter().map(|e| e.event_id).collect();
    assert_eq!(ids, vec![late[0].event_id]);
    assert_eq!(found.through, Some(after_open));
}

/// Migration 0003 (decision 0930): the command records written before it, in `es_commands`,
/// still answer retries, and their ids are global from then on. Given a database at migration 2
/// with a two-event command Y on one stream and an id X the old schema let two streams record,
/// when the store starts (and migrates), then Y's retry is a duplicate, Y on another stream is
/// refused with nothing written, X still answers on both streams, and the events read back.
#[tokio::test]
async fn records_written_before_migration_3_still_answer() {
    let url = common::fresh_database().await;
    let pool = sqlx::PgPool::connect(&url).await.unwrap();
    let old = &zakup_store_pg::MIGRATIONS[..2];
    zakup_store_pg::migrations::apply(&pool, "event_store", old)
        .await
        .unwrap();
    let stream = || StreamId::new("announcement", Uuid::new_v4()).unwrap();
    let (x, y) = (Uuid::new_v4(), Uuid::new_v4());
    let (s1, s2, s3) = (stream(), stream(), stream());
    let y_events = command(y, &[("Drafted", json!({})), ("Published", json!({}))]);
    let old_rows = [
        (&s1, x, command(x, &[("Drafted", json!({}))])),
        (&s2, x, {
            // The event ids of the day differed per stream; `command`'s do not.
            let mut events = command(x, &[("Drafted", json!({}))]);
            events[0].event_id = Uuid::new_v4();
            events
        }),
        (&s3, y, y_events.clone()),
    ];
    for (s, cmd, events) in &old_rows {
        write_as_migration_2(&pool, s, *cmd, events).await;
    }

    let store = common::store_on(&url).await;
    let retry = store
        .append(&s3, ExpectedVersion::NoStream, y_events)
        .await
        .unwrap();
    assert!(retry.duplicate);
    assert_eq!((retry.first_version, retry.last_version), (0, 1));
    let s4 = stream();
    let mut elsewhere = command(y, &[("Drafted", json!({}))]);
    elsewhere[0].event_id = Uuid::new_v4();
    let refused = store
        .append(&s4, ExpectedVersion::NoStream, elsewhere)
        .await;
    assert_eq!(refused, Err(StoreError::CommandIdReused(y)));
    let written = store
        .read_stream(&s4, zakup_store::StreamRange::all())
        .await;
    assert!(written.unwrap().is_empty());
    for s in [&s1, &s2] {
        let done = store
            .command_outcome(s, x)
            .await
            .unwrap()
            .expect("recorded");
        assert_eq!((&done.stream_id, done.last_version), (s, 0));
    }
    let read = store
        .read_stream(&s3, zakup_store::StreamRange::all())
        .await
        .unwrap();
    assert_eq!(read.len(), 2);
}

/// Writes a command's events and its `es_commands` row as the store did before migration 0003
/// (the hashes are placeholders: this test reads no chain).
async fn write_as_migration_2(
    pool: &sqlx::PgPool,
    stream: &StreamId,
    command_id: Uuid,
    events: &[zakup_store::NewEvent],
) {
    let mut tx = pool.begin().await.unwrap();
    let last = events.len() as i64 - 1;
    sqlx::query("INSERT INTO es_streams (stream_id, category, version, last_hash) VALUES ($1, 'announcement', $2, 'h')")
        .bind(stream.as_str())
        .bind(last)
        .execute(&mut *tx)
        .await
        .unwrap();
    for (version, e) in events.iter().enumerate() {
        sqlx::query(
            "INSERT INTO es_events (stream_id, category, version, event_id, event_type,
                                    schema_version, payload, metadata, hash)
             VALUES ($1, 'announcement', $2, $3, $4, 1, $5, $6, 'h')",
        )
        .bind(stream.as_str())
        .bind(version as i64)
        .bind(e.event_id)
        .bind(&e.event_type)
        .bind(&e.payload)
        .bind(sqlx::types::Json(&e.metadata))
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    sqlx::query(
        "INSERT INTO es_commands (stream_id, command_id, first_version, last_version, tx_id,
                                  position)
         SELECT $1, $2, 0, $3, pg_current_xact_id(), max(global_position)
           FROM es_events WHERE stream_id = $1",
    )
    .bind(stream.as_str())
    .bind(command_id)
    .bind(last)
    .execute(&mut *tx)
    .await
    .unwrap();
    tx.commit().await.unwrap();
}
