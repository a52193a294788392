//! The index-2 copy (spec 000-A §4.2.3, L1746–1760): when the published discussion protocol
//! decides to change the documentation, the engine creates the copy with the next index, and
//! the copy takes over the plan items.

use crate::support;

use std::sync::Arc;

use support::discussion_signed;
use support::world::*;
use uuid::Uuid;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::AnnouncementStatus;
use zakup_engine::{CommandMeta, Engine, ManualClock, store_actor};
use zakup_store::{EventStore, ExpectedVersion, MemoryStore, Metadata, NewEvent, StreamRange};

fn meta(actor: zakup_domain::actor::Actor) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    }
}

#[tokio::test]
async fn publishing_a_protocol_that_changes_the_documentation_creates_the_index_two_copy() {
    // An open tender whose discussion decided to amend the documentation, signed but not yet
    // published (the same steps as the domain's schema samples).
    let w = discussion_signed();

    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(ManualClock::at(w.now)), calendar());
    let request = PlanItemCommand::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Лот 1".into(),
        amount: Money::from_tenge(10_000_000),
    };
    engine
        .plan_item(&plan_item(1), &meta(customer()), request)
        .await
        .unwrap();
    let reserve = PlanItemCommand::Reserve {
        announcement_id: w.id,
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    };
    engine
        .plan_item(&plan_item(1), &meta(organizer()), reserve)
        .await
        .unwrap();
    let stream = Engine::stream::<Announcement>(&w.id.to_string()).unwrap();
    let command_id = Uuid::new_v4();
    let metadata = Metadata {
        command_id,
        correlation_id: command_id,
        causation_id: None,
        actor: store_actor(&organizer()),
        occurred_at: w.now,
        sandbox: false,
    };
    let history = w
        .events
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
    store
        .append(&stream, ExpectedVersion::NoStream, history)
        .await
        .unwrap();

    let publish = C::PublishProtocol {
        kind: ProtocolKind::Discussion,
    };
    let m = meta(secretary());
    engine
        .announcement(w.id, &m, publish.clone())
        .await
        .unwrap();

    let original = engine
        .load::<Announcement>(&w.id.to_string(), StreamRange::all())
        .await
        .unwrap()
        .state;
    assert_eq!(
        original.status,
        Some(AnnouncementStatus::DocumentationChanged)
    );
    let copy_id = original.copy_announcement_id.expect("decided copy");
    let copy = engine
        .load::<Announcement>(&copy_id.to_string(), StreamRange::all())
        .await
        .unwrap()
        .state;
    assert_eq!(
        (copy.index, copy.number.as_str()),
        (2, format!("{}-2", w.id.as_u128()).as_str())
    );
    assert_eq!(copy.source_announcement_id, Some(w.id));
    assert!(copy.lots.contains_key(&plan_item(1)));
    let item = engine
        .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
        .await
        .unwrap()
        .state;
    assert_eq!(
        item.holder.map(|h| h.announcement_id),
        Some(copy_id),
        "the copy holds the plan item"
    );

    // A retry of the publication finds the copy made: nothing is created twice.
    let retry = engine.announcement(w.id, &m, publish).await.unwrap();
    assert!(retry.duplicate);
    let copy_events = engine
        .load::<Announcement>(&copy_id.to_string(), StreamRange::all())
        .await
        .unwrap()
        .events;
    assert_eq!(
        copy_events
            .iter()
            .filter(|e| e.event_type == "AnnouncementCopyCreated")
            .count(),
        1
    );
}
