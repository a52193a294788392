//! Zakup stream ids ↔ the stream names stored on the server.

use uuid::Uuid;
use zakup_store::{StoreError, StreamId};

/// Where one store keeps its streams on a server.
///
/// Production uses the root namespace: a stream's server name is its id, so other KurrentDB
/// tools see `announcement-<uuid>` as it is. A named namespace prefixes every name with
/// `<namespace>/`, so that several stores share one cluster without seeing each other's events:
/// the contract suite runs every test in a fresh namespace, because it needs an empty store per
/// test and a server cannot be emptied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namespace {
    /// `""` or `"<namespace>/"`.
    prefix: String,
}

impl Namespace {
    pub fn root() -> Self {
        Self::default()
    }

    /// A lower-case word (`[a-z0-9_]+`): it goes into the server-side filter expressions as is.
    pub fn named(name: &str) -> Result<Self, StoreError> {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            return Err(StoreError::InvalidEvent(format!(
                "namespace {name:?} is not a lower-case word ([a-z0-9_]+)"
            )));
        }
        Ok(Namespace {
            prefix: format!("{name}/"),
        })
    }

    /// `""` for the root namespace, `"<namespace>/"` otherwise.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    pub fn stream_name(&self, stream: &StreamId) -> String {
        format!("{}{stream}", self.prefix)
    }

    /// The stream id behind a server stream name read back from this namespace.
    pub fn stream_id(&self, name: &str) -> Result<StreamId, StoreError> {
        let id = name.strip_prefix(&self.prefix).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "stream {name:?} is outside the namespace {:?}",
                self.prefix
            ))
        })?;
        id.parse()
            .map_err(|_| StoreError::Corrupt(format!("stream {name:?} is not a Zakup stream")))
    }

    /// The stream that reserves `event_id` for one command on one stream (see `claim`). Its
    /// name has a `/` where a Zakup stream has its `-`, so no category filter ever matches it.
    pub fn claim_stream(&self, event_id: Uuid) -> String {
        format!("{}event_id/{event_id}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream() -> StreamId {
        "announcement-42".parse().unwrap()
    }

    #[test]
    fn root_names_are_the_stream_ids() {
        let root = Namespace::root();
        assert_eq!(root.stream_name(&stream()), "announcement-42");
        assert_eq!(root.stream_id("announcement-42").unwrap(), stream());
    }

    #[test]
    fn a_named_namespace_prefixes_and_strips() {
        let ns = Namespace::named("t1a2").unwrap();
        assert_eq!(ns.stream_name(&stream()), "t1a2/announcement-42");
        assert_eq!(ns.stream_id("t1a2/announcement-42").unwrap(), stream());
        assert!(matches!(
            ns.stream_id("announcement-42"),
            Err(StoreError::Corrupt(_))
        ));
        assert!(matches!(
            ns.stream_id("other/announcement-42"),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn foreign_streams_are_corrupt_not_panics() {
        assert!(matches!(
            Namespace::root().stream_id("$stats-127.0.0.1:2113"),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn namespaces_are_lower_case_words() {
        for bad in ["", "T1", "a/b", "a-b", "a.b", "^x"] {
            assert!(Namespace::named(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn claim_streams_are_not_zakup_streams() {
        let id = Uuid::nil();
        let root = Namespace::root().claim_stream(id);
        assert_eq!(root, format!("event_id/{id}"));
        assert!(root.parse::<StreamId>().is_err());
        assert_eq!(
            Namespace::named("t1").unwrap().claim_stream(id),
            format!("t1/event_id/{id}")
        );
    }
}
