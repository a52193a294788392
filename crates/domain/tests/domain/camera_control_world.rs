//! Shared given/when/then helpers for the camera-control tests: people, the Astana clock, the
//! announcement facts, and a `World` that decides commands against the folded state and applies
//! the events, each one round-tripped through `to_stored`/`from_stored`. Loaded once as
//! `crate::camera_control_world` by `main.rs`.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::calendar::Calendar;
use zakup_domain::camera_control::facts::{AnnouncementFacts, LotFacts, Stage};
use zakup_domain::camera_control::{
    CameraControl, CameraControlCommand as C, CameraControlEvent, Direction, NoticeId,
    NoticeStatus, ObjectionId, Remedy,
};
use zakup_domain::error::DomainError;
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::plan_item::PlanItemId;

// ---- people -------------------------------------------------------------------------------

pub fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
}

pub fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
}

pub fn organizer_bin() -> Bin {
    bin(1)
}

fn actor(user: &str, iin_n: u32, org: Bin, role: Role) -> Actor {
    Actor {
        user_id: user.to_owned(),
        iin: iin(iin_n),
        org,
        roles: vec![role],
    }
}

/// The announcement's secretary («Секретарь»).
pub fn secretary() -> Actor {
    actor("secretary", 1, organizer_bin(), Role::Organizer)
}
/// Another employee of the organizer's organization, with no function on the announcement.
pub fn employee() -> Actor {
    actor("employee", 2, organizer_bin(), Role::Customer)
}
pub fn colleague() -> Actor {
    actor("colleague", 3, organizer_bin(), Role::Organizer)
}
/// An organizer of another organization.
pub fn stranger() -> Actor {
    actor("stranger", 4, bin(2), Role::Organizer)
}
/// The DVGA inspector («инспектор ДВГА»).
pub fn inspector() -> Actor {
    actor("inspector", 5, bin(3), Role::Inspector)
}
/// The Committee of internal state audit (КВГА).
pub fn committee() -> Actor {
    actor("kvga", 6, bin(4), Role::AuditCommittee)
}
pub fn system() -> Actor {
    actor("system", 7, bin(5), Role::System)
}

// ---- time ---------------------------------------------------------------------------------

/// Kazakhstan's calendar as shipped (holidays, substitutes, transfers).
pub fn kz_calendar() -> Arc<Calendar> {
    Arc::new(Calendar::embedded().expect("embedded calendar"))
}

/// Monday to Friday all worked: the spec's acceptance scenarios "assume a calendar without
/// holidays unless stated" (spec §10).
pub fn no_holiday_calendar() -> Arc<Calendar> {
    let year = r#"{ "source": "test", "days_off": [], "working_days": [] }"#;
    let json = format!(
        r#"{{ "description": "test calendar without holidays",
              "utc_offsets": [{{ "from_utc": "2024-01-01T00:00:00Z", "offset_minutes": 300, "source": "test" }}],
              "years": {{ "2025": {year}, "2026": {year} }} }}"#
    );
    Arc::new(Calendar::from_json(&json).expect("test calendar"))
}

pub fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// An instant on the Astana clock.
pub fn astana(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    kz_calendar()
        .to_utc(date(y, m, d).and_hms_opt(h, min, 0).expect("valid time"))
        .expect("covered")
}

// ---- ids ----------------------------------------------------------------------------------

pub fn lot(name: &str) -> PlanItemId {
    PlanItemId(name.to_owned())
}

pub fn notice_id(n: u128) -> NoticeId {
    NoticeId(Uuid::from_u128(n))
}

pub fn objection_id(n: u128) -> ObjectionId {
    ObjectionId(Uuid::from_u128(0x0b00 + n))
}

// ---- the announcement ---------------------------------------------------------------------

pub fn lot_facts(name: &str) -> LotFacts {
    LotFacts {
        plan_item_id: lot(name),
        subject_to_discussion: true,
        cancelled: false,
        application_count: 0,
    }
}

/// An open tender published on Mon 2025-10-06 09:00, in its discussion period.
pub fn open_tender(lots: &[&str]) -> AnnouncementFacts {
    AnnouncementFacts {
        organizer_bin: organizer_bin(),
        secretary_iin: Some(secretary().iin),
        under_camera_control: true,
        discounts_without_supplements: true,
        repeat_procurement: false,
        stage: Stage::Published,
        lots: lots.iter().map(|l| lot_facts(l)).collect(),
        published_at: Some(astana(2025, 10, 6, 9, 0)),
        discussion_ended: false,
        unanswered_discussion_requests: false,
        documentation_change_decided_on_requests: false,
        acceptance_started_at: None,
        ppd_published_at: None,
        complaint_period_end: None,
        supplemented_application_ids: Vec::new(),
    }
}

// ---- the world ----------------------------------------------------------------------------

pub struct World {
    pub state: CameraControl,
    pub facts: AnnouncementFacts,
    pub now: DateTime<Utc>,
    pub calendar: Arc<Calendar>,
    pub events: Vec<CameraControlEvent>,
}

impl World {
    /// The given announcement on Kazakhstan's calendar, at Mon 2025-10-06 10:00 Astana.
    pub fn new(facts: AnnouncementFacts) -> World {
        World {
            state: CameraControl::default(),
            facts,
            now: astana(2025, 10, 6, 10, 0),
            calendar: kz_calendar(),
            events: Vec::new(),
        }
    }

    pub fn with_calendar(mut self, calendar: Arc<Calendar>) -> World {
        self.calendar = calendar;
        self
    }

    /// Moves the clock to an Astana instant.
    pub fn at(&mut self, y: i32, m: u32, d: u32, h: u32, min: u32) -> &mut World {
        self.now = astana(y, m, d, h, min);
        self
    }

    pub fn ctx(&self, actor: Actor) -> Context {
        Context {
            now: self.now,
            actor,
            calendar: self.calendar.clone(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        }
    }

    pub fn try_run(
        &mut self,
        actor: Actor,
        command: C,
    ) -> Result<Vec<CameraControlEvent>, DomainError> {
        let events = self.state.decide(command, &self.ctx(actor), &self.facts)?;
        self.record(events.clone());
        Ok(events)
    }

    #[track_caller]
    pub fn run(&mut self, actor: Actor, command: C) -> Vec<CameraControlEvent> {
        match self.try_run(actor, command) {
            Ok(events) => events,
            Err(e) => panic!("refused: {e}"),
        }
    }

    /// The refusal code; the state must not change.
    #[track_caller]
    pub fn refused(&mut self, actor: Actor, command: C) -> &'static str {
        let before = self.state.clone();
        match self.try_run(actor, command) {
            Ok(events) => panic!("accepted: {events:?}"),
            Err(e) => {
                assert_eq!(self.state, before);
                e.code
            }
        }
    }

    /// Applies events (a reaction's), round-tripped through the store's form.
    pub fn record(&mut self, events: Vec<CameraControlEvent>) {
        for event in events {
            let (event_type, version, payload) = event.to_stored();
            assert!(!payload_has_float(&payload), "float in {event_type}");
            let decoded =
                CameraControlEvent::from_stored(event_type, version, &payload).expect("decodes");
            assert_eq!(decoded, event);
            self.state.apply(&decoded);
            self.events.push(decoded);
        }
    }

    pub fn status(&self, id: NoticeId) -> NoticeStatus {
        self.state.notice(&id).expect("notice").status
    }

    pub fn deliver(&mut self, id: NoticeId, lot_name: &str, direction: Direction, remedy: Remedy) {
        self.run(
            inspector(),
            C::DeliverNotice {
                notice_id: id,
                plan_item_id: lot(lot_name),
                direction,
                remedy,
                text: "Нарушение требований к документации".to_owned(),
                file: None,
            },
        );
    }

    pub fn acknowledge(&mut self, id: NoticeId) {
        self.run(employee(), C::AcknowledgeNotice { notice_id: id });
    }

    /// An objection created by the employee, approved and signed by the colleague.
    pub fn object_and_sign(&mut self, objection: ObjectionId, notice: NoticeId) {
        self.run(
            employee(),
            C::SaveObjection {
                objection_id: objection,
                notice_id: notice,
                description_ru: Some("Нарушения нет".to_owned()),
                description_kz: None,
                approver_iin: Some(colleague().iin),
            },
        );
        self.run(
            employee(),
            C::SubmitObjectionForApproval {
                objection_id: objection,
            },
        );
        self.run(
            colleague(),
            C::ApproveObjection {
                objection_id: objection,
                approver_position: "Руководитель".to_owned(),
                approver_full_name: "Иванов И. И.".to_owned(),
            },
        );
        self.run(
            colleague(),
            C::SignObjection {
                objection_id: objection,
            },
        );
    }
}

fn payload_has_float(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::Number(n) => n.is_f64(),
        serde_json::Value::Array(items) => items.iter().any(payload_has_float),
        serde_json::Value::Object(map) => map.values().any(payload_has_float),
        _ => false,
    }
}
