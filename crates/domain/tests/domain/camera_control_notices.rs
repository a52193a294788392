//! Notices: statuses, delivery within the direction windows, acknowledgment and blocking, the
//! 10-working-day countdown, expiry when the clock moves, the journal's remaining days
//! (spec 000-D §2.7, §3.7, §4.3, §4.9.1, §5.1; seed L10846–11126).

use crate::camera_control_world as world;

use world::*;
use zakup_domain::camera_control::facts::{AnnouncementFacts, Stage};
use zakup_domain::camera_control::notice::RemainingDays;
use zakup_domain::camera_control::{
    CameraControlCommand as C, CameraControlEvent, Direction, NoticeStatus, Remedy,
};

fn deliver_command(n: u128, lot_name: &str, direction: Direction, remedy: Remedy) -> C {
    C::DeliverNotice {
        notice_id: notice_id(n),
        plan_item_id: lot(lot_name),
        direction,
        remedy,
        text: "Нарушение".to_owned(),
        file: None,
    }
}

#[test]
fn the_eleven_notice_statuses_of_the_seed() {
    // L11002–11070.
    let expected = [
        ("delivered", "Доставлено"),
        ("acknowledged", "Ознакомлен"),
        ("under_objection", "На возражении"),
        ("in_execution", "На исполнении"),
        ("not_executed_acknowledged", "Не исполнено. Ознакомлен"),
        ("not_executed_unacknowledged", "Не исполнено. Не ознакомлен"),
        ("executed", "Исполнено"),
        (
            "executed_pending_confirmation",
            "Исполнено. На подтверждении у проверяющего",
        ),
        (
            "executed_not_confirmed",
            "Исполнено. Не подтверждено проверяющим",
        ),
        (
            "executed_positive_conclusion",
            "Исполнено. Положительное заключение",
        ),
        (
            "to_execute_negative_conclusion",
            "Исполнить. Отрицательное заключение",
        ),
    ];
    let actual: Vec<_> = NoticeStatus::ALL
        .iter()
        .map(|s| (s.id(), s.original()))
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(
        serde_json::to_value(NoticeStatus::UnderObjection).unwrap(),
        "under_objection"
    );
}

#[test]
fn delivery_records_the_lot_direction_status_and_both_deadlines() {
    // Given an open tender in its discussion period; when the inspector sends a direction-1
    // notice on Mon 2025-10-06 (L10866–10876, L10946–10948, L11154–11158).
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    // Then it is «Доставлено», counted from Tue 10-07: execution until Mon 10-20, objection until Mon 10-13.
    let n = w.state.notice(&notice_id(1)).unwrap();
    assert_eq!(n.status, NoticeStatus::Delivered);
    assert_eq!(n.plan_item_id, lot("L1"));
    assert_eq!(n.direction, Direction::First);
    assert_eq!(n.remedy, Remedy::ChangeDocumentation);
    assert_eq!(n.announcement_status_at_delivery, "published");
    assert_eq!(n.execution_deadline, date(2025, 10, 20));
    assert_eq!(n.objection_deadline, date(2025, 10, 13));
    assert_eq!(n.inspector_iin, inspector().iin);
}

#[test]
fn the_countdown_skips_kazakh_holidays() {
    // Delivered Wed 2025-10-22: 25.10 «День Республики» is a Saturday, so Mon 27.10 is off
    // (calendar data); 10 working days end on Thu 2025-11-06.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::Completed;
    facts.complaint_period_end = Some(astana(2025, 10, 29, 0, 0));
    let mut w = World::new(facts);
    w.at(2025, 10, 22, 10, 0)
        .deliver(notice_id(1), "L1", Direction::Fourth, Remedy::ReviseResults);
    assert_eq!(
        w.state.notice(&notice_id(1)).unwrap().execution_deadline,
        date(2025, 11, 6)
    );
}

#[test]
fn only_an_inspector_sends_notices() {
    let mut w = World::new(open_tender(&["L1"]));
    let command = deliver_command(1, "L1", Direction::First, Remedy::CancelProcurement);
    assert_eq!(w.refused(secretary(), command.clone()), "forbidden_role");
    assert_eq!(w.refused(committee(), command), "forbidden_role");
}

#[test]
fn a_notice_needs_text_and_a_live_lot_of_the_announcement() {
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.facts.lots[1].cancelled = true;
    let mut empty = deliver_command(1, "L1", Direction::First, Remedy::CancelProcurement);
    if let C::DeliverNotice { text, .. } = &mut empty {
        *text = "  ".to_owned();
    }
    assert_eq!(w.refused(inspector(), empty), "notice_text_required");
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L9", Direction::First, Remedy::CancelProcurement)
        ),
        "lot_not_in_announcement"
    );
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L2", Direction::First, Remedy::CancelProcurement)
        ),
        "lot_cancelled"
    );
}

#[test]
fn one_open_notice_per_lot() {
    // "Одно уведомление отправляется по одному лоту" (L10978–10982; docs/decisions/0305).
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L2", Direction::First, Remedy::CancelProcurement)
        ),
        "notice_exists"
    );
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(2, "L1", Direction::First, Remedy::CancelProcurement)
        ),
        "lot_has_open_notice"
    );
    w.deliver(
        notice_id(2),
        "L2",
        Direction::First,
        Remedy::CancelProcurement,
    );
}

#[test]
fn camera_control_covers_open_tenders_and_auctions_only() {
    // L10840–10844.
    let mut facts = open_tender(&["L1"]);
    facts.under_camera_control = false;
    let mut w = World::new(facts);
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::First, Remedy::CancelProcurement)
        ),
        "camera_control_not_applicable"
    );
    let mut auction = open_tender(&["L1"]);
    // An auction: covered, its ППД leads to the admission protocol.
    auction.discounts_without_supplements = false;
    World::new(auction).deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
}

#[test]
fn direction_one_a_during_the_discussion_with_documentation_change_or_cancellation() {
    // L10866–10876: lots subject to discussion, while «Опубликовано» in the discussion period.
    let mut w = World::new(open_tender(&["L1", "L2"]));
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::First, Remedy::RevisePpd)
        ),
        "remedy_not_allowed_for_direction"
    );
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
    let mut after = World::new(open_tender(&["L1"]));
    after.facts.discussion_ended = true;
    assert_eq!(
        after.refused(
            inspector(),
            deliver_command(1, "L1", Direction::First, Remedy::CancelProcurement)
        ),
        "direction_window_closed"
    );
}

#[test]
fn direction_one_b_repeat_procurement_within_ten_calendar_days_cancellation_only() {
    // L10878–10886: published Mon 2025-10-06, «Опубликовано» or «Опубликовано (прием заявок)»,
    // the 10th calendar day after publication is Thu 2025-10-16.
    let mut facts = open_tender(&["L1"]);
    facts.repeat_procurement = true;
    facts.stage = Stage::AcceptingApplications;
    let mut w = World::new(facts);
    w.at(2025, 10, 16, 23, 0);
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::First, Remedy::ChangeDocumentation)
        ),
        "remedy_not_allowed_for_direction"
    );
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    let mut late = World::new(w.facts.clone());
    late.at(2025, 10, 17, 0, 0);
    assert_eq!(
        late.refused(
            inspector(),
            deliver_command(1, "L1", Direction::First, Remedy::CancelProcurement)
        ),
        "direction_window_closed"
    );
}

#[test]
fn direction_two_within_ten_calendar_but_at_most_five_working_days_of_acceptance() {
    // L10888–10896: acceptance announced Mon 2025-10-06; 5 working days end Mon 10-13, before
    // the 10 calendar days (Thu 10-16): the earlier limit wins.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::AcceptingApplications;
    facts.discussion_ended = true;
    facts.acceptance_started_at = Some(astana(2025, 10, 6, 9, 0));
    let mut w = World::new(facts.clone());
    w.at(2025, 10, 13, 18, 0);
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Second, Remedy::ChangeDocumentation)
        ),
        "remedy_not_allowed_for_direction"
    );
    w.deliver(
        notice_id(1),
        "L1",
        Direction::Second,
        Remedy::CancelProcurement,
    );
    let mut late = World::new(facts);
    late.at(2025, 10, 14, 9, 0);
    assert_eq!(
        late.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Second, Remedy::CancelProcurement)
        ),
        "direction_window_closed"
    );
}

#[test]
fn direction_three_within_three_working_days_of_the_ppd() {
    // L10898–10908: ППД posted Thu 2025-10-09 → until Tue 10-14, ППД revision only.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::SupplementingApplications;
    facts.ppd_published_at = Some(astana(2025, 10, 9, 12, 0));
    let mut w = World::new(facts.clone());
    w.at(2025, 10, 14, 17, 0);
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Third, Remedy::CancelProcurement)
        ),
        "remedy_not_allowed_for_direction"
    );
    w.deliver(notice_id(1), "L1", Direction::Third, Remedy::RevisePpd);
    let mut late = World::new(facts);
    late.at(2025, 10, 15, 9, 0);
    assert_eq!(
        late.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Third, Remedy::RevisePpd)
        ),
        "direction_window_closed"
    );
}

#[test]
fn direction_four_until_the_end_of_the_complaint_period() {
    // L10910–10914, L12602–12606: «Завершено», results revision or cancellation.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::Completed;
    facts.complaint_period_end = Some(astana(2025, 10, 14, 0, 0));
    let mut w = World::new(facts.clone());
    w.at(2025, 10, 13, 23, 59);
    assert_eq!(
        w.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Fourth, Remedy::RevisePpd)
        ),
        "remedy_not_allowed_for_direction"
    );
    let events = w.run(
        inspector(),
        deliver_command(1, "L1", Direction::Fourth, Remedy::ReviseResults),
    );
    // The announcement and the lot → «Принятие решения по исполнению уведомления» (L12612–12616).
    assert_eq!(
        events[0].announcement_effect(),
        Some(
            zakup_domain::camera_control::AnnouncementEffect::DecideOnNoticeExecution {
                plan_item_ids: vec![lot("L1")]
            }
        )
    );
    let mut late = World::new(facts);
    late.at(2025, 10, 14, 0, 0);
    assert_eq!(
        late.refused(
            inspector(),
            deliver_command(1, "L1", Direction::Fourth, Remedy::CancelProcurement)
        ),
        "direction_window_closed"
    );
}

/// Issue 27 item 4, decision 0607: «по лотам с момента размещения протокола итогов до окончания
/// срока подачи жалоб» (L10910–10914), one notice per lot (L10978–10982). The window is the lot's
/// and the period's: a notice on another lot has made the announcement «Принятие решения по
/// исполнению уведомления» (L12612–12616), which leaves it open; «Пересмотр итогов», re-forming
/// the results protocol, and the end of the complaint period close it.
#[test]
fn direction_four_stays_open_per_lot_while_another_lots_notice_is_decided() {
    let mut facts = open_tender(&["L1", "L2"]);
    facts.stage = Stage::DecidingNoticeExecution;
    facts.complaint_period_end = Some(astana(2025, 10, 14, 0, 0));
    let mut w = World::new(facts.clone());
    w.at(2025, 10, 13, 12, 0);
    let events = w.run(
        inspector(),
        deliver_command(2, "L2", Direction::Fourth, Remedy::CancelProcurement),
    );
    // «статус объявления» at delivery is the announcement's own (spec 000-D §2.7).
    assert!(matches!(
        &events[0],
        CameraControlEvent::NoticeDelivered(e)
            if e.announcement_status_at_delivery == "deciding_notice_execution"
    ));

    // «Пересмотр итогов» is a stage no rule names.
    let mut revising = World::new(AnnouncementFacts {
        stage: Stage::Other,
        ..facts.clone()
    });
    revising.at(2025, 10, 13, 12, 0);
    assert_eq!(
        revising.refused(
            inspector(),
            deliver_command(2, "L2", Direction::Fourth, Remedy::ReviseResults)
        ),
        "direction_window_closed"
    );
    let mut late = World::new(facts);
    late.at(2025, 10, 14, 0, 0);
    assert_eq!(
        late.refused(
            inspector(),
            deliver_command(2, "L2", Direction::Fourth, Remedy::ReviseResults)
        ),
        "direction_window_closed"
    );
}

#[test]
fn s7_unread_notices_block_until_each_is_acknowledged() {
    // S7, L10934–10944, L11082–11103.
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.deliver(
        notice_id(2),
        "L2",
        Direction::First,
        Remedy::CancelProcurement,
    );
    assert!(w.state.is_blocking());
    assert_eq!(
        w.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: vec![lot("L1")]
            }
        ),
        "unread_notice_block"
    );
    // Any employee of the organizer's organization may acknowledge.
    w.run(
        employee(),
        C::AcknowledgeNotice {
            notice_id: notice_id(1),
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Acknowledged);
    assert!(w.state.is_blocking());
    assert_eq!(
        w.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: vec![lot("L1")]
            }
        ),
        "unread_notice_block"
    );
    w.run(
        secretary(),
        C::AcknowledgeNotice {
            notice_id: notice_id(2),
        },
    );
    assert!(!w.state.is_blocking());
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: vec![lot("L1")],
        },
    );
}

#[test]
fn only_the_organizers_organization_acknowledges() {
    // L10940–10944: "любой сотрудник Организации организатора ГЗ".
    let mut w = World::new(open_tender(&["L1"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    assert_eq!(
        w.refused(
            stranger(),
            C::AcknowledgeNotice {
                notice_id: notice_id(1)
            }
        ),
        "foreign_organization"
    );
    assert_eq!(
        w.refused(
            inspector(),
            C::AcknowledgeNotice {
                notice_id: notice_id(1)
            }
        ),
        "auditor_cannot_act_on_procurement"
    );
    assert_eq!(
        w.refused(
            employee(),
            C::AcknowledgeNotice {
                notice_id: notice_id(9)
            }
        ),
        "notice_not_found"
    );
    w.acknowledge(notice_id(1));
    assert_eq!(
        w.refused(
            employee(),
            C::AcknowledgeNotice {
                notice_id: notice_id(1)
            }
        ),
        "notice_already_acknowledged"
    );
}

#[test]
fn s8_the_deadline_expires_when_the_clock_moves() {
    // S8, L10946–10972: N delivered Mon 2025-10-06 and acknowledged; N2 (another organizer's
    // announcement) delivered the same day and never acknowledged. Deadline of both: Mon 10-20.
    let mut w = World::new(open_tender(&["L1"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    let mut other = World::new(open_tender(&["L7"]));
    other.deliver(
        notice_id(2),
        "L7",
        Direction::First,
        Remedy::CancelProcurement,
    );
    for world in [&w, &other] {
        let n = world.state.notices.values().next().unwrap();
        assert_eq!(n.execution_deadline, date(2025, 10, 20));
    }
    // The last minute of Mon 10-20: nothing expires.
    w.at(2025, 10, 20, 23, 59);
    assert!(w.run(system(), C::ExpireNotices).is_empty());
    // When 2025-10-21 begins: «Не исполнено. Ознакомлен» / «Не исполнено. Не ознакомлен».
    w.at(2025, 10, 21, 0, 0);
    let events = w.run(system(), C::ExpireNotices);
    assert!(matches!(
        &events[..],
        [CameraControlEvent::NoticeExpired(_)]
    ));
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::NotExecutedAcknowledged
    );
    other.at(2025, 10, 21, 0, 0).run(system(), C::ExpireNotices);
    assert_eq!(
        other.status(notice_id(2)),
        NoticeStatus::NotExecutedNotAcknowledged
    );
    // An expired unread notice still blocks; reading it gives «Не исполнено. Ознакомлен»
    // (spec §4.3 N3b, §9.6 item 13; docs/decisions/0302).
    assert!(other.state.is_blocking());
    other.acknowledge(notice_id(2));
    assert_eq!(
        other.status(notice_id(2)),
        NoticeStatus::NotExecutedAcknowledged
    );
    assert!(!other.state.is_blocking());
    // Expiring again changes nothing.
    assert!(w.run(system(), C::ExpireNotices).is_empty());
}

#[test]
fn only_the_scheduler_expires_notices() {
    let mut w = World::new(open_tender(&["L1"]));
    assert_eq!(w.refused(secretary(), C::ExpireNotices), "forbidden_role");
}

#[test]
fn the_scheduler_is_told_when_each_running_countdown_ends() {
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.at(2025, 10, 7, 10, 0).deliver(
        notice_id(2),
        "L2",
        Direction::First,
        Remedy::CancelProcurement,
    );
    let expiries = w.state.expiries();
    assert_eq!(w.state.next_expiry(), Some(astana(2025, 10, 21, 0, 0)));
    let at: Vec<_> = expiries.iter().map(|e| (e.notice_id, e.at)).collect();
    assert_eq!(
        at,
        vec![
            (notice_id(1), astana(2025, 10, 21, 0, 0)),
            (notice_id(2), astana(2025, 10, 22, 0, 0))
        ]
    );
}

#[test]
fn the_journal_shows_calendar_days_and_the_rules_count_working_days() {
    // L10972–10976; spec §5.2: delivered Mon 10-06, on Thu 10-09 the journal shows 11 days.
    let mut w = World::new(open_tender(&["L1"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::CancelProcurement,
    );
    let days = |w: &World, y, m, d| {
        w.state
            .remaining_days(&notice_id(1), astana(y, m, d, 12, 0), &w.calendar)
            .unwrap()
    };
    assert_eq!(
        days(&w, 2025, 10, 6),
        Some(RemainingDays {
            working_days: 10,
            calendar_days: 14
        })
    );
    assert_eq!(
        days(&w, 2025, 10, 9),
        Some(RemainingDays {
            working_days: 7,
            calendar_days: 11
        })
    );
    assert_eq!(
        days(&w, 2025, 10, 20),
        Some(RemainingDays {
            working_days: 0,
            calendar_days: 0
        })
    );
    w.at(2025, 10, 21, 0, 0).run(system(), C::ExpireNotices);
    assert_eq!(days(&w, 2025, 10, 21), None);
}

#[test]
fn stored_events_keep_stable_names_and_refuse_unknown_ones() {
    let names: Vec<_> = CameraControlEvent::TYPES.iter().map(|(t, _)| *t).collect();
    assert!(names.contains(&"NoticeDelivered") && names.contains(&"ObjectionSigned"));
    assert!(CameraControlEvent::TYPES.iter().all(|(_, v)| *v == 1));
    let payload = serde_json::json!({});
    assert!(CameraControlEvent::from_stored("NoSuchEvent", 1, &payload).is_err());
    assert!(CameraControlEvent::from_stored("NoticeDelivered", 2, &payload).is_err());
    assert!(CameraControlEvent::from_stored("NoticeDelivered", 1, &payload).is_err());
}

#[test]
fn payload_schemas_hold_no_floating_point_numbers() {
    for (event_type, _, schema) in CameraControlEvent::current_schemas() {
        assert!(
            !has_number_type(&schema.to_value()),
            "{event_type} has a float"
        );
    }
}

fn has_number_type(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Object(map) => {
            let float = |t: &serde_json::Value| {
                t == "number"
                    || t.as_array()
                        .is_some_and(|a| a.iter().any(|x| x == "number"))
            };
            map.get("type").is_some_and(float) || map.values().any(has_number_type)
        }
        serde_json::Value::Array(items) => items.iter().any(has_number_type),
        _ => false,
    }
}
