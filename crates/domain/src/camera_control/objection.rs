//! The objection (возражение, spec 000-D §2.8) to a notice, sent to the Committee of internal
//! state audit (КВГА) after internal approval and signing.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::camera_control::notice::NoticeId;
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
