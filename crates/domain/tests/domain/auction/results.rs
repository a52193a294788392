//! The results (spec 000-B P7, §6.4, X1–X7; seed L5588–5594, L5604–5788; decision 0704): the
//! bidding's end reaches the announcement, which forms and publishes the results protocol
//! automatically and completes with the lot's outcome.

use super::bidding::{Stream, at};
use super::world::*;
use super::{C, ProtocolKind, TimedTransition, awaiting_auction};
use zakup_domain::announcement::AnnouncementEvent as E;
use zakup_domain::bidding::{AuctionBiddingEnded, BiddingCommand as B, BiddingEvent};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::status::{AnnouncementStatus as S, ProtocolValidity};

/// An auction in bidding, and its bidding ended after `offers` (supplier, minute, tenge).
fn ended_bidding(offers: &[(u32, i64, u64)]) -> (World, AuctionBiddingEnded) {
    let mut w = awaiting_auction(&[1, 2]);
    w.fire(TimedTransition::StartAuction);
    let mut s = Stream::opened(2);
    for (n, minute, tenge) in offers {
        s.offer(*n, at(*minute, 0), *tenge).unwrap();
    }
    let end = s.end();
    let events = s.run(&system(), end, B::End).unwrap();
    let BiddingEvent::Ended(ended) = events[0].clone() else {
        panic!("{events:?}")
    };
    w.now = w.now.max(end);
    (w, ended)
}

/// An auction completed by its results workflow after `offers`.
pub fn completed(offers: &[(u32, i64, u64)]) -> World {
    let (mut w, ended) = ended_bidding(offers);
    w.run(&system(), C::CompleteAuction { ended });
    w
}

// P7, §6.4 (L5588–5594): at the end the results protocol is formed automatically, published,
// with its content hash in the event; the lowest price holds the lot.
#[test]
fn p7_the_results_protocol_is_formed_automatically_with_its_hash() {
    let (mut w, ended) = ended_bidding(&[(1, 5, 9_500_000), (2, 25, 9_000_000)]);
    let events = w.run(&system(), C::CompleteAuction { ended });
    let formed = events
        .iter()
        .find_map(|e| match e {
            E::ProtocolFormed(f) => Some(f.clone()),
            _ => None,
        })
        .expect("a results protocol");
    assert!(formed.automatic);
    assert_eq!(formed.content.kind, ProtocolKind::Results);
    assert_eq!(formed.content_sha256, formed.content.sha256_hex());
    let bidding = formed.content.bidding.clone().expect("states the bidding");
    assert_eq!(bidding.offers, 2);
    assert_eq!(bidding.winner_application_id, Some(application_id(2)));
    assert_eq!(bidding.winning_price, Some(Money::from_tenge(9_000_000)));
    assert_eq!(bidding.round_end, at(35, 0));
    assert!(events.iter().any(|e| matches!(e, E::ProtocolPublished(_))));
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(2)
        })
    );
    // The lot's plan item is marked by the engine from `ProcurementCompleted`.
    assert!(w.has("ProcurementCompleted"));
}

// §4.1.5 AMBIGUOUS, decision 0704: without any price offer the lot fails, no reason invented.
#[test]
fn without_offers_the_lot_fails() {
    let (mut w, ended) = ended_bidding(&[]);
    w.run(&system(), C::CompleteAuction { ended });
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Failed { reason: None })
    );
}

// The outcome arrives only during bidding, and only from the portal.
#[test]
fn the_outcome_arrives_only_during_bidding_from_the_portal() {
    let (mut w, ended) = ended_bidding(&[(1, 5, 9_500_000)]);
    assert_eq!(
        w.refuse(
            &secretary(),
            C::CompleteAuction {
                ended: ended.clone()
            }
        ),
        "forbidden_role"
    );
    let mut waiting = awaiting_auction(&[1]);
    assert_eq!(
        waiting.refuse(
            &system(),
            C::CompleteAuction {
                ended: ended.clone()
            }
        ),
        "wrong_status"
    );
    w.run(
        &system(),
        C::CompleteAuction {
            ended: ended.clone(),
        },
    );
    // A repeated delivery finds the procurement completed.
    assert_eq!(
        w.refuse(&system(), C::CompleteAuction { ended }),
        "wrong_status"
    );
}

// X1–X3 (L5608–5740): cancellation is possible during bidding; the outcome arriving afterwards
// is refused, so a cancelled auction never completes.
#[test]
fn x1_cancellation_during_bidding_ends_the_procurement() {
    let (mut w, ended) = ended_bidding(&[(1, 5, 9_500_000)]);
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    assert_eq!(w.status(), S::Cancelled);
    assert_eq!(
        w.refuse(&system(), C::CompleteAuction { ended }),
        "wrong_status"
    );
}

// Decision 0702: no suspension once bidding runs.
#[test]
fn bidding_cannot_be_suspended() {
    let (mut w, _) = ended_bidding(&[]);
    assert_eq!(
        w.refuse(
            &secretary(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
}

// X7 (L5770–5788): cancelled after completion, the first results protocol becomes «Не
// действительный» and the new one, with the reason, «Действительный».
#[test]
fn x7_cancellation_after_completion_keeps_both_protocol_versions() {
    let (mut w, ended) = ended_bidding(&[(1, 5, 9_500_000)]);
    w.run(&system(), C::CompleteAuction { ended });
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| p.validity)
        .collect();
    assert_eq!(
        versions,
        [ProtocolValidity::Invalid, ProtocolValidity::Valid]
    );
}
