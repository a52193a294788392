//! Suppliers' applications (open tender) and price offers (price quotations), sealed until the
//! end of acceptance, and the supplements after the preliminary admission protocol (spec 000-A
//! §4.2.4, §4.3, §7.5), with the scheduler's transitions around them.

use async_graphql::{Context, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::application::{ApplicationId, LotOffer};

use super::input::{FileRefInput, IntoDomain};
use super::{CommandOutcome, announce, money, plan_item, plan_items};

/// One lot of an application: the plan item and the price offered, tenge as a decimal string.
#[derive(InputObject, Debug)]
pub struct OfferInput {
    pub plan_item_id: String,
    pub price: String,
}

#[derive(Default)]
pub struct ApplicationMutation;

#[Object]
impl ApplicationMutation {
    /// Timed (role `system`).
    async fn start_acceptance(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::StartAcceptance).await
    }

    /// Timed (role `system`).
    async fn end_acceptance(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndAcceptance).await
    }

    /// Timed (role `system`).
    async fn end_supplement_period(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::EndSupplementPeriod).await
    }

    /// An application (ОК) or price offer (ЗЦП) of the supplier's organisation.
    async fn submit_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        offers: Vec<OfferInput>,
    ) -> Result<CommandOutcome> {
        // The prices keep the domain's money codes (`money_negative`, …), as before the other
        // inputs were typed.
        let offers = offers
            .iter()
            .map(|o| {
                Ok(LotOffer {
                    plan_item_id: plan_item(&o.plan_item_id)?,
                    price: money(&o.price)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let command = C::SubmitApplication {
            application_id: ApplicationId(application_id),
            offers,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn withdraw_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::WithdrawApplication {
            application_id: ApplicationId(application_id),
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// Supplements after the preliminary admission protocol.
    async fn supplement_application(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        plan_item_ids: Vec<String>,
        documents: Vec<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let command = C::SupplementApplication {
            application_id: ApplicationId(application_id),
            plan_item_ids: plan_items(&plan_item_ids)?,
            documents: documents.into_domain("documents")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
