//! The tender commission (конкурсная комиссия): who votes, who signs, who runs the procedure.
//! Spec 000-A §2.6, §4.8, §7.1, §7.4.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use chrono::{DateTime, NaiveDate, Utc};

use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::ident::Iin;
use crate::kernel::file::FileRef;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;

/// A natural person named on the announcement, matched against the acting user by ИИН.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Person {
    pub iin: Iin,
    pub full_name: String,
}

/// Chairman + members vote and sign; the secretary runs the procedure and is not counted
/// (L1199–1207, L2345–2347).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Commission {
    pub chairman: Person,
    pub members: Vec<Person>,
    pub secretary: Person,
}

impl Commission {
    /// A review by one person, who alone decides, counts and signs: never validated as a
    /// commission, since the method that uses it has none (housing, spec 000-B §7.7).
    pub fn sole(person: Person) -> Self {
        Commission {
            chairman: person.clone(),
            members: Vec::new(),
            secretary: person,
        }
    }

    /// Chairman plus members: the counting base of every quorum.
    pub fn size(&self) -> usize {
        1 + self.members.len()
    }

    pub fn voters(&self) -> impl Iterator<Item = &Person> {
        std::iter::once(&self.chairman).chain(self.members.iter())
    }

    pub fn is_voter(&self, iin: &Iin) -> bool {
        self.voters().any(|p| &p.iin == iin)
    }

    pub fn is_secretary(&self, iin: &Iin) -> bool {
        &self.secretary.iin == iin
    }

    pub fn is_chairman(&self, iin: &Iin) -> bool {
        &self.chairman.iin == iin
    }

    /// Odd size, at least 3 (5 for a single organizer), nobody twice, the secretary outside the
    /// counted composition. Spec 000-A §2.6, L1199–1207; also on change (§4.8 AMBIGUOUS, best
    /// reading: the rule still applies).
    pub fn validate(&self, single_organizer: bool) -> Result<(), DomainError> {
        let minimum = if single_organizer { 5 } else { 3 };
        if self.size() < minimum {
            return Err(refusal::commission_too_small(minimum));
        }
        if self.size().is_multiple_of(2) {
            return Err(refusal::commission_size_even());
        }
        let mut seen = BTreeSet::new();
        for person in self.voters().chain(std::iter::once(&self.secretary)) {
            crate::kernel::text::name("full_name", &person.full_name)?;
            if !seen.insert(person.iin) {
                return Err(refusal::commission_duplicate_person());
            }
        }
        Ok(())
    }

    /// A strict majority of the commission including the chairman (L2345–2347, L2447–2451).
    /// Used for votes and, by the same reading, for signatures (spec §6 AMBIGUOUS).
    pub fn is_quorum<'a>(&self, present: impl IntoIterator<Item = &'a Iin>) -> bool {
        let present: BTreeSet<&Iin> = present.into_iter().filter(|i| self.is_voter(i)).collect();
        present.contains(&self.chairman.iin) && present.len() * 2 > self.size()
    }
}

/// To whom a commission member's query went («Запрос отправлен», L2979–2985).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "sent_to", rename_all = "snake_case")]
pub enum QueryRecipient {
    /// «Поставщик»: one of the suppliers that applied to the lot (L2995–3003).
    Supplier { application_id: ApplicationId },
    /// «Организация/лицо которому направлен запрос», named in both languages (L3015–3035).
    OtherParty { name_kk: String, name_ru: String },
}

/// «Данные о запросах ЧКК»: a record the secretary keeps of a member's query during the
/// re-review (L2939–3079). It has no effect on the procedure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommissionQuery {
    pub plan_item_id: PlanItemId,
    pub recipient: QueryRecipient,
    pub info_kk: String,
    pub info_ru: String,
    pub sent_on: NaiveDate,
    pub answer_kk: Option<String>,
    pub answer_ru: Option<String>,
}

impl CommissionQuery {
    pub fn validate(&self) -> Result<(), DomainError> {
        if let QueryRecipient::OtherParty { name_kk, name_ru } = &self.recipient {
            crate::kernel::text::name("recipient_name", name_kk)?;
            crate::kernel::text::name("recipient_name", name_ru)?;
        }
        crate::kernel::text::text("query_info", &self.info_kk)?;
        crate::kernel::text::text("query_info", &self.info_ru)?;
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommissionSet {
    pub commission: Commission,
    pub set_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommissionChanged {
    pub commission: Commission,
    pub decision: ChangeDecision,
    pub changed_by: Iin,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CommissionQueryRecorded {
    pub query: CommissionQuery,
    pub recorded_at: DateTime<Utc>,
}

/// The decision behind a change of commission: number, date and file are required (L1966–1970).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ChangeDecision {
    pub number: String,
    pub date: NaiveDate,
    pub file: FileRef,
}

impl ChangeDecision {
    pub fn validate(&self) -> Result<(), DomainError> {
        crate::kernel::text::number("decision_number", &self.number)?;
        self.file.validate()
    }
}
