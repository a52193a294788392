//! «Открытый конкурс» (OK, spec 000-A): discussion of the documentation, applications reviewed
//! by the commission, the ППД and supplements, conditional discounts, the results protocol;
//! under camera control (spec 000-D).

use chrono::Duration;

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};
use crate::voting::{CommissionMajority, VotingRules};

/// Minimum working days between publication and the start of acceptance, and length of the
/// discussion (L1519–1521, L1580–1584).
const DISCUSSION_WORKING_DAYS: u32 = 5;
/// Minimum acceptance period in calendar days (L1521–1523).
const MIN_ACCEPTANCE_DAYS: i64 = 15;

crate::phases! {
    /// The statuses an OK goes through (spec 000-A §3.1, 000-D §3.1).
    Phase {
        Draft => Draft,
        Published => Published,
        DocumentationChanged => DocumentationChanged,
        DraftDocumentationChange => DraftDocumentationChange,
        AcceptingApplications => PublishedAcceptingApplications,
        ReviewingApplications => ReviewingApplications,
        FormingPreliminaryAdmission => FormingPreliminaryAdmissionProtocol,
        SupplementingApplications => PublishedSupplementingApplications,
        DecidingPpdRevision => DecidingPpdRevision,
        PpdRevision => PpdRevision,
        ReviewingSupplements => ReviewingSupplements,
        FormingResults => FormingResultsProtocol,
        ResultsRevision => ResultsRevision,
        DecidingNoticeExecution => DecidingNoticeExecution,
        FillingConditionalDiscounts => FillingConditionalDiscounts,
        Completed => Completed,
        Suspended => Suspended,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// Voting is open in the review and in the camera-control revisions (spec 000-D §7).
const REVIEWING: &[Phase] = &[
    ReviewingApplications,
    ReviewingSupplements,
    PpdRevision,
    ResultsRevision,
];

/// The discounts and the results protocol follow the review, or the ППД kept without
/// supplements (spec 000-D L12560–12574).
const DISCOUNTS: &[Phase] = &[
    ReviewingApplications,
    ReviewingSupplements,
    PpdRevision,
    ResultsRevision,
    FillingConditionalDiscounts,
];

/// Which steps each phase allows.
const GUARDS: &[(Step, &[Phase])] = &[
    (Step::Discussion, &[Published]),
    (Step::SignProtocol(ProtocolKind::Discussion), &[Published]),
    (Step::StartAcceptance, &[Published]),
    (Step::Acceptance, &[AcceptingApplications]),
    (Step::Review, REVIEWING),
    (Step::ConditionalDiscounts, DISCOUNTS),
    (Step::FormResultsProtocol, DISCOUNTS),
    // Also re-formed in a ППД revision by notice (spec 000-D L12534–12540).
    (
        Step::FormPreliminaryAdmissionProtocol,
        &[ReviewingApplications, PpdRevision],
    ),
    (
        Step::SignProtocol(ProtocolKind::PreliminaryAdmission),
        &[FormingPreliminaryAdmission],
    ),
    (
        Step::ExpertOpinion(ProtocolKind::PreliminaryAdmission),
        &[FormingPreliminaryAdmission],
    ),
    (Step::Supplements, &[SupplementingApplications]),
    // Only after a published ППД and supplemented applications (L2943–2945).
    (
        Step::CommissionQuery,
        &[ReviewingSupplements, FormingResults],
    ),
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    (
        Step::ExpertOpinion(ProtocolKind::Results),
        &[FormingResults],
    ),
    // Only a revision's protocol: the seed allows it in «Пересмотр итогов» alone.
    (Step::DeleteResultsProtocol, &[FormingResults]),
    // From publication until the results protocol is formed, whole procurement only
    // (L3391–3489).
    (
        Step::Suspend,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            FormingPreliminaryAdmission,
            SupplementingApplications,
            DecidingPpdRevision,
            ReviewingSupplements,
            FillingConditionalDiscounts,
        ],
    ),
    (Step::Resume, &[Suspended]),
    // L618–622.
    (Step::ChangeCreator, &[Published, FormingResults, Completed]),
    // L3651–3655.
    (
        Step::ChangeRepresentatives,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            ReviewingSupplements,
        ],
    ),
    // L1960–1992.
    (
        Step::ChangeCommission,
        &[Published, AcceptingApplications, SupplementingApplications],
    ),
    (
        Step::ChangeCommissionWhileVoting,
        &[ReviewingApplications, ReviewingSupplements],
    ),
];

pub struct OpenTender;

impl MethodRules for OpenTender {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&CommissionMajority)
    }

    fn discussion_days(&self) -> Option<u32> {
        Some(DISCUSSION_WORKING_DAYS)
    }

    /// Start ≥ publication + 5 working days, on a working day; end ≥ start + 15 calendar days
    /// (L1519–1525). The copy's acceptance starts at once: only its length counts.
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        acceptance_dates(dates, ctx, false)
    }

    /// Only admitted applications compete (L2745–2767).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }

    /// «Заполнение условных скидок» (spec 000-D S21a, seed L12560–12574).
    fn without_supplements(&self) -> Option<AnnouncementStatus> {
        Some(FillingConditionalDiscounts.status())
    }

    fn under_camera_control(&self) -> bool {
        true
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::OpenTender(Box::default())
    }
}

/// Start ≥ publication + 5 working days, on a working day; end ≥ start + 15 calendar days
/// (L1519–1525). The copy's acceptance starts at once: only its length counts. A method that
/// exempts an original from the interval (the repeat auction, spec 000-B D-4) still may not
/// start it in the past, nor on a day off (D-3).
pub(super) fn acceptance_dates(
    dates: AcceptanceDates,
    ctx: &Context,
    exempt_from_interval: bool,
) -> Result<(), DomainError> {
    dates.require_within_horizon(ctx)?;
    let AcceptanceDates {
        start, end, index, ..
    } = dates;
    let now = ctx.now;
    if index == 1 {
        let calendar = &ctx.calendar;
        let start_date = calendar.to_local_date(start)?;
        if exempt_from_interval {
            if start < now {
                return Err(refusal::invalid_acceptance_dates());
            }
        } else {
            let earliest =
                calendar.add_working_days(calendar.to_local_date(now)?, DISCUSSION_WORKING_DAYS)?;
            if start_date < earliest {
                return Err(refusal::acceptance_start_too_early());
            }
        }
        // «Срок начала приема заявок заполняется только рабочим днем» has no exception; the
        // repeat procurement is exempt from the interval only (spec 000-B L4315, L4323–4325;
        // docs/decisions/0717).
        if !calendar.is_working_day(start_date)? {
            return Err(refusal::acceptance_start_not_working_day());
        }
    }
    let from = if index > 1 { now } else { start };
    if end < from + Duration::days(MIN_ACCEPTANCE_DAYS) {
        return Err(refusal::acceptance_period_too_short());
    }
    Ok(())
}
