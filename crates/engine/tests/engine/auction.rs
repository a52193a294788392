//! The auction's bidding stream and its results workflow on PostgreSQL (spec 000-B P5–P7;
//! docs/decisions/0703–0705): the runner opens the bidding, ends the round, and brings the end
//! to the announcement, whose results complete the plan item; a crash between the steps is
//! completed by a restarted runner; 20 suppliers bid concurrently near the end of the round; the
//! auction's OCDS releases (issue 23) are valid and award the winning bid; an auction nobody was
//! admitted to fails without bidding (decision 0716).

use crate::support;

use std::sync::Arc;

use chrono::Duration;
use support::world::*;
use support::*;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C, TimedTransition};
use zakup_domain::bidding::{Bidding, BiddingCommand as B, BiddingEvent};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItem;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AnnouncementStatus, PlanItemStatus};
use zakup_engine::{AuctionRunner, AuctionStep, Engine, EngineError, Halt, ProcessStep};
use zakup_store::{SharedStore, StreamRange};

const BIDDERS: u32 = 20;

/// An auction whose `bidders` suppliers were admitted and whose bidding has started, stored as
/// the engine would have left it, its plan item reserved.
async fn bidding_auction(
    store: &SharedStore,
    bidders: u32,
) -> (Scenario, chrono::DateTime<chrono::Utc>) {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    for n in 1..=bidders {
        w.apply(n, &[1], 9_000_000);
    }
    w.fire(TimedTransition::EndAcceptance);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission);
    w.fire(TimedTransition::StartAuction);
    let start = w.now;
    let scenario = stored(store, &w, 1).await;
    (scenario, start)
}

fn runner(engine: &Engine) -> AuctionRunner {
    AuctionRunner::new(engine.clone(), system())
}

async fn announcement(engine: &Engine, id: uuid::Uuid) -> Announcement {
    engine
        .load::<Announcement>(&id.to_string(), StreamRange::all())
        .await
        .unwrap()
        .state
}

async fn plan_item_status(engine: &Engine) -> Option<PlanItemStatus> {
    engine
        .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
        .await
        .unwrap()
        .state
        .status
}

fn steps(advanced: &[zakup_engine::AuctionAdvanced]) -> Vec<AuctionStep> {
    advanced
        .iter()
        .flat_map(|a| a.result.as_ref().cloned().unwrap_or_default())
        .collect()
}

// P5–P7, X: the workflow from the start to the completed procurement, and the plan item held.
#[tokio::test]
async fn the_runner_opens_ends_and_completes_the_auction() {
    let store = postgres().await;
    let (scenario, start) = bidding_auction(&store, 3).await;
    let id = scenario.announcement;
    let engine = engine_on(&store, &scenario.clock);
    readable(&store).await;
    let runner = runner(&engine);
    assert_eq!(steps(&runner.tick().await.unwrap()), [AuctionStep::Opened]);
    scenario.clock.set(start + Duration::minutes(10));
    for (n, tenge) in [(1, 8_900_000), (2, 8_800_000)] {
        engine
            .bidding(
                id,
                &meta(&supplier(n)),
                B::Offer {
                    price: Money::from_tenge(tenge),
                },
            )
            .await
            .unwrap();
    }
    assert!(
        steps(&runner.tick().await.unwrap()).is_empty(),
        "the round runs"
    );
    scenario.clock.set(start + Duration::minutes(30));
    readable(&store).await;
    assert_eq!(
        steps(&runner.tick().await.unwrap()),
        [AuctionStep::Ended, AuctionStep::Completed]
    );
    let state = announcement(&engine, id).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(2)
        })
    );
    assert_eq!(
        plan_item_status(&engine).await,
        Some(PlanItemStatus::ProcurementHeld)
    );
    readable(&store).await;
    assert!(
        steps(&runner.tick().await.unwrap()).is_empty(),
        "nothing left to do"
    );
}

// Issue 23, decision 0783: the auction's releases, from a run through the runner and rebuilt by
// the OCDS read model, make valid OCDS 1.1.5 packages (with the lots, bids and Zakup extensions);
// the award's value is the winning bid (0703), not the application's price.
#[tokio::test]
async fn an_auction_publishes_valid_ocds() {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(4)
        .connect(&db.url)
        .await
        .unwrap();
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .unwrap();
    let (scenario, start) = bidding_auction(&store, 2).await;
    let id = scenario.announcement;
    let engine = engine_on(&store, &scenario.clock);
    readable(&store).await;
    let runner = runner(&engine);
    runner.tick().await.unwrap();
    scenario.clock.set(start + Duration::minutes(10));
    engine
        .bidding(
            id,
            &meta(&supplier(2)),
            B::Offer {
                price: Money::new("8750000.50".parse().unwrap()).unwrap(),
            },
        )
        .await
        .unwrap();
    scenario.clock.set(start + Duration::minutes(30));
    readable(&store).await;
    runner.tick().await.unwrap();
    readable(&store).await;

    zakup_projections::migrate(&pool).await.unwrap();
    let ocds = zakup_projections::ocds::Ocds::new();
    zakup_projections::rebuild(&pool, store.as_ref(), &ocds, |_, _| {})
        .await
        .unwrap();
    let ocid = zakup_ocds::ocid(id);
    let releases = zakup_projections::ocds::releases_of(&pool, &ocid)
        .await
        .unwrap();
    let publication = zakup_ocds::Publication {
        uri: format!("http://zakup.test/ocds/records/{ocid}"),
        base_url: "http://zakup.test".into(),
    };
    let v = zakup_ocds::validation::Validator::new();
    v.release_package(&zakup_ocds::release_package(releases.clone(), &publication))
        .unwrap();
    let record = zakup_ocds::record_package(&ocid, releases, &publication);
    v.record_package(&record).unwrap();
    let compiled = &record["records"][0]["compiledRelease"];
    assert_eq!(compiled["tender"]["portalMethod"], "auction");
    assert_eq!(compiled["tender"]["status"], "complete");
    assert_eq!(compiled["awards"][0]["status"], "active");
    assert_eq!(
        compiled["awards"][0]["value"]["amount"],
        serde_json::json!(8750000.5)
    );
    assert_eq!(
        compiled["bids"]["details"].as_array().map(Vec::len),
        Some(2)
    );
}

// X1–X3 (L5608–5740), decision 0715: an auction cancelled during bidding has its bidding closed
// by the runner; an offer afterwards is refused, and nothing completes.
#[tokio::test]
async fn a_cancellation_during_bidding_closes_the_bidding() {
    let store = postgres().await;
    let (scenario, start) = bidding_auction(&store, 2).await;
    let id = scenario.announcement;
    let engine = engine_on(&store, &scenario.clock);
    readable(&store).await;
    let runner = runner(&engine);
    assert_eq!(steps(&runner.tick().await.unwrap()), [AuctionStep::Opened]);
    scenario.clock.set(start + Duration::minutes(5));
    let offer = |tenge| B::Offer {
        price: Money::from_tenge(tenge),
    };
    engine
        .bidding(id, &meta(&supplier(1)), offer(8_900_000))
        .await
        .unwrap();
    let cancel = C::CancelLots {
        plan_item_ids: vec![plan_item(1)],
        act: act(Body::Court, ActType::Decision),
    };
    engine
        .announcement(id, &meta(&secretary()), cancel)
        .await
        .unwrap();
    readable(&store).await;
    assert_eq!(steps(&runner.tick().await.unwrap()), [AuctionStep::Closed]);
    let refused = engine
        .bidding(id, &meta(&supplier(2)), offer(8_800_000))
        .await
        .unwrap_err();
    assert_eq!(refused.code(), "bidding_closed");
    scenario.clock.set(start + Duration::minutes(40));
    readable(&store).await;
    assert!(
        steps(&runner.tick().await.unwrap()).is_empty(),
        "nothing left to do"
    );
    let state = announcement(&engine, id).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Cancelled));
}

// Decision 0716 (L7478–7482): the admission protocol published with nobody admitted fails the
// procurement through the engine, the plan item «Закупка не состоялась»; the runner has nothing
// to open.
#[tokio::test]
async fn an_auction_with_nobody_admitted_fails_and_frees_its_plan_item() {
    let store = postgres().await;
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.fire(TimedTransition::EndAcceptance);
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, veto_common(&[plan_item(1)]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    for signer in [secretary(), chairman(), member_a()] {
        w.sign(&signer, ProtocolKind::Admission).unwrap();
    }
    let scenario = stored(&store, &w, 1).await;
    let id = scenario.announcement;
    let engine = engine_on(&store, &scenario.clock);
    let publish = C::PublishProtocol {
        kind: ProtocolKind::Admission,
    };
    engine
        .announcement(id, &meta(&secretary()), publish)
        .await
        .unwrap();
    let state = announcement(&engine, id).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Completed));
    assert_eq!(
        plan_item_status(&engine).await,
        Some(PlanItemStatus::ProcurementFailed)
    );
    readable(&store).await;
    assert!(
        steps(&runner(&engine).tick().await.unwrap()).is_empty(),
        "no bidding to open"
    );
}

// Decision 0705: an engine that dies after ending the round, before the announcement learns it,
// leaves a step that a restarted runner completes.
#[tokio::test]
async fn a_crash_after_the_round_ends_is_completed_on_restart() {
    let store = postgres().await;
    let (scenario, start) = bidding_auction(&store, 2).await;
    let id = scenario.announcement;
    let halt: Halt = Arc::new(|step| step == ProcessStep::BiddingEnded);
    let dying = engine_on(&store, &scenario.clock).halting(halt);
    readable(&store).await;
    runner(&dying).tick().await.unwrap();
    dying
        .bidding(
            id,
            &meta(&supplier(1)),
            B::Offer {
                price: Money::from_tenge(8_000_000),
            },
        )
        .await
        .unwrap();
    scenario.clock.set(start + Duration::minutes(31));
    readable(&store).await;
    let advanced = runner(&dying).tick().await.unwrap();
    assert!(
        matches!(advanced[0].result, Err(EngineError::Store(_))),
        "{advanced:?}"
    );
    let bidding = dying.current_bidding(id).await.unwrap();
    assert!(bidding.ended.is_some(), "the round's end is recorded");
    assert_eq!(
        announcement(&dying, id).await.status,
        Some(AnnouncementStatus::PublishedAuctionInProgress)
    );
    // A new engine on the same database: the runner finds the step left and completes it.
    let restarted = engine_on(&store, &scenario.clock);
    let advanced = runner(&restarted).tick().await.unwrap();
    assert_eq!(steps(&advanced), [AuctionStep::Completed]);
    let state = announcement(&restarted, id).await;
    assert_eq!(state.status, Some(AnnouncementStatus::Completed));
    assert_eq!(
        plan_item_status(&restarted).await,
        Some(PlanItemStatus::ProcurementHeld)
    );
}

// Issue 15 tests: 20 suppliers bid concurrently near the end of the round. The winner and every
// extension follow from the order of the events; no accepted offer is lost and no refused one
// recorded.
#[tokio::test]
async fn twenty_concurrent_bidders_near_the_end_of_the_round() {
    let store = postgres().await;
    let (scenario, start) = bidding_auction(&store, BIDDERS).await;
    let id = scenario.announcement;
    let engine = engine_on(&store, &scenario.clock);
    readable(&store).await;
    runner(&engine).tick().await.unwrap();
    scenario
        .clock
        .set(start + Duration::minutes(29) + Duration::seconds(50));
    let mut tasks = Vec::new();
    for n in 1..=BIDDERS {
        let engine = engine.clone();
        tasks.push(tokio::spawn(async move {
            let mut accepted = 0u32;
            // Each bidder tries three prices, lower each time, interleaved with the others.
            for k in 0..3u64 {
                let tenge = 8_000_000 - u64::from(n) * 1_000 - k * 37_000;
                let offer = B::Offer {
                    price: Money::from_tenge(tenge),
                };
                match engine.bidding(id, &meta(&supplier(n)), offer).await {
                    Ok(_) => accepted += 1,
                    // Refused by the rules, or lost every race: nothing recorded either way.
                    Err(EngineError::Refused(_) | EngineError::Contended { .. }) => {}
                    Err(e) => panic!("bidder {n}: {e:?}"),
                }
            }
            accepted
        }));
    }
    let mut accepted = 0;
    for task in tasks {
        accepted += task.await.unwrap();
    }
    let loaded = engine
        .load::<Bidding>(&id.to_string(), StreamRange::all())
        .await
        .unwrap();
    let events: Vec<BiddingEvent> = loaded
        .events
        .iter()
        .map(|e| zakup_engine::decode::<Bidding>(e).unwrap())
        .collect();
    let offered: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            BiddingEvent::Offered(o) => Some(o.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        offered.len() as u32,
        accepted,
        "every accepted offer, and only those"
    );
    assert!(accepted > 0);
    // Replayed in the stream's order, every offer was at most the best before it, the round's
    // end each one recorded is the rule's, and the winner is the first at the lowest price.
    let mut best: Option<Money> = None;
    let mut end = start + Duration::minutes(30);
    for o in &offered {
        assert!(best.is_none_or(|b| o.price <= b), "{o:?} above the best");
        if best.is_none_or(|b| o.price < b) {
            end = end.max(o.offered_at + Duration::minutes(10));
            best = Some(o.price);
        }
        assert_eq!(o.round_end, end);
    }
    let state = loaded.state;
    assert_eq!(state.round.unwrap().end(), end);
    let lowest = offered.iter().map(|o| o.price).min().unwrap();
    let first_lowest = offered.iter().find(|o| o.price == lowest).unwrap();
    assert_eq!(state.best.unwrap().supplier_bin, first_lowest.supplier_bin);
    assert_eq!(state.best.unwrap().price, lowest);
}
