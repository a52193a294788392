//! Zakup's pure procurement domain: value types and aggregates. No I/O, no clock, no async:
//! `decide` gets the time and the calendar through [`actor::Context`].

pub mod kernel;
// The kernel's modules keep their crate-root paths.
pub use kernel::{actor, calendar, error, ident, ktru, money, numbering};

pub mod announcement;
pub mod application;
pub mod camera_control;
pub mod certificate;
pub mod commission;
pub mod discussion;
pub mod lot;
pub mod plan_item;
pub mod protocol;
pub mod status;
pub mod voting;
