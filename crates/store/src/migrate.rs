//! Copies one store's whole log into another (`zakup migrate-events --to kurrentdb`), through the
//! [`EventStore`] trait only, so any pair of backends works.
//!
//! The source's global log is read in order, and each run of consecutive events of one stream
//! from one command is appended to the target with the exact expected version it had in the
//! source. Event ids, types, payloads and metadata are kept, so the target computes the same
//! hash chain; `recorded_at` and positions are the target's own (the hash leaves them out for
//! that reason). Writers must be stopped during the copy: events that arrive meanwhile make the
//! verification fail, they are never lost silently.
//!
//! A copy is resumable: an interrupted copy is run again from the start, and the runs the target
//! already holds come back as duplicates of their command (the store's idempotency) instead of
//! being appended twice.

use std::collections::BTreeMap;

use crate::envelope::{ExpectedVersion, Filter, NewEvent, Position, RecordedEvent};
use crate::error::StoreError;
use crate::store::EventStore;
use crate::verify::{VerifyReport, verify_chains};

const PAGE: usize = 1000;

/// Where a copy is, for a progress display: `events` done so far in `stage`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyProgress {
    pub stage: CopyStage,
    pub events: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyStage {
    /// Reading the source and appending to the target.
    Copying,
    /// Recomputing the source's hash chains.
    VerifyingSource,
    /// Recomputing the target's hash chains.
    VerifyingTarget,
}

impl CopyProgress {
    fn at(stage: CopyStage, events: u64) -> Self {
        CopyProgress { stage, events }
    }
}

/// The version and hash a stream ends with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub version: u64,
    pub hash: String,
}

/// A stream that does not end the same on both sides (`None`: that side lacks it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadMismatch {
    pub stream: String,
    pub source: Option<Head>,
    pub target: Option<Head>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// Events read from the source's global log.
    pub events: u64,
    /// Appends made to the target: one per run of a command's events in one stream.
    pub appended: u64,
    /// Runs the target already held, from an earlier, interrupted copy.
    pub already_present: u64,
    pub source: VerifyReport,
    pub target: VerifyReport,
    /// Streams whose last version or hash differ between the two sides.
    pub mismatches: Vec<HeadMismatch>,
}

impl CopyReport {
    /// Both chains verify, both logs hold as many events, and every stream ends with the same
    /// version and hash on both sides.
    pub fn verified(&self) -> bool {
        self.source.broken.is_none()
            && self.target.broken.is_none()
            && self.source.events == self.target.events
            && self.mismatches.is_empty()
    }
}

/// Copies every stream of `from` into `to`, in global order, then verifies both sides. A failed
/// append ends the copy with its error (a [`StoreError::Conflict`]: the target holds other
/// events in that stream); a finished copy returns its report, which says whether it
/// [verified](CopyReport::verified).
pub async fn copy_all(
    from: &dyn EventStore,
    to: &dyn EventStore,
    mut progress: impl FnMut(CopyProgress),
) -> Result<CopyReport, StoreError> {
    let mut report = CopyReport::default();
    let mut source_heads = BTreeMap::new();
    let mut run: Vec<RecordedEvent> = Vec::new();
    let mut after: Option<Position> = None;
    loop {
        let batch = from.read_all(after, &Filter::all(), PAGE).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.position);
        for event in batch {
            report.events += 1;
            source_heads.insert(
                event.stream_id.to_string(),
                Head {
                    version: event.version,
                    hash: event.hash.clone(),
                },
            );
            if run.last().is_some_and(|prev| !same_run(prev, &event)) {
                copy_run(to, std::mem::take(&mut run), &mut report).await?;
            }
            run.push(event);
        }
        progress(CopyProgress::at(CopyStage::Copying, report.events));
    }
    if !run.is_empty() {
        copy_run(to, run, &mut report).await?;
    }

    report.source = verify_chains(from, &Filter::all(), |n| {
        progress(CopyProgress::at(CopyStage::VerifyingSource, n))
    })
    .await?;
    report.target = verify_chains(to, &Filter::all(), |n| {
        progress(CopyProgress::at(CopyStage::VerifyingTarget, n))
    })
    .await?;
    report.mismatches = mismatches(&source_heads, &heads(to).await?);
    Ok(report)
}

/// One append writes one command's events to one stream at consecutive versions.
fn same_run(prev: &RecordedEvent, next: &RecordedEvent) -> bool {
    prev.stream_id == next.stream_id
        && prev.metadata.command_id == next.metadata.command_id
        && prev.version + 1 == next.version
}

async fn copy_run(
    to: &dyn EventStore,
    run: Vec<RecordedEvent>,
    report: &mut CopyReport,
) -> Result<(), StoreError> {
    let (Some(first), Some(last)) = (run.first(), run.last()) else {
        return Ok(());
    };
    let stream = first.stream_id.clone();
    let versions = (first.version, last.version);
    let command_id = first.metadata.command_id;
    let expected = ExpectedVersion::after(first.version.checked_sub(1));
    let events = run
        .into_iter()
        .map(|e| NewEvent {
            event_id: e.event_id,
            event_type: e.event_type,
            schema_version: e.schema_version,
            payload: e.payload,
            metadata: e.metadata,
        })
        .collect();
    let appended = to.append(&stream, expected, events).await?;
    if (appended.first_version, appended.last_version) != versions {
        // Only a duplicate can land elsewhere: the target holds this command at other versions.
        return Err(StoreError::Corrupt(format!(
            "{stream}: command {command_id} is at versions {}..={} in the target, {}..={} in \
             the source",
            appended.first_version, appended.last_version, versions.0, versions.1
        )));
    }
    if appended.duplicate {
        report.already_present += 1;
    } else {
        report.appended += 1;
    }
    Ok(())
}

/// Every stream's head, from one walk of the global log.
async fn heads(store: &dyn EventStore) -> Result<BTreeMap<String, Head>, StoreError> {
    let mut heads = BTreeMap::new();
    let mut after = None;
    loop {
        let batch = store.read_all(after, &Filter::all(), PAGE).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.position);
        for event in batch {
            heads.insert(
                event.stream_id.to_string(),
                Head {
                    version: event.version,
                    hash: event.hash,
                },
            );
        }
    }
    Ok(heads)
}

fn mismatches(
    source: &BTreeMap<String, Head>,
    target: &BTreeMap<String, Head>,
) -> Vec<HeadMismatch> {
    let streams: std::collections::BTreeSet<&String> = source.keys().chain(target.keys()).collect();
    streams
        .into_iter()
        .filter_map(|stream| {
            let (s, t) = (source.get(stream), target.get(stream));
            (s != t).then(|| HeadMismatch {
                stream: stream.clone(),
                source: s.cloned(),
                target: t.cloned(),
            })
        })
        .collect()
}
