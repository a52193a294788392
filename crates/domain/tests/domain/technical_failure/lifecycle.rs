//! The incident's lifecycle and its timers (spec 001-004 §4.1 I1–I11, §5 T2–T10, T22;
//! scenarios S1, S13, S14, S16).

use uuid::Uuid;
use zakup_domain::technical_failure::{
    Cause, Channel, FailureStatus, FailureType, Level, TechnicalFailure,
    TechnicalFailureCommand as C,
};

use super::{Stream, operator, other_operator};
use crate::world::{astana, supplier};

const FAILURE: Uuid = Uuid::from_u128(0xfa11);

fn report(detected_at: &str) -> C {
    C::Report {
        failure_id: FAILURE,
        channel: Channel::Email,
        description: "Не подается заявка: ошибка 500".into(),
        detected_at: astana(detected_at),
    }
}

fn confirm(level: Level, started: &str, planned: &str) -> C {
    C::Confirm {
        level,
        cause: Cause::ThirdPartyDamage,
        module: "Прием заявок".into(),
        started_at: astana(started),
        planned_elimination: astana(planned),
        decryption_impossible: false,
        affected_announcements: vec![Uuid::from_u128(0xa1)],
    }
}

/// Reported by a supplier at `received` and registered by the operator.
fn registered(received: &str) -> Stream<TechnicalFailure> {
    let mut s = Stream::at(received);
    s.run(&supplier(1), report(received));
    s.run(&operator(), C::Register);
    s
}

/// S14 (004 L505–508, L516, L525): registration within 30 working minutes of receipt, lunch
/// 13:00–14:30 and nights not counted; the incident id within an hour of registration; the
/// analysis within 2 working hours of receipt.
#[test]
fn s14_registration_and_analysis_count_the_operators_working_time() {
    let due = |received: &str| {
        let mut s = Stream::<TechnicalFailure>::at(received);
        s.run(&supplier(1), report(received));
        let r = s.state.reported.clone().unwrap();
        (r.registration_due, r.analysis_due)
    };
    let (registration, analysis) = due("2025-04-15 09:40");
    assert_eq!(registration, astana("2025-04-15 10:10"));
    assert_eq!(analysis, astana("2025-04-15 11:40"));
    // Received at lunch: 30 minutes after it ends.
    assert_eq!(due("2025-04-15 13:10").0, astana("2025-04-15 15:00"));
    // Received after hours: the next working day, in working time.
    assert_eq!(due("2025-04-15 20:00").0, astana("2025-04-16 09:30"));
    // Two working hours across lunch: 12:00–13:00, then 14:30–15:30.
    assert_eq!(due("2025-04-15 12:00").1, astana("2025-04-15 15:30"));
    // Friday evening: the next working day is Monday.
    assert_eq!(due("2025-04-18 18:20").0, astana("2025-04-21 09:20"));

    let mut s = registered("2025-04-15 09:40");
    let r = s.state.registered.clone().unwrap();
    assert_eq!(r.incident_id, TechnicalFailure::incident_id(FAILURE));
    assert!(r.incident_id.starts_with("INC-"));
    assert_eq!(r.incident_id_due, astana("2025-04-15 10:40"));
    assert_eq!(s.state.status(), Some(FailureStatus::Registered));
    assert_eq!(s.refuse(&operator(), C::Register), "failure_wrong_status");
}

/// I3–I11 are the operator's; the organisation that registered keeps the incident (rules of
/// the house: role and organisation).
#[test]
fn only_the_registering_operator_handles_the_incident() {
    let mut s = Stream::<TechnicalFailure>::at("2025-04-15 09:00");
    assert_eq!(s.refuse(&operator(), C::Register), "failure_not_found");
    s.run(&supplier(1), report("2025-04-15 08:55"));
    assert_eq!(
        s.refuse(&supplier(1), report("2025-04-15 08:55")),
        "failure_exists"
    );
    assert_eq!(
        s.refuse(&supplier(1), C::Register),
        "forbidden_failure_role"
    );
    s.run(&operator(), C::Register);
    let confirm = confirm(Level::Low, "2025-04-15 08:50", "2025-04-15 09:50");
    assert_eq!(
        s.refuse(&other_operator(), confirm.clone()),
        "foreign_operator"
    );
    s.run(&operator(), confirm);
}

/// A user cannot report a detection in the future nor record the operator's monitoring.
#[test]
fn reports_are_checked() {
    let mut s = Stream::<TechnicalFailure>::at("2025-04-15 09:00");
    assert_eq!(
        s.refuse(&supplier(1), report("2025-04-15 09:30")),
        "instant_in_future"
    );
    let monitoring = C::Report {
        failure_id: FAILURE,
        channel: Channel::Monitoring,
        description: "Отклонение в работе модуля".into(),
        detected_at: astana("2025-04-15 08:00"),
    };
    assert_eq!(
        s.refuse(&supplier(1), monitoring.clone()),
        "forbidden_failure_role"
    );
    s.run(&operator(), monitoring);
}

/// S1 (001 L531–549; 004 L567–568): a low failure is confirmed with its notice due 30 minutes
/// after confirmation; its level and type are the Journal's columns 14 and 15.
#[test]
fn s1_low_failure_notice_within_30_minutes() {
    let mut s = registered("2025-04-15 09:00");
    s.at_local("2025-04-15 09:20").run(
        &operator(),
        confirm(Level::Low, "2025-04-15 09:00", "2025-04-15 09:50"),
    );
    let c = s.state.confirmed.clone().unwrap();
    assert_eq!(c.notice_due, astana("2025-04-15 09:50"));
    assert_eq!(c.failure_type, FailureType::OperatorIndependent);
    assert_eq!(s.state.status(), Some(FailureStatus::Confirmed));
}

/// M1/M2 (004 L600–602): a medium failure's notices within an hour; it names its procurements.
#[test]
fn medium_failure_names_its_procurements_and_is_noticed_within_an_hour() {
    let mut s = registered("2025-04-15 08:10");
    let mut unnamed = confirm(Level::Medium, "2025-04-15 08:00", "2025-04-15 09:30");
    if let C::Confirm {
        affected_announcements,
        ..
    } = &mut unnamed
    {
        affected_announcements.clear();
    }
    s.at_local("2025-04-15 08:30");
    assert_eq!(
        s.refuse(&operator(), unnamed),
        "affected_announcements_required"
    );
    s.run(
        &operator(),
        confirm(Level::Medium, "2025-04-15 08:00", "2025-04-15 09:30"),
    );
    assert_eq!(
        s.state.confirmed.clone().unwrap().notice_due,
        astana("2025-04-15 09:30")
    );
}

/// A10 (001 L350–358; 004 L469–473): a user-side cause is no failure of the System: it cannot
/// be confirmed, only refuted. S13: the refutation's notice is due within 30 minutes, and a
/// refuted failure is not eliminated.
#[test]
fn s13_user_side_reports_are_refuted_and_give_no_relief() {
    let mut s = registered("2025-04-15 09:05");
    s.at_local("2025-04-15 10:30");
    let user_side = C::Confirm {
        level: Level::Medium,
        cause: Cause::UserComputerSettings,
        module: "Прием заявок".into(),
        started_at: astana("2025-04-15 09:00"),
        planned_elimination: astana("2025-04-15 11:00"),
        decryption_impossible: false,
        affected_announcements: vec![Uuid::from_u128(0xa1)],
    };
    assert_eq!(s.refuse(&operator(), user_side), "user_side_cause");
    s.run(
        &operator(),
        C::Refute {
            cause: Some(Cause::UserComputerSettings),
            reason: "Настройки браузера пользователя".into(),
        },
    );
    let r = s.state.refuted.clone().unwrap();
    assert_eq!(r.notice_due, astana("2025-04-15 11:00"));
    let eliminate = C::Eliminate {
        eliminated_at: astana("2025-04-15 10:30"),
        causes: "—".into(),
        recommendations: String::new(),
    };
    assert_eq!(s.refuse(&operator(), eliminate), "failure_not_confirmed");
}

/// I11: elimination is recorded at an instant between the failure's start and now.
#[test]
fn elimination_lies_between_start_and_now() {
    let mut s = registered("2025-04-15 08:10");
    s.at_local("2025-04-15 08:30").run(
        &operator(),
        confirm(Level::High, "2025-04-15 08:00", "2025-04-15 10:00"),
    );
    let eliminate = |at: &str| C::Eliminate {
        eliminated_at: astana(at),
        causes: "Отказ диска".into(),
        recommendations: "Заменить массив".into(),
    };
    s.at_local("2025-04-15 09:30");
    assert_eq!(
        s.refuse(&operator(), eliminate("2025-04-15 09:40")),
        "instant_in_future"
    );
    assert_eq!(
        s.refuse(&operator(), eliminate("2025-04-15 07:00")),
        "elimination_before_start"
    );
    s.run(&operator(), eliminate("2025-04-15 09:30"));
    assert_eq!(s.state.status(), Some(FailureStatus::Eliminated));
    let period = s.state.period().unwrap();
    assert_eq!(period.duration(), chrono::TimeDelta::minutes(90));
}

/// S16 (004 L152, L731): force majeure moves deadlines only with the proprietor's recorded
/// agreement, by the days it lasted.
#[test]
fn s16_force_majeure_needs_the_proprietors_agreement() {
    let mut s = registered("2025-04-15 08:10");
    s.at_local("2025-04-15 08:30").run(
        &operator(),
        confirm(Level::High, "2025-04-15 08:00", "2025-04-18 08:00"),
    );
    s.at_local("2025-04-18 12:00");
    let agree = |agreement: &str| C::AgreeForceMajeure {
        started_at: astana("2025-04-15 08:00"),
        ended_at: astana("2025-04-18 08:00"),
        proprietor_agreement: agreement.into(),
    };
    assert_eq!(
        s.refuse(&operator(), agree("  ")),
        "force_majeure_agreement_required"
    );
    s.run(&operator(), agree("Письмо МФ РК № 12-3/456 от 18.04.2025"));
    assert_eq!(s.state.force_majeure.clone().unwrap().days, 3);
}
