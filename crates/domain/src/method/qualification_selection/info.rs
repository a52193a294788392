//! «Сведения о квалификации» (spec 000-C §2.23, Q8, L10042–10110): per admitted supplier, the
//! secretary confirms or not each row of the qualification data the supplier gave when applying;
//! the confirmed rows feed the public Registry of qualified suppliers (L10100–10104) and the
//! conditional discounts of the prequalification tender.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::method::procedure::OpenTenderProcedure;
use crate::status::portal_terms;

portal_terms! {
    /// The parts of the qualification data (L10058–10081).
    QualificationSection {
        /// From Приложение 8, «Сведения о квалификации при закупках работ» (L10058–10062).
        WorkExperience => "work_experience", "Сведения об опыте работы";
        /// The optional standards documents (L10064–10081).
        Standards => "standards", "Сведения о документах, подтверждающих соответствие предлагаемых товаров, работ, услуг стандартам";
    }
}

portal_terms! {
    /// «Решение» of a row, required on every row (L10092–10094).
    QualificationRowDecision {
        Confirmed => "confirmed", "Подтверждено";
        NotConfirmed => "not_confirmed", "Не подтверждено";
    }
}

portal_terms! {
    /// The link of an admitted supplier's data (L10044–10046, L10108–10110).
    QualificationInfoStatus {
        Required => "qualification_info_required", "Требуется заполнение";
        Filled => "qualification_info_filled", "Заполнено";
    }
}

/// One row of the qualification data with the secretary's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QualificationRow {
    pub section: QualificationSection,
    /// What the row states, as the supplier gave it.
    pub description: String,
    pub decision: QualificationRowDecision,
}

/// One row as the secretary saves it: a row left undecided is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QualificationRowInput {
    pub section: QualificationSection,
    pub description: String,
    pub decision: Option<QualificationRowDecision>,
}

impl QualificationRowInput {
    /// Q8: «Решение» is required on every row (L10092–10094).
    pub fn decided(self) -> Result<QualificationRow, DomainError> {
        crate::kernel::text::text("description", &self.description)?;
        let decision = self
            .decision
            .ok_or_else(crate::announcement::refusal::qualification_row_undecided)?;
        Ok(QualificationRow {
            section: self.section,
            description: self.description,
            decision,
        })
    }
}

/// «Сохранить» of an admitted supplier's qualification data: status «Заполнено».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct QualificationInfoFilled {
    pub application_id: ApplicationId,
    pub supplier_bin: Bin,
    pub rows: Vec<QualificationRow>,
    pub filled_by: Iin,
    pub filled_at: DateTime<Utc>,
}

/// A supplier's saved qualification data.
pub type QualificationInfo = QualificationInfoFilled;

/// What only a qualification selection has: the commission's parts (as the open tender's, with
/// no documentation discussion nor discounts used) and the qualification data.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QualificationSelectionProcedure {
    pub review: OpenTenderProcedure,
    pub qualification: BTreeMap<ApplicationId, QualificationInfo>,
}

impl QualificationSelectionProcedure {
    pub fn filled(&mut self, event: &QualificationInfoFilled) {
        self.qualification
            .insert(event.application_id, event.clone());
    }

    pub fn status(&self, application_id: &ApplicationId) -> QualificationInfoStatus {
        match self.qualification.contains_key(application_id) {
            true => QualificationInfoStatus::Filled,
            false => QualificationInfoStatus::Required,
        }
    }

    /// The confirmed rows of a supplier: what the public registry shows.
    pub fn confirmed(&self, application_id: &ApplicationId) -> Vec<&QualificationRow> {
        self.qualification
            .get(application_id)
            .map(|i| {
                i.rows
                    .iter()
                    .filter(|r| r.decision == QualificationRowDecision::Confirmed)
                    .collect()
            })
            .unwrap_or_default()
    }
}
