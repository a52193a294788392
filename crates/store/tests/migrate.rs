//! Copying a whole store into another, memory to memory: what `zakup migrate-events` does
//! between PostgreSQL and KurrentDB.
use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;
use zakup_store::contract::command;
use zakup_store::migrate::{CopyProgress, CopyStage, copy_all};
use zakup_store::{
    EventStore, ExpectedVersion, Filter, MemoryStore, NewEvent, RecordedEvent, StreamId,
    StreamRange,
};

fn stream(category: &str) -> StreamId {
    StreamId::new(category, Uuid::new_v4()).unwrap()
}

/// The same command appended to `stream` (its events renamed for that stream).
fn for_stream(
    command_id: Uuid,
    stream: &StreamId,
    events: &[(&str, serde_json::Value)],
) -> Vec<NewEvent> {
    command(command_id, events)
        .into_iter()
        .enumerate()
        .map(|(i, mut e)| {
            e.event_id = NewEvent::id_for(command_id, stream, i);
            e
        })
        .collect()
}

/// Streams of several categories written interleaved, with one- and many-event commands, and two
/// commands that append to two streams in a row. (One command id on two streams, which this
/// fixture had, is refused since command ids are global: decision 0930.)
async fn source() -> (MemoryStore, Vec<(StreamId, Uuid)>) {
    let store = MemoryStore::new();
    let (a, b, p) = (
        stream("announcement"),
        stream("announcement"),
        stream("plan_item"),
    );
    let mut commands = Vec::new();
    let mut append = async |s: &StreamId, expected, events: Vec<(&str, serde_json::Value)>, cmd| {
        store
            .append(s, expected, for_stream(cmd, s, &events))
            .await
            .unwrap();
        commands.push((s.clone(), cmd));
    };
    append(
        &a,
        ExpectedVersion::NoStream,
        vec![
            ("Drafted", json!({"title": "Бумага"})),
            ("LotAdded", json!({"lot": 1})),
        ],
        Uuid::new_v4(),
    )
    .await;
    append(
        &p,
        ExpectedVersion::NoStream,
        vec![("Planned", json!({"amount": "1500000.00"}))],
        Uuid::new_v4(),
    )
    .await;
    append(
        &b,
        ExpectedVersion::NoStream,
        vec![("Drafted", json!({"title": "Ручки"}))],
        Uuid::new_v4(),
    )
    .await;
    append(
        &a,
        ExpectedVersion::Exact(1),
        vec![("LotAdded", json!({"lot": 2}))],
        Uuid::new_v4(),
    )
    .await;
    append(
        &p,
        ExpectedVersion::Exact(0),
        vec![("Reserved", json!({"lot": 2}))],
        Uuid::new_v4(),
    )
    .await;
    append(
        &a,
        ExpectedVersion::Exact(2),
        vec![("LotFunded", json!({"lot": 2})), ("Published", json!({}))],
        Uuid::new_v4(),
    )
    .await;
    append(
        &b,
        ExpectedVersion::Exact(0),
        vec![("Published", json!({}))],
        Uuid::new_v4(),
    )
    .await;
    (store, commands)
}

async fn log(store: &dyn EventStore) -> Vec<RecordedEvent> {
    store.read_all(None, &Filter::all(), 1000).await.unwrap()
}

#[tokio::test]
async fn copies_every_stream_keeping_versions_ids_metadata_and_hashes() {
    let (from, commands) = source().await;
    let to = MemoryStore::new();
    let mut seen = Vec::new();
    let report = copy_all(&from, &to, |p| seen.push(p)).await.unwrap();

    assert!(report.verified(), "{report:?}");
    assert_eq!(report.events, 9);
    assert_eq!(report.appended, commands.len() as u64);
    assert_eq!(report.already_present, 0);
    assert_eq!((report.source.streams, report.source.events), (3, 9));
    assert_eq!((report.target.streams, report.target.events), (3, 9));
    assert!(seen.contains(&CopyProgress {
        stage: CopyStage::Copying,
        events: 9
    }));
    assert!(seen.contains(&CopyProgress {
        stage: CopyStage::VerifyingSource,
        events: 9
    }));
    assert!(seen.contains(&CopyProgress {
        stage: CopyStage::VerifyingTarget,
        events: 9
    }));

    let same = |e: &RecordedEvent| {
        (
            e.stream_id.clone(),
            e.version,
            e.event_id,
            e.event_type.clone(),
            e.schema_version,
            e.payload.clone(),
            e.metadata.clone(),
            e.hash.clone(),
        )
    };
    let source: Vec<_> = log(&from).await.iter().map(same).collect();
    let target: Vec<_> = log(&to).await.iter().map(same).collect();
    assert_eq!(source, target, "the same events in the same global order");

    // Idempotency survives: every command's outcome is on record in the target.
    for (s, cmd) in &commands {
        let before = from.command_outcome(s, *cmd).await.unwrap().unwrap();
        let after = to.command_outcome(s, *cmd).await.unwrap().unwrap();
        assert_eq!(
            (before.first_version, before.last_version),
            (after.first_version, after.last_version)
        );
    }
}

#[tokio::test]
async fn a_resumed_copy_appends_nothing_twice() {
    let (from, commands) = source().await;
    let to = MemoryStore::new();
    copy_all(&from, &to, |_| {}).await.unwrap();
    let again = copy_all(&from, &to, |_| {}).await.unwrap();
    assert!(again.verified(), "{again:?}");
    assert_eq!(again.appended, 0);
    assert_eq!(again.already_present, commands.len() as u64);
    assert_eq!(log(&to).await.len(), 9);
}

#[tokio::test]
async fn a_target_with_other_streams_does_not_verify() {
    let (from, _) = source().await;
    let to = MemoryStore::new();
    let stray = stream("announcement");
    to.append(
        &stray,
        ExpectedVersion::NoStream,
        command(Uuid::new_v4(), &[("Stray", json!({}))]),
    )
    .await
    .unwrap();
    let report = copy_all(&from, &to, |_| {}).await.unwrap();
    assert!(!report.verified());
    assert_eq!(report.mismatches.len(), 1);
    assert_eq!(report.mismatches[0].stream, stray.to_string());
    assert_eq!(report.mismatches[0].source, None);
    assert_eq!(
        report.mismatches[0].target.as_ref().map(|h| h.version),
        Some(0)
    );
}

#[tokio::test]
async fn a_target_stream_holding_other_events_stops_the_copy() {
    let (from, _) = source().await;
    let first = log(&from).await.remove(0);
    let to = MemoryStore::new();
    to.append(
        &first.stream_id,
        ExpectedVersion::NoStream,
        command(Uuid::new_v4(), &[("Other", json!({}))]),
    )
    .await
    .unwrap();
    let err = copy_all(&from, &to, |_| {}).await.unwrap_err();
    assert!(
        matches!(err, zakup_store::StoreError::Conflict { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn an_empty_source_copies_nothing_and_verifies() {
    let from: Arc<dyn EventStore> = Arc::new(MemoryStore::new());
    let to = MemoryStore::new();
    let report = copy_all(from.as_ref(), &to, |_| {}).await.unwrap();
    assert!(report.verified());
    assert_eq!((report.events, report.appended), (0, 0));
    assert!(
        to.read_stream(&stream("announcement"), StreamRange::all())
            .await
            .unwrap()
            .is_empty()
    );
}
