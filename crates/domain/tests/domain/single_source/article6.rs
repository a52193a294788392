//! The article-6 ban of the invitation (spec 000-C §2.4 rules 4–5, M6; seed L6972–6990;
//! docs/decisions/0726): a supplier the failed procurement rejected under article 6 of the Law
//! is recorded on the plan item, and no single source of the item invites it.

use uuid::Uuid;

use super::world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::lot::FailureReason;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand as P, PlanItemEvent};
use zakup_domain::protocol::ProtocolKind;

/// The commands the lot pool runs for `command` on `w`'s announcement, before its append.
fn asked(w: &mut World, command: C) -> Vec<(zakup_domain::plan_item::PlanItemId, P)> {
    let before = w.state();
    let events = w.run(&organizer(), command);
    before.reservations_for(&events)
}

// L6972–6990: given an open tender whose commission rejected supplier 1 on lot 1 under article 6
// (common section) and supplier 2 on lot 2 on the application security without resubmission
// (rule 5: no article 6 rejection), when its results are published, then lot 1's failure names
// supplier 1, lot 2's nobody, and the plan items are told so.
#[test]
fn a_failure_records_whom_the_review_rejected_under_article_6() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1]), (2, &[2])]);
    let (one, two) = ([plan_item(1)], [plan_item(2)]);
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, veto_common(&one));
        w.vote(&member, 2, veto_security(&two, &two[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    let published = w.sign_and_publish(ProtocolKind::Results);
    let completed = published
        .iter()
        .find_map(|e| match e {
            AnnouncementEvent::ProcurementCompleted(c) => Some(c.clone()),
            _ => None,
        })
        .expect("completed");
    let rejected: Vec<_> = completed
        .outcomes
        .iter()
        .map(|o| (o.plan_item_id.clone(), o.article6_rejected_bins.clone()))
        .collect();
    assert_eq!(
        rejected,
        vec![
            (plan_item(1), vec![supplier(1).org]),
            (plan_item(2), vec![])
        ]
    );
    let follow_ups: Vec<P> = published
        .iter()
        .flat_map(|e| e.plan_item_followups(w.id))
        .map(|(_, command)| command)
        .collect();
    assert_eq!(
        follow_ups,
        vec![
            P::MarkProcurementFailed {
                announcement_id: w.id,
                article6_rejected_bins: vec![supplier(1).org],
            },
            P::MarkProcurementFailed {
                announcement_id: w.id,
                article6_rejected_bins: vec![],
            }
        ]
    );
}

/// A plan item reserved by announcement 1 whose procurement failed rejecting supplier 1 under
/// article 6, then reserved by the single source 2.
fn item_of_single_source() -> Vec<PlanItemEvent> {
    let w = World::new();
    let ctx = w.ctx(&organizer());
    let customer_ctx = w.ctx(&customer());
    let mut events = Vec::new();
    let mut run = |ctx: &zakup_domain::actor::Context, command: P| {
        let decided = PlanItem::fold(&events)
            .decide(command, ctx)
            .map_err(|e| e.code);
        events.extend(decided.clone()?);
        decided.map(|_| ())
    };
    let reserve = |n: u128, method: Method| P::Reserve {
        announcement_id: Uuid::from_u128(n),
        lot_number: "L-1".into(),
        method,
        procurement_type: zakup_domain::announcement::header::ProcurementType::First,
        customer_bin: customer_bin(),
        amount: lot_source(1).amount,
    };
    let request = P::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: lot_source(1).name_ru,
        amount: lot_source(1).amount,
    };
    run(&customer_ctx, request).unwrap();
    run(&ctx, reserve(1, Method::PriceQuotations)).unwrap();
    let failed = P::MarkProcurementFailed {
        announcement_id: Uuid::from_u128(1),
        article6_rejected_bins: vec![supplier(1).org],
    };
    run(&ctx, failed).unwrap();
    run(&ctx, reserve(2, Method::SingleSource)).unwrap();
    events
}

// L6972–6982 (M6): given the item above, when its single source invites supplier 1, then it is
// refused; supplier 2 may be invited; a procurement not holding the item asks nothing of it.
#[test]
fn a_supplier_rejected_under_article_6_is_not_invited() {
    let w = World::new();
    let item = PlanItem::fold(&item_of_single_source());
    let check = |announcement: u128, n: u32| {
        let command = P::CheckInvitation {
            announcement_id: Uuid::from_u128(announcement),
            supplier_bin: supplier(n).org,
        };
        item.decide(command, &w.ctx(&organizer()))
            .map_err(|e| e.code)
    };
    assert_eq!(check(2, 1), Err("supplier_rejected_under_article6"));
    assert_eq!(check(2, 2), Ok(Vec::new()));
    assert_eq!(check(3, 2), Err("plan_item_not_held"));
}

// M6, M13: given a single-source draft holding lot 1, when the organizer names the invited
// supplier, and again when it publishes, then the lot pool asks the plan item about that
// supplier before the append.
#[test]
fn the_invitation_is_checked_when_named_and_at_publication() {
    let mut w = World::new();
    w.draft(Method::SingleSource, SubjectType::Goods, 1);
    let invite = P::CheckInvitation {
        announcement_id: w.id,
        supplier_bin: supplier(2).org,
    };
    let mut terms = single_source_terms(Method::OpenTender, FailureReason::NoAdmitted);
    terms.invited_supplier_bin = supplier(2).org;
    let named = asked(&mut w, C::SetSingleSourceTerms { terms });
    assert_eq!(named, vec![(plan_item(1), invite.clone())]);
    assert_eq!(asked(&mut w, C::Publish), vec![(plan_item(1), invite)]);
}

// Events are a contract: a failure and a completion stored before the rejections were recorded
// still decode, naming nobody.
#[test]
fn failures_stored_before_the_ban_replay_with_nobody_rejected() {
    let failure: zakup_domain::plan_item::PlanItemProcurementFailed =
        serde_json::from_value(serde_json::json!({
            "announcement_id": "00000000-0000-0000-0000-000000000001",
            "method": "open_tender",
            "failed_at": "2026-02-05T10:00:00Z",
            "single_source_allowed_from": "2026-02-12T19:00:00Z"
        }))
        .unwrap();
    assert!(failure.article6_rejected_bins.is_empty());
    let record: zakup_domain::announcement::event::LotOutcomeRecord =
        serde_json::from_value(serde_json::json!({
            "plan_item_id": "PI-1",
            "outcome": { "outcome": "failed" }
        }))
        .unwrap();
    assert!(record.article6_rejected_bins.is_empty());
}
