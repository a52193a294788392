//! The act of a court, prosecutor's office or state financial control body that grounds a
//! cancellation, suspension or resumption (spec 000-A §2.16), and file references.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::refusal;
use crate::error::DomainError;
use crate::status::portal_terms;

/// A file stored by the engine; the domain only keeps its id and name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FileRef {
    pub file_id: String,
    pub name: String,
}

impl FileRef {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.file_id.trim().is_empty() || self.name.trim().is_empty() {
            return Err(refusal::missing_field("file"));
        }
        Ok(())
    }
}

portal_terms! {
    /// «Акт» (L548–558).
    ActType {
        Decision => "decision", "Решение";
        Ruling => "ruling", "Определение";
        Submission => "submission", "Представление";
        Notice => "notice", "Уведомление";
        Resolution => "resolution", "Постановление";
    }
}

portal_terms! {
    /// «Орган» (L562–568).
    Body {
        Court => "court", "Судебный орган";
        Prosecutor => "prosecutor", "Орган прокуратуры";
        StateFinancialControl => "state_financial_control", "Орган гос.фин.контроля";
    }
}

/// Every field is required (L584, L3327, L3481, L3593).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GroundingAct {
    pub body: Body,
    pub body_name: String,
    pub act_type: ActType,
    pub number: String,
    pub date: NaiveDate,
    pub file: FileRef,
}

impl GroundingAct {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.body_name.trim().is_empty() {
            return Err(refusal::missing_field("body_name"));
        }
        if self.number.trim().is_empty() {
            return Err(refusal::missing_field("number"));
        }
        self.file.validate()
    }
}

/// The decision behind a change of commission: number, date and file are required (L1966–1970).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChangeDecision {
    pub number: String,
    pub date: NaiveDate,
    pub file: FileRef,
}

impl ChangeDecision {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.number.trim().is_empty() {
            return Err(refusal::missing_field("decision_number"));
        }
        self.file.validate()
    }
}
