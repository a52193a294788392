//! The auction's bidding (spec 000-B P5–P7, §8.1; seed L5572–5600): a small decider of its own
//! on the stream `auction-<announcement id>`, so that offers arriving within seconds contend
//! only with each other, never with the announcement's other commands. The order of offers is
//! the order of its events; every offer is stamped by the server clock (`Context::now`).
//! The readings of what the seed leaves open are docs/decisions/0703.

mod refusal;
pub mod round;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::{Context, Role};
use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::money::Money;
use crate::plan_item::PlanItemId;
pub use refusal::CODES;
use round::{Ranked, Round};

/// An admitted supplier, by the application it was admitted with (P6, L5576).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Participant {
    pub supplier_bin: Bin,
    pub application_id: ApplicationId,
}

/// Bidding opens with the suppliers the admission protocol admitted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionBiddingOpened {
    pub announcement_id: Uuid,
    pub plan_item_id: PlanItemId,
    pub participants: Vec<Participant>,
    /// The lot's allocated amount: no offer may exceed it (docs/decisions/0703).
    pub starting_price: Money,
    pub start: DateTime<Utc>,
    pub opened_at: DateTime<Utc>,
}

/// A price offer, in the order received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionPriceOffered {
    pub supplier_bin: Bin,
    pub application_id: ApplicationId,
    pub price: Money,
    pub offered_at: DateTime<Utc>,
    /// The round's end after this offer (D-15), for the bidding screen.
    pub round_end: DateTime<Utc>,
}

/// The best offer when bidding ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionWinner {
    pub supplier_bin: Bin,
    pub application_id: ApplicationId,
    pub price: Money,
    pub offered_at: DateTime<Utc>,
}

/// The round is over (P7): the winner, if anyone offered a price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionBiddingEnded {
    pub round_end: DateTime<Utc>,
    pub winner: Option<AuctionWinner>,
    pub offers: u32,
    pub ended_at: DateTime<Utc>,
}

/// The announcement was cancelled during bidding (X1–X3, L5608–5740): no offer is taken any
/// more, and the round names no winner (docs/decisions/0715).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionBiddingClosed {
    pub closed_at: DateTime<Utc>,
}

event_set! {
    pub enum BiddingEvent {
        Opened(AuctionBiddingOpened) = 1,
        Offered(AuctionPriceOffered) = 1,
        Ended(AuctionBiddingEnded) = 1,
        Closed(AuctionBiddingClosed) = 1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BiddingCommand {
    /// The portal opens bidding at the auction's start for the admitted suppliers.
    Open {
        announcement_id: Uuid,
        plan_item_id: PlanItemId,
        participants: Vec<Participant>,
        starting_price: Money,
        start: DateTime<Utc>,
    },
    /// An admitted supplier's price offer; the supplier is the acting organisation.
    Offer { price: Money },
    /// The portal ends the round once its end has passed (P7).
    End,
    /// The portal closes the bidding of an announcement cancelled during it (decision 0715).
    Close,
}

/// The bidding as folded from its stream.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bidding {
    pub opened: Option<AuctionBiddingOpened>,
    /// The bid history, in the order received.
    pub offers: Vec<Ranked>,
    /// The best offer so far: the lowest price, the earliest among equals.
    pub best: Option<Ranked>,
    /// Each bidder's last offer.
    pub last_by_bidder: BTreeMap<Bin, Money>,
    pub round: Option<Round>,
    pub ended: Option<AuctionBiddingEnded>,
    pub closed: Option<AuctionBiddingClosed>,
}

impl Bidding {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a BiddingEvent>) -> Self {
        let mut bidding = Bidding::default();
        for event in events {
            bidding.apply(event);
        }
        bidding
    }

    /// The price an offer must not exceed: the best offer's, or the starting price.
    pub fn current_price(&self) -> Option<Money> {
        self.best
            .map(|b| b.price)
            .or(self.opened.as_ref().map(|o| o.starting_price))
    }

    pub fn decide(
        &self,
        command: BiddingCommand,
        ctx: &Context,
    ) -> Result<Vec<BiddingEvent>, DomainError> {
        match command {
            BiddingCommand::Open {
                announcement_id,
                plan_item_id,
                participants,
                starting_price,
                start,
            } => {
                ctx.actor.require_role(Role::System)?;
                if self.opened.is_some() {
                    return Err(refusal::bidding_already_opened());
                }
                if participants.is_empty() {
                    return Err(refusal::no_participants());
                }
                Ok(vec![BiddingEvent::Opened(AuctionBiddingOpened {
                    announcement_id,
                    plan_item_id,
                    participants,
                    starting_price,
                    start,
                    opened_at: ctx.now,
                })])
            }
            BiddingCommand::Offer { price } => self.offer(price, ctx),
            BiddingCommand::End => {
                ctx.actor.require_role(Role::System)?;
                let round = self.open_round()?;
                if ctx.now < round.end() {
                    return Err(crate::announcement::refusal::too_early(round.end()));
                }
                let winner = self.best.map(|b| AuctionWinner {
                    supplier_bin: b.supplier_bin,
                    application_id: b.application_id,
                    price: b.price,
                    offered_at: b.offered_at,
                });
                Ok(vec![BiddingEvent::Ended(AuctionBiddingEnded {
                    round_end: round.end(),
                    winner,
                    offers: u32::try_from(self.offers.len()).unwrap_or(u32::MAX),
                    ended_at: ctx.now,
                })])
            }
            BiddingCommand::Close => {
                ctx.actor.require_role(Role::System)?;
                self.open_round()?;
                Ok(vec![BiddingEvent::Closed(AuctionBiddingClosed {
                    closed_at: ctx.now,
                })])
            }
        }
    }

    /// Bidding is over, by its round's end or by the announcement's cancellation.
    pub fn over_at(&self) -> Option<DateTime<Utc>> {
        let ended = self.ended.as_ref().map(|e| e.ended_at);
        ended.or(self.closed.as_ref().map(|c| c.closed_at))
    }

    /// The round, while bidding is opened and neither ended nor closed.
    fn open_round(&self) -> Result<Round, DomainError> {
        if self.ended.is_some() {
            return Err(refusal::auction_ended());
        }
        if self.closed.is_some() {
            return Err(refusal::bidding_closed());
        }
        self.round.ok_or_else(refusal::bidding_not_opened)
    }

    fn offer(&self, price: Money, ctx: &Context) -> Result<Vec<BiddingEvent>, DomainError> {
        ctx.actor.require_role(Role::Supplier)?;
        let round = self.open_round()?;
        let now = ctx.now;
        if now < round.start {
            return Err(refusal::auction_not_started());
        }
        if now >= round.end() {
            return Err(refusal::auction_ended());
        }
        let opened = self
            .opened
            .as_ref()
            .ok_or_else(refusal::bidding_not_opened)?;
        let bidder = opened
            .participants
            .iter()
            .find(|p| p.supplier_bin == ctx.actor.org)
            .ok_or_else(refusal::not_an_auction_participant)?;
        if price.is_zero() {
            return Err(refusal::offer_price_zero());
        }
        if price > opened.starting_price {
            return Err(refusal::price_above_starting_price());
        }
        let current = self.current_price().unwrap_or(opened.starting_price);
        if self.best.is_some() && price > current {
            return Err(refusal::price_above_best_offer());
        }
        if self
            .last_by_bidder
            .get(&bidder.supplier_bin)
            .is_some_and(|own| price >= *own)
        {
            return Err(refusal::price_not_below_own_offer());
        }
        // Only an offer that lowers the price extends the round (L5582–5586).
        let lowers = self.best.is_none_or(|best| price < best.price);
        let round = Round {
            last_lowering: if lowers {
                Some(now)
            } else {
                round.last_lowering
            },
            ..round
        };
        Ok(vec![BiddingEvent::Offered(AuctionPriceOffered {
            supplier_bin: bidder.supplier_bin,
            application_id: bidder.application_id,
            price,
            offered_at: now,
            round_end: round.end(),
        })])
    }

    pub fn apply(&mut self, event: &BiddingEvent) {
        match event {
            BiddingEvent::Opened(e) => {
                self.round = Some(Round::new(e.start));
                self.opened = Some(e.clone());
            }
            BiddingEvent::Offered(e) => {
                let offer = Ranked {
                    supplier_bin: e.supplier_bin,
                    application_id: e.application_id,
                    price: e.price,
                    offered_at: e.offered_at,
                };
                // A later offer at the best price ranks after it (L5596–5600).
                if self.best.is_none_or(|best| offer.beats(&best)) {
                    self.best = Some(offer);
                    if let Some(round) = &mut self.round {
                        round.last_lowering = Some(e.offered_at);
                    }
                }
                self.last_by_bidder.insert(e.supplier_bin, e.price);
                self.offers.push(offer);
            }
            BiddingEvent::Ended(e) => self.ended = Some(e.clone()),
            BiddingEvent::Closed(e) => self.closed = Some(e.clone()),
        }
    }
}

impl Decider for Bidding {
    const CATEGORY: &'static str = "auction";
    type Command = BiddingCommand;
    type Event = BiddingEvent;

    fn initial() -> Self {
        Bidding::default()
    }

    fn decide(
        &self,
        command: BiddingCommand,
        ctx: &Context,
    ) -> Result<Vec<BiddingEvent>, DomainError> {
        Bidding::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &BiddingEvent) {
        self.apply(event);
    }
}
