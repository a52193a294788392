use super::*;
use zakup_domain::ident::{Bin, Iin};

/// The data set a frontend developer finds in GraphiQL: every status, and a second run
/// that records nothing new.
#[test]
fn the_demo_loads_every_status_and_a_second_run_changes_nothing() {
    // The story's future, polled unoptimised, outgrows a test thread's 2 MiB stack; `zakup demo`
    // polls it on the main thread (8 MiB), and release builds need far less.
    std::thread::Builder::new()
        .stack_size(32 << 20)
        .spawn(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap()
                .block_on(the_demo_loads_every_status())
        })
        .unwrap()
        .join()
        .unwrap();
}

async fn the_demo_loads_every_status() {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = db.pool().await.unwrap();
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .unwrap();
    zakup_projections::migrate(&pool).await.unwrap();
    let keys = || zakup_api::TokenKeys::hmac(&[5; 32]).unwrap();
    let system =
        || zakup_engine::system_actor(OPERATOR_BIN.parse().unwrap(), OPERATOR_IIN.parse().unwrap());
    load(store.clone(), pool.clone(), keys(), system())
        .await
        .unwrap();
    let filter = zakup_store::Filter::all();
    let events = store.count_after(None, &filter).await.unwrap();
    let statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM rm.announcements ORDER BY status")
            .fetch_all(&pool)
            .await
            .unwrap();
    for status in [
        "draft",
        "published_accepting_applications",
        "reviewing_applications",
        "completed",
        "cancelled",
        "suspended",
        "published_auction_in_progress",
    ] {
        assert!(
            statuses.iter().any(|s| s == status),
            "{status} in {statuses:?}"
        );
    }
    // Issue 21: a PPP competition in its discussion.
    let competitions: Vec<String> = sqlx::query_scalar("SELECT status FROM rm.competitions")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(competitions, ["published_discussion"]);
    // Lots carry their plan item's КТРУ code, for the search by classifier (spec §2.2).
    let laptops: Option<String> =
        sqlx::query_scalar("SELECT plan_item_id FROM rm.lots WHERE ktru LIKE '262011%'")
            .fetch_optional(&pool)
            .await
            .unwrap();
    assert_eq!(laptops.as_deref(), Some("PI-2026-0101"));
    // Issue 15: the completed auction's lot was won.
    let paper: Option<String> =
        sqlx::query_scalar("SELECT outcome FROM rm.lots WHERE plan_item_id = 'PI-2026-0901'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(paper.as_deref(), Some("held"));
    // Issue 16: the completed qualification selection fills the registry; the state social
    // order accepts applications.
    let qualified: i64 = sqlx::query_scalar("SELECT count(*) FROM rm.qualified_suppliers")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(qualified, 1);
    let social: Option<String> = sqlx::query_scalar(
        "SELECT status FROM rm.announcements WHERE method = 'state_social_order'",
    )
    .fetch_optional(&pool)
    .await
    .unwrap();
    assert_eq!(social.as_deref(), Some("published_accepting_applications"));
    // Issue 19: guarantees in several statuses.
    let guarantees: Vec<String> =
        sqlx::query_scalar("SELECT status FROM rm.guarantees ORDER BY status")
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(guarantees, ["active", "hold_pending_bank", "returned"]);
    load(store.clone(), pool, keys(), system()).await.unwrap();
    assert_eq!(store.count_after(None, &filter).await.unwrap(), events);
    // A sandbox's data set (issue 22): every event marked.
    let all = store.read_all(None, &filter, 100_000).await.unwrap();
    assert!(all.iter().all(|e| e.metadata.sandbox));
}

#[test]
fn the_operator_and_every_person_have_valid_identities() {
    assert!(OPERATOR_BIN.parse::<Bin>().is_ok());
    assert!(OPERATOR_IIN.parse::<Iin>().is_ok());
    let people = People::new().unwrap();
    for p in [
        &people.organizer,
        &people.school,
        &people.clinic,
        &people.suppliers[2],
    ] {
        p.principal().actor().unwrap();
    }
}
