//! The acceptance scenarios of spec 000-B §10 that the auction shares with the open tender
//! (S2, S4, S7, S8, S13, S14, S16, S21, S22), run on an auction: the shared components must
//! behave the same under the auction's method module. S1, S3, S5, S6, S11 are in `drafting.rs`;
//! S12, S15, S17–S19, S23 in `phases.rs`; S20 in `bidding.rs` and `results.rs`.

use chrono::Duration;
use uuid::Uuid;

use super::world::*;
use super::{C, Method, ProtocolKind, SubjectType, TimedTransition, published_auction};
use super::{awaiting_auction, reviewing_auction};
use zakup_domain::actor::Actor;
use zakup_domain::commission::Commission;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::LotOutcome;
use zakup_domain::status::{AdmissionDecision as D, AnnouncementStatus as S, LotStatus};

fn request(n: u128) -> DiscussionRequestId {
    DiscussionRequestId(Uuid::from_u128(n))
}

fn ask(n: u128) -> C {
    C::SubmitDiscussionRequest {
        request_id: request(n),
        subject: "Тема".into(),
        text: "Замечание".into(),
    }
}

fn answer(n: u128, decision: DiscussionDecision, text: Option<&str>) -> C {
    C::AnswerDiscussionRequest {
        request_id: request(n),
        decision,
        text: text.map(str::to_owned),
    }
}

fn cancel_the_lot() -> C {
    C::CancelLots {
        plan_item_ids: vec![plan_item(1)],
        act: act(Body::Court, ActType::Decision),
    }
}

// S2 (L3755–3759, L3817–3819): the draft can be deleted; after publication it cannot.
#[test]
fn s2_a_draft_auction_is_deleted_but_not_a_published_one() {
    // Given a draft auction, when the organizer deletes it, then it is gone;
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    assert_eq!(w.status(), S::Draft);
    w.run(&organizer(), C::DeleteDraft);
    assert_eq!(w.refuse(&organizer(), C::Publish), "announcement_not_found");
    // given a published one, when he tries, then it is refused.
    let mut w = published_auction();
    assert_eq!(w.refuse(&organizer(), C::DeleteDraft), "not_a_draft");
}

// S4 (L4028–4036): the auction commission is odd and at least 3 (5 for a single organizer).
#[test]
fn s4_the_auction_commission_size() {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    let with = |members: Vec<Actor>| Commission {
        members: members.iter().map(person).collect(),
        ..commission3()
    };
    // Chairman + 1 is too small, chairman + 3 is even, chairman + 2 is accepted.
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: with(vec![member_a()])
            }
        ),
        "commission_too_small"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: with(vec![member_a(), member_b(), member_c()])
            }
        ),
        "commission_size_even"
    );
    w.run(
        &organizer(),
        C::SetCommission {
            commission: with(vec![member_a(), member_b()]),
        },
    );
    // A single organizer: chairman + 2 is refused, chairman + 4 is accepted.
    let mut single = header(Method::Auction, SubjectType::Goods);
    single.single_organizer = true;
    w.run(&organizer(), C::UpdateHeader { header: single });
    assert_eq!(w.refuse(&organizer(), C::Publish), "commission_too_small");
    w.run(
        &organizer(),
        C::SetCommission {
            commission: with(vec![member_a(), member_b(), member_c(), member_d()]),
        },
    );
    w.run(&organizer(), C::Publish);
}

// S7 (L4620–4658): without requests, the discussion protocol is formed and published
// automatically at the discussion's end; acceptance starts 30 minutes later when its
// preliminary start is later, keeping the entered interval.
#[test]
fn s7_the_discussion_protocol_is_automatic_and_acceptance_moves_to_plus_30_minutes() {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    let start = working_days_after(w.now, 8);
    let end = start + Duration::days(20);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    w.run(&organizer(), C::Publish);
    let discussion_end = w.state().discussion_end().expect("a primary auction");
    assert_eq!(w.refuse(&system(), C::EndDiscussion), "too_early");
    w.fire(TimedTransition::EndDiscussion);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Discussion).unwrap();
    assert!(protocol.automatic && protocol.signatures.is_empty());
    assert_eq!(protocol.published_at, Some(discussion_end));
    let moved = state.acceptance.unwrap();
    assert_eq!(moved.start, discussion_end + Duration::minutes(30));
    assert_eq!(moved.end - moved.start, end - start);
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.now, moved.start);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
}

// S8 (L4367–4433): a request within 5 working days; no answer before the discussion's end; a
// rejection needs its reason; one answer only, which the secretary may edit.
#[test]
fn s8_discussion_requests_and_a_single_answer() {
    let mut w = published_auction();
    let published = w.now;
    w.now = working_days_after(published, 3);
    w.run(&supplier(1), ask(1));
    assert_eq!(
        w.refuse(
            &customer_rep(),
            answer(1, DiscussionDecision::RejectRemarks, Some("x"))
        ),
        "discussion_not_ended"
    );
    w.now = working_days_after(published, 6);
    assert_eq!(w.refuse(&supplier(1), ask(2)), "discussion_period_over");
    assert_eq!(
        w.refuse(
            &customer_rep(),
            answer(1, DiscussionDecision::RejectRemarks, None)
        ),
        "missing_field"
    );
    w.run(
        &customer_rep(),
        answer(1, DiscussionDecision::RejectRemarks, Some("Не обосновано")),
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            answer(1, DiscussionDecision::Clarify, Some("Разъяснение"))
        ),
        "discussion_request_already_answered"
    );
    w.run(
        &secretary(),
        C::EditDiscussionAnswer {
            request_id: request(1),
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
}

// S13 (L4890–4900, L5038–5044): one member's Art. 6 veto rejects the supplier without the
// right to resubmit, against the majority; he is not invited to supplement.
#[test]
fn s13_an_article_6_veto_overrides_the_majority() {
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, admit(&lot));
    w.vote(&member_b(), 1, veto_common(&lot));
    // Supplier 2 is rejected by everyone, so a ППД follows.
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 2, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    let decisions = w.state().voting().decisions.clone();
    assert_eq!(
        decisions[&(application_id(1), plan_item(1))],
        D::RejectedNoResubmission
    );
    assert_eq!(decisions[&(application_id(2), plan_item(1))], D::Rejected);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    let supplement = |n| C::SupplementApplication {
        application_id: application_id(n),
        plan_item_ids: vec![plan_item(1)],
        documents: vec![file("more")],
    };
    assert_eq!(
        w.refuse(&supplier(1), supplement(1)),
        "no_right_to_supplement"
    );
    w.run(&supplier(2), supplement(2));
}

// S14 (L4920–4944, L5046–5054): the application-security veto rejects for the lot; with only
// that rejection nobody can supplement, so no ППД is required.
#[test]
fn s14_the_security_veto_rejects_for_the_lot() {
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, admit(&lot));
    w.vote(&member_b(), 1, veto_security(&lot, &lot[0]));
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 2, admit(&lot));
    }
    w.run(&secretary(), C::CompleteVoting);
    let state = w.state();
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(1))],
        D::RejectedNoResubmission
    );
    assert!(!state.preliminary_admission_required());
    // The admission protocol follows directly.
    w.run(&secretary(), C::FormAdmissionProtocol);
}

// S16 (L4960–4962, L5096–5100): a vote is withdrawn and re-cast before completion; after it,
// withdrawal is refused until the secretary reopens the voting.
#[test]
fn s16_vote_withdrawal_and_reopening() {
    let mut w = reviewing_auction(&[1]);
    let lot = [plan_item(1)];
    let withdraw = || C::WithdrawVote {
        application_id: application_id(1),
    };
    w.vote(&chairman(), 1, reject_qualification(&lot, &lot[0]));
    w.run(&chairman(), withdraw());
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(w.refuse(&chairman(), withdraw()), "voting_completed");
    assert_eq!(w.refuse(&member_a(), C::ReopenVoting), "not_secretary");
    w.run(&secretary(), C::ReopenVoting);
    w.run(&chairman(), withdraw());
    w.vote(&chairman(), 1, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    // Once the admission protocol is formed, the voting no longer reopens (decision 0714).
    w.run(&secretary(), C::FormAdmissionProtocol);
    assert_eq!(
        w.refuse(&secretary(), C::ReopenVoting),
        "protocol_already_formed"
    );
}

// S21's second half (L5742–5744): a contract in «Проект договора» blocks the cancellation of a
// completed auction until it is deleted. (The first half, a repeat auction holding the failed
// lot, is the plan item's rule: plan_item_rules.rs.)
#[test]
fn s21_a_contract_draft_blocks_cancellation_until_deleted() {
    let mut w = awaiting_auction(&[1]);
    w.run(&secretary(), cancel_the_lot());
    assert_eq!(w.status(), S::Cancelled);

    let mut w = super::results::completed(&[(1, 5, 9_500_000)]);
    w.run(
        &customer(),
        C::RecordLotContractDraft {
            plan_item_id: plan_item(1),
            contract_id: Uuid::from_u128(5),
        },
    );
    assert_eq!(
        w.refuse(&secretary(), cancel_the_lot()),
        "contract_draft_exists"
    );
    w.run(
        &customer(),
        C::RecordLotContractDeleted {
            plan_item_id: plan_item(1),
        },
    );
    w.run(&secretary(), cancel_the_lot());
}

// S22 (L5676–5740): a cancellation needs its act's file; the cancelled lot is «Отменен», its
// plan item goes back to the pool, and the results protocol states the act.
#[test]
fn s22_cancellation_needs_the_act_and_returns_the_lot() {
    let mut w = awaiting_auction(&[1, 2]);
    let mut no_file = act(Body::Court, ActType::Decision);
    no_file.file.file_id.clear();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::CancelLots {
                plan_item_ids: vec![plan_item(1)],
                act: no_file,
            }
        ),
        "missing_field"
    );
    w.run(&secretary(), cancel_the_lot());
    let state = w.state();
    assert_eq!(state.status, Some(S::Cancelled));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Cancelled));
    assert!(!state.holds_plan_item(&plan_item(1)), "back to the pool");
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let lot = &protocol.content.lots[0];
    assert_eq!(lot.outcome, Some(LotOutcome::Cancelled));
    assert_eq!(
        lot.cancellation.as_ref().unwrap().act_type,
        ActType::Decision
    );
}
