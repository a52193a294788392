//! The one envelope every backend stores and returns.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::StoreError;

/// `<category>-<id>`: the category is a snake_case word without a hyphen, so both backends can
/// filter the global log by the prefix `<category>-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StreamId(String);

impl StreamId {
    pub fn new(category: &str, id: impl std::fmt::Display) -> Result<Self, StoreError> {
        format!("{category}-{id}").parse()
    }

    pub fn category(&self) -> &str {
        self.0.split_once('-').map_or(&self.0, |(c, _)| c)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::str::FromStr for StreamId {
    type Err = StoreError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let valid = s.split_once('-').is_some_and(|(category, id)| {
            !category.is_empty()
                && !id.is_empty()
                && category
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        }) && s.len() <= 200;
        if valid {
            Ok(StreamId(s.to_owned()))
        } else {
            Err(StoreError::InvalidEvent(format!(
                "stream id {s:?} is not <category>-<id> with a snake_case category"
            )))
        }
    }
}

impl TryFrom<String> for StreamId {
    type Error = StoreError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<StreamId> for String {
    fn from(s: StreamId) -> String {
        s.0
    }
}

impl std::fmt::Display for StreamId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Who acted, as recorded in the event. Plain strings here: the domain validates ИИН and БИН
/// before a command is decided, and the store records what it was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user_id: String,
    pub iin: String,
    pub org_bin: String,
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Metadata {
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    pub actor: Actor,
    /// When the actor acted, by the engine's injected clock: the procedure's time, which "as of
    /// an instant" reads (docs/decisions/0660). `recorded_at` is the store's own commit-order
    /// instant; the two differ and auditors need both.
    pub occurred_at: DateTime<Utc>,
    /// Appended by a sandbox server, whose clock is moved by calls (docs/decisions/0661): never
    /// a real record. Absent when false, so production events and their hashes are unchanged.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sandbox: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewEvent {
    /// `UUIDv5(command_id, stream/index)`, so that a retried command offers the same ids.
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
    pub metadata: Metadata,
}

impl NewEvent {
    /// The deterministic id of the `index`-th event a command appends to `stream`. One command
    /// may append to several streams (a plan-item reservation, then the announcement), so the
    /// stream is part of the name.
    pub fn id_for(command_id: Uuid, stream: &StreamId, index: usize) -> Uuid {
        Uuid::new_v5(&command_id, format!("{stream}/{index}").as_bytes())
    }
}

/// A position in the global log, ordered lexicographically. PostgreSQL: `(xid8, global_position)`;
/// KurrentDB: `(commit, prepare)`; in-memory: `(0, sequence)`. Projectors treat it as opaque.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub major: u64,
    pub minor: u64,
}

impl std::fmt::Display for Position {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.major, self.minor)
    }
}

impl std::str::FromStr for Position {
    type Err = StoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || StoreError::InvalidEvent(format!("position {s:?} is not <major>:<minor>"));
        let (major, minor) = s.split_once(':').ok_or_else(bad)?;
        Ok(Position {
            major: major.parse().map_err(|_| bad())?,
            minor: minor.parse().map_err(|_| bad())?,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordedEvent {
    pub stream_id: StreamId,
    /// 0-based, like KurrentDB revisions.
    pub version: u64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub payload: serde_json::Value,
    pub metadata: Metadata,
    /// Commit-order instant assigned by the store (`clock_timestamp()` on PostgreSQL).
    pub recorded_at: DateTime<Utc>,
    pub position: Position,
    /// SHA-256 (hex) chaining this event to the previous event of its stream.
    pub hash: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExpectedVersion {
    /// The stream must not exist yet.
    NoStream,
    /// The stream's last event must have this version.
    Exact(u64),
}

impl ExpectedVersion {
    /// The expectation of a writer that folded the stream up to `last` (None: nothing read).
    pub fn after(last: Option<u64>) -> Self {
        last.map_or(ExpectedVersion::NoStream, ExpectedVersion::Exact)
    }

    pub fn next_version(self) -> u64 {
        match self {
            ExpectedVersion::NoStream => 0,
            ExpectedVersion::Exact(v) => v + 1,
        }
    }
}

impl std::fmt::Display for ExpectedVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExpectedVersion::NoStream => f.write_str("no stream"),
            ExpectedVersion::Exact(v) => write!(f, "version {v}"),
        }
    }
}

/// The outcome of an append, and of its retries: a retried command gets the original outcome
/// back with `duplicate = true`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appended {
    pub stream_id: StreamId,
    pub command_id: Uuid,
    pub first_version: u64,
    pub last_version: u64,
    /// Global position of the last event appended: wait for a projection to pass it to read
    /// your own writes.
    pub position: Position,
    pub duplicate: bool,
}

/// Which part of one stream to read. `until` is the auditors' "as of instant": the stream's
/// events before the first one that occurred after it (`metadata.occurred_at`, inclusive), so
/// that the past is always a prefix of the stream and follows the engine's clock, a sandbox's
/// too, on every backend (docs/decisions/0660).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StreamRange {
    pub from_version: u64,
    pub to_version: Option<u64>,
    pub until: Option<DateTime<Utc>>,
}

impl StreamRange {
    pub fn all() -> Self {
        Self::default()
    }

    pub fn up_to_version(version: u64) -> Self {
        StreamRange {
            to_version: Some(version),
            ..Self::default()
        }
    }

    /// From `version` (inclusive) to the end: what a reader that already folded the versions
    /// before it still needs.
    pub fn from_version(version: u64) -> Self {
        StreamRange {
            from_version: version,
            ..Self::default()
        }
    }

    pub fn up_to_instant(instant: DateTime<Utc>) -> Self {
        StreamRange {
            until: Some(instant),
            ..Self::default()
        }
    }

    /// Whether `event` lies within the versions asked for (`until` cuts the stream where it is
    /// first passed: see [`StreamRange::before_until`]).
    pub fn contains(&self, event: &RecordedEvent) -> bool {
        event.version >= self.from_version && self.to_version.is_none_or(|to| event.version <= to)
    }

    /// Whether `event` occurred at or before `until`; the read stops at the first that did not.
    pub fn before_until(&self, event: &RecordedEvent) -> bool {
        self.until.is_none_or(|t| event.metadata.occurred_at <= t)
    }
}

/// Global-log filter by stream category. Empty: every stream.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub categories: Vec<String>,
}

impl Filter {
    pub fn all() -> Self {
        Self::default()
    }

    pub fn categories<I: IntoIterator<Item = S>, S: Into<String>>(categories: I) -> Self {
        Filter {
            categories: categories.into_iter().map(Into::into).collect(),
        }
    }

    pub fn matches(&self, stream: &StreamId) -> bool {
        self.categories.is_empty() || self.categories.iter().any(|c| c == stream.category())
    }

    /// `<category>-` prefixes, the form both backends filter on.
    pub fn prefixes(&self) -> Vec<String> {
        self.categories.iter().map(|c| format!("{c}-")).collect()
    }
}

/// Checks shared by every backend before anything is written.
pub fn validate_batch(events: &[NewEvent]) -> Result<Uuid, StoreError> {
    let first = events
        .first()
        .ok_or_else(|| StoreError::InvalidEvent("an append needs at least one event".into()))?;
    let command_id = first.metadata.command_id;
    for e in events {
        if e.metadata.command_id != command_id {
            return Err(StoreError::InvalidEvent(
                "all events of one append must come from one command".into(),
            ));
        }
        if e.event_type.is_empty() || e.schema_version == 0 {
            return Err(StoreError::InvalidEvent(
                "an event needs a type and a schema version ≥ 1".into(),
            ));
        }
    }
    Ok(command_id)
}
