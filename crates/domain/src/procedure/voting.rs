//! Commission voting on admission, per member × application × lot (spec 000-A §7).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::act::FileRef;
use crate::announcement::refusal;
use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::plan_item::PlanItemId;
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

/// Section B «Документы по каждому лоту» for one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotBallot {
    pub plan_item_id: PlanItemId,
    pub documentation: DocumentationVerdict,
    pub qualification: QualificationVerdict,
    pub article6: Article6Verdict,
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
        Ok(())
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
