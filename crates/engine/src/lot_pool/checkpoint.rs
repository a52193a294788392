//! The lot-pool runner's own record (docs/decisions/0503-durable-workflows.md): a checkpoint of
//! how far it has read the process log, so that a restart reads only the processes still open
//! and the log after the checkpoint, and the record that the orphans older than processes were
//! released, so that this sweep of every plan item runs once per installation. Both are events
//! in the store (`lot_pool_runner-…`), so every backend keeps them.
//!
//! A checkpoint names its place in the log by an event (stream and version), not by a
//! position: positions are the backend's own and change when `zakup migrate-events` copies the
//! log, stream versions do not.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::kernel::event::EventSet;
use zakup_domain::lot_pool::{
    CATEGORY, LogMark, LotPoolOrphansReleased, LotPoolRunnerCheckpointed, LotPoolRunnerEvent,
    Process, RUNNER_CATEGORY,
};
use zakup_domain::plan_item::PlanItemId;
use zakup_store::{
    Appended, ExpectedVersion, Metadata, NewEvent, Position, RecordedEvent, StoreError, StreamId,
    StreamRange,
};

use crate::{Engine, EngineError, store_actor};

/// The runner's checkpoints, newest last.
const CHECKPOINTS: &str = "checkpoints";
/// Holds one event once the orphans were released.
const ORPHANS: &str = "orphans";

/// What a checkpoint gives back: where to read the log on from, and the processes open there,
/// each with when its record was written.
pub(super) struct Restored {
    /// The checkpoint's version in its stream, which the next checkpoint follows.
    pub version: u64,
    pub after: Position,
    pub mark: LogMark,
    pub open: Vec<(Uuid, Process, DateTime<Utc>)>,
}

fn runner_stream(name: &str) -> Result<StreamId, EngineError> {
    Ok(StreamId::new(RUNNER_CATEGORY, name)?)
}

/// A stored event of one of the lot pool's sets.
pub(crate) fn decode_record<E: EventSet>(e: &RecordedEvent) -> Result<E, EngineError> {
    E::from_stored(&e.event_type, e.schema_version, &e.payload).map_err(|why| {
        EngineError::Unreadable {
            stream: e.stream_id.to_string(),
            version: e.version,
            why: why.to_string(),
        }
    })
}

/// The event at `version` of `stream`, if there is one.
async fn event_at(
    engine: &Engine,
    stream: &StreamId,
    version: u64,
) -> Result<Option<RecordedEvent>, EngineError> {
    let range = StreamRange {
        from_version: version,
        to_version: Some(version),
        until: None,
    };
    Ok(engine.store().read_stream(stream, range).await?.pop())
}

/// The last event of `stream`, found in a number of one-event reads logarithmic in its length:
/// doubling steps past the end, then halving back.
async fn last_event(
    engine: &Engine,
    stream: &StreamId,
) -> Result<Option<RecordedEvent>, EngineError> {
    let Some(mut last) = event_at(engine, stream, 0).await? else {
        return Ok(None);
    };
    let mut step = 1;
    while let Some(later) = event_at(engine, stream, last.version + step).await? {
        last = later;
        step *= 2;
    }
    // `last` exists and `last.version + step` does not; the end lies between.
    let (mut low, mut high) = (last.version, last.version + step);
    while high - low > 1 {
        let middle = low + (high - low) / 2;
        match event_at(engine, stream, middle).await? {
            Some(found) => {
                low = middle;
                last = found;
            }
            None => high = middle,
        }
    }
    Ok(Some(last))
}

/// The newest checkpoint, with the open processes it names read from their streams.
pub(super) async fn restore(engine: &Engine) -> Result<Option<Restored>, EngineError> {
    let Some(recorded) = last_event(engine, &runner_stream(CHECKPOINTS)?).await? else {
        return Ok(None);
    };
    let LotPoolRunnerEvent::Checkpointed(checkpoint) = decode_record(&recorded)? else {
        return Err(EngineError::Unreadable {
            stream: recorded.stream_id.to_string(),
            version: recorded.version,
            why: "a checkpoint stream holds checkpoints".into(),
        });
    };
    let mark_stream = checkpoint.through.stream_id.parse::<StreamId>()?;
    let Some(mark) = event_at(engine, &mark_stream, checkpoint.through.version).await? else {
        // A checkpoint only spares reading: without its mark, the log is read from the start.
        tracing::warn!(
            checkpoint = recorded.version,
            through = ?checkpoint.through,
            "lot pool: the checkpoint's mark is not in the log; reading it all"
        );
        return Ok(None);
    };
    let mut open = Vec::with_capacity(checkpoint.open.len());
    for id in checkpoint.open {
        let stream = StreamId::new(CATEGORY, id.to_string())?;
        let history = engine
            .store()
            .read_stream(&stream, StreamRange::all())
            .await?;
        let Some(first) = history.first() else {
            continue;
        };
        let mut process = Process::default();
        for recorded in &history {
            process.evolve(&decode_record(recorded)?);
        }
        if process.unfinished().is_some() {
            open.push((id, process, first.recorded_at));
        }
    }
    Ok(Some(Restored {
        version: recorded.version,
        after: mark.position,
        mark: checkpoint.through,
        open,
    }))
}

/// Appends one of the runner's events on behalf of the portal (`system`).
async fn record(
    engine: &Engine,
    system: &Actor,
    stream: &StreamId,
    expected: ExpectedVersion,
    event: LotPoolRunnerEvent,
) -> Result<Appended, EngineError> {
    let (event_type, schema_version, payload) = event.to_stored();
    let command_id = Uuid::new_v4();
    let event = NewEvent {
        event_id: NewEvent::id_for(command_id, stream, 0),
        event_type: event_type.to_owned(),
        schema_version,
        payload,
        metadata: Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: store_actor(system),
            occurred_at: engine.now(),
            sandbox: engine.sandbox(),
        },
    };
    Ok(engine.store().append(stream, expected, vec![event]).await?)
}

/// The checkpoint stream's last version after [`save`], and whether the checkpoint was recorded.
pub(super) struct Saved {
    pub version: Option<u64>,
    pub recorded: bool,
}

/// Records that every process up to `through` has ended but the `open` ones, after the
/// checkpoint at version `after`. Two runners on one store may both record, each checkpoint
/// true on its own; one that finds another's checkpoint in its place leaves this one out and
/// answers the other's version, to record after it next time.
pub(super) async fn save(
    engine: &Engine,
    system: &Actor,
    after: Option<u64>,
    through: LogMark,
    open: Vec<Uuid>,
) -> Result<Saved, EngineError> {
    let stream = runner_stream(CHECKPOINTS)?;
    let event = LotPoolRunnerEvent::Checkpointed(LotPoolRunnerCheckpointed { through, open });
    match record(
        engine,
        system,
        &stream,
        ExpectedVersion::after(after),
        event,
    )
    .await
    {
        Ok(appended) => Ok(Saved {
            version: Some(appended.last_version),
            recorded: true,
        }),
        Err(EngineError::Store(StoreError::Conflict { .. })) => Ok(Saved {
            version: last_event(engine, &stream).await?.map(|e| e.version),
            recorded: false,
        }),
        Err(e) => Err(e),
    }
}

/// Whether this installation's orphans older than processes were released already.
pub(super) async fn orphans_released(engine: &Engine) -> Result<bool, EngineError> {
    Ok(event_at(engine, &runner_stream(ORPHANS)?, 0)
        .await?
        .is_some())
}

pub(super) async fn record_orphans_released(
    engine: &Engine,
    system: &Actor,
    released: Vec<PlanItemId>,
) -> Result<(), EngineError> {
    let event = LotPoolRunnerEvent::OrphansReleased(LotPoolOrphansReleased { released });
    let stream = runner_stream(ORPHANS)?;
    match record(engine, system, &stream, ExpectedVersion::NoStream, event).await {
        // Another runner swept too and recorded it first: the repairs are idempotent.
        Ok(_) | Err(EngineError::Store(StoreError::Conflict { .. })) => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::{TimeZone, Utc};
    use zakup_domain::calendar::Calendar;
    use zakup_domain::ident::{Bin, Iin};
    use zakup_store::MemoryStore;

    use super::*;
    use crate::ManualClock;

    /// The newest checkpoint is found whatever the stream's length: the search's doubling and
    /// halving meet at its last version.
    #[tokio::test]
    async fn the_newest_checkpoint_is_found_at_every_length() {
        let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 2, 2, 4, 0, 0).unwrap());
        let engine = Engine::new(
            Arc::new(MemoryStore::new()),
            Arc::new(clock),
            Arc::new(Calendar::embedded().unwrap()),
        );
        let system = crate::system_actor(
            (0..20)
                .find_map(|k| Bin::from_prefix(&format!("0501400{k:04}")).ok())
                .unwrap(),
            (0..20)
                .find_map(|k| Iin::from_prefix(&format!("85010130{k:03}")).ok())
                .unwrap(),
        );
        let stream = runner_stream(CHECKPOINTS).unwrap();
        assert!(last_event(&engine, &stream).await.unwrap().is_none());
        let mut after = None;
        for n in 0..40u64 {
            let through = LogMark {
                stream_id: format!("lot_pool-{n}"),
                version: n,
            };
            let saved = save(&engine, &system, after, through, vec![])
                .await
                .unwrap();
            assert!(saved.recorded);
            after = saved.version;
            let last = last_event(&engine, &stream).await.unwrap().unwrap();
            assert_eq!((last.version, after), (n, Some(n)));
        }
        // A runner that missed the newest one leaves its own out and learns where it is.
        let through = LogMark {
            stream_id: "lot_pool-x".into(),
            version: 0,
        };
        let stale = save(&engine, &system, Some(3), through, vec![])
            .await
            .unwrap();
        assert!(!stale.recorded);
        assert_eq!(stale.version, Some(39));
    }
}
