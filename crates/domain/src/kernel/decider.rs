//! An aggregate as the engine runs it: a decider over one stream category.

use crate::kernel::actor::Context;
use crate::kernel::error::DomainError;
use crate::kernel::event::EventSet;

/// A state folded from one stream's events, deciding the events a command produces.
///
/// `decide` and `evolve` are pure: time, the actor and the calendar come in the [`Context`].
/// `Clone`, `Send` and `Sync` because the engine keeps folded states between commands and works on
/// a copy.
pub trait Decider: Clone + Send + Sync + 'static {
    /// The stream category: streams are `<CATEGORY>-<id>`.
    const CATEGORY: &'static str;
    type Command: Clone + std::fmt::Debug + Send + Sync;
    type Event: EventSet;

    /// The state of a stream with no events.
    fn initial() -> Self;

    /// The facts `command` adds to the stream, or why the rules refuse it.
    fn decide(
        &self,
        command: Self::Command,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, DomainError>;

    /// Folds one fact. Never fails and never validates: events are facts.
    fn evolve(&mut self, event: &Self::Event);
}
