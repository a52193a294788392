//! БИН (business identification number) and ИИН (individual identification number).
//!
//! Both are 12 digits ending in a check digit. The seeds say only that the participant is
//! identified by «ИИН/БИН» taken from the signing certificate (seed 002 L2116–2124, L3251;
//! spec 002-003 §"BIN", "Length is not stated in this seed (12 digits in Kazakh law)").
//! The structure below comes from Kazakh law on the national registers of identification
//! numbers; see the doc comments of [`Iin`] and [`Bin`] for what is checked and how it was verified.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernel::error::DomainError;

/// Why a string is not a valid ИИН or БИН.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdError {
    /// Not exactly 12 ASCII digits (11 for the prefix given to a generator).
    NotDigits(String),
    /// The 12th digit differs from the one computed from the first 11.
    CheckDigit { expected: u8, found: u8 },
    /// The first 11 digits give remainder 10 with both weight sequences: no number has them.
    NoCheckDigit,
    /// ИИН digits 1–6 are not a date YYMMDD.
    BirthDate,
    /// ИИН digit 7 is not a century/sex code 0–6.
    CenturySex(u8),
    /// БИН digits 3–4 are not a month 01–12.
    RegistrationMonth,
    /// БИН digit 5 is not an entity type 4, 5 or 6.
    EntityType(u8),
    /// БИН digit 6 is not an attribute 0–3.
    Attribute(u8),
}

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotDigits(s) => write!(f, "not 12 digits (11 for a prefix): {s:?}"),
            Self::CheckDigit { expected, found } => {
                write!(f, "check digit is {found}, expected {expected}")
            }
            Self::NoCheckDigit => f.write_str("the first 11 digits admit no check digit"),
            Self::BirthDate => f.write_str("digits 1-6 are not a date YYMMDD"),
            Self::CenturySex(d) => write!(f, "digit 7 is {d}, not a century/sex code 0-6"),
            Self::RegistrationMonth => f.write_str("digits 3-4 are not a month 01-12"),
            Self::EntityType(d) => write!(f, "digit 5 is {d}, not an entity type 4, 5 or 6"),
            Self::Attribute(d) => write!(f, "digit 6 is {d}, not an attribute 0-3"),
        }
    }
}

impl std::error::Error for IdError {}

impl IdError {
    /// The refusal for this error: one stable code per kind of number, the detail in the message.
    pub fn into_domain(self, kind: IdKind) -> DomainError {
        let (code, ru) = match kind {
            IdKind::Iin => ("invalid_iin", "Неверный ИИН"),
            IdKind::Bin => ("invalid_bin", "Неверный БИН"),
            IdKind::Participant => ("invalid_iin_bin", "Неверный ИИН/БИН"),
        };
        DomainError::new(code, ru, format!("invalid {}: {self}", kind.label()))
    }
}

/// Which of the two numbers a refusal is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Iin,
    Bin,
    /// Either: a participant's «ИИН/БИН».
    Participant,
}

impl IdKind {
    fn label(self) -> &'static str {
        match self {
            Self::Iin => "IIN",
            Self::Bin => "BIN",
            Self::Participant => "IIN/BIN",
        }
    }
}

/// The check digit of the first 11 digits: Σ dᵢ·i (i = 1..11) mod 11; on 10, again with the
/// weights 3,4,5,6,7,8,9,10,11,1,2; on 10 again, no check digit exists and no number is issued.
fn check_digit(first11: &[u8; 11]) -> Option<u8> {
    const FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    const SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];
    let weighted = |weights: &[u32; 11]| {
        let sum: u32 = first11
            .iter()
            .zip(weights)
            .map(|(d, w)| u32::from(*d) * w)
            .sum();
        sum % 11
    };
    let result = match weighted(&FIRST) {
        10 => weighted(&SECOND),
        r => r,
    };
    u8::try_from(result).ok().filter(|r| *r < 10)
}

fn digits<const N: usize>(s: &str) -> Result<[u8; N], IdError> {
    let bytes = s.as_bytes();
    if bytes.len() != N || !bytes.iter().all(u8::is_ascii_digit) {
        return Err(IdError::NotDigits(s.to_owned()));
    }
    Ok(std::array::from_fn(|i| bytes[i] - b'0'))
}

/// The 12 digits of `prefix` and its check digit, after the structural checks of `structure`
/// (which come first: a prefix that is no ИИН/БИН is refused for that, not for its check digit).
fn with_check_digit(
    prefix: &str,
    structure: fn(&[u8; 12]) -> Result<(), IdError>,
) -> Result<[u8; 12], IdError> {
    let first11: [u8; 11] = digits(prefix)?;
    let mut d: [u8; 12] = std::array::from_fn(|i| if i < 11 { first11[i] } else { 0 });
    structure(&d)?;
    d[11] = check_digit(&first11).ok_or(IdError::NoCheckDigit)?;
    Ok(d)
}

fn verify_check_digit(d: &[u8; 12]) -> Result<(), IdError> {
    let first11: [u8; 11] = std::array::from_fn(|i| d[i]);
    let expected = check_digit(&first11).ok_or(IdError::NoCheckDigit)?;
    if expected != d[11] {
        return Err(IdError::CheckDigit {
            expected,
            found: d[11],
        });
    }
    Ok(())
}

fn two(d: &[u8; 12], at: usize) -> u32 {
    u32::from(d[at]) * 10 + u32::from(d[at + 1])
}

fn write_digits(d: &[u8; 12], f: &mut fmt::Formatter<'_>) -> fmt::Result {
    d.iter()
        .try_for_each(|x| fmt::Write::write_char(f, char::from(b'0' + x)))
}

/// ИИН, the individual identification number (Kazakh ЖСН).
///
/// Checked: 12 digits; digits 1–6 are the birth date YYMMDD; digit 7 is the century and sex
/// (1/2 — born in the 19th century, male/female; 3/4 — 20th; 5/6 — 21st); digit 12 is the check
/// digit: Σ dᵢ·i (i = 1..11) mod 11, on 10 again with the weights 3,4,5,6,7,8,9,10,11,1,2, and on
/// 10 again no number exists. Digits 8–11 are a serial number and are not checked.
///
/// Verified (November 2026, public sources through the search tool, not the decree itself): the
/// structure and the two weight sequences agree in the egov.kz description quoted by the
/// `valery1707/kaz-person-id` validator (which cites the Government decree of 2007 No. 406 for the
/// check digit), the `adilkhash` ИИН/БИН gist and the `kz-iin-validator` package; a remainder of
/// 10 with both sequences matches no digit there, so such a number is invalid. Published numbers
/// that pass: `791028302728`, `061211600012`.
///
/// Digit 7 = 0 is accepted, although the validators above reject it (docs/decisions/0101): the
/// decree text was not at hand, refusing a genuine ИИН would lock a person out of the portal, and a
/// made-up number still has to pass the check digit. With 0 the century is unknown, so the date is
/// checked against a leap year (29 February allowed) and [`Iin::birth_date`] is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Iin([u8; 12]);

impl Iin {
    /// A valid ИИН from its first 11 digits, the check digit computed (tests and demo data).
    pub fn from_prefix(first11: &str) -> Result<Self, IdError> {
        Ok(Self(with_check_digit(first11, Self::structure)?))
    }

    /// The birth date, when digit 7 gives the century.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let century = match self.0[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            _ => return None,
        };
        NaiveDate::from_ymd_opt(
            century + two(&self.0, 0) as i32,
            two(&self.0, 2),
            two(&self.0, 4),
        )
    }

    fn validate(d: [u8; 12]) -> Result<Self, IdError> {
        Self::structure(&d)?;
        verify_check_digit(&d)?;
        Ok(Self(d))
    }

    fn structure(d: &[u8; 12]) -> Result<(), IdError> {
        match d[6] {
            // Century unknown: a leap year (2000) admits every day a YYMMDD may name.
            0 => NaiveDate::from_ymd_opt(2000, two(d, 2), two(d, 4))
                .map(|_| ())
                .ok_or(IdError::BirthDate),
            1..=6 => Iin(*d).birth_date().map(|_| ()).ok_or(IdError::BirthDate),
            other => Err(IdError::CenturySex(other)),
        }
    }
}

/// The type of a legal entity, БИН digit 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityType {
    /// 4 — юридическое лицо-резидент.
    ResidentLegalEntity,
    /// 5 — юридическое лицо-нерезидент.
    NonResidentLegalEntity,
    /// 6 — индивидуальный предприниматель, осуществляющий деятельность в виде совместного
    /// предпринимательства (ИП(С)).
    JointEntrepreneurship,
}

/// БИН digit 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityAttribute {
    /// 0 — головное подразделение.
    HeadOffice,
    /// 1 — филиал.
    Branch,
    /// 2 — представительство.
    RepresentativeOffice,
    /// 3 — крестьянское (фермерское) хозяйство, осуществляющее деятельность на основе
    /// совместного предпринимательства.
    JointPeasantFarm,
}

/// БИН, the business identification number (Kazakh БСН) of a legal entity, its branch or
/// representative office, or joint entrepreneurship (seed 002 L2116–2124).
///
/// Checked: 12 digits; digits 1–2 the year and 3–4 the month (01–12) of registration; digit 5 the
/// entity type 4/5/6 ([`EntityType`]); digit 6 the attribute 0–3 ([`EntityAttribute`]); digit 12
/// the check digit (the same algorithm as the ИИН). Digits 7–11 are a serial number.
///
/// Verified (public sources through the search tool): the five parts and the values of digits 5
/// and 6 agree in the OECD "Kazakhstan TIN" sheet as summarized by `python-stdnum` (`stdnum.kz.bin`)
/// and in `valery1707/kaz-person-id`; published БИН that pass: `940140000385`, `990140004654`,
/// `081140000436`, `171040021791`.
///
/// Because digit 5 of a БИН is 4–6 and digit 5 of an ИИН is the tens of a day (0–3), the two never
/// collide: [`ParticipantId`] tells them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bin([u8; 12]);

impl Bin {
    /// A valid БИН from its first 11 digits, the check digit computed (tests and demo data).
    /// Refused when the prefix breaks a structural rule or admits no check digit.
    pub fn from_prefix(first11: &str) -> Result<Self, IdError> {
        Ok(Self(with_check_digit(first11, Self::structure)?))
    }

    pub fn entity_type(&self) -> EntityType {
        match self.0[4] {
            4 => EntityType::ResidentLegalEntity,
            5 => EntityType::NonResidentLegalEntity,
            _ => EntityType::JointEntrepreneurship,
        }
    }

    pub fn attribute(&self) -> EntityAttribute {
        match self.0[5] {
            0 => EntityAttribute::HeadOffice,
            1 => EntityAttribute::Branch,
            2 => EntityAttribute::RepresentativeOffice,
            _ => EntityAttribute::JointPeasantFarm,
        }
    }

    fn validate(d: [u8; 12]) -> Result<Self, IdError> {
        Self::structure(&d)?;
        verify_check_digit(&d)?;
        Ok(Self(d))
    }

    fn structure(d: &[u8; 12]) -> Result<(), IdError> {
        if !(1..=12).contains(&two(d, 2)) {
            return Err(IdError::RegistrationMonth);
        }
        if !(4..=6).contains(&d[4]) {
            return Err(IdError::EntityType(d[4]));
        }
        if d[5] > 3 {
            return Err(IdError::Attribute(d[5]));
        }
        Ok(())
    }
}

/// A participant of the portal: an organization by БИН, or an individual or individual
/// entrepreneur by ИИН (participant kinds ФЛ, ИП, КХ, ЮЛ, seed 002 L3208; «ИИН/БИН» L3251).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ParticipantId {
    Bin(Bin),
    Iin(Iin),
}

macro_rules! string_id {
    ($t:ident, $kind:expr) => {
        impl FromStr for $t {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::validate(digits(s)?)
            }
        }

        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.write(f)
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::from_stored(&s)
                    .map_err(|e: IdError| serde::de::Error::custom(e.into_domain($kind)))
            }
        }
    };
}

impl Bin {
    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_digits(&self.0, f)
    }

    fn from_stored(s: &str) -> Result<Self, IdError> {
        s.parse()
    }
}

/// The stored form of a forgotten person's ИИН (decision 0841): the event store opens a value
/// whose key was destroyed as `erased:` and ten digits, the same for every value of that person.
const ERASED: &str = "erased:";

impl Iin {
    /// Whether this is a forgotten person's ИИН: no birth date, no holder, the same marker in
    /// every event of theirs, so that a fold still matches them across events.
    pub fn is_erased(&self) -> bool {
        // Month 00: no ИИН that passes [`Iin::validate`] has it.
        self.0[2] == 0 && self.0[3] == 0
    }

    fn write(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_erased() {
            f.write_str(ERASED)?;
            let d = &self.0;
            return [d[0], d[1], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11]]
                .iter()
                .try_for_each(|x| fmt::Write::write_char(f, char::from(b'0' + x)));
        }
        write_digits(&self.0, f)
    }

    /// An ИИН as an event holds it: twelve valid digits, or the erased marker. Only stored
    /// events take the marker; a command's ИИН is parsed with [`str::parse`], which refuses it.
    fn from_stored(s: &str) -> Result<Self, IdError> {
        let Some(tail) = s.strip_prefix(ERASED) else {
            return s.parse();
        };
        let t: [u8; 10] = digits(tail)?;
        Ok(Self([
            t[0], t[1], 0, 0, t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9],
        ]))
    }
}

string_id!(Iin, IdKind::Iin);
string_id!(Bin, IdKind::Bin);

impl FromStr for ParticipantId {
    type Err = IdError;

    /// Digit 5 decides: 4–6 is a БИН, anything else is read as an ИИН.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let d: [u8; 12] = digits(s)?;
        if (4..=6).contains(&d[4]) {
            Bin::validate(d).map(Self::Bin)
        } else {
            Iin::validate(d).map(Self::Iin)
        }
    }
}

impl fmt::Display for ParticipantId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Bin(b) => b.fmt(f),
            Self::Iin(i) => i.fmt(f),
        }
    }
}

impl Serialize for ParticipantId {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ParticipantId {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse()
            .map_err(|e: IdError| serde::de::Error::custom(e.into_domain(IdKind::Participant)))
    }
}

impl From<Bin> for ParticipantId {
    fn from(b: Bin) -> Self {
        Self::Bin(b)
    }
}

impl From<Iin> for ParticipantId {
    fn from(i: Iin) -> Self {
        Self::Iin(i)
    }
}

// As they serialize in event payloads: 12-digit strings.
impl JsonSchema for Bin {
    fn schema_name() -> Cow<'static, str> {
        "Bin".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{12}$",
            "description": "БИН: business identification number, 12 digits"
        })
    }
}

impl JsonSchema for ParticipantId {
    fn schema_name() -> Cow<'static, str> {
        "ParticipantId".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{12}$",
            "description": "БИН or ИИН, 12 digits: digit 5 from 4 to 6 makes a БИН"
        })
    }
}

impl JsonSchema for Iin {
    fn schema_name() -> Cow<'static, str> {
        "Iin".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^([0-9]{12}|erased:[0-9]{10})$",
            "description": "ИИН: individual identification number, 12 digits; `erased:` and 10 digits once its holder was forgotten (decision 0841)"
        })
    }
}
