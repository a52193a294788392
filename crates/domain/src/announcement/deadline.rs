//! The next timed transitions of an announcement, for the engine's scheduler.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actor::Context;
use crate::announcement::{Announcement, AnnouncementCommand};
use crate::camera_control::Direction;
use crate::error::DomainError;
use crate::protocol::ProtocolKind;
use crate::regime::{RuleBook, RuleSet};
use crate::status::AnnouncementStatus;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimedTransition {
    /// End of the 5-working-day discussion (L1580–1584, L1884–1902).
    EndDiscussion,
    /// Start of acceptance of applications / price offers (L1902–1904).
    StartAcceptance,
    /// End of acceptance: opening, or automatic results (L2004–2008, L3123–3129, L434–448).
    EndAcceptance,
    /// End of the supplement period (L2685–2689).
    EndSupplementPeriod,
    /// The auction's start (spec 000-B P5, L5572–5574).
    StartAuction,
    /// End of a camera-control notice's execution countdown (spec 000-D L10966–10968).
    ExpireNotices,
}

impl TimedTransition {
    pub fn command(self) -> AnnouncementCommand {
        match self {
            TimedTransition::EndDiscussion => AnnouncementCommand::EndDiscussion,
            TimedTransition::StartAcceptance => AnnouncementCommand::StartAcceptance,
            TimedTransition::EndAcceptance => AnnouncementCommand::EndAcceptance,
            TimedTransition::EndSupplementPeriod => AnnouncementCommand::EndSupplementPeriod,
            TimedTransition::StartAuction => AnnouncementCommand::StartAuction,
            TimedTransition::ExpireNotices => AnnouncementCommand::CameraControl(
                crate::camera_control::CameraControlCommand::ExpireNotices,
            ),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub transition: TimedTransition,
    pub at: DateTime<Utc>,
}

impl Announcement {
    /// The transitions the scheduler must fire, each not before its instant. While suspended
    /// there are none: timers are frozen, and a deadline that passed meanwhile fires right after
    /// resumption (spec §4.5 AMBIGUOUS; docs/decisions/0204-suspension-and-deadlines.md).
    pub fn deadlines(&self) -> Vec<Deadline> {
        let mut deadlines = Vec::new();
        let (Some(status), Some(acceptance)) = (self.status, self.acceptance) else {
            return deadlines;
        };
        let mut push = |transition, at| deadlines.push(Deadline { transition, at });
        match status {
            AnnouncementStatus::Published
                if self.has_discussion() && self.discussion().is_some_and(|d| !d.ended) =>
            {
                if let Some(end) = self.discussion_end() {
                    push(TimedTransition::EndDiscussion, end);
                }
            }
            // The automatic protocol held back by a first-direction notice, now closed.
            AnnouncementStatus::Published
                if self.has_discussion()
                    && self.discussion_requests().is_empty()
                    && self.valid_protocol(ProtocolKind::Discussion).is_none()
                    && self.camera_control.without_execution.is_none()
                    && self
                        .camera_control
                        .holding(Direction::First)
                        .next()
                        .is_none() =>
            {
                if let Some(end) = self.discussion_end() {
                    push(TimedTransition::EndDiscussion, end);
                }
            }
            // The acceptance of a method that keeps «Опубликовано» while it runs (spec 000-C B5).
            AnnouncementStatus::Published
                if self
                    .method()
                    .is_some_and(|m| m.rules().accepting() == AnnouncementStatus::Published) =>
            {
                push(TimedTransition::EndAcceptance, acceptance.end);
            }
            AnnouncementStatus::Published => {
                let protocol_published = self
                    .valid_protocol(ProtocolKind::Discussion)
                    .is_some_and(|p| p.published_at.is_some());
                if !self.has_discussion() || protocol_published {
                    push(TimedTransition::StartAcceptance, acceptance.start);
                }
            }
            AnnouncementStatus::PublishedAcceptingApplications
            | AnnouncementStatus::PublishedAcceptingPriceOffers => {
                push(TimedTransition::EndAcceptance, acceptance.end);
            }
            AnnouncementStatus::PublishedSupplementingApplications => {
                if let Some(supplement) = self.offers.supplement {
                    push(TimedTransition::EndSupplementPeriod, supplement.end);
                }
            }
            AnnouncementStatus::PublishedAwaitingAuction => {
                if let Some(schedule) = self.procedure.auction().and_then(|a| a.schedule.as_ref()) {
                    push(TimedTransition::StartAuction, schedule.start);
                }
            }
            _ => {}
        }
        // The notices' countdowns are the auditor's, not the procurement's: they run in every
        // status but a suspension, which freezes every timer (decision 0204).
        if status != AnnouncementStatus::Suspended
            && let Some(at) = self.camera_control.next_expiry()
        {
            push(TimedTransition::ExpireNotices, at);
        }
        deadlines
    }
}

/// The end (24:00, Astana) of the `n`-th working day after the day of `at`: a period "within n
/// working days" may be used until then (docs/decisions/0104-deadline-end-of-day.md).
pub(crate) fn end_of_working_days(
    ctx: &Context,
    at: DateTime<Utc>,
    n: u32,
) -> Result<DateTime<Utc>, DomainError> {
    let calendar = &ctx.calendar;
    let last_day = calendar.add_working_days(calendar.to_local_date(at)?, n)?;
    Ok(calendar.end_of_local_day(last_day)?)
}

impl Announcement {
    /// The rule set this announcement is judged by: the one pinned at drafting, the default for
    /// a stream recorded before regimes were pinned (decision 0891).
    pub fn rule_set<'a>(&self, book: &'a RuleBook) -> &'a RuleSet {
        book.of(self.regime.as_ref())
    }

    /// T9: by when the main-page notice of a medium failure confirmed at `confirmed_at` is due
    /// under this announcement's regime (692: 30 minutes, 004 L577; proposed: 1 hour, L600).
    pub fn medium_failure_notice_due(
        &self,
        book: &RuleBook,
        confirmed_at: DateTime<Utc>,
    ) -> DateTime<Utc> {
        let minutes = self
            .rule_set(book)
            .periods
            .medium_failure_main_page_notice_minutes;
        confirmed_at + chrono::Duration::minutes(minutes)
    }

    /// T13/T14: contract signing or a complaint, notice or objection deadline caught by a
    /// failure lasting `failure`. Where the regime has the rule (proposed: "the corresponding
    /// number of days, not less than 1 calendar day", 004 L607–608, L725–726; spec §8.5), the
    /// failure's whole days, rounded up, and at least the minimum; 692 has none: the failure's
    /// length.
    pub fn failure_extended_deadline(
        &self,
        book: &RuleBook,
        deadline: DateTime<Utc>,
        failure: chrono::Duration,
    ) -> DateTime<Utc> {
        let minimum = self
            .rule_set(book)
            .periods
            .failure_extension_min_calendar_days;
        match minimum {
            None => deadline + failure,
            Some(least) => {
                let day = chrono::Duration::days(1).num_seconds();
                let days = (failure.num_seconds() + day - 1).div_euclid(day);
                deadline + chrono::Duration::days(days.max(least))
            }
        }
    }
}
