//! Discussion of the tender documentation: supplier requests and their answers
//! (spec 000-A §2.11, §4.2.2).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::commission::Person;
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

/// The discussion of the documentation as a procedure component: its deadline, the suppliers'
/// requests and their answers, and who signs its protocol. Whether the announcement has a
/// discussion, and whether its protocol still allows answers, is the caller's word.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Discussion {
    /// Set on publication; `None` when there is no discussion.
    pub end: Option<DateTime<Utc>>,
    pub ended: bool,
    pub requests: BTreeMap<DiscussionRequestId, DiscussionRequest>,
    /// «Представитель (-и) для подписания протокола обсуждения» (L1682–1694).
    pub signers: Option<Vec<Person>>,
    /// The end of acceptance the secretary entered after signing the protocol published without
    /// executing a camera-control notice (000-D S17, L12269–12299).
    pub acceptance_end: Option<DateTime<Utc>>,
}

impl Discussion {
    /// A supplier's request, within the discussion period.
    pub fn submit(
        &self,
        request_id: DiscussionRequestId,
        supplier_bin: Bin,
        subject: String,
        text: String,
        available: bool,
        now: DateTime<Utc>,
    ) -> Result<DiscussionRequestSubmitted, DomainError> {
        let end = self
            .end
            .filter(|_| available)
            .ok_or_else(refusal::discussion_not_available)?;
        if now > end || self.ended {
            return Err(refusal::discussion_period_over());
        }
        if self.requests.contains_key(&request_id) {
            return Err(refusal::duplicate_id());
        }
        for (field, value) in [("subject", &subject), ("text", &text)] {
            crate::kernel::text::text(field, value)?;
        }
        Ok(DiscussionRequestSubmitted {
            request_id,
            supplier_bin,
            subject,
            text,
            submitted_at: now,
        })
    }

    /// «Предоставить ответ» appears only once the discussion deadline is reached (L1606–1610).
    pub fn require_ended(&self, now: DateTime<Utc>) -> Result<(), DomainError> {
        match self.end {
            Some(end) if now >= end || self.ended => Ok(()),
            Some(_) => Err(refusal::discussion_not_ended()),
            None => Err(refusal::discussion_not_available()),
        }
    }

    fn request(&self, id: &DiscussionRequestId) -> Result<&DiscussionRequest, DomainError> {
        self.requests
            .get(id)
            .ok_or_else(refusal::discussion_request_not_found)
    }

    /// The first answer to a request; `protocol_open` says whether the discussion protocol still
    /// allows answers.
    pub fn answer(
        &self,
        request_id: DiscussionRequestId,
        decision: DiscussionDecision,
        text: Option<String>,
        answered_by: Iin,
        protocol_open: Result<(), DomainError>,
        now: DateTime<Utc>,
    ) -> Result<DiscussionRequestAnswered, DomainError> {
        if self.request(&request_id)?.answer.is_some() {
            return Err(refusal::discussion_request_already_answered());
        }
        protocol_open?;
        DiscussionAnswer::validate_text(decision, text.as_deref())?;
        Ok(DiscussionRequestAnswered {
            request_id,
            decision,
            text,
            answered_by,
            answered_at: now,
        })
    }

    /// A change to an answer given; `protocol_open` as for [`Discussion::answer`].
    pub fn edit(
        &self,
        request_id: DiscussionRequestId,
        decision: DiscussionDecision,
        text: Option<String>,
        edited_by: Iin,
        protocol_open: Result<(), DomainError>,
        now: DateTime<Utc>,
    ) -> Result<DiscussionAnswerEdited, DomainError> {
        if self.request(&request_id)?.answer.is_none() {
            return Err(refusal::discussion_request_not_answered());
        }
        protocol_open?;
        DiscussionAnswer::validate_text(decision, text.as_deref())?;
        Ok(DiscussionAnswerEdited {
            request_id,
            decision,
            text,
            edited_by,
            edited_at: now,
        })
    }

    pub fn submitted(&mut self, e: &DiscussionRequestSubmitted) {
        self.requests.insert(
            e.request_id,
            DiscussionRequest {
                id: e.request_id,
                supplier_bin: e.supplier_bin,
                subject: e.subject.clone(),
                text: e.text.clone(),
                submitted_at: e.submitted_at,
                answer: None,
            },
        );
    }

    pub fn answered(&mut self, e: &DiscussionRequestAnswered) {
        if let Some(request) = self.requests.get_mut(&e.request_id) {
            request.answer = Some(DiscussionAnswer {
                decision: e.decision,
                text: e.text.clone(),
                answered_by: e.answered_by,
                answered_at: e.answered_at,
            });
        }
    }

    pub fn edited(&mut self, e: &DiscussionAnswerEdited) {
        if let Some(answer) = self
            .requests
            .get_mut(&e.request_id)
            .and_then(|r| r.answer.as_mut())
        {
            answer.decision = e.decision;
            answer.text = e.text.clone();
        }
    }

    pub fn completed(&mut self, e: &DiscussionCompleted) {
        self.signers = Some(e.signers.clone());
    }

    pub fn acceptance_end_entered(&mut self, e: &AcceptanceEndEntered) {
        self.acceptance_end = Some(e.end);
    }
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionEnded {
    pub ended_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionCompleted {
    /// «Представитель (-и) для подписания протокола обсуждения» (L1682–1694).
    pub signers: Vec<Person>,
    pub completed_at: DateTime<Utc>,
}

/// «Дата окончания приема заявок» entered by the secretary in «Протоколы» once the discussion
/// protocol without execution of a notice is signed (000-D S17, L12269–12299); acceptance starts
/// when the protocol is published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AcceptanceEndEntered {
    pub end: DateTime<Utc>,
    pub entered_by: Iin,
    pub entered_at: DateTime<Utc>,
}
