//! «Государственные закупки услуг, предусмотренные государственным социальным заказом» (ГСЗ,
//! spec 000-C §1.8, seed L8066–8744): services bought by a competition with a commission. What
//! differs from the open tender is stated here: services only, no discussion, and the
//! acceptance window (at least 20 calendar days, starting on a working day by 18:00). The
//! commission (chairman and at least two members, odd: the commission component's rule), its
//! documentation, the representatives (validity ≥ 60 days), acts and changes are the shared
//! components (docs/decisions/0725).

use chrono::{Duration, NaiveTime};

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::header::{Header, SubjectType};
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};
use crate::voting::{CommissionMajority, VotingRules};

/// Acceptance lasts at least 20 calendar days (L8617–8619).
const MIN_ACCEPTANCE_DAYS: i64 = 20;
/// The working hours in which acceptance may start end at 18:00 inclusive (L8623–8625).
const LATEST_START: (u32, u32) = (18, 0);

crate::phases! {
    /// The statuses a ГСЗ goes through (spec 000-C §3.1; the review's as the open tender's).
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
    (Step::StartAcceptance, &[Published]),
    (Step::Acceptance, &[AcceptingApplications]),
    // Not described in this part (§9.1): the commission's review, discounts and results
    // protocol as the open tender's, without the ППД (docs/decisions/0725).
    (Step::Review, &[ReviewingApplications]),
    (Step::ConditionalDiscounts, &[ReviewingApplications]),
    (Step::FormResultsProtocol, &[ReviewingApplications]),
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    (
        Step::ExpertOpinion(ProtocolKind::Results),
        &[FormingResults],
    ),
    // Spec 000-A L618–622, as for every method.
    (Step::ChangeCreator, &[Published, FormingResults, Completed]),
    // G9 (L8692–8700).
    (
        Step::ChangeRepresentatives,
        &[Published, AcceptingApplications, ReviewingApplications],
    ),
    // The commission component's changes, as in the open tender (L1960–1992).
    (Step::ChangeCommission, &[Published, AcceptingApplications]),
    (Step::ChangeCommissionWhileVoting, &[ReviewingApplications]),
];

pub struct StateSocialOrder;

impl MethodRules for StateSocialOrder {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    /// The commission: majority with the chairman, as every commission (L8358–8380).
    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&CommissionMajority)
    }

    /// No discussion of the documentation is described (L8382–8640).
    fn discussion_days(&self) -> Option<u32> {
        None
    }

    /// G6 (L8611–8625): start not in the past, on a working day, by 18:00 inclusive; end at
    /// least 20 calendar days after it.
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        dates.require_within_horizon(ctx)?;
        if dates.index == 1 {
            if dates.start < ctx.now {
                return Err(refusal::invalid_acceptance_dates());
            }
            let calendar = &ctx.calendar;
            let local = calendar.to_local(dates.start)?;
            if !calendar.is_working_day(local.date())? {
                return Err(refusal::acceptance_start_not_working_day());
            }
            let (hour, minute) = LATEST_START;
            let latest = NaiveTime::from_hms_opt(hour, minute, 0).expect("a time of day");
            if local.time() > latest {
                return Err(refusal::acceptance_start_after_working_hours());
            }
        }
        if dates.end < dates.start + Duration::days(MIN_ACCEPTANCE_DAYS) {
            return Err(refusal::social_order_acceptance_too_short());
        }
        Ok(())
    }

    /// Only admitted applications compete, as in the open tender.
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

    /// The commission, its documentation and review: the open tender's parts.
    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::OpenTender(Box::default())
    }

    /// «Вид предмета закупки» is «Услуга» only (L8110–8116).
    fn validate_header(&self, header: &Header) -> Result<(), DomainError> {
        if header.subject_type != SubjectType::Service {
            return Err(refusal::services_only());
        }
        Ok(())
    }
}
