//! Command handling for Zakup.
//!
//! A command runs as: (1) has this command id been appended already? then answer from the record;
//! (2) fold the aggregate's stream; (3) decide with the injected clock; (4) append with the
//! version folded as the expectation; on a version conflict, go back to (1). Retries are safe
//! because deciding is pure and event ids derive from the command id.

pub mod aggregate;
mod aggregates;
pub mod clock;
pub mod error;
mod lot_pool;
pub mod replay;
pub mod scheduler;
mod signature;

use std::collections::BTreeSet;
use std::sync::Arc;

use serde_json::Value;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::calendar::Calendar;
use zakup_store::{
    Appended, ExpectedVersion, Metadata, NewEvent, RecordedEvent, SharedStore, StoreError,
    StreamId, StreamRange,
};

pub use aggregate::Aggregate;
pub use clock::{Clock, ManualClock, SystemClock};
pub use error::EngineError;
pub use lot_pool::Outcome;
pub use scheduler::{Scheduler, system_actor};

/// How often a command is re-decided after losing a race before giving up.
const ATTEMPTS: u32 = 5;

#[derive(Clone)]
pub struct Engine {
    store: SharedStore,
    clock: Arc<dyn Clock>,
    calendar: Arc<Calendar>,
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
        }
    }

    pub fn store(&self) -> &SharedStore {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    pub fn calendar(&self) -> &Arc<Calendar> {
        &self.calendar
    }

    pub fn stream<A: Aggregate>(id: &str) -> Result<StreamId, StoreError> {
        StreamId::new(A::CATEGORY, id)
    }

    /// Folds `<CATEGORY>-<id>` within `range`: the auditors' "as of" when the range ends early.
    pub async fn load<A: Aggregate>(
        &self,
        id: &str,
        range: StreamRange,
    ) -> Result<Loaded<A>, EngineError> {
        let stream = Self::stream::<A>(id)?;
        let events = self.store.read_stream(&stream, range).await?;
        let mut state = A::default();
        for e in &events {
            state.apply(&decode::<A>(e)?);
        }
        Ok(Loaded {
            state,
            version: events.last().map(|e| e.version),
            events,
        })
    }

    /// Runs `command` against `<CATEGORY>-<id>`. A retry with the same command id returns the
    /// original outcome (`duplicate = true`) without deciding again. A command the rules accept
    /// without a fact to record (reserving an item already held by the same announcement, say)
    /// answers at the current version with nothing appended.
    pub async fn execute<A: Aggregate>(
        &self,
        id: &str,
        meta: &CommandMeta,
        command: A::Command,
    ) -> Result<Outcome, EngineError> {
        let stream = Self::stream::<A>(id)?;
        for _ in 0..ATTEMPTS {
            if let Some(done) = self.store.command_outcome(&stream, meta.command_id).await? {
                return Ok(Outcome::from(done));
            }
            let loaded = self.load::<A>(id, StreamRange::all()).await?;
            let (now, events) = self.decide(&loaded, meta, command.clone())?;
            if events.is_empty() {
                return Ok(Outcome::unchanged(stream, &loaded));
            }
            match self.append::<A>(&stream, &loaded, meta, now, &events).await {
                Ok(appended) => return Ok(Outcome::from(appended)),
                Err(EngineError::Store(StoreError::Conflict { .. })) => continue,
                Err(e) => return Err(e),
            }
        }
        Err(EngineError::Contended {
            stream: stream.to_string(),
            attempts: ATTEMPTS,
        })
    }

    fn decide<A: Aggregate>(
        &self,
        loaded: &Loaded<A>,
        meta: &CommandMeta,
        command: A::Command,
    ) -> Result<(chrono::DateTime<chrono::Utc>, Vec<A::Event>), EngineError> {
        let now = self.clock.now();
        let ctx = Context {
            now,
            actor: meta.actor.clone(),
            calendar: self.calendar.clone(),
            unread_notices: meta.unread_notices.clone(),
        };
        Ok((now, loaded.state.decide(command, &ctx)?))
    }

    async fn append<A: Aggregate>(
        &self,
        stream: &StreamId,
        loaded: &Loaded<A>,
        meta: &CommandMeta,
        now: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> Result<Appended, EngineError> {
        let batch = self.envelope::<A>(stream, meta, now, events);
        Ok(self
            .store
            .append(stream, ExpectedVersion::after(loaded.version), batch)
            .await?)
    }

    fn envelope<A: Aggregate>(
        &self,
        stream: &StreamId,
        meta: &CommandMeta,
        occurred_at: chrono::DateTime<chrono::Utc>,
        events: &[A::Event],
    ) -> Vec<NewEvent> {
        let metadata = Metadata {
            command_id: meta.command_id,
            correlation_id: meta.correlation_id.unwrap_or(meta.command_id),
            causation_id: meta.causation_id,
            actor: store_actor(&meta.actor),
            occurred_at,
        };
        events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let (event_type, schema_version, payload): (&str, u32, Value) = A::encode(e);
                NewEvent {
                    event_id: NewEvent::id_for(meta.command_id, stream, i),
                    event_type: event_type.to_owned(),
                    schema_version,
                    payload,
                    metadata: metadata.clone(),
                }
            })
            .collect()
    }
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

pub fn decode<A: Aggregate>(e: &RecordedEvent) -> Result<A::Event, EngineError> {
    A::decode(&e.event_type, e.schema_version, &e.payload).map_err(|why| EngineError::Unreadable {
        stream: e.stream_id.to_string(),
        version: e.version,
        why,
    })
}
