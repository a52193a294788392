//! The schema in process over a real PostgreSQL: live subscriptions fed by the projection daemon,
//! and the limits that refuse a query before it runs.

use std::sync::Arc;

use async_graphql::{Request, Variables};
use futures::StreamExt;
use serde_json::json;
use uuid::Uuid;
use zakup_api::{AppState, Principal, Viewer, ZakupSchema};
use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin};
use zakup_engine::{Engine, ManualClock};
use zakup_store::SharedStore;

async fn schema() -> ZakupSchema {
    schema_and_daemon().await.0
}

async fn schema_and_daemon() -> (ZakupSchema, Arc<zakup_projections::Daemon>) {
    let db = zakup_pgcluster::test_database()
        .await
        .expect("test database");
    let pool = db.pool().await.expect("pool");
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .expect("event store");
    zakup_projections::migrate(&pool).await.expect("registry");
    let daemon =
        zakup_projections::Daemon::start(store.clone(), pool.clone(), zakup_projections::all())
            .await
            .expect("daemon");
    let calendar = Arc::new(Calendar::embedded().expect("calendar"));
    let clock = ManualClock::at("2026-02-02T04:00:00Z".parse().expect("instant"));
    let daemon = Arc::new(daemon);
    let schema = zakup_api::schema(AppState {
        engine: Engine::new(store.clone(), Arc::new(clock), calendar),
        store,
        pool,
        daemon: daemon.clone(),
        keys: Arc::new(zakup_api::TokenKeys::hmac(&[9; 32]).expect("keys")),
        registry: zakup_api::RegistryMode::Development,
    });
    (schema, daemon)
}

fn organizer() -> Principal {
    let bin = (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", 20 + k)).ok())
        .expect("a БИН");
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 20 + k)).ok())
        .expect("an ИИН");
    Principal {
        user_id: "organizer".into(),
        iin: iin.to_string(),
        org_bin: bin.to_string(),
        roles: vec!["organizer".into()],
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_hears_of_a_change_once_the_read_models_hold_it() {
    let (schema, daemon) = schema_and_daemon().await;
    let id = Uuid::new_v4();
    let who = organizer();
    let listening = daemon.subscribers();
    let mut changes = schema.execute_stream(
        Request::new("subscription($a: UUID!) { announcementChanged(id: $a) { version eventType position } }")
            .variables(Variables::from_json(json!({"a": id})))
            .data(Viewer::trusted(who.clone())),
    );
    // A subscription hears what is applied after it starts listening, and it starts on its first
    // poll: listen before writing, or a fast projection applies the change unheard.
    assert!(futures::poll!(changes.next()).is_pending());
    assert!(daemon.subscribers() > listening, "the subscription listens");
    let header = json!({"method": "price_quotations", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закуп бумаги", "amongDisabledOrganizations": false, "singleOrganizer": false});
    let created = schema
        .execute(
            Request::new("mutation($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { position } }")
                .variables(Variables::from_json(json!({"c": Uuid::new_v4(), "a": id, "h": header})))
                .data(Viewer::trusted(who.clone())),
        )
        .await;
    assert!(created.errors.is_empty(), "{:?}", created.errors);
    let change = changes.next().await.expect("a change");
    assert!(change.errors.is_empty(), "{:?}", change.errors);
    let change = change.data.into_json().expect("JSON");
    assert_eq!(
        change["announcementChanged"]["eventType"],
        "AnnouncementDrafted"
    );
    assert_eq!(change["announcementChanged"]["version"], 0);
    // Told of it, the subscriber finds it in the read models at once.
    let found = schema
        .execute(
            Request::new("{ announcements { edges { node { id status { id } } } } }")
                .data(Viewer::trusted(who)),
        )
        .await
        .data
        .into_json()
        .expect("JSON");
    assert_eq!(found["announcements"]["edges"][0]["node"]["id"], json!(id));
}

/// Issue 26 (defect 11) changed this test: the introspection query nests `ofType` under
/// `__type`, which no longer counts towards the depth limit, and a query too deep is refused
/// with the code `query_too_deep`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_query_nested_too_deep_is_refused_before_it_runs() {
    let schema = schema().await;
    let deep = "{ announcements { edges { node { lots { status { id } } timeline { edges { node { version } } } } } } }";
    assert!(schema.execute(deep).await.errors.is_empty());
    let nested = (0..12).fold(String::from("__typename"), |inner, _| {
        format!("ofType {{ {inner} }}")
    });
    let introspection =
        format!("{{ __type(name: \"Announcement\") {{ fields {{ type {{ {nested} }} }} }} }}");
    let response = schema.execute(introspection.as_str()).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    // Refused before validation would look at the (unknown) fields.
    let too_deep = (0..13).fold(String::from("id"), |inner, _| format!("a {{ {inner} }}"));
    let response = schema.execute(format!("{{ {too_deep} }}").as_str()).await;
    let code = response.errors[0]
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .map(|c| c.to_string());
    assert_eq!(
        code.as_deref(),
        Some("\"query_too_deep\""),
        "{:?}",
        response.errors
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn camera_control_commands_reach_the_domain_and_bad_terms_are_refused_first() {
    let schema = schema().await;
    let deliver = "mutation($c: UUID!, $a: UUID!, $n: UUID!, $d: String!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: \"PI-1\", direction: $d, remedy: \"change_documentation\", text: \"Нарушение\") { version } }";
    let run = |direction: &str| {
        Request::new(deliver)
            .variables(Variables::from_json(json!({"c": Uuid::new_v4(), "a": Uuid::new_v4(), "n": Uuid::new_v4(), "d": direction})))
            .data(Viewer::trusted(organizer()))
    };
    let bad = schema.execute(run("sideways")).await;
    let code = |r: &async_graphql::Response| {
        r.errors[0]
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .map(|c| c.to_string())
    };
    assert_eq!(code(&bad).as_deref(), Some("\"invalid_input\""));
    // An organizer is not an inspector: the domain refuses with its own code.
    let refused = schema.execute(run("1")).await;
    assert!(
        code(&refused).is_some_and(|c| c != "\"invalid_input\""),
        "{:?}",
        refused.errors
    );
}
