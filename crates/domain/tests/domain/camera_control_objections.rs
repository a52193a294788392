//! Objections: creation within the window, internal approval, signing and delivery to the
//! Committee, the conclusions, and the stop/resume of the notice's countdown
//! (spec 000-D §2.8, §3.8–3.9, §4.4, §4.9.2, §5.2; seed L11132–11424).

use crate::camera_control_world as world;

use world::*;
use zakup_domain::camera_control::notice::RemainingDays;
use zakup_domain::camera_control::{
    CameraControlCommand as C, Conclusion, Direction, NoticeStatus, ObjectionStatus, Remedy,
};

fn save(objection: u128, notice: u128, ru: Option<&str>, kz: Option<&str>) -> C {
    C::SaveObjection {
        objection_id: objection_id(objection),
        notice_id: notice_id(notice),
        description_ru: ru.map(str::to_owned),
        description_kz: kz.map(str::to_owned),
        approver_iin: Some(colleague().iin),
    }
}

/// A direction-1 notice on L1 delivered Mon 2025-10-06 and acknowledged the same day.
fn acknowledged_notice() -> World {
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    w
}

fn objection_status(w: &World, n: u128) -> ObjectionStatus {
    w.state
        .objection(&objection_id(n))
        .expect("objection")
        .status
}

#[test]
fn the_six_objection_statuses_and_two_conclusions_of_the_seed() {
    // L11390–11424, L11366, L11378.
    let statuses: Vec<_> = ObjectionStatus::ALL
        .iter()
        .map(|s| (s.id(), s.original()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("draft", "Проект"),
            ("pending_approval", "На согласовании"),
            ("rejected", "Отклонено"),
            ("delivered", "Доставлено"),
            ("positive", "Положительно"),
            ("negative", "Отрицательно"),
        ]
    );
    let conclusions: Vec<_> = Conclusion::ALL.iter().map(|c| c.original()).collect();
    assert_eq!(conclusions, ["Положительное", "Отрицательное"]);
}

#[test]
fn s9_negative_conclusion_stops_and_resumes_the_countdown() {
    // S9 on a calendar without holidays (spec §10), L11134–11386, docs/decisions/0301.
    let mut w = World::new(open_tender(&["L1"])).with_calendar(no_holiday_calendar());
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    // An employee writes the objection in Russian only and chooses himself as approver (L11211).
    w.run(
        employee(),
        C::SaveObjection {
            objection_id: objection_id(1),
            notice_id: notice_id(1),
            description_ru: Some("Нарушения нет".to_owned()),
            description_kz: None,
            approver_iin: Some(employee().iin),
        },
    );
    let objection = w.state.objection(&objection_id(1)).unwrap();
    assert_eq!(
        (objection.status, objection.number),
        (ObjectionStatus::Draft, 1)
    );
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::PendingApproval);
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Acknowledged);
    // Thu 2025-10-09: «Утвердить и отправить», «Подписать».
    w.at(2025, 10, 9, 15, 0);
    w.run(
        employee(),
        C::ApproveObjection {
            objection_id: objection_id(1),
            approver_position: "Директор".to_owned(),
            approver_full_name: "Ахметов А. А.".to_owned(),
        },
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::PendingApproval);
    w.run(
        employee(),
        C::SignObjection {
            objection_id: objection_id(1),
        },
    );
    let objection = w.state.objection(&objection_id(1)).unwrap();
    assert_eq!(objection.status, ObjectionStatus::Delivered);
    assert_eq!(objection.delivered_at, Some(astana(2025, 10, 9, 15, 0)));
    assert_eq!(w.status(notice_id(1)), NoticeStatus::UnderObjection);
    // Paused with 7 working days (10, 13, 14, 15, 16, 17, 20); the journal freezes at 11 days.
    let frozen = RemainingDays {
        working_days: 7,
        calendar_days: 11,
    };
    let days_at = |w: &World, d| {
        w.state
            .remaining_days(&notice_id(1), astana(2025, 10, d, 12, 0), &w.calendar)
            .unwrap()
    };
    assert_eq!(days_at(&w, 9), Some(frozen));
    assert_eq!(days_at(&w, 21), Some(frozen));
    // The deadline passes unnoticed while the objection is pending, and execution is closed.
    w.at(2025, 10, 21, 0, 0);
    assert!(w.run(system(), C::ExpireNotices).is_empty());
    w.facts.discussion_ended = true;
    assert_eq!(
        w.refused(
            secretary(),
            C::ChangeDocumentationByNotices {
                plan_item_ids: vec![lot("L1")]
            }
        ),
        "notice_execution_closed"
    );
    // Wed 2025-10-22: negative conclusion; 7 working days from Thu 10-23 end Fri 10-31.
    w.at(2025, 10, 22, 11, 0);
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(1),
            conclusion: Conclusion::Negative,
        },
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::Negative);
    let notice = w.state.notice(&notice_id(1)).unwrap();
    assert_eq!(notice.status, NoticeStatus::ToExecuteNegativeConclusion);
    assert_eq!(notice.execution_deadline, date(2025, 10, 31));
    assert_eq!(
        days_at(&w, 22),
        Some(RemainingDays {
            working_days: 7,
            calendar_days: 9
        })
    );
    // The notice is executable again.
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: vec![lot("L1")],
        },
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::InExecution);
}

#[test]
fn s9_on_kazakhstans_calendar_the_resumed_countdown_skips_republic_day() {
    // The same dates on the shipped calendar: Mon 27.10.2025 is the substitute day off for
    // «День Республики», so 23, 24, 28, 29, 30, 31 Oct and 3 Nov: Mon 2025-11-03.
    let mut w = acknowledged_notice();
    w.at(2025, 10, 9, 15, 0)
        .object_and_sign(objection_id(1), notice_id(1));
    w.at(2025, 10, 22, 11, 0);
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(1),
            conclusion: Conclusion::Negative,
        },
    );
    assert_eq!(
        w.state.notice(&notice_id(1)).unwrap().execution_deadline,
        date(2025, 11, 3)
    );
}

#[test]
fn the_resumed_countdown_expires_like_an_acknowledged_notice() {
    // Spec §4.3 N4 best reading: «Исполнить. Отрицательное заключение» expires to «Не исполнено.
    // Ознакомлен» (docs/decisions/0302).
    let mut w = World::new(open_tender(&["L1"])).with_calendar(no_holiday_calendar());
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(1));
    w.at(2025, 10, 9, 15, 0)
        .object_and_sign(objection_id(1), notice_id(1));
    w.at(2025, 10, 22, 11, 0);
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(1),
            conclusion: Conclusion::Negative,
        },
    );
    w.at(2025, 10, 31, 23, 59);
    assert!(w.run(system(), C::ExpireNotices).is_empty());
    w.at(2025, 11, 1, 0, 0).run(system(), C::ExpireNotices);
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::NotExecutedAcknowledged
    );
}

#[test]
fn s10_rejection_in_approval_needs_a_reason_and_returns_the_objection_to_its_creator() {
    // S10, L11314–11325.
    let mut w = acknowledged_notice();
    w.run(employee(), save(1, 1, Some("Нарушения нет"), None));
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    let reject = |reason: &str| C::RejectObjection {
        objection_id: objection_id(1),
        reason: reason.to_owned(),
    };
    assert_eq!(
        w.refused(colleague(), reject(" ")),
        "objection_reject_reason_required"
    );
    assert_eq!(
        w.refused(secretary(), reject("Нет обоснования")),
        "not_the_approver"
    );
    w.run(colleague(), reject("Нет обоснования"));
    let objection = w.state.objection(&objection_id(1)).unwrap();
    assert_eq!(objection.status, ObjectionStatus::Rejected);
    assert_eq!(
        objection.rejection_reason.as_deref(),
        Some("Нет обоснования")
    );
    assert_eq!(w.status(notice_id(1)), NoticeStatus::Acknowledged);
    // The creator edits it (status stays «Отклонено») and sends it again (spec §4.9.2).
    w.run(
        employee(),
        save(1, 1, Some("Нарушения нет, см. пункт 5"), None),
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::Rejected);
    assert_eq!(
        w.refused(colleague(), save(1, 1, Some("Иначе"), None)),
        "objection_not_editable"
    );
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::PendingApproval);
}

#[test]
fn s11_positive_conclusion_executes_the_notice_and_closes_execution() {
    // S11, L11366–11376, L11408–11414.
    let mut w = acknowledged_notice();
    w.object_and_sign(objection_id(1), notice_id(1));
    assert_eq!(
        w.refused(
            secretary(),
            C::ConcludeObjection {
                objection_id: objection_id(1),
                conclusion: Conclusion::Positive
            }
        ),
        "forbidden_role"
    );
    assert_eq!(
        w.refused(
            inspector(),
            C::ConcludeObjection {
                objection_id: objection_id(1),
                conclusion: Conclusion::Positive
            }
        ),
        "forbidden_role"
    );
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(1),
            conclusion: Conclusion::Positive,
        },
    );
    assert_eq!(objection_status(&w, 1), ObjectionStatus::Positive);
    assert_eq!(
        w.status(notice_id(1)),
        NoticeStatus::ExecutedPositiveConclusion
    );
    assert_eq!(
        w.state
            .remaining_days(&notice_id(1), w.now, &w.calendar)
            .unwrap(),
        None
    );
    w.facts.discussion_ended = true;
    for command in [
        C::ChangeDocumentationByNotices {
            plan_item_ids: vec![lot("L1")],
        },
        C::SelectLotsForCancellation {
            plan_item_ids: vec![lot("L1")],
        },
    ] {
        assert_eq!(w.refused(secretary(), command), "notice_execution_closed");
    }
    // A conclusion is given once.
    assert_eq!(
        w.refused(
            committee(),
            C::ConcludeObjection {
                objection_id: objection_id(1),
                conclusion: Conclusion::Negative
            }
        ),
        "objection_not_delivered"
    );
}

#[test]
fn s12_objection_window_of_five_working_days() {
    // S12, L11154–11158: delivered Mon 10-06, window until Mon 10-13; Tue 10-14 is the 6th day.
    let mut w = acknowledged_notice();
    w.at(2025, 10, 14, 9, 0);
    assert_eq!(
        w.refused(employee(), save(1, 1, Some("Нет"), None)),
        "objection_window_expired"
    );
    let mut w = acknowledged_notice();
    w.at(2025, 10, 13, 23, 59);
    w.run(employee(), save(1, 1, Some("Нет"), None));
}

#[test]
fn s12_the_window_is_checked_again_when_signing_sends_the_objection() {
    // Spec §4.4 best reading: signing is the sending (L11342–11352).
    let mut w = acknowledged_notice();
    w.run(employee(), save(1, 1, Some("Нет"), None));
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    w.at(2025, 10, 14, 9, 0);
    w.run(
        colleague(),
        C::ApproveObjection {
            objection_id: objection_id(1),
            approver_position: "Директор".into(),
            approver_full_name: "А".into(),
        },
    );
    assert_eq!(
        w.refused(
            colleague(),
            C::SignObjection {
                objection_id: objection_id(1)
            }
        ),
        "objection_window_expired"
    );
}

#[test]
fn s12_no_objection_on_a_notice_selected_for_execution_or_not_yet_read() {
    // S12, L11965–11973, L12119–12125: N1 on L1 selected, N2 on L2 still objectionable.
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
        Remedy::ChangeDocumentation,
    );
    // While N1 is unread the organization is blocked (L10934–10940).
    assert_eq!(
        w.refused(employee(), save(1, 1, Some("Нет"), None)),
        "unread_notice_block"
    );
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    w.facts.discussion_ended = true;
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: vec![lot("L1")],
        },
    );
    assert_eq!(
        w.refused(employee(), save(1, 1, Some("Нет"), None)),
        "notice_selected_for_execution"
    );
    w.run(employee(), save(2, 2, Some("Нет"), None));
}

#[test]
fn a_notice_not_acknowledged_cannot_be_objected_to() {
    // L11154–11156: only «Ознакомлен»; the other statuses after expiry or a conclusion.
    let mut w = acknowledged_notice();
    w.object_and_sign(objection_id(1), notice_id(1));
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(1),
            conclusion: Conclusion::Negative,
        },
    );
    // After «Отрицательно» no second objection (spec §4.4 best reading).
    assert_eq!(
        w.refused(employee(), save(2, 1, Some("Снова нет"), None)),
        "notice_not_acknowledged"
    );
}

#[test]
fn description_in_russian_or_kazakh_and_an_approver_are_required() {
    // L11182–11198, L11190.
    let mut w = acknowledged_notice();
    assert_eq!(
        w.refused(employee(), save(1, 1, None, Some("  "))),
        "objection_description_required"
    );
    let mut no_approver = save(1, 1, Some("Нет"), None);
    if let C::SaveObjection { approver_iin, .. } = &mut no_approver {
        *approver_iin = None;
    }
    assert_eq!(
        w.refused(employee(), no_approver),
        "objection_approver_required"
    );
    w.run(employee(), save(1, 1, None, Some("Бұзушылық жоқ")));
    let objection = w.state.objection(&objection_id(1)).unwrap();
    assert_eq!(
        (
            objection.description_ru.as_deref(),
            objection.description_kz.as_deref()
        ),
        (None, Some("Бұзушылық жоқ"))
    );
}

#[test]
fn one_objection_per_notice_numbered_in_order() {
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
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    w.run(employee(), save(1, 1, Some("Нет"), None));
    assert_eq!(
        w.refused(colleague(), save(2, 1, Some("Нет"), None)),
        "objection_exists"
    );
    w.run(colleague(), save(2, 2, Some("Нет"), None));
    assert_eq!(w.state.objection(&objection_id(2)).unwrap().number, 2);
    // A deleted draft frees its notice but keeps its number used.
    w.run(
        colleague(),
        C::DeleteObjection {
            objection_id: objection_id(1),
        },
    );
    w.run(colleague(), save(3, 1, Some("Нет"), None));
    assert_eq!(w.state.objection(&objection_id(3)).unwrap().number, 3);
}

#[test]
fn edit_and_delete_rights_follow_the_status() {
    // L11392–11396: a draft is edited by its creator, deleted by the creator or any colleague;
    // L11321–11325: a rejected one is edited and deleted by its creator only.
    let mut w = acknowledged_notice();
    w.run(employee(), save(1, 1, Some("Нет"), None));
    assert_eq!(
        w.refused(colleague(), save(1, 1, Some("Иначе"), None)),
        "objection_not_editable"
    );
    assert_eq!(
        w.refused(
            stranger(),
            C::DeleteObjection {
                objection_id: objection_id(1)
            }
        ),
        "foreign_organization"
    );
    assert_eq!(
        w.refused(
            colleague(),
            C::SubmitObjectionForApproval {
                objection_id: objection_id(1)
            }
        ),
        "objection_not_editable"
    );
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    // «На согласовании»: neither editable nor deletable.
    assert_eq!(
        w.refused(employee(), save(1, 1, Some("Иначе"), None)),
        "objection_not_editable"
    );
    assert_eq!(
        w.refused(
            employee(),
            C::DeleteObjection {
                objection_id: objection_id(1)
            }
        ),
        "objection_not_editable"
    );
    w.run(
        colleague(),
        C::RejectObjection {
            objection_id: objection_id(1),
            reason: "Нет".into(),
        },
    );
    assert_eq!(
        w.refused(
            colleague(),
            C::DeleteObjection {
                objection_id: objection_id(1)
            }
        ),
        "objection_not_editable"
    );
    w.run(
        employee(),
        C::DeleteObjection {
            objection_id: objection_id(1),
        },
    );
    assert!(w.state.objection(&objection_id(1)).is_none());
    // A draft deleted by a colleague.
    w.run(employee(), save(2, 1, Some("Нет"), None));
    w.run(
        colleague(),
        C::DeleteObjection {
            objection_id: objection_id(2),
        },
    );
    assert!(w.state.objection(&objection_id(2)).is_none());
}

#[test]
fn signing_needs_the_approval_first_and_only_the_approver_signs() {
    // L11329–11342.
    let mut w = acknowledged_notice();
    w.run(employee(), save(1, 1, Some("Нет"), None));
    assert_eq!(
        w.refused(
            colleague(),
            C::SignObjection {
                objection_id: objection_id(1)
            }
        ),
        "objection_not_pending_approval"
    );
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    assert_eq!(
        w.refused(
            colleague(),
            C::SignObjection {
                objection_id: objection_id(1)
            }
        ),
        "objection_not_approved"
    );
    w.run(
        colleague(),
        C::ApproveObjection {
            objection_id: objection_id(1),
            approver_position: "Директор".into(),
            approver_full_name: "А".into(),
        },
    );
    assert_eq!(
        w.refused(
            employee(),
            C::SignObjection {
                objection_id: objection_id(1)
            }
        ),
        "not_the_approver"
    );
    assert_eq!(
        w.refused(
            inspector(),
            C::SignObjection {
                objection_id: objection_id(1)
            }
        ),
        "auditor_cannot_act_on_procurement"
    );
    w.run(
        colleague(),
        C::SignObjection {
            objection_id: objection_id(1),
        },
    );
    let approval = w
        .state
        .objection(&objection_id(1))
        .unwrap()
        .approval
        .clone()
        .unwrap();
    assert_eq!(
        (
            approval.approver_position.as_str(),
            approval.approver_full_name.as_str()
        ),
        ("Директор", "А")
    );
}

#[test]
fn some_notices_objected_others_executed() {
    // L11146–11152, L11434–11440.
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
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    w.object_and_sign(objection_id(1), notice_id(1));
    assert_eq!(
        w.refused(
            secretary(),
            C::SelectLotsForCancellation {
                plan_item_ids: vec![lot("L1")]
            }
        ),
        "notice_execution_closed"
    );
    w.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: vec![lot("L2")],
        },
    );
    w.run(secretary(), C::CancelByNotices);
    assert_eq!(
        (w.status(notice_id(1)), w.status(notice_id(2))),
        (NoticeStatus::UnderObjection, NoticeStatus::Executed)
    );
}
