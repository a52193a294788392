//! Money: tenge with tiyn, never floats (docs/architecture.md: "money is a decimal string").

use rust_decimal::Decimal;
use zakup_domain::error::DomainError;
use zakup_domain::money::{Money, MoneyError};

fn m(s: &str) -> Money {
    s.parse().unwrap()
}

fn d(s: &str) -> Decimal {
    Decimal::from_str_exact(s).unwrap()
}

#[test]
fn amounts_print_with_two_decimals() {
    assert_eq!(m("12345.67").to_string(), "12345.67");
    assert_eq!(m("100").to_string(), "100.00");
    assert_eq!(m("0.5").to_string(), "0.50");
    assert_eq!(
        m("1.500").to_string(),
        "1.50",
        "trailing zeros are no fraction of a tiyn"
    );
    assert_eq!(m("-0").to_string(), "0.00");
    assert_eq!(Money::from_tiyn(12345).to_string(), "123.45");
    assert_eq!(Money::from_tenge(7).to_string(), "7.00");
    assert_eq!(Money::ZERO.to_string(), "0.00");
    assert_eq!(Money::default(), Money::ZERO);
    assert_eq!(m("100"), m("100.00"));
    assert_eq!(m("100").amount(), d("100.00"));
}

#[test]
fn parsing_refuses_negatives_fractions_of_a_tiyn_and_garbage() {
    assert_eq!("-1".parse::<Money>(), Err(MoneyError::Negative(d("-1"))));
    assert_eq!(
        "1.005".parse::<Money>(),
        Err(MoneyError::FractionOfTiyn(d("1.005")))
    );
    for bad in [
        "",
        "abc",
        "1,5",
        "1e3",
        " 1",
        "1 ",
        "1 000",
        "+1",
        ".5",
        "5.",
        "1.2.3",
        "--1",
        "1-",
        "-",
        "NaN",
        "١٢",
        "99999999999999999999999999999999",
    ] {
        assert!(
            matches!(bad.parse::<Money>(), Err(MoneyError::NotANumber(_))),
            "{bad:?}"
        );
    }
    assert_eq!(
        Money::new(d("-0.01")),
        Err(MoneyError::Negative(d("-0.01")))
    );
}

#[test]
fn arithmetic_is_checked_and_refuses_instead_of_panicking() {
    assert_eq!(m("0.10").checked_add(m("0.20")), Ok(m("0.30")));
    assert_eq!(
        m("5").checked_sub(m("5.01")),
        Err(MoneyError::Negative(d("-0.01")))
    );
    assert_eq!(m("5").checked_sub(m("5")), Ok(Money::ZERO));
    let max = Money::MAX;
    assert_eq!(max.checked_add(m("1")), Err(MoneyError::Overflow));
    assert_eq!(max.checked_mul(d("2")), Err(MoneyError::Overflow));
    assert_eq!(
        m("10.00").checked_mul(d("-1")),
        Err(MoneyError::Negative(d("-1")))
    );
    assert_eq!(
        m("3.33").checked_mul(d("2.5")),
        Ok(m("8.33")),
        "8.325 rounds half away from zero"
    );
    assert_eq!(Money::checked_sum(&[m("1.10"), m("2.20")]), Ok(m("3.30")));
    assert_eq!(Money::checked_sum(&[]), Ok(Money::ZERO));
    assert_eq!(
        Money::checked_sum(&[max, m("1")]),
        Err(MoneyError::Overflow)
    );
}

#[test]
fn percentages_round_to_the_tiyn() {
    assert_eq!(m("1000").percent_of(d("14.5")), Ok(m("145")));
    assert_eq!(m("0.05").percent_of(d("50")), Ok(m("0.03")), "0.025 → 0.03");
    assert_eq!(m("0.01").percent_of(d("0")), Ok(Money::ZERO));
    assert_eq!(
        m("1").percent_of(d("101")),
        Err(MoneyError::PercentOutOfRange(d("101")))
    );
    assert_eq!(
        m("1").percent_of(d("-1")),
        Err(MoneyError::PercentOutOfRange(d("-1")))
    );
}

/// Spec 000-A §8.1 worked example: the total conditional discount is the sum of the fields,
/// 3+2+0+1+0+2+1.5+5+0 = 14.5 % (seed 000 L2907–2913).
#[test]
fn given_the_discounts_of_spec_8_1_when_reducing_a_price_then_it_drops_by_their_sum() {
    let fields = ["3", "2", "0", "1", "0", "2", "1.5", "5", "0"].map(d);
    assert_eq!(m("1000000").reduce_by_percentages(&fields), Ok(m("855000")));
    assert_eq!(
        m("999.99").reduce_by_percentages(&fields),
        Ok(m("854.99")),
        "discount 144.9986 → 145.00"
    );
    assert_eq!(m("1000").reduce_by_percentages(&[]), Ok(m("1000")));
    assert_eq!(
        m("1000").reduce_by_percentages(&[d("60"), d("40")]),
        Ok(Money::ZERO)
    );
    assert_eq!(
        m("1000").reduce_by_percentages(&[d("60"), d("50")]),
        Err(MoneyError::PercentOutOfRange(d("110")))
    );
    assert_eq!(
        m("1000").reduce_by_percentages(&[d("-5")]),
        Err(MoneyError::PercentOutOfRange(d("-5")))
    );
}

#[test]
fn serde_is_a_decimal_string_and_validates() {
    assert_eq!(
        serde_json::to_string(&m("12345.6")).unwrap(),
        r#""12345.60""#
    );
    assert_eq!(
        serde_json::from_str::<Money>(r#""12345.67""#).unwrap(),
        m("12345.67")
    );
    assert!(
        serde_json::from_str::<Money>("12345.67").is_err(),
        "a JSON number may have been a float"
    );
    assert!(serde_json::from_str::<Money>(r#""-1""#).is_err());
    assert!(serde_json::from_str::<Money>(r#""0.001""#).is_err());
}

#[test]
fn refusals_carry_stable_codes() {
    let code = |e: MoneyError| DomainError::from(e).code;
    assert_eq!(code(MoneyError::Negative(d("-1"))), "money_negative");
    assert_eq!(
        code(MoneyError::NotANumber("x".into())),
        "money_not_a_number"
    );
    assert_eq!(
        code(MoneyError::FractionOfTiyn(d("0.001"))),
        "money_fraction_of_tiyn"
    );
    assert_eq!(code(MoneyError::Overflow), "money_overflow");
    assert_eq!(
        code(MoneyError::PercentOutOfRange(d("101"))),
        "percent_out_of_range"
    );
}
