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
