//! The auction's bidding screen (spec 000-B P4–P7, issue 15 items 6–7): its time frame, the
//! round's current end and time left, the best price and the bid history with ranks, as
//! `Announcement.auction`, `announcement(id, asOf).auction` and the live `auctionBidding`
//! subscription. All three show `zakup_projections::views::AuctionView`, built from the folded
//! announcement and bidding streams; who a bid names is the visibility table's rule
//! (`visibility::bid_shown`, decision 0711): suppliers see the prices, never the other bidders.

use std::time::Duration;

use async_graphql::{Context, Result, SimpleObject, Subscription};
use chrono::{DateTime, Utc};
use futures::Stream;
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::Announcement as State;
use zakup_domain::bidding::Bidding;
use zakup_projections::views::visibility::Viewer;
use zakup_projections::views::{AuctionView, BidView};
use zakup_store::StreamRange;

use crate::AppState;
use crate::auth::Principal;
use crate::feeds::{feeds, holding};
use crate::notice::Reader;
use crate::page::{app, viewer};
use crate::refusal;

/// One price offer; `supplierBin` and `applicationId` are null where the viewer may not know the
/// bidder (another supplier's offer; the organizer's and auditors' view while bidding runs).
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Bid {
    /// 1-based place in the order received.
    pub sequence: i32,
    pub price: Decimal,
    pub offered_at: DateTime<Utc>,
    /// The place among all offers: the lowest price first, the earlier among equal prices.
    pub rank: i32,
    pub supplier_bin: Option<String>,
    pub application_id: Option<Uuid>,
    /// The viewer's own offer.
    pub own: bool,
}

impl From<BidView> for Bid {
    fn from(b: BidView) -> Self {
        Bid {
            sequence: b.sequence as i32,
            price: b.price.amount(),
            offered_at: b.offered_at,
            rank: b.rank as i32,
            supplier_bin: b.supplier_bin,
            application_id: b.application_id,
            own: b.own,
        }
    }
}

/// The auction's time frame and round («Сроки проведения аукциона»), at `at`.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Auction {
    pub announcement_id: Uuid,
    /// When bidding starts: fixed by the admission protocol's publication (decision 0701).
    pub start: DateTime<Utc>,
    /// The end of the 30-minute round, when no offer extends it (the protocol's appendix).
    pub planned_end: DateTime<Utc>,
    /// The round's end as the offers so far moved it (10 minutes after the last lowering offer).
    pub current_end: DateTime<Utc>,
    /// Seconds from `at` to `currentEnd` (0 once passed or ended).
    pub time_left_seconds: i64,
    /// The instant the figures are for.
    pub at: DateTime<Utc>,
    /// Bidding is over: when the portal closed it.
    pub ended_at: Option<DateTime<Utc>>,
    /// The lot's allocated amount, once bidding opened: no offer may exceed it.
    pub starting_price: Option<Decimal>,
    /// The current best (lowest) price.
    pub best_price: Option<Decimal>,
    pub offers: i32,
    /// Every offer in the order received.
    pub bids: Vec<Bid>,
}

impl Auction {
    pub fn of(id: Uuid, view: AuctionView, at: DateTime<Utc>) -> Self {
        Auction {
            announcement_id: id,
            time_left_seconds: view.seconds_left(at),
            start: view.start,
            planned_end: view.planned_end,
            current_end: view.current_end,
            at,
            ended_at: view.ended_at,
            starting_price: view.starting_price.map(|p| p.amount()),
            best_price: view.best_price.map(|p| p.amount()),
            offers: view.offers as i32,
            bids: view.bids.into_iter().map(Bid::from).collect(),
        }
    }
}

/// Who `who` is to the bids of an announcement organised by `organizer`.
pub fn bid_viewer<'a>(who: Option<&'a Principal>, organizer: Option<&str>) -> Viewer<'a> {
    let reader = Reader::of_viewer(who);
    Viewer {
        org: who.map(|p| p.org_bin.as_str()),
        oversees: organizer.is_some_and(|o| reader.reads(o)),
    }
}

/// The bidding stream of `id` up to `range` (the auditors' replay), folded.
pub async fn bidding(app: &AppState, id: Uuid, range: StreamRange) -> Result<Bidding> {
    let loaded = app
        .engine
        .load::<Bidding>(&id.to_string(), range)
        .await
        .map_err(|e| refusal::engine(&e))?;
    Ok(loaded.state)
}

/// The auction of `state` as the streams say now, for the viewer; `None` for another method or
/// before the admission protocol fixed its time frame.
pub async fn now(ctx: &Context<'_>, id: Uuid) -> Result<Option<Auction>> {
    let app = app(ctx);
    let state = crate::actions::load(app, id).await?;
    if state.procedure.auction().is_none() {
        return Ok(None);
    }
    let bidding = app
        .engine
        .current_bidding(id)
        .await
        .map_err(|e| refusal::engine(&e))?;
    shown(ctx, id, &state, &bidding, app.engine.now())
}

/// The view of `state` and `bidding` for the viewer, at `at`.
pub fn shown(
    ctx: &Context<'_>,
    id: Uuid,
    state: &State,
    bidding: &Bidding,
    at: DateTime<Utc>,
) -> Result<Option<Auction>> {
    let organizer = state.organizer_bin.map(|b| b.to_string());
    let who = bid_viewer(viewer(ctx)?, organizer.as_deref());
    Ok(AuctionView::of(state, bidding, who).map(|v| Auction::of(id, v, at)))
}

/// How often the live view looks at the clock when nothing is written: the round ends by the
/// clock alone.
const TICK: Duration = Duration::from_secs(1);

#[derive(Default)]
pub struct AuctionSubscription;

#[Subscription]
impl AuctionSubscription {
    /// The bidding screen, live (issue 15 item 6): sent at once, then whenever an offer is
    /// recorded, bidding opens or ends, or the round's end passes. Suppliers see every price and
    /// the time left, but only their own offers name a bidder. Counts against the subscription
    /// limits like `announcementChanged`.
    async fn auction_bidding(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<impl Stream<Item = Auction> + use<>> {
        let who = viewer(ctx)?.cloned();
        let slot = feeds(ctx).admit(ctx, who.as_ref())?;
        let state = app(ctx).clone();
        let changes = state.engine.store().changes();
        let start = Live {
            state,
            who,
            id,
            changes,
            announcement: None,
            last: None,
        };
        let updates = futures::stream::unfold(start, |mut live| async move {
            loop {
                if let Some(next) = live.next().await {
                    return Some((next, live));
                }
                let _ = tokio::time::timeout(TICK, live.changes.changed()).await;
            }
        });
        Ok(holding(updates, slot))
    }
}

/// One subscriber's place in the live view.
struct Live {
    state: AppState,
    who: Option<Principal>,
    id: Uuid,
    changes: tokio::sync::watch::Receiver<u64>,
    /// The announcement once its time frame is fixed: it no longer changes what is shown.
    announcement: Option<State>,
    /// What was sent last (without the instant), and whether its round had passed then.
    last: Option<(AuctionView, bool)>,
}

impl Live {
    /// The view when it changed since the last one sent; `None` when nothing did (or the streams
    /// could not be read: the next wake-up tries again).
    async fn next(&mut self) -> Option<Auction> {
        let engine = &self.state.engine;
        if self.announcement.is_none() {
            let state = crate::actions::load(&self.state, self.id).await.ok()?;
            let fixed = state
                .procedure
                .auction()
                .is_some_and(|a| a.schedule.is_some());
            if !fixed {
                return None;
            }
            self.announcement = Some(state);
        }
        let state = self.announcement.as_ref()?;
        let bidding = engine.current_bidding(self.id).await.ok()?;
        let organizer = state.organizer_bin.map(|b| b.to_string());
        let who = bid_viewer(self.who.as_ref(), organizer.as_deref());
        let view = AuctionView::of(state, &bidding, who)?;
        let now = engine.now();
        let passed = view.seconds_left(now) == 0;
        if self.last.as_ref() == Some(&(view.clone(), passed)) {
            return None;
        }
        self.last = Some((view.clone(), passed));
        Some(Auction::of(self.id, view, now))
    }
}
