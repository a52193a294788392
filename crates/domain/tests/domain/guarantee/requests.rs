//! Hold and return requests and the bank's answer: G1–G12 and the acceptance scenarios S4–S6
//! (spec 000-D §4.2, §10).

use zakup_domain::guarantee::{
    GuaranteeCommand as G, GuaranteeEvent, GuaranteeKind, GuaranteeLotStatus as L,
    GuaranteeStatus as St, RequestKind::*,
};

use super::*;

// S4 (L10698–10752): a single-lot application security «Действует»; the beneficiary asks a hold
// with a reason, generates the form, signs; the bank confirms: the lot and the guarantee
// «Удержано».
#[test]
fn s4_a_hold_signed_and_confirmed_by_the_bank_leaves_the_guarantee_held() {
    let mut s = Stream::issued(1);
    assert_eq!(s.status(), St::Active);
    s.run(&organizer(), form(Hold, &[1], 1));
    // G2: generating the form is not yet asking the bank.
    assert_eq!(s.status(), St::Active);
    s.run(&organizer(), G::Sign);
    assert_eq!(s.status(), St::HoldPendingBank);
    let confirmed = s.run(&bank(), G::Confirm { request: Hold });
    let GuaranteeEvent::Confirmed(c) = &confirmed[0] else {
        panic!("{confirmed:?}")
    };
    assert_eq!(c.plan_item_ids, lots(&[1]));
    assert_eq!(s.state().lots[&plan_item(1)], L::Held);
    assert_eq!(s.status(), St::Held);
}

// S5 (L10736–10740): the bank refuses with reason "X": back to «Действует», the reason kept for
// the requester's message.
#[test]
fn s5_a_hold_refused_by_the_bank_returns_the_guarantee_to_active() {
    let mut s = Stream::issued(1);
    s.requested(Hold, &[1], 1);
    assert_eq!(
        s.refuse(
            &bank(),
            G::Refuse {
                request: Hold,
                reason: " ".into()
            }
        ),
        "missing_field"
    );
    let refused = s.run(
        &bank(),
        G::Refuse {
            request: Hold,
            reason: "X".into(),
        },
    );
    assert!(matches!(&refused[0], GuaranteeEvent::Refused(r) if r.reason == "X"));
    assert_eq!(s.status(), St::Active);
    assert_eq!(s.state().lots[&plan_item(1)], L::Active);
    // Active again, so a new request may be made (G1).
    s.requested(Hold, &[1], 1);
    assert_eq!(s.status(), St::HoldPendingBank);
}

// S6 (L10746–10752, L10832–10838): lots L1–L3; a hold on L1 changes only L1's status; a return
// on L2 and L3 leaves held and annulled lots, none active: «Исполнено».
#[test]
fn s6_a_multi_lot_guarantee_held_on_one_lot_and_returned_on_the_others_is_executed() {
    let mut s = Stream::issued(3);
    s.requested(Hold, &[1], 3);
    s.run(&bank(), G::Confirm { request: Hold });
    assert_eq!(s.state().lots[&plan_item(1)], L::Held);
    assert_eq!(s.status(), St::Active, "only the lot's status changes");
    s.requested(Return, &[2, 3], 3);
    assert_eq!(s.status(), St::ReturnPendingBank);
    s.run(&bank(), G::Confirm { request: Return });
    assert_eq!(s.state().lots[&plan_item(2)], L::Annulled);
    assert_eq!(s.state().lots[&plan_item(3)], L::Annulled);
    assert_eq!(s.status(), St::Executed);
}

// G7–G12 (L10780–10838): a return confirmed on every lot; the seed names no status for all lots
// annulled (§9.6 item 12): «Возвращено» (decision 0852). Nothing more can be asked.
#[test]
fn g12_a_return_confirmed_on_every_lot_leaves_the_guarantee_returned() {
    let mut s = Stream::issued(2);
    s.requested(Return, &[1, 2], 2);
    s.run(&bank(), G::Confirm { request: Return });
    assert_eq!(s.status(), St::Returned);
    assert_eq!(
        s.refuse(&organizer(), form(Hold, &[1], 2)),
        "guarantee_not_active"
    );
}

// G11 (L10822–10826): the bank refuses a return: «Действует» again.
#[test]
fn g11_a_return_refused_by_the_bank_returns_the_guarantee_to_active() {
    let mut s = Stream::issued(1);
    s.requested(Return, &[1], 1);
    s.run(
        &bank(),
        G::Refuse {
            request: Return,
            reason: "Нет оснований".into(),
        },
    );
    assert_eq!(s.status(), St::Active);
}

// G3, G9 (L10720–10722, L10806–10808): a form is deleted before it is signed, not after.
#[test]
fn g3_g9_a_form_is_deleted_before_signing_only() {
    let mut s = Stream::issued(1);
    assert_eq!(
        s.refuse(&organizer(), G::DeleteForm),
        "guarantee_no_request_form"
    );
    assert_eq!(s.refuse(&organizer(), G::Sign), "guarantee_no_request_form");
    s.run(&organizer(), form(Return, &[1], 1));
    assert_eq!(
        s.refuse(&organizer(), form(Hold, &[1], 1)),
        "guarantee_request_form_exists"
    );
    s.run(&organizer(), G::DeleteForm);
    assert!(s.state().request.is_none());
    s.requested(Hold, &[1], 1);
    assert_eq!(
        s.refuse(&organizer(), G::DeleteForm),
        "guarantee_request_signed"
    );
    assert_eq!(s.refuse(&organizer(), G::Sign), "guarantee_request_signed");
}

// G1, G2, G7, G8 (L10694–10706, L10780–10792): a reason is required, documents optional; the form
// names lots the guarantee still secures; only an active guarantee takes a request (§4.11
// `guarantee_not_active`).
#[test]
fn g1_g2_the_form_needs_a_reason_and_active_lots_of_an_active_guarantee() {
    let mut s = Stream::issued(2);
    let mut no_reason = form(Hold, &[1], 2);
    if let G::GenerateForm { grounds, .. } = &mut no_reason {
        *grounds = "  ".into();
    }
    assert_eq!(s.refuse(&organizer(), no_reason), "missing_field");
    let mut no_documents = form(Return, &[1], 2);
    if let G::GenerateForm { documents, .. } = &mut no_documents {
        documents.clear();
    }
    s.run(&organizer(), no_documents);
    s.run(&organizer(), G::DeleteForm);
    for wrong in [&[][..], &[3], &[1, 1]] {
        assert_eq!(
            s.refuse(&organizer(), form(Hold, wrong, 2)),
            "guarantee_lot_not_active",
            "{wrong:?}"
        );
    }
    s.requested(Hold, &[1], 2);
    assert_eq!(
        s.refuse(&organizer(), form(Return, &[2], 2)),
        "guarantee_not_active",
        "pending at the bank"
    );
    s.run(&bank(), G::Confirm { request: Hold });
    assert_eq!(
        s.refuse(&organizer(), form(Return, &[1], 2)),
        "guarantee_lot_not_active",
        "a held lot"
    );
    s.requested(Return, &[2], 2);
}

// Spec §1.2, §9.6 item 12 (decision 0850): the beneficiary asks: the organizer of an application
// security, the customer of a contract security, each of its own organisation.
#[test]
fn only_the_beneficiary_asks_the_bank() {
    let mut s = Stream::issued(1);
    for who in [customer(), foreign_organizer(), supplier(1), bank()] {
        assert_eq!(
            s.refuse(&who, form(Hold, &[1], 1)),
            "guarantee_not_beneficiary",
            "{}",
            who.user_id
        );
    }
    let mut c = Stream::issued_as(GuaranteeKind::ContractSecurity, 1);
    assert_eq!(
        c.refuse(&organizer(), form(Hold, &[1], 1)),
        "guarantee_not_beneficiary"
    );
    c.run(&customer(), form(Hold, &[1], 1));
    assert_eq!(c.refuse(&organizer(), G::Sign), "guarantee_not_beneficiary");
    c.run(&customer(), G::Sign);
    assert_eq!(c.status(), St::HoldPendingBank);
}

// G5, G6, G11, G12 (L10732–10744, L10816–10832): only the issuing bank's employees answer, only a
// request pending with them, and the kind they answer is the kind asked.
#[test]
fn only_the_issuing_bank_answers_a_pending_request() {
    let mut s = Stream::issued(1);
    assert_eq!(
        s.refuse(&bank(), G::Confirm { request: Hold }),
        "guarantee_no_pending_request"
    );
    s.run(&organizer(), form(Hold, &[1], 1));
    assert_eq!(
        s.refuse(&bank(), G::Confirm { request: Hold }),
        "guarantee_no_pending_request",
        "a form not signed is not at the bank"
    );
    s.run(&organizer(), G::Sign);
    assert_eq!(
        s.refuse(&organizer(), G::Confirm { request: Hold }),
        "forbidden_role"
    );
    assert_eq!(
        s.refuse(&other_bank(), G::Confirm { request: Hold }),
        "guarantee_foreign_bank"
    );
    assert_eq!(
        s.refuse(&bank(), G::Confirm { request: Return }),
        "guarantee_wrong_request"
    );
    s.run(&bank(), G::Confirm { request: Hold });
}
