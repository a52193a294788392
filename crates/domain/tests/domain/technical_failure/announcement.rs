//! The measures applied to a procurement: the announcement moves its own deadlines on the facts
//! the workflow brings, each `DeadlineExtended` carrying the cause's id and rule (spec 001-004
//! §4.2 M3/M7/H4, §4.4 W4, §8.1, §8.4; S2, S24).

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;
use zakup_domain::announcement::{AnnouncementCommand as C, AnnouncementEvent as E};
use zakup_domain::procedure::extensions::{
    ExtendedDeadline, ExtensionCause, ExtensionReason, ExtensionStage, FailureFacts,
};
use zakup_domain::technical_failure::{Level, Rule};

use super::operator;
use crate::world::{World, system};

const FAILURE: Uuid = Uuid::from_u128(0xfa11);

fn accepting() -> (World, DateTime<Utc>) {
    let mut w = World::new();
    w.accepting_ok(1);
    let end = w.state().acceptance.unwrap().end;
    (w, end)
}

fn facts(level: Level, started_at: DateTime<Utc>, planned: DateTime<Utc>) -> FailureFacts {
    FailureFacts {
        failure_id: FAILURE,
        confirmed: true,
        level,
        started_at,
        planned_elimination: planned,
        eliminated_at: None,
        decryption_impossible: false,
    }
}

fn extend(cause: FailureFacts) -> C {
    C::ExtendDeadlines {
        cause: ExtensionCause::Failure(cause),
    }
}

fn minutes(n: i64) -> TimeDelta {
    TimeDelta::minutes(n)
}

/// S2 on the stream (004 L604; §8.1): confirmed at end − 1:30 with the elimination planned an
/// hour after the end, acceptance is held open until then; eliminated at end − 0:30 after a
/// failure that began at end − 2:00, the end becomes the original end + 1:30. An application
/// between the old and the new end is accepted, one after the new end refused.
#[test]
fn s2_medium_failure_holds_acceptance_then_extends_it_by_the_time_spent() {
    let (mut w, end) = accepting();
    let mut failure = facts(Level::Medium, end - minutes(120), end + minutes(60));
    w.now = end - minutes(90);
    let held = w.run(&system(), extend(failure));
    let E::DeadlineExtended(hold) = &held[0] else {
        panic!("{held:?}")
    };
    assert_eq!(
        (
            hold.reason,
            hold.cause_id,
            hold.stage,
            hold.deadline,
            hold.rule
        ),
        (
            ExtensionReason::TechnicalFailure,
            FAILURE,
            ExtensionStage::Hold,
            ExtendedDeadline::AcceptanceEnd,
            Rule::HoldUntilPlannedElimination
        )
    );
    assert_eq!(w.state().acceptance.unwrap().end, end + minutes(60));
    assert!(matches!(held[1], E::DeadlineMeasuresApplied(_)));

    failure.eliminated_at = Some(end - minutes(30));
    w.now = end - minutes(30);
    let extended = w.run(&system(), extend(failure));
    let E::DeadlineExtended(last) = &extended[0] else {
        panic!("{extended:?}")
    };
    assert_eq!((last.from, last.to), (end + minutes(60), end + minutes(90)));
    assert_eq!(last.rule, Rule::M3TimeSpent);
    assert_eq!(w.state().acceptance.unwrap().end, end + minutes(90));

    w.now = end + minutes(60);
    w.apply(1, &[1], 9_000_000);
    w.now = end + minutes(91);
    assert_eq!(
        w.refuse(
            &crate::world::supplier(2),
            C::SubmitApplication {
                application_id: crate::world::application_id(2),
                offers: vec![zakup_domain::application::LotOffer {
                    plan_item_id: crate::world::plan_item(1),
                    price: zakup_domain::money::Money::from_tenge(9_000_000),
                }],
            }
        ),
        "acceptance_period_over"
    );
}

/// L4 (001 L548–549), §4.9: no extension for a low failure, nor for one not confirmed; only the
/// portal applies the measures; a step is applied once.
#[test]
fn measures_are_refused_for_low_unconfirmed_and_repeated_steps() {
    let (mut w, end) = accepting();
    w.now = end - minutes(60);
    let low = facts(Level::Low, end - minutes(90), end + minutes(30));
    assert_eq!(w.refuse(&system(), extend(low)), "low_level_no_extension");
    let unconfirmed = FailureFacts {
        confirmed: false,
        ..facts(Level::High, end - minutes(90), end + minutes(30))
    };
    assert_eq!(
        w.refuse(&system(), extend(unconfirmed)),
        "failure_not_confirmed"
    );
    let high = facts(Level::High, end - minutes(90), end + minutes(30));
    assert_eq!(w.refuse(&operator(), extend(high)), "forbidden_role");
    w.run(&system(), extend(high));
    assert_eq!(
        w.refuse(&system(), extend(high)),
        "deadline_measures_applied"
    );
}

/// A failure that does not coincide with the acceptance moves nothing, and says so once.
#[test]
fn a_failure_outside_the_procedure_is_recorded_with_nothing_moved() {
    let (mut w, end) = accepting();
    let start = w.state().acceptance.unwrap().start;
    w.now = start + minutes(60);
    let failure = FailureFacts {
        eliminated_at: Some(start - minutes(60)),
        ..facts(Level::High, start - minutes(120), start - minutes(60))
    };
    let events = w.run(&system(), extend(failure));
    assert_eq!(events.len(), 1);
    let E::DeadlineMeasuresApplied(applied) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(applied.extended, 0);
    assert_eq!(w.state().acceptance.unwrap().end, end);
}

/// W4 (004 L760, §8.4): an acceptance end inside a maintenance window moves by its length.
#[test]
fn s15_a_maintenance_window_shifts_the_acceptance_end_inside_it() {
    let (mut w, end) = accepting();
    w.now = end - TimeDelta::days(3);
    let window = ExtensionCause::Maintenance {
        window_id: Uuid::from_u128(0x3a1),
        starts_at: end - minutes(60),
        ends_at: end + minutes(300),
    };
    let events = w.run(&system(), C::ExtendDeadlines { cause: window });
    let E::DeadlineExtended(shift) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(shift.rule, Rule::MaintenanceShift);
    assert_eq!(shift.reason, ExtensionReason::Maintenance);
    assert_eq!(w.state().acceptance.unwrap().end, end + minutes(360));
}

/// H11 (004 L731): force majeure agreed with the proprietor moves the acceptance end by the
/// days it lasted.
#[test]
fn s16_force_majeure_moves_the_acceptance_end_by_its_days() {
    let (mut w, end) = accepting();
    w.now = end - TimeDelta::days(1);
    let cause = ExtensionCause::ForceMajeure {
        failure_id: FAILURE,
        started_at: end - TimeDelta::days(4),
        ended_at: end - TimeDelta::days(1),
        days: 3,
    };
    w.run(&system(), C::ExtendDeadlines { cause });
    assert_eq!(w.state().acceptance.unwrap().end, end + TimeDelta::days(3));
}

/// S24 (004 L611, L733): the stream tells why the deadline moved; a replay up to the hold shows
/// the held end, the full replay the final one.
#[test]
fn s24_the_stream_replays_the_old_and_the_new_deadline() {
    let (mut w, end) = accepting();
    let before = w.events.len();
    let mut failure = facts(Level::High, end - minutes(60), end + minutes(30));
    w.now = end - minutes(30);
    w.run(&system(), extend(failure));
    let after_hold = w.events.len();
    failure.eliminated_at = Some(end + minutes(15));
    w.now = end + minutes(15);
    w.run(&system(), extend(failure));
    let end_at = |n: usize| {
        zakup_domain::announcement::Announcement::fold(&w.events[..n])
            .acceptance
            .unwrap()
            .end
    };
    assert_eq!(end_at(before), end);
    assert_eq!(end_at(after_hold), end + minutes(30));
    assert_eq!(end_at(w.events.len()), end + minutes(75));
    let history = &w.state().extensions.history;
    assert!(history.iter().all(|e| e.cause_id == FAILURE));
    assert_eq!(history.len(), 2);
}
