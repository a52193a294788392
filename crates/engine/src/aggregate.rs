//! How the engine sees a domain aggregate: a stream category, a fold and a decision, and the
//! mapping of its events to the store's envelope.

use serde_json::Value;
use zakup_domain::actor::Context;
use zakup_domain::error::DomainError;

/// `Clone` because the engine keeps folded states (see `Engine`'s cache) and works on a copy.
pub trait Aggregate: Default + Clone + Send + Sync + 'static {
    /// The stream category: streams are `<CATEGORY>-<id>`.
    const CATEGORY: &'static str;
    type Command: Clone + Send + Sync;
    type Event: Send + Sync;

    fn apply(&mut self, event: &Self::Event);
    fn decide(
        &self,
        command: Self::Command,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, DomainError>;
    fn encode(event: &Self::Event) -> (&'static str, u32, Value);
    /// Decodes a stored event, upcasting old schema versions.
    fn decode(
        event_type: &str,
        schema_version: u32,
        payload: &Value,
    ) -> Result<Self::Event, String>;
}
