//! Camera control by the internal state audit (spec 000-D §4): the inspector's notices, the
//! organizer's objections and the actions of each direction, the Committee's conclusions.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::camera_control::CameraControlCommand;
use zakup_domain::camera_control::notice::{Direction, NoticeId, Remedy};
use zakup_domain::camera_control::objection::{Conclusion, ObjectionId};

use super::input::{FileRefInput, IntoDomain};
use super::{CommandOutcome, announce, iin, plan_item, plan_items, portal};

#[derive(Default)]
pub struct CameraControlMutation;

async fn camera(
    ctx: &Context<'_>,
    command_id: Uuid,
    announcement_id: Uuid,
    command: CameraControlCommand,
) -> Result<CommandOutcome> {
    announce(ctx, command_id, announcement_id, C::CameraControl(command)).await
}

#[Object]
impl CameraControlMutation {
    /// The inspector's notice on one lot. `direction` and `remedy` are ids of the portal's
    /// terms; `file` an optional `FileRef`.
    #[allow(clippy::too_many_arguments)]
    async fn deliver_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
        plan_item_id: String,
        direction: String,
        remedy: String,
        text: String,
        file: Option<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::DeliverNotice {
            notice_id: NoticeId(notice_id),
            plan_item_id: plan_item(&plan_item_id)?,
            direction: portal::<Direction>("direction", &direction)?,
            remedy: portal::<Remedy>("remedy", &remedy)?,
            text,
            file: file.into_domain("file")?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// Timed (role `system`): notices whose countdown ended become «Не исполнено».
    async fn expire_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        camera(
            ctx,
            command_id,
            announcement_id,
            CameraControlCommand::ExpireNotices,
        )
        .await
    }

    /// «Ознакомлен».
    async fn acknowledge_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::AcknowledgeNotice {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Возражение» → «Сохранить»: creates the draft objection or edits it.
    #[allow(clippy::too_many_arguments)]
    async fn save_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        notice_id: Uuid,
        description_ru: Option<String>,
        description_kz: Option<String>,
        approver_iin: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SaveObjection {
            objection_id: ObjectionId(objection_id),
            notice_id: NoticeId(notice_id),
            description_ru,
            description_kz,
            approver_iin: approver_iin.as_deref().map(iin).transpose()?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn delete_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::DeleteObjection {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Отправить на согласование».
    async fn submit_objection_for_approval(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SubmitObjectionForApproval {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn reject_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        reason: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::RejectObjection {
            objection_id: ObjectionId(objection_id),
            reason,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Утвердить и отправить».
    async fn approve_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        approver_position: String,
        approver_full_name: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ApproveObjection {
            objection_id: ObjectionId(objection_id),
            approver_position,
            approver_full_name,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Подписать»: the objection goes to the Committee.
    async fn sign_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SignObjection {
            objection_id: ObjectionId(objection_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The Committee's conclusion: `positive` or `negative`.
    async fn conclude_objection(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        objection_id: Uuid,
        conclusion: String,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ConcludeObjection {
            objection_id: ObjectionId(objection_id),
            conclusion: portal::<Conclusion>("conclusion", &conclusion)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Внести изменения в документацию» for the lots named in notices.
    async fn change_documentation_by_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ChangeDocumentationByNotices {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Отменить закупку» by notices: the lots to cancel, before `cancelByNotices`.
    async fn select_lots_for_cancellation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::SelectLotsForCancellation {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn cancel_by_notices(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        camera(
            ctx,
            command_id,
            announcement_id,
            CameraControlCommand::CancelByNotices,
        )
        .await
    }

    async fn publish_discussion_protocol_without_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::PublishDiscussionProtocolWithoutExecution;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Пересмотр ППД» for the lots named.
    async fn start_ppd_revision(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::StartPpdRevision {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Продолжить закупку без пересмотра ППД» after a notice.
    async fn continue_without_ppd_revision_by_notice(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ContinueWithoutPpdRevision;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// «Пересмотр итогов» for the lots named.
    async fn start_results_revision(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::StartResultsRevision {
            plan_item_ids: plan_items(&plan_item_ids)?,
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    async fn continue_without_notice_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ContinueWithoutNoticeExecution;
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The inspector confirms the execution of a notice.
    async fn confirm_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::ConfirmExecution {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }

    /// The inspector does not confirm the execution of a notice.
    async fn reject_execution(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        notice_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = CameraControlCommand::RejectExecution {
            notice_id: NoticeId(notice_id),
        };
        camera(ctx, command_id, announcement_id, command).await
    }
}
