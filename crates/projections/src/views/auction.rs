//! The auction's bidding screen and bid history (spec 000-B P4–P7, issue 15 items 6–7): the time
//! frame the admission protocol fixed, the round's current end, the best price and every offer
//! with its rank. Built from the folded announcement and the folded bidding stream, by the read
//! side and by the auditors' as-of replay alike (decision 0505). Who a bid names is the
//! visibility table's rule for the bidding's events ([`visibility::bid_shown`]).

use chrono::{DateTime, Utc};
use zakup_domain::announcement::Announcement;
use zakup_domain::bidding::Bidding;
use zakup_domain::money::Money;

use super::visibility::{self, Viewer};

/// One price offer as the viewer may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BidView {
    /// 1-based place in the order received.
    pub sequence: u32,
    pub price: Money,
    pub offered_at: DateTime<Utc>,
    /// The place among all offers: the lowest price first, the earlier among equals (L5596–5600).
    pub rank: u32,
    /// The bidder, when the viewer may know it (`None`: hidden, decision 0711).
    pub supplier_bin: Option<String>,
    pub application_id: Option<uuid::Uuid>,
    /// The viewer's own offer.
    pub own: bool,
}

/// The auction's time frame, round and bids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuctionView {
    /// When bidding starts and the end of its 30-minute round (the admission protocol's appendix).
    pub start: DateTime<Utc>,
    pub planned_end: DateTime<Utc>,
    /// The round's end as the offers so far moved it; the planned end before bidding opens.
    pub current_end: DateTime<Utc>,
    /// Bidding is over: the instant the portal ended it, or closed it on a cancellation.
    pub ended_at: Option<DateTime<Utc>>,
    /// The lot's allocated amount: no offer may exceed it.
    pub starting_price: Option<Money>,
    pub best_price: Option<Money>,
    pub offers: u32,
    /// The offers, in the order received.
    pub bids: Vec<BidView>,
}

impl AuctionView {
    /// `None` before the admission protocol fixed the time frame, or for another method.
    pub fn of(announcement: &Announcement, bidding: &Bidding, viewer: Viewer<'_>) -> Option<Self> {
        let schedule = announcement.procedure.auction()?.schedule.as_ref()?;
        // A bidding closed by the announcement's cancellation is over too (decision 0715).
        let ended = bidding.over_at().is_some();
        let mut order: Vec<usize> = (0..bidding.offers.len()).collect();
        // A stable sort keeps the order received among equal prices: the earlier ranks first.
        order.sort_by_key(|&i| bidding.offers[i].price);
        let mut ranks = vec![0u32; bidding.offers.len()];
        for (place, &i) in order.iter().enumerate() {
            ranks[i] = count(place + 1);
        }
        let bids = bidding
            .offers
            .iter()
            .zip(ranks)
            .enumerate()
            .map(|(i, (offer, rank))| {
                let bidder = offer.supplier_bin.to_string();
                let own = viewer.org == Some(bidder.as_str());
                let named = visibility::bid_shown(&bidder, ended, viewer);
                BidView {
                    sequence: count(i + 1),
                    price: offer.price,
                    offered_at: offer.offered_at,
                    rank,
                    supplier_bin: named.then(|| bidder.clone()),
                    application_id: named.then_some(offer.application_id.0),
                    own,
                }
            })
            .collect();
        Some(AuctionView {
            start: schedule.start,
            planned_end: schedule.end,
            current_end: bidding
                .ended
                .as_ref()
                .map(|e| e.round_end)
                .or(bidding.round.map(|r| r.end()))
                .unwrap_or(schedule.end),
            ended_at: bidding.over_at(),
            starting_price: bidding.opened.as_ref().map(|o| o.starting_price),
            best_price: bidding.best.map(|b| b.price),
            offers: count(bidding.offers.len()),
            bids,
        })
    }

    /// Seconds until the round's current end at `now` (0 once it has passed or bidding ended).
    pub fn seconds_left(&self, now: DateTime<Utc>) -> i64 {
        if self.ended_at.is_some() {
            return 0;
        }
        (self.current_end - now).num_seconds().max(0)
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
