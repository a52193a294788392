//! The direction of the legacy camera-control hook events (`CameraControlNoticeReceived`,
//! spec 000-A §9.5). Those events still decode; camera control (`crate::camera_control`, its own
//! `Direction`) decides now, and nothing records them any more (docs/decisions/0502).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

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
