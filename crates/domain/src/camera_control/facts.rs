//! What the camera-control rules need to know about the announcement, given by the caller so
//! that this module does not depend on the announcement aggregate's internals.

use chrono::{DateTime, Utc};

use crate::application::ApplicationId;
use crate::ident::{Bin, Iin};
use crate::plan_item::PlanItemId;

/// Where the announcement stands, as far as the camera-control rules ask: the statuses of spec
/// 000-D §3.1 that open a sending window or an execution route, and the ones that close
/// cancellation. The announcement maps its own status to this (`Announcement::camera_facts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// «Проект» or «Проект. Изменение документации»: no cancellation by notices before
    /// publication (L12081–12085).
    Unpublished,
    /// «Опубликовано»: the documentation discussion, directions 1 (a) and (b) (L10866–10886).
    Published,
    /// «Опубликовано (прием заявок)»: direction 1 (b) and direction 2 (L10878–10896).
    AcceptingApplications,
    /// «Опубликовано (дополнение заявок)»: direction 3 (L10898–10908).
    SupplementingApplications,
    /// «Принятие решения по пересмотру ППД» (L12451–12455).
    DecidingPpdRevision,
    /// «Завершено»: direction 4 (L10910–10914, L12600–12604).
    Completed,
    /// «Принятие решения по исполнению уведомления» (L12612–12616): what a direction-4 notice on
    /// any lot makes of «Завершено»; direction 4 stays open for the other lots.
    DecidingNoticeExecution,
    /// «Изменена документация» or «Отменено»: no cancellation by notices after the end
    /// (L10956–10958).
    Ended,
    /// Any other status: no camera-control rule names it.
    Other,
}

impl Stage {
    /// The status id a notice records as «статус объявления» at delivery (spec 000-D §3.1 ids).
    /// Delivery is open in these five stages only (L10864–10914; a direction-4 notice on another
    /// lot leaves the results posted, docs/decisions/0607), so the others have none.
    pub fn delivery_status_id(self) -> Option<&'static str> {
        match self {
            Stage::Published => Some("published"),
            Stage::AcceptingApplications => Some("published_accepting_applications"),
            Stage::SupplementingApplications => Some("published_supplementing_applications"),
            Stage::Completed => Some("completed"),
            Stage::DecidingNoticeExecution => Some("deciding_notice_execution"),
            _ => None,
        }
    }

    /// The results protocol stands posted, so direction 4 may be open (L10910–10914): «Завершено»,
    /// or «Принятие решения по исполнению уведомления», which a direction-4 notice on one lot makes
    /// of it while the other lots' results stay as posted (L12612–12616). Not «Пересмотр итогов»:
    /// a new results protocol is being formed there, and its posting opens the next period
    /// (docs/decisions/0607).
    pub fn results_posted(self) -> bool {
        matches!(self, Stage::Completed | Stage::DecidingNoticeExecution)
    }
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
    /// The organizer's organization: its employees act on the notices (L10934–10944).
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
    /// Where the announcement stands (spec 000-D §3.1), typed: see [`Stage`].
    pub stage: Stage,
    pub lots: Vec<LotFacts>,
    /// Publication of the announcement: direction 1 (b) counts its window from it (L10878–10886).
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

    pub fn active_lots(&self) -> impl Iterator<Item = &LotFacts> {
        self.lots.iter().filter(|l| !l.cancelled)
    }
}
