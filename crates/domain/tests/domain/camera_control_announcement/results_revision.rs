//! Direction 4: the results revision with a new results protocol version (L12612–12793), its
//! signed protocol deleted before publication, and the conditional discounts changed in it.

use super::*;

/// Two lots, one application each, admitted, results published: «Завершено».
fn completed() -> World {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1]), (2, &[2])]);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    assert_eq!(w.status(), S::Completed);
    w
}

#[test]
fn direction_four_results_revision_gives_a_new_valid_results_protocol() {
    // S22 and S1, L12600–12803, L10490–10512.
    let mut w = completed();
    deliver(&mut w, 1, 1, Direction::Fourth, Remedy::ReviseResults);
    let state = w.state();
    assert_eq!(state.status, Some(S::DecidingNoticeExecution));
    assert_eq!(
        state.lot_status(&plan_item(1)),
        Some(LotStatus::DecidingNoticeExecution)
    );
    assert_eq!(state.lot_status(&plan_item(2)), None);
    acknowledge(&mut w, 1);
    w.run(
        &secretary(),
        C::CameraControl(CC::StartResultsRevision {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    assert_eq!(w.status(), S::ResultsRevision);
    assert_eq!(notice_status(&w, 1), NoticeStatus::InExecution);
    assert!(!w.state().voting().completed);
    // A member withdraws and re-casts his vote (L12797–12799).
    w.run(
        &member_a(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.vote(&member_a(), 1, admit(&[plan_item(1)]));
    let events = w.run(&secretary(), C::CompleteVoting);
    assert!(events.iter().any(|e| matches!(
        e,
        AnnouncementEvent::CameraControl(
            CameraControlEvent::NoticeExecutionSubmittedForConfirmation(_)
        )
    )));
    assert_eq!(
        notice_status(&w, 1),
        NoticeStatus::ExecutedPendingConfirmation
    );
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity))
        .collect();
    assert_eq!(
        versions,
        [(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
    w.run(
        &inspector(),
        C::CameraControl(CC::ConfirmExecution {
            notice_id: notice(1),
        }),
    );
    assert_eq!(notice_status(&w, 1), NoticeStatus::Executed);
}

/// Issue 27 item 4, decision 0607: notices go «по лотам … до окончания срока подачи жалоб»
/// (L10910–10914), one per lot (L10978–10982). The first one makes the announcement «Принятие
/// решения по исполнению уведомления» (L12612–12616); the second lot's, the next day, is still
/// within the complaint period and is accepted.
#[test]
fn a_second_direction_four_notice_on_another_lot_the_next_day_is_accepted() {
    let mut w = completed();
    deliver(&mut w, 1, 1, Direction::Fourth, Remedy::ReviseResults);
    assert_eq!(w.status(), S::DecidingNoticeExecution);
    w.advance(Duration::days(1));
    deliver(&mut w, 2, 2, Direction::Fourth, Remedy::CancelProcurement);
    let state = w.state();
    assert_eq!(state.status, Some(S::DecidingNoticeExecution));
    for lot in [1, 2] {
        assert_eq!(
            state.lot_status(&plan_item(lot)),
            Some(LotStatus::DecidingNoticeExecution)
        );
    }
    let second = state.camera_control.notice(&notice(2)).expect("delivered");
    assert_eq!(second.status, NoticeStatus::Delivered);
    assert_eq!(
        second.announcement_status_at_delivery,
        "deciding_notice_execution"
    );
}

#[test]
fn direction_four_continue_without_execution_returns_to_completed() {
    // L12805–12818, docs/decisions/0307.
    let mut w = completed();
    deliver(&mut w, 1, 1, Direction::Fourth, Remedy::ReviseResults);
    acknowledge(&mut w, 1);
    w.run(
        &secretary(),
        C::CameraControl(CC::ContinueWithoutNoticeExecution),
    );
    assert_eq!(w.status(), S::Completed);
    assert!(
        w.state()
            .camera_control
            .notice(&notice(1))
            .unwrap()
            .cancellation_only
    );
}

/// Direction 4 taken up on lot 1 and the revision's «Завершить голосование» pressed.
fn revising(w: &mut World) {
    deliver(w, 1, 1, Direction::Fourth, Remedy::ReviseResults);
    acknowledge(w, 1);
    w.run(
        &secretary(),
        C::CameraControl(CC::StartResultsRevision {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
}

fn results_versions(w: &World) -> Vec<(u32, ProtocolValidity)> {
    w.state()
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity))
        .collect()
}

#[test]
fn s1_members_see_their_decisions_change_one_and_the_new_results_protocol_is_valid() {
    // S1, L10416–10512: given «Пересмотр итогов» with P1 published and three members who voted,
    // when a member changes one decision and the new protocol is formed, signed and published,
    // then P1 «Не действительный», P2 «Действительный», the announcement «Завершено».
    let mut w = completed();
    revising(&mut w);
    assert_eq!(w.status(), S::ResultsRevision);
    // Their previous decisions are there to see (L10440–10450).
    let state = w.state();
    assert!([chairman(), member_a(), member_b()].iter().all(|m| {
        state
            .voting()
            .votes
            .contains_key(&(application_id(1), m.iin))
    }));
    w.run(
        &member_b(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.vote(
        &member_b(),
        1,
        reject_qualification(&[plan_item(1)], &plan_item(1)),
    );
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    assert_eq!(w.status(), S::Completed);
    assert_eq!(
        results_versions(&w),
        [(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
}

#[test]
fn s2_a_signed_results_protocol_is_deleted_before_its_publication_in_revision() {
    // S2, L10500–10512: given «Пересмотр итогов» and P2 formed and signed, not published; when
    // the secretary deletes P2, then P1 is the valid protocol again and the members may vote again;
    // once P2 is published, deleting it is refused.
    let mut w = completed();
    revising(&mut w);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    for signer in [secretary(), chairman()] {
        w.sign(&signer, ProtocolKind::Results).expect("signs");
    }
    assert_eq!(
        w.refuse(&member_a(), C::DeleteResultsProtocol),
        "not_secretary"
    );
    w.run(&secretary(), C::DeleteResultsProtocol);
    assert_eq!(w.status(), S::ResultsRevision);
    // The deleted P2 stays in the history, «Не действительный» (decision 0605).
    assert_eq!(
        results_versions(&w),
        [(1, ProtocolValidity::Valid), (2, ProtocolValidity::Invalid)]
    );
    // «Возобновить голосование»: a member votes again.
    w.run(&secretary(), C::ReopenVoting);
    w.run(
        &member_a(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.vote(&member_a(), 1, admit(&[plan_item(1)]));
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    // Formed again after the deletion, it is a new version, P3 (spec 000-A §6, decision 0605).
    assert_eq!(
        results_versions(&w),
        [
            (1, ProtocolValidity::Invalid),
            (2, ProtocolValidity::Invalid),
            (3, ProtocolValidity::Valid)
        ]
    );
    assert_eq!(
        w.refuse(&secretary(), C::DeleteResultsProtocol),
        "protocol_already_published"
    );
}

#[test]
fn the_first_results_protocol_is_not_deleted_outside_a_revision() {
    // L10500–10506 allows the deletion in «Пересмотр итогов» only.
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1]), (2, &[2])]);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(
        w.refuse(&secretary(), C::DeleteResultsProtocol),
        "wrong_status"
    );
}

#[test]
fn s3_in_revision_the_secretary_changes_only_the_conditional_discounts() {
    // S3, L10456–10474: given «Пересмотр итогов» of a lot with two admitted applications and
    // discounts «Заполнено»; when the secretary changes the discounts without any member
    // re-voting; then the values entered before are there, the change is accepted, and the new
    // results protocol follows the new conditional prices.
    let mut w = World::new();
    w.accepting_ok(1);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    w.fire(TimedTransition::EndAcceptance);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    let fill = |first: bool| C::FillConditionalDiscounts {
        plan_item_id: plan_item(1),
        entries: vec![
            (application_id(1), discount(first)),
            (application_id(2), discount(false)),
        ],
    };
    w.run(&secretary(), fill(false));
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    let winner = |w: &World| w.state().lots[&plan_item(1)].outcome.clone();
    assert_eq!(
        winner(&w),
        Some(zakup_domain::lot::LotOutcome::Held {
            winner: application_id(2)
        })
    );
    revising(&mut w);
    let before = w.state().discounts().unwrap().by_lot[&plan_item(1)].clone();
    assert_eq!(before.len(), 2, "«Заполнено»: the values entered before");
    assert_eq!(w.refuse(&member_a(), fill(true)), "not_secretary");
    w.run(&secretary(), fill(true));
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    // 9 000 000 less 14.5 % = 7 695 000 < 8 500 000.
    assert_eq!(
        winner(&w),
        Some(zakup_domain::lot::LotOutcome::Held {
            winner: application_id(1)
        })
    );
}
