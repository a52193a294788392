//! Issue 20 item 5 (decision 0890): `zakup export` writes an auditor's export of one
//! announcement; `zakup verify-protocol` checks its signatures on another machine from the file
//! alone, and rejects a tampered signature, even when the tamperer re-computed the hash chain.

use std::path::Path;
use std::sync::Arc;

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::certificate::{Certificate, CertificateCommand, key_id};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::protocol::ProtocolFormed;
use zakup_engine::{CommandMeta, Engine, SystemClock};
use zakup_store::contract::command;
use zakup_store::{EventStore, ExpectedVersion, StreamId};

use super::{run, zakup};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The key's owner registers it through the engine; a protocol version and its signature are
/// appended to an announcement's stream as the engine records them (the whole procedure up to
/// a signable protocol is the end-to-end tests' job).
async fn signed_announcement(data: &Path) -> Uuid {
    let cluster = zakup_pgcluster::ensure_running(&data.join("postgres"))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    let store = zakup_store_pg::PgStore::connect(pool).await.unwrap();
    let calendar = Arc::new(zakup_domain::calendar::Calendar::embedded().unwrap());
    let engine = Engine::new(store.clone(), Arc::new(SystemClock), calendar);
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 40 + k)).ok())
        .unwrap();
    let bin = (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", 40 + k)).ok())
        .unwrap();
    let pair = Ed25519KeyPair::from_pkcs8(
        Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
            .unwrap()
            .as_ref(),
    )
    .unwrap();
    let public = hex(pair.public_key().as_ref());
    let meta = CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor: Actor {
            user_id: "secretary".into(),
            iin,
            org: bin,
            roles: vec![Role::Organizer],
        },
        unread_notices: Default::default(),
    };
    let register = CertificateCommand::Register {
        iin,
        public_key_hex: public.clone(),
    };
    engine
        .execute::<Certificate>(&iin.to_string(), &meta, register)
        .await
        .unwrap();

    let id = Uuid::new_v4();
    let fixture: Value = serde_json::from_str(include_str!(
        "../../../../tests/fixtures/events/ProtocolFormed.v1.json"
    ))
    .unwrap();
    let mut formed: ProtocolFormed = serde_json::from_value(fixture["payload"].clone()).unwrap();
    formed.content.announcement_id = id;
    formed.content_sha256 = formed.content.sha256_hex();
    let signature = hex(pair.sign(formed.content_sha256.as_bytes()).as_ref());
    let signed = json!({
        "kind": formed.content.kind,
        "version": formed.content.version,
        "signature": {
            "signer_iin": iin.to_string(),
            "content_sha256": formed.content_sha256,
            "dissent": null,
            "signed_at": chrono::Utc::now() + chrono::Duration::minutes(1),
            "proof": { "key_id": key_id(&public).unwrap(), "signature_hex": signature },
        },
    });
    let mut events = command(
        Uuid::new_v4(),
        &[
            ("ProtocolFormed", serde_json::to_value(&formed).unwrap()),
            ("ProtocolSigned", signed),
        ],
    );
    events[1].schema_version = 2;
    let stream = StreamId::new("announcement", id).unwrap();
    store
        .append(&stream, ExpectedVersion::NoStream, events)
        .await
        .unwrap();
    id
}

fn verify(file: &Path) -> (Option<i32>, String) {
    // Another machine: a data folder with no cluster, and no database configured.
    let elsewhere = std::env::temp_dir().join(format!("zakup-auditor-{}", Uuid::new_v4()));
    let out = zakup(&elsewhere)
        .args(["verify-protocol", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!elsewhere.join("postgres").exists(), "no database started");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.code(), text)
}

/// Re-computes every hash of the stream after a change, as a tamperer covering its tracks would.
fn rechain(stream: &mut Value) {
    let mut prev = zakup_store::chain::GENESIS.to_owned();
    for event in stream["events"].as_array_mut().unwrap() {
        let recorded: zakup_store::RecordedEvent = serde_json::from_value(event.clone()).unwrap();
        prev = zakup_store::chain::recompute(&prev, &recorded).unwrap();
        event["hash"] = json!(prev);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_exported_announcement_verifies_offline_and_a_tampered_signature_is_rejected() {
    let data = std::env::temp_dir().join(format!("zakup-export-{}", Uuid::new_v4()));
    let id = signed_announcement(&data).await;
    let file = data.join("export.json");
    let out = run(
        &data,
        &["export", &id.to_string(), "--out", file.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    super::stop_cluster(&data).await;

    let (code, text) = verify(&file);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("discussion v1 signed by"), "{text}");
    assert!(text.contains(": ok"), "{text}");
    assert!(
        text.contains("ok: 2 chains intact, 1 signatures checked"),
        "{text}"
    );

    // One hex digit of the signature changed: the chain and the signature both say so.
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let mut tampered = original.clone();
    let proof = &mut tampered["streams"][0]["events"][1]["payload"]["signature"]["proof"];
    let sig = proof["signature_hex"].as_str().unwrap().to_owned();
    let flipped = if sig.starts_with('0') { "1" } else { "0" };
    proof["signature_hex"] = json!(format!("{flipped}{}", &sig[1..]));
    let bad = data.join("tampered.json");
    std::fs::write(&bad, serde_json::to_string(&tampered).unwrap()).unwrap();
    let (code, text) = verify(&bad);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("BROKEN: stream announcement-"), "{text}");
    assert!(text.contains("FAILED: signature does not verify"), "{text}");

    // The chain re-computed over the change: the signature still fails on its own.
    rechain(&mut tampered["streams"][0]);
    std::fs::write(&bad, serde_json::to_string(&tampered).unwrap()).unwrap();
    let (code, text) = verify(&bad);
    assert_eq!(code, Some(2), "{text}");
    assert!(!text.contains("BROKEN"), "{text}");
    assert!(text.contains("FAILED: signature does not verify"), "{text}");

    // The protocol's content changed and re-chained: the signed hash is no longer the content's.
    let mut altered = original;
    altered["streams"][0]["events"][0]["payload"]["content"]["announcement_number"] =
        json!("9999-1");
    rechain(&mut altered["streams"][0]);
    std::fs::write(&bad, serde_json::to_string(&altered).unwrap()).unwrap();
    let (code, text) = verify(&bad);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("FAILED: signed hash is not the content's"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&data);
}
