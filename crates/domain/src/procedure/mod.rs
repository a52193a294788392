//! Procedure components: the mechanisms every procurement method reuses (spec 000-A). Each is a
//! small decider with its own state: its functions decide on the facts and parameters they are
//! given and return the announcement's events; its evolve folds the events it owns. The
//! announcement's `apply` hands each event to the component that owns it; the method modules
//! (`method/`) say which component a command goes to, and when.

pub mod acts;
pub mod application;
pub mod commission;
pub mod discounts;
pub mod discussion;
pub mod entered_results;
pub mod extensions;
pub mod lot;
pub mod offers;
pub mod plan_lots;
pub mod protocol;
pub mod refusal;
pub mod voting;
