//! Commands on the camera control of one announcement. The organizer-side ones are the buttons
//! of «Журнал уведомлений», «Журнал возражений» and «Доступные действия»; the inspector's and the
//! Committee's are the auditor-side commands spec §9.7 asks for.

use crate::camera_control::notice::{Direction, NoticeId, Remedy};
use crate::camera_control::objection::{Conclusion, ObjectionId};
use crate::ident::Iin;
use crate::kernel::file::FileRef;
use crate::plan_item::PlanItemId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraControlCommand {
    /// The inspector sends a notice on one lot (L10850–10862, L10928–10932).
    DeliverNotice {
        notice_id: NoticeId,
        plan_item_id: PlanItemId,
        direction: Direction,
        remedy: Remedy,
        text: String,
        file: Option<FileRef>,
    },
    /// «Ознакомлен» (L11101–11103).
    AcknowledgeNotice {
        notice_id: NoticeId,
    },
    /// The scheduler: expire every notice whose countdown ended before `Context.now` (L10966–10968).
    ExpireNotices,
    /// «Возражение» then «Сохранить»: creates the draft, or edits a «Проект»/«Отклонено» one
    /// (L11142–11234, L11321–11325).
    SaveObjection {
        objection_id: ObjectionId,
        notice_id: NoticeId,
        description_ru: Option<String>,
        description_kz: Option<String>,
        approver_iin: Option<Iin>,
    },
    DeleteObjection {
        objection_id: ObjectionId,
    },
    /// «Отправить на согласование» (L11238–11248).
    SubmitObjectionForApproval {
        objection_id: ObjectionId,
    },
    /// «Отклонить» with a reason (L11314–11325).
    RejectObjection {
        objection_id: ObjectionId,
        reason: String,
    },
    /// «Утвердить и отправить» (L11329–11340).
    ApproveObjection {
        objection_id: ObjectionId,
        approver_position: String,
        approver_full_name: String,
    },
    /// «Подписать»: delivered to the Committee (L11342–11360).
    SignObjection {
        objection_id: ObjectionId,
    },
    /// The Committee's conclusion (L11364–11386).
    ConcludeObjection {
        objection_id: ObjectionId,
        conclusion: Conclusion,
    },
    /// «Внести изменения в документацию» → lots → «Добавить выбранные» → «Далее» (L11909–11985).
    ChangeDocumentationByNotices {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// «Отменить закупку» → «Отмена по результатам камерального контроля» / «Отмена на основании
    /// электронных уведомлений» → lots → «Добавить выбранные» (L12087–12115).
    SelectLotsForCancellation {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// «Отменить»: cancels the lots added for cancellation (L12115–12175).
    CancelByNotices,
    /// «Публикация протокола обсуждения без исполнения уведомления» (L12177–12199).
    PublishDiscussionProtocolWithoutExecution,
    /// «Пересмотр ППД» → lots → «Добавить выбранные» → «Далее» → «Далее» (L12463–12518).
    StartPpdRevision {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// «Продолжить закупку без пересмотра ППД» (L12542–12598).
    ContinueWithoutPpdRevision,
    /// «Пересмотр итогов» → lots → «Добавить выбранные» → «Далее» → «Подтверждаю» (L12722–12781).
    StartResultsRevision {
        plan_item_ids: Vec<PlanItemId>,
    },
    /// «Продолжить закупку без исполнения уведомления» (L12805–12818).
    ContinueWithoutNoticeExecution,
    /// The inspector confirms an execution (L11026–11036).
    ConfirmExecution {
        notice_id: NoticeId,
    },
    /// The inspector does not confirm an execution (L11050–11060).
    RejectExecution {
        notice_id: NoticeId,
    },
}

/// A camera-control item of «Доступные действия», with the command it opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AvailableAction {
    /// «Внести изменения в документацию» → [`CameraControlCommand::ChangeDocumentationByNotices`].
    ChangeDocumentation,
    /// «Публикация протокола обсуждения без исполнения уведомления».
    PublishDiscussionProtocolWithoutExecution,
    /// «Отменить закупку» → cancellation by notices.
    CancelByNotices,
    /// «Пересмотреть ППД».
    RevisePpd,
    /// «Продолжить закупку без пересмотра ППД».
    ContinueWithoutPpdRevision,
    /// «Пересмотреть ПИ».
    ReviseResults,
    /// «Продолжить закупку без исполнения уведомления».
    ContinueWithoutNoticeExecution,
}
