//! Client errors → store errors.

use kurrentdb::Error;
use uuid::Uuid;
use zakup_store::{ExpectedVersion, StoreError, StreamId};

use crate::expected::current_version;

/// The error of an append to `stream` at `expected`: a version conflict is the ordinary outcome
/// of optimistic concurrency, everything else is the backend failing.
pub fn append_error(error: Error, stream: &StreamId, expected: ExpectedVersion) -> StoreError {
    match error {
        Error::WrongExpectedVersion { current, .. } => StoreError::Conflict {
            stream: stream.to_string(),
            expected,
            actual: current_version(current),
        },
        other => backend(other),
    }
}

/// The error of claiming `event_id`: the claim stream exists already, so another command (or
/// the same command on another stream) holds the id.
pub fn claim_error(error: Error, event_id: Uuid) -> StoreError {
    match error {
        Error::WrongExpectedVersion { .. } => StoreError::DuplicateEventId(event_id),
        other => backend(other),
    }
}

pub fn backend(error: Error) -> StoreError {
    StoreError::Backend(format!("kurrentdb: {error}"))
}

#[cfg(test)]
mod tests {
    use kurrentdb::{CurrentRevision, StreamState};

    use super::*;

    fn stream() -> StreamId {
        "announcement-1".parse().unwrap()
    }

    #[test]
    fn wrong_expected_version_is_a_conflict() {
        let error = Error::WrongExpectedVersion {
            expected: StreamState::NoStream,
            current: CurrentRevision::Current(1),
        };
        assert_eq!(
            append_error(error, &stream(), ExpectedVersion::NoStream),
            StoreError::Conflict {
                stream: "announcement-1".into(),
                expected: ExpectedVersion::NoStream,
                actual: Some(1),
            }
        );
        let missing = Error::WrongExpectedVersion {
            expected: StreamState::StreamRevision(0),
            current: CurrentRevision::NoStream,
        };
        assert!(matches!(
            append_error(missing, &stream(), ExpectedVersion::Exact(0)),
            StoreError::Conflict { actual: None, .. }
        ));
    }

    #[test]
    fn other_errors_are_backend_errors() {
        for error in [
            Error::AccessDenied,
            Error::DeadlineExceeded,
            Error::ResourceDeleted,
            Error::ServerError("boom".into()),
        ] {
            assert!(matches!(
                append_error(error, &stream(), ExpectedVersion::NoStream),
                StoreError::Backend(_)
            ));
        }
    }

    #[test]
    fn a_taken_claim_is_a_duplicate_event_id() {
        let id = Uuid::new_v4();
        let taken = Error::WrongExpectedVersion {
            expected: StreamState::NoStream,
            current: CurrentRevision::Current(0),
        };
        assert_eq!(claim_error(taken, id), StoreError::DuplicateEventId(id));
        assert!(matches!(
            claim_error(Error::ConnectionClosed, id),
            StoreError::Backend(_)
        ));
    }
}
