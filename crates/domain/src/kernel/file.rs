//! Files: the engine stores them, the domain keeps only a reference.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::kernel::error::DomainError;
use crate::kernel::refusal;

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
