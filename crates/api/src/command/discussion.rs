//! The discussion of the documentation, open tender only (spec 000-A §4.2.2): suppliers'
//! remarks, the organizer's answers, completion and the discussion protocol.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};

use super::input::{IntoDomain, PersonInput};
use super::{CommandOutcome, announce, portal};

#[derive(Default)]
pub struct DiscussionMutation;

#[Object]
impl DiscussionMutation {
    /// A supplier's remark on the draft documentation (§4.2.2).
    async fn submit_discussion_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        subject: String,
        text: String,
    ) -> Result<CommandOutcome> {
        let command = C::SubmitDiscussionRequest {
            request_id: DiscussionRequestId(request_id),
            subject,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// `decision`: `amend_documentation`, `reject_remarks` or `clarify`.
    async fn answer_discussion_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        decision: String,
        text: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::AnswerDiscussionRequest {
            request_id: DiscussionRequestId(request_id),
            decision: portal::<DiscussionDecision>("decision", &decision)?,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn edit_discussion_answer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        request_id: Uuid,
        decision: String,
        text: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::EditDiscussionAnswer {
            request_id: DiscussionRequestId(request_id),
            decision: portal::<DiscussionDecision>("decision", &decision)?,
            text,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Завершить обсуждение документации» with the representatives who will sign.
    async fn complete_discussion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        signers: Vec<PersonInput>,
    ) -> Result<CommandOutcome> {
        let signers = signers.into_domain("signers")?;
        let command = C::CompleteDiscussion { signers };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn form_discussion_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::FormDiscussionProtocol).await
    }

    async fn delete_discussion_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::DeleteDiscussionProtocol;
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Дата окончания приема заявок» in «Протоколы», once the discussion protocol published
    /// without executing a camera-control notice is signed (spec 000-D S17); `publishProtocol`
    /// then starts acceptance at once.
    async fn enter_acceptance_end(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        end: DateTime<Utc>,
    ) -> Result<CommandOutcome> {
        let command = C::EnterAcceptanceEnd { end };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// Timed (role `system`): the portal's scheduler sends it when the discussion period ends.
    async fn end_discussion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndDiscussion).await
    }
}
