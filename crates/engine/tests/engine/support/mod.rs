//! Shared by the lot-pool tests on PostgreSQL (`lot_pool_crashes.rs`, `lot_pool_orphans.rs`):
//! a fresh database, announcements and plan items set up as the engine (or an older engine that
//! died half-way) would have left them, and a wait for PostgreSQL's gap-free log.
#![allow(dead_code)]

#[path = "../../../../domain/tests/domain/announcement_world.rs"]
pub mod world;

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;
use world::*;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{
    Announcement, AnnouncementCommand as C, AnnouncementEvent, TimedTransition,
};
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId};
use zakup_domain::protocol::ProtocolKind;
use zakup_engine::{CommandMeta, Engine, ManualClock, store_actor};
use zakup_store::{ExpectedVersion, Filter, Metadata, NewEvent, SharedStore, StreamId};

pub fn meta(actor: &Actor) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor: actor.clone(),
        unread_notices: Default::default(),
    }
}

/// What a scenario's command touches, and the clock it runs at.
pub struct Scenario {
    pub announcement: Uuid,
    pub items: Vec<PlanItemId>,
    pub clock: ManualClock,
}

pub fn engine_on(store: &SharedStore, clock: &ManualClock) -> Engine {
    Engine::new(store.clone(), Arc::new(clock.clone()), calendar())
}

pub async fn postgres() -> SharedStore {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&db.url)
        .await
        .unwrap();
    zakup_store_pg::PgStore::connect(pool).await.unwrap()
}

/// Waits until the global log is readable past everything written so far. PostgreSQL's log
/// shows a commit only once every older transaction of the cluster has ended (gap-free reading),
/// and the cluster is shared by concurrent tests: a marker appended now becomes readable after
/// every earlier write.
pub async fn readable(store: &SharedStore) {
    let marker = StreamId::new("marker", Uuid::new_v4().to_string()).unwrap();
    let command_id = Uuid::new_v4();
    let event = NewEvent {
        event_id: NewEvent::id_for(command_id, &marker, 0),
        event_type: "Marker".into(),
        schema_version: 1,
        payload: serde_json::json!({}),
        metadata: Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: store_actor(&organizer()),
            occurred_at: World::new().now,
            sandbox: false,
        },
    };
    let at = store
        .append(&marker, ExpectedVersion::NoStream, vec![event])
        .await
        .unwrap()
        .position;
    let filter = Filter::categories(["marker"]);
    while !store
        .read_all(None, &filter, 1000)
        .await
        .unwrap()
        .iter()
        .any(|e| e.position == at)
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

pub async fn requested(engine: &Engine, n: u32) {
    let request = PlanItemCommand::RequestProcurement {
        plan_item_id: plan_item(n),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: format!("Лот {n}"),
        amount: Money::from_tenge(10_000_000),
    };
    engine
        .plan_item(&plan_item(n), &meta(&customer()), request)
        .await
        .unwrap();
}

/// A draft open tender with the plan items `lots` requested, and those of `added` in it.
pub async fn drafted(store: &SharedStore, lots: u32, added: u32) -> Scenario {
    let clock = ManualClock::at(World::new().now);
    let engine = engine_on(store, &clock);
    for n in 1..=lots {
        requested(&engine, n).await;
    }
    let id = Uuid::new_v4();
    let create = C::CreateDraft {
        announcement_id: id,
        number: format!("{}-1", id.as_u128() % 100_000_000),
        header: header(Method::OpenTender, SubjectType::Goods),
    };
    engine
        .announcement(id, &meta(&organizer()), create)
        .await
        .unwrap();
    if added > 0 {
        let add = C::AddLots {
            lots: (1..=added).map(lot_source).collect(),
        };
        engine
            .announcement(id, &meta(&organizer()), add)
            .await
            .unwrap();
    }
    Scenario {
        announcement: id,
        items: (1..=lots).map(plan_item).collect(),
        clock,
    }
}

/// Appends `events` to the announcement's stream as one command would, with no engine: what an
/// engine that died before its follow-ups left behind.
pub async fn written(
    store: &SharedStore,
    announcement: Uuid,
    expected: ExpectedVersion,
    events: &[AnnouncementEvent],
    at: chrono::DateTime<chrono::Utc>,
) {
    let stream = Engine::stream::<Announcement>(&announcement.to_string()).unwrap();
    let command_id = Uuid::new_v4();
    let metadata = Metadata {
        command_id,
        correlation_id: command_id,
        causation_id: None,
        actor: store_actor(&organizer()),
        occurred_at: at,
        sandbox: false,
    };
    let batch = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (event_type, schema_version, payload) = e.to_stored();
            NewEvent {
                event_id: NewEvent::id_for(command_id, &stream, i),
                event_type: event_type.into(),
                schema_version,
                payload,
                metadata: metadata.clone(),
            }
        })
        .collect();
    store.append(&stream, expected, batch).await.unwrap();
}

/// The world's announcement, its `lots` plan items requested and reserved, its events stored as
/// the engine would have.
pub async fn stored(store: &SharedStore, w: &World, lots: u32) -> Scenario {
    let clock = ManualClock::at(w.now);
    let engine = engine_on(store, &clock);
    for n in 1..=lots {
        requested(&engine, n).await;
        let reserve = PlanItemCommand::Reserve {
            announcement_id: w.id,
            lot_number: format!("L-{n}"),
            method: Method::OpenTender,
            procurement_type: ProcurementType::First,
            customer_bin: customer_bin(),
            amount: Money::from_tenge(10_000_000),
        };
        engine
            .plan_item(&plan_item(n), &meta(&organizer()), reserve)
            .await
            .unwrap();
    }
    written(store, w.id, ExpectedVersion::NoStream, &w.events, w.now).await;
    Scenario {
        announcement: w.id,
        items: (1..=lots).map(plan_item).collect(),
        clock,
    }
}

/// An open tender whose discussion decided to amend the documentation, its protocol signed but
/// not yet published (spec 000-A §4.2.2–§4.2.3).
pub fn discussion_signed() -> World {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    let request_id = DiscussionRequestId(Uuid::from_u128(7));
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id,
            subject: "Срок поставки".into(),
            text: "Просим увеличить".into(),
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &customer_rep(),
        C::AnswerDiscussionRequest {
            request_id,
            decision: DiscussionDecision::AmendDocumentation,
            text: None,
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    w
}
