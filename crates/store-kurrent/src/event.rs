//! Envelopes ↔ the client's event types.
//!
//! The payload is the event's JSON data; everything else the envelope carries goes into the
//! custom metadata as one JSON object: the envelope's [`Metadata`] fields, `schema_version`,
//! `hash`, and the `write_id` of the append that wrote the event. The server's `created` is the
//! event's `recorded_at`; its revision is the version.

use chrono::{DateTime, Utc};
use kurrentdb::EventData;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zakup_store::{Metadata, NewEvent, RecordedEvent, StoreError};

use crate::names::Namespace;
use crate::position::from_kurrent;

/// The custom metadata of a stored event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredMetadata {
    #[serde(flatten)]
    pub metadata: Metadata,
    pub schema_version: u32,
    pub hash: String,
    /// Random per append. The server answers a replayed append (same event ids at the same
    /// versions) with success and no flag saying so; comparing this id read back with the one
    /// sent tells whether this append wrote the events or a racing retry did.
    pub write_id: Uuid,
}

/// The event to send: the envelope's deterministic id, its payload, and its metadata with the
/// hash computed for its version.
pub fn event_data(event: &NewEvent, hash: &str, write_id: Uuid) -> Result<EventData, StoreError> {
    let metadata = StoredMetadata {
        metadata: event.metadata.clone(),
        schema_version: event.schema_version,
        hash: hash.to_owned(),
        write_id,
    };
    let invalid = |e: serde_json::Error| StoreError::InvalidEvent(e.to_string());
    EventData::json(&event.event_type, &event.payload)
        .map_err(invalid)?
        .id(event.event_id)
        .metadata_as_json(&metadata)
        .map_err(invalid)
}

/// The parts of a stored event that the envelope is made of. The client's `RecordedEvent`
/// cannot be built outside the client, so the mapping works on these.
#[derive(Debug, Clone, Copy)]
pub struct StoredEvent<'a> {
    pub stream_name: &'a str,
    pub revision: u64,
    pub id: Uuid,
    pub event_type: &'a str,
    pub data: &'a [u8],
    pub custom_metadata: &'a [u8],
    /// The server's `created` system metadata: 100 ns ticks since the Unix epoch.
    pub created: Option<&'a str>,
    pub position: kurrentdb::Position,
}

impl<'a> StoredEvent<'a> {
    pub fn of(event: &'a kurrentdb::RecordedEvent) -> Self {
        StoredEvent {
            stream_name: event.stream_id(),
            revision: event.revision,
            id: event.id,
            event_type: &event.event_type,
            data: &event.data,
            custom_metadata: &event.custom_metadata,
            created: event.metadata.get("created").map(String::as_str),
            position: event.position,
        }
    }
}

pub fn recorded_event(
    stored: &StoredEvent<'_>,
    namespace: &Namespace,
) -> Result<RecordedEvent, StoreError> {
    let corrupt = |what: &str, e: serde_json::Error| {
        StoreError::Corrupt(format!(
            "{what} of {}@{}: {e}",
            stored.stream_name, stored.revision
        ))
    };
    let meta: StoredMetadata =
        serde_json::from_slice(stored.custom_metadata).map_err(|e| corrupt("metadata", e))?;
    Ok(RecordedEvent {
        stream_id: namespace.stream_id(stored.stream_name)?,
        version: stored.revision,
        event_id: stored.id,
        event_type: stored.event_type.to_owned(),
        schema_version: meta.schema_version,
        payload: serde_json::from_slice(stored.data).map_err(|e| corrupt("payload", e))?,
        metadata: meta.metadata,
        recorded_at: created_at(stored.created)?,
        position: from_kurrent(stored.position)?,
        hash: meta.hash,
    })
}

/// The `write_id` of a stored event (see [`StoredMetadata::write_id`]).
pub fn write_id(custom_metadata: &[u8]) -> Result<Uuid, StoreError> {
    #[derive(Deserialize)]
    struct WriteId {
        write_id: Uuid,
    }
    serde_json::from_slice::<WriteId>(custom_metadata)
        .map(|w| w.write_id)
        .map_err(|e| StoreError::Corrupt(format!("metadata without a write id: {e}")))
}

/// The server's `created` ticks, at full precision: the client's own `created` field drops
/// everything below the second, too coarse for "as of an instant" reads.
pub fn created_at(ticks: Option<&str>) -> Result<DateTime<Utc>, StoreError> {
    let bad = || StoreError::Corrupt(format!("event created {ticks:?} is not a tick count"));
    let ticks: i64 = ticks.ok_or_else(bad)?.parse().map_err(|_| bad())?;
    let secs = ticks.div_euclid(10_000_000);
    let nanos = ticks.rem_euclid(10_000_000) as u32 * 100;
    DateTime::from_timestamp(secs, nanos).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;
    use zakup_store::{Actor, StreamId};

    use super::*;

    fn new_event() -> NewEvent {
        let command_id = Uuid::new_v4();
        let stream: StreamId = "announcement-7".parse().unwrap();
        NewEvent {
            event_id: NewEvent::id_for(command_id, &stream, 0),
            event_type: "AnnouncementDrafted".into(),
            schema_version: 2,
            payload: json!({"title": "Закуп бумаги", "amount": "1500000.00", "lots": [1, 2]}),
            metadata: Metadata {
                command_id,
                correlation_id: Uuid::new_v4(),
                causation_id: Some(Uuid::new_v4()),
                actor: Actor {
                    user_id: "user-1".into(),
                    iin: "900101300011".into(),
                    org_bin: "990140000011".into(),
                    role: "organizer".into(),
                },
                occurred_at: Utc.with_ymd_and_hms(2026, 3, 2, 9, 30, 0).unwrap()
                    + chrono::Duration::nanoseconds(123_456_789),
                sandbox: false,
            },
        }
    }

    /// The custom metadata exactly as `event_data` writes it.
    fn stored_metadata(event: &NewEvent, hash: &str, write_id: Uuid) -> Vec<u8> {
        serde_json::to_vec(&StoredMetadata {
            metadata: event.metadata.clone(),
            schema_version: event.schema_version,
            hash: hash.into(),
            write_id,
        })
        .unwrap()
    }

    fn stored<'a>(event: &'a NewEvent, data: &'a [u8], meta: &'a [u8]) -> StoredEvent<'a> {
        StoredEvent {
            stream_name: "t1/announcement-7",
            revision: 3,
            id: event.event_id,
            event_type: &event.event_type,
            data,
            custom_metadata: meta,
            created: Some("17643150001234567"),
            position: kurrentdb::Position {
                commit: 900,
                prepare: 850,
            },
        }
    }

    #[test]
    fn event_data_carries_the_deterministic_id_type_and_metadata() {
        let event = new_event();
        let write = Uuid::new_v4();
        let data = event_data(&event, "ab12", write).unwrap();
        // The client keeps EventData's fields private; its Debug form shows them.
        let shown = format!("{data:?}");
        assert!(shown.contains(&event.event_id.to_string()), "{shown}");
        assert!(shown.contains("AnnouncementDrafted"), "{shown}");
        assert!(shown.contains("application/json"), "{shown}");
        assert!(shown.contains(&write.to_string()), "{shown}");
        assert!(shown.contains("ab12"), "{shown}");
    }

    #[test]
    fn custom_metadata_is_the_envelope_metadata_plus_version_hash_and_write() {
        let event = new_event();
        let write = Uuid::new_v4();
        let meta: serde_json::Value =
            serde_json::from_slice(&stored_metadata(&event, "ab12", write)).unwrap();
        let mut expected = serde_json::to_value(&event.metadata).unwrap();
        let fields = expected.as_object_mut().unwrap();
        fields.insert("schema_version".into(), json!(2));
        fields.insert("hash".into(), json!("ab12"));
        fields.insert("write_id".into(), json!(write));
        assert_eq!(meta, expected);
    }

    #[test]
    fn a_stored_event_reads_back_as_the_envelope() {
        let event = new_event();
        let write = Uuid::new_v4();
        let data = serde_json::to_vec(&event.payload).unwrap();
        let meta = stored_metadata(&event, "ab12", write);
        let ns = Namespace::named("t1").unwrap();
        let recorded = recorded_event(&stored(&event, &data, &meta), &ns).unwrap();
        assert_eq!(recorded.stream_id.as_str(), "announcement-7");
        assert_eq!(recorded.version, 3);
        assert_eq!(recorded.event_id, event.event_id);
        assert_eq!(recorded.event_type, event.event_type);
        assert_eq!(recorded.schema_version, 2);
        assert_eq!(recorded.payload, event.payload);
        assert_eq!(recorded.metadata, event.metadata);
        assert_eq!(recorded.hash, "ab12");
        assert_eq!(
            (recorded.position.major, recorded.position.minor),
            (900, 850)
        );
        assert_eq!(
            recorded.recorded_at,
            created_at(Some("17643150001234567")).unwrap()
        );
        assert_eq!(write_id(&meta).unwrap(), write);
    }

    #[test]
    fn the_hash_survives_the_round_trip() {
        let event = new_event();
        let stream: StreamId = "announcement-7".parse().unwrap();
        let hash = zakup_store::chain::event_hash(zakup_store::chain::GENESIS, &stream, 0, &event)
            .unwrap();
        let data = serde_json::to_vec(&event.payload).unwrap();
        let meta = stored_metadata(&event, &hash, Uuid::new_v4());
        let mut parts = stored(&event, &data, &meta);
        parts.revision = 0;
        let recorded = recorded_event(&parts, &Namespace::named("t1").unwrap()).unwrap();
        assert_eq!(
            zakup_store::chain::recompute(zakup_store::chain::GENESIS, &recorded).unwrap(),
            hash
        );
    }

    #[test]
    fn corrupt_metadata_is_a_corrupt_error() {
        let event = new_event();
        let data = serde_json::to_vec(&event.payload).unwrap();
        let ns = Namespace::named("t1").unwrap();
        for meta in [
            &b"not json"[..],
            br#"{"schema_version": 1, "hash": "x", "write_id": "00000000-0000-0000-0000-000000000000"}"#,
            b"",
        ] {
            let err = recorded_event(&stored(&event, &data, meta), &ns).unwrap_err();
            assert!(
                matches!(&err, StoreError::Corrupt(why) if why.contains("t1/announcement-7@3")),
                "{err}"
            );
        }
        assert!(matches!(write_id(b"{}"), Err(StoreError::Corrupt(_))));
    }

    #[test]
    fn a_corrupt_payload_or_foreign_stream_is_corrupt() {
        let event = new_event();
        let meta = stored_metadata(&event, "ab12", Uuid::new_v4());
        let ns = Namespace::named("t1").unwrap();
        let err = recorded_event(&stored(&event, b"{", &meta), &ns).unwrap_err();
        assert!(matches!(err, StoreError::Corrupt(_)));
        let data = serde_json::to_vec(&event.payload).unwrap();
        let mut foreign = stored(&event, &data, &meta);
        foreign.stream_name = "$stats-node";
        assert!(matches!(
            recorded_event(&foreign, &ns),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn created_keeps_sub_second_precision() {
        // 2025-11-28T07:30:00.1234567Z
        let t = created_at(Some("17643150001234567")).unwrap();
        assert_eq!(t.timestamp(), 1_764_315_000);
        assert_eq!(t.timestamp_subsec_nanos(), 123_456_700);
        assert!(matches!(created_at(None), Err(StoreError::Corrupt(_))));
        assert!(matches!(
            created_at(Some("soon")),
            Err(StoreError::Corrupt(_))
        ));
    }
}
