//! The bidding's stored contract, as every event set's (decision 0209): JSON Schemas in
//! `schemas/events/<Type>.v<N>.json` (`UPDATE_SCHEMAS=1` rewrites them) and golden fixtures in
//! `tests/fixtures/events/<Type>.v<N>.json` (`UPDATE_FIXTURES=1` adds missing ones from the
//! sample stream below; an existing fixture is never rewritten).

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use serde_json::{Value, json};
use zakup_domain::bidding::{Bidding, BiddingCommand as B, BiddingEvent as E};

use super::bidding::{Stream, at};
use super::world::*;

#[test]
fn every_bidding_event_type_has_its_generated_schema() {
    let mut schemas = E::current_schemas();
    schemas.extend(E::historical_schemas());
    for (event_type, version, text) in crate::schema_files::sync(&schemas) {
        assert!(
            !text.contains("\"number\""),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

/// Opened, two offers, ended; then another bidding, closed by a cancellation.
fn sample() -> Vec<E> {
    let mut s = Stream::opened(2);
    s.offer(1, at(10, 0), 9_000_000).unwrap();
    s.offer(2, at(26, 0), 8_900_000).unwrap();
    s.run(&system(), at(36, 0), B::End).unwrap();
    let mut closed = Stream::opened(2);
    closed.run(&system(), at(5, 0), B::Close).unwrap();
    s.events.extend(closed.events);
    s.events
}

fn read_fixture(event_type: &str, version: u32) -> Value {
    let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn the_sample_covers_every_bidding_event_type_and_updates_fixtures_on_request() {
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
fn every_bidding_fixture_decodes_re_encodes_and_replays() {
    let mut events = Vec::new();
    for (event_type, version) in E::TYPES {
        let fixture = read_fixture(event_type, *version);
        assert_eq!(fixture["event_type"], *event_type);
        let event = E::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"], "{event_type}");
        events.push(event);
    }
    let bidding = Bidding::fold(&events);
    assert!(bidding.ended.is_some());
    assert_eq!(bidding.offers.len(), 1);
}
