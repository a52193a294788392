//! The failure workflow on PostgreSQL (spec 001-004 §4.2, §4.4; decision 0873): a confirmed
//! failure's measures reach the announcements it affects, each on the announcement's own stream
//! with the failure's id; a medium failure touches only the procurements it names, a high one
//! every procedure that coincides with it; a maintenance window shifts the deadlines inside it.
//! Every step is done once, whoever ticks and however often.

use crate::support;

use chrono::{DateTime, TimeDelta, Utc};
use support::world::*;
use support::*;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::Announcement;
use zakup_domain::maintenance_window::{
    MaintenanceKind, MaintenanceWindow, MaintenanceWindowCommand,
};
use zakup_domain::technical_failure::{
    Cause, Channel, Level, TechnicalFailure, TechnicalFailureCommand as F,
};
use zakup_engine::{Engine, FailureRunner, ManualClock};
use zakup_store::{ExpectedVersion, SharedStore, StreamRange};

fn operator() -> Actor {
    Actor {
        user_id: "operator".into(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Operator],
    }
}

fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// Two open tenders accepting applications, both ending at the returned instant.
async fn two_accepting(store: &SharedStore) -> ([Uuid; 2], DateTime<Utc>) {
    let mut ids = [Uuid::nil(); 2];
    let mut end = None;
    for (n, id) in ids.iter_mut().enumerate() {
        let mut w = World::new();
        w.id = Uuid::from_u128(0xf000 + n as u128);
        w.accepting_ok(1);
        end = w.state().acceptance.map(|a| a.end);
        written(store, w.id, ExpectedVersion::NoStream, &w.events, w.now).await;
        *id = w.id;
    }
    (ids, end.unwrap())
}

async fn acceptance_end(engine: &Engine, id: Uuid) -> DateTime<Utc> {
    let loaded = engine
        .load::<Announcement>(&id.to_string(), StreamRange::all())
        .await
        .unwrap();
    loaded.state.acceptance.unwrap().end
}

async fn failure(engine: &Engine, id: Uuid, command: F) {
    engine
        .execute::<TechnicalFailure>(&id.to_string(), &meta(&operator()), command)
        .await
        .unwrap();
}

/// Reported and registered, then confirmed at `level` from `start`, planned until `planned`.
async fn confirmed(
    engine: &Engine,
    id: Uuid,
    level: Level,
    start: DateTime<Utc>,
    planned: DateTime<Utc>,
    named: Vec<Uuid>,
) {
    let report = F::Report {
        failure_id: id,
        channel: Channel::Monitoring,
        description: "Модуль приема заявок недоступен".into(),
        detected_at: start,
    };
    failure(engine, id, report).await;
    failure(engine, id, F::Register).await;
    let confirm = F::Confirm {
        level,
        cause: Cause::ComputerAttack,
        module: "Прием заявок".into(),
        started_at: start,
        planned_elimination: planned,
        decryption_impossible: false,
        affected_announcements: named,
    };
    failure(engine, id, confirm).await;
}

async fn eliminated(engine: &Engine, id: Uuid, at: DateTime<Utc>) {
    let eliminate = F::Eliminate {
        eliminated_at: at,
        causes: "DDoS".into(),
        recommendations: String::new(),
    };
    failure(engine, id, eliminate).await;
}

async fn tick(runner: &FailureRunner, store: &SharedStore) -> usize {
    readable(store).await;
    let applied = runner.tick().await.unwrap();
    assert!(applied.iter().all(|a| a.result.is_ok()), "{applied:?}");
    applied.len()
}

/// M3 (004 L604, §8.1): a medium failure naming the first tender holds its acceptance open
/// until the planned elimination, then extends it by the time spent; the second tender, not
/// named, keeps its end. Nothing is applied twice.
#[tokio::test]
async fn a_medium_failure_moves_only_the_procurements_it_names() {
    let store = postgres().await;
    let ([named, other], end) = two_accepting(&store).await;
    let clock = ManualClock::at(end - minutes(90));
    let engine = engine_on(&store, &clock);
    let runner = FailureRunner::new(engine.clone(), system());
    let id = Uuid::from_u128(0xfa11);
    let (start, planned) = (end - minutes(120), end + minutes(60));
    confirmed(&engine, id, Level::Medium, start, planned, vec![named]).await;
    assert_eq!(tick(&runner, &store).await, 1);
    assert_eq!(acceptance_end(&engine, named).await, planned);
    assert_eq!(tick(&runner, &store).await, 0);

    clock.set(end - minutes(30));
    eliminated(&engine, id, end - minutes(30)).await;
    assert_eq!(tick(&runner, &store).await, 1);
    assert_eq!(acceptance_end(&engine, named).await, end + minutes(90));
    assert_eq!(acceptance_end(&engine, other).await, end);
    // A restarted runner finds nothing left.
    let restarted = FailureRunner::new(engine_on(&store, &clock), system());
    assert_eq!(tick(&restarted, &store).await, 0);
}

/// H2/H4 (004 L721, L724): a high failure moves every procedure it coincides with by the time
/// spent, each `DeadlineExtended` carrying the failure's id.
#[tokio::test]
async fn a_high_failure_moves_every_coinciding_procedure() {
    let store = postgres().await;
    let (ids, end) = two_accepting(&store).await;
    let clock = ManualClock::at(end - minutes(30));
    let engine = engine_on(&store, &clock);
    let runner = FailureRunner::new(engine.clone(), system());
    let id = Uuid::from_u128(0xfa12);
    confirmed(
        &engine,
        id,
        Level::High,
        end - minutes(60),
        end + minutes(30),
        vec![],
    )
    .await;
    assert_eq!(tick(&runner, &store).await, 2);
    clock.set(end + minutes(20));
    eliminated(&engine, id, end + minutes(20)).await;
    assert_eq!(tick(&runner, &store).await, 2);
    for announcement in ids {
        assert_eq!(
            acceptance_end(&engine, announcement).await,
            end + minutes(80)
        );
        let stream = Engine::stream::<Announcement>(&announcement.to_string()).unwrap();
        let extended: Vec<_> = store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.event_type == "DeadlineExtended")
            .collect();
        assert_eq!(extended.len(), 2);
        assert!(
            extended
                .iter()
                .all(|e| e.payload["cause_id"] == id.to_string())
        );
    }
    assert_eq!(tick(&runner, &store).await, 0);
}

/// W4 (004 L760, §8.4): a window announced 2 days ahead over the acceptance end shifts it.
#[tokio::test]
async fn a_maintenance_window_shifts_the_deadlines_inside_it() {
    let store = postgres().await;
    let ([first, second], end) = two_accepting(&store).await;
    let clock = ManualClock::at(end - TimeDelta::days(3));
    let engine = engine_on(&store, &clock);
    let window = Uuid::from_u128(0x3a1);
    let announce = MaintenanceWindowCommand::Announce {
        window_id: window,
        kind: MaintenanceKind::Planned,
        starts_at: end - minutes(60),
        ends_at: end + minutes(120),
        description: "Обновление СУБД".into(),
        authorized_body_agreement: "Письмо УО № 1".into(),
    };
    engine
        .execute::<MaintenanceWindow>(&window.to_string(), &meta(&operator()), announce)
        .await
        .unwrap();
    let runner = FailureRunner::new(engine.clone(), system());
    assert_eq!(tick(&runner, &store).await, 2);
    assert_eq!(acceptance_end(&engine, first).await, end + minutes(180));
    assert_eq!(acceptance_end(&engine, second).await, end + minutes(180));
    assert_eq!(tick(&runner, &store).await, 0);
}
