//! The bidding round's clock and ranking (spec 000-B §8.1, D-15, D-16; seed L5576–5600), as
//! plain values: the decider and the read models derive the end and the best offer from them.

use chrono::{DateTime, Duration, Utc};

use crate::application::ApplicationId;
use crate::ident::Bin;
use crate::method::auction::schedule::ROUND_MINUTES;
use crate::money::Money;

/// After the 30-minute mark the round runs until 10 minutes after the last lowering offer
/// (L5578–5586).
pub const EXTENSION_MINUTES: i64 = 10;

/// When the round ends: 30 minutes after the start, or 10 minutes after the last offer that
/// lowered the price, whichever is later (D-15, D-16; docs/decisions/0703).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub start: DateTime<Utc>,
    /// The instant of the last offer that lowered the current price.
    pub last_lowering: Option<DateTime<Utc>>,
}

impl Round {
    pub fn new(start: DateTime<Utc>) -> Self {
        Round {
            start,
            last_lowering: None,
        }
    }

    /// The first instant at which no offer is taken any more.
    pub fn end(&self) -> DateTime<Utc> {
        let first = self.start + Duration::minutes(ROUND_MINUTES);
        self.last_lowering.map_or(first, |at| {
            first.max(at + Duration::minutes(EXTENSION_MINUTES))
        })
    }

    pub fn is_open_at(&self, now: DateTime<Utc>) -> bool {
        self.start <= now && now < self.end()
    }
}

/// A recorded offer as the ranking reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ranked {
    pub supplier_bin: Bin,
    pub application_id: ApplicationId,
    pub price: Money,
    pub offered_at: DateTime<Utc>,
}

impl Ranked {
    /// Whether `self` beats `other`: a lower price, or the same price received earlier
    /// (L5596–5600). Offers are ranked in the stream's order, so "earlier" is "first recorded".
    pub fn beats(&self, other: &Ranked) -> bool {
        self.price < other.price
    }
}
