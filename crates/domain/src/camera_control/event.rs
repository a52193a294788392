//! Facts of camera control, stored in the announcement's stream. Each payload struct is named after
//! its stable event type. The announcement-side consequences are data in the payloads (which lots
//! are cancelled, which protocol is revised); [`CameraControlEvent::announcement_effect`] reads
//! them for the announcement aggregate.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::application::ApplicationId;
use crate::camera_control::notice::{
    Direction, ExecutionRoute, Notice, NoticeId, NoticeStatus, Remedy,
};
use crate::camera_control::objection::{Conclusion, Objection, ObjectionId};
use crate::ident::{Bin, Iin};
use crate::kernel::event::event_set;
use crate::kernel::file::FileRef;
use crate::plan_item::PlanItemId;

event_set! {
    pub enum CameraControlEvent {
        NoticeDelivered(NoticeDelivered) = 1,
        NoticeAcknowledged(NoticeAcknowledged) = 1,
        NoticeExpired(NoticeExpired) = 1,
        ObjectionSaved(ObjectionSaved) = 1,
        ObjectionDeleted(ObjectionDeleted) = 1,
        ObjectionSubmittedForApproval(ObjectionSubmittedForApproval) = 1,
        ObjectionApprovalRejected(ObjectionApprovalRejected) = 1,
        ObjectionApproved(ObjectionApproved) = 1,
        /// Delivered to the Committee; the notice's countdown stops.
        ObjectionSigned(ObjectionSigned) = 1,
        ObjectionConcluded(ObjectionConcluded) = 1,
        /// Names the lots editable in the «Проект. Изменение документации» copy.
        DocumentationChangeByNoticesStarted(DocumentationChangeByNoticesStarted) = 1,
        NoticesSelectedForCancellation(NoticesSelectedForCancellation) = 1,
        /// Names the cancelled plan items the engine releases back to the pool.
        LotsCancelledByNotices(LotsCancelledByNotices) = 1,
        DiscussionProtocolWithoutExecutionChosen(DiscussionProtocolWithoutExecutionChosen) = 1,
        PpdRevisionStarted(PpdRevisionStarted) = 1,
        ContinuedWithoutPpdRevision(ContinuedWithoutPpdRevision) = 1,
        ResultsRevisionStarted(ResultsRevisionStarted) = 1,
        ContinuedWithoutNoticeExecution(ContinuedWithoutNoticeExecution) = 1,
        NoticeExecutionSubmittedForConfirmation(NoticeExecutionSubmittedForConfirmation) = 1,
        NoticeExecutionConfirmed(NoticeExecutionConfirmed) = 1,
        NoticeExecutionNotConfirmed(NoticeExecutionNotConfirmed) = 1,
        /// The notices follow their lots into the documentation-change copy (L12077–12085).
        NoticesHandedOverToCopy(NoticesHandedOverToCopy) = 1,
        NoticesTakenOverFromSource(NoticesTakenOverFromSource) = 1,
    }
}

impl CameraControlEvent {
    /// When the fact happened.
    pub fn occurred_at(&self) -> DateTime<Utc> {
        use CameraControlEvent as E;
        match self {
            E::NoticeDelivered(e) => e.delivered_at,
            E::NoticeAcknowledged(e) => e.acknowledged_at,
            E::NoticeExpired(e) => e.expired_at,
            E::ObjectionSaved(e) => e.saved_at,
            E::ObjectionDeleted(e) => e.deleted_at,
            E::ObjectionSubmittedForApproval(e) => e.submitted_at,
            E::ObjectionApprovalRejected(e) => e.rejected_at,
            E::ObjectionApproved(e) => e.approved_at,
            E::ObjectionSigned(e) => e.delivered_at,
            E::ObjectionConcluded(e) => e.concluded_at,
            E::DocumentationChangeByNoticesStarted(e) => e.started_at,
            E::NoticesSelectedForCancellation(e) => e.selected_at,
            E::LotsCancelledByNotices(e) => e.cancelled_at,
            E::DiscussionProtocolWithoutExecutionChosen(e) => e.chosen_at,
            E::PpdRevisionStarted(e) => e.started_at,
            E::ContinuedWithoutPpdRevision(e) => e.continued_at,
            E::ResultsRevisionStarted(e) => e.started_at,
            E::ContinuedWithoutNoticeExecution(e) => e.continued_at,
            E::NoticeExecutionSubmittedForConfirmation(e) => e.submitted_at,
            E::NoticeExecutionConfirmed(e) => e.confirmed_at,
            E::NoticeExecutionNotConfirmed(e) => e.rejected_at,
            E::NoticesHandedOverToCopy(e) => e.handed_over_at,
            E::NoticesTakenOverFromSource(e) => e.taken_over_at,
        }
    }

    /// What the announcement, its lots, applications, protocols and plan items must do.
    pub fn announcement_effect(&self) -> Option<AnnouncementEffect> {
        use CameraControlEvent as E;
        match self {
            E::NoticeDelivered(e) if e.direction == Direction::Fourth => {
                Some(AnnouncementEffect::DecideOnNoticeExecution {
                    plan_item_ids: vec![e.plan_item_id.clone()],
                })
            }
            E::DocumentationChangeByNoticesStarted(e) => {
                Some(AnnouncementEffect::ChangeDocumentation {
                    editable_lots: e.editable_lots.clone(),
                })
            }
            E::LotsCancelledByNotices(e) => Some(AnnouncementEffect::CancelLots {
                plan_item_ids: e.plan_item_ids.clone(),
                whole_announcement: e.whole_announcement,
                back_to_completed: e.back_to_completed,
                reason_ru: e.reason_ru.clone(),
            }),
            E::DiscussionProtocolWithoutExecutionChosen(e) => {
                Some(AnnouncementEffect::PublishDiscussionProtocol { outcome: e.outcome })
            }
            E::PpdRevisionStarted(e) => Some(AnnouncementEffect::RevisePpd {
                plan_item_ids: e.plan_item_ids.clone(),
            }),
            E::ContinuedWithoutPpdRevision(e) => {
                Some(AnnouncementEffect::ContinueWithoutPpdRevision {
                    next: e.next.clone(),
                })
            }
            E::ResultsRevisionStarted(e) => Some(AnnouncementEffect::ReviseResults {
                plan_item_ids: e.plan_item_ids.clone(),
            }),
            E::ContinuedWithoutNoticeExecution(e) => Some(AnnouncementEffect::ReturnToCompleted {
                plan_item_ids: e.plan_item_ids.clone(),
            }),
            _ => None,
        }
    }
}

/// The announcement-side consequences of a camera-control fact (spec §4.5–4.8, §4.9.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnnouncementEffect {
    /// Direction 4: the announcement and these lots → «Принятие решения по исполнению
    /// уведомления» (L12612–12616).
    DecideOnNoticeExecution {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// The Secretary adds signers and forms the discussion protocol; on signing the protocol is
    /// published, the original and its lots → «Изменена документация», plan items → «Проект
    /// лота», and a copy «Проект. Изменение документации» is created with these lots editable
    /// (L11983–12059).
    ChangeDocumentation {
        editable_lots: EditableLots,
    },
    /// These lots and their plan items → «Отменено» and back to the pool; when
    /// `whole_announcement`, also the announcement and its applications, and a results protocol is
    /// formed automatically with `reason_ru` (L12127–12175); when `back_to_completed`, the
    /// announcement leaves «Принятие решения по исполнению уведомления» for «Завершено».
    CancelLots {
        plan_item_ids: Vec<PlanItemId>,
        whole_announcement: bool,
        back_to_completed: bool,
        reason_ru: String,
    },
    /// The discussion protocol is formed and signed without executing the notices (L12177–12313).
    PublishDiscussionProtocol {
        outcome: DiscussionOutcome,
    },
    /// → «Пересмотр ППД»: voting control «Кворум достигнут», applications reviewable again;
    /// messages to the representatives, the commission and the applying suppliers (L12506–12518).
    RevisePpd {
        plan_item_ids: Vec<PlanItemId>,
    },
    ContinueWithoutPpdRevision {
        next: PpdContinuation,
    },
    /// → «Пересмотр итогов»: voting control «Кворум достигнут», «Завершить голосование» active; the
    /// next published results protocol is «Действительный», the previous one «Не действительный»
    /// (L12765–12781, L10506–10510).
    ReviseResults {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// Back to «Завершено» (docs/decisions/0307-direction-four-continuation.md).
    ReturnToCompleted {
        plan_item_ids: Vec<PlanItemId>,
    },
}

/// Lots editable in the documentation-change copy (L12049–12059).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EditableLots {
    /// Only the lots on which notices were sent.
    Only(Vec<PlanItemId>),
    /// A supplier's request was answered with a documentation change.
    All,
}

/// What signing the discussion protocol leads to when no notice is executed (L12251–12313).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DiscussionOutcome {
    /// A request was answered «Внести изменения…»: a copy with every lot editable.
    CopyWithAllLotsEditable,
    /// The Secretary enters the end of acceptance and publishes: «Опубликовано (прием заявок)».
    AcceptanceEndDateRequired,
}

/// Where the procurement goes after «Продолжить закупку без пересмотра ППД» (L12562–12598).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PpdContinuation {
    /// Supplements were submitted: the announcement, lots and these applications → «Рассмотрение
    /// дополнения заявок».
    ReviewingSupplements { application_ids: Vec<ApplicationId> },
    /// Open tender, no supplements: → «Заполнение условных скидок» for the lots with more than one
    /// application.
    FillingConditionalDiscounts { plan_item_ids: Vec<PlanItemId> },
    /// Auction, no supplements: «Сформировать протокола допуска» becomes available.
    AdmissionProtocolFormation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeDelivered {
    pub notice_id: NoticeId,
    pub plan_item_id: PlanItemId,
    pub direction: Direction,
    pub remedy: Remedy,
    pub text: String,
    pub file: Option<FileRef>,
    pub inspector_iin: Iin,
    pub organizer_bin: Bin,
    pub announcement_status_at_delivery: String,
    pub delivered_at: DateTime<Utc>,
    pub execution_deadline: NaiveDate,
    /// The end of the deadline's Astana day.
    pub expires_at: DateTime<Utc>,
    pub objection_deadline: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeAcknowledged {
    pub notice_id: NoticeId,
    pub acknowledged_by: Iin,
    pub acknowledged_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeExpired {
    pub notice_id: NoticeId,
    /// «Не исполнено. Ознакомлен» or «Не исполнено. Не ознакомлен».
    pub status: NoticeStatus,
    pub expired_at: DateTime<Utc>,
}

/// A new draft (first save) or an edit of a «Проект»/«Отклонено» one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionSaved {
    pub objection_id: ObjectionId,
    pub notice_id: NoticeId,
    pub number: u32,
    pub creator_iin: Iin,
    pub description_ru: Option<String>,
    pub description_kz: Option<String>,
    pub approver_iin: Iin,
    pub saved_by: Iin,
    pub saved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionDeleted {
    pub objection_id: ObjectionId,
    pub deleted_by: Iin,
    pub deleted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionSubmittedForApproval {
    pub objection_id: ObjectionId,
    pub approver_iin: Iin,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionApprovalRejected {
    pub objection_id: ObjectionId,
    pub reason: String,
    pub rejected_by: Iin,
    pub rejected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionApproved {
    pub objection_id: ObjectionId,
    pub approver_iin: Iin,
    pub approver_position: String,
    pub approver_full_name: String,
    pub approved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionSigned {
    pub objection_id: ObjectionId,
    pub notice_id: NoticeId,
    pub signed_by: Iin,
    pub delivered_at: DateTime<Utc>,
    /// The Astana day the countdown stopped on, and the working days then left.
    pub countdown_stopped_on: NaiveDate,
    pub remaining_working_days: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ObjectionConcluded {
    pub objection_id: ObjectionId,
    pub notice_id: NoticeId,
    pub conclusion: Conclusion,
    /// Negative only: the new «Срок окончания исполнения уведомления».
    pub resumed_deadline: Option<NaiveDate>,
    /// Negative only: the end of the new deadline's Astana day.
    pub resumed_expires_at: Option<DateTime<Utc>>,
    pub concluded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentationChangeByNoticesStarted {
    pub notice_ids: Vec<NoticeId>,
    pub plan_item_ids: Vec<PlanItemId>,
    pub editable_lots: EditableLots,
    pub started_by: Iin,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticesSelectedForCancellation {
    pub notice_ids: Vec<NoticeId>,
    pub plan_item_ids: Vec<PlanItemId>,
    pub selected_by: Iin,
    pub selected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotsCancelledByNotices {
    pub notice_ids: Vec<NoticeId>,
    pub plan_item_ids: Vec<PlanItemId>,
    /// Every lot of the announcement is now cancelled.
    pub whole_announcement: bool,
    /// Direction 4: no notice is left to decide on.
    pub back_to_completed: bool,
    /// The hyperlink chosen, the reason the automatic results protocol states (L12093, L12347).
    pub reason_ru: String,
    /// The inspectors who sent the notices, to be messaged (L12143–12149).
    pub inspector_iins: Vec<Iin>,
    pub cancelled_by: Iin,
    pub cancelled_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscussionProtocolWithoutExecutionChosen {
    /// The notices executable only by cancellation from now on (L12187–12193).
    pub restricted_notice_ids: Vec<NoticeId>,
    pub outcome: DiscussionOutcome,
    pub chosen_by: Iin,
    pub chosen_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PpdRevisionStarted {
    pub notice_ids: Vec<NoticeId>,
    pub plan_item_ids: Vec<PlanItemId>,
    pub started_by: Iin,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContinuedWithoutPpdRevision {
    pub restricted_notice_ids: Vec<NoticeId>,
    pub next: PpdContinuation,
    pub continued_by: Iin,
    pub continued_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResultsRevisionStarted {
    pub notice_ids: Vec<NoticeId>,
    pub plan_item_ids: Vec<PlanItemId>,
    pub started_by: Iin,
    pub started_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContinuedWithoutNoticeExecution {
    pub restricted_notice_ids: Vec<NoticeId>,
    /// The lots that were «Принятие решения по исполнению уведомления».
    pub plan_item_ids: Vec<PlanItemId>,
    pub continued_by: Iin,
    pub continued_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeExecutionSubmittedForConfirmation {
    pub notice_ids: Vec<NoticeId>,
    pub route: ExecutionRoute,
    pub submitted_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeExecutionConfirmed {
    pub notice_id: NoticeId,
    pub inspector_iin: Iin,
    pub confirmed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticeExecutionNotConfirmed {
    pub notice_id: NoticeId,
    pub inspector_iin: Iin,
    pub rejected_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticesHandedOverToCopy {
    pub copy_announcement_id: Uuid,
    pub notices: Vec<Notice>,
    pub objections: Vec<Objection>,
    /// The lots editable in the copy when the notices were executed by a documentation change.
    pub editable_lots: Option<EditableLots>,
    pub handed_over_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NoticesTakenOverFromSource {
    pub source_announcement_id: Uuid,
    pub notices: Vec<Notice>,
    pub objections: Vec<Objection>,
    pub editable_lots: Option<EditableLots>,
    pub taken_over_at: DateTime<Utc>,
}
