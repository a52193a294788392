//! The tamper-evident hash chain: each event's hash covers the previous event's hash in its
//! stream and everything the writer asserted (ids, type, version, payload, metadata).
//!
//! `recorded_at` and the global position are left out on purpose: the store assigns them at
//! commit, after the hash is computed, and a KurrentDB migration assigns new positions while
//! keeping the chain.

use sha2::{Digest, Sha256};

use crate::canonical::to_canonical;
use crate::envelope::{NewEvent, RecordedEvent, StreamId};
use crate::error::StoreError;

/// The "previous hash" of a stream's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn event_hash(
    prev_hash: &str,
    stream: &StreamId,
    version: u64,
    event: &NewEvent,
) -> Result<String, StoreError> {
    let metadata = serde_json::to_value(&event.metadata)
        .map_err(|e| StoreError::InvalidEvent(e.to_string()))?;
    let mut h = Sha256::new();
    for part in [
        prev_hash.as_bytes(),
        stream.as_str().as_bytes(),
        version.to_string().as_bytes(),
        event.event_id.to_string().as_bytes(),
        event.event_type.as_bytes(),
        event.schema_version.to_string().as_bytes(),
    ] {
        h.update(part);
        h.update(b"\n");
    }
    h.update(to_canonical(&event.payload)?);
    h.update(b"\n");
    h.update(to_canonical(&metadata)?);
    Ok(hex(&h.finalize()))
}

/// Hashes of a batch appended after `prev_hash` at `first_version`.
pub fn chain_batch(
    prev_hash: &str,
    stream: &StreamId,
    first_version: u64,
    events: &[NewEvent],
) -> Result<Vec<String>, StoreError> {
    let mut prev = prev_hash.to_owned();
    let mut out = Vec::with_capacity(events.len());
    for (i, e) in events.iter().enumerate() {
        prev = event_hash(&prev, stream, first_version + i as u64, e)?;
        out.push(prev.clone());
    }
    Ok(out)
}

/// Recomputes a stored event's hash from its content.
pub fn recompute(prev_hash: &str, event: &RecordedEvent) -> Result<String, StoreError> {
    let as_new = NewEvent {
        event_id: event.event_id,
        event_type: event.event_type.clone(),
        schema_version: event.schema_version,
        payload: event.payload.clone(),
        metadata: event.metadata.clone(),
    };
    event_hash(prev_hash, &event.stream_id, event.version, &as_new)
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 0xf) as usize] as char);
    }
    s
}
