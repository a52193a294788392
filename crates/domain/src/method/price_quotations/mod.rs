//! «Запрос ценовых предложений» (ЗЦП, spec 000-A): price offers accepted in a window and
//! compared automatically, without a commission (L434–448).

use chrono::Duration;

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::lot::FailureReason;
use crate::method::procedure::MethodProcedure;
use crate::status::{AdmissionDecision, AnnouncementStatus};

crate::phases! {
    /// The statuses a ЗЦП goes through (spec 000-A §3.1).
    Phase {
        Draft => Draft,
        Published => Published,
        AcceptingPriceOffers => PublishedAcceptingPriceOffers,
        Completed => Completed,
        Suspended => Suspended,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// The shortest ЗЦП acceptance window (docs/decisions/0635).
const MIN_ACCEPTANCE_HOURS: i64 = 24;

/// Which steps each phase allows.
const GUARDS: &[(Step, &[Phase])] = &[
    (Step::StartAcceptance, &[Published]),
    (Step::Acceptance, &[AcceptingPriceOffers]),
    // From publication until the results, whole procurement only (L3391–3489).
    (Step::Suspend, &[Published, AcceptingPriceOffers]),
    (Step::Resume, &[Suspended]),
    // L618–622.
    (
        Step::ChangeCreator,
        &[Published, AcceptingPriceOffers, Completed],
    ),
    // L678–680.
    (
        Step::ChangeRepresentatives,
        &[Published, AcceptingPriceOffers],
    ),
];

pub struct PriceQuotations;

impl MethodRules for PriceQuotations {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingPriceOffers.status()
    }

    /// No ЗЦП date rule in this part: the window must simply lie ahead (docs/decisions/0206).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        // At least a day: suppliers must be able to prepare an offer, and the seed gives no
        // shorter period (docs/decisions/0635).
        if dates.start < ctx.now || dates.end < dates.start + Duration::hours(MIN_ACCEPTANCE_HOURS)
        {
            return Err(refusal::invalid_acceptance_dates());
        }
        dates.require_within_horizon(ctx)
    }

    /// Every offer competes: ЗЦП has no admission review (L434–448).
    fn competes(&self, _: Option<&AdmissionDecision>) -> bool {
        true
    }

    /// A lot with one offer does not take place: «не состоялась … по причине «подана одна
    /// заявка»» starts the automatic single source (000-C L6866–6874, docs/decisions/0601).
    fn fails(&self, submitted: usize, _competing: usize) -> Option<FailureReason> {
        match submitted {
            0 => Some(FailureReason::NoApplications),
            1 => Some(FailureReason::OneApplication),
            _ => None,
        }
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::PriceQuotations
    }
}
