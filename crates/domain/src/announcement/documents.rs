//! What the organizer prepares before publication besides lots: representatives (§2.5), the
//! tender documentation (§2.7) and the contract draft (§2.10).

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::refusal;
use crate::commission::Person;
use crate::error::DomainError;
use crate::kernel::file::FileRef;

/// «Лицо, утверждающее документацию» with its order (L1164–1172); filled on the organizer's side
/// for a single organizer, on the customer's otherwise (L1182–1192) — one record either way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Approver {
    pub full_name: String,
    pub order_number: String,
    pub order_date: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Representatives {
    /// «Срок действия заявки», calendar days, at least 60 (L1070–1076).
    pub application_validity_days: u32,
    pub organizer_representative: Person,
    pub customer_representative: Person,
    pub organizer_bank_account: String,
    /// «Банковские реквизиты для обеспечения заявки».
    pub security_bank_account: String,
    pub customer_bank_account: String,
    pub approver: Approver,
}

pub const MIN_APPLICATION_VALIDITY_DAYS: u32 = 60;

/// The organizer's and the customer's representatives named by «Изменить данные представителя»
/// on an announcement published without the representatives step: a ЗЦП, whose draft has none
/// (L81–428, L670–700, docs/decisions/0602).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangedRepresentatives {
    pub organizer_representative: Person,
    pub customer_representative: Person,
}

impl Representatives {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.application_validity_days < MIN_APPLICATION_VALIDITY_DAYS {
            return Err(refusal::application_validity_too_short());
        }
        let texts = [
            (
                "organizer_representative",
                &self.organizer_representative.full_name,
            ),
            (
                "customer_representative",
                &self.customer_representative.full_name,
            ),
            ("organizer_bank_account", &self.organizer_bank_account),
            ("security_bank_account", &self.security_bank_account),
            ("customer_bank_account", &self.customer_bank_account),
            ("approver", &self.approver.full_name),
            ("order_number", &self.approver.order_number),
        ];
        match texts.iter().find(|(_, t)| t.trim().is_empty()) {
            Some((field, _)) => Err(refusal::missing_field(field)),
            None => Ok(()),
        }
    }
}

/// A document of the list generated from the Rules, with the flag «обязательность для
/// поставщика» (L1230–1240).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RequiredDocument {
    pub name: String,
    pub obligatory_for_supplier: bool,
}

/// The generated tender documentation and Appendix 1, signed (L1344–1367).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TenderDocumentation {
    pub documents: Vec<RequiredDocument>,
    pub licences: Vec<String>,
    pub permits: Vec<String>,
    pub signed_documentation: FileRef,
    pub signed_appendix1: FileRef,
}

impl TenderDocumentation {
    pub fn validate(&self) -> Result<(), DomainError> {
        self.signed_documentation.validate()?;
        self.signed_appendix1.validate()
    }
}

/// A clause added to the template; only possible while drafting (L335–339, L1426–1430).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContractClause {
    pub name_kk: String,
    pub name_ru: String,
}

/// The approved and signed contract draft (L357–365, L1476–1478). Advance-payment and
/// contract-security conditions come from the standard templates and are not data here
/// (L1466–1474).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContractDraft {
    pub template: String,
    pub added_clauses: Vec<ContractClause>,
    pub signed_document: FileRef,
}

impl ContractDraft {
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.template.trim().is_empty() {
            return Err(refusal::missing_field("template"));
        }
        self.signed_document.validate()
    }
}
