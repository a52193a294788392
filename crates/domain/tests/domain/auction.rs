//! «Аукцион» (spec 000-B §1.5, seed L3707–5912): the method module on the shared components.
//! One test binary; its parts live in `tests/auction/`.

use crate::world;

#[path = "auction/bidding.rs"]
mod bidding;
#[path = "auction/commission_queries.rs"]
mod commission_queries;
#[path = "auction/drafting.rs"]
mod drafting;
#[path = "auction/no_participants.rs"]
mod no_participants;
#[path = "auction/phases.rs"]
mod phases;
#[path = "auction/properties.rs"]
mod properties;
#[path = "auction/results.rs"]
mod results;
#[path = "auction/scenarios.rs"]
mod scenarios;
#[path = "auction/schemas.rs"]
mod schemas;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::protocol::ProtocolKind;

/// A published primary auction with one lot (world: Monday 2 February 2026).
pub fn published_auction() -> World {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w
}

/// Acceptance ended with suppliers `applicants` on the one lot, at 9 000 000 ₸.
pub fn reviewing_auction(applicants: &[u32]) -> World {
    let mut w = published_auction();
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    for n in applicants {
        w.apply(*n, &[1], 9_000_000);
    }
    w.fire(TimedTransition::EndAcceptance);
    w
}

/// Everyone admitted, the admission protocol formed, signed by a quorum and published.
pub fn awaiting_auction(applicants: &[u32]) -> World {
    let mut w = reviewing_auction(applicants);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission);
    w
}
