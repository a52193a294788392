//! «Закупка жилища» from the draft to the published results (spec 000-B §4.4–4.5, §6.5, §7.7;
//! scenarios S24, S25).

use chrono::Duration;

use super::world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AnnouncementStatus as S, ApplicationStatus, LotInApplication, LotStatus,
};
use zakup_domain::voting::Ballot;

/// A housing draft with one lot, its representatives and dates (world: Monday 2 February 2026).
pub fn housing_draft() -> World {
    let mut w = World::new();
    w.draft(Method::Housing, SubjectType::Goods, 1);
    w
}

/// Acceptance ended with suppliers `applicants` on the one lot, supplier n at `prices[n-1]`.
pub fn reviewing_housing(prices: &[u64]) -> World {
    let mut w = housing_draft();
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    for (n, price) in (1..).zip(prices) {
        w.apply(n, &[1], *price);
    }
    w.fire(TimedTransition::EndAcceptance);
    w
}

/// The representative's decision «Отклонен» on the lot, with its section and «Примечание».
pub fn reject(note: &str) -> Ballot {
    let mut ballot = reject_qualification(&[plan_item(1)], &plan_item(1));
    if let Some(lot) = ballot.lots.first_mut() {
        lot.qualification = zakup_domain::voting::QualificationVerdict::Rejected {
            documents: vec!["Документ, подтверждающий право собственности".into()],
            reason: note.into(),
        };
    }
    ballot
}

/// The representative signs the current results protocol and the creator publishes it.
pub fn sign_and_publish_results(w: &mut World) {
    w.sign(&organizer_rep(), ProtocolKind::Results)
        .expect("the representative signs");
    w.run(
        &organizer(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
}

// S24, H5, D-17 (L6206–6252): start after today, at least 30 calendar days, no edit after.
#[test]
fn s24_housing_publication_dates() {
    let mut w = housing_draft();
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    // Given a draft on Monday 2 February, when acceptance starts later today, it is refused;
    let today = w.now + Duration::hours(3);
    assert_eq!(
        w.refuse(&organizer(), dates(today, today + Duration::days(40))),
        "acceptance_start_not_after_today"
    );
    // when it starts tomorrow and lasts 29 days, it is refused;
    let tomorrow = astana("2026-02-03 00:30");
    assert_eq!(
        w.refuse(&organizer(), dates(tomorrow, tomorrow + Duration::days(29))),
        "publication_period_too_short"
    );
    // when it lasts 30 days, the dates are set and the purchase is published.
    w.run(&organizer(), dates(tomorrow, tomorrow + Duration::days(30)));
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    // A published purchase cannot be edited (L6252).
    assert_eq!(
        w.refuse(&organizer(), dates(tomorrow, tomorrow + Duration::days(31))),
        "not_a_draft"
    );
}

// D-17 at publication: a draft whose start has become today is refused then too.
#[test]
fn d17_dates_are_checked_again_at_publication() {
    let mut w = housing_draft();
    w.advance(Duration::days(1));
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "acceptance_start_not_after_today"
    );
}

// §2.16, §7.7 (L6006–6130, L6270–6314): no commission, no documentation; the organizer
// representative must be named before publication.
#[test]
fn housing_has_no_commission_and_needs_its_representative() {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "H-1".into(),
            header: header(Method::Housing, SubjectType::Goods),
        },
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: commission3()
            }
        ),
        "not_applicable_to_method"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SignTenderDocumentation {
                documentation: tender_documentation()
            }
        ),
        "not_applicable_to_method"
    );
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    let mut housing = header(Method::Housing, SubjectType::Goods);
    housing.name_ru = "Закупка жилища".into();
    let lots = vec![plan_item(1)];
    w.run(
        &organizer(),
        C::RemoveLots {
            plan_item_ids: lots,
        },
    );
    w.run(&organizer(), C::UpdateHeader { header: housing });
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    w.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(1),
            terms: goods_terms(),
        },
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    let (start, end) = w.valid_dates(Method::Housing);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "representatives_missing"
    );
    w.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    assert!(w.state().commission().is_none());
    assert!(w.state().discussion().is_none());
}

// S25, H6–H13 (L6260–6402): the representative alone reviews and signs, the creator forms and
// publishes; no ППД and no conditional discounts whatever the decisions.
#[test]
fn s25_housing_review_to_completion() {
    // Given two applications at the end of acceptance,
    let mut w = reviewing_housing(&[9_000_000, 8_000_000]);
    assert_eq!(w.status(), S::ReviewingApplications);
    // a user who is not the organizer's representative cannot decide;
    for other in [organizer(), secretary(), chairman()] {
        let refused = w.refuse(
            &other,
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&[plan_item(1)]),
            },
        );
        assert_eq!(refused, "not_a_commission_member");
    }
    // «Отклонен» without «Примечание» is refused, with it accepted;
    let refused = w.refuse(
        &organizer_rep(),
        C::CastVote {
            application_id: application_id(2),
            ballot: reject(" "),
        },
    );
    assert_eq!(refused, "rejection_reason_required");
    w.vote(
        &organizer_rep(),
        2,
        reject("Жилище не соответствует требованиям"),
    );
    // the creator cannot form the protocol before every application is decided;
    assert_eq!(w.refuse(&organizer(), C::FormResultsProtocol), "no_quorum");
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    // only the creator forms it (the secretary's part, L6330–6350);
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "not_secretary"
    );
    w.run(&organizer(), C::FormResultsProtocol);
    let state = w.state();
    assert_eq!(state.status, Some(S::FormingResultsProtocol));
    assert_eq!(
        state.lot_status(&plan_item(1)),
        Some(LotStatus::FormingResultsProtocol)
    );
    assert_eq!(
        state.application_status(&application_id(1)),
        Some(ApplicationStatus::FormingResultsProtocol)
    );
    // H10: no withdrawal once the protocol is formed.
    assert_eq!(
        w.refuse(
            &organizer_rep(),
            C::WithdrawVote {
                application_id: application_id(1)
            }
        ),
        "wrong_status"
    );
    // H12: the representative alone signs; the creator publishes after him only.
    assert_eq!(
        w.sign(&organizer(), ProtocolKind::Results)
            .expect_err("not a signer")
            .code,
        "not_a_signer"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "signatures_missing"
    );
    sign_and_publish_results(&mut w);
    // H13: completed; supplier 1 wins though supplier 2 offered less, being rejected.
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.application_status(&application_id(2)),
        Some(ApplicationStatus::Completed)
    );
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
    let result = |n| state.lot_in_application(&application_id(n), &plan_item(1));
    assert_eq!(result(1), Some(LotInApplication::Winner));
    assert_eq!(result(2), Some(LotInApplication::Rejected));
}

// S25 variant, §8.2 (L6394–6402): none admitted, the purchase fails.
#[test]
fn s25_none_admitted_fails_the_lot() {
    let mut w = reviewing_housing(&[9_000_000, 8_000_000]);
    w.vote(&organizer_rep(), 1, reject("Не соответствует"));
    w.vote(&organizer_rep(), 2, reject("Не соответствует"));
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    assert_eq!(
        w.state().lots[&plan_item(1)].outcome,
        Some(LotOutcome::failed(FailureReason::NoAdmitted))
    );
}

// §8.2 (L6390–6402): a sole admitted application wins; of two admitted, the lower price wins
// and the other is «Второй победитель» (docs/decisions/0747).
#[test]
fn a_winner_and_a_second_winner() {
    let mut w = reviewing_housing(&[9_000_000, 8_000_000, 8_500_000]);
    for n in 1..=3 {
        w.vote(&organizer_rep(), n, admit(&[plan_item(1)]));
    }
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    let state = w.state();
    let result = |n| state.lot_in_application(&application_id(n), &plan_item(1));
    assert_eq!(result(2), Some(LotInApplication::Winner));
    assert_eq!(result(3), Some(LotInApplication::SecondWinner));
    assert_eq!(result(1), Some(LotInApplication::Admitted));

    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    let state = w.state();
    assert_eq!(
        state.lot_in_application(&application_id(1), &plan_item(1)),
        Some(LotInApplication::Winner)
    );
}

// H10 (L6320–6322): the representative withdraws his decision before the protocol is formed.
#[test]
fn h10_withdrawal_before_the_protocol() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(
        &organizer_rep(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    assert_eq!(w.refuse(&organizer(), C::FormResultsProtocol), "no_quorum");
}

// No application at the end of acceptance: nothing to review, the lot fails automatically.
#[test]
fn no_applications_fail_automatically() {
    let w = reviewing_housing(&[]);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::failed(FailureReason::NoApplications))
    );
}
