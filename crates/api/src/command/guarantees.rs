//! Electronic bank guarantees (spec 000-D §4.2, G1–G12; decisions 0850–0853): the bank issues and
//! answers, the beneficiary asks, and the customer records a winner's evasion of the contract (the
//! outcome that holds the winner's application security).

use async_graphql::{Context, InputObject, Object, Result};
use chrono::NaiveDate;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::guarantee::{
    Guarantee, GuaranteeCommand as G, GuaranteeKind, GuaranteedLot, RequestKind,
};

use super::input::{FileRefInput, IntoDomain};
use super::{CommandOutcome, announce, bin, meta, money, plan_item, plan_items, portal};
use crate::page::app;
use crate::refusal;

/// A lot the guarantee secures.
#[derive(InputObject, Debug)]
pub struct GuaranteedLotInput {
    pub plan_item_id: String,
    pub lot_number: String,
}

/// «Создать банковскую гарантию» (L10596–10598): the search's fields (L10620–10646). The bank is
/// the caller's organisation.
#[derive(InputObject, Debug)]
pub struct IssueGuaranteeInput {
    pub guarantee_id: Uuid,
    pub number: String,
    /// `application_security` | `contract_security`.
    pub kind: String,
    pub bank_name: String,
    pub supplier_bin: String,
    pub customer_bin: String,
    pub organizer_bin: String,
    /// Tenge, a decimal string.
    pub amount: String,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub lots: Vec<GuaranteedLotInput>,
    pub contract_number: Option<String>,
}

#[derive(Default)]
pub struct GuaranteeMutation;

#[Object]
impl GuaranteeMutation {
    /// The bank's employee issues a guarantee for its bank (role `bank`).
    async fn issue_guarantee(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        input: IssueGuaranteeInput,
    ) -> Result<CommandOutcome> {
        let lots = input
            .lots
            .into_iter()
            .map(|l| {
                Ok(GuaranteedLot {
                    plan_item_id: plan_item(&l.plan_item_id)?,
                    lot_number: l.lot_number,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let command = G::Issue {
            guarantee_id: input.guarantee_id,
            number: input.number,
            kind: portal::<GuaranteeKind>("kind", &input.kind)?,
            bank_name: input.bank_name,
            supplier_bin: bin(&input.supplier_bin)?,
            customer_bin: bin(&input.customer_bin)?,
            organizer_bin: bin(&input.organizer_bin)?,
            amount: money(&input.amount)?,
            issued_on: input.issued_on,
            valid_until: input.valid_until,
            announcement_id: input.announcement_id,
            announcement_number: input.announcement_number,
            lots,
            contract_number: input.contract_number,
        };
        guarantee(ctx, command_id, input.guarantee_id, command).await
    }

    /// «Удержать» / «Возврат» and «Сформировать форму …» (G1–G2, G7–G8): `request` is `hold` or
    /// `return`, on the guarantee's active `planItemIds`, with the grounds and documents.
    #[allow(clippy::too_many_arguments)]
    async fn generate_guarantee_form(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        guarantee_id: Uuid,
        request: String,
        plan_item_ids: Vec<String>,
        grounds: String,
        documents: Vec<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let request = portal::<RequestKind>("request", &request)?;
        let lots = plan_items(&plan_item_ids)?;
        let documents = documents
            .into_iter()
            .map(|d| d.into_domain("documents"))
            .collect::<Result<Vec<_>>>()?;
        let meta = meta(ctx, command_id).await?;
        app(ctx)
            .engine
            .generate_guarantee_form(guarantee_id, &meta, request, lots, grounds, documents)
            .await
            .map(CommandOutcome::from)
            .map_err(|e| refusal::engine(&e))
    }

    /// «Удалить форму» (G3, G9).
    async fn delete_guarantee_form(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        guarantee_id: Uuid,
    ) -> Result<CommandOutcome> {
        guarantee(ctx, command_id, guarantee_id, G::DeleteForm).await
    }

    /// Signs the form: the request goes to the bank (G4, G10).
    async fn sign_guarantee_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        guarantee_id: Uuid,
    ) -> Result<CommandOutcome> {
        guarantee(ctx, command_id, guarantee_id, G::Sign).await
    }

    /// The bank transfers the money (`hold`) or annuls the guarantee (`return`) on the request's
    /// lots (G6, G12).
    async fn confirm_guarantee_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        guarantee_id: Uuid,
        request: String,
    ) -> Result<CommandOutcome> {
        let request = portal::<RequestKind>("request", &request)?;
        guarantee(ctx, command_id, guarantee_id, G::Confirm { request }).await
    }

    /// The bank refuses, with its reason (G5, G11).
    async fn refuse_guarantee_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        guarantee_id: Uuid,
        request: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let request = portal::<RequestKind>("request", &request)?;
        let command = G::Refuse { request, reason };
        guarantee(ctx, command_id, guarantee_id, command).await
    }

    /// The lot's customer records that the winner evaded the contract (decision 0853): the
    /// guarantees' workflow then asks the bank to hold the winner's application security.
    async fn record_contract_evasion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        grounds: String,
    ) -> Result<CommandOutcome> {
        let command = C::RecordContractEvasion {
            plan_item_id: plan_item(&plan_item_id)?,
            grounds,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}

async fn guarantee(
    ctx: &Context<'_>,
    command_id: Uuid,
    guarantee_id: Uuid,
    command: G,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<Guarantee>(&guarantee_id.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
