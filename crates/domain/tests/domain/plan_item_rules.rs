//! The plan item aggregate: customer requests and the lot pool (decision 0201).

use crate::world;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use world::*;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::plan_item::{
    PlanItem, PlanItemCommand as P, PlanItemEvent, PlanItemId, ReleaseReason, RevisedOutcome,
};
use zakup_domain::status::PlanItemStatus;

struct Item {
    now: DateTime<Utc>,
    events: Vec<PlanItemEvent>,
}

impl Item {
    /// A plan item the customer asked its organizer to procure.
    fn requested() -> Item {
        let mut item = Item {
            now: astana("2026-02-02 09:00"),
            events: Vec::new(),
        };
        item.run(&customer(), request()).unwrap();
        item
    }

    fn state(&self) -> PlanItem {
        PlanItem::fold(&self.events)
    }

    fn run(&mut self, actor: &Actor, command: P) -> Result<Vec<PlanItemEvent>, &'static str> {
        let ctx = Context {
            now: self.now,
            actor: actor.clone(),
            calendar: calendar(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        };
        let events = self.state().decide(command, &ctx).map_err(|e| e.code)?;
        self.events.extend(events.iter().cloned());
        Ok(events)
    }
}

fn request() -> P {
    P::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Бумага".into(),
        // The world's lots are 10 000 000 ₸: a lot is its request (decision 0634).
        amount: Money::from_tenge(10_000_000),
    }
}

fn announcement(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn reserve(n: u128, procurement_type: ProcurementType) -> P {
    P::Reserve {
        announcement_id: announcement(n),
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    }
}

// Decision 0201: a second active reservation is refused.
#[test]
fn a_plan_item_is_held_by_one_announcement_at_a_time() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    assert_eq!(
        item.run(&organizer(), reserve(2, ProcurementType::First)),
        Err("plan_item_reserved")
    );
    assert_eq!(
        item.run(&organizer(), reserve(1, ProcurementType::First)),
        Ok(vec![]),
        "a retry is a no-op"
    );
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(1),
            reason: ReleaseReason::AppendFailed,
        },
    )
    .unwrap();
    item.run(&organizer(), reserve(2, ProcurementType::First))
        .unwrap();
    assert_eq!(
        item.state().holder.unwrap().announcement_id,
        announcement(2)
    );
}

// Decision 0201: only the organizer named in the customer's request reserves or returns it.
#[test]
fn only_the_requested_organizer_may_reserve() {
    let mut item = Item::requested();
    assert_eq!(
        item.run(&foreign_organizer(), reserve(1, ProcurementType::First)),
        Err("foreign_organization")
    );
    assert_eq!(
        item.run(&supplier(1), reserve(1, ProcurementType::First)),
        Err("forbidden_role")
    );
    let mut fresh = Item {
        now: item.now,
        events: Vec::new(),
    };
    assert_eq!(
        fresh.run(&organizer(), reserve(1, ProcurementType::First)),
        Err("plan_item_not_requested")
    );
    assert_eq!(
        fresh.run(&organizer(), request()),
        Err("forbidden_role"),
        "the customer sends the request"
    );
}

// spec 000-A §4.1, L39–47: returned with a reason, not reservable until requested again.
#[test]
fn the_organizer_returns_a_request_to_the_customer_with_a_reason() {
    let mut item = Item::requested();
    assert_eq!(
        item.run(&organizer(), P::ReturnToCustomer { reason: " ".into() }),
        Err("missing_field")
    );
    item.run(
        &organizer(),
        P::ReturnToCustomer {
            reason: "Уточните спецификацию".into(),
        },
    )
    .unwrap();
    assert_eq!(
        item.run(&organizer(), reserve(1, ProcurementType::First)),
        Err("plan_item_not_requested")
    );
    item.run(&customer(), request()).unwrap();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    assert_eq!(
        item.run(
            &organizer(),
            P::ReturnToCustomer {
                reason: "Нет".into()
            }
        ),
        Err("plan_item_reserved")
    );
}

// spec 000-A §4.2.5 R7, §5.14, L3163–3199: a failed lot returns to the pool; single source
// after failure waits 5 working days.
#[test]
fn a_failed_procurement_returns_the_item_to_the_pool() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    item.now = astana("2026-02-05 15:00"); // Thursday
    item.run(
        &organizer(),
        P::MarkProcurementFailed {
            announcement_id: announcement(1),
            article6_rejected_bins: Vec::new(),
        },
    )
    .unwrap();
    let state = item.state();
    assert_eq!(state.status, Some(PlanItemStatus::ProcurementFailed));
    assert!(!state.is_reserved());
    let failure = state.last_failure.unwrap();
    assert_eq!(
        failure.single_source_allowed_from,
        astana("2026-02-13 00:00"),
        "after Fri 6 … Thu 12 February"
    );
    item.run(&organizer(), reserve(2, ProcurementType::Repeat))
        .unwrap();
}

// spec 000-A §4.10, L3633–3635: a repeat OK takes only lots of failed open tenders.
#[test]
fn a_repeat_tender_takes_only_failed_open_tender_lots() {
    let mut item = Item::requested();
    assert_eq!(
        item.run(&organizer(), reserve(1, ProcurementType::Repeat)),
        Err("plan_item_not_failed")
    );
    let zcp = P::Reserve {
        announcement_id: announcement(1),
        lot_number: "L-1".into(),
        method: Method::PriceQuotations,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    };
    item.run(&organizer(), zcp).unwrap();
    item.run(
        &organizer(),
        P::MarkProcurementFailed {
            announcement_id: announcement(1),
            article6_rejected_bins: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(
        item.run(&organizer(), reserve(2, ProcurementType::Repeat)),
        Err("plan_item_not_failed")
    );
}

fn reserve_by(n: u128, method: Method, procurement_type: ProcurementType) -> P {
    match reserve(n, procurement_type) {
        P::Reserve {
            announcement_id,
            lot_number,
            customer_bin,
            amount,
            ..
        } => P::Reserve {
            announcement_id,
            lot_number,
            method,
            procurement_type,
            customer_bin,
            amount,
        },
        other => other,
    }
}

// spec 000-B §4.1.9, S11 (L5842–5848): a repeat auction lists only lots of failed auctions —
// neither a fresh lot, nor one a failed open tender left.
#[test]
fn a_repeat_auction_takes_only_failed_auction_lots() {
    let mut item = Item::requested();
    let repeat_auction = |n| reserve_by(n, Method::Auction, ProcurementType::Repeat);
    assert_eq!(
        item.run(&organizer(), repeat_auction(1)),
        Err("plan_item_not_failed")
    );
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    let fail = |n| P::MarkProcurementFailed {
        announcement_id: announcement(n),
        article6_rejected_bins: Vec::new(),
    };
    item.run(&organizer(), fail(1)).unwrap();
    assert_eq!(
        item.run(&organizer(), repeat_auction(2)),
        Err("plan_item_not_failed"),
        "a failed open tender's lot"
    );
    item.run(
        &organizer(),
        reserve_by(3, Method::Auction, ProcurementType::First),
    )
    .unwrap();
    item.run(&organizer(), fail(3)).unwrap();
    assert_eq!(
        item.run(&organizer(), reserve(4, ProcurementType::Repeat)),
        Err("plan_item_not_failed"),
        "a repeat open tender does not take a failed auction's lot"
    );
    item.run(&organizer(), repeat_auction(5)).unwrap();
}

// spec 000-A §4.2.5 R7: a held item stays bound to its announcement (a contract follows);
// cancelling the lot later returns it to the pool (L596, L3339).
#[test]
fn a_held_item_is_not_reservable_until_its_lot_is_cancelled() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    item.run(
        &organizer(),
        P::MarkProcurementHeld {
            announcement_id: announcement(1),
        },
    )
    .unwrap();
    assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementHeld));
    assert_eq!(
        item.run(&organizer(), reserve(2, ProcurementType::First)),
        Err("plan_item_already_procured")
    );
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(1),
            reason: ReleaseReason::LotCancelled,
        },
    )
    .unwrap();
    item.run(&organizer(), reserve(2, ProcurementType::First))
        .unwrap();
}

/// Issue 27 item 8, decision 0608: a cancelled lot's plan item is «Отменено» (spec 000-D §2.3,
/// L12131–12135, L12159) and back in the pool (L12151–12153): the next reservation takes it, and
/// clears the status. A lot removed from a draft or refused is not cancelled.
#[test]
fn a_cancelled_lots_plan_item_is_cancelled_and_back_in_the_pool() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(1),
            reason: ReleaseReason::LotCancelled,
        },
    )
    .unwrap();
    assert_eq!(item.state().status, Some(PlanItemStatus::Cancelled));
    assert_eq!(PlanItemStatus::Cancelled.original(), "Отменено");
    assert!(!item.state().is_reserved());
    item.run(&organizer(), reserve(2, ProcurementType::First))
        .unwrap();
    assert_eq!(item.state().status, None);
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(2),
            reason: ReleaseReason::CustomerRefused,
        },
    )
    .unwrap();
    assert_eq!(item.state().status, None);
}

// S23(a) — L496–512, L3239–3255: a failed lot taken by another procurement cannot be cancelled
// in the original until that procurement lets it go.
#[test]
fn s23_a_lot_taken_by_a_repeat_procurement_blocks_the_original_cancellation() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    item.run(
        &organizer(),
        P::MarkProcurementFailed {
            announcement_id: announcement(1),
            article6_rejected_bins: Vec::new(),
        },
    )
    .unwrap();
    item.run(&organizer(), reserve(2, ProcurementType::Repeat))
        .unwrap();
    let cancel_original = || P::Release {
        announcement_id: announcement(1),
        reason: ReleaseReason::LotCancelled,
    };
    assert_eq!(
        item.run(&organizer(), cancel_original()),
        Err("plan_item_in_other_procurement")
    );
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(2),
            reason: ReleaseReason::LotCancelled,
        },
    )
    .unwrap();
    assert_eq!(
        item.run(&organizer(), cancel_original()),
        Ok(vec![]),
        "already in the pool"
    );
}

// spec 000-A §9.1: the index-2 copy takes over the lots of the original.
#[test]
fn the_index_copy_takes_over_the_reservation() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    let transfer = |from, to| P::Transfer {
        from_announcement_id: announcement(from),
        to_announcement_id: announcement(to),
    };
    assert_eq!(
        item.run(&organizer(), transfer(3, 2)),
        Err("plan_item_not_held")
    );
    item.run(&organizer(), transfer(1, 2)).unwrap();
    assert_eq!(
        item.run(&organizer(), transfer(1, 2)),
        Ok(vec![]),
        "a retry is a no-op"
    );
    assert_eq!(
        item.state().holder.unwrap().announcement_id,
        announcement(2)
    );
    assert_eq!(
        item.run(
            &organizer(),
            P::MarkProcurementHeld {
                announcement_id: announcement(1)
            }
        ),
        Err("plan_item_not_held")
    );
}

// docs/architecture.md, Streams: `<category>-<id>`, filtered by the category prefix.
#[test]
fn plan_item_ids_are_safe_inside_stream_ids() {
    assert_eq!(
        PlanItemId::parse("PI-12_a").unwrap().stream_id(),
        "plan_item-PI-12_a"
    );
    for bad in ["", "a b", "пункт", &"x".repeat(65)] {
        assert_eq!(
            PlanItemId::parse(bad).unwrap_err().code,
            "invalid_plan_item_id"
        );
    }
}

// Decision 0201: the announcement tells the engine which plan-item commands go with its events.
#[test]
fn announcement_events_name_the_plan_item_commands_around_them() {
    use zakup_domain::announcement::AnnouncementCommand as C;
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "N".into(),
            header: header(Method::OpenTender, SubjectType::Goods),
        },
    );
    let state = w.state();
    let added = state
        .decide(
            C::AddLots {
                lots: vec![lot_source(1), lot_source(2)],
            },
            &w.ctx(&organizer()),
        )
        .unwrap();
    let reservations = state.reservations_for(&added);
    assert_eq!(reservations.len(), 2);
    assert!(matches!(
        &reservations[0],
        (id, P::Reserve { announcement_id, method: Method::OpenTender, procurement_type: ProcurementType::First, .. })
            if *id == plan_item(1) && *announcement_id == w.id
    ));
    assert!(
        added[0].plan_item_followups(w.id).is_empty(),
        "reserved before, not after"
    );

    let mut done = World::new();
    done.reviewing_ok(2, &[(1, &[1])]);
    done.admit_everyone(&[chairman(), member_a()]);
    done.run(&secretary(), C::CompleteVoting);
    done.run(&secretary(), C::FormResultsProtocol);
    let published = done.sign_and_publish(zakup_domain::protocol::ProtocolKind::Results);
    let followups: Vec<_> = published
        .iter()
        .flat_map(|e| e.plan_item_followups(done.id))
        .collect();
    assert_eq!(
        followups,
        [
            (
                plan_item(1),
                P::MarkProcurementHeld {
                    announcement_id: done.id
                }
            ),
            (
                plan_item(2),
                P::MarkProcurementFailed {
                    announcement_id: done.id,
                    article6_rejected_bins: Vec::new(),
                }
            ),
        ]
    );
    let cancelled = done.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(
                zakup_domain::kernel::act::Body::Court,
                zakup_domain::kernel::act::ActType::Decision,
            ),
        },
    );
    let followups: Vec<_> = cancelled
        .iter()
        .flat_map(|e| e.plan_item_followups(done.id))
        .collect();
    assert_eq!(
        followups,
        [(
            plan_item(1),
            P::Release {
                announcement_id: done.id,
                reason: ReleaseReason::LotCancelled
            }
        )],
        "the re-formed protocol adds no outcome commands"
    );
}

/// Decision 0201: the engine re-runs an announcement's plan-item follow-ups when the same
/// command is retried, so marking an outcome a second time for the same announcement changes
/// nothing (it is not refused), while another announcement still cannot mark it.
#[test]
fn marking_an_outcome_again_for_the_same_announcement_is_a_no_op() {
    let mut held = Item::requested();
    held.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    held.run(
        &organizer(),
        P::MarkProcurementHeld {
            announcement_id: announcement(1),
        },
    )
    .unwrap();
    assert_eq!(
        held.run(
            &organizer(),
            P::MarkProcurementHeld {
                announcement_id: announcement(1)
            }
        ),
        Ok(vec![])
    );
    assert!(
        held.run(
            &organizer(),
            P::MarkProcurementHeld {
                announcement_id: announcement(2)
            }
        )
        .is_err()
    );

    let mut failed = Item::requested();
    failed
        .run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    failed
        .run(
            &organizer(),
            P::MarkProcurementFailed {
                announcement_id: announcement(1),
                article6_rejected_bins: Vec::new(),
            },
        )
        .unwrap();
    assert_eq!(
        failed.run(
            &organizer(),
            P::MarkProcurementFailed {
                announcement_id: announcement(1),
                article6_rejected_bins: Vec::new(),
            }
        ),
        Ok(vec![])
    );
    assert_eq!(
        failed.state().status,
        Some(PlanItemStatus::ProcurementFailed)
    );
}

fn mark(item: &mut Item, held: bool, n: u128) -> Result<Vec<PlanItemEvent>, &'static str> {
    let announcement_id = announcement(n);
    let command = if held {
        P::MarkProcurementHeld { announcement_id }
    } else {
        P::MarkProcurementFailed {
            announcement_id,
            article6_rejected_bins: Vec::new(),
        }
    };
    item.run(&organizer(), command)
}

// Spec 000-D §4.1 R8/R10, L10494–10510, docs/decisions/0603: given an item held by a completed
// tender, when the results revision publishes the lot as failed, then the item is «Закупка не
// состоялась», back in the pool with the single-source wait counted from the revision
// (L3179–3199), and a repeat tender may take it (L3633–3635).
#[test]
fn a_results_revision_that_fails_the_lot_fails_the_held_item() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    mark(&mut item, true, 1).unwrap();
    item.now = astana("2026-02-05 15:00"); // Thursday
    let revised = mark(&mut item, false, 1).unwrap();
    assert!(
        matches!(&revised[..], [PlanItemEvent::OutcomeRevised(e)] if e.outcome == RevisedOutcome::ProcurementFailed && e.lot_number == "L-1")
    );
    let state = item.state();
    assert_eq!(state.status, Some(PlanItemStatus::ProcurementFailed));
    assert!(!state.is_reserved());
    assert_eq!(
        state.last_failure.unwrap().single_source_allowed_from,
        astana("2026-02-13 00:00")
    );
    assert_eq!(mark(&mut item, false, 1), Ok(vec![]), "a retry is a no-op");
    item.run(&organizer(), reserve(2, ProcurementType::Repeat))
        .unwrap();
}

// Spec 000-D §4.1 R10, docs/decisions/0603: given an item whose procurement failed, when the
// results revision publishes the lot as held, then the announcement holds the item again,
// «Закупка состоялась», and no other procurement may take it.
#[test]
fn a_results_revision_that_holds_the_lot_holds_the_failed_item_again() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    mark(&mut item, false, 1).unwrap();
    let revised = mark(&mut item, true, 1).unwrap();
    assert!(
        matches!(&revised[..], [PlanItemEvent::OutcomeRevised(e)] if e.outcome == RevisedOutcome::ProcurementHeld)
    );
    let state = item.state();
    assert_eq!(state.status, Some(PlanItemStatus::ProcurementHeld));
    let holder = state.holder.unwrap();
    assert_eq!(
        (holder.announcement_id, holder.lot_number.as_str()),
        (announcement(1), "L-1")
    );
    assert!(state.last_failure.is_none());
    assert_eq!(mark(&mut item, true, 1), Ok(vec![]), "a retry is a no-op");
    assert_eq!(
        item.run(&organizer(), reserve(2, ProcurementType::Repeat)),
        Err("plan_item_already_procured")
    );
    // And back: revised to failed once more.
    mark(&mut item, false, 1).unwrap();
    assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementFailed));
}

// L496–512, L3239–3255, docs/decisions/0603: given a failed item a repeat tender took, when the
// original's revision publishes the lot as held, then it is refused (the other procurement must
// let it go first); a revision keeping the lot failed changes nothing.
#[test]
fn a_results_revision_cannot_take_back_an_item_another_procurement_holds() {
    let mut item = Item::requested();
    item.run(&organizer(), reserve(1, ProcurementType::First))
        .unwrap();
    mark(&mut item, false, 1).unwrap();
    item.run(&organizer(), reserve(2, ProcurementType::Repeat))
        .unwrap();
    assert_eq!(
        mark(&mut item, true, 1),
        Err("plan_item_in_other_procurement")
    );
    assert_eq!(mark(&mut item, false, 1), Ok(vec![]));
    assert_eq!(
        item.state().holder.unwrap().announcement_id,
        announcement(2)
    );
    item.run(
        &organizer(),
        P::Release {
            announcement_id: announcement(2),
            reason: ReleaseReason::DraftDeleted,
        },
    )
    .unwrap();
    mark(&mut item, true, 1).unwrap();
    assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementHeld));
}

/// Runs the plan-item commands the announcement's `events` name on `item`.
fn follow(item: &mut Item, w: &World, events: &[AnnouncementEvent]) {
    for (id, command) in events.iter().flat_map(|e| e.plan_item_followups(w.id)) {
        assert_eq!(id, plan_item(1));
        item.run(&organizer(), command)
            .expect("the follow-up is accepted");
    }
}

/// What the lot's outcome says the plan item shows.
fn expected_status(w: &World) -> Option<PlanItemStatus> {
    match w.state().lots[&plan_item(1)].outcome {
        Some(LotOutcome::Held { .. }) => Some(PlanItemStatus::ProcurementHeld),
        Some(LotOutcome::Failed { .. }) => Some(PlanItemStatus::ProcurementFailed),
        _ => None,
    }
}

// Issue 27 item 2; spec 000-D §4.1 R3–R10 (L10416–10510), §4.8 (L12765–12803), docs/decisions
// 0603 and 0604: given a completed open tender whose only lot was held, when a direction-4
// notice sends it to «Пересмотр итогов», the secretary presses «Возобновить голосование», the
// members re-vote rejecting the only application, and the new results protocol is published,
// then the lot is failed, and the commands the announcement names take its plan item from held
// to failed; after every command the plan item shows the lot's outcome.
#[test]
fn a_results_revision_failing_the_only_lot_names_the_plan_item_failure() {
    use zakup_domain::announcement::AnnouncementCommand as C;
    use zakup_domain::camera_control::{CameraControlCommand as CC, Direction, NoticeId, Remedy};
    use zakup_domain::protocol::ProtocolKind;
    let mut w = World::new();
    let mut item = Item::requested();
    w.reviewing_ok(1, &[(1, &[1])]);
    let reserve = w.state().reservations_for(&w.events).pop().unwrap().1;
    item.run(&organizer(), reserve).unwrap();
    let members = [chairman(), member_a(), member_b()];
    w.admit_everyone(&members);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    let published = w.sign_and_publish(ProtocolKind::Results);
    follow(&mut item, &w, &published);
    assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementHeld));

    let notice_id = NoticeId(Uuid::from_u128(0xdead));
    let inspector = Actor {
        user_id: "inspector".to_owned(),
        iin: iin(90),
        org: bin(90),
        roles: vec![zakup_domain::actor::Role::Inspector],
    };
    let revision = [
        (
            inspector,
            C::CameraControl(CC::DeliverNotice {
                notice_id,
                plan_item_id: plan_item(1),
                direction: Direction::Fourth,
                remedy: Remedy::ReviseResults,
                text: "Нарушение".to_owned(),
                file: None,
            }),
        ),
        (
            organizer(),
            C::CameraControl(CC::AcknowledgeNotice { notice_id }),
        ),
        (
            secretary(),
            C::CameraControl(CC::StartResultsRevision {
                plan_item_ids: vec![plan_item(1)],
            }),
        ),
        (secretary(), C::ReopenVoting),
    ];
    for (actor, command) in revision {
        let events = w.run(&actor, command);
        follow(&mut item, &w, &events);
        assert_eq!(item.state().status, expected_status(&w));
    }
    for member in &members {
        let withdrawn = w.run(
            member,
            C::WithdrawVote {
                application_id: application_id(1),
            },
        );
        follow(&mut item, &w, &withdrawn);
        w.vote(member, 1, veto_common(&[plan_item(1)]));
        assert_eq!(item.state().status, expected_status(&w));
    }
    for command in [C::CompleteVoting, C::FormResultsProtocol] {
        let events = w.run(&secretary(), command);
        follow(&mut item, &w, &events);
        assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementHeld));
    }
    let published = w.sign_and_publish(ProtocolKind::Results);
    assert!(matches!(
        w.state().lots[&plan_item(1)].outcome,
        Some(LotOutcome::Failed { .. })
    ));
    follow(&mut item, &w, &published);
    assert_eq!(item.state().status, expected_status(&w));
    assert_eq!(item.state().status, Some(PlanItemStatus::ProcurementFailed));
    assert!(!item.state().is_reserved());
}

/// Issue 26 item 4 (defect 10, docs/decisions/0633): given no request, when a customer asks for
/// a purchase of 0.00 or -0.00 ₸, or with an empty, a 1M-character or a control-character name,
/// then it is refused with its code and nothing is recorded.
#[test]
fn a_request_needs_a_positive_amount_and_a_clean_bounded_name() {
    let with = |name_ru: &str, amount: &str| P::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: name_ru.into(),
        amount: Money::new(amount.parse().unwrap()).unwrap(),
    };
    let long = "Б".repeat(1_000_000);
    let cases = [
        ("Бумага", "0.00", "amount_not_positive"),
        ("Бумага", "-0.00", "amount_not_positive"),
        ("", "1.00", "missing_field"),
        ("  ", "1.00", "missing_field"),
        (long.as_str(), "1.00", "text_too_long"),
        ("Бума\u{0}га", "1.00", "forbidden_characters"),
        ("Бумага\r\nИтого: 0", "1.00", "forbidden_characters"),
        ("\u{202E}агамуБ", "1.00", "forbidden_characters"),
    ];
    for (name, amount, code) in cases {
        let mut item = Item {
            now: astana("2026-02-02 09:00"),
            events: Vec::new(),
        };
        assert_eq!(
            item.run(&customer(), with(name, amount)),
            Err(code),
            "{amount}"
        );
        assert!(item.events.is_empty());
    }
    let mut item = Item {
        now: astana("2026-02-02 09:00"),
        events: Vec::new(),
    };
    let at_the_bound = "Б".repeat(1000);
    assert!(item.run(&customer(), with(&at_the_bound, "0.01")).is_ok());
}
