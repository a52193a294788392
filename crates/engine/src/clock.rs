//! The clock is injected: the domain never reads time, the engine asks a [`Clock`], and tests move
//! a [`ManualClock`].

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;

    /// The sandbox this clock is, if it is one: a sandbox server's events are marked, and only
    /// it lets the clock be moved (docs/decisions/0661).
    fn sandbox(&self) -> Option<&crate::sandbox::Sandbox> {
        None
    }
}

/// `at` truncated to microseconds, the precision of PostgreSQL's `timestamptz`.
pub fn to_micros(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that moves only when told to.
#[derive(Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn at(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Timelike};

    #[test]
    fn instants_are_truncated_to_microseconds_not_rounded() {
        let at =
            Utc.with_ymd_and_hms(2026, 12, 7, 4, 0, 4).unwrap() + Duration::nanoseconds(84_176_901);
        let micros = to_micros(at);
        assert_eq!(micros.nanosecond(), 84_176_000);
        assert_eq!(to_micros(micros), micros);
    }
}
