use std::collections::HashMap;

use crate::chain::{GENESIS, recompute};
use crate::envelope::{Filter, Position};
use crate::error::StoreError;
use crate::store::EventStore;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BrokenLink {
    pub stream: String,
    pub version: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VerifyReport {
    pub streams: u64,
    pub events: u64,
    /// The first broken link in commit order, if any.
    pub broken: Option<BrokenLink>,
}

/// Walks the global log once and recomputes every stream's chain: versions must run 0, 1, 2, …
/// and every hash must match the event's content and its predecessor's hash.
pub async fn verify_chains<S: EventStore + ?Sized>(
    store: &S,
    filter: &Filter,
    mut progress: impl FnMut(u64),
) -> Result<VerifyReport, StoreError> {
    let mut last: HashMap<String, (u64, String)> = HashMap::new();
    let mut report = VerifyReport::default();
    let mut after: Option<Position> = None;
    loop {
        let batch = store.read_all(after, filter, 1000).await?;
        let Some(tail) = batch.last() else { break };
        after = Some(tail.position);
        for event in &batch {
            report.events += 1;
            let stream = event.stream_id.as_str();
            let (expected_version, prev_hash) = match last.get(stream) {
                Some((v, h)) => (v + 1, h.as_str()),
                None => (0, GENESIS),
            };
            let broken = |reason: String| BrokenLink {
                stream: stream.to_owned(),
                version: event.version,
                reason,
            };
            if event.version != expected_version {
                report.broken = Some(broken(format!(
                    "expected version {expected_version}, found {}",
                    event.version
                )));
                return Ok(finish(report, &last));
            }
            let recomputed = recompute(prev_hash, event)?;
            if recomputed != event.hash {
                report.broken = Some(broken(format!(
                    "stored hash {} does not match the content (recomputed {recomputed})",
                    event.hash
                )));
                return Ok(finish(report, &last));
            }
            last.insert(stream.to_owned(), (event.version, event.hash.clone()));
        }
        progress(report.events);
    }
    Ok(finish(report, &last))
}

fn finish(mut report: VerifyReport, last: &HashMap<String, (u64, String)>) -> VerifyReport {
    report.streams = last.len() as u64;
    report
}
