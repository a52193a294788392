//! The automatic single source's workflow on PostgreSQL (spec 000-C A1–A2; docs/decisions/0724):
//! a ЗЦП whose lot failed with one application is followed by a published ИОИ on its own stream,
//! its plan item reserved for it, recorded on the ЗЦП; an engine that dies between the two
//! streams leaves a step that a restarted runner completes, with no second ИОИ.

use crate::support;

use std::sync::Arc;

use support::world::*;
use support::*;
use uuid::Uuid;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C, TimedTransition};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand};
use zakup_domain::status::AnnouncementStatus;
use zakup_engine::{
    Engine, EngineError, Halt, ManualClock, ProcessStep, SingleSourceRunner, single_source_id,
};
use zakup_store::{SharedStore, StreamRange};

/// A ЗЦП of one lot that supplier 1 alone applied to, completed with the lot failed and its plan
/// item «Закупка не состоялась», as the engine leaves it.
async fn failed_request(store: &SharedStore) -> (Uuid, ManualClock) {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.fire(TimedTransition::EndAcceptance);
    let clock = ManualClock::at(w.now);
    let engine = engine_on(store, &clock);
    requested(&engine, 1).await;
    let reserve = PlanItemCommand::Reserve {
        announcement_id: w.id,
        lot_number: "L-1".into(),
        method: Method::PriceQuotations,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    };
    let failed = PlanItemCommand::MarkProcurementFailed {
        announcement_id: w.id,
        article6_rejected_bins: Vec::new(),
    };
    for command in [reserve, failed] {
        engine
            .plan_item(&plan_item(1), &meta(&organizer()), command)
            .await
            .unwrap();
    }
    written(
        store,
        w.id,
        zakup_store::ExpectedVersion::NoStream,
        &w.events,
        w.now,
    )
    .await;
    (w.id, clock)
}

fn runner(engine: &Engine) -> SingleSourceRunner {
    SingleSourceRunner::new(engine.clone(), system())
}

async fn announcement(engine: &Engine, id: Uuid) -> (Announcement, Vec<String>) {
    let loaded = engine
        .load::<Announcement>(&id.to_string(), StreamRange::all())
        .await
        .unwrap();
    let stream = Engine::stream::<Announcement>(&id.to_string()).unwrap();
    let types = engine
        .store()
        .read_stream(&stream, StreamRange::all())
        .await
        .unwrap()
        .iter()
        .map(|e| e.event_type.clone())
        .collect();
    (loaded.state, types)
}

async fn holder(engine: &Engine) -> Option<Uuid> {
    let item = engine
        .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
        .await
        .unwrap()
        .state;
    item.holder.map(|h| h.announcement_id)
}

// S1 (L6868–6952): the runner creates and publishes the ИОИ, reserves its plan item, records it
// on the ЗЦП, and has nothing left to do after.
#[tokio::test]
async fn the_runner_follows_a_request_failed_with_one_application() {
    let store = postgres().await;
    let (zcp, clock) = failed_request(&store).await;
    let engine = engine_on(&store, &clock);
    readable(&store).await;
    let started = runner(&engine).tick().await.unwrap();
    let ioi = single_source_id(zcp, &supplier(1).org);
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].result.as_ref().ok(), Some(&ioi));
    let (state, _) = announcement(&engine, ioi).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Published));
    assert_eq!(state.method(), Some(Method::SingleSource));
    assert_eq!(holder(&engine).await, Some(ioi));
    let (source, _) = announcement(&engine, zcp).await;
    assert_eq!(source.single_sources.get(&supplier(1).org), Some(&ioi));
    readable(&store).await;
    assert!(runner(&engine).tick().await.unwrap().is_empty());
}

// Decision 0724: an engine that dies after creating the ИОИ, before the ЗЦП records it, leaves a
// step that a restarted runner completes; the ИОИ is not created twice.
#[tokio::test]
async fn a_crash_between_the_streams_is_completed_on_restart() {
    let store = postgres().await;
    let (zcp, clock) = failed_request(&store).await;
    let halt: Halt = Arc::new(|step| step == ProcessStep::SingleSourceCreated);
    let dying = engine_on(&store, &clock).halting(halt);
    readable(&store).await;
    let started = runner(&dying).tick().await.unwrap();
    assert!(
        matches!(started[0].result, Err(EngineError::Store(_))),
        "{started:?}"
    );
    let ioi = single_source_id(zcp, &supplier(1).org);
    let (source, _) = announcement(&dying, zcp).await;
    assert!(source.single_sources.is_empty(), "not yet recorded");
    // A new engine on the same database: the runner finds the step left and completes it.
    let restarted = engine_on(&store, &clock);
    readable(&store).await;
    let started = runner(&restarted).tick().await.unwrap();
    assert_eq!(started[0].result.as_ref().ok(), Some(&ioi));
    let (state, types) = announcement(&restarted, ioi).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Published));
    let created = types.iter().filter(|t| *t == "SingleSourceCreated").count();
    assert_eq!(created, 1, "one ИОИ: {types:?}");
    let (source, _) = announcement(&restarted, zcp).await;
    assert_eq!(source.single_sources.get(&supplier(1).org), Some(&ioi));
    assert_eq!(holder(&restarted).await, Some(ioi));
}
