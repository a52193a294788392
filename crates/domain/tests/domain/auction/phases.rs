//! From the review to the bidding (spec 000-B §4.1.4–§4.1.7, §6.2–§6.3, §7; scenarios S12,
//! S15, S17–S19, S20's start, S23).

use chrono::Duration;

use super::world::*;
use super::{C, ProtocolKind, TimedTransition, awaiting_auction, reviewing_auction};
use zakup_domain::announcement::AnnouncementEvent as E;
use zakup_domain::commission::Commission;
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::status::{AdmissionDecision, AnnouncementStatus as S, LotStatus};

// §3.1 (L5562–5564, L5572–5574): the auction's statuses in the portal's words.
#[test]
fn the_auction_statuses_keep_their_russian_terms() {
    assert_eq!(
        (
            S::PublishedAwaitingAuction.id(),
            S::PublishedAwaitingAuction.original()
        ),
        (
            "published_awaiting_auction",
            "Опубликовано (ожидание проведения аукциона)"
        )
    );
    assert_eq!(
        (
            S::PublishedAuctionInProgress.id(),
            S::PublishedAuctionInProgress.original()
        ),
        (
            "published_auction_in_progress",
            "Опубликовано (проведение аукциона)"
        )
    );
    assert_eq!(ProtocolKind::Admission.original(), "Протокол допуска");
    assert_eq!(
        zakup_domain::announcement::header::Method::Auction.original(),
        "Аукцион"
    );
}

// S18, P1–P4 (L5104–5108, L5504–5564): no rejection, no ППД; the admission protocol is signed
// secretary first, published with a quorum, and fixes the auction's time frame.
#[test]
fn s18_the_admission_protocol_fixes_the_auction_start_and_end() {
    // Given two suppliers admitted by everyone and the voting completed,
    let mut w = reviewing_auction(&[1, 2]);
    assert_eq!(w.status(), S::ReviewingApplications);
    assert_eq!(
        w.refuse(&secretary(), C::FormAdmissionProtocol),
        "voting_not_completed"
    );
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    // then there is no ППД,
    assert_eq!(
        w.refuse(&secretary(), C::FormPreliminaryAdmissionProtocol),
        "no_rejected_applications"
    );
    // only the secretary forms the admission protocol, and the status stays (§3.1),
    assert_eq!(
        w.refuse(&chairman(), C::FormAdmissionProtocol),
        "not_secretary"
    );
    w.run(&secretary(), C::FormAdmissionProtocol);
    assert_eq!(w.status(), S::ReviewingApplications);
    // members sign only after the secretary (P3 by analogy with R8, L5152–5154),
    assert_eq!(
        w.sign(&chairman(), ProtocolKind::Admission)
            .unwrap_err()
            .code,
        "secretary_signs_first"
    );
    w.sign(&secretary(), ProtocolKind::Admission).unwrap();
    w.sign(&chairman(), ProtocolKind::Admission).unwrap();
    // publication needs a quorum of signatures (P4, L5540),
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Admission
            }
        ),
        "no_signature_quorum"
    );
    w.sign(&member_a(), ProtocolKind::Admission).unwrap();
    let now = w.now;
    let events = w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Admission,
        },
    );
    // and its appendix fixes the frame: 10:00 Astana the next working day, for 30 minutes
    // (D-14, docs/decisions/0701).
    let scheduled = events
        .iter()
        .find_map(|e| match e {
            E::AuctionScheduled(s) => Some(s.clone()),
            _ => None,
        })
        .expect("the time frame is published with the protocol");
    let next_day_10 = astana(&format!(
        "{} 10:00",
        (now + Duration::hours(5) + Duration::days(1)).format("%Y-%m-%d")
    ));
    assert_eq!(scheduled.start, next_day_10);
    assert_eq!(scheduled.end, scheduled.start + Duration::minutes(30));
    assert_eq!(w.status(), S::PublishedAwaitingAuction);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::Published)
    );
}

// D-14: a publication on Friday starts the auction on Monday; never on a day off.
#[test]
fn the_auction_starts_on_the_next_working_day() {
    let mut w = reviewing_auction(&[1]);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    for signer in [secretary(), chairman(), member_a()] {
        w.sign(&signer, ProtocolKind::Admission).unwrap();
    }
    // Move to a Friday afternoon.
    while calendar().to_local(w.now).unwrap().format("%a").to_string() != "Fri" {
        w.advance(Duration::days(1));
    }
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Admission,
        },
    );
    let schedule = w
        .state()
        .procedure
        .auction()
        .and_then(|a| a.schedule.clone())
        .unwrap();
    let local = calendar().to_local(schedule.start).unwrap();
    assert_eq!(local.format("%a %H:%M").to_string(), "Mon 10:00");
}

// P5 (L5572–5574): at the start instant the announcement goes to «Опубликовано (проведение
// аукциона)», not before.
#[test]
fn p5_bidding_opens_at_the_start_instant() {
    let mut w = awaiting_auction(&[1, 2]);
    let start = w
        .state()
        .procedure
        .auction()
        .and_then(|a| a.schedule.as_ref())
        .map(|s| s.start)
        .unwrap();
    assert_eq!(w.refuse(&system(), C::StartAuction), "too_early");
    assert_eq!(w.refuse(&secretary(), C::StartAuction), "forbidden_role");
    let deadlines = w.state().deadlines();
    assert!(
        deadlines
            .iter()
            .any(|d| d.transition == TimedTransition::StartAuction && d.at == start)
    );
    w.fire(TimedTransition::StartAuction);
    assert_eq!(w.status(), S::PublishedAuctionInProgress);
    assert_eq!(
        w.state().procedure.auction().unwrap().started_at,
        Some(start)
    );
    assert_eq!(w.refuse(&system(), C::StartAuction), "wrong_status");
}

// S17, S19, R7–R13, P1 (L5104–5344, L5504): a rejection leads through the ППД, the
// supplements and the re-review to the admission protocol.
#[test]
fn s17_s19_the_ppd_supplements_and_re_review_lead_to_the_admission_protocol() {
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
    }
    w.vote(&chairman(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_a(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_b(), 2, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    // With a rejection pending, the admission protocol waits for the ППД.
    assert_eq!(
        w.refuse(&secretary(), C::FormAdmissionProtocol),
        "preliminary_admission_protocol_required"
    );
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    assert_eq!(w.status(), S::FormingPreliminaryAdmissionProtocol);
    assert_eq!(
        w.sign(&member_a(), ProtocolKind::PreliminaryAdmission)
            .unwrap_err()
            .code,
        "secretary_signs_first"
    );
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    assert_eq!(w.status(), S::PublishedSupplementingApplications);
    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    // R11: a rejection without a reason is refused.
    let mut no_reason = reject_qualification(&lot, &lot[0]);
    if let zakup_domain::voting::QualificationVerdict::Rejected { reason, .. } =
        &mut no_reason.lots[0].qualification
    {
        reason.clear();
    }
    assert_eq!(
        w.try_run(
            &chairman(),
            C::CastVote {
                application_id: application_id(2),
                ballot: no_reason,
            }
        )
        .unwrap_err()
        .code,
        "rejection_reason_required"
    );
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.state().voting().decisions[&(application_id(2), plan_item(1))],
        AdmissionDecision::Admitted
    );
    // No conditional discounts in an auction (spec 000-B §8.3).
    assert_eq!(
        w.refuse(&secretary(), C::CompleteConditionalDiscounts),
        "wrong_status"
    );
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission);
    assert_eq!(w.status(), S::PublishedAwaitingAuction);
}

// S12 (L5012–5016, L5082–5092): the quorum needs the chairman.
#[test]
fn s12_the_quorum_requires_the_chairman() {
    let mut w = reviewing_auction(&[1]);
    let lot = [plan_item(1)];
    w.vote(&member_a(), 1, admit(&lot));
    w.vote(&member_b(), 1, admit(&lot));
    assert_eq!(w.refuse(&secretary(), C::CompleteVoting), "no_quorum");
    w.vote(&chairman(), 1, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
}

// S15, C3–C4 (L4704–4720): excluding a member during the voting resets that member's votes
// only; he cannot vote again, a new member can.
#[test]
fn s15_excluding_a_member_during_voting_resets_his_votes() {
    let mut w = reviewing_auction(&[1]);
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_b(), 1, admit(&lot));
    let changed = Commission {
        members: vec![person(&member_a()), person(&member_d())],
        ..commission3()
    };
    w.run(
        &secretary(),
        C::ChangeCommission {
            commission: changed,
            decision: change_decision(),
        },
    );
    let state = w.state();
    assert!(
        state
            .voting()
            .votes
            .keys()
            .all(|(_, iin)| *iin != member_b().iin)
    );
    assert!(
        state
            .voting()
            .votes
            .keys()
            .any(|(_, iin)| *iin == chairman().iin)
    );
    assert_eq!(
        w.try_run(
            &member_b(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&lot),
            }
        )
        .unwrap_err()
        .code,
        "excluded_from_commission"
    );
    w.vote(&member_d(), 1, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
}

// S23, RC1 (L5864–5868): representatives change until the review, not while awaiting bidding.
#[test]
fn s23_representatives_cannot_change_while_awaiting_the_auction() {
    let change = || C::ChangeRepresentatives {
        organizer_representative: person(&member_f()),
        customer_representative: person(&customer_rep()),
    };
    let mut w = reviewing_auction(&[1]);
    w.run(&secretary(), change());
    let mut w = awaiting_auction(&[1]);
    assert_eq!(
        w.refuse(&secretary(), change()),
        "representatives_change_not_allowed"
    );
}

// §4.1.10 (best reading, docs/decisions/0702): suspension while awaiting the auction freezes its
// start; resumption restores the status.
#[test]
fn suspension_while_awaiting_the_auction_freezes_its_start() {
    let mut w = awaiting_auction(&[1]);
    w.run(
        &secretary(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    assert_eq!(w.status(), S::Suspended);
    assert!(w.state().deadlines().is_empty());
    w.run(
        &secretary(),
        C::Resume {
            act: act(Body::Court, ActType::Decision),
        },
    );
    assert_eq!(w.status(), S::PublishedAwaitingAuction);
}

// The open tender's guard table has no admission protocol: its behaviour is unchanged.
#[test]
fn an_open_tender_forms_no_admission_protocol() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), C::FormAdmissionProtocol),
        "wrong_status"
    );
}
