//! The discussion protocol under a direction-1 notice (spec 000-D S13, S17; decisions 0606 and
//! 0308): published by its last signature into the copy, or by the secretary once the end of
//! acceptance is entered.

use super::*;

/// A published one-lot tender with an acknowledged direction-1 notice to change the
/// documentation, and the discussion period over without requests (S13's setup).
fn notice_after_discussion() -> World {
    let mut w = World::new();
    w.published_ok(1);
    deliver(&mut w, 1, 1, Direction::First, Remedy::ChangeDocumentation);
    acknowledge(&mut w, 1);
    w.fire(TimedTransition::EndDiscussion);
    w
}

fn sign_discussion(w: &mut World) -> Vec<AnnouncementEvent> {
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap()
}

fn event_types(events: &[AnnouncementEvent]) -> Vec<&'static str> {
    events.iter().map(|e| e.to_stored().0).collect()
}

#[test]
fn s13_the_last_signature_publishes_the_discussion_protocol_and_decides_the_change() {
    // Given S13 (L11909–12071): the documentation change by the notice, the protocol formed
    let mut w = notice_after_discussion();
    w.run(
        &secretary(),
        C::CameraControl(CC::ChangeDocumentationByNotices {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep()), person(&customer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    let publish = || C::PublishProtocol {
        kind: ProtocolKind::Discussion,
    };
    // When the first of two signers signs, nothing is published yet
    assert_eq!(event_types(&sign_discussion(&mut w)), ["ProtocolSigned"]);
    assert_eq!(w.refuse(&secretary(), publish()), "signatures_missing");
    // When the last one signs, the system publishes it and decides the change (L12033–12047)
    let events = w.sign(&customer_rep(), ProtocolKind::Discussion).unwrap();
    assert_eq!(
        event_types(&events)[..3],
        [
            "ProtocolSigned",
            "ProtocolPublished",
            "DocumentationChangeDecided"
        ]
    );
    assert!(events.iter().any(|e| matches!(
        e,
        AnnouncementEvent::CameraControl(CameraControlEvent::NoticesHandedOverToCopy(_))
    )));
    let state = w.state();
    assert!(
        state
            .valid_protocol(ProtocolKind::Discussion)
            .is_some_and(|p| p.published_at.is_some())
    );
    assert_eq!(state.status, Some(S::DocumentationChanged));
    assert_eq!(
        w.refuse(&secretary(), publish()),
        "protocol_already_published"
    );
}

/// S17's setup after «Публикация протокола обсуждения без исполнения уведомления».
fn without_execution(w: &mut World) {
    w.run(
        &secretary(),
        C::CameraControl(CC::PublishDiscussionProtocolWithoutExecution),
    );
}

#[test]
fn s17_without_requests_the_secretary_enters_the_acceptance_end_and_publishes() {
    // Given S17 (L12177–12313): no requests, the protocol published without executing N1
    let mut w = notice_after_discussion();
    without_execution(&mut w);
    // Then the automatic +30 minutes protocol no longer runs (L12195–12211): it is the
    // secretary's signed one
    assert!(
        w.state()
            .deadlines()
            .iter()
            .all(|d| d.transition != TimedTransition::EndDiscussion)
    );
    assert_eq!(
        w.try_run(&system(), C::EndDiscussion).unwrap_err().code,
        "camera_control_notice_open"
    );
    assert!(!w.has("ProtocolFormed"));
    let end = w.now + Duration::days(20);
    let enter = |end| C::EnterAcceptanceEnd { end };
    assert_eq!(
        w.refuse(&secretary(), enter(end)),
        "protocol_not_found",
        "the field is not active before the protocol"
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    // The secretary may delete it before signing (L12225–12227)
    w.run(&secretary(), C::DeleteDiscussionProtocol);
    w.run(&secretary(), C::FormDiscussionProtocol);
    // Before the signature the end-date field is not active (L12269–12277)
    assert_eq!(w.refuse(&secretary(), enter(end)), "signatures_missing");
    // When signed, nothing is published by the system
    assert_eq!(event_types(&sign_discussion(&mut w)), ["ProtocolSigned"]);
    assert_eq!(
        w.refuse(&secretary(), C::DeleteDiscussionProtocol),
        "protocol_already_signed"
    );
    // Publication waits for the end date (L12277–12299)
    let publish = || C::PublishProtocol {
        kind: ProtocolKind::Discussion,
    };
    assert_eq!(w.refuse(&secretary(), publish()), "acceptance_end_required");
    assert_eq!(w.refuse(&organizer_rep(), enter(end)), "not_secretary");
    assert_eq!(
        w.refuse(&secretary(), enter(w.now + Duration::days(3))),
        "acceptance_period_too_short"
    );
    w.run(&secretary(), enter(end));
    w.run(&secretary(), enter(end + Duration::days(1)));
    // When the secretary publishes: acceptance from now to the entered end (L12299–12313)
    let events = w.run(&secretary(), publish());
    assert_eq!(
        event_types(&events),
        [
            "ProtocolPublished",
            "AcceptanceRescheduled",
            "AcceptanceStarted"
        ]
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::PublishedAcceptingApplications));
    let window = state.acceptance.unwrap();
    assert_eq!((window.start, window.end), (w.now, end + Duration::days(1)));
    // And after publication the field is closed, and N1 allows only cancellation
    assert_eq!(w.refuse(&secretary(), enter(end)), "wrong_status");
    assert_eq!(notice_status(&w, 1), NoticeStatus::Acknowledged);
}

#[test]
fn s17_the_end_date_is_only_for_a_protocol_published_without_execution() {
    // Given the ordinary discussion flow (no notice), its protocol signed
    let mut w = World::new();
    w.published_ok(1);
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: DiscussionRequestId(Uuid::from_u128(1)),
            subject: "Тема".into(),
            text: "Замечание".into(),
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id: DiscussionRequestId(Uuid::from_u128(1)),
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    // Then signing does not publish (L1734–1738) and no end date is entered
    assert_eq!(event_types(&sign_discussion(&mut w)), ["ProtocolSigned"]);
    assert_eq!(
        w.refuse(
            &secretary(),
            C::EnterAcceptanceEnd {
                end: w.now + Duration::days(20)
            }
        ),
        "acceptance_end_not_required"
    );
}

#[test]
fn s17_with_a_change_answer_the_last_signature_publishes_into_the_copy() {
    // Given S17 with a request answered «Внести изменения…» (L12251–12268)
    let mut w = World::new();
    w.published_ok(1);
    deliver(&mut w, 1, 1, Direction::First, Remedy::ChangeDocumentation);
    acknowledge(&mut w, 1);
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: DiscussionRequestId(Uuid::from_u128(1)),
            subject: "Тема".into(),
            text: "Замечание".into(),
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id: DiscussionRequestId(Uuid::from_u128(1)),
            decision: DiscussionDecision::AmendDocumentation,
            text: None,
        },
    );
    without_execution(&mut w);
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    // When the signer signs, the system publishes it and decides the change
    let events = sign_discussion(&mut w);
    assert_eq!(
        event_types(&events)[..3],
        [
            "ProtocolSigned",
            "ProtocolPublished",
            "DocumentationChangeDecided"
        ]
    );
    assert_eq!(w.state().status, Some(S::DocumentationChanged));
}
