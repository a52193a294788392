//! The guarantee's events are a contract (decision 0209): JSON Schemas in `schemas/events/`
//! (`UPDATE_SCHEMAS=1` rewrites them) and a golden fixture per type in `tests/fixtures/events/`
//! (`UPDATE_FIXTURES=1` adds missing ones from the sample; an existing one is never rewritten).

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use serde_json::{Value, json};
use zakup_domain::guarantee::{
    Guarantee, GuaranteeCommand as G, GuaranteeEvent as E, GuaranteeStatus, RequestKind::*,
};

use super::*;

/// Every event type: a form deleted, a hold refused, a return confirmed.
fn sample() -> Vec<E> {
    let mut s = Stream::issued(2);
    s.run(&organizer(), form(Hold, &[1], 2));
    s.run(&organizer(), G::DeleteForm);
    s.requested(Hold, &[1], 2);
    s.run(
        &bank(),
        G::Refuse {
            request: Hold,
            reason: "Не подтверждено".into(),
        },
    );
    s.requested(Return, &[1, 2], 2);
    s.run(&bank(), G::Confirm { request: Return });
    s.events
}

/// Whether any `"type"` in the schema admits a JSON number (money is a decimal string).
fn admits_number(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(key, value)| {
            let is_number = |v: &Value| v == "number";
            (key == "type"
                && (is_number(value) || value.as_array().is_some_and(|a| a.iter().any(is_number))))
                || admits_number(value)
        }),
        Value::Array(items) => items.iter().any(admits_number),
        _ => false,
    }
}

#[test]
fn every_guarantee_event_type_has_its_generated_schema() {
    let schemas = E::current_schemas();
    crate::schema_files::sync(&schemas);
    for (event_type, version, schema) in &schemas {
        assert!(
            !admits_number(schema.as_value()),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

#[test]
fn the_sample_covers_every_guarantee_event_type_and_updates_fixtures_on_request() {
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    for (event_type, version, payload) in sample().iter().map(E::to_stored) {
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = E::TYPES
        .iter()
        .filter(|(t, _)| !first.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "the sample misses {missing:?}");
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

#[test]
fn every_guarantee_fixture_decodes_re_encodes_and_replays() {
    let mut events = Vec::new();
    for (event_type, version) in E::TYPES {
        let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
        let fixture: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(fixture["event_type"], *event_type);
        let event = E::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"], "{event_type}");
        events.push(event);
    }
    // Issued, a form, deleted, signed (no form: ignored), confirmed, refused: a fact each.
    let g = Guarantee::fold(&events);
    assert_eq!(g.status(), Some(GuaranteeStatus::Returned));
}
