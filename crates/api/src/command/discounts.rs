//! Conditional discounts, open tender only (spec 000-A §8.1): the secretary fills the form for
//! each application on a lot, then completes the step.

use async_graphql::{Context, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::application::{ApplicationId, DiscountForm};

use super::input::{self, IntoDomain, field};
use super::{CommandOutcome, announce, plan_item};

/// The discount form as entered (`DiscountForm`): every field filled, `0` when no discount
/// applies. Percentages are decimal strings.
#[derive(InputObject, Debug)]
pub struct DiscountFormInput {
    pub experience_years: Option<u8>,
    pub experience_months: Option<u8>,
    pub experience_pct: Option<String>,
    pub qms_pct: Option<String>,
    pub ems_pct: Option<String>,
    pub sechp_pct: Option<String>,
    pub voluntary_conformity_pct: Option<String>,
    pub functional_pct: Option<String>,
    pub technical_pct: Option<String>,
    pub quality_pct: Option<String>,
    pub operational_pct: Option<String>,
}

impl IntoDomain for DiscountFormInput {
    type Domain = DiscountForm;
    fn into_domain(self, at: &str) -> Result<DiscountForm> {
        let pct = |name: &str, raw: Option<String>| {
            raw.map(|r| input::decimal(&field(at, name), &r))
                .transpose()
        };
        Ok(DiscountForm {
            experience_years: self.experience_years,
            experience_months: self.experience_months,
            experience_pct: pct("experiencePct", self.experience_pct)?,
            qms_pct: pct("qmsPct", self.qms_pct)?,
            ems_pct: pct("emsPct", self.ems_pct)?,
            sechp_pct: pct("sechpPct", self.sechp_pct)?,
            voluntary_conformity_pct: pct("voluntaryConformityPct", self.voluntary_conformity_pct)?,
            functional_pct: pct("functionalPct", self.functional_pct)?,
            technical_pct: pct("technicalPct", self.technical_pct)?,
            quality_pct: pct("qualityPct", self.quality_pct)?,
            operational_pct: pct("operationalPct", self.operational_pct)?,
        })
    }
}

/// Conditional discounts for one application on a lot.
#[derive(InputObject, Debug)]
pub struct DiscountEntryInput {
    pub application_id: Uuid,
    pub form: DiscountFormInput,
}

impl IntoDomain for DiscountEntryInput {
    type Domain = (ApplicationId, DiscountForm);
    fn into_domain(self, at: &str) -> Result<Self::Domain> {
        let form = self.form.into_domain(&field(at, "form"))?;
        Ok((ApplicationId(self.application_id), form))
    }
}

#[derive(Default)]
pub struct DiscountMutation;

#[Object]
impl DiscountMutation {
    async fn fill_conditional_discounts(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        entries: Vec<DiscountEntryInput>,
    ) -> Result<CommandOutcome> {
        let command = C::FillConditionalDiscounts {
            plan_item_id: plan_item(&plan_item_id)?,
            entries: entries.into_domain("entries")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn complete_conditional_discounts(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::CompleteConditionalDiscounts;
        announce(ctx, command_id, announcement_id, command).await
    }
}
