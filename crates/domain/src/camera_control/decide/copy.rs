//! The documentation-change copy: the notices follow their lots into it (spec 000-D §9.3).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::camera_control::event::*;
use crate::camera_control::{CameraControl, CameraControlEvent};

impl CameraControl {
    /// The documentation-change copy was created: every notice follows its lot into it
    /// (L12077–12085, spec §9.3). The copy's stream starts with [`CameraControl::taken_over`].
    pub fn hand_over_to_copy(
        &self,
        copy_announcement_id: Uuid,
        at: DateTime<Utc>,
    ) -> Vec<CameraControlEvent> {
        if self.notices.is_empty() {
            return Vec::new();
        }
        vec![CameraControlEvent::NoticesHandedOverToCopy(
            NoticesHandedOverToCopy {
                copy_announcement_id,
                notices: self.notices.values().cloned().collect(),
                objections: self.objections.values().cloned().collect(),
                editable_lots: self.documentation_change.clone(),
                handed_over_at: at,
            },
        )]
    }

    /// The copy's side of [`CameraControl::hand_over_to_copy`].
    pub fn taken_over(
        source_announcement_id: Uuid,
        handed: &NoticesHandedOverToCopy,
    ) -> CameraControlEvent {
        CameraControlEvent::NoticesTakenOverFromSource(NoticesTakenOverFromSource {
            source_announcement_id,
            notices: handed.notices.clone(),
            objections: handed.objections.clone(),
            editable_lots: handed.editable_lots.clone(),
            taken_over_at: handed.handed_over_at,
        })
    }
}
