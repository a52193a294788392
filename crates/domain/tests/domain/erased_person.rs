//! Issue 18 item 5 (decision 0841): a forgotten person's ИИН reads `erased:` and ten digits.
//! Replays never fail on it: every stored event type decodes and folds with its persons erased,
//! and no command can name an erased person.

use serde_json::Value;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::ident::Iin;
use zakup_domain::plan_item::{PlanItem, PlanItemEvent};

const ERASED: &str = "erased:0000053249";

fn fixture(event_type: &str, version: u32) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/events")
        .join(format!("{event_type}.v{version}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Every ИИН, and the name beside one, as the store reads them once their holder's key is gone.
fn forget_everyone(value: &mut Value) -> usize {
    match value {
        Value::String(s) if s.parse::<Iin>().is_ok() => {
            *s = ERASED.into();
            1
        }
        Value::Array(items) => items.iter_mut().map(forget_everyone).sum(),
        Value::Object(fields) => {
            let mut n = 0;
            for (key, item) in fields.iter_mut() {
                if key.ends_with("full_name") && item.is_string() {
                    *item = Value::String(ERASED.into());
                    n += 1;
                } else {
                    n += forget_everyone(item);
                }
            }
            n
        }
        _ => 0,
    }
}

#[test]
fn the_erased_marker_is_a_stored_iin_and_never_a_commands() {
    let erased: Iin = serde_json::from_value(Value::String(ERASED.into())).expect("decodes");
    assert!(erased.is_erased());
    assert_eq!(erased.to_string(), ERASED);
    assert_eq!(
        serde_json::to_value(erased).unwrap(),
        Value::String(ERASED.into())
    );
    assert!(ERASED.parse::<Iin>().is_err(), "a command cannot name it");
    let real: Iin = "850101300203".parse().unwrap();
    assert!(!real.is_erased());
    let other: Iin = serde_json::from_value(Value::String("erased:0000000001".into())).unwrap();
    assert_ne!(erased, other, "two forgotten persons stay two");
}

/// Given the stored history of every event type with its persons forgotten, when it is
/// replayed, then every event decodes, re-encodes as stored, and folds.
#[test]
fn every_event_type_replays_with_its_persons_forgotten() {
    let mut announcement = Announcement::default();
    let mut erased = 0;
    for (event_type, version) in AnnouncementEvent::TYPES {
        let mut payload = fixture(event_type, *version)["payload"].clone();
        erased += forget_everyone(&mut payload);
        let event = AnnouncementEvent::from_stored(event_type, *version, &payload)
            .unwrap_or_else(|e| panic!("{event_type} with its persons erased: {e:?}"));
        assert_eq!(event.to_stored().2, payload, "{event_type}");
        announcement.apply(&event);
    }
    assert!(erased > 20, "the fixtures name persons ({erased} erased)");
    let mut item = PlanItem::default();
    for (event_type, version, _) in PlanItemEvent::current_schemas() {
        let mut payload = fixture(event_type, version)["payload"].clone();
        forget_everyone(&mut payload);
        let event = PlanItemEvent::from_stored(event_type, version, &payload).expect("decodes");
        item.apply(&event);
    }
}
