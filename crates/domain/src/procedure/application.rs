//! A supplier's application (заявка) or, for ЗЦП, price offer (ценовое предложение), and the
//! conditional discounts the secretary records for it per lot (spec 000-A §2.12, §2.14, §8.1).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::DomainError;
use crate::ident::Bin;
use crate::lot::SubjectType;
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct ApplicationId(pub Uuid);

/// The price a supplier offers for one lot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotOffer {
    pub plan_item_id: PlanItemId,
    pub price: Money,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Application {
    pub id: ApplicationId,
    pub supplier_bin: Bin,
    pub offers: Vec<LotOffer>,
    pub submitted_at: DateTime<Utc>,
    /// Lots supplemented during the supplement period (L2685–2707).
    pub supplemented_lots: BTreeSet<PlanItemId>,
}

impl Application {
    pub fn lots(&self) -> impl Iterator<Item = &PlanItemId> {
        self.offers.iter().map(|o| &o.plan_item_id)
    }

    pub fn applies_to(&self, lot: &PlanItemId) -> bool {
        self.lots().any(|l| l == lot)
    }

    pub fn price_for(&self, lot: &PlanItemId) -> Option<&Money> {
        self.offers
            .iter()
            .find(|o| &o.plan_item_id == lot)
            .map(|o| &o.price)
    }
}

/// The form as entered: every field must be filled, 0 when no discount applies (L2925–2929).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiscountForm {
    pub experience_years: Option<u8>,
    pub experience_months: Option<u8>,
    pub experience_pct: Option<Decimal>,
    pub qms_pct: Option<Decimal>,
    pub ems_pct: Option<Decimal>,
    pub sechp_pct: Option<Decimal>,
    pub voluntary_conformity_pct: Option<Decimal>,
    pub functional_pct: Option<Decimal>,
    pub technical_pct: Option<Decimal>,
    pub quality_pct: Option<Decimal>,
    pub operational_pct: Option<Decimal>,
}

/// The validated criteria of spec 000-A §8.1 (L2777–2913), in percent unless named otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConditionalDiscounts {
    pub experience_years: u8,
    pub experience_months: u8,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub experience_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub qms_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub ems_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub sechp_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub voluntary_conformity_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub functional_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub technical_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub quality_pct: Decimal,
    #[schemars(schema_with = "crate::kernel::money::decimal_string")]
    pub operational_pct: Decimal,
}

/// How a criterion may be filled for a subject type.
enum Allowed {
    Range(Decimal),
    OneOf(Decimal),
    NotApplicable,
}

fn check(
    field: &'static str,
    value: Option<Decimal>,
    allowed: Allowed,
) -> Result<Decimal, DomainError> {
    let value = value.ok_or_else(|| refusal::discount_field_empty(field))?;
    let ok = match allowed {
        Allowed::Range(max) => value >= Decimal::ZERO && value <= max,
        Allowed::OneOf(only) => value == Decimal::ZERO || value == only,
        Allowed::NotApplicable => value == Decimal::ZERO,
    };
    if ok {
        Ok(value)
    } else {
        Err(refusal::discount_out_of_range(field))
    }
}

impl DiscountForm {
    /// Ranges per subject type (L2777–2905). Range fields accept decimals, enumerated fields only
    /// the listed values (spec §8.1 AMBIGUOUS, best reading). Criteria not shown for a subject type
    /// must stay 0.
    pub fn validate(&self, subject: SubjectType) -> Result<ConditionalDiscounts, DomainError> {
        use Allowed::*;
        let goods = subject == SubjectType::Goods;
        let goods_or_service = subject != SubjectType::Work;
        let only = |applies: bool, allowed: Allowed| if applies { allowed } else { NotApplicable };
        let years = self
            .experience_years
            .ok_or_else(|| refusal::discount_field_empty("experience_years"))?;
        let months = self
            .experience_months
            .ok_or_else(|| refusal::discount_field_empty("experience_months"))?;
        if years > 15 {
            return Err(refusal::discount_out_of_range("experience_years"));
        }
        if months > 11 {
            return Err(refusal::discount_out_of_range("experience_months"));
        }
        let experience_max = if subject == SubjectType::Work {
            Decimal::from(10)
        } else {
            Decimal::from(5)
        };
        Ok(ConditionalDiscounts {
            experience_years: years,
            experience_months: months,
            experience_pct: check("experience_pct", self.experience_pct, Range(experience_max))?,
            qms_pct: check("qms_pct", self.qms_pct, OneOf(Decimal::from(2)))?,
            ems_pct: check("ems_pct", self.ems_pct, OneOf(Decimal::ONE))?,
            sechp_pct: check(
                "sechp_pct",
                self.sechp_pct,
                only(goods, OneOf(Decimal::ONE)),
            )?,
            voluntary_conformity_pct: check(
                "voluntary_conformity_pct",
                self.voluntary_conformity_pct,
                only(goods, OneOf(Decimal::from(2))),
            )?,
            functional_pct: check(
                "functional_pct",
                self.functional_pct,
                only(goods, Range(Decimal::from(3))),
            )?,
            technical_pct: check(
                "technical_pct",
                self.technical_pct,
                only(goods_or_service, Range(Decimal::from(3))),
            )?,
            quality_pct: check(
                "quality_pct",
                self.quality_pct,
                only(goods_or_service, OneOf(Decimal::from(5))),
            )?,
            operational_pct: check(
                "operational_pct",
                self.operational_pct,
                only(goods, Range(Decimal::from(3))),
            )?,
        })
    }
}

impl ConditionalDiscounts {
    pub fn none() -> Self {
        ConditionalDiscounts {
            experience_years: 0,
            experience_months: 0,
            experience_pct: Decimal::ZERO,
            qms_pct: Decimal::ZERO,
            ems_pct: Decimal::ZERO,
            sechp_pct: Decimal::ZERO,
            voluntary_conformity_pct: Decimal::ZERO,
            functional_pct: Decimal::ZERO,
            technical_pct: Decimal::ZERO,
            quality_pct: Decimal::ZERO,
            operational_pct: Decimal::ZERO,
        }
    }

    /// The percentage fields; years and months only document the experience (spec §8.1 best
    /// reading).
    pub fn percentages(&self) -> [Decimal; 9] {
        [
            self.experience_pct,
            self.qms_pct,
            self.ems_pct,
            self.sechp_pct,
            self.voluntary_conformity_pct,
            self.functional_pct,
            self.technical_pct,
            self.quality_pct,
            self.operational_pct,
        ]
    }

    /// «Общая условная скидка, %»: the sum of the percentage fields (L2907–2913).
    pub fn total_pct(&self) -> Decimal {
        self.percentages().iter().sum()
    }
}

/// The price used only to rank offers: the offered price reduced by the sum of the discount
/// percentages (Law on public procurement; docs/decisions/0202-conditional-discounts.md).
pub fn conditional_price(price: Money, discounts: &ConditionalDiscounts) -> Money {
    price
        .reduce_by_percentages(&discounts.percentages())
        .expect("validated discounts add up to at most 25 %, so the reduction cannot fail")
}
