//! Commission voting on admission, per member × application × lot (spec 000-A §7): the ballot
//! and, as a procedure component, [`Voting`]: the rounds, the votes, the final decisions. What
//! counts (the categories of a ballot, the quorum, the veto grounds) is a [`VotingRules`]
//! parameter the method gives.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::{Application, ApplicationId};
use crate::commission::Commission;
use crate::error::DomainError;
use crate::ident::Iin;
use crate::kernel::file::FileRef;
use crate::lot::Lot;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;
use crate::status::{AdmissionDecision, VotingControlStatus};

/// The first review, or the re-review of supplements after the ППД (§7.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ReviewRound {
    Initial,
    Supplements,
}

/// «Отсутствие ограничений по ст.6 Закона о ГЗ»: admitted, or rejected without right of
/// resubmission with the sub-paragraphs of article 6 and a reason (L2102–2106, L2263–2265).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum Article6Verdict {
    Admitted,
    RejectedNoResubmission {
        subparagraphs: Vec<String>,
        reason: String,
    },
}

/// «Соответствие конкурсной документации»; rejecting on Appendix 8 (application security)
/// «без права переподачи» vetoes the lot (L2188–2213).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum DocumentationVerdict {
    Admitted,
    Rejected {
        documents: Vec<String>,
        reason: String,
        security_no_resubmission: bool,
    },
}

/// «Соответствие квалификационным требованиям» (L2215–2249).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum QualificationVerdict {
    Admitted,
    Rejected {
        documents: Vec<String>,
        reason: String,
    },
}

/// «Процедура банкротства либо ликвидации»: a category of the qualification selection only;
/// rejecting it needs the grounds (spec 000-C §2.23, L9876–9886).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "verdict", rename_all = "snake_case")]
pub enum BankruptcyVerdict {
    Admitted,
    Rejected { reason: String },
}

impl BankruptcyVerdict {
    pub fn rejects(&self) -> bool {
        matches!(self, BankruptcyVerdict::Rejected { .. })
    }
}

/// Section B «Документы по каждому лоту» for one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotBallot {
    pub plan_item_id: PlanItemId,
    pub documentation: DocumentationVerdict,
    pub qualification: QualificationVerdict,
    pub article6: Article6Verdict,
    /// The qualification selection's third category; absent from the other methods' ballots
    /// (and from every ballot recorded before it existed, so no upcaster is needed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bankruptcy: Option<BankruptcyVerdict>,
    /// «Прикрепить файл», optional (L2112–2116).
    pub file: Option<FileRef>,
}

/// One member's vote on one application: section A (common to all lots) and section B per lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Ballot {
    pub common_article6: Article6Verdict,
    pub lots: Vec<LotBallot>,
}

fn require_reason(reason: &str) -> Result<(), DomainError> {
    if reason.trim().is_empty() {
        Err(refusal::rejection_reason_required())
    } else {
        crate::kernel::text::text("reason", reason)
    }
}

fn require_documents(documents: &[String]) -> Result<(), DomainError> {
    if documents.is_empty() {
        Err(refusal::rejected_documents_required())
    } else {
        Ok(())
    }
}

impl Article6Verdict {
    fn validate(&self) -> Result<(), DomainError> {
        match self {
            Article6Verdict::Admitted => Ok(()),
            Article6Verdict::RejectedNoResubmission {
                subparagraphs,
                reason,
            } => {
                if subparagraphs.is_empty() {
                    return Err(refusal::article6_subparagraph_required());
                }
                require_reason(reason)
            }
        }
    }

    fn vetoes(&self) -> bool {
        matches!(self, Article6Verdict::RejectedNoResubmission { .. })
    }
}

impl LotBallot {
    fn validate(&self) -> Result<(), DomainError> {
        if let DocumentationVerdict::Rejected {
            documents, reason, ..
        } = &self.documentation
        {
            require_documents(documents)?;
            require_reason(reason)?;
        }
        if let QualificationVerdict::Rejected { documents, reason } = &self.qualification {
            require_documents(documents)?;
            require_reason(reason)?;
        }
        if let Some(file) = &self.file {
            file.validate()?;
        }
        if let Some(BankruptcyVerdict::Rejected { reason }) = &self.bankruptcy {
            require_reason(reason)?;
        }
        self.article6.validate()
    }

    fn vetoes(&self) -> bool {
        self.article6.vetoes()
            || matches!(
                self.documentation,
                DocumentationVerdict::Rejected {
                    security_no_resubmission: true,
                    ..
                }
            )
    }

    fn rejects(&self) -> bool {
        matches!(self.documentation, DocumentationVerdict::Rejected { .. })
            || matches!(self.qualification, QualificationVerdict::Rejected { .. })
    }
}

impl Ballot {
    pub fn validate(&self) -> Result<(), DomainError> {
        self.common_article6.validate()?;
        self.lots.iter().try_for_each(LotBallot::validate)
    }

    pub fn lot(&self, lot: &PlanItemId) -> Option<&LotBallot> {
        self.lots.iter().find(|b| &b.plan_item_id == lot)
    }

    /// The member's decision on a lot: «Отклонен без права переподачи» if any category says so
    /// (the common art. 6 section counts for every lot), else «Отклонен» if any category
    /// rejects, else «Допущен» (spec §7.2 best reading).
    pub fn decision_for(&self, lot: &PlanItemId) -> AdmissionDecision {
        let Some(lot_ballot) = self.lot(lot) else {
            return AdmissionDecision::NotVoted;
        };
        if self.common_article6.vetoes() || lot_ballot.vetoes() {
            AdmissionDecision::RejectedNoResubmission
        } else if lot_ballot.rejects() {
            AdmissionDecision::Rejected
        } else {
            AdmissionDecision::Admitted
        }
    }

    pub fn vetoes_all_lots(&self) -> bool {
        self.common_article6.vetoes()
    }
}

/// «За» / «Против» / «Не голосовал» for one application on one lot (L2351–2365).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationTally {
    pub application_id: ApplicationId,
    pub admitted: u32,
    pub not_admitted: u32,
    pub not_voted: u32,
}

/// One row of «Контроль голосования».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotVotingControl {
    pub plan_item_id: PlanItemId,
    pub status: VotingControlStatus,
    pub applications: Vec<ApplicationTally>,
}

/// The final decision on one application × lot from the members' decisions (L2455–2485):
/// one veto decides; otherwise admission needs more than half of the votes cast, and a tie
/// rejects (spec §7.4 AMBIGUOUS; docs/decisions/0203-voting-ties-and-signature-quorum.md).
pub fn final_decision(decisions: impl IntoIterator<Item = AdmissionDecision>) -> AdmissionDecision {
    let (mut admitted, mut cast) = (0u32, 0u32);
    for decision in decisions {
        match decision {
            AdmissionDecision::RejectedNoResubmission => {
                return AdmissionDecision::RejectedNoResubmission;
            }
            AdmissionDecision::Admitted => {
                admitted += 1;
                cast += 1;
            }
            AdmissionDecision::Rejected => cast += 1,
            AdmissionDecision::NotVoted => {}
        }
    }
    if admitted * 2 > cast {
        AdmissionDecision::Admitted
    } else {
        AdmissionDecision::Rejected
    }
}

/// A final decision recorded when voting is completed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FinalDecision {
    pub application_id: ApplicationId,
    pub plan_item_id: PlanItemId,
    pub decision: AdmissionDecision,
}

// ---- the voting component ---------------------------------------------------------------------

/// What a method's review counts, given to [`Voting`] as a parameter.
pub trait VotingRules {
    /// A member's decision on one lot from their ballot: its categories.
    fn member_decision(&self, ballot: &Ballot, lot: &PlanItemId) -> AdmissionDecision;
    /// A ballot that bars the supplier from every lot in the first review.
    fn vetoes_all_lots(&self, ballot: &Ballot) -> bool;
    /// The final decision on one application × lot from the members' decisions.
    fn final_decision(&self, decisions: Vec<AdmissionDecision>) -> AdmissionDecision;
    /// Whether the members who voted make a quorum of the commission.
    fn quorum(&self, commission: &Commission, voted: &[&Iin]) -> bool;
    /// «Процедура банкротства либо ликвидации» is a category of the method's ballots (the
    /// qualification selection's only, spec 000-C §2.23).
    fn bankruptcy_category(&self) -> bool {
        false
    }
    /// What the method demands of a ballot beyond the categories' own rules: by default that
    /// it decides no category the method does not have.
    fn validate_ballot(&self, ballot: &Ballot) -> Result<(), DomainError> {
        if ballot.lots.iter().any(|l| l.bankruptcy.is_some()) {
            return Err(refusal::category_not_in_method());
        }
        Ok(())
    }
}

/// The Law's rules for a commission (spec §7.2–7.4): the documentation, qualification and
/// article 6 categories, article 6 in the common section as the veto on every lot, majority of
/// votes cast, the commission's quorum.
pub struct CommissionMajority;

impl VotingRules for CommissionMajority {
    fn member_decision(&self, ballot: &Ballot, lot: &PlanItemId) -> AdmissionDecision {
        ballot.decision_for(lot)
    }

    fn vetoes_all_lots(&self, ballot: &Ballot) -> bool {
        ballot.vetoes_all_lots()
    }

    fn final_decision(&self, decisions: Vec<AdmissionDecision>) -> AdmissionDecision {
        final_decision(decisions)
    }

    fn quorum(&self, commission: &Commission, voted: &[&Iin]) -> bool {
        commission.is_quorum(voted.iter().copied())
    }
}

/// The facts a review decides on: who votes, on which applications and lots.
pub struct Review<'a> {
    pub commission: Option<&'a Commission>,
    pub applications: &'a BTreeMap<ApplicationId, Application>,
    pub lots: &'a BTreeMap<PlanItemId, Lot>,
}

/// The commission's review of applications: the first review, then the supplements (§7.5).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Voting {
    pub round: Option<ReviewRound>,
    pub votes: BTreeMap<(ApplicationId, Iin), Ballot>,
    /// The ballots of the first review, put aside when the supplement round starts: a ППД
    /// revision by notice brings them back, «Кворум достигнут», for the members to withdraw and
    /// re-cast (spec 000-D L12512–12516, L12534–12536; docs/decisions/0309).
    pub initial_votes: BTreeMap<(ApplicationId, Iin), Ballot>,
    pub completed: bool,
    /// Members excluded by a change of commission may not vote again (L1982–1992).
    pub excluded_voters: BTreeSet<Iin>,
    pub decisions: BTreeMap<(ApplicationId, PlanItemId), AdmissionDecision>,
}

impl Voting {
    /// A review not opened: what a method without a commission has.
    pub const fn none() -> Self {
        Voting {
            round: None,
            votes: BTreeMap::new(),
            initial_votes: BTreeMap::new(),
            completed: false,
            excluded_voters: BTreeSet::new(),
            decisions: BTreeMap::new(),
        }
    }

    /// Whether the completed review rejected the application on the lot under article 6 of the
    /// Law: its final decision bars it, and a ballot says so in the common section or the lot's
    /// (a rejection on the application security alone is no article 6 one, L6984–6990).
    pub fn rejected_under_article6(
        &self,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> bool {
        let barred = self.decisions.get(&(*application_id, lot.clone()))
            == Some(&AdmissionDecision::RejectedNoResubmission);
        barred
            && self
                .votes
                .iter()
                .filter(|((a, _), _)| a == application_id)
                .any(|(_, b)| {
                    b.common_article6.vetoes() || b.lot(lot).is_some_and(|l| l.article6.vetoes())
                })
    }

    pub fn current_round(&self) -> ReviewRound {
        self.round.unwrap_or(ReviewRound::Initial)
    }

    pub fn is_active_voter(&self, commission: Option<&Commission>, iin: &Iin) -> bool {
        commission.is_some_and(|c| c.is_voter(iin)) && !self.excluded_voters.contains(iin)
    }

    /// The lots of an application under review in the current round: all its lots first; after
    /// the ППД only the supplemented lots it was rejected on (§7.5).
    pub fn review_lots(
        &self,
        review: &Review<'_>,
        application_id: &ApplicationId,
    ) -> BTreeSet<PlanItemId> {
        let Some(application) = review.applications.get(application_id) else {
            return BTreeSet::new();
        };
        let active = |lot: &PlanItemId| review.lots.get(lot).is_some_and(|l| !l.is_cancelled());
        match self.round {
            Some(ReviewRound::Supplements) => application
                .supplemented_lots
                .iter()
                .filter(|lot| active(lot))
                .filter(|lot| {
                    self.decisions.get(&(*application_id, (*lot).clone()))
                        == Some(&AdmissionDecision::Rejected)
                })
                .cloned()
                .collect(),
            _ => application
                .lots()
                .filter(|lot| active(lot))
                .cloned()
                .collect(),
        }
    }

    fn under_review(&self, review: &Review<'_>, lot: &PlanItemId) -> Vec<ApplicationId> {
        review
            .applications
            .keys()
            .filter(|id| self.review_lots(review, id).contains(lot))
            .copied()
            .collect()
    }

    /// «Контроль голосования»: per lot under review, the quorum status and the counters. A
    /// member has voted on a lot when they voted on every application under review on it.
    pub fn control(&self, review: &Review<'_>, rules: &dyn VotingRules) -> Vec<LotVotingControl> {
        let Some(commission) = review.commission else {
            return Vec::new();
        };
        let voters: Vec<&Iin> = commission
            .voters()
            .map(|p| &p.iin)
            .filter(|iin| self.is_active_voter(Some(commission), iin))
            .collect();
        review
            .lots
            .values()
            .filter(|lot| !lot.is_cancelled())
            .map(Lot::plan_item_id)
            .filter_map(|lot| {
                let applications = self.under_review(review, lot);
                if applications.is_empty() {
                    return None;
                }
                let voted: Vec<&Iin> = voters
                    .iter()
                    .filter(|iin| {
                        applications
                            .iter()
                            .all(|a| self.votes.contains_key(&(*a, ***iin)))
                    })
                    .copied()
                    .collect();
                let status = if rules.quorum(commission, &voted) {
                    VotingControlStatus::QuorumReached
                } else {
                    VotingControlStatus::NoQuorum
                };
                let tallies = applications
                    .iter()
                    .map(|a| self.tally(*a, lot, &voters, rules))
                    .collect();
                Some(LotVotingControl {
                    plan_item_id: lot.clone(),
                    status,
                    applications: tallies,
                })
            })
            .collect()
    }

    fn tally(
        &self,
        application_id: ApplicationId,
        lot: &PlanItemId,
        voters: &[&Iin],
        rules: &dyn VotingRules,
    ) -> ApplicationTally {
        let mut tally = ApplicationTally {
            application_id,
            admitted: 0,
            not_admitted: 0,
            not_voted: 0,
        };
        for iin in voters {
            let ballot = self.votes.get(&(application_id, **iin));
            match ballot.map(|b| rules.member_decision(b, lot)) {
                Some(AdmissionDecision::Admitted) => tally.admitted += 1,
                Some(AdmissionDecision::Rejected | AdmissionDecision::RejectedNoResubmission) => {
                    tally.not_admitted += 1
                }
                Some(AdmissionDecision::NotVoted) | None => tally.not_voted += 1,
            }
        }
        tally
    }

    /// A member's status on an application × lot as the secretary sees it (L2367–2419).
    pub fn member_decision(
        &self,
        rules: &dyn VotingRules,
        member: &Iin,
        application_id: &ApplicationId,
        lot: &PlanItemId,
    ) -> AdmissionDecision {
        self.votes
            .get(&(*application_id, *member))
            .map_or(AdmissionDecision::NotVoted, |b| {
                rules.member_decision(b, lot)
            })
    }

    fn final_decisions(&self, review: &Review<'_>, rules: &dyn VotingRules) -> Vec<FinalDecision> {
        let mut decisions = Vec::new();
        for (application_id, application) in review.applications {
            let ballots: Vec<&Ballot> = self
                .votes
                .iter()
                .filter(|((a, iin), _)| {
                    a == application_id && self.is_active_voter(review.commission, iin)
                })
                .map(|(_, b)| b)
                .collect();
            // Art. 6 in the common section bars the supplier on every lot (L2118–2128). The
            // re-review shows only the sections the supplier was rejected on (L2727–2739), so
            // there it counts for the lots under review only.
            let common_veto = self.round != Some(ReviewRound::Supplements)
                && ballots.iter().any(|b| rules.vetoes_all_lots(b));
            let decide = |lot: &PlanItemId| match common_veto {
                true => AdmissionDecision::RejectedNoResubmission,
                false => rules.final_decision(
                    ballots
                        .iter()
                        .map(|b| rules.member_decision(b, lot))
                        .collect(),
                ),
            };
            let reviewed = self.review_lots(review, application_id);
            // A veto reaches the lots not under review as well.
            let vetoed = application
                .lots()
                .filter(|lot| common_veto && !reviewed.contains(*lot))
                .cloned();
            let lots: Vec<PlanItemId> = reviewed.iter().cloned().chain(vetoed).collect();
            decisions.extend(lots.into_iter().map(|lot| FinalDecision {
                application_id: *application_id,
                decision: decide(&lot),
                plan_item_id: lot,
            }));
        }
        decisions
    }

    /// A ППД is needed only when someone may still supplement: a «Отклонен» (not «без права
    /// переподачи») after the first review (spec §7.4 best reading, L2493–2503).
    pub fn preliminary_admission_required(&self, lots: &BTreeMap<PlanItemId, Lot>) -> bool {
        self.round == Some(ReviewRound::Initial)
            && self.decisions.iter().any(|((_, lot), d)| {
                *d == AdmissionDecision::Rejected
                    && lots.get(lot).is_some_and(|l| !l.is_cancelled())
            })
    }

    pub fn require_open(&self) -> Result<(), DomainError> {
        if self.completed {
            Err(refusal::voting_completed())
        } else {
            Ok(())
        }
    }

    pub fn require_completed(&self) -> Result<(), DomainError> {
        if self.completed {
            Ok(())
        } else {
            Err(refusal::voting_not_completed())
        }
    }

    // ---- decide ---------------------------------------------------------------------------

    pub fn cast(
        &self,
        review: &Review<'_>,
        (member_iin, application_id): (Iin, ApplicationId),
        ballot: Ballot,
        now: DateTime<Utc>,
    ) -> Result<VoteCast, DomainError> {
        self.require_open()?;
        if self.excluded_voters.contains(&member_iin) {
            return Err(refusal::excluded_from_commission());
        }
        if !self.is_active_voter(review.commission, &member_iin) {
            return Err(refusal::not_a_commission_member());
        }
        if !review.applications.contains_key(&application_id) {
            return Err(refusal::application_not_found());
        }
        let under_review = self.review_lots(review, &application_id);
        if under_review.is_empty() {
            return Err(refusal::nothing_to_review());
        }
        let ballot_lots: BTreeSet<PlanItemId> =
            ballot.lots.iter().map(|b| b.plan_item_id.clone()).collect();
        if ballot_lots != under_review || ballot_lots.len() != ballot.lots.len() {
            return Err(refusal::ballot_lots_mismatch());
        }
        if self.votes.contains_key(&(application_id, member_iin)) {
            return Err(refusal::already_voted());
        }
        ballot.validate()?;
        Ok(VoteCast {
            member_iin,
            application_id,
            round: self.current_round(),
            ballot,
            cast_at: now,
        })
    }

    pub fn withdraw(
        &self,
        member_iin: Iin,
        application_id: ApplicationId,
        now: DateTime<Utc>,
    ) -> Result<VoteWithdrawn, DomainError> {
        self.require_open()?;
        if !self.votes.contains_key(&(application_id, member_iin)) {
            return Err(refusal::no_vote_to_withdraw());
        }
        Ok(VoteWithdrawn {
            member_iin,
            application_id,
            withdrawn_at: now,
        })
    }

    /// Completes the round once every lot under review has its quorum.
    pub fn complete(
        &self,
        review: &Review<'_>,
        rules: &dyn VotingRules,
        now: DateTime<Utc>,
    ) -> Result<VotingCompleted, DomainError> {
        self.require_open()?;
        if self
            .control(review, rules)
            .iter()
            .any(|row| row.status == VotingControlStatus::NoQuorum)
        {
            return Err(refusal::no_quorum());
        }
        Ok(VotingCompleted {
            round: self.current_round(),
            decisions: self.final_decisions(review, rules),
            completed_at: now,
        })
    }

    pub fn reopen(&self, now: DateTime<Utc>) -> Result<VotingReopened, DomainError> {
        if !self.completed {
            return Err(refusal::voting_not_completed());
        }
        Ok(VotingReopened {
            round: self.current_round(),
            reopened_at: now,
        })
    }

    // ---- evolve ---------------------------------------------------------------------------

    /// The applications are opened: the first review starts.
    pub fn opened(&mut self) {
        self.round = Some(ReviewRound::Initial);
    }

    pub fn vote_cast(&mut self, e: &VoteCast) {
        self.votes
            .insert((e.application_id, e.member_iin), e.ballot.clone());
    }

    pub fn vote_withdrawn(&mut self, e: &VoteWithdrawn) {
        self.votes.remove(&(e.application_id, e.member_iin));
    }

    pub fn voting_completed(&mut self, e: &VotingCompleted) {
        self.completed = true;
        for d in &e.decisions {
            self.decisions
                .insert((d.application_id, d.plan_item_id.clone()), d.decision);
        }
    }

    pub fn reopened(&mut self, e: &VotingReopened) {
        // A ППД revision reopens the first review with its ballots (docs/decisions/0309).
        if e.round == ReviewRound::Initial && self.round == Some(ReviewRound::Supplements) {
            self.round = Some(ReviewRound::Initial);
            self.votes = self.initial_votes.clone();
        }
        self.completed = false;
    }

    /// The supplement period ended: the supplements are reviewed in a new round.
    pub fn supplements_round(&mut self) {
        if self.round == Some(ReviewRound::Initial) {
            self.initial_votes = std::mem::take(&mut self.votes);
        }
        self.round = Some(ReviewRound::Supplements);
        self.votes.clear();
        self.completed = false;
    }

    /// No application was supplemented: the re-review has nothing to review, so it is complete
    /// and the first review's decisions stand (spec 000-D L12560–12574).
    pub fn supplements_skipped(&mut self) {
        self.completed = true;
    }

    /// Members removed from the commission lose their votes and may not vote again.
    pub fn commission_changed(&mut self, old: Option<&Commission>, new: &Commission) {
        if let Some(old) = old {
            let removed: Vec<Iin> = old
                .voters()
                .filter(|p| !new.is_voter(&p.iin))
                .map(|p| p.iin)
                .collect();
            self.votes.retain(|(_, iin), _| !removed.contains(iin));
            self.excluded_voters.extend(removed);
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VoteCast {
    pub member_iin: Iin,
    pub application_id: ApplicationId,
    pub round: ReviewRound,
    pub ballot: Ballot,
    pub cast_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VoteWithdrawn {
    pub member_iin: Iin,
    pub application_id: ApplicationId,
    pub withdrawn_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VotingCompleted {
    pub round: ReviewRound,
    pub decisions: Vec<FinalDecision>,
    pub completed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VotingReopened {
    pub round: ReviewRound,
    pub reopened_at: DateTime<Utc>,
}
