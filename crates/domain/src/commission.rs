//! The tender commission (конкурсная комиссия): who votes, who signs, who runs the procedure.
//! Spec 000-A §2.6, §4.8, §7.1, §7.4.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::announcement::refusal;
use crate::error::DomainError;
use crate::ident::Iin;

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
            if person.full_name.trim().is_empty() {
                return Err(refusal::missing_field("full_name"));
            }
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
