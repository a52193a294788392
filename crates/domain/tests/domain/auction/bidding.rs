//! The bidding round (spec 000-B P5–P7, D-15, D-16, §8.1 and scenario S20; seed L5572–5600;
//! the readings of docs/decisions/0703), on the bidding's own stream.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use super::world::*;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::bidding::{Bidding, BiddingCommand as B, BiddingEvent, Participant};
use zakup_domain::money::Money;

/// T0: 10:00 Astana.
pub fn t0() -> DateTime<Utc> {
    astana("2026-03-02 10:00")
}

pub fn at(minutes: i64, seconds: i64) -> DateTime<Utc> {
    t0() + Duration::minutes(minutes) + Duration::seconds(seconds)
}

pub fn participant(n: u32) -> Participant {
    Participant {
        supplier_bin: supplier(n).org,
        application_id: application_id(n),
    }
}

/// A bidding stream, each event round-tripped through its stored form.
pub struct Stream {
    pub events: Vec<BiddingEvent>,
}

impl Stream {
    /// Opened at T0 for suppliers 1..=n, starting at 10 000 000 ₸.
    pub fn opened(n: u32) -> Self {
        let mut s = Stream { events: Vec::new() };
        s.run(
            &system(),
            t0(),
            B::Open {
                announcement_id: Uuid::from_u128(0x2026),
                plan_item_id: plan_item(1),
                participants: (1..=n).map(participant).collect(),
                starting_price: Money::from_tenge(10_000_000),
                start: t0(),
            },
        )
        .unwrap();
        s
    }

    pub fn state(&self) -> Bidding {
        Bidding::fold(&self.events)
    }

    pub fn run(
        &mut self,
        actor: &Actor,
        now: DateTime<Utc>,
        command: B,
    ) -> Result<Vec<BiddingEvent>, &'static str> {
        let ctx = Context {
            now,
            actor: actor.clone(),
            calendar: calendar(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        };
        let events = self.state().decide(command, &ctx).map_err(|e| e.code)?;
        for event in &events {
            let (t, v, payload) = event.to_stored();
            let decoded = BiddingEvent::from_stored(t, v, &payload).expect("decodes");
            assert_eq!(&decoded, event);
            self.events.push(decoded);
        }
        Ok(events)
    }

    /// Supplier `n` offers `tenge` at `now`.
    pub fn offer(&mut self, n: u32, now: DateTime<Utc>, tenge: u64) -> Result<(), &'static str> {
        self.run(
            &supplier(n),
            now,
            B::Offer {
                price: Money::from_tenge(tenge),
            },
        )
        .map(|_| ())
    }

    pub fn end(&self) -> DateTime<Utc> {
        self.state().round.expect("opened").end()
    }

    pub fn winner(&mut self, now: DateTime<Utc>) -> Option<(u32, Money)> {
        let events = self.run(&system(), now, B::End).expect("ends");
        let BiddingEvent::Ended(ended) = &events[0] else {
            panic!("{events:?}")
        };
        ended.winner.as_ref().map(|w| {
            let n = (1..=100)
                .find(|n| supplier(*n).org == w.supplier_bin)
                .unwrap();
            (n, w.price)
        })
    }
}

pub fn tg(tenge: u64) -> Money {
    Money::from_tenge(tenge)
}

// S20 (a), D-16 (L5588–5590): no offer in 30 minutes, the auction ends at T0+30.
#[test]
fn s20a_without_offers_the_auction_ends_after_30_minutes() {
    let mut s = Stream::opened(2);
    assert_eq!(s.end(), at(30, 0));
    assert_eq!(
        s.run(&system(), at(29, 59), B::End).unwrap_err(),
        "too_early"
    );
    assert_eq!(s.offer(1, at(30, 0), 9_000_000), Err("auction_ended"));
    assert_eq!(s.winner(at(30, 0)), None);
    assert_eq!(s.offer(1, at(31, 0), 9_000_000), Err("auction_ended"));
    assert_eq!(
        s.run(&system(), at(31, 0), B::End).unwrap_err(),
        "auction_ended"
    );
}

// S20 (b), D-15 (L5576–5586): offers at T0+5 and T0+25 end it at T0+35.
#[test]
fn s20b_an_offer_after_minute_20_extends_past_the_30_minute_mark() {
    let mut s = Stream::opened(2);
    s.offer(1, at(5, 0), 9_500_000).unwrap();
    assert_eq!(
        s.end(),
        at(30, 0),
        "10 minutes after 10:05 is before the mark"
    );
    s.offer(2, at(25, 0), 9_000_000).unwrap();
    assert_eq!(s.end(), at(35, 0));
    assert_eq!(s.winner(at(35, 0)), Some((2, tg(9_000_000))));
}

// S20 (c): a lower offer at T0+34 ends it at T0+44; each lower offer restarts the 10 minutes.
// The spec's example reaches T0+34 only with (b)'s offer at T0+25 before it: after an offer at
// T0+5 alone the round ends at T0+30 (the max formula of §8.1).
#[test]
fn s20c_a_lower_offer_in_the_extension_restarts_it() {
    let mut alone = Stream::opened(2);
    alone.offer(1, at(5, 0), 10_000_000).unwrap();
    assert_eq!(alone.offer(2, at(31, 0), 9_500_000), Err("auction_ended"));
    let mut s = Stream::opened(2);
    s.offer(1, at(5, 0), 10_000_000).unwrap();
    s.offer(2, at(25, 0), 9_800_000).unwrap();
    s.offer(2, at(34, 0), 9_500_000).unwrap();
    assert_eq!(s.end(), at(44, 0));
    s.offer(1, at(43, 59), 9_400_000).unwrap();
    assert_eq!(s.end(), at(53, 59));
    assert_eq!(s.offer(2, at(53, 59), 9_000_000), Err("auction_ended"));
    assert_eq!(s.winner(at(54, 0)), Some((1, tg(9_400_000))));
}

// S20 (d), L5596–5600: an equal price is accepted, and the earlier offer is the better one.
#[test]
fn s20d_an_equal_price_is_accepted_and_the_earlier_offer_wins() {
    let mut s = Stream::opened(2);
    s.offer(1, at(12, 0), 9_000_000).unwrap();
    s.offer(2, at(15, 0), 9_000_000).unwrap();
    assert_eq!(s.state().offers.len(), 2);
    assert_eq!(s.winner(at(30, 0)), Some((1, tg(9_000_000))));
}

// Decision 0703: an equal offer does not extend the round; only a lower price does
// («не поступают ценовые предложения с более низкой ценой», L5582–5586).
#[test]
fn an_equal_offer_does_not_extend_the_round() {
    let mut s = Stream::opened(2);
    s.offer(1, at(29, 0), 9_000_000).unwrap();
    assert_eq!(s.end(), at(39, 0));
    s.offer(2, at(38, 0), 9_000_000).unwrap();
    assert_eq!(s.end(), at(39, 0));
    assert_eq!(s.winner(at(39, 0)), Some((1, tg(9_000_000))));
}

// Decision 0703: an offer may not be above the current best, and must be below the bidder's
// own last offer; any lower amount is a valid step (one tiyn).
#[test]
fn an_offer_is_at_most_the_best_and_below_ones_own_last() {
    let mut s = Stream::opened(3);
    s.offer(1, at(1, 0), 9_000_000).unwrap();
    assert_eq!(
        s.offer(2, at(2, 0), 9_000_001),
        Err("price_above_best_offer")
    );
    assert_eq!(
        s.offer(1, at(2, 0), 9_000_000),
        Err("price_not_below_own_offer")
    );
    assert_eq!(
        s.offer(1, at(2, 0), 9_100_000),
        Err("price_above_best_offer")
    );
    // One tiyn lower is enough.
    s.run(
        &supplier(1),
        at(3, 0),
        B::Offer {
            price: Money::from_tiyn(899_999_999),
        },
    )
    .unwrap();
    assert_eq!(
        s.state().best.map(|b| b.price),
        Some(Money::from_tiyn(899_999_999))
    );
}

// Decision 0703: the starting price is the lot's allocated amount; no offer exceeds it.
#[test]
fn the_starting_price_bounds_the_first_offer() {
    let mut s = Stream::opened(2);
    assert_eq!(
        s.offer(1, at(1, 0), 10_000_001),
        Err("price_above_starting_price")
    );
    assert_eq!(s.offer(1, at(1, 0), 0), Err("offer_price_zero"));
    // Equal to the starting price is allowed: the first offer sets the price and, as the last
    // offer with none lower after it, extends the round like any first offer.
    s.offer(1, at(25, 0), 10_000_000).unwrap();
    assert_eq!(s.end(), at(35, 0));
}

// P6 (L5576): only admitted suppliers bid; nobody bids before the start or after the end.
#[test]
fn only_admitted_suppliers_bid_within_the_round() {
    let mut s = Stream::opened(2);
    assert_eq!(
        s.offer(3, at(1, 0), 9_000_000),
        Err("not_an_auction_participant")
    );
    assert_eq!(
        s.run(
            &organizer(),
            at(1, 0),
            B::Offer {
                price: Money::from_tenge(1)
            }
        )
        .unwrap_err(),
        "forbidden_role"
    );
    assert_eq!(s.offer(1, at(-1, 0), 9_000_000), Err("auction_not_started"));
    assert_eq!(
        Stream { events: Vec::new() }.offer(1, at(1, 0), 9_000_000),
        Err("bidding_not_opened")
    );
    assert_eq!(
        s.run(&supplier(1), at(1, 0), B::End).unwrap_err(),
        "forbidden_role"
    );
}

// Bidding opens once, by the portal, with at least one admitted supplier.
#[test]
fn bidding_opens_once_with_participants() {
    let mut s = Stream::opened(1);
    let open = |participants| B::Open {
        announcement_id: Uuid::from_u128(0x2026),
        plan_item_id: plan_item(1),
        participants,
        starting_price: Money::from_tenge(1),
        start: t0(),
    };
    assert_eq!(
        s.run(&system(), t0(), open(vec![participant(1)]))
            .unwrap_err(),
        "bidding_already_opened"
    );
    let mut empty = Stream { events: Vec::new() };
    assert_eq!(
        empty.run(&system(), t0(), open(vec![])).unwrap_err(),
        "no_participants"
    );
    assert_eq!(
        empty
            .run(&supplier(1), t0(), open(vec![participant(1)]))
            .unwrap_err(),
        "forbidden_role"
    );
}

// X1–X3 (L5608–5740), decision 0715: the bidding of an announcement cancelled during it is closed
// by the portal; afterwards no offer is taken and the round never ends with a winner.
#[test]
fn a_closed_bidding_takes_no_offer_and_names_no_winner() {
    assert_eq!(
        Stream { events: Vec::new() }
            .run(&system(), at(1, 0), B::Close)
            .map(|_| ()),
        Err("bidding_not_opened")
    );
    let mut s = Stream::opened(2);
    s.offer(1, at(5, 0), 9_500_000).unwrap();
    assert_eq!(
        s.run(&supplier(1), at(6, 0), B::Close).map(|_| ()),
        Err("forbidden_role")
    );
    s.run(&system(), at(6, 0), B::Close).unwrap();
    assert_eq!(s.state().over_at(), Some(at(6, 0)));
    assert_eq!(s.offer(2, at(7, 0), 9_000_000), Err("bidding_closed"));
    assert_eq!(
        s.run(&system(), at(40, 0), B::End).map(|_| ()),
        Err("bidding_closed")
    );
    assert_eq!(
        s.run(&system(), at(41, 0), B::Close).map(|_| ()),
        Err("bidding_closed")
    );
    // A round that has ended is not closed afterwards: its winner stands.
    let mut ended = Stream::opened(1);
    ended.run(&system(), at(30, 0), B::End).unwrap();
    assert_eq!(
        ended.run(&system(), at(31, 0), B::Close).map(|_| ()),
        Err("auction_ended")
    );
}
