//! Lots from the customers' plan items (the lot pool, spec 000-A §2.4, §2.9, §9.2): adding and
//! removing them, their terms and technical specifications, and the contract process's reports.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::lot::{LotSource, LotTerms, TechnicalSpecification, WorkDumping};

use super::drafting::SubjectType;
use super::input::{self, FileRefInput, IntoDomain, absent, field, required};
use super::{CommandOutcome, announce, plan_item, plan_items};

/// A lot from a customer's plan item (`LotSource`). The engine reserves the plan item first.
#[derive(InputObject, Debug)]
pub struct LotSourceInput {
    pub plan_item_id: String,
    pub lot_number: String,
    pub customer_bin: String,
    pub name_ru: String,
    pub name_kk: String,
    /// The amount allocated to the lot: tenge as a decimal string.
    pub amount: String,
    /// The plan item's КТРУ code, `NNNNNN.NNN.NNNNNN`.
    pub ktru: Option<String>,
}

impl IntoDomain for LotSourceInput {
    type Domain = LotSource;
    fn into_domain(self, at: &str) -> Result<LotSource> {
        Ok(LotSource {
            plan_item_id: input::plan_item(&field(at, "planItemId"), &self.plan_item_id)?,
            lot_number: self.lot_number,
            customer_bin: input::bin(&field(at, "customerBin"), &self.customer_bin)?,
            name_ru: self.name_ru,
            name_kk: self.name_kk,
            amount: input::money(&field(at, "amount"), &self.amount)?,
            ktru: self
                .ktru
                .map(|k| input::ktru(&field(at, "ktru"), &k))
                .transpose()?,
        })
    }
}

/// «Признак демпинга» of a work lot.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum WorkDumpingAttribute {
    WorkWithoutDumping,
    WorkWithDumping,
}

/// «Работа».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "zakup_domain::lot::WorkKind")]
pub enum WorkKind {
    #[graphql(name = "work_with_feasibility_and_design")]
    WithFeasibilityAndDesign,
    #[graphql(name = "work_developing_feasibility_or_design")]
    DevelopingFeasibilityOrDesign,
}

/// The dumping data of a work lot (`WorkDumping`, tagged by `attribute`); the fields after
/// `attribute` are those of `work_with_dumping`.
#[derive(InputObject, Debug)]
pub struct WorkDumpingInput {
    pub attribute: WorkDumpingAttribute,
    pub expertise: Option<bool>,
    pub kind: Option<WorkKind>,
    /// Tenge as a decimal string.
    pub dumping_amount: Option<String>,
    pub work_experience: Option<String>,
}

impl IntoDomain for WorkDumpingInput {
    type Domain = WorkDumping;
    fn into_domain(self, at: &str) -> Result<WorkDumping> {
        match self.attribute {
            WorkDumpingAttribute::WorkWithoutDumping => {
                let variant = "work_without_dumping";
                absent(at, "expertise", &self.expertise, variant)?;
                absent(at, "kind", &self.kind, variant)?;
                absent(at, "dumpingAmount", &self.dumping_amount, variant)?;
                absent(at, "workExperience", &self.work_experience, variant)?;
                Ok(WorkDumping::WorkWithoutDumping)
            }
            WorkDumpingAttribute::WorkWithDumping => {
                let variant = "work_with_dumping";
                let amount = required(at, "dumpingAmount", self.dumping_amount, variant)?;
                Ok(WorkDumping::WorkWithDumping {
                    expertise: required(at, "expertise", self.expertise, variant)?,
                    kind: self.kind.map(Into::into),
                    dumping_amount: input::money(&field(at, "dumpingAmount"), &amount)?,
                    work_experience: self.work_experience,
                })
            }
        }
    }
}

/// The lot's data by subject (`LotTerms`, tagged by `subject`): `deliveryConditions` for goods,
/// `dumping` for work, `engineering` and `dumpingAmount` for a service.
#[derive(InputObject, Debug)]
pub struct LotTermsInput {
    pub subject: SubjectType,
    /// Incoterms code.
    pub delivery_conditions: Option<String>,
    pub dumping: Option<WorkDumpingInput>,
    /// «Инжиниринговая услуга».
    pub engineering: Option<bool>,
    /// Tenge as a decimal string.
    pub dumping_amount: Option<String>,
}

impl IntoDomain for LotTermsInput {
    type Domain = LotTerms;
    fn into_domain(self, at: &str) -> Result<LotTerms> {
        let variant = match self.subject {
            SubjectType::Goods => "goods",
            SubjectType::Work => "work",
            SubjectType::Service => "service",
        };
        if self.subject != SubjectType::Goods {
            absent(at, "deliveryConditions", &self.delivery_conditions, variant)?;
        }
        if self.subject != SubjectType::Work {
            absent(at, "dumping", &self.dumping, variant)?;
        }
        if self.subject != SubjectType::Service {
            absent(at, "engineering", &self.engineering, variant)?;
            absent(at, "dumpingAmount", &self.dumping_amount, variant)?;
        }
        Ok(match self.subject {
            SubjectType::Goods => LotTerms::Goods {
                delivery_conditions: required(
                    at,
                    "deliveryConditions",
                    self.delivery_conditions,
                    variant,
                )?,
            },
            SubjectType::Work => LotTerms::Work {
                dumping: required(at, "dumping", self.dumping, variant)?
                    .into_domain(&field(at, "dumping"))?,
            },
            SubjectType::Service => LotTerms::Service {
                engineering: required(at, "engineering", self.engineering, variant)?,
                dumping_amount: self
                    .dumping_amount
                    .map(|a| input::money(&field(at, "dumpingAmount"), &a))
                    .transpose()?,
            },
        })
    }
}

/// How a technical specification is given.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum SpecificationForm {
    /// Goods: the filled template, signed as a generated PDF.
    Template,
    /// Works and services: attached signed files.
    Files,
}

/// «Техническая спецификация» (`TechnicalSpecification`, tagged by `form`): the texts and
/// `signedDocument` of a `template`, or the `files`.
#[derive(InputObject, Debug)]
pub struct TechnicalSpecificationInput {
    pub form: SpecificationForm,
    pub description_kk: Option<String>,
    pub description_ru: Option<String>,
    pub characteristics_kk: Option<String>,
    pub characteristics_ru: Option<String>,
    pub signed_document: Option<FileRefInput>,
    pub files: Option<Vec<FileRefInput>>,
}

impl IntoDomain for TechnicalSpecificationInput {
    type Domain = TechnicalSpecification;
    fn into_domain(self, at: &str) -> Result<TechnicalSpecification> {
        match self.form {
            SpecificationForm::Template => {
                let variant = "template";
                absent(at, "files", &self.files, variant)?;
                let text = |name, value| required(at, name, value, variant);
                Ok(TechnicalSpecification::Template {
                    description_kk: text("descriptionKk", self.description_kk)?,
                    description_ru: text("descriptionRu", self.description_ru)?,
                    characteristics_kk: text("characteristicsKk", self.characteristics_kk)?,
                    characteristics_ru: text("characteristicsRu", self.characteristics_ru)?,
                    signed_document: required(at, "signedDocument", self.signed_document, variant)?
                        .into_domain(&field(at, "signedDocument"))?,
                })
            }
            SpecificationForm::Files => {
                let variant = "files";
                absent(at, "descriptionKk", &self.description_kk, variant)?;
                absent(at, "descriptionRu", &self.description_ru, variant)?;
                absent(at, "characteristicsKk", &self.characteristics_kk, variant)?;
                absent(at, "characteristicsRu", &self.characteristics_ru, variant)?;
                absent(at, "signedDocument", &self.signed_document, variant)?;
                let files = required(at, "files", self.files, variant)?;
                Ok(TechnicalSpecification::Files {
                    files: files.into_domain(&field(at, "files"))?,
                })
            }
        }
    }
}

#[derive(Default)]
pub struct LotMutation;

#[Object]
impl LotMutation {
    /// Lots from the customers' plan items. The engine reserves each plan item first.
    async fn add_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        lots: Vec<LotSourceInput>,
    ) -> Result<CommandOutcome> {
        let lots = lots.into_domain("lots")?;
        announce(ctx, command_id, announcement_id, C::AddLots { lots }).await
    }

    async fn remove_lots(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_ids: Vec<String>,
    ) -> Result<CommandOutcome> {
        let plan_item_ids = plan_items(&plan_item_ids)?;
        let command = C::RemoveLots { plan_item_ids };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn set_lot_terms(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        terms: LotTermsInput,
    ) -> Result<CommandOutcome> {
        let command = C::SetLotTerms {
            plan_item_id: plan_item(&plan_item_id)?,
            terms: terms.into_domain("terms")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn attach_technical_specification(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        specification: TechnicalSpecificationInput,
    ) -> Result<CommandOutcome> {
        let command = C::AttachTechnicalSpecification {
            plan_item_id: plan_item(&plan_item_id)?,
            specification: specification.into_domain("specification")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn remove_technical_specification(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
    ) -> Result<CommandOutcome> {
        let command = C::RemoveTechnicalSpecification {
            plan_item_id: plan_item(&plan_item_id)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// The contract process reports a contract draft on a lot (it blocks cancellation).
    async fn record_lot_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
        contract_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::RecordLotContractDraft {
            plan_item_id: plan_item(&plan_item_id)?,
            contract_id,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn record_lot_contract_deleted(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        plan_item_id: String,
    ) -> Result<CommandOutcome> {
        let command = C::RecordLotContractDeleted {
            plan_item_id: plan_item(&plan_item_id)?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
