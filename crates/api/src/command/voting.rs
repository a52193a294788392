//! The commission's vote on admission, per member, application and lot (spec 000-A §7).

use async_graphql::{Context, Enum, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::application::ApplicationId;
use zakup_domain::voting::{self as domain, Ballot, LotBallot};

use super::input::{self, FileRefInput, IntoDomain, absent, field, required};
use super::{CommandOutcome, announce};

/// «Отсутствие ограничений по ст.6 Закона о ГЗ».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum Article6Verdict {
    Admitted,
    RejectedNoResubmission,
}

/// Article 6 (`Article6Verdict`, tagged by `verdict`): `admitted`, or
/// `rejected_no_resubmission` with the `subparagraphs` of article 6 and a `reason`.
#[derive(InputObject, Debug)]
pub struct Article6VerdictInput {
    pub verdict: Article6Verdict,
    pub subparagraphs: Option<Vec<String>>,
    pub reason: Option<String>,
}

impl IntoDomain for Article6VerdictInput {
    type Domain = domain::Article6Verdict;
    fn into_domain(self, at: &str) -> Result<domain::Article6Verdict> {
        match self.verdict {
            Article6Verdict::Admitted => {
                absent(at, "subparagraphs", &self.subparagraphs, "admitted")?;
                absent(at, "reason", &self.reason, "admitted")?;
                Ok(domain::Article6Verdict::Admitted)
            }
            Article6Verdict::RejectedNoResubmission => {
                let variant = "rejected_no_resubmission";
                Ok(domain::Article6Verdict::RejectedNoResubmission {
                    subparagraphs: required(at, "subparagraphs", self.subparagraphs, variant)?,
                    reason: required(at, "reason", self.reason, variant)?,
                })
            }
        }
    }
}

/// A verdict on the documentation or the qualification.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum Verdict {
    Admitted,
    Rejected,
}

/// «Соответствие конкурсной документации» (`DocumentationVerdict`, tagged by `verdict`):
/// `admitted`, or `rejected` with the `documents` at fault, a `reason` and
/// `securityNoResubmission` (rejecting Appendix 8 without right of resubmission vetoes the lot).
#[derive(InputObject, Debug)]
pub struct DocumentationVerdictInput {
    pub verdict: Verdict,
    pub documents: Option<Vec<String>>,
    pub reason: Option<String>,
    pub security_no_resubmission: Option<bool>,
}

impl IntoDomain for DocumentationVerdictInput {
    type Domain = domain::DocumentationVerdict;
    fn into_domain(self, at: &str) -> Result<domain::DocumentationVerdict> {
        match self.verdict {
            Verdict::Admitted => {
                absent(at, "documents", &self.documents, "admitted")?;
                absent(at, "reason", &self.reason, "admitted")?;
                let security = &self.security_no_resubmission;
                absent(at, "securityNoResubmission", security, "admitted")?;
                Ok(domain::DocumentationVerdict::Admitted)
            }
            Verdict::Rejected => Ok(domain::DocumentationVerdict::Rejected {
                documents: required(at, "documents", self.documents, "rejected")?,
                reason: required(at, "reason", self.reason, "rejected")?,
                security_no_resubmission: required(
                    at,
                    "securityNoResubmission",
                    self.security_no_resubmission,
                    "rejected",
                )?,
            }),
        }
    }
}

/// «Соответствие квалификационным требованиям» (`QualificationVerdict`, tagged by `verdict`):
/// `admitted`, or `rejected` with the `documents` at fault and a `reason`.
#[derive(InputObject, Debug)]
pub struct QualificationVerdictInput {
    pub verdict: Verdict,
    pub documents: Option<Vec<String>>,
    pub reason: Option<String>,
}

impl IntoDomain for QualificationVerdictInput {
    type Domain = domain::QualificationVerdict;
    fn into_domain(self, at: &str) -> Result<domain::QualificationVerdict> {
        match self.verdict {
            Verdict::Admitted => {
                absent(at, "documents", &self.documents, "admitted")?;
                absent(at, "reason", &self.reason, "admitted")?;
                Ok(domain::QualificationVerdict::Admitted)
            }
            Verdict::Rejected => Ok(domain::QualificationVerdict::Rejected {
                documents: required(at, "documents", self.documents, "rejected")?,
                reason: required(at, "reason", self.reason, "rejected")?,
            }),
        }
    }
}

/// «Процедура банкротства либо ликвидации» (`BankruptcyVerdict`, tagged by `verdict`), the
/// qualification selection's category: `admitted`, or `rejected` with a `reason`.
#[derive(InputObject, Debug)]
pub struct BankruptcyVerdictInput {
    pub verdict: Verdict,
    pub reason: Option<String>,
}

impl IntoDomain for BankruptcyVerdictInput {
    type Domain = domain::BankruptcyVerdict;
    fn into_domain(self, at: &str) -> Result<domain::BankruptcyVerdict> {
        match self.verdict {
            Verdict::Admitted => {
                absent(at, "reason", &self.reason, "admitted")?;
                Ok(domain::BankruptcyVerdict::Admitted)
            }
            Verdict::Rejected => Ok(domain::BankruptcyVerdict::Rejected {
                reason: required(at, "reason", self.reason, "rejected")?,
            }),
        }
    }
}

/// Section B «Документы по каждому лоту» for one lot (`LotBallot`).
#[derive(InputObject, Debug)]
pub struct LotBallotInput {
    pub plan_item_id: String,
    pub documentation: DocumentationVerdictInput,
    pub qualification: QualificationVerdictInput,
    pub article6: Article6VerdictInput,
    /// Only in a qualification selection, where it is required.
    pub bankruptcy: Option<BankruptcyVerdictInput>,
    /// «Прикрепить файл», optional.
    pub file: Option<FileRefInput>,
}

impl IntoDomain for LotBallotInput {
    type Domain = LotBallot;
    fn into_domain(self, at: &str) -> Result<LotBallot> {
        Ok(LotBallot {
            plan_item_id: input::plan_item(&field(at, "planItemId"), &self.plan_item_id)?,
            documentation: self
                .documentation
                .into_domain(&field(at, "documentation"))?,
            qualification: self
                .qualification
                .into_domain(&field(at, "qualification"))?,
            article6: self.article6.into_domain(&field(at, "article6"))?,
            bankruptcy: self.bankruptcy.into_domain(&field(at, "bankruptcy"))?,
            file: self.file.into_domain(&field(at, "file"))?,
        })
    }
}

/// One member's vote on one application (`Ballot`): section A, common to all lots, and
/// section B per lot.
#[derive(InputObject, Debug)]
pub struct BallotInput {
    pub common_article6: Article6VerdictInput,
    pub lots: Vec<LotBallotInput>,
}

impl IntoDomain for BallotInput {
    type Domain = Ballot;
    fn into_domain(self, at: &str) -> Result<Ballot> {
        Ok(Ballot {
            common_article6: self
                .common_article6
                .into_domain(&field(at, "commonArticle6"))?,
            lots: self.lots.into_domain(&field(at, "lots"))?,
        })
    }
}

#[derive(Default)]
pub struct VotingMutation;

#[Object]
impl VotingMutation {
    /// A commission member's ballot on an application.
    async fn cast_vote(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        ballot: BallotInput,
    ) -> Result<CommandOutcome> {
        let command = C::CastVote {
            application_id: ApplicationId(application_id),
            ballot: ballot.into_domain("ballot")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn withdraw_vote(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::WithdrawVote {
            application_id: ApplicationId(application_id),
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn complete_voting(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::CompleteVoting).await
    }

    async fn reopen_voting(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::ReopenVoting).await
    }
}
