//! Directions 3 and 4: the ППД revision and its alternatives (S20, S21a–c), the results revision
//! (S22), expiry (S8), the routes of the remedies and who executes them.

use super::*;

/// S20's setup: direction-3 notices on L1 and L2 delivered on different days, acknowledged.
fn supplementing_with_two_notices() -> World {
    let mut facts = open_tender(&["L1", "L2"]);
    facts.discussion_ended = true;
    facts.ppd_published_at = Some(astana(2025, 10, 6, 9, 0));
    let mut w = World::new(facts);
    set_stage(&mut w, Stage::SupplementingApplications);
    w.deliver(notice_id(1), "L1", Direction::Third, Remedy::RevisePpd);
    w.at(2025, 10, 7, 10, 0)
        .deliver(notice_id(2), "L2", Direction::Third, Remedy::RevisePpd);
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    w
}

#[test]
fn s20_ppd_revision_for_all_notice_lots_at_once() {
    // S20, L12425–12540.
    let mut w = supplementing_with_two_notices();
    assert_eq!(
        w.refused(
            secretary(),
            C::StartPpdRevision {
                plan_item_ids: lots(&["L1", "L2"])
            }
        ),
        "supplement_period_not_ended"
    );
    // The supplement period ends: «Принятие решения по пересмотру ППД» (L12451–12461).
    assert_eq!(w.state.open_notices(Direction::Third).count(), 2);
    set_stage(&mut w, Stage::DecidingPpdRevision);
    assert_eq!(
        w.state.available_actions(&w.facts),
        [A::RevisePpd, A::ContinueWithoutPpdRevision]
    );
    let events = w.run(
        secretary(),
        C::StartPpdRevision {
            plan_item_ids: lots(&["L1", "L2"]),
        },
    );
    assert_eq!(
        (w.status(notice_id(1)), w.status(notice_id(2))),
        (NoticeStatus::InExecution, NoticeStatus::InExecution)
    );
    // Voting «Кворум достигнут», re-review, «Пересмотр ППД», messages (L12506–12518).
    assert_eq!(
        effect(&events),
        AnnouncementEffect::RevisePpd {
            plan_item_ids: lots(&["L1", "L2"])
        }
    );
    set_stage(&mut w, Stage::Other);
    // «Завершить голосование» with no change still executes them (L12522–12530).
    let completed = w.state.on_revision_voting_completed(w.now);
    assert!(matches!(
        &completed[..],
        [CameraControlEvent::NoticeExecutionSubmittedForConfirmation(e)] if e.route == ExecutionRoute::PpdRevision
    ));
    w.record(completed);
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::ExecutedPendingConfirmation
    );
    assert_eq!(
        w.status(notice_id(2)),
        NoticeStatus::ExecutedPendingConfirmation
    );
    w.run(
        inspector(),
        C::RejectExecution {
            notice_id: notice_id(2),
        },
    );
    assert_eq!(w.status(notice_id(2)), NoticeStatus::ExecutedNotConfirmed);
}

#[test]
fn the_ppd_is_revised_once() {
    // L12439–12447, docs/decisions/0307: the revision is done once for the notice lots together.
    let mut w = supplementing_with_two_notices();
    set_stage(&mut w, Stage::DecidingPpdRevision);
    w.run(
        secretary(),
        C::StartPpdRevision {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(
        w.refused(
            secretary(),
            C::StartPpdRevision {
                plan_item_ids: lots(&["L2"])
            }
        ),
        "ppd_revision_already_started"
    );
}

#[test]
fn s21a_open_tender_without_supplements_goes_to_conditional_discounts() {
    // S21 (a), L12562–12574.
    let mut w = supplementing_with_two_notices();
    w.facts.lots[0].application_count = 2;
    w.facts.lots[1].application_count = 1;
    set_stage(&mut w, Stage::DecidingPpdRevision);
    let events = w.run(secretary(), C::ContinueWithoutPpdRevision);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ContinueWithoutPpdRevision {
            next: PpdContinuation::FillingConditionalDiscounts {
                plan_item_ids: lots(&["L1"])
            }
        }
    );
    // Afterwards only cancellation (L12550–12556).
    set_stage(&mut w, Stage::Other);
    assert_eq!(w.state.available_actions(&w.facts), [A::CancelByNotices]);
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L1", "L2"]),
        },
    );
    let events = w.run(secretary(), C::CancelByNotices);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::CancelLots {
            plan_item_ids: lots(&["L1", "L2"]),
            whole_announcement: true,
            back_to_completed: false,
            reason_ru: BY_ELECTRONIC_NOTICES.into()
        }
    );
}

#[test]
fn s21b_supplements_submitted_go_to_their_review() {
    // S21 (b), L12578–12586.
    let mut w = supplementing_with_two_notices();
    let supplemented = ApplicationId(Uuid::from_u128(0xa1));
    w.facts.supplemented_application_ids = vec![supplemented];
    set_stage(&mut w, Stage::DecidingPpdRevision);
    let events = w.run(secretary(), C::ContinueWithoutPpdRevision);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ContinueWithoutPpdRevision {
            next: PpdContinuation::ReviewingSupplements {
                application_ids: vec![supplemented]
            }
        }
    );
    assert!(w.state.notice(&notice_id(1)).unwrap().cancellation_only);
}

#[test]
fn s21c_auction_without_supplements_forms_the_admission_protocol() {
    // S21 (c), L12590–12598.
    let mut w = supplementing_with_two_notices();
    // An auction (L12590–12598).
    w.facts.discounts_without_supplements = false;
    set_stage(&mut w, Stage::DecidingPpdRevision);
    let events = w.run(secretary(), C::ContinueWithoutPpdRevision);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ContinueWithoutPpdRevision {
            next: PpdContinuation::AdmissionProtocolFormation
        }
    );
}

/// S22's setup: a completed open tender with L1, L2 and a direction-4 notice on L1.
fn completed_with_results_notice() -> World {
    let mut facts = open_tender(&["L1", "L2"]);
    facts.discussion_ended = true;
    facts.complaint_period_end = Some(astana(2025, 10, 10, 0, 0));
    let mut w = World::new(facts);
    set_stage(&mut w, Stage::Completed);
    w.deliver(notice_id(1), "L1", Direction::Fourth, Remedy::ReviseResults);
    w.acknowledge(notice_id(1));
    w.facts.stage = Stage::DecidingNoticeExecution;
    w
}

#[test]
fn s22_results_revision_by_notice() {
    // S22, L12600–12803.
    let mut w = completed_with_results_notice();
    assert_eq!(
        w.state.available_actions(&w.facts),
        [A::ReviseResults, A::ContinueWithoutNoticeExecution]
    );
    // Revising results is not a cancellation: the remedy decides (L12624–12628).
    assert_eq!(
        w.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "remedy_mismatch"
    );
    let events = w.run(
        secretary(),
        C::StartResultsRevision {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::InExecution);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ReviseResults {
            plan_item_ids: lots(&["L1"])
        }
    );
    set_stage(&mut w, Stage::Other);
    let completed = w.state.on_revision_voting_completed(w.now);
    w.record(completed);
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::ExecutedPendingConfirmation
    );
    w.run(
        inspector(),
        C::ConfirmExecution {
            notice_id: notice_id(1),
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Executed);
}

#[test]
fn direction_four_continue_without_execution_returns_to_completed() {
    // L12805–12818, docs/decisions/0307: back to «Завершено», only cancellation afterwards.
    let mut w = completed_with_results_notice();
    let events = w.run(secretary(), C::ContinueWithoutNoticeExecution);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ReturnToCompleted {
            plan_item_ids: lots(&["L1"])
        }
    );
    set_stage(&mut w, Stage::Completed);
    assert_eq!(
        w.refused(
            secretary(),
            C::StartResultsRevision {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "only_cancellation_allowed"
    );
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L1"]),
        },
    );
    let events = w.run(secretary(), C::CancelByNotices);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::CancelLots {
            plan_item_ids: lots(&["L1"]),
            whole_announcement: false,
            back_to_completed: false,
            reason_ru: BY_ELECTRONIC_NOTICES.into()
        }
    );
}

#[test]
fn s8_an_expired_notice_is_executed_only_by_cancellation() {
    // S8, L10966–10972; spec §9.6 item 1: cancellation only, despite tables T1/T2.
    let mut w = discussion_over_with_documentation_notice();
    w.at(2025, 10, 21, 0, 0).run(system(), C::ExpireNotices);
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::NotExecutedAcknowledged
    );
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "only_cancellation_allowed"
    );
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L1"]),
        },
    );
    w.run(secretary(), C::CancelByNotices);
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Executed);
}

#[test]
fn a_notice_in_execution_does_not_expire() {
    // Spec §4.3 N4 best reading (docs/decisions/0302).
    let mut w = discussion_over_with_documentation_notice();
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    w.at(2025, 10, 30, 0, 0);
    assert!(w.run(system(), C::ExpireNotices).is_empty());
    assert_eq!(w.status(notice_id(1)), NoticeStatus::InExecution);
}

#[test]
fn the_remedy_chooses_the_route() {
    let mut w = discussion_over_with_documentation_notice();
    assert_eq!(
        w.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "remedy_mismatch"
    );
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "notice_in_execution"
    );
}

#[test]
fn only_the_secretary_of_the_organizer_executes_and_never_an_auditor() {
    // L11945; "an inspector cannot act on the procurement itself".
    let mut w = discussion_over_with_documentation_notice();
    let command = C::ChangeDocumentationByNotices {
        plan_item_ids: lots(&["L1"]),
    };
    assert_eq!(
        w.refused(inspector(), command.clone()),
        "auditor_cannot_act_on_procurement"
    );
    assert_eq!(
        w.refused(committee(), command.clone()),
        "auditor_cannot_act_on_procurement"
    );
    assert_eq!(
        w.refused(stranger(), command.clone()),
        "foreign_organization"
    );
    assert_eq!(w.refused(colleague(), command.clone()), "not_secretary");
    assert_eq!(w.refused(employee(), command.clone()), "forbidden_role");
    w.run(secretary(), command);
}

#[test]
fn refusal_codes_are_unique_snake_case() {
    let codes = zakup_domain::camera_control::refusal::CODES;
    let unique: std::collections::BTreeSet<_> = codes.iter().collect();
    assert_eq!(unique.len(), codes.len());
    assert!(
        codes
            .iter()
            .all(|c| c.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
    );
}

#[test]
fn direction_four_partial_cancellation_returns_to_completed() {
    // L12702–12720, docs/decisions/0307: cancelling the only lot with a direction-4 notice.
    let mut facts = open_tender(&["L1", "L2"]);
    facts.complaint_period_end = Some(astana(2025, 10, 10, 0, 0));
    let mut w = World::new(facts);
    set_stage(&mut w, Stage::Completed);
    w.deliver(
        notice_id(1),
        "L1",
        Direction::Fourth,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
    w.facts.stage = Stage::DecidingNoticeExecution;
    assert_eq!(
        w.state.available_actions(&w.facts),
        [A::CancelByNotices, A::ContinueWithoutNoticeExecution]
    );
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L1"]),
        },
    );
    let events = w.run(secretary(), C::CancelByNotices);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::CancelLots {
            plan_item_ids: lots(&["L1"]),
            whole_announcement: false,
            back_to_completed: true,
            reason_ru: BY_ELECTRONIC_NOTICES.into()
        }
    );
}
