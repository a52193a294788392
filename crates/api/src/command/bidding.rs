//! The auction's bidding (spec 000-B P6, seed L5572–5600): an admitted supplier's price offer,
//! sent to the bidding's own stream `auction-<announcement id>` so that offers contend only with
//! offers (docs/decisions/0703). The domain decides who may bid (the acting organisation must be
//! an admitted participant) and what is an offer; the server's clock stamps it.

use async_graphql::{Context, Object, Result};
use uuid::Uuid;
use zakup_domain::bidding::BiddingCommand;

use super::{CommandOutcome, meta, money};
use crate::page::app;
use crate::refusal;

#[derive(Default)]
pub struct BiddingMutation;

#[Object]
impl BiddingMutation {
    /// «Подать ценовое предложение»: `price` in tenge, a decimal string (`"9500000.00"`). The
    /// outcome's stream is the bidding's (`auction-<id>`); its position, passed as
    /// `minPosition`, reads the offer in `Announcement.bids`.
    async fn submit_price_offer(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        price: String,
    ) -> Result<CommandOutcome> {
        let price = money(&price)?;
        let meta = meta(ctx, command_id).await?;
        app(ctx)
            .engine
            .bidding(announcement_id, &meta, BiddingCommand::Offer { price })
            .await
            .map(CommandOutcome::from)
            .map_err(|e| refusal::engine(&e))
    }
}
