//! Workload 7 (issue 15, "Performance"): 16 bidders offering prices concurrently on one
//! auction's bidding stream (`Engine::bidding`, decision 0703), against one-row inserts of the
//! same event from 16 clients with sqlx.
//!
//! Every offer goes to the same stream, so concurrent offers contend on its version: the engine
//! re-decides a conflicting append on the new fold (at most five times), and an offer that a
//! faster bidder's lower price overtook is refused (`price_above_best_offer`), as a real
//! bidder's would be. Prices come from one shared counter, one tiyn lower each, so most offers
//! are accepted; the figure is the accepted offers per second and their latency.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::bidding::{Bidding, BiddingCommand, Participant};
use zakup_domain::money::Money;
use zakup_engine::{Engine, EngineError};
use zakup_store::{NewEvent, StreamRange};

use crate::Result;
use crate::commands::meta;
use crate::world::{application_id, plan_item, supplier, system};

pub const BIDDERS: u32 = 16;
/// The lot's allocated amount, in tiyn: room for a billion one-tiyn steps.
const STARTING_TIYN: u64 = 100_000_000_000;

/// What the bidders did.
pub struct Measured {
    /// Accepted offers per second.
    pub rate: f64,
    /// Offers refused because another bidder's lower price got there first (or the stream was
    /// contended past the engine's retries).
    pub refused: u64,
    /// Latencies of the accepted offers, ms, sorted.
    pub latencies: Vec<f64>,
}

/// Opens bidding on a new auction at `start` for the 16 bidders; its id.
pub async fn open(engine: &Engine, start: DateTime<Utc>) -> Result<Uuid> {
    let id = Uuid::new_v4();
    let participants = (1..=BIDDERS)
        .map(|n| Participant {
            supplier_bin: supplier(n).org,
            application_id: application_id(id, n),
        })
        .collect();
    let open = BiddingCommand::Open {
        announcement_id: id,
        plan_item_id: plan_item(1),
        participants,
        starting_price: Money::from_tiyn(STARTING_TIYN),
        start,
    };
    engine.bidding(id, &meta(system()), open).await?;
    Ok(id)
}

/// The 16 bidders offer for `duration`, each as fast as its offers are answered.
pub async fn bid(engine: &Engine, id: Uuid, duration: Duration) -> Result<Measured> {
    let ticket = Arc::new(AtomicU64::new(1));
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = (1..=BIDDERS)
        .map(|n| {
            let (engine, ticket) = (engine.clone(), ticket.clone());
            tokio::spawn(async move {
                let bidder = supplier(n);
                let (mut latencies, mut refused) = (Vec::new(), 0u64);
                while Instant::now() < end {
                    let step = ticket.fetch_add(1, Ordering::Relaxed);
                    let price = Money::from_tiyn(STARTING_TIYN - step);
                    let sent = Instant::now();
                    let offer = BiddingCommand::Offer { price };
                    match engine.bidding(id, &meta(bidder.clone()), offer).await {
                        Ok(_) => latencies.push(sent.elapsed().as_secs_f64() * 1000.0),
                        Err(EngineError::Refused(_) | EngineError::Contended { .. }) => {
                            refused += 1
                        }
                        Err(e) => return Err(crate::Error::from(e)),
                    }
                }
                Ok((latencies, refused))
            })
        })
        .collect();
    let (mut latencies, mut refused) = (Vec::new(), 0);
    for t in tasks {
        let (mine, no) = t.await??;
        latencies.extend(mine);
        refused += no;
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(Measured {
        rate,
        refused,
        latencies,
    })
}

/// One accepted offer as the store holds it: the raw baseline inserts the same row.
pub async fn sample(engine: &Engine, id: Uuid) -> Result<NewEvent> {
    let stream = Engine::stream::<Bidding>(&id.to_string())?;
    let recorded = engine
        .store()
        .read_stream(&stream, StreamRange::all())
        .await?;
    let offer = recorded
        .into_iter()
        .find(|e| e.event_type == "AuctionPriceOffered")
        .ok_or("no offer was accepted")?;
    Ok(NewEvent {
        event_id: offer.event_id,
        event_type: offer.event_type,
        schema_version: offer.schema_version,
        payload: offer.payload,
        metadata: offer.metadata,
    })
}
