//! Property: random bid sequences against a simple reference model of the round (spec 000-B
//! §8.1, D-15, D-16; L5576–5600; docs/decisions/0703). The model keeps the accepted offers as a
//! plain list and recomputes everything from it: whether an attempt is accepted, the round's
//! end, the winner. The generator is a small deterministic xorshift, so a failure reproduces.

use chrono::{DateTime, Duration, Utc};

use super::bidding::{Stream, at, t0};
use super::world::*;
use zakup_domain::bidding::{BiddingCommand as B, BiddingEvent};
use zakup_domain::money::Money;

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The reference: the accepted offers `(at, bidder, price in tiyn)`, in order.
#[derive(Default)]
struct Model {
    offers: Vec<(DateTime<Utc>, u32, u64)>,
}

impl Model {
    /// `Stream::opened`'s 10 000 000 ₸.
    const START_TIYN: u64 = 1_000_000_000;

    fn best(&self) -> Option<(u32, u64)> {
        let min = self.offers.iter().map(|o| o.2).min()?;
        self.offers.iter().find(|o| o.2 == min).map(|o| (o.1, o.2))
    }

    /// 30 minutes, or 10 minutes after the last offer that was lower than every earlier one.
    fn end(&self) -> DateTime<Utc> {
        let lowering = self
            .offers
            .iter()
            .enumerate()
            .filter(|(i, o)| self.offers[..*i].iter().all(|earlier| o.2 < earlier.2));
        lowering
            .map(|(_, o)| o.0 + Duration::minutes(10))
            .fold(at(30, 0), DateTime::max)
    }

    fn accepts(&self, now: DateTime<Utc>, bidder: u32, price: u64) -> bool {
        let own_last = self
            .offers
            .iter()
            .rev()
            .find(|o| o.1 == bidder)
            .map(|o| o.2);
        now >= t0()
            && now < self.end()
            && price > 0
            && price <= Self::START_TIYN
            && self.best().is_none_or(|(_, best)| price <= best)
            && own_last.is_none_or(|own| price < own)
    }
}

fn run_sequence(seed: u64) {
    let mut rng = XorShift(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let bidders = 2 + u32::try_from(rng.below(5)).unwrap();
    let admitted = bidders - 1; // the last one is never admitted
    let mut stream = Stream::opened(admitted);
    let mut model = Model::default();
    let mut now = t0() - Duration::seconds(30);
    let attempts = rng.below(40);
    for _ in 0..attempts {
        now += Duration::seconds(i64::try_from(rng.below(8 * 60)).unwrap());
        let bidder = 1 + u32::try_from(rng.below(u64::from(bidders))).unwrap();
        let reference = model.best().map_or(Model::START_TIYN, |b| b.1);
        let price = match rng.below(4) {
            0 => reference,
            1 => reference + rng.below(3),
            _ => reference.saturating_sub(1 + rng.below(5_000_000)),
        };
        let accepted = stream
            .run(
                &supplier(bidder),
                now,
                B::Offer {
                    price: Money::from_tiyn(price),
                },
            )
            .is_ok();
        let expected = bidder <= admitted && model.accepts(now, bidder, price);
        assert_eq!(
            accepted, expected,
            "seed {seed}: {bidder} offers {price} at {now}"
        );
        if accepted {
            model.offers.push((now, bidder, price));
        }
        assert_eq!(stream.end(), model.end(), "seed {seed}: the round's end");
    }
    // The round ends at the model's end, not a second before, with the model's winner.
    let end = model.end();
    assert!(
        stream
            .run(&system(), end - Duration::seconds(1), B::End)
            .is_err()
    );
    let events = stream.run(&system(), end.max(now), B::End).unwrap();
    let BiddingEvent::Ended(ended) = &events[0] else {
        panic!("{events:?}")
    };
    assert_eq!(ended.round_end, end, "seed {seed}");
    let winner = ended.winner.as_ref().map(|w| (w.supplier_bin, w.price));
    let expected = model
        .best()
        .map(|(n, tiyn)| (supplier(n).org, Money::from_tiyn(tiyn)));
    assert_eq!(winner, expected, "seed {seed}: the winner");
}

#[test]
fn random_bid_sequences_match_the_reference_model() {
    for seed in 1..=400 {
        run_sequence(seed);
    }
}
