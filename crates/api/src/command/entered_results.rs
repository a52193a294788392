//! A procurement run off the portal: the publication form's places (spec 000-C §2.20) and the
//! results entered by hand (§2.21–2.22, docs/decisions/0748), as typed inputs and as the
//! announcement's details show them.

use async_graphql::{Context, Enum, InputObject, Object, Result, SimpleObject};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::procedure::entered_results as domain;

use super::input::{IntoDomain, absent, field, money, participant, required};
use super::{CommandOutcome, announce};

/// «Закупка состоялась» / «Закупка не состоялась».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum EnteredOutcome {
    Held,
    Failed,
}

/// «Причина, по которой закупка не состоялась».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::procedure::entered_results::EnteredFailureReason",
    rename_items = "snake_case"
)]
pub enum EnteredFailureReason {
    FewerThanTwoApplications,
    OneSupplierAdmitted,
    Other,
}

/// «Резидент» / «Не резидент».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum SupplierKind {
    Resident,
    NonResident,
}

/// The supplier (tagged by `kind`): a `resident` by `id` (БИН/ИИН), a `non_resident` by
/// `taxNumber` («ИНН/УНП»); both with their `name`.
#[derive(InputObject, Debug)]
pub struct EnteredSupplierInput {
    pub kind: SupplierKind,
    pub id: Option<String>,
    pub tax_number: Option<String>,
    pub name: String,
}

impl IntoDomain for EnteredSupplierInput {
    type Domain = domain::EnteredSupplier;
    fn into_domain(self, at: &str) -> Result<domain::EnteredSupplier> {
        match self.kind {
            SupplierKind::Resident => {
                absent(at, "taxNumber", &self.tax_number, "resident")?;
                let id = required(at, "id", self.id, "resident")?;
                Ok(domain::EnteredSupplier::Resident {
                    id: participant(&field(at, "id"), &id)?,
                    name: self.name,
                })
            }
            SupplierKind::NonResident => {
                absent(at, "id", &self.id, "non_resident")?;
                Ok(domain::EnteredSupplier::NonResident {
                    tax_number: required(at, "taxNumber", self.tax_number, "non_resident")?,
                    name: self.name,
                })
            }
        }
    }
}

/// «Добавить запись о поставщике»: prices are tenge as decimal strings.
#[derive(InputObject, Debug)]
pub struct SupplierRowInput {
    pub application_number: String,
    pub supplier: EnteredSupplierInput,
    pub account: String,
    pub unit_price: String,
    pub conditional_price: String,
    pub submitted_on: NaiveDate,
}

impl IntoDomain for SupplierRowInput {
    type Domain = domain::SupplierRow;
    fn into_domain(self, at: &str) -> Result<domain::SupplierRow> {
        Ok(domain::SupplierRow {
            application_number: self.application_number,
            supplier: self.supplier.into_domain(&field(at, "supplier"))?,
            account: self.account,
            unit_price: money(&field(at, "unitPrice"), &self.unit_price)?,
            conditional_price: money(&field(at, "conditionalPrice"), &self.conditional_price)?,
            submitted_on: self.submitted_on,
        })
    }
}

/// «Данные для протокола» (tagged by `outcome`): `held` with the `suppliers`, or `failed` with
/// its `reason` (`otherReason` for `other`) and the `suppliers` the two named reasons show.
#[derive(InputObject, Debug)]
pub struct EnteredResultsInput {
    pub outcome: EnteredOutcome,
    pub reason: Option<EnteredFailureReason>,
    pub other_reason: Option<String>,
    pub suppliers: Vec<SupplierRowInput>,
}

impl IntoDomain for EnteredResultsInput {
    type Domain = domain::EnteredResults;
    fn into_domain(self, at: &str) -> Result<domain::EnteredResults> {
        let suppliers = self
            .suppliers
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.into_domain(&field(at, &format!("suppliers[{i}]"))))
            .collect::<Result<Vec<_>>>()?;
        match self.outcome {
            EnteredOutcome::Held => {
                absent(at, "reason", &self.reason, "held")?;
                absent(at, "otherReason", &self.other_reason, "held")?;
                Ok(domain::EnteredResults::Held { suppliers })
            }
            EnteredOutcome::Failed => Ok(domain::EnteredResults::Failed {
                reason: required(at, "reason", self.reason, "failed")?.into(),
                other_reason: self.other_reason,
                suppliers,
            }),
        }
    }
}

/// «Публикация объявления»: where the documentation is obtained, where the paper applications
/// are submitted (in Russian and Kazakh). All three required.
#[derive(InputObject, SimpleObject, Debug, Clone)]
#[graphql(input_name = "PublicationPlacesInput")]
pub struct PublicationPlaces {
    /// «Место и способ получения документации».
    pub documentation: String,
    /// «Место предоставления заявок на русском языке».
    pub applications_ru: String,
    /// «Место предоставления заявок на казахском языке».
    pub applications_kk: String,
}

impl From<domain::PublicationPlaces> for PublicationPlaces {
    fn from(p: domain::PublicationPlaces) -> Self {
        PublicationPlaces {
            documentation: p.documentation,
            applications_ru: p.applications_ru,
            applications_kk: p.applications_kk,
        }
    }
}

/// «Данные для протокола» as saved: the outcome, the reason of a failure, the suppliers' rows.
#[derive(SimpleObject, Debug, Clone)]
pub struct EnteredResultsInfo {
    pub outcome: EnteredOutcome,
    pub reason: Option<EnteredFailureReason>,
    pub other_reason: Option<String>,
    pub suppliers: Vec<SupplierRowInfo>,
}

/// One «запись о поставщике»: a resident's `id` (БИН/ИИН) or a non-resident's `taxNumber`.
#[derive(SimpleObject, Debug, Clone)]
pub struct SupplierRowInfo {
    pub application_number: String,
    pub kind: SupplierKind,
    pub id: Option<String>,
    pub tax_number: Option<String>,
    pub name: String,
    pub account: String,
    pub unit_price: Decimal,
    pub conditional_price: Decimal,
    pub submitted_on: NaiveDate,
}

impl From<domain::EnteredResults> for EnteredResultsInfo {
    fn from(r: domain::EnteredResults) -> Self {
        let (outcome, reason, other_reason, suppliers) = match r {
            domain::EnteredResults::Held { suppliers } => {
                (EnteredOutcome::Held, None, None, suppliers)
            }
            domain::EnteredResults::Failed {
                reason,
                other_reason,
                suppliers,
            } => (
                EnteredOutcome::Failed,
                Some(reason.into()),
                other_reason,
                suppliers,
            ),
        };
        EnteredResultsInfo {
            outcome,
            reason,
            other_reason,
            suppliers: suppliers.into_iter().map(SupplierRowInfo::from).collect(),
        }
    }
}

impl From<domain::SupplierRow> for SupplierRowInfo {
    fn from(r: domain::SupplierRow) -> Self {
        let (kind, id, tax_number, name) = match r.supplier {
            domain::EnteredSupplier::Resident { id, name } => {
                (SupplierKind::Resident, Some(id.to_string()), None, name)
            }
            domain::EnteredSupplier::NonResident { tax_number, name } => {
                (SupplierKind::NonResident, None, Some(tax_number), name)
            }
        };
        SupplierRowInfo {
            application_number: r.application_number,
            kind,
            id,
            tax_number,
            name,
            account: r.account,
            unit_price: r.unit_price.amount(),
            conditional_price: r.conditional_price.amount(),
            submitted_on: r.submitted_on,
        }
    }
}

#[derive(Default)]
pub struct EnteredResultsMutation;

#[Object]
impl EnteredResultsMutation {
    /// «Публикация объявления»'s places (organizer; a paper or non-GZ draft, spec 000-C §2.20).
    async fn set_publication_places(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        places: PublicationPlaces,
    ) -> Result<CommandOutcome> {
        let command = C::SetPublicationPlaces {
            places: domain::PublicationPlaces {
                documentation: places.documentation,
                applications_ru: places.applications_ru,
                applications_kk: places.applications_kk,
            },
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Ввести данные» / «Редактировать данные» (creator; paper and non-GZ procurements, in
    /// «Формирование протокола итогов», until the protocol is formed).
    async fn enter_results_data(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        results: EnteredResultsInput,
    ) -> Result<CommandOutcome> {
        let command = C::EnterResultsData {
            results: results.into_domain("results")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
