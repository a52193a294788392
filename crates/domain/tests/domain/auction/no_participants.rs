//! An auction nobody was admitted to (docs/decisions/0716): the seed lets an auction fail «по
//! причине: нет допущенных заявок» (L7478–7482, L6972–6990) and opens its bidding only to
//! admitted suppliers (P6, L5576), so the admission protocol's publication ends the procurement
//! instead of fixing a bidding nobody could take part in.

use super::world::*;
use super::{C, ProtocolKind, TimedTransition, reviewing_auction};
use zakup_domain::announcement::AnnouncementEvent as E;
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::status::{AnnouncementStatus as S, LotStatus};

/// The admission protocol formed, signed by a quorum and published; its events.
fn publish_admission(w: &mut World) -> Vec<E> {
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission)
}

/// The procurement ended at the publication: no time frame, no start, the lot failed with the
/// reason, the results protocol formed and published automatically.
fn assert_failed_without_admitted(w: &World, events: &[E]) {
    assert!(!events.iter().any(|e| matches!(e, E::AuctionScheduled(_))));
    assert!(events.iter().any(|e| matches!(
        e,
        E::ProtocolFormed(f) if f.content.kind == ProtocolKind::Results && f.automatic
    )));
    assert!(matches!(events.last(), Some(E::ProcurementCompleted(_))));
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::failed(FailureReason::NoAdmitted))
    );
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Completed));
    assert!(state.procedure.auction().unwrap().schedule.is_none());
    // Nothing is left to start, nor a bidding to open (P5, P6).
    assert!(state.deadlines().is_empty());
    assert!(state.bidding_opening().is_none());
}

// L7478–7482, L5104–5108: every application rejected «без права переподачи» leaves no ППД to
// form; the admission protocol's publication fails the lot «нет допущенных заявок».
#[test]
fn nobody_admitted_in_the_review_fails_the_auction_at_the_admission_protocol() {
    // Given two applicants both vetoed under art. 6 by the whole commission,
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, veto_common(&lot));
        w.vote(&member, 2, veto_common(&lot));
    }
    w.run(&secretary(), C::CompleteVoting);
    // when the admission protocol is published,
    let events = publish_admission(&mut w);
    // then there is no auction: the procurement failed.
    assert_failed_without_admitted(&w, &events);
    assert_eq!(w.refuse(&system(), C::StartAuction), "wrong_status");
}

// L5104–5344, L7478–7482: the ППД, the supplement and the re-review that admits nobody end the
// same way.
#[test]
fn nobody_admitted_after_the_re_review_fails_the_auction() {
    // Given the only applicant rejected, invited by the ППД, supplemented, rejected again,
    let mut w = reviewing_auction(&[1]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    w.run(
        &supplier(1),
        C::SupplementApplication {
            application_id: application_id(1),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    // when the admission protocol is published,
    let events = publish_admission(&mut w);
    // then the procurement failed «нет допущенных заявок».
    assert_failed_without_admitted(&w, &events);
}

// P4 unchanged: one admitted supplier is enough for the auction to be scheduled.
#[test]
fn one_admitted_supplier_is_enough_for_the_auction() {
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, veto_common(&lot));
    }
    w.run(&secretary(), C::CompleteVoting);
    let events = publish_admission(&mut w);
    assert!(events.iter().any(|e| matches!(e, E::AuctionScheduled(_))));
    assert_eq!(w.status(), S::PublishedAwaitingAuction);
}
