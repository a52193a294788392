//! «Закупка жилища» (spec 000-B §1.6, seed L5914–6830): no commission, no documentation
//! discussion, no ППД and no conditional discounts. The organizer's representative named in
//! «Добавление представителей» alone reviews the applications and signs the results protocol;
//! the creator forms and publishes it (docs/decisions/0745).

use chrono::Duration;

use super::{AcceptanceDates, MethodRules, Reviewer, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};

/// «публикуется не менее чем на 30 календарных дней» (spec 000-B D-17, L6206–6208).
pub const MIN_PUBLICATION_DAYS: i64 = 30;

crate::phases! {
    /// The statuses a housing purchase goes through (spec 000-B §3.1, §4.5).
    Phase {
        Draft => Draft,
        Published => Published,
        AcceptingApplications => PublishedAcceptingApplications,
        ReviewingApplications => ReviewingApplications,
        FormingResults => FormingResultsProtocol,
        Completed => Completed,
        Suspended => Suspended,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// Which steps each phase allows (spec 000-B §4.4, §4.5).
const GUARDS: &[(Step, &[Phase])] = &[
    // H6.
    (Step::StartAcceptance, &[Published]),
    // H7.
    (Step::Acceptance, &[AcceptingApplications]),
    // H8–H10: decisions, «Голосовать», «Отозвать голос» until the protocol is formed.
    (Step::Review, &[ReviewingApplications]),
    // H11.
    (Step::FormResultsProtocol, &[ReviewingApplications]),
    // H12.
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    // H15: «Опубликовано» or «Рассмотрение заявок», whole procurement only (L6548–6602).
    (Step::Suspend, &[Published, ReviewingApplications]),
    // H16.
    (Step::Resume, &[Suspended]),
    // H18 (L6710–6760).
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
    // H19 (L6768–6798).
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

pub struct Housing;

impl MethodRules for Housing {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    /// «только пользователь, указанный в качестве представителя организатора» (L6270–6276).
    fn reviewer(&self) -> Reviewer {
        Reviewer::OrganizerRepresentative
    }

    /// D-17 (L6206–6210): acceptance starts on a later date than today's, in Kazakhstan's time,
    /// and runs at least 30 calendar days (docs/decisions/0746).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        // Dates on the Astana clock, as the working-day calendar keeps it.
        if ctx.calendar.to_local_date(dates.start)? <= ctx.today()? {
            return Err(refusal::acceptance_start_not_after_today());
        }
        if dates.end < dates.start + Duration::days(MIN_PUBLICATION_DAYS) {
            return Err(refusal::publication_period_too_short());
        }
        dates.require_within_horizon(ctx)
    }

    /// «признаются состоявшимися, если … была допущена хотя бы одна заявка» (L6394–6402).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::Housing(Box::default())
    }
}
