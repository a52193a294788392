//! «Поиск объявлений» over rows put straight into the read model: the order, the pages, who sees
//! drafts, each filter, and the lots a page reads in one query for all its announcements.

use std::sync::Arc;

use async_graphql::{Request, Variables};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_api::{AppState, Principal, Viewer, ZakupSchema};
use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin};
use zakup_engine::{Engine, ManualClock};
use zakup_store::SharedStore;

fn bin(n: u32) -> String {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("a БИН")
        .to_string()
}

fn organizer_of(org: &str) -> Principal {
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 20 + k)).ok())
        .expect("an ИИН");
    Principal {
        user_id: "organizer".into(),
        iin: iin.to_string(),
        org_bin: org.into(),
        roles: vec!["organizer".into()],
    }
}

/// An announcement row: (organizer, status, deleted, days before now it was drafted, customer,
/// name, lots as (plan item, lot number, КТРУ)).
type Row<'a> = (
    &'a str,
    &'a str,
    bool,
    i32,
    &'a str,
    &'a str,
    Vec<(&'a str, &'a str, Option<&'a str>)>,
);

async fn schema_with(rows: &[Row<'_>]) -> (ZakupSchema, Vec<Uuid>) {
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
    let live = zakup_projections::generation::live(&pool, "announcements")
        .await
        .expect("registry")
        .expect("a live generation");
    let mut ids = Vec::new();
    for (i, (organizer, status, deleted, days, customer, name, lots)) in rows.iter().enumerate() {
        let id = Uuid::new_v4();
        sqlx::query(&format!(
            "INSERT INTO {}.announcements VALUES ($1, $2, 1, NULL, 'open_tender', 'goods',
               'goods', $3, $3, $4, $5, $6, ARRAY[$7], lower($3), 100, now() - $8 * interval '1 day',
               NULL, NULL, NULL, NULL, now(), 1, 1, $9, false)",
            live.schema_name
        ))
        .bind(id)
        .bind(format!("N-{i}"))
        .bind(name)
        .bind(organizer)
        .bind(status)
        .bind(deleted)
        .bind(customer)
        .bind(days)
        .bind(i as i64)
        .execute(&pool)
        .await
        .expect("announcement row");
        for (plan_item, number, ktru) in lots {
            sqlx::query(&format!(
                "INSERT INTO {}.lots (announcement_id, plan_item_id, lot_number, customer_bin,
                   name_ru, name_kk, amount, ktru) VALUES ($1, $2, $3, $4, 'лот', 'лот', 50, $5)",
                live.schema_name
            ))
            .bind(id)
            .bind(plan_item)
            .bind(number)
            .bind(customer)
            .bind(ktru)
            .execute(&pool)
            .await
            .expect("lot row");
        }
        ids.push(id);
    }
    let calendar = Arc::new(Calendar::embedded().expect("calendar"));
    let clock = ManualClock::at("2026-02-02T04:00:00Z".parse().expect("instant"));
    let schema = zakup_api::schema(AppState {
        engine: Engine::new(store.clone(), Arc::new(clock), calendar),
        store,
        pool,
        daemon: Arc::new(daemon),
        keys: Arc::new(zakup_api::TokenKeys::hmac(&[9; 32]).expect("keys")),
        registry: zakup_api::RegistryMode::Development,
    });
    (schema, ids)
}

const PAGE: &str = "query($first: Int, $after: String, $filter: AnnouncementFilter) {
    announcements(first: $first, after: $after, filter: $filter) {
      edges { cursor node { id lots { planItemId lotNumber } } } pageInfo { hasNextPage } } }";

/// The ids of a page, each with its lots' plan items; its last cursor; whether more follow.
async fn page(
    schema: &ZakupSchema,
    who: Option<&Principal>,
    vars: Value,
) -> (Vec<(Uuid, Vec<String>)>, Option<String>, bool) {
    let mut request = Request::new(PAGE).variables(Variables::from_json(vars));
    if let Some(who) = who {
        request = request.data(Viewer::trusted(who.clone()));
    }
    let response = schema.execute(request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    let data = response.data.into_json().expect("json");
    let list = &data["announcements"];
    let edges = list["edges"].as_array().expect("edges");
    let found = edges
        .iter()
        .map(|e| {
            let node = &e["node"];
            let lots = node["lots"]
                .as_array()
                .expect("lots")
                .iter()
                .map(|l| l["planItemId"].as_str().expect("plan item").to_owned())
                .collect();
            (
                node["id"].as_str().expect("id").parse().expect("uuid"),
                lots,
            )
        })
        .collect();
    let cursor = edges
        .last()
        .map(|e| e["cursor"].as_str().expect("cursor").to_owned());
    (
        found,
        cursor,
        list["pageInfo"]["hasNextPage"].as_bool().expect("bool"),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_pages_newest_draft_first_with_each_filter_and_the_lots_of_its_page() {
    let (a, b, c1, c2) = (bin(1), bin(2), bin(3), bin(4));
    let ktru = Some("262013.000.000011");
    let rows: Vec<Row> = vec![
        (
            &b,
            "published",
            false,
            1,
            &c1,
            "Бумага",
            vec![("PI-2", "2", None), ("PI-1", "1", None)],
        ),
        (
            &a,
            "published",
            false,
            2,
            &c2,
            "Мебель",
            vec![("PI-3", "1", ktru)],
        ),
        (
            &b,
            "draft",
            false,
            0,
            &c1,
            "Черновик",
            vec![("PI-4", "1", None)],
        ),
        (&a, "draft", false, 3, &c2, "Свой черновик", vec![]),
        (&a, "published", true, 4, &c1, "Удалено", vec![]),
        (&b, "completed", false, 5, &c2, "Ноутбуки", vec![]),
    ];
    let (schema, ids) = schema_with(&rows).await;
    let organizer = organizer_of(&a);
    let only = |found: Vec<(Uuid, Vec<String>)>| -> Vec<Uuid> {
        found.into_iter().map(|(id, _)| id).collect()
    };

    // Pages of two for the organizer of `a`: its own draft shows, the other's does not.
    let (first, cursor, more) = page(&schema, Some(&organizer), json!({"first": 2})).await;
    assert_eq!(
        first,
        vec![
            (ids[0], vec!["PI-1".into(), "PI-2".into()]),
            (ids[1], vec!["PI-3".into()]),
        ],
        "newest first, each with its own lots in lot order"
    );
    assert!(more);
    let (second, _, more) = page(
        &schema,
        Some(&organizer),
        json!({"first": 2, "after": cursor}),
    )
    .await;
    assert_eq!(second, vec![(ids[3], vec![]), (ids[5], vec![])]);
    assert!(!more);

    // A visitor sees no drafts and nothing deleted.
    let (all, _, _) = page(&schema, None, json!({"first": 10})).await;
    assert_eq!(only(all), vec![ids[0], ids[1], ids[5]]);

    for (filter, expected) in [
        (json!({"organizerBin": a}), vec![ids[1], ids[3]]),
        (json!({"customerBin": c1}), vec![ids[0]]),
        // Lower-case Cyrillic: `lower` of upper-case Cyrillic needs a locale the test
        // cluster may lack; Latin letters cover the case-folding.
        (json!({"text": "n-5"}), vec![ids[5]]),
        (json!({"lotName": "ебель"}), vec![ids[1]]),
        (json!({"ktru": "262013"}), vec![ids[1]]),
        (json!({"status": ["completed"]}), vec![ids[5]]),
        (
            json!({"method": "open_tender", "customerBin": c2}),
            vec![ids[1], ids[3], ids[5]],
        ),
    ] {
        let (found, _, _) = page(
            &schema,
            Some(&organizer),
            json!({"first": 10, "filter": filter}),
        )
        .await;
        assert_eq!(only(found), expected, "{filter}");
    }
}
