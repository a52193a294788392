//! Execution of notices along the four directions: documentation change, cancellation by notices,
//! the discussion protocol without execution, ППД revision, results revision, continuing without
//! execution, and the inspector's confirmation (spec 000-D §4.5–4.8, §4.9, §10 S8 and S13–S22;
//! seed L11426–12818).

use crate::camera_control_world as world;

#[path = "camera_control_directions/ppd_and_results.rs"]
mod ppd_and_results;

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
