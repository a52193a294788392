//! The act of a court, prosecutor's office or state financial control body that grounds a
//! cancellation, suspension or resumption (spec 000-A §2.16).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kernel::error::DomainError;
use crate::kernel::file::FileRef;
use crate::kernel::term::portal_terms;

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
        crate::kernel::text::name("body_name", &self.body_name)?;
        crate::kernel::text::number("number", &self.number)?;
        self.file.validate()
    }
}
