//! The auction's time frame: fixed when the admission protocol is published and shown in its
//! appendix (spec 000-B P4, D-14; L5540–5564), opened at its start (P5, L5572–5574).

use chrono::{DateTime, Duration, NaiveTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::Context;
use crate::error::DomainError;
use crate::method::procedure::OpenTenderProcedure;

/// The first round lasts 30 minutes from the start (D-15, L5576–5580).
pub const ROUND_MINUTES: i64 = 30;
/// Bidding starts at 10:00 Astana time (docs/decisions/0701).
const START_LOCAL_HOUR: u32 = 10;

/// What only an auction has beside the commission's parts it shares with the open tender.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuctionProcedure {
    /// The commission, documentation, discussion and review, as in the open tender.
    pub review: OpenTenderProcedure,
    /// The time frame the admission protocol fixed.
    pub schedule: Option<AuctionScheduled>,
    /// Bidding has begun.
    pub started_at: Option<DateTime<Utc>>,
    /// Bidding has ended, with this outcome.
    pub result: Option<super::result::AuctionResultRecorded>,
}

/// The admission protocol's appendix: when bidding starts and when it ends unless an offer
/// extends it (D-14, D-15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionScheduled {
    pub start: DateTime<Utc>,
    /// The end of the 30-minute round; offers may extend it (D-15).
    pub end: DateTime<Utc>,
    pub scheduled_at: DateTime<Utc>,
}

/// «Опубликовано (проведение аукциона)» (P5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionStarted {
    pub started_at: DateTime<Utc>,
}

impl AuctionScheduled {
    /// The seed shows the frame but not how it is computed (D-14): 10:00 Astana on the first
    /// working day after the day of publication (docs/decisions/0701).
    pub fn on_publication(ctx: &Context) -> Result<Self, DomainError> {
        let calendar = &ctx.calendar;
        let day = calendar.add_working_days(calendar.to_local_date(ctx.now)?, 1)?;
        let at = NaiveTime::from_hms_opt(START_LOCAL_HOUR, 0, 0).expect("a valid time of day");
        let start = calendar.to_utc(day.and_time(at))?;
        Ok(AuctionScheduled {
            start,
            end: start + Duration::minutes(ROUND_MINUTES),
            scheduled_at: ctx.now,
        })
    }
}
