//! Suspension, cancellation and changes by act or decision (spec 000-A §4.4–§4.8, decision 0208).

use crate::world;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::announcement::{ActRecord, AnnouncementEvent};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::LotOutcome;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AnnouncementStatus as S, ApplicationStatus, LotStatus, ProtocolValidity,
};

fn cancel(lots: &[u32]) -> C {
    C::CancelLots {
        plan_item_ids: lots.iter().map(|n| plan_item(*n)).collect(),
        act: act(Body::Court, ActType::Decision),
    }
}

// spec 000-A §4.4, L464, L3205: from publication on, by the secretary.
#[test]
fn cancellation_starts_at_publication_and_is_the_secretarys() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 2);
    assert_eq!(w.refuse(&secretary(), cancel(&[1])), "wrong_status");
    w.run(&organizer(), C::Publish);
    assert_eq!(w.refuse(&organizer(), cancel(&[1])), "not_secretary");
    assert_eq!(w.refuse(&secretary(), cancel(&[])), "no_lots_selected");
    assert_eq!(w.refuse(&secretary(), cancel(&[3])), "unknown_lot");
    w.run(&secretary(), cancel(&[1]));
    assert_eq!(w.refuse(&secretary(), cancel(&[1])), "lot_cancelled");
    let state = w.state();
    assert!(
        matches!(state.acts.records.last(), Some(ActRecord::Cancelled { .. })),
        "listed in «приостановление/продолжение/отмена»"
    );
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SubmitApplication {
                application_id: application_id(1),
                offers: vec![]
            }
        ),
        "wrong_status"
    );
}

// spec 000-A §3.1 AMBIGUOUS, §4.4 (L588–590), decision 0208: all lots cancelled before completion.
#[test]
fn cancelling_every_lot_publishes_the_results_and_cancels_the_announcement() {
    let mut w = World::new();
    w.accepting_ok(2);
    w.run(&secretary(), cancel(&[1]));
    let events = w.run(&secretary(), cancel(&[2]));
    let types: Vec<_> = events.iter().map(AnnouncementEvent::event_type).collect();
    assert_eq!(
        types,
        ["LotsCancelled", "ProtocolFormed", "ProtocolPublished"]
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Cancelled));
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    assert!(protocol.automatic);
    assert!(
        protocol
            .content
            .lots
            .iter()
            .all(|l| l.cancellation.is_some() && l.outcome == Some(LotOutcome::Cancelled))
    );
    assert!(state.deadlines().is_empty());
    assert_eq!(
        w.refuse(
            &secretary(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
}

/// Issue 27 item 8, decision 0608: with every lot cancelled the announcement, its applications
/// and its lots are «Отменено» (spec 000-D §2.4, L12131–12135, L12385, L12682); by an act as by
/// notices, the applications follow their announcement. Derived by the fold, no event says it.
#[test]
fn cancelling_every_lot_cancels_the_applications_too() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    assert_eq!(
        w.state().application_status(&application_id(1)),
        Some(ApplicationStatus::PublishedAcceptingApplications)
    );
    w.run(&secretary(), cancel(&[1]));
    let state = w.state();
    assert_eq!(state.status, Some(S::Cancelled));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Cancelled));
    for n in [1, 2] {
        assert_eq!(
            state.application_status(&application_id(n)),
            Some(ApplicationStatus::Cancelled)
        );
    }
    assert_eq!(ApplicationStatus::Cancelled.original(), "Отменено");
}

/// Decision 0608: a lot cancelled alone changes that lot and its plan item, not the applications
/// that offered on it (L12155–12159: «статус лотов, пунктов плана на "Отменено"»).
#[test]
fn a_lot_cancelled_alone_leaves_the_applications_as_they_were() {
    let mut w = World::new();
    w.accepting_ok(2);
    w.apply(1, &[1, 2], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    w.run(&secretary(), cancel(&[1]));
    let state = w.state();
    assert_eq!(state.status, Some(S::PublishedAcceptingApplications));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Cancelled));
    assert_eq!(state.lot_status(&plan_item(2)), Some(LotStatus::Published));
    // Decision 0640: «as they were» is the announcement's own status, mirrored.
    for n in [1, 2] {
        assert_eq!(
            state.application_status(&application_id(n)),
            Some(ApplicationStatus::PublishedAcceptingApplications)
        );
    }
}

// spec 000-A §4.5, L3499–3501: cancellation is possible while suspended.
#[test]
fn a_suspended_procurement_can_be_cancelled() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.run(
        &secretary(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    w.run(&secretary(), cancel(&[1]));
    let state = w.state();
    assert_eq!(state.status, Some(S::Cancelled));
    assert_eq!(state.status_before_suspension, None);
}

// spec 000-A §4.5: suspension and resumption are the secretary's and need the full act.
#[test]
fn suspension_needs_the_secretary_and_a_complete_act() {
    let mut w = World::new();
    w.published_ok(1);
    assert_eq!(
        w.refuse(
            &chairman(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "not_secretary"
    );
    let mut nameless = act(Body::Court, ActType::Decision);
    nameless.body_name = " ".into();
    assert_eq!(
        w.refuse(&secretary(), C::Suspend { act: nameless }),
        "missing_field"
    );
    let mut unnumbered = act(Body::Court, ActType::Decision);
    unnumbered.number.clear();
    assert_eq!(
        w.refuse(&secretary(), C::Suspend { act: unnumbered }),
        "missing_field"
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            C::Resume {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
    w.run(
        &secretary(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    assert_eq!(w.state().status_before_suspension, Some(S::Published));
    w.run(
        &secretary(),
        C::Resume {
            act: act(Body::Prosecutor, ActType::Resolution),
        },
    );
    assert_eq!(w.status(), S::Published);
    assert_eq!(w.state().acts.records.len(), 2);
}

// spec 000-A §4.4, L596, L3339; decision 0201: cancelled held lots return to the pool.
#[test]
fn a_completed_lot_cancelled_leaves_the_announcement_holding_nothing() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    assert!(
        w.state().holds_plan_item(&plan_item(1)),
        "a held lot stays with its announcement"
    );
    w.run(&secretary(), cancel(&[1]));
    let state = w.state();
    assert!(!state.holds_plan_item(&plan_item(1)));
    assert!(state.holds_plan_item(&plan_item(2)));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Cancelled)
    );
    assert_eq!(state.status, Some(S::Completed));
    let validities: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| p.validity)
        .collect();
    assert_eq!(
        validities,
        [ProtocolValidity::Invalid, ProtocolValidity::Valid]
    );
}

// spec 000-A §4.6, L618–622: creator changes only in the listed statuses.
#[test]
fn the_creator_changes_only_in_the_listed_statuses() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let change = C::ChangeCreator {
        new_creator_iin: secretary().iin,
        creator_blocked: true,
        new_creator_active: true,
    };
    assert_eq!(
        w.refuse(&org_admin(), change.clone()),
        "creator_change_not_allowed"
    );
    w.run(&organizer(), C::Publish);
    let mut foreign_admin = org_admin();
    foreign_admin.org = bin(3);
    assert_eq!(
        w.refuse(&foreign_admin, change.clone()),
        "foreign_organization"
    );
    w.run(&org_admin(), change);
}

// spec 000-A §4.9, L1928–1940: the customer refuses its own lots; the results protocol is
// re-formed like after a cancellation.
#[test]
fn the_customer_refuses_its_lots_and_the_results_are_re_formed() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    let refuse = |lots: Vec<u32>, reason: &str| C::RefuseProcurement {
        plan_item_ids: lots.into_iter().map(plan_item).collect(),
        reason: reason.into(),
        document: file("отказ"),
    };
    assert_eq!(
        w.refuse(&secretary(), refuse(vec![2], "Сокращение")),
        "forbidden_role"
    );
    let mut other_customer = customer();
    other_customer.org = bin(4);
    assert_eq!(
        w.refuse(&other_customer, refuse(vec![2], "Сокращение")),
        "foreign_organization"
    );
    assert_eq!(w.refuse(&customer(), refuse(vec![2], " ")), "missing_field");
    let events = w.run(&customer(), refuse(vec![2], "Сокращение расходов"));
    let types: Vec<_> = events.iter().map(AnnouncementEvent::event_type).collect();
    assert_eq!(
        types,
        ["ProcurementRefused", "ProtocolFormed", "ProtocolPublished"]
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert!(!state.holds_plan_item(&plan_item(2)));
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let lot2 = protocol
        .content
        .lots
        .iter()
        .find(|l| l.plan_item_id == plan_item(2))
        .unwrap();
    assert_eq!(lot2.refusal.as_ref().unwrap().reason, "Сокращение расходов");
    assert_eq!(lot2.outcome, Some(LotOutcome::Cancelled));
    assert_eq!(
        w.refuse(&customer(), refuse(vec![2], "Ещё раз")),
        "lot_cancelled"
    );
}

// spec 000-A §4.9 with §4.4: refusing every lot before completion closes the announcement.
#[test]
fn refusing_every_lot_during_acceptance_closes_the_announcement() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.run(
        &customer(),
        C::RefuseProcurement {
            plan_item_ids: vec![plan_item(1)],
            reason: "Нет потребности".into(),
            document: file("отказ"),
        },
    );
    assert_eq!(w.status(), S::Cancelled);
}
