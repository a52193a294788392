//! JSON Schemas of the value types that event payloads carry, as they serialize: БИН/ИИН as
//! 12-digit strings, money as a decimal string in tenge (never a float).

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::ident::{Bin, Iin};
use crate::ktru::KtruCode;
use crate::money::Money;

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

impl JsonSchema for Iin {
    fn schema_name() -> Cow<'static, str> {
        "Iin".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[0-9]{12}$",
            "description": "ИИН: individual identification number, 12 digits"
        })
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
            "description": "Amount in tenge as a decimal string"
        })
    }
}

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

/// A percentage as rust_decimal writes it: a decimal string, never a JSON number.
pub(crate) fn decimal_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
}

pub(crate) fn optional_decimal_string(_: &mut SchemaGenerator) -> Schema {
    json_schema!({ "type": ["string", "null"], "pattern": "^-?[0-9]+(\\.[0-9]+)?$" })
}
