//! The customer's side of the lot pool (spec 000-A §9.2): asking the organizer to procure a
//! plan item, and the organizer returning it. The pool's own steps (reserve, release, transfer,
//! held, failed) are the engine's, never a client's (docs/decisions/0201).

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId};

use super::{CommandOutcome, bin, meta, money, plan_item, portal};
use crate::page::app;
use crate::refusal;
use zakup_domain::announcement::header::SubjectType;

#[derive(Default)]
pub struct PlanItemMutation;

#[Object]
impl PlanItemMutation {
    /// «Заявка заказчика»: the customer asks its organizer to procure a plan item. `amount` is
    /// tenge as a decimal string; `subjectType`: `goods`, `work` or `service`.
    #[allow(clippy::too_many_arguments)]
    async fn request_procurement(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        plan_item_id: String,
        organizer_bin: String,
        subject_type: String,
        name_ru: String,
        amount: String,
    ) -> Result<CommandOutcome> {
        let id = plan_item(&plan_item_id)?;
        let command = PlanItemCommand::RequestProcurement {
            plan_item_id: id.clone(),
            organizer_bin: bin(&organizer_bin)?,
            subject_type: portal::<SubjectType>("subjectType", &subject_type)?,
            name_ru,
            amount: money(&amount)?,
        };
        plan(ctx, command_id, &id, command).await
    }

    /// «Вернуть заказчику» with a reason.
    async fn return_to_customer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        plan_item_id: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let id = plan_item(&plan_item_id)?;
        plan(
            ctx,
            command_id,
            &id,
            PlanItemCommand::ReturnToCustomer { reason },
        )
        .await
    }
}

async fn plan(
    ctx: &Context<'_>,
    command_id: Uuid,
    id: &PlanItemId,
    command: PlanItemCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .plan_item(id, &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
