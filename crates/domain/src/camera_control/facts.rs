//! What the camera-control rules need to know about the announcement, given by the caller so
//! that this module does not depend on the announcement aggregate's internals.

use chrono::{DateTime, Utc};

use crate::application::ApplicationId;
use crate::ident::{Bin, Iin};
use crate::plan_item::PlanItemId;

/// Announcement status ids (spec 000-D §3.1) the rules compare against.
pub mod status_id {
    pub const PUBLISHED: &str = "published";
    pub const PUBLISHED_ACCEPTING_APPLICATIONS: &str = "published_accepting_applications";
    pub const PUBLISHED_SUPPLEMENTING_APPLICATIONS: &str = "published_supplementing_applications";
    pub const DECIDING_PPD_REVISION: &str = "deciding_ppd_revision";
    pub const PPD_REVISION: &str = "ppd_revision";
    pub const COMPLETED: &str = "completed";
    pub const DECIDING_NOTICE_EXECUTION: &str = "deciding_notice_execution";
    pub const RESULTS_REVISION: &str = "results_revision";
    pub const CANCELLED: &str = "cancelled";
    pub const DOCUMENTATION_CHANGED: &str = "documentation_changed";
    pub const DRAFT: &str = "draft";
    pub const DRAFT_DOCUMENTATION_CHANGE: &str = "draft_documentation_change";
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LotFacts {
    pub plan_item_id: PlanItemId,
    /// «лоты, которые подлежат обсуждению документации» (L10866–10886).
    pub subject_to_discussion: bool,
    pub cancelled: bool,
    pub application_count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnouncementFacts {
    pub organizer_bin: Bin,
    /// The announcement's secretary: the notice-execution buttons are theirs (L11945).
    pub secretary_iin: Option<Iin>,
    /// The method is under camera control: «Открытый конкурс» and «Аукцион» only
    /// (L10840–10844). The method's own answer (`MethodRules::under_camera_control`).
    pub under_camera_control: bool,
    /// Without supplements, the kept ППД leads to the conditional discounts (an open tender,
    /// L12560–12574), otherwise to the admission protocol (an auction, L12590–12598).
    pub discounts_without_supplements: bool,
    /// «повторные закупки» (L10878–10886).
    pub repeat_procurement: bool,
    pub status_id: String,
    pub lots: Vec<LotFacts>,
    pub published_at: Option<DateTime<Utc>>,
    /// The documentation discussion period is over (L10950–10954).
    pub discussion_ended: bool,
    /// Some supplier request of the discussion has no answer yet (L11600–11616).
    pub unanswered_discussion_requests: bool,
    /// At least one supplier request was answered «Внести изменения…» (L11933–11941, L12253–12257).
    pub documentation_change_decided_on_requests: bool,
    /// «объявление о начале приема заявок» (L10888–10896).
    pub acceptance_started_at: Option<DateTime<Utc>>,
    /// Posting of the ППД (L10898–10908).
    pub ppd_published_at: Option<DateTime<Utc>>,
    /// End of the complaint period after the results protocol (L10910–10914).
    pub complaint_period_end: Option<DateTime<Utc>>,
    /// Applications supplemented in the supplement period (L12578–12586).
    pub supplemented_application_ids: Vec<ApplicationId>,
}

impl AnnouncementFacts {
    pub fn lot(&self, plan_item_id: &PlanItemId) -> Option<&LotFacts> {
        self.lots.iter().find(|l| &l.plan_item_id == plan_item_id)
    }

    pub fn status_is(&self, id: &str) -> bool {
        self.status_id == id
    }

    pub fn active_lots(&self) -> impl Iterator<Item = &LotFacts> {
        self.lots.iter().filter(|l| !l.cancelled)
    }
}
