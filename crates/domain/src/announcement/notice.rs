//! Camera-control notices as the announcement sees them (spec 000-A §9.5): only the hooks of this
//! part. The notice's own life (delivery, objections, execution) is the camera-control
//! aggregate's; the engine relays a delivered notice here and tells when it is closed.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::plan_item::PlanItemId;
use crate::status::portal_terms;

portal_terms! {
    /// The directions that touch this part (L1574–1578, L2649–2677).
    NoticeDirection {
        /// While «Опубликовано»: blocks the automatic discussion protocol.
        First => "first", "Первое направление";
        /// Within 3 working days of the ППД: a decision on revising it after the supplements.
        Third => "third", "Третье направление";
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub id: Uuid,
    pub direction: NoticeDirection,
    pub plan_item_ids: Vec<PlanItemId>,
    pub received_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}

impl Notice {
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }
}
