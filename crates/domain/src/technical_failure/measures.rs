//! The measures per criticality level as arithmetic on deadlines (spec 001-004 §4.2, §8): which
//! new instant a deadline gets for a failure, or none. Pure: the announcement applies them to its
//! own deadlines (`procedure::extensions`), the workflow only decides which announcements to ask.
//!
//! `S` is the failure's start, `E` its elimination, `D = E − S` (§8.1: "the time spent on its
//! elimination" counted from the start, A4).

use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::{Calendar, CalendarError};

/// «Уровень критичности» (004 L556–559; spec §3.2).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// «Низкий»: one user, no suspension, no deadline moved (L4, 001 L548–549).
    Low,
    /// «Средний»: named participants and procurements (M1–M10, 004 L599–612).
    Medium,
    /// «Высокий»: a module down for everyone (H1–H14, 004 L719–734).
    High,
}

/// The failure's period: from its start to its elimination.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub start: DateTime<Utc>,
    pub eliminated: DateTime<Utc>,
}

impl Period {
    pub fn duration(&self) -> TimeDelta {
        self.eliminated - self.start
    }

    /// Whether the failure coincides with the procedure running from `from` to `until`.
    pub fn overlaps(&self, from: DateTime<Utc>, until: DateTime<Utc>) -> bool {
        self.start <= until && self.eliminated >= from
    }
}

/// Which rule gave a new deadline: the spec's row, stored with the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// §8.1 provisional: between confirmation and elimination the procedure does not close; its
    /// end is held until the planned elimination.
    HoldUntilPlannedElimination,
    /// M3 (004 L604): tender and price-offer acceptance + the time spent.
    M3TimeSpent,
    /// M7 (004 L609): a failure that outlasts the end of acceptance → the next working day.
    M7NextWorkingDay,
    /// H2/H4/H8 (004 L721, L724, L729): every ending procedure of the module + the time spent.
    H4TimeSpent,
    /// H9 (004 L730): decryption impossible, acceptance running → + the time spent; re-submit.
    H9DecryptionTimeSpent,
    /// H10 (004 L731): decryption impossible, acceptance over → elimination + 5 working days.
    H10FiveWorkingDays,
    /// M5, M6, H5, H6 (004 L607–608, L725–726): + the days of the failure, at least 1 calendar
    /// day (§8.5).
    AtLeastOneCalendarDay,
    /// W4 (004 L760, §8.4): a deadline inside a maintenance window moves by its length.
    MaintenanceShift,
    /// H11 (004 L731): + the days force majeure lasted, agreed with the proprietor.
    ForceMajeureDays,
}

/// H10's five working days (004 L731).
pub const DECRYPTION_REOPENING_WORKING_DAYS: u32 = 5;

/// The new end of an acceptance of applications or price offers running from `start` to `end`
/// (M3, M7, H4, H8, H9, H10), or `None` when the level moves nothing (low, L4) or the failure
/// does not coincide with it.
pub fn acceptance_end(
    calendar: &Calendar,
    level: Level,
    decryption_impossible: bool,
    failure: Period,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Result<Option<(DateTime<Utc>, Rule)>, CalendarError> {
    let time_spent = end + failure.duration();
    Ok(match level {
        Level::Low => None,
        // H10: the acceptance had ended when the failure began; it is reopened from elimination.
        Level::High if decryption_impossible && end <= failure.start => Some((
            same_time_working_days_after(
                calendar,
                failure.eliminated,
                DECRYPTION_REOPENING_WORKING_DAYS,
            )?,
            Rule::H10FiveWorkingDays,
        )),
        _ if !failure.overlaps(start, end) => None,
        Level::High if decryption_impossible => Some((time_spent, Rule::H9DecryptionTimeSpent)),
        Level::High => Some((time_spent, Rule::H4TimeSpent)),
        // M7 (§8.2): the original time of day on the first working day after the elimination.
        Level::Medium if failure.eliminated > end => {
            let day = calendar.add_working_days(calendar.to_local_date(failure.eliminated)?, 1)?;
            let time = calendar.to_local(end)?.time();
            Some((calendar.to_utc(day.and_time(time))?, Rule::M7NextWorkingDay))
        }
        Level::Medium => Some((time_spent, Rule::M3TimeSpent)),
    })
}

/// M5, M6, H5, H6 (§8.5): a contract signing, complaint, notice, objection or conclusion period
/// ending at `deadline` and coinciding with the failure moves by the failure's days rounded up,
/// at least one calendar day.
pub fn at_least_one_day(
    level: Level,
    failure: Period,
    from: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Option<(DateTime<Utc>, Rule)> {
    if level == Level::Low || !failure.overlaps(from, deadline) {
        return None;
    }
    let minutes = failure.duration().num_minutes().max(0);
    let days = (minutes + 24 * 60 - 1) / (24 * 60);
    Some((
        deadline + TimeDelta::days(days.max(1)),
        Rule::AtLeastOneCalendarDay,
    ))
}

/// M4, H7 (004 L605, L727): the auction round moves to the next working day after elimination.
pub fn auction_round_day(
    calendar: &Calendar,
    eliminated: DateTime<Utc>,
) -> Result<chrono::NaiveDate, CalendarError> {
    calendar.add_working_days(calendar.to_local_date(eliminated)?, 1)
}

/// W4 (§8.4): a deadline inside `[start, end]` of a maintenance window moves by its length.
pub fn maintenance_shift(
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Option<(DateTime<Utc>, Rule)> {
    (start <= deadline && deadline <= end)
        .then(|| (deadline + (end - start), Rule::MaintenanceShift))
}

/// The Astana time of day of `instant`, `n` working days after its day (§8.3, A5).
fn same_time_working_days_after(
    calendar: &Calendar,
    instant: DateTime<Utc>,
    n: u32,
) -> Result<DateTime<Utc>, CalendarError> {
    let local = calendar.to_local(instant)?;
    let day = calendar.add_working_days(local.date(), n)?;
    calendar.to_utc(day.and_time(local.time()))
}
