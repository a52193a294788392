//! Deadlines moved by a technical failure, a maintenance window or force majeure (spec 001-004
//! §4.2, §4.4, §8; decision 0871): a component of the announcement. It decides on the facts the
//! engine's workflow brings from the failure's or the window's stream and on the procedure's
//! open windows, and records each moved deadline as `DeadlineExtended`, carrying the cause's id
//! and the rule, then `DeadlineMeasuresApplied`, the mark that this cause's step is done here
//! (with nothing moved, too: a procedure the failure did not touch is answered once).
//!
//! A failure has two steps (§8.1): at confirmation the procedure must not close while the failure
//! lasts, so an end before the planned elimination is held until then (`hold`); at elimination
//! the measure of the level is computed from the end the procedure had before the failure
//! (`final`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::Calendar;
use crate::error::DomainError;
use crate::procedure::offers::Window;
use crate::technical_failure::measures::{self, Level, Period, Rule};
use crate::technical_failure::refusal;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionReason {
    TechnicalFailure,
    Maintenance,
    ForceMajeure,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExtensionStage {
    /// At confirmation: held until the planned elimination (§8.1).
    Hold,
    /// At elimination, or for a window or force majeure: the rule's new deadline.
    Final,
}

/// Which of the procedure's deadlines moved.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ExtendedDeadline {
    /// The end of acceptance of applications or price offers.
    AcceptanceEnd,
    /// The end of the period for supplements to applications (004 L760).
    SupplementEnd,
}

/// A deadline moved from `from` to `to` by the cause `cause_id` (the failure's or the window's
/// id) under `rule`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineExtended {
    pub reason: ExtensionReason,
    pub cause_id: Uuid,
    pub stage: ExtensionStage,
    pub deadline: ExtendedDeadline,
    pub rule: Rule,
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub extended_at: DateTime<Utc>,
}

/// The cause's step is done on this procedure, `extended` deadlines moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DeadlineMeasuresApplied {
    pub reason: ExtensionReason,
    pub cause_id: Uuid,
    pub stage: ExtensionStage,
    pub extended: u32,
}

/// A confirmed failure as the workflow read it from the failure's stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FailureFacts {
    pub failure_id: Uuid,
    pub confirmed: bool,
    pub level: Level,
    pub started_at: DateTime<Utc>,
    pub planned_elimination: DateTime<Utc>,
    pub eliminated_at: Option<DateTime<Utc>>,
    pub decryption_impossible: bool,
}

/// What moves deadlines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExtensionCause {
    Failure(FailureFacts),
    Maintenance {
        window_id: Uuid,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
    },
    /// H11: the failure's force majeure, agreed with the proprietor, lasting `days`.
    ForceMajeure {
        failure_id: Uuid,
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        days: u32,
    },
}

impl ExtensionCause {
    pub fn id(&self) -> Uuid {
        match self {
            ExtensionCause::Failure(f) => f.failure_id,
            ExtensionCause::Maintenance { window_id, .. } => *window_id,
            ExtensionCause::ForceMajeure { failure_id, .. } => *failure_id,
        }
    }

    pub fn reason(&self) -> ExtensionReason {
        match self {
            ExtensionCause::Failure(_) => ExtensionReason::TechnicalFailure,
            ExtensionCause::Maintenance { .. } => ExtensionReason::Maintenance,
            ExtensionCause::ForceMajeure { .. } => ExtensionReason::ForceMajeure,
        }
    }

    pub fn stage(&self) -> ExtensionStage {
        match self {
            ExtensionCause::Failure(f) if f.eliminated_at.is_none() => ExtensionStage::Hold,
            _ => ExtensionStage::Final,
        }
    }
}

/// The procedure's deadlines still ahead, with the instant each period began.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenDeadlines {
    pub acceptance: Option<Window>,
    pub supplement: Option<Window>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extensions {
    pub history: Vec<DeadlineExtended>,
    applied: BTreeSet<(ExtensionReason, Uuid, ExtensionStage)>,
    /// The end a deadline had before a failure's hold moved it.
    before_hold: BTreeMap<(Uuid, ExtendedDeadline), DateTime<Utc>>,
}

impl Extensions {
    /// Whether the cause's step is done here (a final step done covers its hold).
    pub fn applied(&self, reason: ExtensionReason, cause: Uuid, stage: ExtensionStage) -> bool {
        self.applied.contains(&(reason, cause, stage))
            || self
                .applied
                .contains(&(reason, cause, ExtensionStage::Final))
    }

    pub fn decide(
        &self,
        cause: &ExtensionCause,
        open: &OpenDeadlines,
        calendar: &Calendar,
        now: DateTime<Utc>,
    ) -> Result<(Vec<DeadlineExtended>, DeadlineMeasuresApplied), DomainError> {
        let (reason, cause_id, stage) = (cause.reason(), cause.id(), cause.stage());
        if let ExtensionCause::Failure(f) = cause {
            if !f.confirmed {
                return Err(refusal::failure_not_confirmed());
            }
            if f.level == Level::Low {
                return Err(refusal::low_level_no_extension());
            }
        }
        if self.applied(reason, cause_id, stage) {
            return Err(refusal::deadline_measures_applied());
        }
        let deadlines = [
            (ExtendedDeadline::AcceptanceEnd, open.acceptance),
            (ExtendedDeadline::SupplementEnd, open.supplement),
        ];
        let mut extended = Vec::new();
        for (deadline, window) in deadlines {
            let Some(window) = window else { continue };
            let Some((to, rule)) = self.measure(cause, deadline, window, calendar)? else {
                continue;
            };
            if to != window.end {
                extended.push(DeadlineExtended {
                    reason,
                    cause_id,
                    stage,
                    deadline,
                    rule,
                    from: window.end,
                    to,
                    extended_at: now,
                });
            }
        }
        let applied = DeadlineMeasuresApplied {
            reason,
            cause_id,
            stage,
            extended: u32::try_from(extended.len()).unwrap_or(u32::MAX),
        };
        Ok((extended, applied))
    }

    /// The rule's new end for one deadline, or `None` when the cause leaves it.
    fn measure(
        &self,
        cause: &ExtensionCause,
        deadline: ExtendedDeadline,
        window: Window,
        calendar: &Calendar,
    ) -> Result<Option<(DateTime<Utc>, Rule)>, DomainError> {
        Ok(match *cause {
            ExtensionCause::Failure(f) => {
                // A held deadline's measure counts from the end it had before the failure.
                let end = self
                    .before_hold
                    .get(&(f.failure_id, deadline))
                    .copied()
                    .unwrap_or(window.end);
                match (f.eliminated_at, deadline) {
                    (None, _) => (f.started_at <= end && f.planned_elimination > window.end)
                        .then_some((f.planned_elimination, Rule::HoldUntilPlannedElimination)),
                    (Some(eliminated), ExtendedDeadline::AcceptanceEnd) => {
                        let period = Period {
                            start: f.started_at,
                            eliminated,
                        };
                        measures::acceptance_end(
                            calendar,
                            f.level,
                            f.decryption_impossible,
                            period,
                            window.start,
                            end,
                        )?
                    }
                    // H2 (004 L721): every ending procedure of the module, the time spent; a
                    // medium failure names only acceptance (M3).
                    (Some(eliminated), ExtendedDeadline::SupplementEnd) => {
                        let period = Period {
                            start: f.started_at,
                            eliminated,
                        };
                        (f.level == Level::High && period.overlaps(window.start, end))
                            .then(|| (end + period.duration(), Rule::H4TimeSpent))
                    }
                }
            }
            ExtensionCause::Maintenance {
                starts_at, ends_at, ..
            } => measures::maintenance_shift(starts_at, ends_at, window.end),
            ExtensionCause::ForceMajeure {
                started_at,
                ended_at,
                days,
                ..
            } => (started_at <= window.end && ended_at >= window.start).then(|| {
                (
                    window.end + TimeDelta::days(i64::from(days)),
                    Rule::ForceMajeureDays,
                )
            }),
        })
    }

    /// Folds a moved deadline into the record; the announcement moves the window itself.
    pub fn apply_extended(&mut self, e: &DeadlineExtended) {
        if e.reason == ExtensionReason::TechnicalFailure && e.stage == ExtensionStage::Hold {
            self.before_hold
                .entry((e.cause_id, e.deadline))
                .or_insert(e.from);
        }
        self.history.push(e.clone());
    }

    pub fn apply_applied(&mut self, e: &DeadlineMeasuresApplied) {
        self.applied.insert((e.reason, e.cause_id, e.stage));
    }
}
