use crate::envelope::ExpectedVersion;

/// What can go wrong at the store boundary. A version conflict is an ordinary, typed outcome of
/// optimistic concurrency, never a panic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// The stream was not at the version the writer expected.
    Conflict {
        stream: String,
        expected: ExpectedVersion,
        actual: Option<u64>,
    },
    /// The events offered for appending break the envelope's rules (empty batch, mixed command
    /// ids, floating-point numbers in a payload, a bad stream id…).
    InvalidEvent(String),
    /// An event id was already used by another command.
    DuplicateEventId(uuid::Uuid),
    /// The command id is recorded on another stream: command ids are global, so this is not a
    /// retry there and nothing was written (docs/decisions/0930).
    CommandIdReused(uuid::Uuid),
    /// A stored event could not be decoded (corrupt row, unknown position format…).
    Corrupt(String),
    /// The backend failed (connection lost, server error…).
    Backend(String),
}

impl std::fmt::Display for StoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreError::Conflict {
                stream,
                expected,
                actual,
            } => write!(
                f,
                "version conflict on {stream}: expected {expected}, stream is at {}",
                actual.map_or_else(|| "no stream".to_owned(), |v| v.to_string())
            ),
            StoreError::InvalidEvent(why) => write!(f, "invalid event: {why}"),
            StoreError::DuplicateEventId(id) => write!(f, "event id {id} is already stored"),
            StoreError::CommandIdReused(id) => {
                write!(f, "command id {id} is already recorded on another stream")
            }
            StoreError::Corrupt(why) => write!(f, "corrupt stored event: {why}"),
            StoreError::Backend(why) => write!(f, "event store backend error: {why}"),
        }
    }
}

impl std::error::Error for StoreError {}
