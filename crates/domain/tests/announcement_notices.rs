//! Camera-control hooks of this part (spec 000-A §9.5, D3, A12–A13).

#[path = "announcement_world.rs"]
mod world;

use chrono::Duration;
use uuid::Uuid;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::notice::NoticeDirection;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AnnouncementStatus as S, LotStatus};

fn notice(n: u128, direction: NoticeDirection) -> C {
    C::RecordCameraControlNotice {
        notice_id: Uuid::from_u128(n),
        direction,
        plan_item_ids: vec![plan_item(1)],
    }
}

// spec 000-A §4.2.2 D3, L1574–1578: a first-direction notice replaces the automatic protocol.
#[test]
fn a_first_direction_notice_holds_back_the_automatic_discussion_protocol() {
    let mut w = World::new();
    w.published_ok(1);
    assert_eq!(
        w.refuse(&secretary(), notice(1, NoticeDirection::First)),
        "forbidden_role",
        "relayed by the engine"
    );
    assert_eq!(
        w.refuse(&system(), notice(1, NoticeDirection::Third)),
        "wrong_status"
    );
    w.run(&system(), notice(1, NoticeDirection::First));
    assert_eq!(
        w.refuse(&system(), notice(1, NoticeDirection::First)),
        "duplicate_id"
    );
    let events = w.fire(TimedTransition::EndDiscussion);
    assert_eq!(events.len(), 1, "only DiscussionEnded");
    assert!(w.state().deadlines().is_empty());
    assert_eq!(
        w.refuse(&system(), C::EndDiscussion),
        "camera_control_notice_open"
    );

    w.advance(Duration::days(2));
    w.run(
        &system(),
        C::ResolveCameraControlNotice {
            notice_id: Uuid::from_u128(1),
        },
    );
    assert_eq!(
        w.refuse(
            &system(),
            C::ResolveCameraControlNotice {
                notice_id: Uuid::from_u128(1)
            }
        ),
        "camera_control_notice_unknown"
    );
    assert_eq!(
        w.state().deadlines()[0].transition,
        TimedTransition::EndDiscussion
    );
    w.run(&system(), C::EndDiscussion);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Discussion).unwrap();
    assert!(protocol.automatic && protocol.published_at == Some(w.now));
    assert_eq!(
        w.refuse(&system(), C::EndDiscussion),
        "discussion_period_over"
    );
}

// spec 000-A §4.2.2 D6, L1656–1662: with a first-direction notice the secretary cannot complete.
#[test]
fn a_first_direction_notice_blocks_completing_the_discussion() {
    let mut w = World::new();
    w.published_ok(1);
    let request_id = DiscussionRequestId(Uuid::from_u128(5));
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id,
            subject: "Тема".into(),
            text: "Текст".into(),
        },
    );
    w.run(&system(), notice(1, NoticeDirection::First));
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id,
            decision: DiscussionDecision::Clarify,
            text: Some("Ответ".into()),
        },
    );
    let complete = C::CompleteDiscussion {
        signers: vec![person(&organizer_rep())],
    };
    assert_eq!(
        w.refuse(&secretary(), complete.clone()),
        "camera_control_notice_open"
    );
    w.run(
        &system(),
        C::ResolveCameraControlNotice {
            notice_id: Uuid::from_u128(1),
        },
    );
    w.run(&secretary(), complete);
}

// spec 000-A §4.2.4 A13, L2649–2677: a third-direction notice within 3 working days of the ППД.
#[test]
fn a_third_direction_notice_asks_for_a_decision_on_revising_the_ppd() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a()] {
        w.vote(&member, 1, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    let mut late = World {
        id: w.id,
        now: w.now + Duration::days(7),
        events: w.events.clone(),
        ..World::new()
    };
    assert_eq!(
        late.refuse(&system(), notice(3, NoticeDirection::Third)),
        "camera_control_notice_too_late"
    );

    w.run(&system(), notice(3, NoticeDirection::Third));
    w.fire(TimedTransition::EndSupplementPeriod);
    let state = w.state();
    assert_eq!(state.status, Some(S::DecidingPpdRevision));
    assert_eq!(
        state.lot_status(&plan_item(1)),
        Some(LotStatus::DecidingPpdRevision)
    );
    assert_eq!(
        w.refuse(
            &chairman(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&lot)
            }
        ),
        "wrong_status"
    );
    assert_eq!(
        w.refuse(&chairman(), C::ContinueWithoutPpdRevision),
        "not_secretary"
    );
    w.run(&secretary(), C::ContinueWithoutPpdRevision);
    // No supplement was submitted: «Заполнение условных скидок» (spec 000-D S21a, seed
    // L12560–12574; the fidelity fix of docs/decisions/0502).
    assert_eq!(w.status(), S::FillingConditionalDiscounts);
}
