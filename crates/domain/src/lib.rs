//! Zakup's pure procurement domain: value types and aggregates. No I/O, no clock, no async:
//! `decide` gets the time and the calendar through [`actor::Context`].

pub mod kernel;
// The kernel's modules keep their crate-root paths.
pub use kernel::{actor, calendar, error, ident, ktru, money, numbering};

pub mod announcement;
pub mod camera_control;
pub mod certificate;
pub mod lot_pool;
pub mod method;
pub mod plan_item;
pub mod procedure;
pub mod status;

// The components keep their crate-root paths (`crate::protocol::…`) for the other crates.
pub use procedure::{application, commission, discounts, discussion, lot, protocol, voting};
