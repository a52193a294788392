//! The draft header common to ЗЦП and OK, spec 000-A §2.3 and the enumerations of §3.9.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::DomainError;
use crate::kernel::text;
use crate::status::portal_terms;

/// A lot's, and so the header's: the lots component's.
pub use crate::procedure::lot::SubjectType;

portal_terms! {
    /// «Способ проведения закупки» (spec 000-A; 000-B: «Аукцион» L3769–3775, «Закупка жилища» L5934; 000-C: paper L8756–8760, non-GZ L9265–9271).
    Method {
        PriceQuotations => "price_quotations", "Запрос ценовых предложений";
        OpenTender => "open_tender", "Открытый конкурс";
        Auction => "auction", "Аукцион";
        // ИОИ, spec 000-C §1.7, L6874.
        SingleSource => "single_source", "Из одного источника по несостоявшимся закупкам";
        // ГСЗ, spec 000-C §1.8, L8066–8070.
        StateSocialOrder => "state_social_order", "Государственные закупки услуг, предусмотренные государственным социальным заказом";
        Housing => "housing", "Закупка жилища";
        TwoStage => "two_stage", "Закупка с применением двухэтапных процедур";
        Prequalification => "prequalification", "Конкурс с предварительным квалификационным отбором";
        PriceQuotationsNonGz => "price_quotations_non_gz", "Запрос ценовых предложений (не ГЗ)";
        TenderNonGz => "tender_non_gz", "Тендер (не ГЗ)";
        // Spec 000-C §1.11, L9684–9690.
        QualificationSelection => "qualification_selection", "Отбор на включение в Реестр квалифицированных поставщиков";
    }
}

portal_terms! {
    /// «Тип закупки» (L114–116, L3619).
    ProcurementType {
        First => "first", "Первая";
        Repeat => "repeat", "Повторная";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Header {
    pub method: Method,
    pub procurement_type: ProcurementType,
    pub subject_type: SubjectType,
    pub name_kk: String,
    pub name_ru: String,
    /// «Закупка среди организаций, созданных общественными объединениями инвалидов».
    pub among_disabled_organizations: bool,
    /// «единый организатор»: raises the commission minimum to 5 (L1199–1207).
    pub single_organizer: bool,
}

impl Header {
    pub fn validate(&self) -> Result<(), DomainError> {
        text::name("name_kk", &self.name_kk)?;
        text::name("name_ru", &self.name_ru)?;
        self.method.rules().validate_header(self)
    }
}
