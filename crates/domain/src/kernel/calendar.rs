//! The working-day calendar of Kazakhstan and the Astana clock.
//!
//! Deadlines in the seeds count working days ("не позднее 5 рабочих дней со дня публикации",
//! seed 000 L1580–1584) and the seeds do not define the holidays: "рабочий день" is a working day
//! of the Republic of Kazakhstan calendar, a configuration item (spec 000-A §5). So holidays,
//! substitute days off and the government's yearly transfers are data
//! (`data/kz-calendar.json`, embedded by default, replaceable by an operator through
//! [`Calendar::from_json`]), and so is the UTC offset of the Astana clock (spec 001-004 §9.2:
//! "do not hard-code an offset"; Kazakhstan moved from UTC+6 to a single UTC+5 on 1 March 2024).
//!
//! Nothing is assumed outside the years the data covers: such dates are an error.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use serde::Deserialize;

use crate::kernel::error::DomainError;

const EMBEDDED: &str = include_str!("../../data/kz-calendar.json");

/// The start of working time on a working day (seed 000 L6886–6890: «следующий рабочий день 9,00»).
pub const WORKING_DAY_START: NaiveTime = NaiveTime::from_hms_opt(9, 0, 0).expect("a valid time");

/// The end of working time, inclusive (seed 000 L8623–8625: «до 18.00 включительно»).
pub const WORKING_DAY_END: NaiveTime = NaiveTime::from_hms_opt(18, 0, 0).expect("a valid time");

/// Why the calendar cannot answer, or cannot be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarError {
    /// The date is outside the years the calendar data covers.
    DateOutOfRange {
        date: NaiveDate,
        first_year: i32,
        last_year: i32,
    },
    /// The instant is before the first UTC offset of the data, or maps outside the covered years.
    InstantOutOfRange(DateTime<Utc>),
    /// The Astana time is before the first UTC offset of the data.
    LocalTimeOutOfRange(NaiveDateTime),
    /// `working_days_between(a, b)` with `b` before `a`.
    ReversedRange { from: NaiveDate, to: NaiveDate },
    /// The calendar JSON does not parse or is inconsistent.
    Data(String),
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::DateOutOfRange {
                date,
                first_year,
                last_year,
            } => {
                write!(
                    f,
                    "{date} is outside the working-day calendar ({first_year}-{last_year})"
                )
            }
            Self::InstantOutOfRange(t) => write!(f, "{t} is outside the working-day calendar"),
            Self::LocalTimeOutOfRange(t) => {
                write!(f, "{t} (Astana time) is outside the working-day calendar")
            }
            Self::ReversedRange { from, to } => write!(f, "{to} is before {from}"),
            Self::Data(e) => write!(f, "invalid calendar data: {e}"),
        }
    }
}

impl std::error::Error for CalendarError {}

impl From<CalendarError> for DomainError {
    fn from(e: CalendarError) -> Self {
        match e {
            CalendarError::DateOutOfRange { .. }
            | CalendarError::InstantOutOfRange(_)
            | CalendarError::LocalTimeOutOfRange(_) => DomainError::new(
                "calendar_out_of_range",
                "Дата вне производственного календаря: календарь нужно дополнить",
                e.to_string(),
            ),
            CalendarError::ReversedRange { .. } => DomainError::new(
                "calendar_reversed_range",
                "Дата окончания раньше даты начала",
                e.to_string(),
            ),
            CalendarError::Data(_) => DomainError::new(
                "calendar_data_invalid",
                "Ошибка в данных производственного календаря",
                e.to_string(),
            ),
        }
    }
}

/// The file format (see `data/kz-calendar.json`). Names, sources and notes document the data and
/// are checked for presence only.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(rename = "description")]
    _description: String,
    utc_offsets: Vec<OffsetEntry>,
    years: BTreeMap<i32, YearEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OffsetEntry {
    from_utc: DateTime<Utc>,
    offset_minutes: i32,
    #[serde(rename = "source")]
    _source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearEntry {
    #[serde(rename = "source")]
    _source: String,
    days_off: Vec<DayEntry>,
    working_days: Vec<DayEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DayEntry {
    date: NaiveDate,
    kind: DayKind,
    #[serde(rename = "name")]
    _name: String,
    #[serde(default, rename = "source")]
    _source: Option<String>,
    #[serde(default, rename = "note")]
    _note: Option<String>,
    #[serde(default, rename = "uncertain")]
    _uncertain: bool,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum DayKind {
    /// A public holiday (Labour Code art. 84 and the Law on holidays).
    Holiday,
    /// The working day after a holiday that fell on a weekend (Labour Code art. 85).
    Substitute,
    /// A day off moved by a government decree.
    TransferredDayOff,
    /// A weekend day made a working day by a government decree.
    TransferredWorkingDay,
}

/// The working-day calendar and the Astana clock, for the years it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Calendar {
    first_year: i32,
    last_year: i32,
    /// Weekdays that are not worked.
    days_off: BTreeSet<NaiveDate>,
    /// Saturdays and Sundays that are worked.
    working_weekend_days: BTreeSet<NaiveDate>,
    /// `(from, offset)`, ascending: the offset of the Astana clock from `from` on.
    offsets: Vec<(DateTime<Utc>, TimeDelta)>,
}

impl Calendar {
    /// The calendar shipped with the crate (`data/kz-calendar.json`).
    pub fn embedded() -> Result<Calendar, CalendarError> {
        Calendar::from_json(EMBEDDED)
    }

    /// Loads a calendar in the format of `data/kz-calendar.json`: an operator extends the covered
    /// years or corrects a transfer without a code change. The years must be consecutive, every
    /// date must lie in its year, a date cannot be both off and worked, and only weekend days can
    /// be declared working days.
    pub fn from_json(json: &str) -> Result<Calendar, CalendarError> {
        let file: CalendarFile =
            serde_json::from_str(json).map_err(|e| CalendarError::Data(e.to_string()))?;
        let bad = |msg: String| Err(CalendarError::Data(msg));
        let (Some(&first_year), Some(&last_year)) =
            (file.years.keys().next(), file.years.keys().next_back())
        else {
            return bad("no years".into());
        };
        if i64::from(last_year) - i64::from(first_year) + 1 != file.years.len() as i64 {
            return bad(format!(
                "years {first_year}-{last_year} are not consecutive"
            ));
        }
        let mut days_off = BTreeSet::new();
        let mut working_weekend_days = BTreeSet::new();
        for (year, entry) in &file.years {
            for day in entry.days_off.iter().chain(&entry.working_days) {
                if day.date.year() != *year {
                    return bad(format!("{} is listed under {year}", day.date));
                }
            }
            for day in &entry.days_off {
                if day.kind == DayKind::TransferredWorkingDay {
                    return bad(format!(
                        "{} is a working day listed among days off",
                        day.date
                    ));
                }
                if !is_weekend(day.date) {
                    days_off.insert(day.date);
                }
            }
            for day in &entry.working_days {
                if day.kind != DayKind::TransferredWorkingDay || !is_weekend(day.date) {
                    return bad(format!(
                        "{}: only a transferred weekend day can be a working day",
                        day.date
                    ));
                }
                working_weekend_days.insert(day.date);
            }
        }
        if let Some(d) = days_off.intersection(&working_weekend_days).next() {
            return bad(format!("{d} is both a day off and a working day"));
        }
        let mut offsets = Vec::with_capacity(file.utc_offsets.len());
        for o in &file.utc_offsets {
            if o.offset_minutes.abs() > 14 * 60 {
                return bad(format!("UTC offset of {} minutes", o.offset_minutes));
            }
            if offsets.last().is_some_and(|(from, _)| *from >= o.from_utc) {
                return bad("utc_offsets are not in ascending order".into());
            }
            offsets.push((o.from_utc, TimeDelta::minutes(i64::from(o.offset_minutes))));
        }
        if offsets.is_empty() {
            return bad("no utc_offsets".into());
        }
        Ok(Calendar {
            first_year,
            last_year,
            days_off,
            working_weekend_days,
            offsets,
        })
    }

    /// The first and last year covered.
    pub fn years(&self) -> (i32, i32) {
        (self.first_year, self.last_year)
    }

    /// Monday to Friday unless a holiday, substitute or transferred day off; a weekend day only
    /// when the government made it a working day.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        self.covers(date)?;
        Ok(if is_weekend(date) {
            self.working_weekend_days.contains(&date)
        } else {
            !self.days_off.contains(&date)
        })
    }

    /// The `n`-th working day after `date`, counting from the day after (the given day is not
    /// counted, whether or not it is a working day): "не позднее 5 рабочих дней со дня публикации"
    /// (seed 000 L1580–1584) read with spec 000-A §5.6, where a publication on Mon 22.02.2016
    /// ends the discussion after 23, 24, 25, 26, 29 February. `n = 0` gives `date` itself.
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        self.covers(date)?;
        let mut day = date;
        let mut left = n;
        while left > 0 {
            day = self.next_day(day)?;
            if self.is_working_day(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// `date` when it is a working day, else the next working day: an ИОИ published «в выходной
    /// либо праздничный день» opens its acceptance «следующий рабочий день 9,00» (seed 000
    /// L6886–6890).
    pub fn first_working_day_from(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_working_day(date)? {
            Ok(date)
        } else {
            self.add_working_days(date, 1)
        }
    }

    /// The number of working days `d` with `from < d ≤ to`: the inverse of
    /// [`add_working_days`](Self::add_working_days), so
    /// `working_days_between(a, add_working_days(a, n)) == n`.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        if to < from {
            return Err(CalendarError::ReversedRange { from, to });
        }
        self.covers(from)?;
        self.covers(to)?;
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = self.next_day(day)?;
            if self.is_working_day(day)? {
                count += 1;
            }
        }
        Ok(count)
    }

    /// Whether `instant` falls in working time on the Astana clock: a working day, from 09:00 to
    /// 18:00 inclusive. The seeds use both ends: a procurement published on a day off opens
    /// «следующий рабочий день 9,00» (seed 000 L6886–6890), and an acceptance start must be
    /// «рабочим днем и в рабочее время (до 18.00 включительно)» (L8623–8625).
    pub fn is_working_time(&self, instant: DateTime<Utc>) -> Result<bool, CalendarError> {
        let local = self.to_local(instant)?;
        let hours = WORKING_DAY_START..=WORKING_DAY_END;
        Ok(self.is_working_day(local.date())? && hours.contains(&local.time()))
    }

    /// The offset of the Astana clock at `instant`.
    pub fn utc_offset(&self, instant: DateTime<Utc>) -> Result<TimeDelta, CalendarError> {
        self.offsets
            .iter()
            .rev()
            .find(|(from, _)| *from <= instant)
            .map(|(_, offset)| *offset)
            .ok_or(CalendarError::InstantOutOfRange(instant))
    }

    /// The Astana date and time at `instant`.
    pub fn to_local(&self, instant: DateTime<Utc>) -> Result<NaiveDateTime, CalendarError> {
        let out = CalendarError::InstantOutOfRange(instant);
        let local = instant
            .naive_utc()
            .checked_add_signed(self.utc_offset(instant)?)
            .ok_or(out.clone())?;
        if !(self.first_year..=self.last_year).contains(&local.year()) {
            return Err(out);
        }
        Ok(local)
    }

    /// The Astana date at `instant`.
    pub fn to_local_date(&self, instant: DateTime<Utc>) -> Result<NaiveDate, CalendarError> {
        Ok(self.to_local(instant)?.date())
    }

    /// The instant at which the Astana clock reads `local`. When the clock was set back and read
    /// `local` twice, the earlier instant; when it was set forward over `local`, the instant of
    /// the change (the first instant at or after `local`).
    pub fn to_utc(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, CalendarError> {
        self.covers(local.date())?;
        self.local_to_utc(local)
    }

    /// The end of the Astana day `date`: the instant its 24:00 is reached, that is the start of the
    /// next day. A period that ends on `date` is met by an action at an instant strictly before it.
    /// The seeds fix no hour at which a period ends; the Civil Code of the Republic of Kazakhstan
    /// lets an action due within a period be done until 24:00 of its last day (see
    /// docs/decisions/0104-working-day-calendar-and-deadlines.md).
    pub fn end_of_local_day(&self, date: NaiveDate) -> Result<DateTime<Utc>, CalendarError> {
        self.covers(date)?;
        // The 24:00 of the last covered day is the 00:00 of a year the data does not cover, so
        // the coverage check is on `date`, not on the midnight.
        self.local_to_utc(self.next_day(date)?.and_time(NaiveTime::MIN))
    }

    fn local_to_utc(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, CalendarError> {
        let mut after_gap = None;
        for (i, (from, offset)) in self.offsets.iter().enumerate() {
            let Some(candidate) = local.checked_sub_signed(*offset).map(|t| t.and_utc()) else {
                continue;
            };
            let until = self.offsets.get(i + 1).map(|(next, _)| *next);
            if candidate < *from {
                // Before the first offset the clock is unknown; later, `local` was skipped.
                if i > 0 {
                    after_gap.get_or_insert(*from);
                }
            } else if until.is_none_or(|u| candidate < u) {
                return Ok(candidate);
            }
        }
        after_gap.ok_or(CalendarError::LocalTimeOutOfRange(local))
    }

    fn next_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        date.succ_opt().ok_or(CalendarError::DateOutOfRange {
            date,
            first_year: self.first_year,
            last_year: self.last_year,
        })
    }

    fn covers(&self, date: NaiveDate) -> Result<(), CalendarError> {
        if (self.first_year..=self.last_year).contains(&date.year()) {
            Ok(())
        } else {
            Err(CalendarError::DateOutOfRange {
                date,
                first_year: self.first_year,
                last_year: self.last_year,
            })
        }
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}
