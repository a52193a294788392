//! The users' signing keys (docs/decisions/0401), against which protocol signatures are
//! verified.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::certificate::{Certificate, CertificateCommand};
use zakup_domain::ident::Iin;

use super::{CommandOutcome, meta};
use crate::page::app;
use crate::refusal;

#[derive(Default)]
pub struct CertificateMutation;

#[Object]
impl CertificateMutation {
    /// Registers (or replaces) the Ed25519 signing key of the user `iin` (the user, or an
    /// administrator of the organisation): 32 bytes as 64 hex digits.
    async fn register_signing_key(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        public_key_hex: String,
    ) -> Result<CommandOutcome> {
        let owner = super::iin(&iin)?;
        let command = CertificateCommand::Register {
            iin: owner,
            public_key_hex,
        };
        certificate(ctx, command_id, owner, command).await
    }

    async fn revoke_signing_key(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let owner = super::iin(&iin)?;
        certificate(
            ctx,
            command_id,
            owner,
            CertificateCommand::Revoke { reason },
        )
        .await
    }
}

async fn certificate(
    ctx: &Context<'_>,
    command_id: Uuid,
    owner: Iin,
    command: CertificateCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<Certificate>(&owner.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
