use std::sync::Arc;

use futures::future::BoxFuture;
use uuid::Uuid;

use crate::envelope::{
    Appended, ExpectedVersion, Filter, NewEvent, Position, RecordedEvent, StreamId, StreamRange,
};
use crate::error::StoreError;
use crate::subscription::Subscription;

/// The event store as everything above it sees it.
///
/// Futures are boxed so that the trait stays object-safe: the backend is chosen by configuration
/// at start-up (`ZAKUP_EVENT_STORE=postgres|kurrentdb`) and shared as [`SharedStore`].
/// The answer of [`EventStore::outcome_or_events`].
#[derive(Debug, Clone, PartialEq)]
pub enum OutcomeOrEvents {
    /// The command was appended already: its original outcome, `duplicate = true`.
    Outcome(Appended),
    /// It was not: the stream's events from the version asked for.
    Events(Vec<RecordedEvent>),
}

/// The answer of [`EventStore::read_all_through`].
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    pub events: Vec<RecordedEvent>,
    /// Every event matching the filter up to here is in `events`; `None` when nothing was
    /// searched (an empty log past `after`).
    pub through: Option<Position>,
}

pub trait EventStore: Send + Sync + 'static {
    /// Appends a command's events atomically, if the stream is at `expected`.
    ///
    /// All events carry the same `metadata.command_id`. If that command was already appended to
    /// this stream, the original [`Appended`] comes back with `duplicate = true` and nothing is
    /// written, whatever `expected` says: a retry neither appends twice nor fails. Command ids
    /// are global: one recorded on another stream is refused with
    /// [`StoreError::CommandIdReused`] and nothing is written (decision 0930; the KurrentDB
    /// backend still keeps them per stream).
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>>;

    /// The outcome of a command already appended to `stream`, if any. The engine asks before it
    /// decides, so that a retried command is answered from the record and not re-decided
    /// against a newer state.
    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>>;

    /// What a command about to be decided needs: the outcome of `command_id` if it was already
    /// appended to `stream`, else the stream's events from `from_version` on (the engine folds
    /// them onto the state it remembers); [`StoreError::CommandIdReused`] where the backend keeps
    /// command ids global and the id is recorded on another stream. The default asks [`EventStore::command_outcome`], then
    /// [`EventStore::read_stream`]; a backend may answer both in one round trip.
    fn outcome_or_events<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
        from_version: u64,
    ) -> BoxFuture<'a, Result<OutcomeOrEvents, StoreError>> {
        Box::pin(async move {
            if let Some(done) = self.command_outcome(stream, command_id).await? {
                return Ok(OutcomeOrEvents::Outcome(done));
            }
            let range = StreamRange::from_version(from_version);
            Ok(OutcomeOrEvents::Events(
                self.read_stream(stream, range).await?,
            ))
        })
    }

    /// One stream, forward, in version order, limited by `range`. A missing stream reads as empty.
    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>>;

    /// The global log after `after` (exclusive), in commit order, at most `limit` events.
    ///
    /// Gap-free: an event that commits after a reader has passed its position is impossible, so
    /// a checkpoint never skips a late commit. The price: an event becomes readable here shortly
    /// after its commit, once every transaction that could come before it has ended.
    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>>;

    /// [`EventStore::read_all`], and how far the log was searched: `through` is a position up
    /// to which every event matching `filter` is in `events`, at or past the last of them. A
    /// reader with a narrow filter keeps its checkpoint there, so that it does not search the
    /// same stretch of other streams' events again at every read (a read model of a category
    /// that is rarely written would otherwise search ever more of the log). The default knows
    /// only the last event read; a backend that knows where its search ended says so.
    fn read_all_through<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Page, StoreError>> {
        Box::pin(async move {
            let events = self.read_all(after, filter, limit).await?;
            let through = events.last().map(|e| e.position);
            Ok(Page { events, through })
        })
    }

    /// How many events of the global log matching `filter` lie after `after`: a projection's lag.
    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>>;

    /// A counter that moves whenever new events may have become readable. Subscribers wait on it
    /// and fall back to polling, so a lost wake-up costs latency, never an event.
    fn changes(&self) -> tokio::sync::watch::Receiver<u64>;

    /// Catches up from `after`, then follows new events live.
    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription;

    /// Short name for logs and metrics (`postgres`, `kurrentdb`, `memory`).
    fn backend(&self) -> &'static str;
}

pub type SharedStore = Arc<dyn EventStore>;
