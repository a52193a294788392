//! The stored contract of the camera-control events, as for the announcement's (decision 0209):
//! JSON Schemas in `schemas/events/<Type>.v<N>.json` (`UPDATE_SCHEMAS=1` rewrites them) and golden
//! fixtures in `tests/fixtures/events/<Type>.v<N>.json` (`UPDATE_FIXTURES=1` adds missing ones from
//! the sample streams below; an existing fixture is never rewritten). A fixture decodes both as a
//! camera-control event and, wrapped, as an announcement event (docs/decisions/0308).

use crate::camera_control_world as world;

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use serde_json::{Value, json};
use world::*;
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::camera_control::facts::Stage;
use zakup_domain::camera_control::{
    CameraControl, CameraControlCommand as C, CameraControlEvent, Conclusion, Direction, Remedy,
};

#[test]
fn every_camera_event_type_has_its_generated_schema() {
    let schemas = CameraControlEvent::current_schemas();
    crate::schema_files::sync(&schemas);
}

/// Every camera-control event type at least once, with fixed ids and instants.
fn sample_streams() -> Vec<CameraControlEvent> {
    let mut events = Vec::new();

    // Documentation change, objection rejected, deleted and signed, negative conclusion, copy.
    let mut w = World::new(open_tender(&["L1", "L2"]));
    w.deliver(
        notice_id(1),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.deliver(
        notice_id(2),
        "L2",
        Direction::First,
        Remedy::CancelProcurement,
    );
    w.acknowledge(notice_id(1));
    w.acknowledge(notice_id(2));
    let save = |id, notice| C::SaveObjection {
        objection_id: objection_id(id),
        notice_id: notice_id(notice),
        description_ru: Some("Нарушения нет".to_owned()),
        description_kz: None,
        approver_iin: Some(colleague().iin),
    };
    w.run(employee(), save(1, 2));
    w.run(
        employee(),
        C::SubmitObjectionForApproval {
            objection_id: objection_id(1),
        },
    );
    w.run(
        colleague(),
        C::RejectObjection {
            objection_id: objection_id(1),
            reason: "Нет обоснования".to_owned(),
        },
    );
    w.run(
        employee(),
        C::DeleteObjection {
            objection_id: objection_id(1),
        },
    );
    w.object_and_sign(objection_id(2), notice_id(2));
    w.run(
        committee(),
        C::ConcludeObjection {
            objection_id: objection_id(2),
            conclusion: Conclusion::Negative,
        },
    );
    w.facts.discussion_ended = true;
    w.run(
        secretary(),
        C::ChangeDocumentationByNotices {
            plan_item_ids: vec![lot("L1")],
        },
    );
    let handed = w
        .state
        .hand_over_to_copy(uuid::Uuid::from_u128(0xc0b1), w.now);
    w.record(handed.clone());
    let CameraControlEvent::NoticesHandedOverToCopy(handed) = &handed[0] else {
        unreachable!()
    };
    let mut copy = World::new(w.facts.clone());
    copy.record(vec![CameraControl::taken_over(
        uuid::Uuid::from_u128(0xa11),
        handed,
    )]);
    let published = copy.state.on_copy_published(copy.now);
    copy.record(published);
    copy.run(
        inspector(),
        C::ConfirmExecution {
            notice_id: notice_id(1),
        },
    );
    copy.facts.stage = Stage::AcceptingApplications;
    copy.run(
        secretary(),
        C::SelectLotsForCancellation {
            plan_item_ids: vec![lot("L2")],
        },
    );
    copy.run(secretary(), C::CancelByNotices);
    events.extend(w.events);
    events.extend(copy.events);

    // Publishing the discussion protocol without execution, then expiry.
    let mut w = World::new(open_tender(&["L1"]));
    w.deliver(
        notice_id(3),
        "L1",
        Direction::First,
        Remedy::ChangeDocumentation,
    );
    w.acknowledge(notice_id(3));
    w.facts.discussion_ended = true;
    w.run(secretary(), C::PublishDiscussionProtocolWithoutExecution);
    w.at(2025, 10, 21, 0, 0).run(system(), C::ExpireNotices);
    events.extend(w.events);

    // Direction 3: revision, not confirmed; continuing without revision.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::SupplementingApplications;
    facts.ppd_published_at = Some(astana(2025, 10, 6, 9, 0));
    let mut w = World::new(facts);
    w.deliver(notice_id(4), "L1", Direction::Third, Remedy::RevisePpd);
    w.acknowledge(notice_id(4));
    let mut without = World::new(w.facts.clone());
    without.state = w.state.clone();
    w.facts.stage = Stage::DecidingPpdRevision;
    w.run(
        secretary(),
        C::StartPpdRevision {
            plan_item_ids: vec![lot("L1")],
        },
    );
    let completed = w.state.on_revision_voting_completed(w.now);
    w.record(completed);
    w.run(
        inspector(),
        C::RejectExecution {
            notice_id: notice_id(4),
        },
    );
    without.facts.stage = Stage::DecidingPpdRevision;
    without.run(secretary(), C::ContinueWithoutPpdRevision);
    events.extend(w.events);
    events.extend(without.events);

    // Direction 4: results revision; continuing without execution.
    let mut facts = open_tender(&["L1"]);
    facts.stage = Stage::Completed;
    facts.complaint_period_end = Some(astana(2025, 10, 10, 0, 0));
    let mut w = World::new(facts);
    w.deliver(notice_id(5), "L1", Direction::Fourth, Remedy::ReviseResults);
    w.acknowledge(notice_id(5));
    w.facts.stage = Stage::DecidingNoticeExecution;
    let mut without = World::new(w.facts.clone());
    without.state = w.state.clone();
    w.run(
        secretary(),
        C::StartResultsRevision {
            plan_item_ids: vec![lot("L1")],
        },
    );
    without.run(secretary(), C::ContinueWithoutNoticeExecution);
    events.extend(w.events);
    events.extend(without.events);
    events
}

fn read_fixture(event_type: &str, version: u32) -> Value {
    let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sample_streams_cover_every_camera_event_type_and_update_fixtures_on_request() {
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    for event in &sample_streams() {
        let (event_type, version, payload) = event.to_stored();
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = CameraControlEvent::TYPES
        .iter()
        .filter(|(t, _)| !first.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "sample streams miss {missing:?}");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let dir = repo_dir("tests/fixtures/events");
        for (event_type, (version, payload)) in &first {
            let path = dir.join(format!("{event_type}.v{version}.json"));
            if !path.exists() {
                let fixture = json!({ "event_type": event_type, "schema_version": version, "payload": payload });
                std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n")
                    .unwrap();
            }
        }
    }
}

#[test]
fn every_camera_fixture_decodes_re_encodes_and_is_an_announcement_event() {
    for (event_type, version) in CameraControlEvent::TYPES {
        let fixture = read_fixture(event_type, *version);
        assert_eq!(fixture["event_type"], *event_type);
        assert_eq!(fixture["schema_version"], *version);
        let payload = &fixture["payload"];
        let event =
            CameraControlEvent::from_stored(event_type, *version, payload).expect("decodes");
        assert_eq!(
            &event.to_stored().2,
            payload,
            "{event_type} encodes as its fixture"
        );
        let wrapped = AnnouncementEvent::from_stored(event_type, *version, payload)
            .expect("decodes in the announcement's stream");
        assert_eq!(wrapped, AnnouncementEvent::CameraControl(event));
        assert_eq!(wrapped.to_stored().0, *event_type);
    }
}
