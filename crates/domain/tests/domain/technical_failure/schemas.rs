//! The stored contract of the failure's and the maintenance window's streams, and of the
//! announcement's `DeadlineExtended`/`DeadlineMeasuresApplied` (decision 0209): JSON Schemas in
//! `schemas/events/` (`UPDATE_SCHEMAS=1` rewrites them) and golden fixtures in
//! `tests/fixtures/events/` (`UPDATE_FIXTURES=1` adds missing ones from the samples below).

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::kernel::Decider;
use zakup_domain::maintenance_window::{
    MaintenanceKind, MaintenanceWindow, MaintenanceWindowAnnounced, MaintenanceWindowEvent as W,
};
use zakup_domain::procedure::extensions::{
    DeadlineExtended, DeadlineMeasuresApplied, ExtendedDeadline, ExtensionReason, ExtensionStage,
};
use zakup_domain::technical_failure::{
    Cause, Channel, FailureStatus, FailureType, ForceMajeureAgreed, Level, Rule, TechnicalFailure,
    TechnicalFailureConfirmed, TechnicalFailureEliminated, TechnicalFailureEvent as F,
    TechnicalFailureRefuted, TechnicalFailureRegistered, TechnicalFailureReported,
};

use crate::world::{astana, bin, iin};

const FAILURE: Uuid = Uuid::from_u128(0xfa11);

/// A failure's Journal row from report to elimination, with force majeure agreed; and the
/// refutation another request got.
fn failure_samples() -> Vec<F> {
    vec![
        F::Reported(TechnicalFailureReported {
            failure_id: FAILURE,
            reported_by: iin(1),
            organisation: bin(1),
            channel: Channel::Email,
            description: "Не подается заявка".into(),
            detected_at: astana("2025-04-15 08:55"),
            received_at: astana("2025-04-15 09:00"),
            registration_due: astana("2025-04-15 09:30"),
            analysis_due: astana("2025-04-15 11:00"),
        }),
        F::Registered(TechnicalFailureRegistered {
            incident_id: TechnicalFailure::incident_id(FAILURE),
            operator: bin(90),
            registered_by: iin(90),
            registered_at: astana("2025-04-15 09:10"),
            incident_id_due: astana("2025-04-15 10:10"),
        }),
        F::Confirmed(TechnicalFailureConfirmed {
            level: Level::High,
            cause: Cause::ComputerAttack,
            failure_type: FailureType::OperatorIndependent,
            module: "Прием заявок".into(),
            started_at: astana("2025-04-15 09:00"),
            planned_elimination: astana("2025-04-15 13:00"),
            decryption_impossible: false,
            affected_announcements: vec![],
            confirmed_by: iin(90),
            confirmed_at: astana("2025-04-15 09:30"),
            notice_due: astana("2025-04-15 10:00"),
        }),
        F::Eliminated(TechnicalFailureEliminated {
            eliminated_at: astana("2025-04-15 13:00"),
            causes: "DDoS".into(),
            recommendations: "Фильтрация трафика".into(),
            recorded_by: iin(90),
            recorded_at: astana("2025-04-15 13:05"),
        }),
        F::ForceMajeureAgreed(ForceMajeureAgreed {
            started_at: astana("2025-04-15 09:00"),
            ended_at: astana("2025-04-18 09:00"),
            days: 3,
            proprietor_agreement: "Письмо МФ РК № 1".into(),
            recorded_by: iin(90),
            recorded_at: astana("2025-04-18 10:00"),
        }),
        F::Refuted(TechnicalFailureRefuted {
            cause: Some(Cause::UserComputerSettings),
            reason: "Настройки браузера".into(),
            refuted_by: iin(90),
            refuted_at: astana("2025-04-15 10:30"),
            notice_due: astana("2025-04-15 11:00"),
        }),
    ]
}

fn window_samples() -> Vec<W> {
    vec![W::Announced(MaintenanceWindowAnnounced {
        window_id: Uuid::from_u128(0x3a1),
        kind: MaintenanceKind::Planned,
        starts_at: astana("2025-04-19 00:00"),
        ends_at: astana("2025-04-19 06:00"),
        description: "Обновление СУБД".into(),
        authorized_body_agreement: "Письмо УО № 1-2/3".into(),
        operator: bin(90),
        announced_by: iin(90),
        announced_at: astana("2025-04-16 12:00"),
    })]
}

/// The announcement's side: a held acceptance end, the measure at elimination, the mark.
pub fn extension_samples() -> Vec<AnnouncementEvent> {
    let extended = |stage, rule, from: &str, to: &str| {
        AnnouncementEvent::DeadlineExtended(DeadlineExtended {
            reason: ExtensionReason::TechnicalFailure,
            cause_id: FAILURE,
            stage,
            deadline: ExtendedDeadline::AcceptanceEnd,
            rule,
            from: astana(from),
            to: astana(to),
            extended_at: astana("2025-04-15 09:30"),
        })
    };
    vec![
        extended(
            ExtensionStage::Hold,
            Rule::HoldUntilPlannedElimination,
            "2025-04-15 10:00",
            "2025-04-15 13:00",
        ),
        AnnouncementEvent::DeadlineMeasuresApplied(DeadlineMeasuresApplied {
            reason: ExtensionReason::TechnicalFailure,
            cause_id: FAILURE,
            stage: ExtensionStage::Hold,
            extended: 1,
        }),
        extended(
            ExtensionStage::Final,
            Rule::H4TimeSpent,
            "2025-04-15 13:00",
            "2025-04-15 14:00",
        ),
    ]
}

fn all_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
    let mut schemas = F::current_schemas();
    schemas.extend(F::historical_schemas());
    schemas.extend(W::current_schemas());
    schemas.extend(W::historical_schemas());
    schemas
}

#[test]
fn every_failure_and_window_event_type_has_its_generated_schema() {
    let schemas = all_schemas();
    for (event_type, version, text) in crate::schema_files::sync(&schemas) {
        assert!(
            !text.contains("\"number\""),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

fn read_fixture(event_type: &str, version: u32) -> Value {
    let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn samples_cover_every_failure_and_window_event_type_and_update_fixtures_on_request() {
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    let (failures, windows) = (failure_samples(), window_samples());
    let stored = failures
        .iter()
        .map(F::to_stored)
        .chain(windows.iter().map(W::to_stored));
    for (event_type, version, payload) in stored {
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = F::TYPES
        .iter()
        .chain(W::TYPES)
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

/// The fixtures replay into an eliminated failure (the refutation, another request's, is
/// folded last and shown so) and an announced window.
#[test]
fn every_failure_and_window_fixture_decodes_re_encodes_and_replays() {
    let mut failure = TechnicalFailure::initial();
    for (event_type, version) in F::TYPES {
        let fixture = read_fixture(event_type, *version);
        let event = F::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"], "{event_type}");
        failure.evolve(&event);
    }
    assert_eq!(failure.status(), Some(FailureStatus::Eliminated));
    assert_eq!(failure.force_majeure.map(|f| f.days), Some(3));
    let mut window = MaintenanceWindow::initial();
    for (event_type, version) in W::TYPES {
        let fixture = read_fixture(event_type, *version);
        let event = W::from_stored(event_type, *version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
        window.evolve(&event);
    }
    assert!(window.announced.is_some());
}
