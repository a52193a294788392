//! A procurement run off the portal: where its paper applications are submitted («Публикация
//! объявления», spec 000-C §2.20, seed L8938–8946, L9391–9399) and its results entered by hand
//! («Данные для протокола», §2.21–2.22, seed L9005–9216, L9434–9643). The creator states whether
//! it took place and enters the suppliers' applications, residents found by their БИН/ИИН or
//! non-residents entered by their foreign tax number; the results protocol is formed from them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::ident::ParticipantId;
use crate::kernel::text;
use crate::lot::LotOutcome;
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;
use crate::status::portal_terms;

portal_terms! {
    /// «Причина, по которой закупка не состоялась» (L9192–9212): the two the seed names, and
    /// the others of its dropdown, which it does not list.
    EnteredFailureReason {
        FewerThanTwoApplications => "fewer_than_two_applications", "представление менее двух заявок";
        OneSupplierAdmitted => "one_supplier_admitted", "к участию в закупке допущен один потенциальный поставщик";
        Other => "other", "иная причина";
    }
}

/// «Поставщик»: a resident found by БИН/ИИН, or a non-resident entered by «ИНН/УНП» and name
/// (L9099–9149).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EnteredSupplier {
    Resident { id: ParticipantId, name: String },
    NonResident { tax_number: String, name: String },
}

/// «Добавить запись о поставщике» (L9034–9087).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SupplierRow {
    /// «№ заявки».
    pub application_number: String,
    pub supplier: EnteredSupplier,
    /// «ИИК».
    pub account: String,
    /// «Цена за ед.».
    pub unit_price: Money,
    /// «Условная цена».
    pub conditional_price: Money,
    /// «Дата подачи заявки».
    pub submitted_on: NaiveDate,
}

/// What the creator enters: the procurement took place, or not and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum EnteredResults {
    /// «Закупка состоялась»: at least two applications (L9056–9058).
    Held { suppliers: Vec<SupplierRow> },
    /// «Закупка не состоялась»: the reason; the applications only for the two named reasons
    /// (L9200–9212).
    Failed {
        reason: EnteredFailureReason,
        /// What «иная причина» is; none for the named reasons.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        other_reason: Option<String>,
        suppliers: Vec<SupplierRow>,
    },
}

/// Fact: the results data saved, or saved again («Редактировать данные», L9225–9227).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResultsDataEntered {
    pub results: EnteredResults,
    pub entered_at: DateTime<Utc>,
}

/// «Публикация объявления» (L8938–8946, L9391–9399): the places the portal cannot replace, since
/// the documentation is handed out and the applications are submitted on paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PublicationPlaces {
    /// «Место и способ получения документации».
    pub documentation: String,
    /// «Место предоставления заявок на русском языке».
    pub applications_ru: String,
    /// «Место предоставления заявок на казахском языке».
    pub applications_kk: String,
}

/// Fact: the publication form's places saved (or saved again) on the draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PublicationPlacesSet {
    pub places: PublicationPlaces,
    pub set_at: DateTime<Utc>,
}

/// The data saved so far.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EnteredData {
    pub places: Option<PublicationPlaces>,
    pub results: Option<EnteredResults>,
}

impl PublicationPlaces {
    /// All three are required (spec 000-C §2.20; S23: without the Kazakh place, refused).
    pub fn validate(&self) -> Result<(), DomainError> {
        text::text("documentation_place", &self.documentation)?;
        text::text("applications_place_ru", &self.applications_ru)?;
        text::text("applications_place_kk", &self.applications_kk)
    }
}

const MIN_HELD_ROWS: usize = 2;

impl SupplierRow {
    fn validate(&self) -> Result<(), DomainError> {
        text::number("application_number", &self.application_number)?;
        match &self.supplier {
            EnteredSupplier::Resident { name, .. } => text::name("supplier_name", name)?,
            EnteredSupplier::NonResident { tax_number, name } => {
                text::number("tax_number", tax_number)?;
                text::name("supplier_name", name)?;
            }
        }
        text::number("account", &self.account)?;
        if self.unit_price.is_zero() || self.conditional_price.is_zero() {
            return Err(refusal::invalid_amount());
        }
        Ok(())
    }
}

impl EnteredResults {
    pub fn suppliers(&self) -> &[SupplierRow] {
        match self {
            EnteredResults::Held { suppliers } | EnteredResults::Failed { suppliers, .. } => {
                suppliers
            }
        }
    }

    /// L9056–9058, L9192–9212: two applications for a procurement that took place; for one that
    /// did not, a reason, «иная причина» stated, and applications only for the two named
    /// reasons (at least one then, docs/decisions/0748); application numbers told apart.
    pub fn validate(&self) -> Result<(), DomainError> {
        match self {
            EnteredResults::Held { suppliers } if suppliers.len() < MIN_HELD_ROWS => {
                return Err(refusal::two_applications_required());
            }
            EnteredResults::Held { .. } => {}
            EnteredResults::Failed {
                reason,
                other_reason,
                suppliers,
            } => match (reason, other_reason) {
                (EnteredFailureReason::Other, Some(text)) => {
                    text::text("other_reason", text)?;
                    if !suppliers.is_empty() {
                        return Err(refusal::field_not_applicable("suppliers"));
                    }
                }
                (EnteredFailureReason::Other, None) => {
                    return Err(refusal::missing_field("other_reason"));
                }
                (_, Some(_)) => return Err(refusal::field_not_applicable("other_reason")),
                (_, None) if suppliers.is_empty() => {
                    return Err(refusal::missing_field("suppliers"));
                }
                (_, None) => {}
            },
        }
        let mut numbers = std::collections::BTreeSet::new();
        for row in self.suppliers() {
            row.validate()?;
            if !numbers.insert(row.application_number.trim()) {
                return Err(refusal::duplicate_id());
            }
        }
        Ok(())
    }

    /// The winner of a procurement that took place: the lowest conditional price, equal prices
    /// to the earlier application (docs/decisions/0748). Its id is derived from the
    /// announcement and the application's number, so a replay names the same one.
    pub fn winner(&self, announcement_id: Uuid) -> Option<ApplicationId> {
        let EnteredResults::Held { suppliers } = self else {
            return None;
        };
        suppliers
            .iter()
            .min_by_key(|r| (r.conditional_price, r.submitted_on))
            .map(|r| application_id(announcement_id, &r.application_number))
    }

    /// Every active lot's outcome: the procurement as a whole took place or not.
    pub fn outcomes<'a>(
        &self,
        announcement_id: Uuid,
        lots: impl Iterator<Item = &'a PlanItemId>,
    ) -> BTreeMap<PlanItemId, LotOutcome> {
        let outcome = match self.winner(announcement_id) {
            Some(winner) => LotOutcome::Held { winner },
            None => LotOutcome::Failed { reason: None },
        };
        lots.map(|lot| (lot.clone(), outcome.clone())).collect()
    }
}

/// The id of an application entered by hand.
pub fn application_id(announcement_id: Uuid, application_number: &str) -> ApplicationId {
    let name = format!("entered/{}", application_number.trim());
    ApplicationId(Uuid::new_v5(&announcement_id, name.as_bytes()))
}

impl EnteredData {
    pub fn places_set(&mut self, e: &PublicationPlacesSet) {
        self.places = Some(e.places.clone());
    }

    pub fn entered(&mut self, e: &ResultsDataEntered) {
        self.results = Some(e.results.clone());
    }
}
