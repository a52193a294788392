//! The guarantees' workflow on PostgreSQL (docs/decisions/0853): a completed procedure returns
//! the application security of a supplier who did not win, a cancellation returns those on the
//! cancelled lot, a winner's evasion holds its own; an engine that dies after writing a request
//! leaves nothing that a restarted runner asks twice.

use crate::support;

use std::sync::Arc;

use chrono::NaiveDate;
use support::world::*;
use support::*;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::guarantee::{
    Guarantee, GuaranteeCommand as G, GuaranteeKind, GuaranteeStatus as St, GuaranteedLot,
    RequestCause, RequestKind,
};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::money::Money;
use zakup_domain::protocol::ProtocolKind;
use zakup_engine::{Engine, GuaranteeRunner, Halt, ProcessStep};
use zakup_store::{ExpectedVersion, StreamRange};

fn bank() -> Actor {
    Actor {
        user_id: "bank".into(),
        iin: iin(40),
        org: bin(40),
        roles: vec![Role::Bank],
    }
}

/// The bank issues supplier `n`'s application security on `lots` of the world's announcement.
async fn issued(engine: &Engine, w: &World, n: u32, lots: &[u32]) -> Uuid {
    let id = Uuid::new_v4();
    let issue = G::Issue {
        guarantee_id: id,
        number: format!("ЭБГ-{n}"),
        kind: GuaranteeKind::ApplicationSecurity,
        bank_name: "АО «Банк»".into(),
        supplier_bin: supplier(n).org,
        customer_bin: customer_bin(),
        organizer_bin: organizer_bin(),
        amount: Money::from_tenge(90_000),
        issued_on: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        announcement_id: w.id,
        announcement_number: "A-1".into(),
        lots: lots
            .iter()
            .map(|l| GuaranteedLot {
                plan_item_id: plan_item(*l),
                lot_number: format!("A-1-{l}"),
            })
            .collect(),
        contract_number: None,
    };
    engine
        .execute::<Guarantee>(&id.to_string(), &meta(&bank()), issue)
        .await
        .unwrap();
    id
}

async fn guarantee(engine: &Engine, id: Uuid) -> (Guarantee, Vec<String>) {
    let loaded = engine
        .load::<Guarantee>(&id.to_string(), StreamRange::all())
        .await
        .unwrap();
    let types = loaded.events.iter().map(|e| e.event_type.clone()).collect();
    (loaded.state, types)
}

fn runner(engine: &Engine) -> GuaranteeRunner {
    GuaranteeRunner::new(engine.clone(), system())
}

/// Supplier 1 alone applied to both lots and won them; the results are published.
fn completed_tender() -> World {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w
}

// Decision 0853: the completed procedure returns supplier 2's security (it won nothing) and
// keeps the winner's; the customer records the winner's evasion on lot 1 and the runner asks a
// hold of lot 1. A runner that dies after the write asks nothing again after a restart; the
// bank confirms, and only lot 1 is held.
#[tokio::test]
async fn the_outcomes_ask_the_bank_and_a_restart_asks_nothing_twice() {
    let store = postgres().await;
    let mut w = completed_tender();
    let completed = w.events.len();
    w.run(
        &customer(),
        C::RecordContractEvasion {
            plan_item_id: plan_item(1),
            grounds: "Не подписал договор".into(),
        },
    );
    let evasion = w.events.split_off(completed);
    written(&store, w.id, ExpectedVersion::NoStream, &w.events, w.now).await;
    let clock = zakup_engine::ManualClock::at(w.now);
    let engine = engine_on(&store, &clock);
    let winner = issued(&engine, &w, 1, &[1, 2]).await;
    let loser = issued(&engine, &w, 2, &[1]).await;
    readable(&store).await;
    let requested = runner(&engine).tick().await.unwrap();
    assert_eq!(requested.len(), 1, "{requested:?}");
    assert_eq!(requested[0].guarantee_id, loser);
    assert!(requested[0].result.is_ok());
    let (state, _) = guarantee(&engine, loser).await;
    assert_eq!(state.status(), Some(St::ReturnPendingBank));
    assert_eq!(
        state.pending().unwrap().cause,
        RequestCause::ProcedureCompleted
    );
    assert_eq!(
        guarantee(&engine, winner).await.0.status(),
        Some(St::Active)
    );

    let version = ExpectedVersion::Exact(completed as u64 - 1);
    written(&store, w.id, version, &evasion, w.now).await;
    let halt: Halt = Arc::new(|step| step == ProcessStep::GuaranteeRequested);
    let dying = engine_on(&store, &clock).halting(halt);
    readable(&store).await;
    let requested = runner(&dying).tick().await.unwrap();
    assert_eq!(requested.len(), 1, "{requested:?}");
    assert!(requested[0].result.is_err(), "halted after the write");

    let restarted = engine_on(&store, &clock);
    readable(&store).await;
    assert!(runner(&restarted).tick().await.unwrap().is_empty());
    let (state, types) = guarantee(&restarted, winner).await;
    assert_eq!(state.status(), Some(St::HoldPendingBank));
    let pending = state.pending().unwrap();
    assert_eq!(pending.cause, RequestCause::WinnerEvadedContract);
    assert_eq!(pending.plan_item_ids, [plan_item(1)]);
    let forms = types
        .iter()
        .filter(|t| *t == "GuaranteeRequestFormGenerated")
        .count();
    assert_eq!(forms, 1, "{types:?}");

    let confirm = G::Confirm {
        request: RequestKind::Hold,
    };
    restarted
        .execute::<Guarantee>(&winner.to_string(), &meta(&bank()), confirm)
        .await
        .unwrap();
    readable(&store).await;
    assert!(runner(&restarted).tick().await.unwrap().is_empty());
    let (state, _) = guarantee(&restarted, winner).await;
    assert_eq!(state.status(), Some(St::Active), "lot 2 is still secured");
    assert_eq!(state.active_lots().collect::<Vec<_>>(), [&plan_item(2)]);
}

// Decision 0853: a lot cancelled during acceptance returns the securities on it at once; the
// lot still competed for keeps its own.
#[tokio::test]
async fn a_cancelled_lot_returns_the_securities_on_it() {
    let store = postgres().await;
    let mut w = World::new();
    w.accepting_ok(2);
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    written(&store, w.id, ExpectedVersion::NoStream, &w.events, w.now).await;
    let clock = zakup_engine::ManualClock::at(w.now);
    let engine = engine_on(&store, &clock);
    let both = issued(&engine, &w, 1, &[1, 2]).await;
    let other = issued(&engine, &w, 2, &[2]).await;
    readable(&store).await;
    let requested = runner(&engine).tick().await.unwrap();
    assert_eq!(requested.len(), 1, "{requested:?}");
    let (state, _) = guarantee(&engine, both).await;
    let pending = state.pending().unwrap();
    assert_eq!(pending.request, RequestKind::Return);
    assert_eq!(pending.cause, RequestCause::Cancelled);
    assert_eq!(pending.plan_item_ids, [plan_item(1)]);
    assert_eq!(guarantee(&engine, other).await.0.status(), Some(St::Active));
}
