//! Command handling for Zakup.
//!
//! A command runs as: (1) has this command id been appended already? then answer from the record;
//! (2) fold the aggregate's stream (one call to the store with (1)); (3) decide with the injected
//! clock; (4) append with the version folded as the expectation; on a version conflict, go back
//! to (1). Retries are safe because deciding is pure and event ids derive from the command id.
//!
//! Step (2) starts from the state this engine last folded for the stream, if it still remembers
//! it, and reads only the events after that version: a committed stream's history never changes,
//! so a fold as of version v stays right and the read brings it up to date, as a full read would.

pub mod auction;
pub mod audit_export;
pub mod clock;
pub mod error;
pub mod failures;
pub mod guarantee;
mod lot_pool;
pub mod replay;
pub mod sandbox;
pub mod scheduler;
mod signature;
pub mod single_source;

use std::any::Any;
use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;
use tracing::Instrument;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::calendar::Calendar;
use zakup_domain::regime::RuleBook;
use zakup_store::recent::RecentStreams;
use zakup_store::{
    Appended, ExpectedVersion, Metadata, NewEvent, OutcomeOrEvents, Position, RecordedEvent,
    SharedStore, StoreError, StreamId, StreamRange,
};

pub use auction::{AuctionAdvanced, AuctionRunner, AuctionStep};
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::EngineError;
pub use failures::{FailureRunner, MeasuresApplied};
pub use guarantee::{GuaranteeRequested, GuaranteeRunner};
pub use lot_pool::Outcome;
pub use lot_pool::runner::{Halt, LotPoolRunner, ProcessStep, Settled};
pub use sandbox::{Advanced, Sandbox, Target};
pub use scheduler::{Fired, FiredCompetition, Scheduler, system_actor};
pub use single_source::{SingleSourceAdvanced, SingleSourceRunner, single_source_id};
pub use zakup_domain::kernel::{Decider, EventSet};

/// How often a command is re-decided after losing a race before giving up.
const ATTEMPTS: u32 = 5;

/// Folded aggregates remembered per generation (see [`RecentStreams`]): the streams that commands
/// are busy with; at most twice this many states are held.
const FOLDED: usize = 512;

#[derive(Clone)]
pub struct Engine {
    store: SharedStore,
    clock: Arc<dyn Clock>,
    calendar: Arc<Calendar>,
    rules: Arc<RuleBook>,
    /// Each stream's state as last folded, keyed by the version it is folded to: a
    /// `Current<A>`'s state and position, type-erased because one engine serves every aggregate.
    folded: Arc<RecentStreams<Arc<dyn Any + Send + Sync>>>,
    /// The lot pool's processes this engine is running (`lot_pool::runner`).
    running: Arc<lot_pool::runner::Running>,
    /// Where a test stops a process as a crash would; `None` in service.
    halt: Option<Halt>,
}

/// An aggregate's state at the stream's latest version, what commands decide on.
pub(crate) struct Current<A> {
    pub state: Arc<A>,
    /// Version of the last event folded; `None` for a stream with no events.
    pub version: Option<u64>,
    /// Position of that event.
    pub position: Option<Position>,
}

impl<A> Current<A> {
    /// The version the stream's next event will have.
    fn next_version(&self) -> u64 {
        self.version.map_or(0, |v| v + 1)
    }
}

/// See [`Engine::prepare`].
pub(crate) enum Prepared<A> {
    /// The command was appended already: its original outcome.
    Done(Appended),
    /// It was not: decide it on this state.
    Decide(Current<A>),
}

/// What a command writes once it is decided: its events, and whatever other streams must follow
/// them (the lot pool's process for announcements). A version conflict of the command's own
/// stream comes back as `StoreError::Conflict`, and [`Engine::run`] decides again.
pub(crate) trait Effects<A: Decider>: Sync {
    /// Whether `events`, decided on a fold remembered but not read, must be decided again on one
    /// read from the store before anything is written.
    fn needs_read(&self, state: &A, events: &[A::Event]) -> bool;

    fn append(
        &self,
        engine: &Engine,
        stream: &StreamId,
        current: &Current<A>,
        command: (&CommandMeta, Uuid),
        now: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> impl std::future::Future<Output = Result<Appended, EngineError>> + Send;
}

/// A command of a stream that nothing else follows.
struct JustAppend;

impl<A: Decider> Effects<A> for JustAppend {
    fn needs_read(&self, _: &A, _: &[A::Event]) -> bool {
        false
    }

    async fn append(
        &self,
        engine: &Engine,
        stream: &StreamId,
        current: &Current<A>,
        command: (&CommandMeta, Uuid),
        now: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> Result<Appended, EngineError> {
        engine
            .append::<A>(stream, current.version, command, now, events)
            .await
    }
}

/// What the cache keeps of a [`Current`] (the version is the cache's key).
struct Folded<A> {
    state: Arc<A>,
    position: Position,
}

/// An aggregate folded from its stream, with the events that built it.
pub struct Loaded<A> {
    pub state: A,
    /// Version of the last event folded; `None` for a stream with no events.
    pub version: Option<u64>,
    pub events: Vec<RecordedEvent>,
}

/// Who sent a command and under which ids, as the envelope records it, and what the caller looked
/// up for the decision that the envelope does not keep.
#[derive(Debug, Clone)]
pub struct CommandMeta {
    pub command_id: Uuid,
    pub correlation_id: Option<Uuid>,
    pub causation_id: Option<Uuid>,
    pub actor: Actor,
    /// The announcements with a notice unread by the actor's organisation, looked up by the
    /// caller when the command arrives (`Context::unread_notices`, docs/decisions/0310).
    pub unread_notices: BTreeSet<Uuid>,
}

impl Engine {
    pub fn new(store: SharedStore, clock: Arc<dyn Clock>, calendar: Arc<Calendar>) -> Self {
        Engine {
            store,
            clock,
            calendar,
            rules: RuleBook::embedded(),
            folded: Arc::new(RecentStreams::new(FOLDED)),
            running: Default::default(),
            halt: None,
        }
    }

    /// This engine, stopping the lot pool's processes wherever `halt` says, as if it died there
    /// (the crash tests). The writes before the stop stay; nothing after it runs.
    pub fn halting(self, halt: Halt) -> Self {
        Engine {
            halt: Some(halt),
            ..self
        }
    }

    /// This engine judging new announcements by `rules` instead of the shipped rule book.
    pub fn with_rules(self, rules: Arc<RuleBook>) -> Self {
        Engine { rules, ..self }
    }

    pub fn rules(&self) -> &Arc<RuleBook> {
        &self.rules
    }

    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The instant a decision is taken at, in the precision PostgreSQL stores (microseconds):
    /// truncated where it enters, so the events, the read models and the as-of replay all show
    /// the same instant (issue 24 item 3, docs/decisions/0651).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        clock::to_micros(self.clock.now())
    }

    pub fn calendar(&self) -> &Arc<Calendar> {
        &self.calendar
    }

    /// Whether this engine runs on a sandbox clock: its events are marked so (decision 0661).
    pub fn sandbox(&self) -> bool {
        self.clock.sandbox().is_some()
    }

    pub fn stream<A: Decider>(id: &str) -> Result<StreamId, StoreError> {
        StreamId::new(A::CATEGORY, id)
    }

    /// Folds `<CATEGORY>-<id>` within `range`: the auditors' "as of" when the range ends early.
    pub async fn load<A: Decider>(
        &self,
        id: &str,
        range: StreamRange,
    ) -> Result<Loaded<A>, EngineError> {
        let stream = Self::stream::<A>(id)?;
        let events = self.store.read_stream(&stream, range).await?;
        let mut state = A::initial();
        for e in &events {
            state.evolve(&decode::<A>(e)?);
        }
        Ok(Loaded {
            state,
            version: events.last().map(|e| e.version),
            events,
        })
    }

    /// The aggregate at the stream's latest version: the remembered fold, brought up to date with
    /// the events after it (all of them when nothing is remembered).
    pub(crate) async fn current<A: Decider>(
        &self,
        stream: &StreamId,
    ) -> Result<Current<A>, EngineError> {
        let current = self.remembered::<A>(stream);
        let range = StreamRange::from_version(current.next_version());
        let events = self.store.read_stream(stream, range).await?;
        self.fold_onto(stream, current, &events)
    }

    /// What a command needs before it is decided, in one call to the store: its original outcome
    /// if it was appended already, else the aggregate at the stream's latest version.
    pub(crate) async fn prepare<A: Decider>(
        &self,
        stream: &StreamId,
        command_id: Uuid,
    ) -> Result<Prepared<A>, EngineError> {
        let current = self.remembered::<A>(stream);
        let asked = self
            .store
            .outcome_or_events(stream, command_id, current.next_version())
            .await?;
        Ok(match asked {
            OutcomeOrEvents::Outcome(done) => Prepared::Done(done),
            OutcomeOrEvents::Events(events) => {
                Prepared::Decide(self.fold_onto(stream, current, &events)?)
            }
        })
    }

    /// The fold this engine remembers for `stream`, or the empty state.
    fn remembered<A: Decider>(&self, stream: &StreamId) -> Current<A> {
        let remembered = self.folded.get(stream.as_str()).and_then(|(version, any)| {
            let folded = any.downcast::<Folded<A>>().ok()?;
            Some(Current {
                state: folded.state.clone(),
                version: Some(version),
                position: Some(folded.position),
            })
        });
        remembered.unwrap_or_else(|| Current {
            state: Arc::new(A::initial()),
            version: None,
            position: None,
        })
    }

    /// Folds `events`, the stream's events after `current`, onto it, and remembers the result.
    fn fold_onto<A: Decider>(
        &self,
        stream: &StreamId,
        mut current: Current<A>,
        events: &[RecordedEvent],
    ) -> Result<Current<A>, EngineError> {
        let Some(last) = events.last() else {
            return Ok(current);
        };
        // Versions are gap-free from 0; anything else would fold a wrong state.
        let next = current.next_version();
        if events[0].version != next {
            return Err(EngineError::Unreadable {
                stream: stream.to_string(),
                version: events[0].version,
                why: format!("expected version {next} next"),
            });
        }
        let state = Arc::make_mut(&mut current.state);
        for e in events {
            state.evolve(&decode::<A>(e)?);
        }
        current.version = Some(last.version);
        current.position = Some(last.position);
        let folded: Arc<dyn Any + Send + Sync> = Arc::new(Folded {
            state: current.state.clone(),
            position: last.position,
        });
        self.folded.put(stream.as_str(), last.version, folded);
        Ok(current)
    }

    /// Where a command starts: the remembered fold, unread, if there is one, and how many
    /// attempts the command gets (one more then, as the first may only find the fold stale).
    ///
    /// The remembered fold is usually the stream's head: a command decides on it and appends
    /// without reading first, one round trip. The store refuses a stale fold by its version and
    /// answers a retried command from its record, whatever the version (the `append` contract),
    /// so only a refusal or an empty decision on an unread fold must be read again: the stream
    /// may have moved, or the command may be recorded already.
    pub(crate) fn unread<A: Decider>(&self, stream: &StreamId) -> (Option<Current<A>>, u32) {
        let unread = Some(self.remembered::<A>(stream)).filter(|c| c.version.is_some());
        let attempts = ATTEMPTS + u32::from(unread.is_some());
        (unread, attempts)
    }

    /// What an attempt decides on: the unread fold the first time, if there is one (`false`);
    /// else the stream as read, or the command's recorded outcome (`true`).
    pub(crate) async fn attempt<A: Decider>(
        &self,
        stream: &StreamId,
        meta: &CommandMeta,
        unread: &mut Option<Current<A>>,
    ) -> Result<(Prepared<A>, bool), EngineError> {
        Ok(match unread.take() {
            Some(current) => (Prepared::Decide(current), false),
            None => (self.prepare::<A>(stream, meta.command_id).await?, true),
        })
    }

    /// Remembers the fold after a command's own append: its decided events applied to the fold
    /// it was decided on, so the next command on the stream needs no read. A duplicate appended
    /// nothing, and is not remembered.
    pub(crate) fn remember_appended<A: Decider>(
        &self,
        stream: &StreamId,
        mut current: Current<A>,
        events: &[A::Event],
        appended: &Appended,
    ) {
        if appended.duplicate {
            return;
        }
        let state = Arc::make_mut(&mut current.state);
        for e in events {
            state.evolve(e);
        }
        let folded: Arc<dyn Any + Send + Sync> = Arc::new(Folded {
            state: current.state,
            position: appended.position,
        });
        self.folded
            .put(stream.as_str(), appended.last_version, folded);
    }

    /// Runs `command` against `<CATEGORY>-<id>`. A retry with the same command id returns the
    /// original outcome (`duplicate = true`) and appends nothing. A command the rules accept
    /// without a fact to record (reserving an item already held by the same announcement, say)
    /// answers at the current version with nothing appended.
    pub async fn execute<A: Decider>(
        &self,
        id: &str,
        meta: &CommandMeta,
        command: A::Command,
    ) -> Result<Outcome, EngineError> {
        // Exported as a trace when OTLP is configured (decision 0684).
        let span = tracing::info_span!(
            "command",
            category = A::CATEGORY,
            id,
            command_id = %meta.command_id,
        );
        self.run::<A, _>(id, meta, command, &JustAppend)
            .instrument(span)
            .await
    }

    /// The engine's one retry loop: decide on the latest fold, hand the events to `effects` to
    /// append, and on a version conflict decide again on the newer fold (at most
    /// [`ATTEMPTS`] times). Plain commands and the lot pool's process both go through it.
    pub(crate) async fn run<A: Decider, E: Effects<A>>(
        &self,
        id: &str,
        meta: &CommandMeta,
        command: A::Command,
        effects: &E,
    ) -> Result<Outcome, EngineError> {
        let stream = Self::stream::<A>(id)?;
        let fingerprint = fingerprint(&command);
        let (mut unread, attempts) = self.unread::<A>(&stream);
        for _ in 0..attempts {
            let (current, read) = match self.attempt::<A>(&stream, meta, &mut unread).await? {
                (Prepared::Done(done), _) => {
                    self.require_same_command(&stream, &done, meta, fingerprint)
                        .await?;
                    return Ok(Outcome::from(done));
                }
                (Prepared::Decide(current), read) => (current, read),
            };
            let (now, events) = match self.decide(current.state.as_ref(), meta, command.clone()) {
                Ok((now, events))
                    if !events.is_empty()
                        && (read || !effects.needs_read(current.state.as_ref(), &events)) =>
                {
                    (now, events)
                }
                _ if !read => continue,
                Ok(_) => return Ok(Outcome::unchanged(stream, &current)),
                Err(refused) => return Err(refused),
            };
            match effects
                .append(self, &stream, &current, (meta, fingerprint), now, &events)
                .await
            {
                Ok(appended) if appended.duplicate => {
                    self.require_same_command(&stream, &appended, meta, fingerprint)
                        .await?;
                    return Ok(Outcome::from(appended));
                }
                Ok(appended) => {
                    self.remember_appended(&stream, current, &events, &appended);
                    return Ok(Outcome::from(appended));
                }
                Err(EngineError::Store(StoreError::Conflict { .. })) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(EngineError::Contended {
            stream: stream.to_string(),
            attempts,
        })
    }

    /// A command id already recorded on the stream is a retry only for the same command on the
    /// same stream: its
    /// first event carries the digest of the command (or, appended before digests, the plain
    /// `UUIDv5(command_id, stream/0)`, which any retry of that time matches). Another command
    /// under that id is refused with `command_id_reused`, and nothing is written.
    async fn require_same_command(
        &self,
        expected_stream: &StreamId,
        done: &Appended,
        meta: &CommandMeta,
        fingerprint: Uuid,
    ) -> Result<(), EngineError> {
        // The store answers only this stream's record; a record of another stream would be no
        // retry here either (command ids are global, decision 0930).
        let stream = &done.stream_id;
        if stream != expected_stream {
            return Err(EngineError::Refused(error::command_id_reused()));
        }
        let first = self
            .store
            .read_stream(
                stream,
                StreamRange {
                    from_version: done.first_version,
                    to_version: Some(done.first_version),
                    until: None,
                },
            )
            .await?;
        let Some(first) = first.first() else {
            return Ok(());
        };
        let ours = event_id(meta.command_id, stream, 0, fingerprint);
        let legacy = NewEvent::id_for(meta.command_id, stream, 0);
        if first.event_id == ours || first.event_id == legacy {
            return Ok(());
        }
        Err(EngineError::Refused(error::command_id_reused()))
    }

    fn decide<A: Decider>(
        &self,
        state: &A,
        meta: &CommandMeta,
        command: A::Command,
    ) -> Result<(chrono::DateTime<chrono::Utc>, Vec<A::Event>), EngineError> {
        let now = self.now();
        let ctx = Context {
            now,
            actor: meta.actor.clone(),
            calendar: self.calendar.clone(),
            rules: self.rules.clone(),
            unread_notices: meta.unread_notices.clone(),
        };
        Ok((now, state.decide(command, &ctx)?))
    }

    async fn append<A: Decider>(
        &self,
        stream: &StreamId,
        version: Option<u64>,
        (meta, fingerprint): (&CommandMeta, Uuid),
        now: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> Result<Appended, EngineError> {
        let batch = self.envelope::<A>(stream, (meta, fingerprint), now, events);
        let span = tracing::info_span!("append", stream = %stream, events = batch.len());
        Ok(self
            .store
            .append(stream, ExpectedVersion::after(version), batch)
            .instrument(span)
            .await?)
    }

    fn envelope<A: Decider>(
        &self,
        stream: &StreamId,
        (meta, fingerprint): (&CommandMeta, Uuid),
        occurred_at: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> Vec<NewEvent> {
        let metadata = Metadata {
            command_id: meta.command_id,
            correlation_id: meta.correlation_id.unwrap_or(meta.command_id),
            causation_id: meta.causation_id,
            actor: store_actor(&meta.actor),
            occurred_at,
            sandbox: self.sandbox(),
        };
        events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (event_type, schema_version, payload): (&str, u32, Value) = e.to_stored();
                NewEvent {
                    event_id: event_id(meta.command_id, stream, i, fingerprint),
                    event_type: event_type.to_owned(),
                    schema_version,
                    payload,
                    metadata: metadata.clone(),
                }
            })
            .collect()
    }
}

/// What identifies a command besides its id: a digest of the command itself (its fields, as the
/// engine received them), so that an id re-used for another command is told from a retry
/// (docs/decisions/0632).
fn fingerprint<C: std::fmt::Debug>(command: &C) -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{command:?}").as_bytes())
}

/// The id of a command's `index`-th event on `stream`: `UUIDv5(command_id, stream/index/digest)`.
/// A retry offers the same ids; the stored first id says which command the id was used for.
fn event_id(command_id: Uuid, stream: &StreamId, index: usize, fingerprint: Uuid) -> Uuid {
    Uuid::new_v5(
        &command_id,
        format!("{stream}/{index}/{fingerprint}").as_bytes(),
    )
}

/// The envelope keeps plain strings; the roles held when acting are kept comma-separated.
pub fn store_actor(actor: &Actor) -> zakup_store::Actor {
    zakup_store::Actor {
        user_id: actor.user_id.clone(),
        iin: actor.iin.to_string(),
        org_bin: actor.org.to_string(),
        role: actor
            .roles
            .iter()
            .map(|r| r.id())
            .collect::<Vec<_>>()
            .join(","),
    }
}

pub fn decode<A: Decider>(e: &RecordedEvent) -> Result<A::Event, EngineError> {
    A::Event::from_stored(&e.event_type, e.schema_version, &e.payload).map_err(|why| {
        EngineError::Unreadable {
            stream: e.stream_id.to_string(),
            version: e.version,
            why: why.to_string(),
        }
    })
}
