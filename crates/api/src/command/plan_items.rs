//! The customer's side of the lot pool (spec 000-A §9.2): asking the organizer to procure a
//! plan item, and the organizer returning it. The pool's own steps (reserve, release, transfer,
//! held, failed) are the engine's, never a client's (docs/decisions/0201).

use async_graphql::{Context, ErrorExtensions, Object, Result};
use uuid::Uuid;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand, PlanItemId};
use zakup_store::StreamRange;

use super::{CommandOutcome, bin, meta, money, plan_item, plan_items, portal};
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

    /// «Вернуть заказчику» for several selected requests together (seed §1.1), with one
    /// reason. Each is checked first: if any would be refused, the refusal names it
    /// (`extensions.planItemId`) and nothing is returned. Each return is its own command on
    /// its plan item, with an id derived from `commandId` and the plan item, so a retry with
    /// the same `commandId` completes the ones a failure left (docs/decisions/0642). Answers
    /// the outcomes in the order given.
    async fn return_requests_to_customer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        plan_item_ids: Vec<String>,
        reason: String,
    ) -> Result<Vec<CommandOutcome>> {
        let mut ids = plan_items(&plan_item_ids)?;
        let mut seen = std::collections::BTreeSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        if ids.is_empty() {
            return Err(refusal::invalid_input("planItemIds", "select at least one"));
        }
        let meta = meta(ctx, command_id).await?;
        let engine = &app(ctx).engine;
        let check = zakup_domain::actor::Context {
            now: engine.clock().now(),
            actor: meta.actor.clone(),
            calendar: engine.calendar().clone(),
            rules: engine.rules().clone(),
            unread_notices: meta.unread_notices.clone(),
        };
        for id in &ids {
            let loaded = engine
                .load::<PlanItem>(&id.0, StreamRange::all())
                .await
                .map_err(|e| refusal::engine(&e))?;
            let command = PlanItemCommand::ReturnToCustomer {
                reason: reason.clone(),
            };
            if let Err(e) = loaded.state.decide(command, &check) {
                return Err(refusal::domain(&e).extend_with(|_, x| x.set("planItemId", &id.0)));
            }
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            let one = Uuid::new_v5(&command_id, id.0.as_bytes());
            let command = PlanItemCommand::ReturnToCustomer {
                reason: reason.clone(),
            };
            out.push(plan(ctx, one, id, command).await?);
        }
        Ok(out)
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
