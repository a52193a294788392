//! КТРУ code: the item of the classifier of goods, works and services a lot or plan item buys.
//!
//! The seeds name the classifier only as a search filter («наименованию лотов или КТРУ», seed 000
//! L65; spec 000-A §2 "KTRU code | «КТРУ» | L65") and give no format. The format here,
//! `NNNNNN.NNN.NNNNNN` (15 digits in groups of 6, 3 and 6, e.g. `262013.000.000011` «Компьютер»),
//! is the one the portal publishes for plan items and lots (`ref_enstru_code`), read from public
//! goszakup data; see docs/decisions/0102-ktru-code-format.md.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::kernel::error::DomainError;

const GROUPS: [usize; 3] = [6, 3, 6];
const DIGITS: usize = 15;

/// A КТРУ code, `NNNNNN.NNN.NNNNNN`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct KtruCode([u8; DIGITS]);

/// The string is not `NNNNNN.NNN.NNNNNN`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KtruError(pub String);

impl fmt::Display for KtruError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "not a KTRU code NNNNNN.NNN.NNNNNN: {:?}", self.0)
    }
}

impl std::error::Error for KtruError {}

impl From<KtruError> for DomainError {
    fn from(e: KtruError) -> Self {
        DomainError::new(
            "invalid_ktru_code",
            format!("Неверный код КТРУ «{}»", e.0),
            e.to_string(),
        )
    }
}

impl KtruCode {
    /// The first group: the product class (six digits of the statistical product classifier,
    /// `262013` for 26.20.13). Codes of one class share it, which is what a search by class uses.
    pub fn class(&self) -> &str {
        self.group(0)
    }

    /// The three groups, e.g. `("262013", "000", "000011")`.
    pub fn groups(&self) -> (&str, &str, &str) {
        (self.group(0), self.group(1), self.group(2))
    }

    fn group(&self, i: usize) -> &str {
        let start: usize = GROUPS[..i].iter().sum();
        let digits = &self.0[start..start + GROUPS[i]];
        // Every byte is an ASCII digit (checked on parsing), so this never fails.
        std::str::from_utf8(digits).unwrap_or_default()
    }
}

impl FromStr for KtruCode {
    type Err = KtruError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || KtruError(s.to_owned());
        let parts: Vec<&str> = s.split('.').collect();
        if parts.len() != GROUPS.len()
            || parts
                .iter()
                .zip(GROUPS)
                .any(|(p, n)| p.len() != n || !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let mut digits = [0u8; DIGITS];
        digits.copy_from_slice(parts.concat().as_bytes());
        Ok(KtruCode(digits))
    }
}

impl fmt::Display for KtruCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (a, b, c) = self.groups();
        write!(f, "{a}.{b}.{c}")
    }
}

impl Serialize for KtruCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for KtruCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse()
            .map_err(|e: KtruError| serde::de::Error::custom(DomainError::from(e)))
    }
}

// As it serializes in event payloads.
impl JsonSchema for KtruCode {
    fn schema_name() -> Cow<'static, str> {
        "KtruCode".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{6}\\.[0-9]{3}\\.[0-9]{6}$",
            "description": "КТРУ code: NNNNNN.NNN.NNNNNN"
        })
    }
}
