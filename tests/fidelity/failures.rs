//! Technical failures over HTTP (spec 001-004 §4.1, §4.2 H2/H4, §8.1; decisions 0870–0874): the
//! operator reports, registers, confirms a high failure during acceptance and records its
//! elimination; the failure workflow, as `zakup serve` runs it, moves the acceptance end of every
//! open tender that coincides with it by the time spent; the as-of replay shows the old end before
//! the move and the new one after.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::calendar::Calendar;
use zakup_engine::{Engine, FailureRunner};

use crate::e2e::tender::{accepting, cast, published};
use crate::e2e::{App, astana, operator, spawn_app, system};

const FAILURE: &str = "query($f: UUID!) { technicalFailure(id: $f) { status incidentId level
    failureType startedAt eliminatedAt registrationDue analysisDue noticeDue } }";

async fn acceptance_end(app: &App, id: Uuid, as_of: Option<DateTime<Utc>>) -> DateTime<Utc> {
    let as_of = as_of.map(|at| json!({ "instant": at }));
    let c = cast();
    let d = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) { acceptanceEnd } }",
            json!({"a": id, "asOf": as_of}),
        )
        .await;
    d["announcement"]["acceptanceEnd"]
        .as_str()
        .unwrap_or_else(|| panic!("no acceptance end: {d}"))
        .parse()
        .expect("an instant")
}

/// Ticks the workflow until it has applied `steps` steps (the global log shows a commit shortly
/// after it happens, so a tick may come too early to see the failure's last event).
async fn applied(runner: &FailureRunner, steps: usize) {
    let mut done = 0;
    for _ in 0..500 {
        let applied = runner.tick().await.expect("failure runner");
        assert!(applied.iter().all(|a| a.result.is_ok()), "{applied:?}");
        done += applied.len();
        if done >= steps {
            assert_eq!(done, steps);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the failure workflow applied {done} of {steps} steps");
}

async fn operator_command(app: &App, call: &str, variables: Value) {
    app.command(&operator(), call, variables).await;
}

/// The end-to-end test: a high failure confirmed during acceptance moves the acceptance
/// end of both open tenders by the elimination time (H4: + the time spent, from the failure's
/// start, §8.1), and the replay as of each instant shows the end in force then.
#[tokio::test]
async fn a_high_failure_during_acceptance_moves_every_acceptance_end_and_replays() {
    let calendar = Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let tenders = [Uuid::new_v4(), Uuid::new_v4()];
    for (k, id) in tenders.iter().enumerate() {
        published(&app, &c, *id, &[&format!("PI-F{k}")]).await;
        accepting(&app, &c, *id).await;
    }
    let mut ends = Vec::new();
    for id in tenders {
        ends.push(acceptance_end(&app, id, None).await);
    }
    let engine = Engine::new(
        app.store.clone(),
        Arc::new(app.clock.clone()),
        app.calendar.clone(),
    );
    let runner = FailureRunner::new(engine, system().actor());

    let started = app.now();
    let failure = Uuid::new_v4();
    app.clock.set(started + Duration::minutes(10));
    operator_command(&app, "($c: UUID!, $f: UUID!, $d: DateTime!) { reportTechnicalFailure(commandId: $c, failureId: $f, channel: MONITORING, description: \"Модуль приема заявок недоступен\", detectedAt: $d) { version } }",
        json!({"f": failure, "d": started})).await;
    operator_command(&app, "($c: UUID!, $f: UUID!) { registerTechnicalFailure(commandId: $c, failureId: $f) { version } }",
        json!({"f": failure})).await;
    app.clock.set(started + Duration::minutes(30));
    operator_command(&app, "($c: UUID!, $f: UUID!, $s: DateTime!, $p: DateTime!) { confirmTechnicalFailure(commandId: $c, failureId: $f, level: HIGH, cause: COMPUTER_ATTACK, module: \"Прием заявок\", startedAt: $s, plannedElimination: $p) { version } }",
        json!({"f": failure, "s": started, "p": started + Duration::hours(3)})).await;
    // The hold (§8.1) moves nothing: both ends lie after the planned elimination.
    applied(&runner, 2).await;
    app.clock.set(started + Duration::hours(2));
    operator_command(&app, "($c: UUID!, $f: UUID!, $e: DateTime!) { eliminateTechnicalFailure(commandId: $c, failureId: $f, eliminatedAt: $e, causes: \"DDoS\") { version } }",
        json!({"f": failure, "e": started + Duration::hours(2)})).await;
    applied(&runner, 2).await;

    for (id, end) in tenders.into_iter().zip(&ends) {
        assert_eq!(
            acceptance_end(&app, id, None).await,
            *end + Duration::hours(2)
        );
        let before = started + Duration::hours(1);
        assert_eq!(acceptance_end(&app, id, Some(before)).await, *end);
        let after = started + Duration::hours(2);
        assert_eq!(
            acceptance_end(&app, id, Some(after)).await,
            *end + Duration::hours(2)
        );
    }
    assert!(applied_nothing(&runner).await);

    let record = app
        .ok(Some(&operator()), FAILURE, json!({"f": failure}))
        .await;
    let record = &record["technicalFailure"];
    assert_eq!(record["status"], "ELIMINATED");
    assert_eq!(record["level"], "HIGH");
    assert_eq!(record["failureType"], "OPERATOR_INDEPENDENT");
    assert!(
        record["incidentId"]
            .as_str()
            .is_some_and(|i| i.starts_with("INC-"))
    );
    // The Journal is the operator's.
    assert_eq!(
        app.refused(Some(&c.suppliers[0]), FAILURE, json!({"f": failure}))
            .await,
        "forbidden_role"
    );
}

async fn applied_nothing(runner: &FailureRunner) -> bool {
    runner.tick().await.expect("failure runner").is_empty()
}

/// S15 (004 L312, L760): a window announced less than 2 calendar days ahead is refused over
/// HTTP with its code.
#[tokio::test]
async fn a_maintenance_window_announced_too_late_is_refused() {
    let calendar = Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2025-04-18 12:00")).await;
    let call = "mutation($c: UUID!, $w: UUID!, $s: DateTime!, $e: DateTime!) { announceMaintenanceWindow(commandId: $c, windowId: $w, kind: PLANNED, startsAt: $s, endsAt: $e, description: \"Обновление СУБД\", authorizedBodyAgreement: \"Письмо УО № 1\") { version } }";
    let variables = json!({"c": Uuid::new_v4(), "w": Uuid::new_v4(),
        "s": astana(&calendar, "2025-04-19 00:00"), "e": astana(&calendar, "2025-04-19 06:00")});
    assert_eq!(
        app.refused(Some(&operator()), call, variables).await,
        "maintenance_notice_too_short"
    );
}
