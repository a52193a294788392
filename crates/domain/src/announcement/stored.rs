//! Mapping events to and from the store's `(event_type, schema_version, payload)`, with the
//! upcasters that lift old payload versions to the current ones.

use std::borrow::Cow;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::announcement::event::{AnnouncementEvent, DiscussionRequestAnsweredV1};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    UnknownType(String),
    UnknownVersion {
        event_type: String,
        schema_version: u32,
    },
    InvalidPayload {
        event_type: String,
        message: String,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::UnknownType(t) => write!(f, "unknown event type {t}"),
            DecodeError::UnknownVersion {
                event_type,
                schema_version,
            } => {
                write!(f, "unknown schema version {schema_version} of {event_type}")
            }
            DecodeError::InvalidPayload {
                event_type,
                message,
            } => write!(f, "invalid {event_type} payload: {message}"),
        }
    }
}

impl std::error::Error for DecodeError {}

pub(crate) fn encode<T: Serialize>(payload: &T) -> serde_json::Value {
    serde_json::to_value(payload).expect("event payloads hold only JSON-representable data")
}

pub(crate) fn decode<T: DeserializeOwned>(
    event_type: &str,
    payload: &serde_json::Value,
) -> Result<T, DecodeError> {
    T::deserialize(payload).map_err(|e| DecodeError::InvalidPayload {
        event_type: event_type.to_owned(),
        message: e.to_string(),
    })
}

/// Lifts a payload of `(event_type, version)` to `version + 1`, or `None` if there is no such
/// step. Each step decodes the old struct and converts it with a typed `From`.
fn upcast_one(
    event_type: &str,
    version: u32,
    payload: &serde_json::Value,
) -> Option<Result<serde_json::Value, DecodeError>> {
    match (event_type, version) {
        ("DiscussionRequestAnswered", 1) => Some(
            decode::<DiscussionRequestAnsweredV1>(event_type, payload)
                .map(|v1| encode(&crate::announcement::event::DiscussionRequestAnswered::from(v1))),
        ),
        _ => None,
    }
}

impl AnnouncementEvent {
    /// The schemas of superseded payload versions, still accepted by `from_stored`.
    pub fn historical_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
        vec![(
            "DiscussionRequestAnswered",
            1,
            schemars::schema_for!(DiscussionRequestAnsweredV1),
        )]
    }

    pub fn to_stored(&self) -> (&'static str, u32, serde_json::Value) {
        (self.event_type(), self.schema_version(), self.payload())
    }

    pub fn from_stored(
        event_type: &str,
        schema_version: u32,
        payload: &serde_json::Value,
    ) -> Result<Self, DecodeError> {
        if crate::camera_control::CameraControlEvent::TYPES
            .iter()
            .any(|(t, _)| *t == event_type)
        {
            return crate::camera_control::CameraControlEvent::from_stored(
                event_type,
                schema_version,
                payload,
            )
            .map(AnnouncementEvent::CameraControl);
        }
        let current = AnnouncementEvent::TYPES
            .iter()
            .find(|(t, _)| *t == event_type)
            .map(|(_, v)| *v)
            .ok_or_else(|| DecodeError::UnknownType(event_type.to_owned()))?;
        let unknown_version = || DecodeError::UnknownVersion {
            event_type: event_type.to_owned(),
            schema_version,
        };
        if schema_version == 0 || schema_version > current {
            return Err(unknown_version());
        }
        // Borrowed unless an upcaster runs: almost every stored payload is already current.
        let mut payload = Cow::Borrowed(payload);
        for version in schema_version..current {
            payload =
                Cow::Owned(upcast_one(event_type, version, &payload).ok_or_else(unknown_version)??);
        }
        AnnouncementEvent::decode_current(event_type, &payload)
            .ok_or_else(|| DecodeError::UnknownType(event_type.to_owned()))?
    }
}
