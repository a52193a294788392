//! The competition's stored contract (decision 0209): JSON Schemas in
//! `schemas/events/<Type>.v<N>.json` (`UPDATE_SCHEMAS=1` rewrites them) and golden fixtures in
//! `tests/fixtures/events/` (`UPDATE_FIXTURES=1` adds the missing ones from a run through every
//! step; an existing fixture is never rewritten). Each fixture decodes, re-encodes to itself and
//! replays.

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::competition::{
    CompetitionCommand as C, CompetitionEvent as E, CompetitionStatus, ConclusionKind,
};

use super::*;

/// Every event type, as decided by the rules: a competition from draft to completion, and a
/// draft edited, trimmed and deleted.
fn samples() -> Vec<E> {
    let o = organizer();
    let mut w = discussing();
    w.ok(
        &citizen(3),
        C::PostMessage {
            message_id: Uuid::from_u128(0x3001),
            text: "Жобаның құны қандай?".into(),
            warning_acknowledged: true,
        },
    );
    w.at(astana("2026-02-08 09:00"));
    for (n, kind) in [(1, ConclusionKind::Negative), (2, ConclusionKind::Positive)] {
        w.ok(
            &o,
            C::InitiateConclusion {
                conclusion_id: Uuid::from_u128(0x4000 + n),
                kind,
                justification: "Негіздеме".into(),
                attachment: Some(file("conclusion")),
            },
        );
    }
    w.at(w.now + TimeDelta::hours(1));
    w.ok(
        &o,
        C::AgreeContract {
            info: "Шарт жобасы уәкілетті органмен келісілді".into(),
        },
    );
    w.ok(
        &o,
        C::Complete {
            justification: "Шарт жасалды".into(),
            attachment: Some(file("results")),
        },
    );
    let mut draft = ready();
    draft.ok(
        &o,
        C::EditGeneral {
            method: Some(PppMethod::DirectNegotiations),
            name_kk: "Аурухана".into(),
            name_ru: "Больница".into(),
            name_en: Some("Hospital".into()),
        },
    );
    draft.ok(
        &o,
        C::RemoveInitiator {
            initiator_id: Uuid::from_u128(0x1001),
        },
    );
    draft.ok(
        &o,
        C::RemoveRegulation {
            regulation_id: REGULATION,
        },
    );
    draft.ok(&o, C::DeleteDraft);
    w.events.into_iter().chain(draft.events).collect()
}

fn all_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
    let mut schemas = E::current_schemas();
    schemas.extend(E::historical_schemas());
    schemas
}

#[test]
fn every_competition_event_type_has_its_generated_schema() {
    let schemas = all_schemas();
    for (event_type, version, text) in crate::schema_files::sync(&schemas) {
        assert!(
            !text.contains("\"number\""),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

#[test]
fn samples_cover_every_competition_event_type_and_fixtures_replay() {
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    for (event_type, version, payload) in samples().iter().map(E::to_stored) {
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = E::TYPES
        .iter()
        .filter(|(t, _)| !first.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "samples miss {missing:?}");
    let dir = repo_dir("tests/fixtures/events");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        for (event_type, (version, payload)) in &first {
            let path = dir.join(format!("{event_type}.v{version}.json"));
            if !path.exists() {
                let fixture = json!({ "event_type": event_type, "schema_version": version, "payload": payload });
                std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n")
                    .unwrap();
            }
        }
    }
    // The fixtures, in the samples' order, replay into a completed competition.
    let mut competition = Competition::initial();
    for (event_type, version) in E::TYPES
        .iter()
        .filter(|(t, _)| *t != "CompetitionDraftDeleted")
    {
        let path = dir.join(format!("{event_type}.v{version}.json"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
        let fixture: Value = serde_json::from_str(&text).unwrap();
        let event = E::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(
            event.to_stored().2,
            fixture["payload"],
            "{event_type} re-encodes"
        );
        competition.evolve(&event);
    }
    assert!(competition.created.is_some());
    let _ = CompetitionStatus::ALL;
}
