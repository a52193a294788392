//! Conditional discounts and the winner (spec 000-A §8, decision 0202 with its worked example).

use crate::world;

use rust_decimal::Decimal;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::SubjectType;
use zakup_domain::application::{ConditionalDiscounts, DiscountForm, conditional_price};
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::protocol::ProtocolKind;

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

fn form(values: [&str; 9]) -> DiscountForm {
    let v = values.map(|s| Some(d(s)));
    DiscountForm {
        experience_years: Some(4),
        experience_months: Some(2),
        experience_pct: v[0],
        qms_pct: v[1],
        ems_pct: v[2],
        sechp_pct: v[3],
        voluntary_conformity_pct: v[4],
        functional_pct: v[5],
        technical_pct: v[6],
        quality_pct: v[7],
        operational_pct: v[8],
    }
}

fn supplier_a() -> DiscountForm {
    form(["3", "2", "0", "1", "0", "2", "1.5", "5", "0"])
}

fn supplier_b() -> DiscountForm {
    form(["3", "2", "0", "0", "0", "0", "0", "0", "0"])
}

fn none() -> DiscountForm {
    form(["0"; 9])
}

// spec 000-A §8.1 worked example: 3+2+0+1+0+2+1.5+5+0 = 14.5 %.
#[test]
fn the_total_is_the_sum_of_the_percentage_fields() {
    let a = supplier_a().validate(SubjectType::Goods).unwrap();
    assert_eq!(a.total_pct(), d("14.5"));
    assert_eq!(
        a.experience_years, 4,
        "years and months only document the experience"
    );
}

// Decision 0202: conditional price = price × (1 − Σ%/100), in tenge, to the tiyn.
#[test]
fn the_conditional_price_reduces_the_offer_by_the_total() {
    let a = supplier_a().validate(SubjectType::Goods).unwrap();
    let b = supplier_b().validate(SubjectType::Goods).unwrap();
    assert_eq!(
        conditional_price(Money::from_tenge(9_000_000), &a),
        Money::from_tenge(7_695_000)
    );
    assert_eq!(
        conditional_price(Money::from_tenge(8_500_000), &b),
        Money::from_tenge(8_075_000)
    );
    assert_eq!(
        conditional_price(Money::from_tenge(8_000_000), &ConditionalDiscounts::none()),
        Money::from_tenge(8_000_000)
    );
    assert_eq!(
        conditional_price("1234.57".parse().unwrap(), &a),
        "1055.56".parse().unwrap(),
        "1234.57 − 179.01"
    );
}

// Decision 0202 worked example end to end: A wins with the lowest conditional price although it
// offered the highest price.
#[test]
fn the_lowest_conditional_price_wins() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    w.apply(3, &[1], 8_000_000);
    w.fire(zakup_domain::announcement::TimedTransition::EndAcceptance);
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries: vec![
                (application_id(1), supplier_a()),
                (application_id(2), supplier_b()),
                (application_id(3), none()),
            ],
        },
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    w.run(&secretary(), C::FormResultsProtocol);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let lot = &protocol.content.lots[0];
    assert_eq!(
        lot.outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
    let a = lot
        .applications
        .iter()
        .find(|a| a.application_id == application_id(1))
        .unwrap();
    assert_eq!(
        a.price,
        Money::from_tenge(9_000_000),
        "the contract price is the offered price"
    );
    assert_eq!(a.discount_pct, Some(d("14.5")));
    assert_eq!(a.conditional_price, Some(Money::from_tenge(7_695_000)));
    w.sign_and_publish(ProtocolKind::Results);
    assert_eq!(
        w.state().lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
}

// Decision 0202: equal conditional prices go to the earlier application; rejected never win.
#[test]
fn ties_go_to_the_earlier_application_and_only_admitted_compete() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.apply(2, &[1], 8_000_000);
    w.advance(chrono::Duration::minutes(5));
    w.apply(1, &[1], 8_000_000);
    w.apply(3, &[1], 1_000_000);
    w.fire(zakup_domain::announcement::TimedTransition::EndAcceptance);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, admit(&lot));
        w.vote(&member, 3, veto_common(&lot));
    }
    w.run(&secretary(), C::CompleteVoting);
    let entries = vec![
        (application_id(1), none()),
        (application_id(2), none()),
        (application_id(3), none()),
    ];
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries,
        },
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    assert_eq!(
        w.state().compute_outcomes()[&plan_item(1)],
        LotOutcome::Held {
            winner: application_id(2)
        }
    );
}

// spec 000-A §8.1: allowed values per subject type (L2777–2905).
#[test]
fn criteria_ranges_depend_on_the_subject_type() {
    let only = |field: usize, value: &str| {
        let mut values = ["0"; 9];
        values[field] = value;
        form(values)
    };
    // goods may use every criterion up to its maximum: 25 % in total.
    let max_goods = form(["5", "2", "1", "1", "2", "3", "3", "5", "3"])
        .validate(SubjectType::Goods)
        .unwrap();
    assert_eq!(max_goods.total_pct(), d("25"));
    assert_eq!(
        form(["5", "2", "1", "0", "0", "0", "3", "5", "0"])
            .validate(SubjectType::Service)
            .unwrap()
            .total_pct(),
        d("16")
    );
    assert_eq!(
        form(["10", "2", "1", "0", "0", "0", "0", "0", "0"])
            .validate(SubjectType::Work)
            .unwrap()
            .total_pct(),
        d("13")
    );
    let code = |f: DiscountForm, s| f.validate(s).unwrap_err().code;
    assert_eq!(
        code(only(1, "1"), SubjectType::Goods),
        "discount_out_of_range",
        "СМК is 0 or 2"
    );
    assert_eq!(
        code(only(3, "1"), SubjectType::Service),
        "discount_out_of_range",
        "СЭЧП is for goods only"
    );
    assert_eq!(
        code(only(6, "1"), SubjectType::Work),
        "discount_out_of_range",
        "technical: goods and services"
    );
    assert_eq!(
        code(only(5, "3.5"), SubjectType::Goods),
        "discount_out_of_range"
    );
    assert_eq!(
        only(5, "2.5")
            .validate(SubjectType::Goods)
            .unwrap()
            .total_pct(),
        d("2.5"),
        "decimals in range fields"
    );
    assert_eq!(
        code(only(0, "-1"), SubjectType::Goods),
        "discount_out_of_range"
    );
    let mut years = none();
    years.experience_years = Some(16);
    assert_eq!(code(years, SubjectType::Goods), "discount_out_of_range");
    let mut months = none();
    months.experience_months = Some(12);
    assert_eq!(code(months, SubjectType::Goods), "discount_out_of_range");
    let mut missing = none();
    missing.experience_months = None;
    assert_eq!(code(missing, SubjectType::Goods), "discount_field_empty");
}
