//! Procurements run off the portal whose results are entered by hand: «Бумажные закупки»
//! (spec 000-C §1.9, seed L8748–9251: «Закупка с применением двухэтапных процедур», «Конкурс с
//! предварительным квалификационным отбором») and «Закупки для не субъектов ГЗ» (§1.10, seed
//! L9255–9678: «Запрос ценовых предложений (не ГЗ)», «Тендер (не ГЗ)»). No commission, no
//! review, no documents on the portal: applications are submitted on paper, and after the end of
//! acceptance the creator enters the results, forms, signs and publishes the protocol
//! (docs/decisions/0748).

use super::{AcceptanceDates, MethodRules, Reviewer, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus, LotStatus};

crate::phases! {
    /// The statuses of a paper or non-GZ procurement (spec 000-C §3.1, §4.8).
    Phase {
        Draft => Draft,
        Published => Published,
        FormingResults => FormingResultsProtocol,
        Completed => Completed,
    }
}

use Phase::*;

/// Which steps each phase allows (spec 000-C §4.8, B5–B11).
const GUARDS: &[(Step, &[Phase])] = &[
    // B5: the end of acceptance; applications are not submitted on the portal.
    (Step::Acceptance, &[Published]),
    // B6–B7, B10.
    (Step::EnterResults, &[FormingResults]),
    (Step::FormResultsProtocol, &[FormingResults]),
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    (Step::DeleteResultsProtocol, &[FormingResults]),
];

/// The two: the paper procurement has the representatives step (B3), the procurement for
/// non-subjects goes from the lots straight to publication (L9385–9387; spec §2.19's best
/// reading).
pub struct Paper {
    pub representatives: bool,
}

pub static PAPER: Paper = Paper {
    representatives: true,
};

pub static NON_SUBJECTS: Paper = Paper {
    representatives: false,
};

impl MethodRules for Paper {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    /// Acceptance runs in «Опубликовано»: the seed names no other status before its end (B4–B5).
    fn accepting(&self) -> AnnouncementStatus {
        Published.status()
    }

    fn reviewer(&self) -> Reviewer {
        Reviewer::EnteredByHand
    }

    /// §2.20: no interval rule; the window lies ahead and ends after it starts
    /// (docs/decisions/0748).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        if dates.start < ctx.now || dates.end <= dates.start {
            return Err(refusal::invalid_acceptance_dates());
        }
        dates.require_within_horizon(ctx)
    }

    /// Never asked: the outcome is entered, not computed.
    fn competes(&self, _: Option<&AdmissionDecision>) -> bool {
        false
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::EnteredResults(Default::default())
    }

    /// B2: «Проект лота» (L8864–8866, L9375–9377).
    fn draft_lot_status(&self) -> LotStatus {
        LotStatus::LotDraft
    }

    /// No technical specification and no contract draft on the portal (§2.18–2.20).
    fn documents_on_portal(&self) -> bool {
        false
    }

    fn representatives_step(&self) -> bool {
        self.representatives
    }
}
