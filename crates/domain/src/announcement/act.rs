//! The decision behind a change of commission. Grounding acts and file references are the
//! kernel's: re-exported here so their paths keep working.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::refusal;
use crate::error::DomainError;
pub use crate::kernel::act::{ActType, Body, GroundingAct};
pub use crate::kernel::file::FileRef;

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
