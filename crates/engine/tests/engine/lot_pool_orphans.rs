//! Orphans that the engine left before its processes were recorded (issue 14: 23 after 9
//! rounds of `kill -9`, one for good) are repaired when the server starts
//! (`LotPoolRunner::release_orphans`, docs/decisions/0503-durable-workflows.md), on PostgreSQL.

use crate::support;

use std::time::Duration;

use support::world::*;
use support::*;
use zakup_domain::announcement::event::LotsRemoved;
use zakup_domain::announcement::header::{Method, ProcurementType};
use zakup_domain::announcement::{
    Announcement, AnnouncementCommand as C, AnnouncementEvent, TimedTransition,
};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand};
use zakup_engine::{Clock, LotPoolRunner};
use zakup_store::{ExpectedVersion, StreamRange};

/// Orphans left by the engine before processes were recorded (issue 14): a reservation whose
/// `LotsAdded` was never appended, and a lot removed from a draft, its release lost, and the
/// draft deleted — the orphan that answered `plan_item_reserved` forever. The runner releases
/// both at start-up and leaves real reservations alone; then the items can be added elsewhere
/// and returned to the customer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_releases_the_orphans_older_than_processes() {
    let store = postgres().await;
    let a = drafted(&store, 4, 0).await;
    let engine = engine_on(&store, &a.clock);
    let add = |lots: &[u32]| C::AddLots {
        lots: lots.iter().copied().map(lot_source).collect(),
    };
    let b = drafted(&store, 0, 0).await.announcement;
    let lost = drafted(&store, 0, 0).await.announcement;
    let reserve = PlanItemCommand::Reserve {
        announcement_id: lost,
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    };
    engine
        .plan_item(&plan_item(1), &meta(&organizer()), reserve)
        .await
        .unwrap();
    engine
        .announcement(a.announcement, &meta(&organizer()), add(&[2, 3]))
        .await
        .unwrap();
    engine
        .announcement(b, &meta(&organizer()), add(&[4]))
        .await
        .unwrap();
    // The old engine's crash: `LotsRemoved` appended, the release lost.
    let removed = AnnouncementEvent::LotsRemoved(LotsRemoved {
        plan_item_ids: vec![plan_item(2)],
        removed_at: a.clock.now(),
    });
    let (expected, at) = (ExpectedVersion::Exact(2), a.clock.now());
    written(&store, a.announcement, expected, &[removed], at).await;
    let engine = engine_on(&store, &a.clock);
    engine
        .announcement(a.announcement, &meta(&organizer()), C::DeleteDraft)
        .await
        .unwrap();
    readable(&store).await;

    let runner = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    assert!(runner.resume().await.unwrap().is_empty());
    let released = runner.release_orphans().await.unwrap();
    assert_eq!(released, vec![plan_item(1), plan_item(2)]);
    let holder = async |n| {
        engine
            .load::<PlanItem>(&plan_item(n).0, StreamRange::all())
            .await
            .unwrap()
            .state
            .holder
            .map(|h| h.announcement_id)
    };
    assert_eq!(
        (holder(1).await, holder(2).await, holder(3).await),
        (None, None, None)
    );
    assert_eq!(holder(4).await, Some(b), "a real reservation stays");
    let elsewhere = drafted(&store, 0, 0).await.announcement;
    engine
        .announcement(elsewhere, &meta(&organizer()), add(&[1]))
        .await
        .unwrap();
    let back = PlanItemCommand::ReturnToCustomer {
        reason: "Уточнить потребность".into(),
    };
    engine
        .plan_item(&plan_item(2), &meta(&organizer()), back)
        .await
        .unwrap();
}

/// An orphan of a failed procurement (its completion appended, the follow-up lost before
/// processes were recorded) is marked failed at start-up, not merely released: the failure
/// opens the repeat procedure and the single-source ban of L3179–3199.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_marks_the_orphan_of_a_failed_procurement_failed() {
    let store = postgres().await;
    let mut w = World::new();
    w.accepting_ok(1);
    w.fire(TimedTransition::EndAcceptance);
    let s = stored(&store, &w, 1).await;
    readable(&store).await;
    let engine = engine_on(&store, &s.clock);
    let runner = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    assert!(runner.resume().await.unwrap().is_empty());
    assert_eq!(runner.release_orphans().await.unwrap(), vec![plan_item(1)]);
    let item = engine
        .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
        .await
        .unwrap()
        .state;
    assert!(item.holder.is_none());
    assert_eq!(
        item.last_failure.map(|f| f.announcement_id),
        Some(s.announcement)
    );
}

/// An orphan of an index-2 copy (the copy created, the transfer lost before processes were
/// recorded) is transferred to the copy at start-up, not released: the copy holds its lot.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_up_transfers_the_orphan_of_an_index_copy_to_the_copy() {
    let store = postgres().await;
    let mut w = discussion_signed();
    let kind = zakup_domain::protocol::ProtocolKind::Discussion;
    w.run(&secretary(), C::PublishProtocol { kind });
    let s = stored(&store, &w, 1).await;
    let source = w.state();
    let copy_id = source.copy_announcement_id.unwrap();
    let create = C::CreateIndexCopy {
        announcement_id: copy_id,
        number: format!("{}-2", w.id.as_u128()),
        source: Box::new(source),
    };
    let copy = Announcement::default()
        .decide(create, &w.ctx(&organizer()))
        .unwrap();
    written(&store, copy_id, ExpectedVersion::NoStream, &copy, w.now).await;
    readable(&store).await;

    let engine = engine_on(&store, &s.clock);
    let runner = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    assert!(runner.resume().await.unwrap().is_empty());
    assert_eq!(runner.release_orphans().await.unwrap(), vec![plan_item(1)]);
    let holder = engine
        .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
        .await
        .unwrap()
        .state
        .holder
        .map(|h| h.announcement_id);
    assert_eq!(holder, Some(copy_id));
}
