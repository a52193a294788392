//! Protocols (spec 000-A §6): formed by the secretary, signed in order by the commission with
//! keys registered on the portal, published; the results protocol of a revision may be deleted.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::protocol::ProtocolKind;

use super::input::{FileRefInput, IntoDomain};
use super::{CommandOutcome, announce, iin, meta, portal};
use crate::page::app;
use crate::refusal;

fn protocol_version(version: i32) -> Result<u32> {
    u32::try_from(version).map_err(|_| refusal::invalid_input("version", "versions start at 1"))
}

#[derive(Default)]
pub struct ProtocolMutation;

#[Object]
impl ProtocolMutation {
    async fn form_preliminary_admission_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::FormPreliminaryAdmissionProtocol;
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Сформировать протокол допуска» (auction, spec 000-B P1): by the secretary once the
    /// review or re-review is completed and no ППД is pending.
    async fn form_admission_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::FormAdmissionProtocol).await
    }

    async fn form_results_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::FormResultsProtocol).await
    }

    /// «Пересмотр итогов»: the secretary deletes the revision's new results protocol before its
    /// publication, even signed; the one it was to replace is valid again (L10500–10512).
    async fn delete_results_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::DeleteResultsProtocol).await
    }

    /// Signs the protocol version whose content hash is quoted (`Protocol.contentSha256`):
    /// `signature` is the Ed25519 signature (hex) of that ASCII hash by the signer's key
    /// registered with `registerSigningKey`. `kind`: `discussion`, `preliminary_admission` or
    /// `results`; `dissent`: an optional file.
    #[allow(clippy::too_many_arguments)]
    async fn sign_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        version: i32,
        signer_iin: String,
        content_sha256: String,
        signature: String,
        dissent: Option<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let command = C::SignProtocol {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            version: protocol_version(version)?,
            signer_iin: iin(&signer_iin)?,
            content_sha256,
            dissent: dissent.into_domain("dissent")?,
            // The engine adds it once it has verified `signature`.
            proof: None,
        };
        let meta = meta(ctx, command_id).await?;
        app(ctx)
            .engine
            .sign_protocol(announcement_id, &meta, command, &signature)
            .await
            .map(CommandOutcome::from)
            .map_err(|e| refusal::engine(&e))
    }

    /// «Причина отсутствия подписи» for an absent member.
    #[allow(clippy::too_many_arguments)]
    async fn record_signature_absence(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        version: i32,
        member_iin: String,
        file: FileRefInput,
    ) -> Result<CommandOutcome> {
        let command = C::RecordSignatureAbsence {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            version: protocol_version(version)?,
            member_iin: iin(&member_iin)?,
            file: file.into_domain("file")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn attach_expert_opinion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
        file: FileRefInput,
    ) -> Result<CommandOutcome> {
        let command = C::AttachExpertOpinion {
            kind: portal::<ProtocolKind>("kind", &kind)?,
            file: file.into_domain("file")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn publish_protocol(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        kind: String,
    ) -> Result<CommandOutcome> {
        let command = C::PublishProtocol {
            kind: portal::<ProtocolKind>("kind", &kind)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
