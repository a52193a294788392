//! Acts and changes after publication (spec 000-A §4.4–§4.9): suspension, resumption and
//! cancellation on a grounding act, the customer's refusal, and a change of creator or of
//! representatives.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;

use super::input::{FileRefInput, GroundingActInput, IntoDomain, PersonInput};
use super::{CommandOutcome, announce, iin, plan_items};

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

    async fn change_creator(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        new_creator_iin: String,
        creator_blocked: bool,
        new_creator_blocked: bool,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeCreator {
            new_creator_iin: iin(&new_creator_iin)?,
            creator_blocked,
            new_creator_blocked,
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
