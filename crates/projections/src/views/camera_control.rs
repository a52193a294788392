//! Camera control (spec 000-D §4): the notices («Журнал уведомлений») and the objections
//! («Журнал возражений») of an announcement. Who may read them (the auditors and the organizer's
//! organisation) is decided by the reader, the same way for the read model and the replay.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::camera_control::{
    Conclusion, Direction, ExecutionRoute, Notice, NoticeStatus, Objection, ObjectionStatus, Remedy,
};
use zakup_domain::status::AnnouncementStatus;

/// One notice on one lot, with what the journal shows of its announcement and lot.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeView {
    pub id: Uuid,
    pub announcement_number: String,
    pub announcement_status: Option<AnnouncementStatus>,
    pub organizer_bin: Option<String>,
    pub plan_item_id: String,
    pub lot_number: Option<String>,
    pub lot_name_ru: Option<String>,
    pub direction: Direction,
    pub remedy: Remedy,
    pub status: NoticeStatus,
    pub inspector_iin: String,
    pub text: String,
    pub delivered_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub execution_deadline: NaiveDate,
    pub expires_at: DateTime<Utc>,
    pub objection_deadline: NaiveDate,
    /// The day (Astana) a delivered objection stopped the countdown, while it is stopped.
    pub stopped_on: Option<NaiveDate>,
    pub stopped_remaining_days: Option<u32>,
    /// `documentation_change`, `cancellation`, …, once the organizer has chosen.
    pub route: Option<String>,
    pub cancellation_only: bool,
    /// The notice as the domain folded it: the days left are counted from it, with the domain's
    /// own rule, at the instant a reader asks.
    pub notice: Notice,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ObjectionView {
    pub id: Uuid,
    pub notice_id: Uuid,
    /// «№ возражения».
    pub number: u32,
    pub status: ObjectionStatus,
    pub creator_iin: String,
    pub approver_iin: String,
    pub description_ru: Option<String>,
    pub description_kz: Option<String>,
    pub rejection_reason: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Delivered to the Committee (signed).
    pub sent_at: Option<DateTime<Utc>>,
    pub conclusion: Option<Conclusion>,
}

impl NoticeView {
    /// Every notice of `a`, by delivery.
    pub fn all(a: &Announcement) -> Vec<NoticeView> {
        a.camera_control
            .notices
            .values()
            .map(|n| {
                let lot = a.lots.get(&n.plan_item_id).map(|l| &l.source);
                NoticeView {
                    id: n.id.0,
                    announcement_number: a.number.clone(),
                    announcement_status: a.status,
                    organizer_bin: a.organizer_bin.map(|b| b.to_string()),
                    plan_item_id: n.plan_item_id.0.clone(),
                    lot_number: lot.map(|l| l.lot_number.clone()),
                    lot_name_ru: lot.map(|l| l.name_ru.clone()),
                    direction: n.direction,
                    remedy: n.remedy,
                    status: n.status,
                    inspector_iin: n.inspector_iin.to_string(),
                    text: n.text.clone(),
                    delivered_at: n.delivered_at,
                    acknowledged_at: n.acknowledged_at,
                    execution_deadline: n.execution_deadline,
                    expires_at: n.expires_at,
                    objection_deadline: n.objection_deadline,
                    stopped_on: n.stopped.map(|s| s.on),
                    stopped_remaining_days: n.stopped.map(|s| s.remaining_working_days),
                    route: n.route.as_ref().and_then(route_id),
                    cancellation_only: n.cancellation_only,
                    notice: n.clone(),
                }
            })
            .collect()
    }
}

impl ObjectionView {
    /// Every objection of `a`, by number.
    pub fn all(a: &Announcement) -> Vec<ObjectionView> {
        a.camera_control
            .objections
            .values()
            .map(ObjectionView::of)
            .collect()
    }

    pub fn of(o: &Objection) -> ObjectionView {
        ObjectionView {
            id: o.id.0,
            notice_id: o.notice_id.0,
            number: o.number,
            status: o.status,
            creator_iin: o.creator_iin.to_string(),
            approver_iin: o.approver_iin.to_string(),
            description_ru: o.description_ru.clone(),
            description_kz: o.description_kz.clone(),
            rejection_reason: o.rejection_reason.clone(),
            approved_at: o.approval.as_ref().map(|a| a.approved_at),
            sent_at: o.delivered_at,
            conclusion: o.conclusion,
        }
    }
}

/// The route's stable id: its serde name (`documentation_change`, `cancellation`, …).
fn route_id(route: &ExecutionRoute) -> Option<String> {
    serde_json::to_value(route)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
}
