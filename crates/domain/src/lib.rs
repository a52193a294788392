//! Zakup's pure procurement domain: value types and aggregates. No I/O, no clock, no async:
//! `decide` gets the time and the calendar through [`actor::Context`].

pub mod kernel;
// The crate's public face: the kernel's value modules and the components at the root.
pub use kernel::{actor, calendar, error, ident, ktru, money, numbering, regime};

pub mod announcement;
pub mod bank_request;
pub mod bidding;
pub mod camera_control;
pub mod certificate;
pub mod competition;
pub mod guarantee;
pub mod lot_pool;
pub mod maintenance_window;
pub mod method;
pub mod participant;
pub mod plan_item;
pub mod privacy;
pub mod procedure;
pub mod sandbox_clock;
pub mod sign_in;
pub mod status;
pub mod technical_failure;

pub use procedure::{application, commission, discounts, discussion, lot, protocol, voting};
