//! «Из одного источника по несостоявшимся закупкам» (ИОИ, spec 000-C §1.7, seed L6858–8060):
//! the lots of a failed procurement offered to one invited supplier. No commission and no
//! discussion: the organizer's representative alone reviews the one application
//! (docs/decisions/0720). What differs from the other methods is stated here: the phases, the
//! acceptance interval that depends on the failed procurement (§5.1), and the terms the draft
//! names (`terms.rs`).

pub mod automatic;
pub mod terms;

use chrono::{Duration, NaiveDateTime};

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};
use crate::voting::{CommissionMajority, VotingRules};
pub use automatic::{SingleSourceCreated, SingleSourceStarted};
pub use terms::{
    ParticipationRefused, SingleSourceProcedure, SingleSourceTerms, SingleSourceTermsSet,
    SourceFailure,
};

crate::phases! {
    /// The statuses an ИОИ goes through (spec 000-C §3.1, §4.6).
    Phase {
        Draft => Draft,
        Published => Published,
        AcceptingApplications => PublishedAcceptingApplications,
        ReviewingApplications => ReviewingApplications,
        FormingResults => FormingResultsProtocol,
        Completed => Completed,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// Which steps each phase allows.
const GUARDS: &[(Step, &[Phase])] = &[
    // §3.1 AMBIGUOUS: «Опубликовано» → «Опубликован (прием заявок)» at the start (0721).
    (Step::StartAcceptance, &[Published]),
    // O1–O3 (L7538–7544, L7566–7576).
    (Step::Acceptance, &[AcceptingApplications]),
    // V1–V3: the representative's decisions and their withdrawal (L7664–7736).
    (Step::Review, &[ReviewingApplications]),
    // P1 (L7746–7766).
    (Step::FormResultsProtocol, &[ReviewingApplications]),
    // P2, and again after a cancellation re-formed it (L7774–7780, L7894–7908).
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    // R1 (L7934–7982).
    (
        Step::ChangeCreator,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            FormingResults,
            Completed,
        ],
    ),
    // R2 (L7990–8020).
    (
        Step::ChangeRepresentatives,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            FormingResults,
        ],
    ),
];

pub struct SingleSource;

impl MethodRules for SingleSource {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    /// The organizer's representative decides alone (L7668–7674): a commission of one, whose
    /// majority is that one's decision (docs/decisions/0723).
    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&CommissionMajority)
    }

    /// The creator opens, forms and publishes the results protocol, cancels (§9.9).
    fn creator_is_secretary(&self) -> bool {
        true
    }

    fn voting_completed_by_results_protocol(&self) -> bool {
        true
    }

    fn empty_results_signed(&self) -> bool {
        true
    }

    fn discussion_days(&self) -> Option<u32> {
        None
    }

    /// §5.1: start not before publication; the end at least the interval of the failed
    /// procurement after the start (docs/decisions/0721).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        dates.require_within_horizon(ctx)?;
        if dates.index == 1 && dates.start < ctx.now {
            return Err(refusal::invalid_acceptance_dates());
        }
        let failure = dates
            .source_failure
            .ok_or_else(refusal::single_source_terms_missing)?;
        if dates.end < failure.earliest_end(dates.start, ctx)? {
            return Err(refusal::single_source_interval_too_short());
        }
        Ok(())
    }

    /// Only an admitted supplier wins its lot (L7798–7804).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }

    fn without_supplements(&self) -> Option<AnnouncementStatus> {
        None
    }

    /// Camera control names the open tender, the auction and the ЗЦП (spec 000-D L10840–10844).
    fn under_camera_control(&self) -> bool {
        false
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::SingleSource(Box::default())
    }
}

impl SourceFailure {
    /// The earliest end of acceptance for a start (§5.1, L7464–7484): 5 calendar days after a
    /// failed ЗЦП, 10 calendar days after an open tender, auction or ГСЗ without applications,
    /// 5 working days after one that failed otherwise (same time of day).
    pub fn earliest_end(
        &self,
        start: chrono::DateTime<chrono::Utc>,
        ctx: &Context,
    ) -> Result<chrono::DateTime<chrono::Utc>, DomainError> {
        Ok(match self.interval() {
            Interval::CalendarDays(days) => start + Duration::days(days),
            Interval::WorkingDays(days) => {
                let calendar = &ctx.calendar;
                let local = calendar.to_local(start)?;
                let day = calendar.add_working_days(local.date(), days)?;
                calendar.to_utc(NaiveDateTime::new(day, local.time()))?
            }
        })
    }
}

/// The length of an ИОИ's acceptance (§5.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    CalendarDays(i64),
    WorkingDays(u32),
}
