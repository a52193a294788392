//! Acts and changes after publication (spec 000-A §4.4–§4.9): suspension, resumption and
//! cancellation on a grounding act, the customer's refusal, and a change of creator or of
//! representatives.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C};
use zakup_store::StreamRange;

use super::input::{FileRefInput, GroundingActInput, IntoDomain, PersonInput};
use super::{CommandOutcome, announce, iin, plan_items};
use crate::page::{actor, app};
use crate::refusal;

#[derive(Default)]
pub struct ActMutation;

#[Object]
impl ActMutation {
    async fn suspend(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        act: GroundingActInput,
    ) -> Result<CommandOutcome> {
        let act = act.into_domain("act")?;
        announce(ctx, command_id, announcement_id, C::Suspend { act }).await
    }

    async fn resume(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        act: GroundingActInput,
    ) -> Result<CommandOutcome> {
        let act = act.into_domain("act")?;
        announce(ctx, command_id, announcement_id, C::Resume { act }).await
    }

    /// Cancels lots on a grounding act; cancelling every lot cancels the announcement.
    async fn cancel_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
        act: GroundingActInput,
    ) -> Result<CommandOutcome> {
        let command = C::CancelLots {
            plan_item_ids: plan_items(&plan_item_ids)?,
            act: act.into_domain("act")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Отказ от закупки» by the customer for its own lots, with the grounding `document`.
    async fn refuse_procurement(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
        reason: String,
        document: FileRefInput,
    ) -> Result<CommandOutcome> {
        let command = C::RefuseProcurement {
            plan_item_ids: plan_items(&plan_item_ids)?,
            reason,
            document: document.into_domain("document")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Изменить создателя объявления» (L618–622): the creator must be blocked and the new one
    /// an active employee, both as «Сотрудники организации» of the caller's organisation say
    /// (the registry, docs/decisions/0823).
    async fn change_creator(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        new_creator_iin: String,
    ) -> Result<CommandOutcome> {
        let new_creator_iin = iin(&new_creator_iin)?;
        let engine = &app(ctx).engine;
        let staff = crate::powers::participant(engine, actor(ctx)?.org).await?;
        let creator = engine
            .load::<Announcement>(&announcement_id.to_string(), StreamRange::all())
            .await
            .map_err(|e| refusal::engine(&e))?
            .state
            .creator_iin;
        let command = C::ChangeCreator {
            new_creator_iin,
            creator_blocked: creator
                .and_then(|c| staff.employee(&c))
                .is_some_and(|e| !e.active()),
            new_creator_active: staff.employee(&new_creator_iin).is_some_and(|e| e.active()),
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn change_representatives(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        organizer_representative: PersonInput,
        customer_representative: PersonInput,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeRepresentatives {
            organizer_representative: organizer_representative
                .into_domain("organizerRepresentative")?,
            customer_representative: customer_representative
                .into_domain("customerRepresentative")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
