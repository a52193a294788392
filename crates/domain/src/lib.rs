//! Zakup's pure procurement domain: value types and aggregates. No I/O, no clock, no async:
//! `decide` gets the time and the calendar through [`actor::Context`].

pub mod actor;
pub mod calendar;
pub mod error;
pub mod ident;
pub mod ktru;
pub mod money;
pub mod numbering;
