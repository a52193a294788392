//! Camera control inside the announcement aggregate (spec 000-D §4, docs/decisions/0308): the
//! blocking guard, the hooks of directions 1 and 3, cancellation by notices with its lots, plan
//! items and automatic results protocol, and the direction-4 results revision with a new results
//! protocol version. Every event round-trips through `to_stored`/`from_stored` (the world).

use crate::world;

#[path = "camera_control_announcement/discussion_protocol.rs"]
mod discussion_protocol;

#[path = "camera_control_announcement/results_revision.rs"]
mod results_revision;

use uuid::Uuid;
use world::*;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::{AnnouncementCommand as C, AnnouncementEvent, TimedTransition};
use zakup_domain::camera_control::{
    CameraControlCommand as CC, CameraControlEvent, Direction, NoticeId, NoticeStatus, Remedy,
};
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AdmissionDecision, AnnouncementStatus as S, ApplicationStatus, LotStatus, ProtocolValidity,
    VotingControlStatus,
};

use chrono::Duration;

fn inspector() -> Actor {
    Actor {
        user_id: "inspector".to_owned(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Inspector],
    }
}

fn notice(n: u128) -> NoticeId {
    NoticeId(Uuid::from_u128(0xdead + n))
}

fn deliver(w: &mut World, n: u128, lot: u32, direction: Direction, remedy: Remedy) {
    w.run(
        &inspector(),
        C::CameraControl(CC::DeliverNotice {
            notice_id: notice(n),
            plan_item_id: plan_item(lot),
            direction,
            remedy,
            text: "Нарушение".to_owned(),
            file: None,
        }),
    );
}

fn acknowledge(w: &mut World, n: u128) {
    w.run(
        &organizer(),
        C::CameraControl(CC::AcknowledgeNotice {
            notice_id: notice(n),
        }),
    );
}

fn notice_status(w: &World, n: u128) -> NoticeStatus {
    w.state()
        .camera_control
        .notice(&notice(n))
        .expect("notice")
        .status
}

#[test]
fn an_unread_notice_blocks_the_organizers_users_until_acknowledged() {
    // S7, L10934–10944: the secretary's suspension is refused while the notice is unread.
    let mut w = World::new();
    w.published_ok(2);
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    let suspend = || C::Suspend {
        act: act(Body::Court, ActType::Decision),
    };
    assert_eq!(w.refuse(&secretary(), suspend()), "unread_notice_block");
    // Suppliers are not blocked (L10934–10944 blocks the organizer's organization).
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: zakup_domain::discussion::DiscussionRequestId(Uuid::from_u128(7)),
            subject: "Пункт 3".to_owned(),
            text: "Уточните".to_owned(),
        },
    );
    acknowledge(&mut w, 1);
    w.run(&secretary(), suspend());
    assert_eq!(w.status(), S::Suspended);
}

#[test]
fn cancelling_one_lot_by_notice_releases_it_and_lets_the_discussion_finish() {
    // S16, L12155–12175, with the direction-1 hook of decision 0211: the open notice holds back
    // the automatic discussion protocol until the organizer deals with it.
    let mut w = World::new();
    w.published_ok(2);
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    acknowledge(&mut w, 1);
    w.fire(TimedTransition::EndDiscussion);
    assert!(w.state().discussion().is_some_and(|d| d.ended));
    assert!(!w.has("ProtocolFormed"));
    // Held back, the timer cannot form it (spec 000-A §4.2.2 D3, L1574–1578).
    assert_eq!(
        w.refuse(&system(), C::EndDiscussion),
        "camera_control_notice_open"
    );
    w.run(
        &secretary(),
        C::CameraControl(CC::SelectLotsForCancellation {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    let events = w.run(&secretary(), C::CameraControl(CC::CancelByNotices));
    // The camera fact, then the announcement's own cancellation grounded on the notice.
    let cancelled = events
        .iter()
        .find_map(|e| match e {
            AnnouncementEvent::LotsCancelled(c) => Some(c.clone()),
            _ => None,
        })
        .expect("LotsCancelled names the plan item the engine releases");
    assert_eq!(cancelled.plan_item_ids, vec![plan_item(1)]);
    assert_eq!(
        (cancelled.act.body, cancelled.act.act_type),
        (Body::StateFinancialControl, ActType::Notice)
    );
    let state = w.state();
    assert_eq!(notice_status(&w, 1), NoticeStatus::Executed);
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Cancelled));
    assert!(!state.holds_plan_item(&plan_item(1)));
    assert_eq!(state.status, Some(S::Published));
    // The notice dealt with, the automatic discussion protocol follows, published at once.
    w.fire(TimedTransition::EndDiscussion);
    assert!(w.has("ProtocolFormed"));
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Discussion).unwrap();
    assert!(protocol.automatic && protocol.published_at == Some(w.now));
    assert_eq!(
        w.refuse(&system(), C::EndDiscussion),
        "discussion_period_over"
    );
}

#[test]
fn a_first_direction_notice_blocks_completing_the_discussion() {
    // Spec 000-A §4.2.2 D6, L1656–1662: with a first-direction notice open the secretary cannot
    // complete the discussion; once the notice is dealt with, the secretary can.
    let mut w = World::new();
    w.published_ok(2);
    let request_id = DiscussionRequestId(Uuid::from_u128(5));
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id,
            subject: "Тема".into(),
            text: "Текст".into(),
        },
    );
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    acknowledge(&mut w, 1);
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
        &secretary(),
        C::CameraControl(CC::SelectLotsForCancellation {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    w.run(&secretary(), C::CameraControl(CC::CancelByNotices));
    w.run(&secretary(), complete);
}

#[test]
fn cancelling_every_lot_by_notice_cancels_the_announcement_with_a_results_protocol() {
    // S15/S19, L12127–12153: announcement and lot «Отменено», automatic results protocol.
    let mut w = World::new();
    w.accepting_ok(1);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 9_000_000);
    deliver(&mut w, 1, 1, Direction::Second, Remedy::CancelProcurement);
    acknowledge(&mut w, 1);
    w.run(
        &secretary(),
        C::CameraControl(CC::SelectLotsForCancellation {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    w.run(&secretary(), C::CameraControl(CC::CancelByNotices));
    let state = w.state();
    assert_eq!(state.status, Some(S::Cancelled));
    // Both applications too, and the lot (L12131–12135, L12385; issue 27 item 8, decision 0608).
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Cancelled));
    for n in [1, 2] {
        assert_eq!(
            state.application_status(&application_id(n)),
            Some(ApplicationStatus::Cancelled)
        );
    }
    let results = state
        .valid_protocol(ProtocolKind::Results)
        .expect("automatic results protocol");
    assert!(results.automatic);
    assert_eq!(notice_status(&w, 1), NoticeStatus::Executed);
}

#[test]
fn camera_events_keep_their_own_stored_types() {
    let mut w = World::new();
    w.published_ok(1);
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    let event = w.events.last().unwrap();
    assert_eq!(event.event_type(), "NoticeDelivered");
    let clash: Vec<_> = CameraControlEvent::TYPES
        .iter()
        .filter(|(t, _)| AnnouncementEvent::TYPES.iter().any(|(a, _)| a == t))
        .collect();
    assert!(clash.is_empty(), "{clash:?}");
}

#[test]
fn documentation_change_by_notice_goes_through_the_signed_protocol_into_the_copy() {
    // S13, L11909–12071: no supplier requests, a direction-1 notice on lot 1 to change the
    // documentation, a cancellation notice on lot 2 executed later in the copy (S18, L12077–12085),
    // lot 3 without notice.
    let mut w = World::new();
    w.published_ok(3);
    deliver(&mut w, 1, 1, Direction::First, Remedy::ChangeDocumentation);
    deliver(&mut w, 2, 2, Direction::First, Remedy::CancelProcurement);
    acknowledge(&mut w, 1);
    acknowledge(&mut w, 2);
    w.fire(TimedTransition::EndDiscussion);
    assert!(!w.has("ProtocolFormed"));
    let signers = || C::CompleteDiscussion {
        signers: vec![person(&organizer_rep())],
    };
    assert_eq!(
        w.refuse(&secretary(), signers()),
        "camera_control_notice_open"
    );
    w.run(
        &secretary(),
        C::CameraControl(CC::ChangeDocumentationByNotices {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    // The notice is being executed: the signed protocol, not the automatic one.
    assert!(
        w.state()
            .deadlines()
            .iter()
            .all(|d| d.transition != TimedTransition::EndDiscussion)
    );
    w.run(&secretary(), signers());
    w.run(&secretary(), C::FormDiscussionProtocol);
    // The system publishes the protocol on its signature (L12033–12047, decision 0606).
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Discussion,
            }
        ),
        "protocol_already_published"
    );
    let original = w.state();
    assert_eq!(original.status, Some(S::DocumentationChanged));
    assert!(original.camera_control.notices.is_empty());
    let copy_id = original.copy_announcement_id.unwrap();

    let mut copy = World {
        id: copy_id,
        now: w.now + Duration::hours(1),
        events: Vec::new(),
        ..World::new()
    };
    copy.run(
        &secretary(),
        C::CreateIndexCopy {
            announcement_id: copy_id,
            number: "2026-1-2".into(),
            source: Box::new(original),
        },
    );
    assert_eq!(notice_status(&copy, 1), NoticeStatus::InExecution);
    // Only the lots with notices are editable in the copy (L12049–12059, docs/decisions/0305).
    assert_eq!(
        copy.refuse(
            &secretary(),
            C::RemoveTechnicalSpecification {
                plan_item_id: plan_item(3)
            }
        ),
        "not_editable_in_copy"
    );
    copy.run(
        &secretary(),
        C::RemoveTechnicalSpecification {
            plan_item_id: plan_item(1),
        },
    );
    copy.run(
        &secretary(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    copy.run(
        &secretary(),
        C::SetAcceptanceDates {
            start: copy.now,
            end: copy.now + Duration::days(20),
        },
    );
    copy.run(&secretary(), C::Publish);
    assert_eq!(
        notice_status(&copy, 1),
        NoticeStatus::ExecutedPendingConfirmation
    );
    // The cancellation notice on lot 2 is executed in the new announcement.
    copy.run(
        &secretary(),
        C::CameraControl(CC::SelectLotsForCancellation {
            plan_item_ids: vec![plan_item(2)],
        }),
    );
    copy.run(&secretary(), C::CameraControl(CC::CancelByNotices));
    assert_eq!(notice_status(&copy, 2), NoticeStatus::Executed);
    assert_eq!(
        copy.state().lot_status(&plan_item(2)),
        Some(LotStatus::Cancelled)
    );
}

/// An open tender whose ППД rejected supplier 2 on lot 1: «Опубликовано (дополнение заявок)».
fn supplementing() -> World {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1]), (2, &[1])]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
    }
    w.vote(&chairman(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_a(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_b(), 2, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    assert_eq!(w.status(), S::PublishedSupplementingApplications);
    w
}

#[test]
fn direction_three_notice_leads_to_the_ppd_decision_and_its_revision() {
    // S20, L12451–12518, with the hook of decision 0211.
    let mut w = supplementing();
    deliver(&mut w, 1, 1, Direction::Third, Remedy::RevisePpd);
    acknowledge(&mut w, 1);
    let start = C::CameraControl(CC::StartPpdRevision {
        plan_item_ids: vec![plan_item(1)],
    });
    assert_eq!(
        w.refuse(&secretary(), start.clone()),
        "supplement_period_not_ended"
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::DecidingPpdRevision);
    w.run(&secretary(), start);
    assert_eq!(w.status(), S::PpdRevision);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::PpdRevision)
    );
    assert_eq!(notice_status(&w, 1), NoticeStatus::InExecution);
    assert!(w.has("VotingReopened"));
}

#[test]
fn direction_three_continue_without_revision_goes_to_the_supplements_review() {
    // S21 (b), L12542–12586: the announcement's own «Рассмотрение дополнений заявок».
    let mut w = supplementing();
    deliver(&mut w, 1, 1, Direction::Third, Remedy::RevisePpd);
    acknowledge(&mut w, 1);
    // Supplements submitted (L12578–12586).
    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    w.run(
        &secretary(),
        C::CameraControl(CC::ContinueWithoutPpdRevision),
    );
    assert_eq!(w.status(), S::ReviewingSupplements);
    assert!(w.has("PpdRevisionDeclined"));
    assert!(
        w.state()
            .camera_control
            .notice(&notice(1))
            .unwrap()
            .cancellation_only
    );
}

#[test]
fn direction_three_continue_without_revision_and_no_supplements_fills_the_discounts() {
    // Fidelity fix, spec 000-D S21a, seed L12560–12574: «Продолжить закупку без пересмотра
    // ППД» with no supplement submitted: open tender → the announcement and its lots
    // «Заполнение условных скидок»; discounts for the lots with more than one application.
    // Given an open tender deciding on its ППД revision, no application supplemented,
    let mut w = supplementing();
    deliver(&mut w, 1, 1, Direction::Third, Remedy::RevisePpd);
    acknowledge(&mut w, 1);
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::DecidingPpdRevision);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::DecidingPpdRevision)
    );
    // (spec 000-A §4.2.4 A13, L2649–2677: nobody votes while it is decided, and only the
    // secretary decides)
    assert_eq!(
        w.refuse(
            &chairman(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&[plan_item(1)])
            }
        ),
        "wrong_status"
    );
    assert_eq!(
        w.refuse(
            &chairman(),
            C::CameraControl(CC::ContinueWithoutPpdRevision)
        ),
        "not_secretary"
    );
    // when the secretary continues without revising it,
    w.run(
        &secretary(),
        C::CameraControl(CC::ContinueWithoutPpdRevision),
    );
    // then the announcement and its lot are «Заполнение условных скидок»,
    assert_eq!(w.status(), S::FillingConditionalDiscounts);
    assert_eq!(
        S::FillingConditionalDiscounts.id(),
        "filling_conditional_discounts"
    );
    assert_eq!(
        S::FillingConditionalDiscounts.original(),
        "Заполнение условных скидок"
    );
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::FillingConditionalDiscounts)
    );
    // nothing is voted again,
    assert_eq!(w.refuse(&secretary(), C::CompleteVoting), "wrong_status");
    // and the discounts of the lot with two applications are filled, then the results
    // protocol is formed on the first review's decisions.
    assert_eq!(
        w.state().discounts_status(),
        Some(zakup_domain::status::DiscountsStatus::FillingRequired)
    );
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "conditional_discounts_not_completed"
    );
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries: vec![
                (application_id(1), discount(false)),
                (application_id(2), discount(false)),
            ],
        },
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingResultsProtocol);
}

#[test]
fn the_scheduler_expires_notices_through_the_announcements_deadlines() {
    // S8, L10946–10972: delivered on Mon 2026-02-02, the countdown ends with Mon 2026-02-16.
    let mut w = World::new();
    w.published_ok(1);
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    acknowledge(&mut w, 1);
    let expiry = w
        .state()
        .deadlines()
        .into_iter()
        .find(|d| d.transition == TimedTransition::ExpireNotices)
        .expect("the countdown is scheduled");
    assert_eq!(expiry.at, astana("2026-02-17 00:00"));
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::ExpireNotices);
    assert_eq!(notice_status(&w, 1), NoticeStatus::NotExecutedAcknowledged);
    assert!(
        w.state()
            .deadlines()
            .iter()
            .all(|d| d.transition != TimedTransition::ExpireNotices)
    );
}

/// Given S20's announcement in «Принятие решения по пересмотру ППД» after a supplement:
/// supplier 2 was rejected on lot 1 by the chairman and member A in the first review.
fn deciding_ppd_revision_after_a_supplement() -> World {
    let mut w = supplementing();
    deliver(&mut w, 1, 1, Direction::Third, Remedy::RevisePpd);
    acknowledge(&mut w, 1);
    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::DecidingPpdRevision);
    w
}

#[test]
fn s20_ppd_revision_brings_back_the_first_reviews_votes_with_quorum_reached() {
    // S20, L12506–12518: «Далее» sets the voting status «Кворум достигнут» and makes the
    // re-review of the applications available; L12534–12536: the members withdraw their votes
    // and vote again (docs/decisions/0309).
    let mut w = deciding_ppd_revision_after_a_supplement();
    // The supplement round had put the first review's ballots aside.
    assert!(w.state().voting().votes.is_empty());
    w.run(
        &secretary(),
        C::CameraControl(CC::StartPpdRevision {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::PpdRevision));
    assert_eq!(
        state.voting().votes.len(),
        6,
        "three members × two applications"
    );
    let control = state.voting_control();
    assert_eq!(control.len(), 1);
    assert_eq!(control[0].status, VotingControlStatus::QuorumReached);
    let tally = control[0]
        .applications
        .iter()
        .find(|t| t.application_id == application_id(2))
        .expect("supplier 2 under review");
    assert_eq!((tally.admitted, tally.not_admitted), (1, 2));
    // The previous decision is shown: voting again needs the withdrawal first (L12534–12536).
    assert_eq!(
        w.refuse(
            &member_a(),
            C::CastVote {
                application_id: application_id(2),
                ballot: admit(&[plan_item(1)]),
            }
        ),
        "already_voted"
    );
    w.run(
        &member_a(),
        C::WithdrawVote {
            application_id: application_id(2),
        },
    );
    assert_eq!(
        w.state().voting_control()[0].status,
        VotingControlStatus::QuorumReached,
        "two of three members still voted on every application"
    );
    w.vote(&member_a(), 2, admit(&[plan_item(1)]));
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
    // Member A changed his mind: supplier 2 is admitted now (2 of 3).
    assert_eq!(
        w.state()
            .voting()
            .decisions
            .get(&(application_id(2), plan_item(1))),
        Some(&AdmissionDecision::Admitted)
    );
}

#[test]
fn s20_completing_the_ppd_revision_unchanged_keeps_the_decisions_and_executes_the_notice() {
    // S20, L12522–12530: «Завершить голосование» without changes still executes the notice,
    // pending the inspector; the first review's decisions stand and the ППД is re-formed and
    // published as a new valid version (spec §6 best reading).
    let mut w = deciding_ppd_revision_after_a_supplement();
    w.run(
        &secretary(),
        C::CameraControl(CC::StartPpdRevision {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        notice_status(&w, 1),
        NoticeStatus::ExecutedPendingConfirmation
    );
    assert_eq!(
        w.state()
            .voting()
            .decisions
            .get(&(application_id(2), plan_item(1))),
        Some(&AdmissionDecision::Rejected)
    );
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::PreliminaryAdmission)
        .map(|p| (p.version(), p.validity))
        .collect();
    assert_eq!(
        versions,
        [(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
    assert_eq!(state.status, Some(S::PublishedSupplementingApplications));
    w.run(
        &inspector(),
        C::CameraControl(CC::ConfirmExecution {
            notice_id: notice(1),
        }),
    );
    assert_eq!(notice_status(&w, 1), NoticeStatus::Executed);
}

#[test]
fn the_block_covers_every_command_of_the_organizers_users_on_the_announcement_and_nothing_else() {
    // L10934–10944, L11082–11088; the scope of docs/decisions/0310: every command of a user of
    // the organizer's organisation (any role), the announcement's own as well as the camera
    // commands, but «Ознакомлен»; the check comes before any other rule, so the refusal is the same
    // whatever the command. Suppliers, other organisations, the auditors and the scheduler go on.
    let mut w = World::new();
    w.published_ok(2);
    deliver(&mut w, 1, 1, Direction::First, Remedy::CancelProcurement);
    let suspend = || C::Suspend {
        act: act(Body::Court, ActType::Decision),
    };
    let blocked: Vec<(Actor, C)> = vec![
        (secretary(), suspend()),
        (org_admin(), suspend()),
        (
            chairman(),
            C::CompleteDiscussion {
                signers: vec![person(&organizer_rep())],
            },
        ),
        (organizer(), C::FormDiscussionProtocol),
        (
            organizer(),
            C::CameraControl(CC::SaveObjection {
                objection_id: zakup_domain::camera_control::ObjectionId(Uuid::from_u128(1)),
                notice_id: notice(1),
                description_ru: Some("Нарушения нет".to_owned()),
                description_kz: None,
                approver_iin: Some(iin(1)),
            }),
        ),
        (
            secretary(),
            C::CameraControl(CC::SelectLotsForCancellation {
                plan_item_ids: vec![plan_item(1)],
            }),
        ),
    ];
    for (actor, command) in blocked {
        assert_eq!(
            w.refuse(&actor, command),
            "unread_notice_block",
            "{}",
            actor.user_id
        );
    }
    // Another organisation's organizer is refused for what it is, not by this block.
    assert_ne!(
        w.refuse(&foreign_organizer(), suspend()),
        "unread_notice_block"
    );
    // Suppliers, the inspector and the scheduler are not blocked.
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: zakup_domain::discussion::DiscussionRequestId(Uuid::from_u128(8)),
            subject: "Пункт 4".to_owned(),
            text: "Уточните сроки".to_owned(),
        },
    );
    deliver(&mut w, 2, 2, Direction::First, Remedy::CancelProcurement);
    assert!(!w.fire(TimedTransition::EndDiscussion).is_empty());
    // Each notice must be read: one read, the other still blocks.
    acknowledge(&mut w, 1);
    assert_eq!(w.refuse(&secretary(), suspend()), "unread_notice_block");
    acknowledge(&mut w, 2);
    w.run(&secretary(), suspend());
    assert_eq!(w.status(), S::Suspended);
}

/// No discount, or the 14.5 % of spec 000-A §8.1's worked example.
fn discount(granted: bool) -> zakup_domain::application::DiscountForm {
    let pct = |s: &str| Some(s.parse::<rust_decimal::Decimal>().expect("a decimal"));
    let v = if granted {
        ["3", "2", "0", "1", "0", "2", "1.5", "5", "0"]
    } else {
        ["0"; 9]
    };
    zakup_domain::application::DiscountForm {
        experience_years: Some(4),
        experience_months: Some(2),
        experience_pct: pct(v[0]),
        qms_pct: pct(v[1]),
        ems_pct: pct(v[2]),
        sechp_pct: pct(v[3]),
        voluntary_conformity_pct: pct(v[4]),
        functional_pct: pct(v[5]),
        technical_pct: pct(v[6]),
        quality_pct: pct(v[7]),
        operational_pct: pct(v[8]),
    }
}
