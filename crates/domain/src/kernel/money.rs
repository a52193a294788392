//! Amounts in tenge (₸, KZT).
//!
//! The seeds give no amount format (spec 000-A §0: "no field lengths, no number formats and no
//! amount formats"); the smallest unit of the tenge is the tiyn (1/100), so an amount is a
//! non-negative decimal with at most two decimal places. Floats never appear: the event payloads
//! feed a hash chain that must be stable across backends (docs/architecture.md, "The envelope"),
//! so money is serialized as a decimal string with exactly two decimals: `"12345.60"`.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernel::error::DomainError;

/// Tiyn per tenge: amounts are kept at this scale.
const SCALE: u32 = 2;

/// A non-negative amount of tenge, a whole number of tiyn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// Why a value is not an amount of money, or an operation on amounts has no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a decimal number (empty, letters, exponent, spaces, …).
    NotANumber(String),
    Negative(Decimal),
    /// More than two decimal places: smaller than a tiyn.
    FractionOfTiyn(Decimal),
    /// The result does not fit a `Decimal` (≈ 7.9 × 10²⁸).
    Overflow,
    /// A percentage outside 0–100.
    PercentOutOfRange(Decimal),
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotANumber(s) => write!(f, "not an amount of money: {s:?}"),
            Self::Negative(d) => write!(f, "amount is negative: {d}"),
            Self::FractionOfTiyn(d) => write!(f, "amount has more than two decimal places: {d}"),
            Self::Overflow => f.write_str("amount overflow"),
            Self::PercentOutOfRange(p) => write!(f, "percentage outside 0–100: {p}"),
        }
    }
}

impl std::error::Error for MoneyError {}

impl From<MoneyError> for DomainError {
    fn from(e: MoneyError) -> Self {
        match e {
            MoneyError::NotANumber(ref s) => DomainError::new(
                "money_not_a_number",
                format!("Сумма указана неверно: «{s}»"),
                e.to_string(),
            ),
            MoneyError::Negative(_) => DomainError::new(
                "money_negative",
                "Сумма не может быть отрицательной",
                e.to_string(),
            ),
            MoneyError::FractionOfTiyn(_) => DomainError::new(
                "money_fraction_of_tiyn",
                "Сумма указывается не точнее чем до тиына (два знака после запятой)",
                e.to_string(),
            ),
            MoneyError::Overflow => {
                DomainError::new("money_overflow", "Сумма слишком велика", e.to_string())
            }
            MoneyError::PercentOutOfRange(_) => DomainError::new(
                "percent_out_of_range",
                "Процент должен быть от 0 до 100",
                e.to_string(),
            ),
        }
    }
}

impl Money {
    pub const ZERO: Money = Money(Decimal::from_parts(0, 0, 0, false, SCALE));

    /// The largest amount: every tiyn of it fits the 96-bit mantissa at scale 2
    /// (≈ 7.9 × 10²⁶ ₸, far above any budget). Larger results are `Overflow`.
    pub const MAX: Money = Money(Decimal::from_parts(
        u32::MAX,
        u32::MAX,
        u32::MAX,
        false,
        SCALE,
    ));

    /// Checks that `amount` is non-negative and a whole number of tiyn. Trailing zeros beyond the
    /// second decimal are accepted ("1.500" is 1 tenge 50 tiyn): the value, not its spelling, counts.
    pub fn new(amount: Decimal) -> Result<Self, MoneyError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(MoneyError::Negative(amount));
        }
        if amount.normalize().scale() > SCALE {
            return Err(MoneyError::FractionOfTiyn(amount));
        }
        Self::canonical(amount.abs())
    }

    /// Whole tenge.
    pub fn from_tenge(tenge: u64) -> Self {
        // At most ≈ 1.8 × 10²¹ tiyn: far inside the 96-bit mantissa.
        Money(Decimal::from_i128_with_scale(
            i128::from(tenge) * 100,
            SCALE,
        ))
    }

    /// An amount given in tiyn (1/100 tenge).
    pub fn from_tiyn(tiyn: u64) -> Self {
        Money(Decimal::from_i128_with_scale(i128::from(tiyn), SCALE))
    }

    /// The amount in tenge, always with two decimal places.
    pub fn amount(self) -> Decimal {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, other: Money) -> Result<Money, MoneyError> {
        Self::canonical(self.0.checked_add(other.0).ok_or(MoneyError::Overflow)?)
    }

    /// `self − other`; an amount below zero is refused, not clamped.
    pub fn checked_sub(self, other: Money) -> Result<Money, MoneyError> {
        let d = self.0.checked_sub(other.0).ok_or(MoneyError::Overflow)?;
        if d.is_sign_negative() && !d.is_zero() {
            return Err(MoneyError::Negative(d));
        }
        Self::canonical(d)
    }

    /// The sum of `amounts`, `0.00` for none.
    pub fn checked_sum<'a>(
        amounts: impl IntoIterator<Item = &'a Money>,
    ) -> Result<Money, MoneyError> {
        amounts
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(*m))
    }

    /// `self × quantity` (a unit price times a quantity, which may be fractional: 2.5 t),
    /// rounded to the tiyn half away from zero.
    pub fn checked_mul(self, quantity: Decimal) -> Result<Money, MoneyError> {
        if quantity.is_sign_negative() && !quantity.is_zero() {
            return Err(MoneyError::Negative(quantity));
        }
        Self::round(self.0.checked_mul(quantity).ok_or(MoneyError::Overflow)?)
    }

    /// `percent` % of this amount, rounded to the tiyn half away from zero (commercial
    /// rounding; the seeds fix no rounding rule, docs/decisions/0105-money.md).
    pub fn percent_of(self, percent: Decimal) -> Result<Money, MoneyError> {
        check_percent(percent)?;
        let d = self.0.checked_mul(percent).ok_or(MoneyError::Overflow)?;
        Self::round(
            d.checked_div(Decimal::ONE_HUNDRED)
                .ok_or(MoneyError::Overflow)?,
        )
    }

    /// This amount reduced by the **sum** of `percents` (each 0–100, the sum at most 100): the
    /// conditional price of spec 000-A §8.1/§8.2, where the total conditional discount is the sum
    /// of the discount fields (seed 000 L2907–2913) and the lowest conditional price wins
    /// (L6976–6982). The discount is rounded to the tiyn, then subtracted.
    pub fn reduce_by_percentages(self, percents: &[Decimal]) -> Result<Money, MoneyError> {
        let mut total = Decimal::ZERO;
        for p in percents {
            check_percent(*p)?;
            total = total.checked_add(*p).ok_or(MoneyError::Overflow)?;
        }
        check_percent(total)?;
        self.checked_sub(self.percent_of(total)?)
    }

    fn round(d: Decimal) -> Result<Money, MoneyError> {
        Self::canonical(d.round_dp_with_strategy(SCALE, RoundingStrategy::MidpointAwayFromZero))
    }

    /// Every amount is kept at scale 2 so that equal amounts print (and hash) the same; up to
    /// [`Money::MAX`] the rescale is exact.
    fn canonical(mut d: Decimal) -> Result<Money, MoneyError> {
        if d > Money::MAX.0 {
            return Err(MoneyError::Overflow);
        }
        d.rescale(SCALE);
        Ok(Money(d))
    }
}

impl Default for Money {
    fn default() -> Self {
        Money::ZERO
    }
}

fn check_percent(p: Decimal) -> Result<(), MoneyError> {
    if p < Decimal::ZERO || p > Decimal::ONE_HUNDRED {
        return Err(MoneyError::PercentOutOfRange(p));
    }
    Ok(())
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    /// Plain decimal notation only: `"12345.67"`, `"100"`, `"0.5"`. No sign, exponent, spaces,
    /// thousands separators or decimal comma.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let unsigned = s.strip_prefix('-').unwrap_or(s);
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(whole) || !digits(fraction) {
            return Err(MoneyError::NotANumber(s.to_owned()));
        }
        let d = Decimal::from_str_exact(s).map_err(|_| MoneyError::NotANumber(s.to_owned()))?;
        Money::new(d)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Only a string is accepted: a JSON number may already have passed through a float.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

// As it serializes in event payloads: a decimal string, never a float.
impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "Amount in tenge as a decimal string"
        })
    }
}

/// A percentage as rust_decimal writes it: a decimal string, never a JSON number.
pub(crate) fn decimal_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
}

pub(crate) fn optional_decimal_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
}
