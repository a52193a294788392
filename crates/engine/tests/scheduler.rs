//! The deadline scheduler (issue "announcement aggregate" §6): explicit timed events when a
//! deadline passes, never before, with an injected clock that the test moves.

#[path = "../../domain/tests/announcement_world.rs"]
mod world;

use std::sync::Arc;

use chrono::Duration;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{Announcement, TimedTransition};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand};
use zakup_domain::status::AnnouncementStatus;
use zakup_engine::{CommandMeta, Engine, ManualClock, Scheduler, system_actor};
use zakup_store::{EventStore, ExpectedVersion, MemoryStore, Metadata, NewEvent, StreamRange};

/// A published open tender (spec 000-A §4.2.1), its events stored as the engine would have.
async fn published(store: &Arc<MemoryStore>) -> world::World {
    let mut w = world::World::new();
    w.published_ok(1);
    // The lot's plan item, requested by the customer and reserved for this announcement.
    let engine = Engine::new(
        store.clone(),
        Arc::new(ManualClock::at(w.now)),
        world::calendar(),
    );
    let meta = |actor| CommandMeta {
        command_id: uuid::Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    };
    let request = PlanItemCommand::RequestProcurement {
        plan_item_id: world::plan_item(1),
        organizer_bin: world::organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Лот 1".into(),
        amount: Money::from_tenge(1_000_000),
    };
    engine
        .plan_item(&world::plan_item(1), &meta(world::customer()), request)
        .await
        .unwrap();
    let reserve = PlanItemCommand::Reserve {
        announcement_id: w.id,
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        customer_bin: world::customer_bin(),
        amount: Money::from_tenge(1_000_000),
    };
    engine
        .plan_item(&world::plan_item(1), &meta(world::organizer()), reserve)
        .await
        .unwrap();
    let stream = Engine::stream::<Announcement>(&w.id.to_string()).unwrap();
    let command_id = uuid::Uuid::new_v4();
    let metadata = Metadata {
        command_id,
        correlation_id: command_id,
        causation_id: None,
        actor: zakup_engine::store_actor(&world::organizer()),
        occurred_at: w.now,
    };
    let events = w
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (event_type, schema_version, payload) = e.to_stored();
            NewEvent {
                event_id: NewEvent::id_for(command_id, &stream, i),
                event_type: event_type.to_owned(),
                schema_version,
                payload,
                metadata: metadata.clone(),
            }
        })
        .collect();
    store
        .append(&stream, ExpectedVersion::NoStream, events)
        .await
        .unwrap();
    w
}

fn scheduler(store: Arc<MemoryStore>, clock: &ManualClock) -> Scheduler {
    let engine = Engine::new(store, Arc::new(clock.clone()), world::calendar());
    Scheduler::new(engine, system_actor(world::bin(90), world::iin(90)))
}

async fn status(store: &Arc<MemoryStore>, w: &world::World) -> AnnouncementStatus {
    let engine = Engine::new(
        store.clone(),
        Arc::new(ManualClock::at(w.now)),
        world::calendar(),
    );
    let loaded = engine
        .load::<Announcement>(&w.id.to_string(), StreamRange::all())
        .await
        .unwrap();
    loaded.state.status.unwrap()
}

/// Spec 000-A §5 (L1580–1584, L1902–1904): the discussion ends after 5 working days and
/// acceptance starts at its date — fired by the scheduler only once the clock has passed them.
#[tokio::test]
async fn deadlines_fire_when_the_clock_passes_them_and_not_before() {
    let store = Arc::new(MemoryStore::new());
    let w = published(&store).await;
    let clock = ManualClock::at(w.now);
    let s = scheduler(store.clone(), &clock);

    assert!(
        s.tick().await.unwrap().is_empty(),
        "nothing is due at publication"
    );
    let due = w.state().deadlines();
    assert_eq!(due[0].transition, TimedTransition::EndDiscussion);

    clock.set(due[0].at - Duration::minutes(1));
    assert!(
        s.tick().await.unwrap().is_empty(),
        "a minute early: nothing fires"
    );

    clock.set(due[0].at);
    let fired = s.tick().await.unwrap();
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0].transition, TimedTransition::EndDiscussion);
    assert!(fired[0].result.is_ok(), "{:?}", fired[0].result);

    // Far in the future every remaining deadline fires, one tick after another.
    clock.advance(Duration::days(60));
    let mut transitions = Vec::new();
    for _ in 0..5 {
        for f in s.tick().await.unwrap() {
            if let Err(e) = &f.result {
                eprintln!("{:?}: {e}", f.transition);
            }
            transitions.push((f.transition, f.result.is_ok()));
        }
    }
    assert!(
        transitions.contains(&(TimedTransition::StartAcceptance, true)),
        "{transitions:?}"
    );
    assert!(
        transitions.contains(&(TimedTransition::EndAcceptance, true)),
        "{transitions:?}"
    );
    assert_ne!(status(&store, &w).await, AnnouncementStatus::Published);
    // No application came: the procurement failed and its plan item is back in the pool
    // (L3167, decision 0201).
    let engine = Engine::new(store.clone(), Arc::new(clock.clone()), world::calendar());
    let item = engine
        .load::<PlanItem>(&world::plan_item(1).0, StreamRange::all())
        .await
        .unwrap();
    assert!(item.state.holder.is_none() && item.state.last_failure.is_some());
}

/// Two schedulers running at once fire each deadline once: their command ids derive from the
/// announcement, the transition and its instant.
#[tokio::test]
async fn two_schedulers_fire_a_deadline_once() {
    let store = Arc::new(MemoryStore::new());
    let w = published(&store).await;
    let clock = ManualClock::at(w.state().deadlines()[0].at);
    let (a, b) = (
        scheduler(store.clone(), &clock),
        scheduler(store.clone(), &clock),
    );
    let (fa, fb) = tokio::join!(a.tick(), b.tick());
    assert_eq!((fa.unwrap().len(), fb.unwrap().len()), (1, 1));
    let stream = Engine::stream::<Announcement>(&w.id.to_string()).unwrap();
    let events = store
        .read_stream(&stream, StreamRange::all())
        .await
        .unwrap();
    let ended = events
        .iter()
        .filter(|e| e.event_type == "DiscussionEnded")
        .count();
    assert_eq!(ended, 1);
}
