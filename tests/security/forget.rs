//! Issue 18 item 5 (decisions 0840–0843): a person forgotten by destroying their key. The
//! replay, the read models and the hash chain still work; the person's ИИН and name are gone
//! from every query and from the whole database (checked by SQL over every table).

use std::sync::Arc;

use serde_json::json;
use uuid::Uuid;
use zakup_domain::privacy::{CATEGORY, PersonForgotten, PrivacyEvent};
use zakup_store::shred::fields::erased;
use zakup_store::{Filter, Metadata, NewEvent, StoreError, StreamId, verify_chains};

use crate::authorization::start;
use crate::e2e::tender::{accepting, cast, published};
use crate::e2e::{App, Person, system};

const QUERY: &str = "query($a: UUID!) {
  announcements(first: 10) { edges { node { id status { id }
    commission { iin fullName }
    timeline(first: 100) { edges { node { eventType actorIin } } } } } }
  replay: announcement(id: $a) {
    commission { iin fullName }
    events { eventType payload actor { iin } } } }";

/// Rows of every table of every schema whose text holds `needle`.
async fn rows_holding(app: &App, needle: &str) -> Vec<String> {
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_schema, table_name FROM information_schema.tables
          WHERE table_type = 'BASE TABLE'
            AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    let mut found = Vec::new();
    for (schema, table) in tables {
        let q = format!("SELECT count(*) FROM \"{schema}\".\"{table}\" t WHERE t::text LIKE $1");
        let n: i64 = sqlx::query_scalar(&q)
            .bind(format!("%{needle}%"))
            .fetch_one(&app.pool)
            .await
            .unwrap();
        if n > 0 {
            found.push(format!("{schema}.{table}: {n}"));
        }
    }
    found
}

/// As `zakup forget` records it, in the operator's name.
fn forgotten(id: Uuid) -> Result<(StreamId, NewEvent), StoreError> {
    let stream = StreamId::new(CATEGORY, id)?;
    let (event_type, schema_version, payload) = PrivacyEvent::Forgotten(PersonForgotten {
        key_id: id,
        erased_as: erased(id),
    })
    .to_stored();
    let command_id = Uuid::new_v4();
    let event = NewEvent {
        event_id: NewEvent::id_for(command_id, &stream, 0),
        event_type: event_type.into(),
        schema_version,
        payload,
        metadata: Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: zakup_engine::store_actor(&system().actor()),
            occurred_at: chrono::Utc::now(),
            sandbox: false,
        },
    };
    Ok((stream, event))
}

async fn read(app: &App, who: &Person, id: Uuid) -> serde_json::Value {
    for _ in 0..500 {
        app.settle().await;
        let data = app.ok(Some(who), QUERY, json!({"a": id})).await;
        let node = &data["announcements"]["edges"][0]["node"];
        if node["status"]["id"] == "published_accepting_applications" {
            return data;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the announcement is not accepting applications");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_forgotten_member_is_gone_from_every_query_and_the_database() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-FORGET-1"]).await;
    accepting(&app, &c, id).await;
    let (iin, name) = (c.member_a.iin.clone(), c.member_a.full_name.clone());

    // Before: the organizer's staff read the member; the log holds them sealed only.
    let before = read(&app, &c.secretary, id).await.to_string();
    assert!(before.contains(&iin) && before.contains(&name));
    let events: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM es_events WHERE payload::text LIKE $1 OR metadata::text LIKE $1
            OR payload::text LIKE $2",
    )
    .bind(format!("%{iin}%"))
    .bind(format!("%{name}%"))
    .fetch_one(&app.pool)
    .await
    .unwrap();
    assert_eq!(events, 0, "the log holds no personal value in clear");

    // Forget them, then rebuild the read models as `zakup forget` does.
    let key = app
        .keyring
        .forget(&app.raw, &app.sealer, &iin, forgotten)
        .await
        .unwrap()
        .expect("the member had a key");
    let all = zakup_projections::all();
    let projections: Vec<_> = all.iter().map(Arc::as_ref).collect();
    zakup_projections::rebuild_together(&app.pool, app.store.as_ref(), &projections, |_, _| {})
        .await
        .unwrap();

    // The read models and the replay work, and show the member erased, to every viewer.
    let marker = erased(key);
    for who in [&c.secretary, &c.inspector, &c.suppliers[0]] {
        let data = read(&app, who, id).await;
        let text = data.to_string();
        assert!(
            !text.contains(&iin) && !text.contains(&name),
            "{}: {text}",
            who.user
        );
        let replay = &data["replay"];
        assert!(replay["events"].as_array().is_some_and(|e| !e.is_empty()));
        let names: Vec<_> = replay["commission"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["fullName"].clone())
            .collect();
        assert!(names.contains(&json!(marker)), "{}: {names:?}", who.user);
    }
    // The others are still read as they were.
    let after = read(&app, &c.secretary, id).await.to_string();
    assert!(after.contains(&c.member_b.iin) && after.contains(&c.member_b.full_name));

    // Nowhere in the database: not the log, not the keys, not a read model.
    assert_eq!(rows_holding(&app, &iin).await, Vec::<String>::new());
    assert_eq!(rows_holding(&app, &name).await, Vec::<String>::new());

    // The chain of what is stored still verifies, the forgetting recorded in it.
    let report = verify_chains(app.raw.as_ref(), &Filter::all(), |_| {})
        .await
        .unwrap();
    assert_eq!(report.broken, None);
    let privacy: i64 =
        sqlx::query_scalar("SELECT count(*) FROM es_events WHERE event_type = 'PersonForgotten'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(privacy, 1);
}
