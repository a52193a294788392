//! The event-store contract of Zakup.
//!
//! Every backend (PostgreSQL, KurrentDB, and the in-memory one used by unit tests) implements
//! [`EventStore`] and passes the same [`contract`] suite. Everything above the store — the engine,
//! the projections, the API — talks only to this trait and to the [`envelope`] types.

pub mod canonical;
pub mod chain;
#[cfg(feature = "contract")]
pub mod contract;
pub mod envelope;
pub mod error;
pub mod memory;
pub mod migrate;
pub mod recent;
pub mod shred;
pub mod store;
pub mod subscription;
pub mod verify;

pub use envelope::{
    Actor, Appended, ExpectedVersion, Filter, Metadata, NewEvent, Position, RecordedEvent,
    StreamId, StreamRange,
};
pub use error::StoreError;
pub use memory::MemoryStore;
pub use store::{EventStore, OutcomeOrEvents, Page, SharedStore};
pub use subscription::{Subscription, catch_up};
pub use verify::{BrokenLink, VerifyReport, verify_chains};
