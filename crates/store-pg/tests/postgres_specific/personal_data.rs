//! Issue 18 item 5: personal values sealed per person on real PostgreSQL. Forgetting a person
//! destroys their key: the database holds their data nowhere in clear, the events read as
//! erased, and the hash chain still verifies. Old plaintext events are sealed by the migration,
//! which re-chains and records what it did.

use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;
use zakup_store::contract::{command, settled};
use zakup_store::shred::{Sealer, ShreddingStore, fields::erased};
use zakup_store::{
    EventStore, ExpectedVersion, Filter, NewEvent, SharedStore, StoreError, StreamId, StreamRange,
    verify_chains,
};
use zakup_store_pg::PgStore;
use zakup_store_pg::keyring::PgKeyring;
use zakup_store_pg::sealing::{SealedStream, seal_plaintext};

/// Twelve digits whose fifth is 0–3 (a day's tens): an ИИН, never a БИН, for this test.
fn is_person(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) && s.as_bytes()[4] <= b'3'
}

const MEMBER: &str = "850101300203";
const NAME: &str = "Ахметов Арман";
const ACTOR: &str = "900101300011";

fn signed(iin: &str, name: &str) -> Vec<NewEvent> {
    command(
        Uuid::new_v4(),
        &[(
            "ProtocolSigned",
            json!({"signer_iin": iin, "signer_full_name": name, "supplier_bin": "990140000011"}),
        )],
    )
}

fn forgotten(id: Uuid) -> Result<(StreamId, NewEvent), StoreError> {
    let mut events = command(
        Uuid::new_v4(),
        &[(
            "PersonForgotten",
            json!({"key_id": id, "erased_as": erased(id)}),
        )],
    );
    Ok((StreamId::new("privacy", id)?, events.remove(0)))
}

fn sealed_record(done: &SealedStream) -> Result<(StreamId, NewEvent), StoreError> {
    let mut events = command(
        Uuid::new_v4(),
        &[(
            "PersonalDataSealed",
            json!({"stream_id": done.stream.to_string(), "events": done.events,
                   "values": done.values, "previous_head": done.previous_head, "head": done.head}),
        )],
    );
    Ok((
        StreamId::new("privacy", format!("sealed-{}", Uuid::new_v4()))?,
        events.remove(0),
    ))
}

/// Rows of the whole database (every table of every schema) whose text holds `needle`.
async fn rows_holding(store: &PgStore, needle: &str) -> i64 {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema, table_name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE'
            AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(store.pool())
    .await
    .unwrap();
    let mut n = 0;
    for (schema, table) in tables {
        let q = format!("SELECT count(*) FROM \"{schema}\".\"{table}\" t WHERE t::text LIKE $1");
        let found: i64 = sqlx::query_scalar(&q)
            .bind(format!("%{needle}%"))
            .fetch_one(store.pool())
            .await
            .unwrap();
        n += found;
    }
    n
}

async fn sealing_store() -> (Arc<PgStore>, Arc<PgKeyring>, Sealer, SharedStore) {
    let raw = crate::common::fresh_store().await;
    let keyring = Arc::new(PgKeyring::open(raw.pool().clone()).await.unwrap());
    let inner: SharedStore = raw.clone();
    let sealer = Sealer::new(keyring.clone(), is_person);
    let store = ShreddingStore::new(inner, sealer.clone());
    (raw, keyring, sealer, store)
}

#[tokio::test]
async fn a_forgotten_person_is_erased_everywhere_and_the_chain_still_verifies() {
    let (raw, keyring, sealer, store) = sealing_store().await;
    let stream = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    store
        .append(&stream, ExpectedVersion::NoStream, signed(MEMBER, NAME))
        .await
        .unwrap();

    // Stored sealed: the ИИН and the name are in the key table only, as its subject.
    assert_eq!(rows_holding(&raw, NAME).await, 0);
    assert_eq!(rows_holding(&raw, MEMBER).await, 1, "the key row's subject");
    let read = store
        .read_stream(&stream, StreamRange::all())
        .await
        .unwrap();
    assert_eq!(read[0].payload["signer_iin"], json!(MEMBER));
    assert_eq!(read[0].payload["signer_full_name"], json!(NAME));
    assert_eq!(read[0].metadata.actor.iin, ACTOR);

    let id = keyring
        .forget(&raw, &sealer, MEMBER, forgotten)
        .await
        .unwrap()
        .expect("had a key");
    assert_eq!(keyring.key_id(MEMBER).await.unwrap(), None);
    assert_eq!(rows_holding(&raw, MEMBER).await, 0);
    assert_eq!(rows_holding(&raw, NAME).await, 0);

    // Read again, by this process and by another one: erased, not failed; the rest unchanged.
    let other = {
        let keyring = Arc::new(PgKeyring::open(raw.pool().clone()).await.unwrap());
        ShreddingStore::new(raw.clone(), Sealer::new(keyring, is_person))
    };
    for reader in [&store, &(other as SharedStore)] {
        let read = reader
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap();
        assert_eq!(read[0].payload["signer_iin"], json!(erased(id)));
        assert_eq!(read[0].payload["signer_full_name"], json!(erased(id)));
        assert_eq!(read[0].payload["supplier_bin"], json!("990140000011"));
        assert_eq!(read[0].metadata.actor.iin, ACTOR);
    }
    settled(&store, &Filter::all(), 2).await;
    let all = store.read_all(None, &Filter::all(), 100).await.unwrap();
    assert_eq!(all.len(), 2, "the event and the record of the forgetting");
    assert_eq!(all[1].event_type, "PersonForgotten");
    let report = verify_chains(raw.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!((report.events, report.broken), (2, None));

    // Forgotten twice: nothing more to destroy, nothing recorded.
    assert_eq!(
        keyring
            .forget(&raw, &sealer, MEMBER, forgotten)
            .await
            .unwrap(),
        None
    );
    // They act again: a new key, readable; the old events stay erased.
    store
        .append(&stream, ExpectedVersion::Exact(0), signed(MEMBER, NAME))
        .await
        .unwrap();
    let read = store
        .read_stream(&stream, StreamRange::all())
        .await
        .unwrap();
    assert_eq!(read[0].payload["signer_iin"], json!(erased(id)));
    assert_eq!(read[1].payload["signer_iin"], json!(MEMBER));
}

#[tokio::test]
async fn old_plaintext_events_are_sealed_re_chained_and_recorded() {
    let (raw, _keyring, sealer, store) = sealing_store().await;
    let old = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    // Written before sealing began: plaintext, chained over it.
    raw.append(&old, ExpectedVersion::NoStream, signed(MEMBER, NAME))
        .await
        .unwrap();
    raw.append(&old, ExpectedVersion::Exact(0), signed(MEMBER, NAME))
        .await
        .unwrap();
    let clean = StreamId::new("plan_item", "PI-1").unwrap();
    raw.append(
        &clean,
        ExpectedVersion::NoStream,
        command(Uuid::new_v4(), &[("PlanItemCreated", json!({"n": 1}))]),
    )
    .await
    .unwrap();
    let before = raw.read_stream(&old, StreamRange::all()).await.unwrap();
    assert!(rows_holding(&raw, NAME).await > 0);

    let done = seal_plaintext(&raw, &sealer, "privacy", sealed_record)
        .await
        .unwrap();
    // The plan item's actor is a person too: both streams are sealed.
    assert_eq!(done.len(), 2);
    let announcement = done.iter().find(|d| d.stream == old).unwrap();
    assert_eq!(announcement.events, 2);
    assert_eq!(announcement.values, 6, "two ИИН, two names, two actors");
    assert_eq!(announcement.previous_head, before[1].hash);

    assert_eq!(rows_holding(&raw, NAME).await, 0);
    assert_eq!(rows_holding(&raw, MEMBER).await, 1, "the key row's subject");
    settled(&store, &Filter::all(), 5).await;
    let report = verify_chains(raw.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!((report.events, report.broken), (5, None));
    let read = store.read_stream(&old, StreamRange::all()).await.unwrap();
    assert_eq!(read[1].payload["signer_full_name"], json!(NAME));
    assert_eq!(read[1].hash, announcement.head);
    let records = raw
        .read_all(None, &Filter::categories(["privacy"]), 10)
        .await
        .unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].event_type, "PersonalDataSealed");

    // The store still appends after the chain it remembered was replaced.
    store
        .append(&old, ExpectedVersion::Exact(1), signed(MEMBER, NAME))
        .await
        .unwrap();
    settled(&store, &Filter::all(), 6).await;
    let report = verify_chains(raw.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!((report.events, report.broken), (6, None));
    // Run again: nothing left in clear, nothing done.
    let again = seal_plaintext(&raw, &sealer, "privacy", sealed_record)
        .await
        .unwrap();
    assert!(again.is_empty());
}
