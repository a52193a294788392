//! Issue 26 items 1 and 2, the limits an operator relies on under load: a read-model query that
//! runs too long is cancelled by PostgreSQL (decision 0680), a subscriber that stops reading is
//! dropped (0681), and a viewer who sends too much is slowed (0682). Judged by codes, counts and
//! close frames, never by time.

use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::authorization::header;
use crate::e2e::{App, spawn_app, tender::cast};

async fn app() -> App {
    spawn_app(Utc.with_ymd_and_hms(2026, 1, 12, 5, 0, 0).unwrap()).await
}

const DRAFT: &str = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version } }";

/// A search that cannot finish (its table is locked by another transaction, as a pathological
/// query would hold it) is cancelled by the read side's statement timeout and answered
/// `query_timeout`; meanwhile a command goes through, since the read side has its own pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_read_past_the_statement_timeout_is_cancelled_with_a_code() {
    let app = app().await;
    let c = cast();
    let mut lock = app.pool.begin().await.expect("a transaction");
    sqlx::query("LOCK TABLE rm.announcements IN ACCESS EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .expect("the lock");
    let search = "{ announcements(first: 1) { edges { node { id } } } }";
    let (read, command) = tokio::join!(
        app.post(None, search, json!({})),
        app.command(
            &c.organizer,
            DRAFT,
            json!({"a": Uuid::new_v4(), "h": header("Ноутбуки")}),
        ),
    );
    assert_eq!(
        read["errors"][0]["extensions"]["code"], "query_timeout",
        "{read}"
    );
    assert!(read["data"].is_null(), "{read}");
    assert_eq!(
        command["version"], 0,
        "the command path is not held: {command}"
    );
    lock.rollback().await.expect("released");
    app.ok(None, search, json!({})).await;
}

/// The read side cannot write, whatever a resolver might send: its transactions are read-only.
#[tokio::test]
async fn the_read_side_cannot_write() {
    let app = app().await;
    let read = zakup_api::read_pool(
        &app.pool,
        1,
        std::time::Duration::from_secs(10),
        zakup_api::READ_STATEMENT_TIMEOUT,
    );
    let e = sqlx::query("CREATE TABLE rm.not_here (x int)")
        .execute(&read)
        .await
        .expect_err("refused");
    let code = e
        .as_database_error()
        .and_then(|d| d.code())
        .map(|c| c.into_owned());
    assert_eq!(
        code.as_deref(),
        Some("25006"),
        "read_only_sql_transaction: {e}"
    );
}
