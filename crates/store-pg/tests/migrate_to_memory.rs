//! Issue "KurrentDB", done-when: the migration command's copy code, tested in the direction that
//! can run here — PostgreSQL to the in-memory store — through the same `copy_all` that
//! `zakup migrate-events --to kurrentdb` runs.
mod common;

use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;
use zakup_store::contract::{command, settled};
use zakup_store::migrate::copy_all;
use zakup_store::{
    EventStore, ExpectedVersion, Filter, MemoryStore, SharedStore, StreamId, StreamRange,
};

#[tokio::test]
async fn postgres_copies_to_memory_with_versions_ids_and_hash_chains_kept() {
    let source = common::fresh_store().await;
    let mut streams = Vec::new();
    let mut total = 0;
    for s in 0..5u64 {
        let stream = StreamId::new(
            if s % 2 == 0 {
                "announcement"
            } else {
                "plan_item"
            },
            Uuid::new_v4(),
        )
        .unwrap();
        for v in 0..4u64 {
            // Commands of one and of three events, so runs of a command are kept together.
            let size = if v % 2 == 0 { 1 } else { 3 };
            let items: Vec<(&str, serde_json::Value)> = (0..size)
                .map(|i| ("Step", json!({"s": s, "v": v, "i": i, "amount": "10.00"})))
                .collect();
            let last = source
                .read_stream(&stream, StreamRange::all())
                .await
                .unwrap()
                .last()
                .map(|e| e.version);
            source
                .append(
                    &stream,
                    ExpectedVersion::after(last),
                    command(Uuid::new_v4(), &items),
                )
                .await
                .unwrap();
            total += size;
        }
        streams.push(stream);
    }
    let shared: SharedStore = source.clone();
    settled(&shared, &Filter::all(), total).await;

    let target = Arc::new(MemoryStore::new());
    let report = copy_all(source.as_ref(), target.as_ref(), |_| {})
        .await
        .unwrap();
    assert_eq!(report.events, total);
    assert_eq!(
        (report.source.broken.clone(), report.target.broken.clone()),
        (None, None)
    );
    assert!(report.mismatches.is_empty(), "{:?}", report.mismatches);
    for stream in &streams {
        let a = source
            .read_stream(stream, StreamRange::all())
            .await
            .unwrap();
        let b = target
            .read_stream(stream, StreamRange::all())
            .await
            .unwrap();
        let key = |e: &zakup_store::RecordedEvent| {
            (
                e.version,
                e.event_id,
                e.hash.clone(),
                e.payload.clone(),
                e.metadata.clone(),
            )
        };
        assert_eq!(
            a.iter().map(key).collect::<Vec<_>>(),
            b.iter().map(key).collect::<Vec<_>>()
        );
    }

    // Run again (an interrupted copy is restarted from the start): nothing is appended twice.
    let again = copy_all(source.as_ref(), target.as_ref(), |_| {})
        .await
        .unwrap();
    assert_eq!(again.appended, 0);
    assert!(again.mismatches.is_empty());
    assert_eq!(
        target.count_after(None, &Filter::all()).await.unwrap(),
        total
    );
}
