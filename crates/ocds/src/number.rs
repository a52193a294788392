//! Money as a JSON number. OCDS types `value.amount` as `number`, so a decimal string (the form
//! the events keep) would not validate; serde_json without `arbitrary_precision` (a workspace-wide
//! feature that would change every payload's hashing) holds a number as an `f64`. An amount of at
//! most 15 significant digits (every amount up to 9 999 999 999 999.99 ₸, far above any budget)
//! converts to the `f64` whose shortest decimal form is that amount, digit for digit, and serde
//! writes exactly that form (decision 0781).

use rust_decimal::Decimal;
use serde_json::{Number, Value};

/// `d` as a JSON number: an integer stays an integer; a fraction is the nearest `f64`, exact in
/// its printed form up to 15 significant digits.
pub fn amount(d: Decimal) -> Value {
    let d = d.normalize();
    if d.scale() == 0
        && let Ok(i) = i64::try_from(d)
    {
        return Value::Number(Number::from(i));
    }
    // `Decimal`'s text is exact and Rust's parse rounds correctly to the nearest `f64`.
    d.to_string()
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// Printed, every amount of up to 15 significant digits is the decimal itself.
    #[test]
    fn amounts_print_exactly() {
        for s in [
            "0",
            "0.01",
            "1.5",
            "123.45",
            "1000000.10",
            "9999999999999.99",
            "150000000",
            "0.07",
            "12345678901.23",
        ] {
            let d = Decimal::from_str(s).unwrap();
            let printed = serde_json::to_string(&amount(d)).unwrap();
            assert_eq!(
                Decimal::from_str(&printed).unwrap(),
                d,
                "{s} printed {printed}"
            );
        }
        assert_eq!(
            serde_json::to_string(&amount(Decimal::from_str("1500.00").unwrap())).unwrap(),
            "1500"
        );
    }
}
