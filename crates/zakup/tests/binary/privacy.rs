//! Issue 18 item 5 (decisions 0840–0843) through the binary: events written in clear before
//! sealing began are sealed by `zakup seal-personal-data`; `zakup forget` destroys a person's
//! key; `zakup verify` passes at every step and `zakup replay` shows the person erased.

use serde_json::json;
use uuid::Uuid;
use zakup_domain::ident::Iin;
use zakup_store::contract::command;
use zakup_store::{EventStore, ExpectedVersion, StreamId};

use super::{run, stop_cluster};

async fn count(pool: &sqlx::PgPool, sql: &str, needle: &str) -> i64 {
    sqlx::query_scalar(sql)
        .bind(format!("%{needle}%"))
        .fetch_one(pool)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn old_events_are_sealed_then_a_person_forgotten_and_verify_passes_throughout() {
    let data = std::env::temp_dir().join(format!("zakup-forget-{}", Uuid::new_v4()));
    let member = Iin::from_prefix("85010130020").unwrap().to_string();
    // A category no read model projects: the event is not one of the domain's.
    let stream = StreamId::new("test", Uuid::new_v4()).unwrap();
    let cluster = zakup_pgcluster::ensure_running(&data.join("postgres"))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    {
        // As a version before sealing wrote them: in clear.
        let store = zakup_store_pg::PgStore::connect(pool.clone())
            .await
            .unwrap();
        let payload = json!({"signer_iin": member, "signer_full_name": "Ким Асель"});
        let events = command(Uuid::new_v4(), &[("Signed", payload)]);
        store
            .append(&stream, ExpectedVersion::NoStream, events)
            .await
            .unwrap();
    }
    let in_log = "SELECT count(*) FROM es_events WHERE payload::text LIKE $1";
    assert_eq!(count(&pool, in_log, &member).await, 1);

    let sealed = run(&data, &["seal-personal-data"]);
    let out = String::from_utf8_lossy(&sealed.stdout);
    assert!(sealed.status.success(), "{out}");
    assert!(out.contains("1 streams sealed"), "{out}");
    assert_eq!(count(&pool, in_log, &member).await, 0);
    assert_eq!(count(&pool, in_log, "Ким Асель").await, 0);
    assert!(run(&data, &["verify"]).status.success());

    let forgot = run(&data, &["forget", &member]);
    let out = String::from_utf8_lossy(&forgot.stdout);
    let err = String::from_utf8_lossy(&forgot.stderr);
    assert!(forgot.status.success(), "{out}{err}");
    assert!(
        out.contains("destroyed") && out.contains("read models rebuilt"),
        "{out}"
    );
    let keys = "SELECT count(*) FROM pd_keys WHERE subject LIKE $1";
    assert_eq!(count(&pool, keys, &member).await, 0);

    let verify = run(&data, &["verify"]);
    assert!(verify.status.success());
    // The event, the sealing's record and the forgetting's record.
    assert!(String::from_utf8_lossy(&verify.stdout).contains("3 events"));
    let replay = run(&data, &["replay", stream.as_str()]);
    let out = String::from_utf8_lossy(&replay.stdout);
    assert!(replay.status.success(), "{out}");
    assert!(
        out.contains("\"signer_iin\": \"erased:") && !out.contains(&member),
        "{out}"
    );

    // Forgotten already: nothing to do.
    let again = run(&data, &["forget", &member]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("no key"));
    // Not an ИИН: refused before anything is done.
    assert!(!run(&data, &["forget", "12345"]).status.success());
    pool.close().await;
    stop_cluster(&data).await;
    let _ = std::fs::remove_dir_all(&data);
}
