//! The main paths end to end: OK from draft to «Завершено» through voting, ППД, supplements,
//! discounts and the results protocol; and ЗЦП with its automatic results.

#[path = "announcement_world.rs"]
mod world;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::application::DiscountForm;
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
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
    assert_eq!(
        state.lots[&plan_item(2)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
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
