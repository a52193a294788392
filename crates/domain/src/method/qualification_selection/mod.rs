//! «Отбор на включение в Реестр квалифицированных поставщиков» (spec 000-C §1.11, seed
//! L9684–10372): a qualification commission admits the applicants, the secretary confirms the
//! admitted suppliers' qualification data (which feed the public Registry of qualified
//! suppliers) and the commission signs the qualification-selection protocol. The commission,
//! its changes and requests, the voting and the protocol are the shared components; what
//! differs is stated here: the phases, the three categories of a ballot (`QualificationVoting`),
//! the statuses after the voting and after a deleted protocol, and the qualification data
//! (`info.rs`). Docs/decisions/0800.

pub mod info;

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::refusal;
use crate::commission::Commission;
use crate::error::DomainError;
use crate::ident::Iin;
use crate::method::procedure::MethodProcedure;
use crate::plan_item::PlanItemId;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};
use crate::voting::{Ballot, DocumentationVerdict, QualificationVerdict, VotingRules};
pub use info::{
    QualificationInfo, QualificationInfoFilled, QualificationInfoStatus, QualificationRow,
    QualificationRowDecision, QualificationSection, QualificationSelectionProcedure,
};

crate::phases! {
    /// The statuses a qualification selection goes through (spec 000-C §3.1, §4.9). Its
    /// publication and acceptance are not described (§9.1): the core's, as every method's.
    Phase {
        Draft => Draft,
        Published => Published,
        AcceptingApplications => PublishedAcceptingApplications,
        ReviewingApplications => ReviewingApplications,
        FillingQualificationInfo => FillingQualificationInfo,
        FormingProtocol => FormingQualificationProtocol,
        Completed => Completed,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// Which steps each phase allows.
const GUARDS: &[(Step, &[Phase])] = &[
    (Step::StartAcceptance, &[Published]),
    (Step::Acceptance, &[AcceptingApplications]),
    // Q3–Q6 in the review; Q7, the resumed voting, also once the data are being filled
    // (L10034–10036): the voting component refuses a vote on a completed voting.
    (
        Step::Review,
        &[ReviewingApplications, FillingQualificationInfo],
    ),
    // Q8 (L10042–10110).
    (Step::QualificationInfo, &[FillingQualificationInfo]),
    // Q9: the commission's requests, repeatable, from the review on (L10120–10250).
    (
        Step::CommissionQuery,
        &[
            ReviewingApplications,
            FillingQualificationInfo,
            FormingProtocol,
        ],
    ),
    // Q10, after the voting is completed (L10260–10276).
    (
        Step::FormResultsProtocol,
        &[ReviewingApplications, FillingQualificationInfo],
    ),
    // Q11–Q13: the secretary first, then the members (L10280–10332).
    (
        Step::SignProtocol(ProtocolKind::Results),
        &[FormingProtocol],
    ),
    (
        Step::ExpertOpinion(ProtocolKind::Results),
        &[FormingProtocol],
    ),
    // Q12: before publication (L10298–10304).
    (Step::DeleteResultsProtocol, &[FormingProtocol]),
    // Spec 000-A L618–622, as for every method.
    (
        Step::ChangeCreator,
        &[Published, FormingProtocol, Completed],
    ),
    (
        Step::ChangeRepresentatives,
        &[Published, AcceptingApplications, ReviewingApplications],
    ),
    // Q1: before the review, and in it while the voting is not completed (L9692–9734).
    (Step::ChangeCommission, &[Published, AcceptingApplications]),
    (Step::ChangeCommissionWhileVoting, &[ReviewingApplications]),
];

pub struct QualificationSelection;

impl MethodRules for QualificationSelection {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&QualificationVoting)
    }

    /// Not described in this part (§9.1): acceptance starts no earlier than now and ends after
    /// it starts (docs/decisions/0801).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        dates.require_within_horizon(ctx)?;
        if dates.index == 1 && dates.start < ctx.now || dates.end <= dates.start {
            return Err(refusal::selection_acceptance_dates_invalid());
        }
        Ok(())
    }

    /// The admitted suppliers are the selection's result (L10023–10027).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }

    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::QualificationSelection(Box::default())
    }

    /// «Формирование протокола квалификационного отбора» (L10268–10272).
    fn results_protocol_status(&self) -> AnnouncementStatus {
        FormingProtocol.status()
    }

    /// Q6: with a supplier admitted the secretary fills the qualification data; with none the
    /// status stays «Рассмотрение заявок» (§4.9 AMBIGUOUS, best reading; L10300–10304).
    fn status_after_voting(&self, any_admitted: bool) -> Option<AnnouncementStatus> {
        Some(match any_admitted {
            true => FillingQualificationInfo.status(),
            false => ReviewingApplications.status(),
        })
    }

    /// Q12: the secretary deletes the protocol before its publication (L10298–10300).
    fn protocol_deletable_before_publication(&self) -> bool {
        true
    }
}

/// The qualification commission's ballot: three categories per supplier and lot
/// (§2.23, L9818–9905), «Соответствие квалификационным требованиям», «Процедура банкротства
/// либо ликвидации» and «Отсутствие ограничений по ст.6 Закона о ГЗ». A member admits iff all
/// three admit (§7.2 AMBIGUOUS, best reading); the final decision is the majority of the votes
/// cast, and the quorum the commission's: a majority with the chairman (L9953–9955,
/// L10015–10027).
pub struct QualificationVoting;

impl VotingRules for QualificationVoting {
    fn member_decision(&self, ballot: &Ballot, lot: &PlanItemId) -> AdmissionDecision {
        let Some(lot_ballot) = ballot.lot(lot) else {
            return AdmissionDecision::NotVoted;
        };
        let rejected = ballot.vetoes_all_lots()
            || !matches!(
                lot_ballot.article6,
                crate::voting::Article6Verdict::Admitted
            )
            || matches!(
                lot_ballot.qualification,
                QualificationVerdict::Rejected { .. }
            )
            || lot_ballot.bankruptcy.as_ref().is_some_and(|b| b.rejects());
        match rejected {
            true => AdmissionDecision::Rejected,
            false => AdmissionDecision::Admitted,
        }
    }

    /// No veto: a rejection under article 6 is one vote among the others here.
    fn vetoes_all_lots(&self, _ballot: &Ballot) -> bool {
        false
    }

    fn final_decision(&self, decisions: Vec<AdmissionDecision>) -> AdmissionDecision {
        crate::voting::final_decision(decisions)
    }

    fn quorum(&self, commission: &Commission, voted: &[&Iin]) -> bool {
        commission.is_quorum(voted.iter().copied())
    }

    /// Every lot decides the bankruptcy category; the documentation is no category here.
    fn validate_ballot(&self, ballot: &Ballot) -> Result<(), DomainError> {
        for lot in &ballot.lots {
            if lot.bankruptcy.is_none() {
                return Err(refusal::bankruptcy_verdict_required());
            }
            if lot.documentation != DocumentationVerdict::Admitted {
                return Err(refusal::category_not_in_method());
            }
        }
        Ok(())
    }

    fn bankruptcy_category(&self) -> bool {
        true
    }
}
