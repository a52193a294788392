//! The bidding's outcome as the announcement learns it (spec 000-B P7, §6.4; seed L5588–5594):
//! recorded, then the results protocol is formed and published automatically and the
//! procurement completes with the lot's outcome (docs/decisions/0704).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::Announcement;
use crate::bidding::{AuctionBiddingEnded, AuctionWinner, BiddingCommand, Participant};
use crate::lot::LotOutcome;
use crate::plan_item::PlanItemId;
use crate::status::{AdmissionDecision, AnnouncementStatus};

/// The bidding's end, copied from the bidding stream by the results workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuctionResultRecorded {
    pub round_end: DateTime<Utc>,
    pub winner: Option<AuctionWinner>,
    pub offers: u32,
    pub recorded_at: DateTime<Utc>,
}

impl AuctionResultRecorded {
    pub fn of(ended: &AuctionBiddingEnded, now: DateTime<Utc>) -> Self {
        AuctionResultRecorded {
            round_end: ended.round_end,
            winner: ended.winner.clone(),
            offers: ended.offers,
            recorded_at: now,
        }
    }

    /// The best offer holds the lot; with no price offer the lot fails, with no reason the
    /// spec names (§4.1.5 AMBIGUOUS, decision 0704).
    pub fn outcome(&self) -> LotOutcome {
        match &self.winner {
            Some(winner) => LotOutcome::Held {
                winner: winner.application_id,
            },
            None => LotOutcome::Failed { reason: None },
        }
    }
}

impl Announcement {
    /// The outcomes of an auction nobody may bid in: no application admitted on its lot, after
    /// the first review (all rejected without resubmission) or the re-review. The lot fails
    /// «нет допущенных заявок» (`MethodRules::fails`) instead of waiting for a bidding that
    /// could never take an offer (docs/decisions/0716). `None` when someone is admitted.
    pub fn auction_without_participants(&self) -> Option<BTreeMap<PlanItemId, LotOutcome>> {
        let outcomes = self.compute_outcomes();
        let held = outcomes
            .values()
            .any(|o| matches!(o, LotOutcome::Held { .. }));
        (!held).then_some(outcomes)
    }

    /// The command that opens the bidding stream, once the auction has started (P5): its one
    /// lot, the suppliers admitted on it, the lot's amount as the starting price (decision
    /// 0703). `None` before the start, after the end, or for another method.
    pub fn bidding_opening(&self) -> Option<BiddingCommand> {
        if self.status != Some(AnnouncementStatus::PublishedAuctionInProgress) {
            return None;
        }
        let schedule = self.procedure.auction()?.schedule.as_ref()?;
        let lot = self.active_lots().next()?;
        let id = lot.plan_item_id();
        let participants = self
            .applications_on(id)
            .filter(|a| {
                self.voting().decisions.get(&(a.id, id.clone()))
                    == Some(&AdmissionDecision::Admitted)
            })
            .map(|a| Participant {
                supplier_bin: a.supplier_bin,
                application_id: a.id,
            })
            .collect();
        Some(BiddingCommand::Open {
            announcement_id: self.id?,
            plan_item_id: id.clone(),
            participants,
            starting_price: lot.source.amount,
            start: schedule.start,
        })
    }
}
