//! The measures per level as deadline arithmetic (spec 001-004 §4.2, §8; scenarios S1–S9, S15),
//! and the maintenance window's notice (W3).

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::maintenance_window::{
    MaintenanceKind, MaintenanceWindow, MaintenanceWindowCommand as W,
};
use zakup_domain::technical_failure::measures::{
    acceptance_end, at_least_one_day, auction_round_day, maintenance_shift,
};
use zakup_domain::technical_failure::{Level, Period, Rule};

use super::{Stream, operator};
use crate::world::{astana, calendar, date, supplier};

fn period(start: &str, eliminated: &str) -> Period {
    Period {
        start: astana(start),
        eliminated: astana(eliminated),
    }
}

/// The acceptance end a failure gives an acceptance that opened on Monday 14 April 2025.
fn new_end(
    level: Level,
    decryption: bool,
    failure: Period,
    end: &str,
) -> Option<(DateTime<Utc>, Rule)> {
    acceptance_end(
        &calendar(),
        level,
        decryption,
        failure,
        astana("2025-04-07 09:00"),
        astana(end),
    )
    .unwrap()
}

/// S1, L4 (001 L548–549): a low failure moves nothing.
#[test]
fn s1_low_failure_moves_nothing() {
    let failure = period("2025-04-15 09:00", "2025-04-15 09:50");
    assert_eq!(
        new_end(Level::Low, false, failure, "2025-04-15 10:00"),
        None
    );
    assert_eq!(
        at_least_one_day(
            Level::Low,
            failure,
            astana("2025-04-14 09:00"),
            astana("2025-04-15 10:00")
        ),
        None
    );
}

/// S2, M3 (004 L604, §8.1): a medium failure during tender acceptance extends it by the time
/// spent, counted from the failure's start: 08:00–09:30 moves 10:00 to 11:30.
#[test]
fn s2_medium_failure_extends_by_the_time_spent() {
    let failure = period("2025-04-15 08:00", "2025-04-15 09:30");
    assert_eq!(
        new_end(Level::Medium, false, failure, "2025-04-15 10:00"),
        Some((astana("2025-04-15 11:30"), Rule::M3TimeSpent))
    );
}

/// S3, M7 (004 L609, §8.2): a medium failure that outlasts the end moves it to the next working
/// day, same time of day, never a weekend.
#[test]
fn s3_medium_failure_past_the_deadline_moves_to_the_next_working_day() {
    let failure = period("2025-04-18 09:00", "2025-04-18 12:00");
    assert_eq!(
        new_end(Level::Medium, false, failure, "2025-04-18 10:00"),
        Some((astana("2025-04-21 10:00"), Rule::M7NextWorkingDay))
    );
}

/// S5, H2/H4 (004 L721, L724): a high failure extends every acceptance it coincides with by the
/// time spent, all methods alike; one that ended before the failure is untouched.
#[test]
fn s5_high_failure_extends_every_coinciding_acceptance() {
    let failure = period("2025-04-15 09:00", "2025-04-15 13:00");
    for (end, extended) in [
        ("2025-04-15 10:00", "2025-04-15 14:00"),
        ("2025-04-15 11:00", "2025-04-15 15:00"),
        ("2025-04-15 12:00", "2025-04-15 16:00"),
        ("2025-04-15 12:30", "2025-04-15 16:30"),
    ] {
        assert_eq!(
            new_end(Level::High, false, failure, end),
            Some((astana(extended), Rule::H4TimeSpent)),
            "{end}"
        );
    }
    assert_eq!(
        new_end(Level::High, false, failure, "2025-04-15 08:00"),
        None
    );
}

/// S6, H9 (004 L730): decryption impossible while acceptance runs: + the elimination time.
#[test]
fn s6_decryption_failure_during_acceptance_extends_by_the_time_spent() {
    let failure = period("2025-04-15 09:00", "2025-04-15 15:00");
    assert_eq!(
        new_end(Level::High, true, failure, "2025-04-17 10:00"),
        Some((astana("2025-04-17 16:00"), Rule::H9DecryptionTimeSpent))
    );
}

/// S7, H10 (004 L731, §8.3): decryption impossible after acceptance ended: reopened until the
/// 5th working day after elimination, same time of day.
#[test]
fn s7_decryption_failure_after_acceptance_reopens_for_five_working_days() {
    let failure = period("2025-04-15 09:00", "2025-04-15 12:00");
    assert_eq!(
        new_end(Level::High, true, failure, "2025-04-14 10:00"),
        Some((astana("2025-04-22 12:00"), Rule::H10FiveWorkingDays))
    );
}

/// S8, M5 (004 L607, §8.5): contract signing coinciding with a 2-hour failure: + 1 calendar day.
#[test]
fn s8_contract_signing_moves_by_at_least_one_calendar_day() {
    let failure = period("2025-04-16 15:00", "2025-04-16 17:00");
    assert_eq!(
        at_least_one_day(
            Level::Medium,
            failure,
            astana("2025-04-14 18:00"),
            astana("2025-04-16 18:00")
        ),
        Some((astana("2025-04-17 18:00"), Rule::AtLeastOneCalendarDay))
    );
}

/// S9, H6 (004 L726, §8.5): an objection deadline and a 47-hour failure: + 2 calendar days.
#[test]
fn s9_objection_deadline_moves_by_the_days_of_the_failure() {
    let failure = period("2025-04-15 10:00", "2025-04-17 09:00");
    assert_eq!(
        at_least_one_day(
            Level::High,
            failure,
            astana("2025-04-11 18:00"),
            astana("2025-04-16 18:00")
        ),
        Some((astana("2025-04-18 18:00"), Rule::AtLeastOneCalendarDay))
    );
}

/// S4, M4 (004 L605): the auction round moves to the next working day after elimination.
#[test]
fn s4_auction_round_moves_to_the_next_working_day() {
    assert_eq!(
        auction_round_day(&calendar(), astana("2025-04-15 12:30")).unwrap(),
        date("2025-04-16")
    );
    assert_eq!(
        auction_round_day(&calendar(), astana("2025-04-18 12:30")).unwrap(),
        date("2025-04-21")
    );
}

fn announce(starts: &str, ends: &str) -> W {
    W::Announce {
        window_id: Uuid::from_u128(0x3a1),
        kind: MaintenanceKind::Planned,
        starts_at: astana(starts),
        ends_at: astana(ends),
        description: "Обновление СУБД".into(),
        authorized_body_agreement: "Письмо УО № 1-2/3".into(),
    }
}

/// S15, W3/W4 (004 L312, L760, §8.4): a window announced at least 2 calendar days ahead moves
/// the deadlines inside it by its length; announced later it is refused; only the operator
/// announces.
#[test]
fn s15_maintenance_window_notice_and_shift() {
    let (start, end) = ("2025-04-19 00:00", "2025-04-19 06:00");
    let mut late = Stream::<MaintenanceWindow>::at("2025-04-18 12:00");
    assert_eq!(
        late.refuse(&operator(), announce(start, end)),
        "maintenance_notice_too_short"
    );
    let mut s = Stream::<MaintenanceWindow>::at("2025-04-16 12:00");
    assert_eq!(
        s.refuse(&supplier(1), announce(start, end)),
        "forbidden_failure_role"
    );
    assert_eq!(
        s.refuse(&operator(), announce(end, start)),
        "maintenance_window_invalid"
    );
    s.run(&operator(), announce(start, end));
    assert_eq!(
        s.refuse(&operator(), announce(start, end)),
        "maintenance_window_exists"
    );
    let shift = |deadline: &str| maintenance_shift(astana(start), astana(end), astana(deadline));
    assert_eq!(
        shift("2025-04-19 03:00"),
        Some((astana("2025-04-19 09:00"), Rule::MaintenanceShift))
    );
    assert_eq!(
        shift("2025-04-19 05:00"),
        Some((astana("2025-04-19 11:00"), Rule::MaintenanceShift))
    );
    assert_eq!(shift("2025-04-19 07:00"), None);
}
