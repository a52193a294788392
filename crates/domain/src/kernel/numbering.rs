//! Announcement and lot numbers.
//!
//! The seeds do not give the formats (spec 000-A §9.1: "Numbering format of announcements is not
//! described in this part"; 000-B §9.1: "the announcement number stays and the index increments
//! (e.g. "N-1" → "N-2"); the format is not given"). They do fix the index: the original is index 1,
//! a documentation change decided in the discussion creates a copy with index 2 (seed 000
//! L1746–1760, L4528–4536). The shapes below are the portal's public ones — announcement
//! `16776705-1`, lot `87491617-ЗЦП1`, `86099233-ОК1`, `74666464-АУК1`, `4809097-ИОИ1` — see
//! docs/decisions/0103-announcement-and-lot-numbers.md.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernel::error::DomainError;

/// The longest serial accepted: live numbers have 6–8 digits; 12 leaves room and fits a `u64`.
const MAX_SERIAL_DIGITS: usize = 12;

/// Why a string is not an announcement or lot number (the input is kept for the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumberError {
    /// Not `<serial>-<index>`.
    Announcement(String),
    /// Not `<serial>-<method><sequence>`.
    Lot(String),
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Announcement(s) => write!(f, "not an announcement number N-I: {s:?}"),
            Self::Lot(s) => write!(f, "not a lot number N-<method><sequence>: {s:?}"),
        }
    }
}

impl std::error::Error for NumberError {}

impl From<NumberError> for DomainError {
    fn from(e: NumberError) -> Self {
        let (code, ru, input) = match &e {
            NumberError::Announcement(s) => (
                "invalid_announcement_number",
                "Неверный номер объявления",
                s,
            ),
            NumberError::Lot(s) => ("invalid_lot_number", "Неверный номер лота", s),
        };
        DomainError::new(code, format!("{ru} «{input}»"), e.to_string())
    }
}

/// A positive decimal without leading zeros, at most [`MAX_SERIAL_DIGITS`] digits.
fn serial(s: &str) -> Option<u64> {
    let ok = !s.is_empty()
        && s.len() <= MAX_SERIAL_DIGITS
        && s.bytes().all(|b| b.is_ascii_digit())
        && !s.starts_with('0');
    ok.then(|| s.parse().ok()).flatten()
}

/// A positive counter without leading zeros (an index or a sequence).
fn counter(s: &str) -> Option<u32> {
    let ok = !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
    ok.then(|| s.parse().ok()).flatten()
}

/// An announcement number, `<serial>-<index>`: `16776705-1`, and `16776705-2` for the copy made
/// after a documentation change (seed 000 L1746–1760: «проект закупки с индексом 2»; the original
/// «с индексом 1» becomes «Изменена документация», L1754).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AnnouncementNumber {
    serial: u64,
    index: u32,
}

impl AnnouncementNumber {
    /// A new announcement: index 1.
    pub fn first(serial: u64) -> Result<Self, NumberError> {
        Self::new(serial, 1)
    }

    pub fn new(serial: u64, index: u32) -> Result<Self, NumberError> {
        let fits = serial > 0 && serial.to_string().len() <= MAX_SERIAL_DIGITS && index > 0;
        if !fits {
            return Err(NumberError::Announcement(format!("{serial}-{index}")));
        }
        Ok(Self { serial, index })
    }

    /// The number of the copy that replaces this announcement after a documentation change: the
    /// same serial, the next index.
    pub fn next_index(self) -> Result<Self, NumberError> {
        let index = self
            .index
            .checked_add(1)
            .ok_or(NumberError::Announcement(self.to_string()))?;
        Self::new(self.serial, index)
    }

    pub fn serial(self) -> u64 {
        self.serial
    }

    pub fn index(self) -> u32 {
        self.index
    }
}

impl FromStr for AnnouncementNumber {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || NumberError::Announcement(s.to_owned());
        let (serial_part, index_part) = s.split_once('-').ok_or_else(bad)?;
        Ok(Self {
            serial: serial(serial_part).ok_or_else(bad)?,
            index: counter(index_part).ok_or_else(bad)?,
        })
    }
}

impl fmt::Display for AnnouncementNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.serial, self.index)
    }
}

/// The method part of a lot number: upper-case Cyrillic letters, the abbreviation of the
/// procurement method. Those seen on the portal are constants; others (housing purchase, state
/// social order, …) are not published in the seeds and can be built with [`MethodCode::new`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MethodCode(String);

impl MethodCode {
    /// «Запрос ценовых предложений» (spec 000-A §1.3).
    pub fn zcp() -> Self {
        Self("ЗЦП".into())
    }

    /// «Открытый конкурс» (spec 000-A §1.4).
    pub fn ok() -> Self {
        Self("ОК".into())
    }

    /// «Аукцион» (spec 000-B §1.5).
    pub fn auk() -> Self {
        Self("АУК".into())
    }

    /// «Из одного источника по несостоявшимся закупкам» (spec 000-C §1.7, abbreviation ИОИ L6874).
    pub fn ioi() -> Self {
        Self("ИОИ".into())
    }

    /// 1–5 upper-case Cyrillic letters.
    pub fn new(code: &str) -> Option<Self> {
        let n = code.chars().count();
        let letters = code.chars().all(|c| {
            matches!(
                c,
                'А'..='Я' | 'Ё' | 'Қ' | 'Ә' | 'І' | 'Ң' | 'Ғ' | 'Ү' | 'Ұ' | 'Ө' | 'Һ'
            )
        });
        ((1..=5).contains(&n) && letters).then(|| Self(code.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MethodCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for MethodCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for MethodCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        MethodCode::new(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("not a method code of 1-5 Cyrillic capitals: {s:?}"))
        })
    }
}

/// A lot number, `<serial>-<method><sequence>`: `87491617-ЗЦП1`. The serial identifies the lot
/// (it is not the announcement's serial); the sequence counts the procurements of that lot by
/// that method, so a repeated ЗЦП of the same lot reads `…-ЗЦП2` (best reading of live numbers
/// such as `86883793-ЗЦП5`; the seeds say nothing).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LotNumber {
    serial: u64,
    method: MethodCode,
    sequence: u32,
}

impl LotNumber {
    pub fn new(serial: u64, method: MethodCode, sequence: u32) -> Result<Self, NumberError> {
        let fits = serial > 0 && serial.to_string().len() <= MAX_SERIAL_DIGITS && sequence > 0;
        if !fits {
            return Err(NumberError::Lot(format!("{serial}-{method}{sequence}")));
        }
        Ok(Self {
            serial,
            method,
            sequence,
        })
    }

    pub fn serial(&self) -> u64 {
        self.serial
    }

    pub fn method(&self) -> &MethodCode {
        &self.method
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl FromStr for LotNumber {
    type Err = NumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || NumberError::Lot(s.to_owned());
        let (serial_part, rest) = s.split_once('-').ok_or_else(bad)?;
        let digits_at = rest.find(|c: char| c.is_ascii_digit()).ok_or_else(bad)?;
        let (method, sequence) = rest.split_at(digits_at);
        Ok(Self {
            serial: serial(serial_part).ok_or_else(bad)?,
            method: MethodCode::new(method).ok_or_else(bad)?,
            sequence: counter(sequence).ok_or_else(bad)?,
        })
    }
}

impl fmt::Display for LotNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}{}", self.serial, self.method, self.sequence)
    }
}

macro_rules! string_serde {
    ($t:ty) => {
        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                s.parse()
                    .map_err(|e: NumberError| serde::de::Error::custom(DomainError::from(e)))
            }
        }
    };
}

string_serde!(AnnouncementNumber);
string_serde!(LotNumber);
