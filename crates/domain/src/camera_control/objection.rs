//! The objection (возражение, spec 000-D §2.8) to a notice, sent to the Committee of internal
//! state audit (КВГА) after internal approval and signing.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::camera_control::CameraControl;
use crate::camera_control::event::{
    ObjectionApprovalRejected, ObjectionApproved, ObjectionConcluded, ObjectionSaved,
    ObjectionSigned, ObjectionSubmittedForApproval,
};
use crate::camera_control::notice::{NoticeId, NoticeStatus, StoppedCountdown};
use crate::ident::Iin;
use crate::status::portal_terms;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ObjectionId(pub Uuid);

impl std::fmt::Display for ObjectionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

portal_terms! {
    /// Objection statuses, spec §3.8 (L11390–11424).
    ObjectionStatus {
        Draft => "draft", "Проект";
        PendingApproval => "pending_approval", "На согласовании";
        Rejected => "rejected", "Отклонено";
        Delivered => "delivered", "Доставлено";
        Positive => "positive", "Положительно";
        Negative => "negative", "Отрицательно";
    }
}

portal_terms! {
    /// The Committee's conclusion, spec §3.9 (L11366, L11378).
    Conclusion {
        Positive => "positive", "Положительное";
        Negative => "negative", "Отрицательное";
    }
}

/// «Утвердить и отправить»: the approver's position and full name printed in the regenerated
/// PDF (L11336–11340).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Approval {
    pub approver_position: String,
    pub approver_full_name: String,
    pub approved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Objection {
    pub id: ObjectionId,
    /// «№ возражения», assigned on the first «Сохранить» (L11234): 1, 2, … within the announcement.
    pub number: u32,
    pub notice_id: NoticeId,
    pub creator_iin: Iin,
    pub description_ru: Option<String>,
    pub description_kz: Option<String>,
    pub approver_iin: Iin,
    pub status: ObjectionStatus,
    pub rejection_reason: Option<String>,
    /// Set by «Утвердить и отправить»; the status changes only on signing.
    pub approval: Option<Approval>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub conclusion: Option<Conclusion>,
}

/// The objection side of [`CameraControl::apply`]: an objection's facts also stop and resume the
/// countdown of its notice.
impl CameraControl {
    pub(super) fn objection_saved(&mut self, e: &ObjectionSaved) {
        let previous = self.objections.get(&e.objection_id);
        let objection = Objection {
            id: e.objection_id,
            number: e.number,
            notice_id: e.notice_id,
            creator_iin: e.creator_iin,
            description_ru: e.description_ru.clone(),
            description_kz: e.description_kz.clone(),
            approver_iin: e.approver_iin,
            status: previous.map_or(ObjectionStatus::Draft, |o| o.status),
            rejection_reason: previous.and_then(|o| o.rejection_reason.clone()),
            approval: None,
            delivered_at: None,
            conclusion: None,
        };
        self.last_objection_number = self.last_objection_number.max(e.number);
        self.objections.insert(e.objection_id, objection);
    }

    pub(super) fn objection_submitted(&mut self, e: &ObjectionSubmittedForApproval) {
        if let Some(o) = self.objections.get_mut(&e.objection_id) {
            o.status = ObjectionStatus::PendingApproval;
            o.approver_iin = e.approver_iin;
            o.approval = None;
        }
    }

    pub(super) fn objection_rejected(&mut self, e: &ObjectionApprovalRejected) {
        if let Some(o) = self.objections.get_mut(&e.objection_id) {
            o.status = ObjectionStatus::Rejected;
            o.rejection_reason = Some(e.reason.clone());
        }
    }

    pub(super) fn objection_approved(&mut self, e: &ObjectionApproved) {
        if let Some(o) = self.objections.get_mut(&e.objection_id) {
            o.approval = Some(Approval {
                approver_position: e.approver_position.clone(),
                approver_full_name: e.approver_full_name.clone(),
                approved_at: e.approved_at,
            });
        }
    }

    pub(super) fn objection_signed(&mut self, e: &ObjectionSigned) {
        if let Some(o) = self.objections.get_mut(&e.objection_id) {
            o.status = ObjectionStatus::Delivered;
            o.delivered_at = Some(e.delivered_at);
        }
        if let Some(n) = self.notices.get_mut(&e.notice_id) {
            n.status = NoticeStatus::UnderObjection;
            n.stopped = Some(StoppedCountdown {
                on: e.countdown_stopped_on,
                remaining_working_days: e.remaining_working_days,
            });
        }
    }

    pub(super) fn objection_concluded(&mut self, e: &ObjectionConcluded) {
        if let Some(o) = self.objections.get_mut(&e.objection_id) {
            o.conclusion = Some(e.conclusion);
            o.status = match e.conclusion {
                Conclusion::Positive => ObjectionStatus::Positive,
                Conclusion::Negative => ObjectionStatus::Negative,
            };
        }
        if let Some(n) = self.notices.get_mut(&e.notice_id) {
            n.stopped = None;
            match e.conclusion {
                Conclusion::Positive => n.status = NoticeStatus::ExecutedPositiveConclusion,
                Conclusion::Negative => {
                    n.status = NoticeStatus::ToExecuteNegativeConclusion;
                    if let (Some(deadline), Some(expires_at)) =
                        (e.resumed_deadline, e.resumed_expires_at)
                    {
                        n.execution_deadline = deadline;
                        n.expires_at = expires_at;
                    }
                }
            }
        }
    }
}
