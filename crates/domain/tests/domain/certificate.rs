//! Signing keys per ИИН (docs/decisions/0401-protocol-signatures.md; spec 002-003 registration by
//! certificate; spec 000-A §6 protocols signed by members, L2577–2611).

use crate::world;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use world::*;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::certificate::{Certificate, CertificateCommand as K, CertificateEvent};

const KEY: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

fn decide(
    state: &Certificate,
    actor: &Actor,
    command: K,
) -> Result<Vec<CertificateEvent>, &'static str> {
    let w = World::new();
    state.decide(command, &w.ctx(actor)).map_err(|e| e.code)
}

fn registered(actor: &Actor) -> Certificate {
    let mut c = Certificate::default();
    for e in decide(
        &c.clone(),
        actor,
        K::Register {
            iin: actor.iin,
            public_key_hex: KEY.into(),
        },
    )
    .unwrap()
    {
        c.apply(&e);
    }
    c
}

fn admin_of(org: zakup_domain::ident::Bin) -> Actor {
    Actor {
        user_id: "admin".into(),
        iin: iin(77),
        org,
        roles: vec![Role::OrgAdmin],
    }
}

/// Given no key, when a member registers its own key, then it verifies its signatures.
#[test]
fn a_member_registers_its_own_key() {
    let c = registered(&member_a());
    let key = c.active_key().expect("active");
    assert_eq!(
        (key.iin, key.public_key_hex.as_str()),
        (member_a().iin, KEY)
    );
    assert_eq!(key.registered_by, member_a().iin);
}

/// An administrator of the user's organisation replaces an employee's key (spec 002-003: the
/// administrator manages employees' powers); an outsider cannot. The first key is the user's
/// own: before it, the user's organisation is on no record, and any organisation's
/// administrator could claim the ИИН (issue 26 item 3, docs/decisions/0631; this changes the
/// earlier reading, in which an administrator registered the first key too).
#[test]
fn only_the_user_or_its_organisations_administrator_registers() {
    let register = || K::Register {
        iin: member_b().iin,
        public_key_hex: KEY.into(),
    };
    for admin in [admin_of(organizer_bin()), admin_of(bin(9))] {
        assert_eq!(
            decide(&Certificate::default(), &admin, register()),
            Err("forbidden_certificate"),
            "the first key, by an administrator of {}",
            admin.org
        );
    }
    assert!(
        decide(
            &registered(&member_b()),
            &admin_of(organizer_bin()),
            register()
        )
        .is_ok()
    );
    assert_eq!(
        decide(&Certificate::default(), &member_a(), register()),
        Err("forbidden_certificate")
    );
    let c = registered(&member_b());
    assert_eq!(
        decide(&c, &admin_of(bin(9)), register()),
        Err("forbidden_certificate"),
        "another organisation's administrator"
    );
}

#[test]
fn a_malformed_public_key_is_refused() {
    for bad in ["", "abc", &"g".repeat(64), &"a".repeat(66)] {
        let r = decide(
            &Certificate::default(),
            &member_a(),
            K::Register {
                iin: member_a().iin,
                public_key_hex: bad.into(),
            },
        );
        assert_eq!(r, Err("invalid_public_key"), "{bad:?}");
    }
}

/// A revoked key verifies nothing until a new one is registered.
#[test]
fn revocation_needs_a_reason_and_deactivates_the_key() {
    let mut c = registered(&member_a());
    assert_eq!(
        decide(&c, &member_a(), K::Revoke { reason: " ".into() }),
        Err("missing_field")
    );
    for e in decide(
        &c,
        &member_a(),
        K::Revoke {
            reason: "Утеря носителя".into(),
        },
    )
    .unwrap()
    {
        c.apply(&e);
    }
    assert!(c.active_key().is_none());
    assert_eq!(
        decide(
            &c,
            &member_a(),
            K::Revoke {
                reason: "ещё раз".into()
            }
        ),
        Err("no_signing_key")
    );
    for e in decide(
        &c,
        &member_a(),
        K::Register {
            iin: member_a().iin,
            public_key_hex: KEY.into(),
        },
    )
    .unwrap()
    {
        c.apply(&e);
    }
    assert!(c.active_key().is_some());
}

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Events are a contract: the schemas are generated and kept current (`UPDATE_SCHEMAS=1`
/// rewrites them), and every event type has a golden fixture that decodes and replays.
#[test]
fn schemas_and_golden_fixtures_of_signing_key_events() {
    let mut c = registered(&member_a());
    let revoked = decide(
        &c,
        &member_a(),
        K::Revoke {
            reason: "Утеря носителя".into(),
        },
    )
    .unwrap();
    c.apply(&revoked[0]);
    let samples = [
        registered(&member_a())
            .key
            .map(CertificateEvent::Registered)
            .unwrap(),
        revoked[0].clone(),
    ];
    for (event_type, version, schema) in CertificateEvent::current_schemas() {
        let path = repo("schemas/events").join(format!("{event_type}.v{version}.json"));
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(text.as_str()),
            "{event_type}: run with UPDATE_SCHEMAS=1"
        );
    }
    let mut replayed = Certificate::default();
    for sample in &samples {
        let (event_type, version, payload) = sample.to_stored();
        let path = repo("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
        if std::env::var_os("UPDATE_FIXTURES").is_some() && !path.exists() {
            let fixture =
                json!({"event_type": event_type, "schema_version": version, "payload": payload});
            std::fs::write(
                &path,
                serde_json::to_string_pretty(&fixture).unwrap() + "\n",
            )
            .unwrap();
        }
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).unwrap();
        let event = CertificateEvent::from_stored(event_type, version, &fixture["payload"])
            .expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
        replayed.apply(&event);
    }
    assert!(replayed.key.is_some() && replayed.revoked.is_some());
    assert!(CertificateEvent::from_stored("SigningKeyRegistered", 9, &json!({})).is_err());
}
