//! The operator's working time (spec 001-004 §5 T4, 004 L492–493): working days 09:00–18:30 on
//! the Astana clock, lunch 13:00–14:30. The contact centre's deadlines count in it: registration
//! within 30 minutes of receipt (T2, 004 L505–507: a request received at lunch is registered
//! within 30 minutes after it, one received outside working hours on the next working day) and
//! the analysis within 2 working hours from receipt (T5, 004 L525). Both are the same count of
//! working minutes, which is how scenario S14 reads them.
//!
//! These hours are not the portal's working time of `calendar` (09:00–18:00, seed 000): they are
//! the contact centre's, stated in this seed only.

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};

use crate::calendar::{Calendar, CalendarError};

const OPENS: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time");
const LUNCH_STARTS: NaiveTime = NaiveTime::from_hms_opt(13, 0, 0).expect("a valid time");
const LUNCH_ENDS: NaiveTime = NaiveTime::from_hms_opt(14, 30, 0).expect("a valid time");
const CLOSES: NaiveTime = NaiveTime::from_hms_opt(18, 30, 0).expect("a valid time");

/// T2: registration within 30 working minutes of receipt.
pub const REGISTRATION_MINUTES: i64 = 30;
/// T5: confirmation or refutation within 2 working hours of receipt.
pub const ANALYSIS_MINUTES: i64 = 120;

/// The instant `minutes` of the operator's working time after `from`: time outside working
/// hours, at lunch and on days off does not count.
pub fn add_working_minutes(
    calendar: &Calendar,
    from: DateTime<Utc>,
    minutes: i64,
) -> Result<DateTime<Utc>, CalendarError> {
    let mut local = calendar.to_local(from)?;
    let mut left = TimeDelta::minutes(minutes);
    loop {
        let (date, time) = (local.date(), local.time());
        let next_morning = || {
            date.succ_opt()
                .map(|d| d.and_time(OPENS))
                .ok_or(CalendarError::InstantOutOfRange(from))
        };
        if !calendar.is_working_day(date)? || time >= CLOSES {
            local = next_morning()?;
            continue;
        }
        if time < OPENS {
            local = date.and_time(OPENS);
            continue;
        }
        if (LUNCH_STARTS..LUNCH_ENDS).contains(&time) {
            local = date.and_time(LUNCH_ENDS);
            continue;
        }
        let segment_end = if time < LUNCH_STARTS {
            LUNCH_STARTS
        } else {
            CLOSES
        };
        let available = segment_end - time;
        if left <= available {
            return calendar.to_utc(local + left);
        }
        left -= available;
        local = date.and_time(segment_end);
    }
}
