//! Events to and from the store: declared with the kernel's `event_set!` (see `event.rs`).

pub use crate::kernel::event::DecodeError;
