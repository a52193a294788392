//! Issuing, which procurement statuses allow which request (decision 0852), the winner's evasion
//! recorded on the announcement and the requests the procurement's outcome starts (decision
//! 0853).

use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::guarantee::{
    GuaranteeCommand as G, GuaranteeEvent, GuaranteeKind, GuaranteeStatus as St, RequestCause,
    RequestKind::*,
};
use zakup_domain::protocol::ProtocolKind;

use super::*;

// L10588–10598: «Создать банковскую гарантию» belongs to the bank's employees, for their bank;
// the terms are checked (decision 0850).
#[test]
fn the_bank_issues_a_guarantee_with_valid_terms() {
    let mut s = Stream {
        world: World::new(),
        events: Vec::new(),
    };
    assert_eq!(
        s.refuse(&organizer(), issue(GuaranteeKind::ApplicationSecurity, 1)),
        "forbidden_role"
    );
    assert_eq!(
        s.refuse(&bank(), form(Hold, &[1], 1)),
        "guarantee_not_found"
    );
    let mut backwards = issue(GuaranteeKind::ApplicationSecurity, 1);
    if let G::Issue {
        valid_until,
        issued_on,
        ..
    } = &mut backwards
    {
        *valid_until = *issued_on - chrono::Duration::days(1);
    }
    assert_eq!(s.refuse(&bank(), backwards), "invalid_guarantee_terms");
    assert_eq!(
        s.refuse(&bank(), issue(GuaranteeKind::ApplicationSecurity, 0)),
        "invalid_guarantee_terms"
    );
    let issued = s.run(&bank(), issue(GuaranteeKind::ApplicationSecurity, 2));
    let GuaranteeEvent::Issued(e) = &issued[0] else {
        panic!()
    };
    assert_eq!(e.bank_bin, bank_bin());
    assert_eq!(s.status(), St::Active);
    assert_eq!(
        s.refuse(&bank(), issue(GuaranteeKind::ApplicationSecurity, 2)),
        "guarantee_exists"
    );
}

// Decision 0852: nothing is asked of the bank while the lot is competed for, suspended or under
// revision; a return once the lot is completed or cancelled; a hold once it is completed.
#[test]
fn the_procurements_statuses_say_which_request_is_allowed() {
    use zakup_domain::status::{AnnouncementStatus as A, LotStatus as Lot};
    let cases = [
        (
            A::PublishedAcceptingApplications,
            Lot::Published,
            false,
            false,
        ),
        (A::ReviewingApplications, Lot::Published, false, false),
        (A::ResultsRevision, Lot::ResultsRevision, false, false),
        (A::Suspended, Lot::Suspended, false, false),
        (A::Completed, Lot::Completed, true, true),
        (A::Cancelled, Lot::Cancelled, false, true),
        (A::Completed, Lot::Cancelled, false, true),
    ];
    for (announcement, lot, hold, ret) in cases {
        for (request, allowed) in [(Hold, hold), (Return, ret)] {
            let mut s = Stream::issued(1);
            let command = G::GenerateForm {
                request,
                plan_item_ids: lots(&[1]),
                grounds: "Основание".into(),
                documents: vec![],
                facts: facts(announcement, lot, 1),
            };
            match s.try_run(&organizer(), command) {
                Ok(_) => assert!(allowed, "{announcement:?}/{lot:?} allowed {request:?}"),
                Err(e) => {
                    assert!(
                        !allowed,
                        "{announcement:?}/{lot:?} refused {request:?}: {e}"
                    );
                    assert_eq!(e.code, "guarantee_procedure_in_progress");
                }
            }
        }
    }
}

/// An open tender with two lots, supplier 1 winning both, its results published.
fn completed_tender() -> World {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w
}

fn evasion(n: u32) -> C {
    C::RecordContractEvasion {
        plan_item_id: plan_item(n),
        grounds: "Не подписал договор в срок".into(),
    }
}

// Decision 0853: the lot's customer records that the winner evaded the contract, once, after the
// results; the guarantee reads it as a fact of the lot.
#[test]
fn the_customer_records_the_winners_evasion_of_the_contract() {
    let mut early = World::new();
    early.reviewing_ok(1, &[(1, &[1])]);
    assert_eq!(early.refuse(&customer(), evasion(1)), "lot_not_held");
    let mut w = completed_tender();
    assert_eq!(w.refuse(&secretary(), evasion(1)), "forbidden_role");
    let mut foreign = customer();
    foreign.org = bin(4);
    assert_eq!(w.refuse(&foreign, evasion(1)), "foreign_organization");
    w.run(&customer(), evasion(1));
    assert_eq!(
        w.refuse(&customer(), evasion(1)),
        "contract_evasion_recorded"
    );
    let state = w.state();
    assert_eq!(
        state.contract_evasions[&plan_item(1)].supplier_bin,
        supplier(1).org
    );
    let facts = ProcedureFacts::of(&state, &lots(&[1, 2]));
    let lot1 = &facts.lots[&plan_item(1)];
    assert!(lot1.evaded);
    assert_eq!(lot1.winner_bin, Some(supplier(1).org));
    assert_eq!(lot1.status, Some(LotStatus::Completed));
    assert!(!facts.lots[&plan_item(2)].evaded);
}

// Decision 0853: the outcome asks the bank on the beneficiary's behalf, in one step (the form and
// its sending), by the portal only, never as a "manual" request.
#[test]
fn the_procurements_outcome_sends_a_request_to_the_bank_through_the_portal() {
    let mut w = completed_tender();
    w.run(&customer(), evasion(1));
    let facts = ProcedureFacts::of(&w.state(), &lots(&[1, 2]));
    let by_outcome = |cause| G::RequestByProcedure {
        request: Hold,
        plan_item_ids: lots(&[1]),
        cause,
        facts: facts.clone(),
    };
    let mut s = Stream::issued(2);
    assert_eq!(
        s.refuse(&organizer(), by_outcome(RequestCause::WinnerEvadedContract)),
        "forbidden_role"
    );
    assert_eq!(
        s.refuse(&system(), by_outcome(RequestCause::Manual)),
        "guarantee_not_beneficiary"
    );
    let events = s.run(&system(), by_outcome(RequestCause::WinnerEvadedContract));
    let types: Vec<_> = events.iter().map(GuaranteeEvent::event_type).collect();
    assert_eq!(
        types,
        ["GuaranteeRequestFormGenerated", "GuaranteeRequestSigned"]
    );
    let GuaranteeEvent::FormGenerated(f) = &events[0] else {
        panic!()
    };
    assert_eq!(f.cause, RequestCause::WinnerEvadedContract);
    assert_eq!(f.grounds, RequestCause::WinnerEvadedContract.original());
    assert_eq!(s.status(), St::HoldPendingBank);
    s.run(&bank(), G::Confirm { request: Hold });
    assert_eq!(s.status(), St::Active, "lot 2 is still secured");
}
