//! Timed transitions and windows (spec 000-A §5): `deadlines()` lists what the scheduler must
//! fire; timed commands are refused before their instant and from anyone but the system.

use crate::world;

use chrono::Duration;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition as T;
use zakup_domain::application::LotOffer;
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::money::Money;
use zakup_domain::status::AnnouncementStatus as S;

fn transitions(w: &World) -> Vec<T> {
    w.state()
        .deadlines()
        .into_iter()
        .map(|d| d.transition)
        .collect()
}

// spec 000-A §5.1, §5.5, §5.7, §5.9: the deadlines follow the status.
#[test]
fn deadlines_follow_the_procedure() {
    let mut w = World::new();
    w.draft(
        zakup_domain::announcement::header::Method::OpenTender,
        zakup_domain::announcement::header::SubjectType::Goods,
        1,
    );
    assert!(transitions(&w).is_empty(), "a draft has no timers");
    w.run(&organizer(), C::Publish);
    assert_eq!(transitions(&w), [T::EndDiscussion]);
    w.fire(T::EndDiscussion);
    assert_eq!(transitions(&w), [T::StartAcceptance]);
    w.fire(T::StartAcceptance);
    assert_eq!(transitions(&w), [T::EndAcceptance]);
    w.apply(1, &[1], 9_000_000);
    w.fire(T::EndAcceptance);
    assert!(transitions(&w).is_empty(), "review has no timer");
}

// spec 000-A §5.1, §5.5: timed transitions are refused before their instant and from users.
#[test]
fn timed_commands_wait_for_their_instant_and_the_system() {
    let mut w = World::new();
    w.published_ok(1);
    let deadline = w.state().deadlines()[0].at;
    assert_eq!(w.refuse(&secretary(), C::EndDiscussion), "forbidden_role");
    assert_eq!(w.refuse(&system(), C::EndDiscussion), "too_early");
    assert_eq!(
        w.refuse(&system(), C::StartAcceptance),
        "discussion_protocol_not_published"
    );
    assert_eq!(w.refuse(&system(), C::EndAcceptance), "wrong_status");
    w.now = deadline - Duration::seconds(1);
    assert_eq!(w.refuse(&system(), C::EndDiscussion), "too_early");
    w.now = deadline;
    w.run(&system(), C::EndDiscussion);
    assert_eq!(
        w.refuse(&system(), C::EndDiscussion),
        "discussion_period_over"
    );
}

// spec 000-A §4.2.4: applications only inside the acceptance window, by suppliers for themselves.
#[test]
fn applications_only_within_acceptance() {
    let mut w = World::new();
    w.published_ok(1);
    let offer = |price| {
        vec![LotOffer {
            plan_item_id: plan_item(1),
            price: Money::from_tenge(price),
        }]
    };
    let submit = |n: u32, price| C::SubmitApplication {
        application_id: application_id(n),
        offers: offer(price),
    };
    assert_eq!(w.refuse(&supplier(1), submit(1, 1)), "wrong_status");
    w.fire(T::EndDiscussion);
    w.fire(T::StartAcceptance);
    assert_eq!(w.refuse(&organizer(), submit(1, 1)), "forbidden_role");
    assert_eq!(
        w.refuse(&supplier(1), submit(1, 10_000_001)),
        "price_above_allocated_amount"
    );
    assert_eq!(w.refuse(&supplier(1), submit(1, 0)), "invalid_amount");
    let unknown = C::SubmitApplication {
        application_id: application_id(1),
        offers: vec![LotOffer {
            plan_item_id: plan_item(7),
            price: Money::from_tenge(1),
        }],
    };
    assert_eq!(w.refuse(&supplier(1), unknown), "unknown_lot");
    w.run(&supplier(1), submit(1, 10_000_000));
    assert_eq!(
        w.refuse(&supplier(1), submit(9, 5)),
        "application_already_submitted"
    );
    assert_eq!(
        w.refuse(
            &supplier(2),
            C::WithdrawApplication {
                application_id: application_id(1)
            }
        ),
        "not_own_application"
    );
    let end = w.state().acceptance.unwrap().end;
    w.now = end;
    assert_eq!(
        w.refuse(&supplier(2), submit(2, 5)),
        "acceptance_period_over"
    );
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::WithdrawApplication {
                application_id: application_id(1)
            }
        ),
        "acceptance_period_over"
    );
}

// spec 000-A §5.11–§5.12: supplements only inside the supplement window.
#[test]
fn supplements_only_within_the_supplement_period() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a()] {
        w.vote(&member, 1, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(zakup_domain::protocol::ProtocolKind::PreliminaryAdmission);
    assert_eq!(transitions(&w), [T::EndSupplementPeriod]);
    let supplement = C::SupplementApplication {
        application_id: application_id(1),
        plan_item_ids: lot.to_vec(),
        documents: vec![file("x")],
    };
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SupplementApplication {
                application_id: application_id(1),
                plan_item_ids: lot.to_vec(),
                documents: vec![]
            }
        ),
        "missing_field"
    );
    w.now = w.state().offers.supplement.unwrap().end;
    assert_eq!(w.refuse(&supplier(1), supplement), "supplement_period_over");
    w.run(&system(), C::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    // Nobody supplemented: nothing to re-vote, voting can be completed at once.
    assert!(w.state().voting_control().is_empty());
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
}

// Decision 0204: suspension freezes the timers; a deadline passed meanwhile fires on resumption.
#[test]
fn a_deadline_passed_during_suspension_fires_after_resumption() {
    let mut w = World::new();
    w.accepting_ok(1);
    let end = w.state().acceptance.unwrap().end;
    w.run(
        &secretary(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    w.now = end + Duration::days(3);
    assert!(w.state().deadlines().is_empty());
    assert_eq!(w.refuse(&system(), C::EndAcceptance), "suspended");
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SubmitApplication {
                application_id: application_id(1),
                offers: vec![]
            }
        ),
        "suspended"
    );
    w.run(
        &secretary(),
        C::Resume {
            act: act(Body::Court, ActType::Ruling),
        },
    );
    let deadline = w.state().deadlines()[0];
    assert_eq!((deadline.transition, deadline.at), (T::EndAcceptance, end));
    w.run(&system(), C::EndAcceptance);
    assert_eq!(
        w.status(),
        S::Completed,
        "no applications: failed automatically"
    );
}
