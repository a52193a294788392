//! Grounding acts and file references are the kernel's, and the decision behind a change of
//! commission the commission's: re-exported here so their paths keep working.

pub use crate::kernel::act::{ActType, Body, GroundingAct};
pub use crate::kernel::file::FileRef;
pub use crate::procedure::commission::ChangeDecision;
