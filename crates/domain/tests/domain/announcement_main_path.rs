//! The main paths end to end: OK from draft to «Завершено» through voting, ППД, supplements,
//! discounts and the results protocol; and ЗЦП with its automatic results.

use crate::world;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::application::DiscountForm;
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemCommand;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AdmissionDecision, AnnouncementStatus as S, ProtocolValidity};

fn zero_discounts() -> DiscountForm {
    use rust_decimal::Decimal;
    let z = Some(Decimal::ZERO);
    DiscountForm {
        experience_years: Some(0),
        experience_months: Some(0),
        experience_pct: z,
        qms_pct: z,
        ems_pct: z,
        sechp_pct: z,
        voluntary_conformity_pct: z,
        functional_pct: z,
        technical_pct: z,
        quality_pct: z,
        operational_pct: z,
    }
}

// spec 000-A §4.12, the whole OK path with a ППД (L734–3199).
#[test]
fn open_tender_from_draft_to_completion_through_ppd_and_supplements() {
    let mut w = World::new();
    w.published_ok(1);
    assert_eq!(w.status(), S::Published);
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    w.fire(TimedTransition::EndAcceptance);
    assert_eq!(w.status(), S::ReviewingApplications);

    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
    }
    // Supplier 2 rejected on qualification by the majority: may supplement.
    w.vote(&chairman(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_a(), 2, reject_qualification(&lot, &lot[0]));
    w.vote(&member_b(), 2, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.state().voting().decisions[&(application_id(2), plan_item(1))],
        AdmissionDecision::Rejected
    );

    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    assert_eq!(w.status(), S::FormingPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    assert_eq!(w.status(), S::PublishedSupplementingApplications);

    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.state().voting().decisions[&(application_id(2), plan_item(1))],
        AdmissionDecision::Admitted
    );

    // Two applications on the lot: discounts are required before the results protocol.
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "conditional_discounts_not_completed"
    );
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries: vec![
                (application_id(1), zero_discounts()),
                (application_id(2), zero_discounts()),
            ],
        },
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);

    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(2)
        }),
        "the lower price wins with equal discounts"
    );
    let valid: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .filter(|p| p.validity == ProtocolValidity::Valid)
        .collect();
    assert_eq!(valid.len(), 1);
}

// spec 000-A §4.3 and S25 (L414–448): ЗЦП closes itself at the end of acceptance.
#[test]
fn price_quotations_from_draft_to_automatic_results() {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 2);
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetLotTerms {
                plan_item_id: plan_item(1),
                terms: goods_terms()
            }
        ),
        "not_a_draft"
    );
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingPriceOffers);
    w.apply(1, &[1, 2], 9_000_000);
    w.apply(2, &[1], 8_000_000);
    w.fire(TimedTransition::EndAcceptance);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(2)
        })
    );
    // One offer on lot 2: it does not take place (000-C L6866–6874, decision 0601).
    assert_eq!(
        state.lots[&plan_item(2)].outcome,
        Some(LotOutcome::failed(FailureReason::OneApplication))
    );
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    assert!(
        protocol.automatic && protocol.published_at.is_some() && protocol.signatures.is_empty()
    );
    assert_eq!(protocol.content.lots[0].applications.len(), 2);
    assert_eq!(
        protocol.content.lots[0].applications[0].price,
        Money::from_tenge(9_000_000)
    );
}

/// A ЗЦП of `lots` lots, accepting price offers.
fn accepting_price_offers(lots: u32) -> World {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, lots);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w
}

// 000-C L6866–6874 («не состоялась способом … ЗЦП по причине «подана одна заявка»»), 000-A
// L434–448: given a ЗЦП with one offer on lot 1 and two on lot 2, when acceptance ends, then
// lot 1 fails with the reason «подана одна заявка», lot 2 is held by the lower price, the
// automatic results protocol says so, and the plan items are marked failed and held.
#[test]
fn price_quotations_lot_with_one_offer_does_not_take_place() {
    let mut w = accepting_price_offers(2);
    w.apply(1, &[1, 2], 9_000_000);
    w.apply(2, &[2], 8_000_000);
    let events = w.fire(TimedTransition::EndAcceptance);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    let one = LotOutcome::failed(FailureReason::OneApplication);
    let held = LotOutcome::Held {
        winner: application_id(2),
    };
    assert_eq!(state.lots[&plan_item(1)].outcome, Some(one.clone()));
    assert_eq!(state.lots[&plan_item(2)].outcome, Some(held.clone()));
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let outcomes: Vec<_> = protocol.content.lots.iter().map(|l| &l.outcome).collect();
    assert_eq!(outcomes, [&Some(one), &Some(held)]);
    let announcement_id = state.id.unwrap();
    let followups: Vec<_> = events
        .iter()
        .flat_map(|e| e.plan_item_followups(announcement_id))
        .collect();
    assert_eq!(
        followups,
        [
            (
                plan_item(1),
                PlanItemCommand::MarkProcurementFailed {
                    announcement_id,
                    article6_rejected_bins: Vec::new()
                }
            ),
            (
                plan_item(2),
                PlanItemCommand::MarkProcurementHeld { announcement_id }
            ),
        ]
    );
}

// 000-C L7464–7470 («нет поданных заявок»): given a ЗЦП lot nobody offered on, when acceptance
// ends, then it fails with the reason «нет поданных заявок», not «подана одна заявка».
#[test]
fn price_quotations_lot_without_offers_fails_with_no_applications() {
    let mut w = accepting_price_offers(2);
    w.apply(1, &[2], 9_000_000);
    w.apply(2, &[2], 8_000_000);
    w.fire(TimedTransition::EndAcceptance);
    let lot = &w.state().lots[&plan_item(1)];
    assert_eq!(
        lot.outcome.as_ref().and_then(LotOutcome::failure_reason),
        Some(FailureReason::NoApplications)
    );
}

// 000-A L2507–2509, L3123–3129; 000-C L7472–7484: the open tender keeps its own rules. Given one
// admitted application the lot is held (no discounts step); given applications all rejected it
// fails with «нет допущенных заявок»; given none, «нет поданных заявок».
#[test]
fn open_tender_single_admitted_application_is_still_held() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    let lots = [plan_item(1), plan_item(2)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, veto_security(&lots, &lots[1]));
    }
    w.run(&secretary(), C::CompleteVoting);
    let outcomes = w.state().compute_outcomes();
    assert_eq!(
        outcomes[&plan_item(1)],
        LotOutcome::Held {
            winner: application_id(1)
        }
    );
    assert_eq!(
        outcomes[&plan_item(2)],
        LotOutcome::failed(FailureReason::NoAdmitted)
    );

    let mut empty = World::new();
    empty.reviewing_ok(1, &[]);
    assert_eq!(
        empty.state().lots[&plan_item(1)].outcome,
        Some(LotOutcome::failed(FailureReason::NoApplications))
    );
}
