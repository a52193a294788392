//! Discussion of the tender documentation: supplier requests and their answers
//! (spec 000-A §2.11, §4.2.2).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::procedure::refusal;
use crate::status::portal_terms;

portal_terms! {
    /// The answer's decision (L1622–1628).
    DiscussionDecision {
        AmendDocumentation => "amend_documentation", "Внести изменения и (или) дополнения в проект конкурсной документации";
        RejectRemarks => "reject_remarks", "Отклонить замечания";
        Clarify => "clarify", "Представить разъяснение положений конкурсной документации";
    }
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct DiscussionRequestId(pub Uuid);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionAnswer {
    pub decision: DiscussionDecision,
    /// «причина отклонения/текст разъяснения»: required for reject and clarify (L1630–1634).
    pub text: Option<String>,
    pub answered_by: Iin,
    pub answered_at: DateTime<Utc>,
}

impl DiscussionAnswer {
    pub fn validate_text(
        decision: DiscussionDecision,
        text: Option<&str>,
    ) -> Result<(), DomainError> {
        let needs_text = matches!(
            decision,
            DiscussionDecision::RejectRemarks | DiscussionDecision::Clarify
        );
        if needs_text && text.is_none_or(|t| t.trim().is_empty()) {
            return Err(refusal::missing_field("answer_text"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionRequest {
    pub id: DiscussionRequestId,
    pub supplier_bin: Bin,
    pub subject: String,
    pub text: String,
    pub submitted_at: DateTime<Utc>,
    pub answer: Option<DiscussionAnswer>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionRequestSubmitted {
    pub request_id: DiscussionRequestId,
    pub supplier_bin: Bin,
    pub subject: String,
    pub text: String,
    pub submitted_at: DateTime<Utc>,
}

/// Version 2: `text` is absent for «Внести изменения…» instead of an empty string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionRequestAnswered {
    pub request_id: DiscussionRequestId,
    pub decision: DiscussionDecision,
    pub text: Option<String>,
    pub answered_by: Iin,
    pub answered_at: DateTime<Utc>,
}

/// Version 1 of `DiscussionRequestAnswered`: the text was always a string, empty when none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionRequestAnsweredV1 {
    pub request_id: DiscussionRequestId,
    pub decision: DiscussionDecision,
    pub text: String,
    pub answered_by: Iin,
    pub answered_at: DateTime<Utc>,
}

impl From<DiscussionRequestAnsweredV1> for DiscussionRequestAnswered {
    fn from(v1: DiscussionRequestAnsweredV1) -> Self {
        let text = Some(v1.text).filter(|t| !t.trim().is_empty());
        DiscussionRequestAnswered {
            request_id: v1.request_id,
            decision: v1.decision,
            text,
            answered_by: v1.answered_by,
            answered_at: v1.answered_at,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionAnswerEdited {
    pub request_id: DiscussionRequestId,
    pub decision: DiscussionDecision,
    pub text: Option<String>,
    pub edited_by: Iin,
    pub edited_at: DateTime<Utc>,
}
