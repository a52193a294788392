//! Execution of notices along the four directions: documentation change, cancellation by notices,
//! the discussion protocol without execution, ППД revision, results revision, continuing without
//! execution, and the inspector's confirmation (spec 000-D §4.5–4.8, §4.9, §10 S8 and S13–S22;
//! seed L11426–12818).

#[path = "camera_control_world.rs"]
mod world;

use uuid::Uuid;
use world::*;
use zakup_domain::application::ApplicationId;
use zakup_domain::camera_control::event::{DiscussionOutcome, EditableLots, PpdContinuation};
use zakup_domain::camera_control::facts::Stage;
use zakup_domain::camera_control::{
    AnnouncementEffect, AvailableAction as A, CameraControl, CameraControlCommand as C,
    CameraControlEvent, Direction, ExecutionRoute, NoticeStatus, Remedy,
};

const BY_CAMERA_CONTROL: &str = "Отмена по результатам камерального контроля";
const BY_ELECTRONIC_NOTICES: &str = "Отмена на основании электронных уведомлений";

fn effect(events: &[CameraControlEvent]) -> AnnouncementEffect {
    events
        .iter()
        .find_map(CameraControlEvent::announcement_effect)
        .expect("an announcement effect")
}

fn lots(names: &[&str]) -> Vec<zakup_domain::plan_item::PlanItemId> {
    names.iter().map(|n| lot(n)).collect()
}

/// S13's setup: an open tender with L1, L2 in «Опубликовано», a direction-1 notice N1 on L1 to
/// change the documentation, acknowledged, no supplier requests, the discussion period over.
fn discussion_over_with_documentation_notice() -> World {
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    w.facts.discussion_ended = true;
    w
}

fn set_stage(w: &mut World, stage: Stage) {
    w.facts.stage = stage;
}

/// The copy of S13/S18: its camera control starts with the notices taken over.
fn copy_of(source: &mut World) -> World {
    let copy_id = Uuid::from_u128(0xc0b1);
    let handed = source.state.hand_over_to_copy(copy_id, source.now);
    source.record(handed.clone());
    let CameraControlEvent::NoticesHandedOverToCopy(handed) = &handed[0] else {
        panic!("handed over")
    };
    let mut copy = World::new(source.facts.clone());
    copy.now = source.now;
    set_stage(&mut copy, Stage::Unpublished);
    copy.record(vec![CameraControl::taken_over(
        Uuid::from_u128(0xa11),
        handed,
    )]);
    copy
}

#[test]
fn s13_documentation_change_without_supplier_requests() {
    // S13, L11504–11558, L11909–12071.
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    // During the discussion: not yet (L10950–10954, L11915–11921).
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "discussion_not_completed"
    );
    // The discussion period ends: T1 replaces the normal completion.
    w.facts.discussion_ended = true;
    assert!(w.state.replaces_discussion_completion());
    assert_eq!(
        w.state.available_actions(&w.facts),
        [
            A::ChangeDocumentation,
            A::PublishDiscussionProtocolWithoutExecution
        ]
    );
    // Only lots with notices can be selected (L11927–11929).
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L2"])
            }
        ),
        "lot_has_no_notice"
    );
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: vec![]
            }
        ),
        "no_lots_selected"
    );
    let events = w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::InExecution);
    // In the copy only L1 is editable (L12049–12059).
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ChangeDocumentation {
            editable_lots: EditableLots::Only(lots(&["L1"]))
        }
    );
    // The protocol is signed, the copy created: the notice follows its lot (L12077–12085).
    let mut copy = copy_of(&mut w);
    assert!(w.state.notices.is_empty());
    let handed = w.state.handed_over.as_ref().expect("handed over");
    assert_eq!(handed.copy_announcement_id, Uuid::from_u128(0xc0b1));
    assert_eq!(
        copy.state.documentation_change,
        Some(EditableLots::Only(lots(&["L1"])))
    );
    assert_eq!(copy.status(notice_id(1)), NoticeStatus::InExecution);
    // The changed copy is published: executed, awaiting the inspector (docs/decisions/0304).
    let published = copy.state.on_copy_published(copy.now);
    copy.record(published);
    assert_eq!(
        copy.status(notice_id(1)),
        NoticeStatus::ExecutedPendingConfirmation
    );
    assert_eq!(
        copy.refused(
            secretary(),
            C::ConfirmExecution {
                notice_id: notice_id(1)
            }
        ),
        "forbidden_role"
    );
    copy.run(
        inspector(),
        C::ConfirmExecution {
            notice_id: notice_id(1),
        },
    );
    assert_eq!(copy.status(notice_id(1)), NoticeStatus::Executed);
    assert_eq!(
        copy.refused(
            inspector(),
            C::ConfirmExecution {
                notice_id: notice_id(1)
            }
        ),
        "execution_not_pending_confirmation"
    );
}

#[test]
fn s14_a_change_answer_to_a_supplier_request_makes_every_lot_editable() {
    // S14, L11600–11616, L11779–11851, L11933–11941.
    let mut w = discussion_over_with_documentation_notice();
    w.facts.unanswered_discussion_requests = true;
    assert!(w.state.available_actions(&w.facts).is_empty());
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "discussion_not_completed"
    );
    w.facts.unanswered_discussion_requests = false;
    w.facts.documentation_change_decided_on_requests = true;
    let events = w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(
        effect(&events),
        AnnouncementEffect::ChangeDocumentation {
            editable_lots: EditableLots::All
        }
    );
}

#[test]
fn s15_cancelling_every_lot_cancels_the_announcement() {
    // S15, L12073–12153: a repeat procurement, one lot, two applications, direction 1 (b).
    let mut facts = open_tender(&["L1"]);
    facts.repeat_procurement = true;
    facts.lots[0].application_count = 2;
    let mut w = World::new(facts);
    set_stage(&mut w, Stage::AcceptingApplications);
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
    // Available at once (L10956–10958).
    assert_eq!(w.state.available_actions(&w.facts), [A::CancelByNotices]);
    assert_eq!(
        w.refused(secretary(), C::CancelByNotices),
        "no_lots_added_for_cancellation"
    );
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::InExecution);
    let events = w.run(secretary(), C::CancelByNotices);
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Executed);
    // The announcement, applications, lot and plan item «Отменено», an automatic results
    // protocol with the reason, the lot back in the pool; the inspector is messaged.
    assert_eq!(
        effect(&events),
        AnnouncementEffect::CancelLots {
            plan_item_ids: lots(&["L1"]),
            whole_announcement: true,
            back_to_completed: false,
            reason_ru: BY_CAMERA_CONTROL.into()
        }
    );
    let CameraControlEvent::LotsCancelledByNotices(cancelled) = &events[0] else {
        panic!("cancelled")
    };
    assert_eq!(cancelled.inspector_iins, vec![inspector().iin]);
    assert_eq!(
        w.state
            .remaining_days(&notice_id(1), w.now, &w.calendar)
            .unwrap(),
        None
    );
}

#[test]
fn s16_cancelling_some_lots_leaves_the_announcement() {
    // S16, L12155–12175.
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
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
            reason_ru: BY_CAMERA_CONTROL.into()
        }
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Executed);
}

#[test]
fn s17_discussion_protocol_without_execution_leaves_only_cancellation() {
    // S17, L12177–12313.
    let mut w = discussion_over_with_documentation_notice();
    let events = w.run(secretary(), C::PublishDiscussionProtocolWithoutExecution);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::PublishDiscussionProtocol {
            outcome: DiscussionOutcome::AcceptanceEndDateRequired
        }
    );
    // N1 keeps «Ознакомлен» but from now on only cancellation executes it (L12187–12193).
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Acknowledged);
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "only_cancellation_allowed"
    );
    // The end of acceptance entered and published: «Опубликовано (прием заявок)».
    set_stage(&mut w, Stage::AcceptingApplications);
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: lots(&["L1"])
            }
        ),
        "only_cancellation_allowed"
    );
    assert_eq!(w.state.available_actions(&w.facts), [A::CancelByNotices]);
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
fn s17_with_a_change_answer_the_protocol_leads_to_a_copy_with_every_lot_editable() {
    // L12253–12279.
    let mut w = discussion_over_with_documentation_notice();
    w.facts.documentation_change_decided_on_requests = true;
    let events = w.run(secretary(), C::PublishDiscussionProtocolWithoutExecution);
    assert_eq!(
        effect(&events),
        AnnouncementEffect::PublishDiscussionProtocol {
            outcome: DiscussionOutcome::CopyWithAllLotsEditable
        }
    );
}

#[test]
fn publishing_without_execution_needs_a_direction_one_notice_and_no_change_under_way() {
    let mut w = discussion_over_with_documentation_notice();
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    assert_eq!(
        w.refused(secretary(), C::PublishDiscussionProtocolWithoutExecution),
        "documentation_change_in_progress"
    );
    let mut none = World::new(open_tender(&["L1"]));
    none.facts.discussion_ended = true;
    assert!(!none.state.replaces_discussion_completion());
    assert_eq!(
        none.refused(secretary(), C::PublishDiscussionProtocolWithoutExecution),
        "no_direction_one_notice"
    );
}

#[test]
fn s18_documentation_change_first_then_cancellation_in_the_new_announcement() {
    // S18, L12077–12085: N1 (change, L1) and N2 (cancel, L2).
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.deliver(
        notice_id(2),
        "L2",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    w.facts.discussion_ended = true;
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: lots(&["L1"]),
        },
    );
    let mut copy = copy_of(&mut w);
    // The copy is a draft until published: no cancellation there yet.
    assert_eq!(
        copy.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: lots(&["L2"])
            }
        ),
        "wrong_announcement_status"
    );
    let published = copy.state.on_copy_published(copy.now);
    copy.record(published);
    set_stage(&mut copy, Stage::AcceptingApplications);
    assert_eq!(
        copy.state.available_actions(&copy.facts),
        [A::CancelByNotices]
    );
    copy.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: lots(&["L2"]),
        },
    );
    let events = copy.run(secretary(), C::CancelByNotices);
    assert_eq!(copy.status(notice_id(2)), NoticeStatus::Executed);
    assert_eq!(
        copy.status(notice_id(1)),
        NoticeStatus::ExecutedPendingConfirmation
    );
    assert_eq!(
        effect(&events),
        AnnouncementEffect::CancelLots {
            plan_item_ids: lots(&["L2"]),
            whole_announcement: false,
            back_to_completed: false,
            reason_ru: BY_CAMERA_CONTROL.into()
        }
    );
}

#[test]
fn s19_direction_two_cancellation_is_available_at_once() {
    // S19, L12315–12423.
    let mut facts = open_tender(&["L1"]);
    facts.discussion_ended = true;
    facts.acceptance_started_at = Some(astana(2025, 10, 6, 9, 0));
    let mut w = World::new(facts);
    set_stage(&mut w, Stage::AcceptingApplications);
    w.deliver(
        notice_id(1),
        "L1",
        Direction::Second,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
    assert_eq!(w.state.available_actions(&w.facts), [A::CancelByNotices]);
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
            whole_announcement: true,
            back_to_completed: false,
            reason_ru: BY_ELECTRONIC_NOTICES.into()
        }
    );
}

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
