//! The stored contract of the lot pool's process records (docs/decisions/0503), as for the
//! announcement's events (decision 0209): JSON Schemas in `schemas/events/<Type>.v<N>.json`
//! (`UPDATE_SCHEMAS=1` rewrites them) and golden fixtures in `tests/fixtures/events/<Type>.v<N>.json`
//! (`UPDATE_FIXTURES=1` adds missing ones from the samples below; an existing fixture is never
//! rewritten). A fixture decodes, re-encodes to itself, and replays into the process's fold.
//!
//! The sandbox's clock (docs/decisions/0661), the engine's other record of its own, is held to
//! the same contract here.

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::kernel::event::DecodeError;
use zakup_domain::lot_pool::{
    Ending, LogMark, LotPoolOrphansReleased, LotPoolProcessEvent as E, LotPoolProcessFinished,
    LotPoolProcessStarted, LotPoolRunnerCheckpointed, LotPoolRunnerEvent as R, Process,
};
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::privacy::{PersonForgotten, PersonalDataSealed, PrivacyEvent as P};
use zakup_domain::sandbox_clock::{
    Anchor, SandboxClock, SandboxClockEvent as S, SandboxClockMoved, SandboxClockStarted,
};

fn all_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
    let mut schemas = E::current_schemas();
    schemas.extend(E::historical_schemas());
    schemas.extend(R::current_schemas());
    schemas.extend(R::historical_schemas());
    schemas.extend(S::current_schemas());
    schemas.extend(S::historical_schemas());
    schemas.extend(P::current_schemas());
    schemas.extend(P::historical_schemas());
    schemas
}

#[test]
fn every_lot_pool_event_type_has_its_generated_schema() {
    let schemas = all_schemas();
    for (event_type, version, text) in crate::schema_files::sync(&schemas) {
        assert!(
            !text.contains("\"number\""),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

fn organizer() -> Actor {
    Actor {
        user_id: "organizer".into(),
        iin: (0..20)
            .find_map(|k| Iin::from_prefix(&format!("85010130{k:03}")).ok())
            .unwrap(),
        org: (0..20)
            .find_map(|k| Bin::from_prefix(&format!("0501400{k:04}")).ok())
            .unwrap(),
        roles: vec![Role::Organizer],
    }
}

/// A process as the engine writes it: started for a command that reserves two plan items, then
/// ended; and one that gave its reservation back.
fn samples() -> Vec<E> {
    let started = |n: u128| {
        E::Started(LotPoolProcessStarted {
            announcement_id: Uuid::from_u128(0xa000 + n),
            command_id: Uuid::from_u128(0xc000 + n),
            correlation_id: Uuid::from_u128(0xc000 + n),
            actor: organizer(),
            reserving: vec![PlanItemId("PI-1".into()), PlanItemId("PI-2".into())],
        })
    };
    let finished = |ending| E::Finished(LotPoolProcessFinished { ending });
    vec![
        started(1),
        finished(Ending::FollowedUp),
        started(2),
        finished(Ending::Compensated),
    ]
}

/// The runner's record: a checkpoint with one process open, and the orphans it released.
fn runner_samples() -> Vec<R> {
    vec![
        R::Checkpointed(LotPoolRunnerCheckpointed {
            through: LogMark {
                stream_id: "lot_pool-00000000-0000-0000-0000-00000000b002".into(),
                version: 0,
            },
            open: vec![Uuid::from_u128(0xb002)],
        }),
        R::OrphansReleased(LotPoolOrphansReleased {
            released: vec![PlanItemId("PI-3".into())],
        }),
    ]
}

/// A sandbox started frozen on a Monday morning, then moved a week on and set running 60×.
fn clock_samples() -> Vec<S> {
    let at = |s: &str| s.parse().unwrap();
    vec![
        S::Started(SandboxClockStarted {
            at: at("2026-02-02T04:00:00Z"),
            real_at: at("2026-12-07T10:00:00Z"),
            acceleration: 0,
        }),
        S::Moved(SandboxClockMoved {
            from: at("2026-02-02T04:00:00Z"),
            to: at("2026-02-09T04:00:00Z"),
            real_at: at("2026-12-07T10:05:00Z"),
            acceleration: 60,
        }),
    ]
}

/// A person forgotten, and an old stream sealed (issue 18 item 5).
fn privacy_samples() -> Vec<P> {
    vec![
        P::Forgotten(PersonForgotten {
            key_id: Uuid::from_u128(0xd001),
            erased_as: "erased:0000053249".into(),
        }),
        P::Sealed(PersonalDataSealed {
            stream_id: "announcement-00000000-0000-0000-0000-00000000a001".into(),
            events: 3,
            values: 5,
            previous_head: "1f".repeat(32),
            head: "2e".repeat(32),
        }),
    ]
}

fn read_fixture(event_type: &str, version: u32) -> Value {
    let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn samples_cover_every_lot_pool_event_type_and_update_fixtures_on_request() {
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    let stored = samples().into_iter().map(|e| e.to_stored());
    let (runner, clock, privacy) = (runner_samples(), clock_samples(), privacy_samples());
    let stored = stored
        .chain(runner.iter().map(R::to_stored))
        .chain(clock.iter().map(S::to_stored))
        .chain(privacy.iter().map(P::to_stored));
    for (event_type, version, payload) in stored {
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = E::TYPES
        .iter()
        .chain(R::TYPES)
        .chain(S::TYPES)
        .chain(P::TYPES)
        .filter(|(t, _)| !first.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "samples miss {missing:?}");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let dir = repo_dir("tests/fixtures/events");
        for (event_type, (version, payload)) in &first {
            let path = dir.join(format!("{event_type}.v{version}.json"));
            if !path.exists() {
                let fixture = json!({ "event_type": event_type, "schema_version": version, "payload": payload });
                std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n")
                    .unwrap();
            }
        }
    }
}

/// The stored names of the process's record are the ones the engine wrote before the set was
/// declared (decision 0503): a stream written then replays now. The runner's record decodes
/// as written.
#[test]
fn every_lot_pool_fixture_decodes_re_encodes_and_replays() {
    assert_eq!(
        E::TYPES,
        &[("LotPoolProcessStarted", 1), ("LotPoolProcessFinished", 1)]
    );
    let mut process = Process::default();
    for (event_type, version) in E::TYPES {
        let fixture = read_fixture(event_type, *version);
        assert_eq!(fixture["event_type"], *event_type);
        assert_eq!(fixture["schema_version"], *version);
        let event = E::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(
            event.to_stored().2,
            fixture["payload"],
            "{event_type} encodes as its fixture"
        );
        process.evolve(&event);
        let started = matches!(event, E::Started(_));
        assert_eq!(
            process.unfinished().is_some(),
            started,
            "after {event_type}"
        );
    }
    assert_eq!(process.ending, Some(Ending::FollowedUp));

    for (event_type, version) in R::TYPES {
        let fixture = read_fixture(event_type, *version);
        let event = R::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
    }
    for (event_type, version) in P::TYPES {
        let fixture = read_fixture(event_type, *version);
        let event = P::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
    }
}

/// The clock's record replays into the time it says: after the move, a real minute is an hour.
#[test]
fn every_sandbox_clock_fixture_decodes_re_encodes_and_replays() {
    assert_eq!(
        S::TYPES,
        &[("SandboxClockStarted", 1), ("SandboxClockMoved", 1)]
    );
    let mut clock = SandboxClock::default();
    for (event_type, version) in S::TYPES {
        let fixture = read_fixture(event_type, *version);
        let event = S::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
        zakup_domain::kernel::Decider::evolve(&mut clock, &event);
    }
    let anchor: Anchor = clock.anchor.expect("started");
    let real = "2026-12-07T10:06:00Z".parse().unwrap();
    assert_eq!(
        anchor.now(real),
        "2026-02-09T05:00:00Z"
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    );
    // A real clock set back does not take the sandbox back.
    let earlier = "2026-12-07T09:00:00Z".parse().unwrap();
    assert_eq!(anchor.now(earlier), anchor.at);
}

#[test]
fn unknown_lot_pool_versions_are_decode_errors() {
    let fixture = read_fixture("LotPoolProcessStarted", 1);
    assert!(matches!(
        E::from_stored("LotPoolProcessStarted", 2, &fixture["payload"]),
        Err(DecodeError::UnknownVersion { .. })
    ));
    assert!(matches!(
        E::from_stored("LotPoolProcessFinished", 1, &json!({ "ending": "lost" })),
        Err(DecodeError::InvalidPayload { .. })
    ));
}
