//! What every aggregate uses and nothing aggregate-specific: identifiers (БИН/ИИН), money, KTRU
//! codes, numbering, the working-day calendar, who acts (`Context`), refusals (`DomainError`),
//! files and grounding acts, the portal's terms; and how an aggregate is declared: the
//! [`Decider`] trait and event sets (`event_set!` in [`event`]).
//!
//! The kernel imports nothing from an aggregate: aggregates build on it, never the other way.

pub mod act;
pub mod actor;
pub mod calendar;
pub mod decider;
pub mod error;
pub mod event;
pub mod file;
pub mod ident;
pub mod ktru;
pub mod money;
pub mod numbering;
pub mod refusal;
pub mod regime;
pub(crate) mod term;
pub mod text;

pub use decider::Decider;
pub use event::{DecodeError, EventSet};
