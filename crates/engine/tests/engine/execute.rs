//! `Engine::execute` decides on the fold it remembers and appends without reading first. These
//! prove that skipping the read changes no answer: a retried command still gets its original
//! outcome (the store's `append` contract: a recorded command is answered from its record), and
//! a fold another writer made stale is read again before the command is refused or recorded.
//! On the in-memory store and on PostgreSQL, whose appends answer retries differently.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::calendar::Calendar;
use zakup_domain::certificate::{Certificate, CertificateCommand};
use zakup_domain::ident::{Bin, Iin};
use zakup_engine::{CommandMeta, Engine, EngineError, ManualClock};
use zakup_store::{MemoryStore, SharedStore, StreamRange};

fn owner() -> Actor {
    Actor {
        user_id: "member".into(),
        iin: Iin::from_prefix("85010130001").unwrap(),
        org: Bin::from_prefix("05014000001").unwrap(),
        roles: vec![Role::Organizer],
    }
}

fn meta(command_id: Uuid) -> CommandMeta {
    CommandMeta {
        command_id,
        correlation_id: None,
        causation_id: None,
        actor: owner(),
        unread_notices: Default::default(),
    }
}

fn engine_on(store: SharedStore) -> Engine {
    let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 2, 2, 4, 0, 0).unwrap());
    Engine::new(
        store,
        Arc::new(clock),
        Arc::new(Calendar::embedded().unwrap()),
    )
}

async fn postgres() -> SharedStore {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&db.url)
        .await
        .unwrap();
    zakup_store_pg::PgStore::connect(pool).await.unwrap()
}

fn register() -> CertificateCommand {
    CertificateCommand::Register {
        iin: owner().iin,
        public_key_hex: "ab".repeat(32),
    }
}

fn revoke() -> CertificateCommand {
    CertificateCommand::Revoke {
        reason: "lost token".into(),
    }
}

async fn events(engine: &Engine) -> usize {
    engine
        .load::<Certificate>(&owner().iin.to_string(), StreamRange::all())
        .await
        .unwrap()
        .events
        .len()
}

async fn execute(
    engine: &Engine,
    command_id: Uuid,
    command: CertificateCommand,
) -> Result<zakup_engine::Outcome, EngineError> {
    engine
        .execute::<Certificate>(&owner().iin.to_string(), &meta(command_id), command)
        .await
}

/// Given a key registered and then revoked, when the revocation is retried, the remembered fold
/// (revoked) refuses it, so the engine reads before answering and finds the original outcome.
async fn a_retry_the_remembered_fold_refuses_gets_its_original_outcome(store: SharedStore) {
    let engine = engine_on(store);
    execute(&engine, Uuid::new_v4(), register()).await.unwrap();
    let revocation = Uuid::new_v4();
    let first = execute(&engine, revocation, revoke()).await.unwrap();
    let retry = execute(&engine, revocation, revoke()).await.unwrap();
    assert!(retry.duplicate && !first.duplicate);
    assert_eq!(retry.version, first.version);
    assert_eq!(events(&engine).await, 2);
}

/// Given a registration, when it is retried, the remembered fold accepts it again (a key may be
/// replaced), and the store answers the append from the command's record: nothing is appended.
async fn a_retry_the_remembered_fold_accepts_appends_nothing(store: SharedStore) {
    let engine = engine_on(store);
    let registration = Uuid::new_v4();
    let first = execute(&engine, registration, register()).await.unwrap();
    let retry = execute(&engine, registration, register()).await.unwrap();
    assert!(retry.duplicate);
    assert_eq!(retry.version, first.version);
    assert_eq!(events(&engine).await, 1);
}

/// Given a fold another engine made stale (it revoked the key), when this engine revokes again,
/// its stale fold accepts, the append is refused by version, and the command is decided again on
/// the stream's head, which refuses it.
async fn a_stale_fold_is_read_again_before_deciding(store: SharedStore) {
    let (mine, other) = (engine_on(store.clone()), engine_on(store));
    execute(&mine, Uuid::new_v4(), register()).await.unwrap();
    execute(&other, Uuid::new_v4(), revoke()).await.unwrap();
    let again = execute(&mine, Uuid::new_v4(), revoke()).await;
    assert_eq!(again.unwrap_err().code(), "no_signing_key");
    assert_eq!(events(&mine).await, 2);
}

#[tokio::test]
async fn in_memory_a_retry_the_remembered_fold_refuses_gets_its_original_outcome() {
    a_retry_the_remembered_fold_refuses_gets_its_original_outcome(Arc::new(MemoryStore::new()))
        .await;
}

#[tokio::test]
async fn in_memory_a_retry_the_remembered_fold_accepts_appends_nothing() {
    a_retry_the_remembered_fold_accepts_appends_nothing(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn in_memory_a_stale_fold_is_read_again_before_deciding() {
    a_stale_fold_is_read_again_before_deciding(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn postgres_a_retry_the_remembered_fold_refuses_gets_its_original_outcome() {
    a_retry_the_remembered_fold_refuses_gets_its_original_outcome(postgres().await).await;
}

#[tokio::test]
async fn postgres_a_retry_the_remembered_fold_accepts_appends_nothing() {
    a_retry_the_remembered_fold_accepts_appends_nothing(postgres().await).await;
}

#[tokio::test]
async fn postgres_a_stale_fold_is_read_again_before_deciding() {
    a_stale_fold_is_read_again_before_deciding(postgres().await).await;
}

/// Issue 26 item 3 (defect 10, docs/decisions/0632): given a registration, when its command id
/// comes again with another command (a revocation, or a registration of another key), then it
/// is refused with `command_id_reused` and nothing is appended, from the remembered fold and
/// from a fresh engine alike; the same command under that id is still a retry.
async fn a_command_id_reused_for_another_command_is_refused(store: SharedStore) {
    let engine = engine_on(store.clone());
    let id = Uuid::new_v4();
    execute(&engine, id, register()).await.unwrap();
    let other_key = CertificateCommand::Register {
        iin: owner().iin,
        public_key_hex: "cd".repeat(32),
    };
    for engine in [engine, engine_on(store)] {
        for command in [revoke(), other_key.clone()] {
            let refused = execute(&engine, id, command).await.unwrap_err();
            assert_eq!(refused.code(), "command_id_reused");
        }
        assert!(execute(&engine, id, register()).await.unwrap().duplicate);
        assert_eq!(events(&engine).await, 1);
    }
}

#[tokio::test]
async fn in_memory_a_command_id_reused_for_another_command_is_refused() {
    a_command_id_reused_for_another_command_is_refused(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn postgres_a_command_id_reused_for_another_command_is_refused() {
    a_command_id_reused_for_another_command_is_refused(postgres().await).await;
}

/// Issue 26 (decision 0632's "not done", docs/decisions/0930): command ids are global. Given a
/// registration on the owner's key stream, when a colleague's registration on their own stream
/// comes under the same command id, then it is refused with `command_id_reused` and nothing is
/// written there, from a fresh engine and from one that remembers the colleague's stream alike;
/// the owner's retry is still answered as a duplicate.
async fn a_command_id_used_on_another_stream_is_refused(store: SharedStore) {
    let colleague = Actor {
        user_id: "colleague".into(),
        iin: Iin::from_prefix("85010130002").unwrap(),
        ..owner()
    };
    let theirs = colleague.iin.to_string();
    let as_colleague = |command_id| CommandMeta {
        actor: colleague.clone(),
        ..meta(command_id)
    };
    let register_theirs = || CertificateCommand::Register {
        iin: colleague.iin,
        public_key_hex: "ef".repeat(32),
    };
    let engine = engine_on(store.clone());
    let id = Uuid::new_v4();
    execute(&engine, id, register()).await.unwrap();
    let warm = engine_on(store.clone());
    warm.execute::<Certificate>(&theirs, &as_colleague(Uuid::new_v4()), register_theirs())
        .await
        .unwrap();
    for engine in [engine_on(store.clone()), warm] {
        let refused = engine
            .execute::<Certificate>(&theirs, &as_colleague(id), register_theirs())
            .await
            .unwrap_err();
        assert_eq!(refused.code(), "command_id_reused");
        let written = engine
            .load::<Certificate>(&theirs, StreamRange::all())
            .await
            .unwrap();
        assert_eq!(written.events.len(), 1);
        assert!(execute(&engine, id, register()).await.unwrap().duplicate);
        assert_eq!(events(&engine).await, 1);
    }
}

#[tokio::test]
async fn in_memory_a_command_id_used_on_another_stream_is_refused() {
    a_command_id_used_on_another_stream_is_refused(Arc::new(MemoryStore::new())).await;
}

#[tokio::test]
async fn postgres_a_command_id_used_on_another_stream_is_refused() {
    a_command_id_used_on_another_stream_is_refused(postgres().await).await;
}
