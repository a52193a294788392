//! Expected versions ↔ the server's stream states and revisions.

use kurrentdb::{CurrentRevision, StreamState};
use zakup_store::ExpectedVersion;

pub fn stream_state(expected: ExpectedVersion) -> StreamState {
    match expected {
        ExpectedVersion::NoStream => StreamState::NoStream,
        ExpectedVersion::Exact(v) => StreamState::StreamRevision(v),
    }
}

/// The last version a writer expects to find (None: no stream).
pub fn expected_last(expected: ExpectedVersion) -> Option<u64> {
    match expected {
        ExpectedVersion::NoStream => None,
        ExpectedVersion::Exact(v) => Some(v),
    }
}

pub fn current_version(current: CurrentRevision) -> Option<u64> {
    match current {
        CurrentRevision::Current(v) => Some(v),
        CurrentRevision::NoStream => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expected_versions_map_to_stream_states() {
        assert_eq!(
            stream_state(ExpectedVersion::NoStream),
            StreamState::NoStream
        );
        assert_eq!(
            stream_state(ExpectedVersion::Exact(0)),
            StreamState::StreamRevision(0)
        );
        assert_eq!(
            stream_state(ExpectedVersion::Exact(41)),
            StreamState::StreamRevision(41)
        );
    }

    #[test]
    fn revisions_are_versions() {
        assert_eq!(expected_last(ExpectedVersion::NoStream), None);
        assert_eq!(expected_last(ExpectedVersion::Exact(3)), Some(3));
        assert_eq!(current_version(CurrentRevision::NoStream), None);
        assert_eq!(current_version(CurrentRevision::Current(3)), Some(3));
    }
}
