//! Event ids → the claims that keep them unique across streams.
//!
//! KurrentDB checks event ids only within one stream (that is what makes a replayed append
//! idempotent); it accepts an id already used in another stream. The contract wants such an
//! append refused with nothing written, so before appending, the store claims each event id by
//! creating its claim stream (`event_id/<id>`) with one event, and appends only if every claim
//! is its own. A claim's event id is derived from the event id, the stream and the command, so a
//! retry of the same command re-claims idempotently and any other writer meets a version
//! conflict. Claims of an append that then fails stay: they reserve ids that only the same
//! command on the same stream will ever use again.

use kurrentdb::EventData;
use serde_json::json;
use uuid::Uuid;
use zakup_store::{StoreError, StreamId};

pub const CLAIM_TYPE: &str = "EventIdClaimed";

pub fn claim_id(event_id: Uuid, stream: &StreamId, command_id: Uuid) -> Uuid {
    Uuid::new_v5(&event_id, format!("{stream}/{command_id}").as_bytes())
}

pub fn claim_event(
    event_id: Uuid,
    stream: &StreamId,
    command_id: Uuid,
) -> Result<EventData, StoreError> {
    let data = json!({ "stream": stream, "command_id": command_id });
    EventData::json(CLAIM_TYPE, &data)
        .map(|e| e.id(claim_id(event_id, stream, command_id)))
        .map_err(|e| StoreError::InvalidEvent(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_the_same_for_a_retry_and_different_for_anyone_else() {
        let (event, command) = (Uuid::new_v4(), Uuid::new_v4());
        let a: StreamId = "announcement-1".parse().unwrap();
        let b: StreamId = "announcement-2".parse().unwrap();
        let claim = claim_id(event, &a, command);
        assert_eq!(claim, claim_id(event, &a, command));
        assert_ne!(claim, claim_id(event, &b, command));
        assert_ne!(claim, claim_id(event, &a, Uuid::new_v4()));
        assert_ne!(claim, claim_id(Uuid::new_v4(), &a, command));
    }

    #[test]
    fn the_claim_event_names_its_holder() {
        let (event, command) = (Uuid::new_v4(), Uuid::new_v4());
        let stream: StreamId = "announcement-1".parse().unwrap();
        let shown = format!("{:?}", claim_event(event, &stream, command).unwrap());
        assert!(shown.contains(&claim_id(event, &stream, command).to_string()));
        assert!(shown.contains(CLAIM_TYPE));
    }
}
