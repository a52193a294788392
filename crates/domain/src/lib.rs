//! Zakup's pure procurement domain: value types and aggregates. No I/O, no clock, no async:
//! `decide` gets the time and the calendar through [`actor::Context`].

pub mod actor;
pub mod calendar;
pub mod error;
pub mod ident;
pub mod ktru;
pub mod money;
pub mod numbering;

pub mod announcement;
pub mod camera_control;
pub mod certificate;
pub mod method;
pub mod plan_item;
pub mod procedure;
pub mod status;

// The components keep their crate-root paths (`crate::protocol::…`) for the other crates.
pub use procedure::{application, commission, discounts, discussion, lot, protocol, voting};
