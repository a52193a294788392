//! What the typed input objects share: the conversion into the domain's values, the readers of
//! the values inside them, and the inputs several groups of mutations use (files, people,
//! grounding acts).
//!
//! An input object keeps the field names of the event schemas (`schemas/events/`) in camelCase
//! and the domain's snake_case ids as its enumeration values, so `{"subject_type": "goods"}` in
//! an event is `{subjectType: goods}` here. A value that cannot be read (a БИН with a wrong check
//! digit, a negative amount, a date that is no date) is refused before anything is written, naming
//! where it sits (`lots[1].customerBin`, also in `extensions.field`): with the domain's own code
//! (`invalid_bin`, `money_negative`) where the domain refuses the value, exactly as the same value
//! given as an argument is refused, and `invalid_input` where it cannot be read at all. Whether
//! the whole is acceptable (a commission's size, a lot's subject) stays the aggregate's decision.

use std::fmt::Display;

use async_graphql::{Enum, ErrorExtensions, InputObject, Result};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use zakup_domain::commission::Person;
use zakup_domain::error::DomainError;
use zakup_domain::ident::{Bin, IdError, IdKind, Iin, ParticipantId};
use zakup_domain::kernel::act::GroundingAct;
use zakup_domain::kernel::file::FileRef;
use zakup_domain::ktru::KtruCode;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;

use crate::refusal;

/// An input object's conversion into the domain's value.
pub trait IntoDomain {
    type Domain;
    /// `at` names where the value sits in the arguments (`lots[1]`), for a refusal's message.
    fn into_domain(self, at: &str) -> Result<Self::Domain>;
}

impl<T: IntoDomain> IntoDomain for Vec<T> {
    type Domain = Vec<T::Domain>;
    fn into_domain(self, at: &str) -> Result<Self::Domain> {
        self.into_iter()
            .enumerate()
            .map(|(i, item)| item.into_domain(&format!("{at}[{i}]")))
            .collect()
    }
}

impl<T: IntoDomain> IntoDomain for Option<T> {
    type Domain = Option<T::Domain>;
    fn into_domain(self, at: &str) -> Result<Self::Domain> {
        self.map(|v| v.into_domain(at)).transpose()
    }
}

/// The path of a field inside the value at `at`.
pub fn field(at: &str, name: &str) -> String {
    format!("{at}.{name}")
}

fn unreadable(at: &str, why: impl Display) -> async_graphql::Error {
    refusal::invalid_input(at, why)
}

/// A value the domain refuses keeps the domain's code, its message naming where it sits.
fn refused(at: &str, e: DomainError) -> async_graphql::Error {
    let e = DomainError {
        message_ru: format!("«{at}»: {}", e.message_ru),
        message_en: format!("{at}: {}", e.message_en),
        ..e
    };
    refusal::domain(&e).extend_with(|_, x| x.set("field", at))
}

/// A field its variant needs (an input object stands for every variant of a tagged value).
pub fn required<T>(at: &str, name: &str, value: Option<T>, variant: &str) -> Result<T> {
    value.ok_or_else(|| unreadable(&field(at, name), format!("required for {variant}")))
}

/// A field that belongs to another variant: refused rather than silently dropped.
pub fn absent<T>(at: &str, name: &str, value: &Option<T>, variant: &str) -> Result<()> {
    match value {
        Some(_) => Err(unreadable(
            &field(at, name),
            format!("does not apply to {variant}"),
        )),
        None => Ok(()),
    }
}

pub fn bin(at: &str, raw: &str) -> Result<Bin> {
    raw.parse()
        .map_err(|e: IdError| refused(at, e.into_domain(IdKind::Bin)))
}

/// A БИН or an ИИН («БИН/ИИН»).
pub fn participant(at: &str, raw: &str) -> Result<ParticipantId> {
    raw.parse()
        .map_err(|e: IdError| refused(at, e.into_domain(IdKind::Participant)))
}

pub fn iin(at: &str, raw: &str) -> Result<Iin> {
    raw.parse()
        .map_err(|e: IdError| refused(at, e.into_domain(IdKind::Iin)))
}

/// Tenge as a decimal string (`"41000000.00"`): never a number, which may have passed through a
/// float.
pub fn money(at: &str, raw: &str) -> Result<Money> {
    raw.parse::<Money>()
        .map_err(|e| refused(at, DomainError::from(e)))
}

/// A percentage or other decimal, as a string for the same reason as money.
pub fn decimal(at: &str, raw: &str) -> Result<Decimal> {
    raw.parse::<Decimal>()
        .map_err(|e| unreadable(at, format!("not a decimal number {raw:?}: {e}")))
}

pub fn ktru(at: &str, raw: &str) -> Result<KtruCode> {
    raw.parse::<KtruCode>()
        .map_err(|e| refused(at, DomainError::from(e)))
}

pub fn plan_item(at: &str, raw: &str) -> Result<PlanItemId> {
    PlanItemId::parse(raw).map_err(|e| unreadable(at, e))
}

/// A file stored by the portal's file service (`FileRef`).
#[derive(InputObject, Debug)]
pub struct FileRefInput {
    pub file_id: String,
    pub name: String,
}

impl IntoDomain for FileRefInput {
    type Domain = FileRef;
    fn into_domain(self, _at: &str) -> Result<FileRef> {
        Ok(FileRef {
            file_id: self.file_id,
            name: self.name,
        })
    }
}

/// A natural person named on the announcement (`Person`).
#[derive(InputObject, Debug)]
pub struct PersonInput {
    pub iin: String,
    pub full_name: String,
}

impl IntoDomain for PersonInput {
    type Domain = Person;
    fn into_domain(self, at: &str) -> Result<Person> {
        Ok(Person {
            iin: iin(&field(at, "iin"), &self.iin)?,
            full_name: self.full_name,
        })
    }
}

/// «Орган» (L562–568).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::kernel::act::Body",
    rename_items = "snake_case"
)]
pub enum Body {
    Court,
    Prosecutor,
    StateFinancialControl,
}

/// «Акт» (L548–558).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::kernel::act::ActType",
    rename_items = "snake_case"
)]
pub enum ActType {
    Decision,
    Ruling,
    Submission,
    Notice,
    Resolution,
}

/// The act of a court, prosecutor's office or state financial control body behind a
/// suspension, resumption or cancellation (`GroundingAct`, spec 000-A §2.16).
#[derive(InputObject, Debug)]
pub struct GroundingActInput {
    pub body: Body,
    pub body_name: String,
    pub act_type: ActType,
    pub number: String,
    pub date: NaiveDate,
    pub file: FileRefInput,
}

impl IntoDomain for GroundingActInput {
    type Domain = GroundingAct;
    fn into_domain(self, at: &str) -> Result<GroundingAct> {
        Ok(GroundingAct {
            body: self.body.into(),
            body_name: self.body_name,
            act_type: self.act_type.into(),
            number: self.number,
            date: self.date,
            file: self.file.into_domain(&field(at, "file"))?,
        })
    }
}
