//! Offline validation of Zakup's OCDS packages (issue 23, item 4; decision 0783), shared by the
//! crate's tests and the end-to-end tests (feature `validation`); never part of the server.
//!
//! Three checks, each against files kept in `schemas/ocds/` (no network):
//! * the package against the standard's 1.1.5 package schema, as published (a record's
//!   versioned release against the versioned-release validation schema);
//! * every release, and a record's compiled release, against the 1.1.5 release schema with the
//!   extensions the packages declare applied to it (lots, bids, Zakup's), as OCDS applies an
//!   extension: a JSON Merge Patch (RFC 7386) of the release schema; so the extensions' fields
//!   are typed and their closed codelists (a lot's or a bid's status) enforced;
//! * the open codelists Zakup uses (documentType, partyRole, relatedProcess,
//!   relatedProcessScheme, submissionMethod): each code is one of the standard's, enforced by
//!   adding the codelist's codes as an `enum` to the fields that name it. Zakup adds no code of
//!   its own to them; `itemClassificationScheme` is not checked, since `KZ-KTRU` is a local
//!   scheme the open codelist admits.

use serde_json::{Value, json};

const STANDARD: &str = "https://standard.open-contracting.org/schema/1__1__5/";
/// The id under which the extended release schema is compiled: not the standard's.
const EXTENDED: &str = "https://zakup.invalid/ocds/extended-release-schema.json";

const SCHEMAS: [(&str, &str); 4] = [
    (
        "release-package-schema.json",
        include_str!("../../../schemas/ocds/1.1.5/release-package-schema.json"),
    ),
    (
        "record-package-schema.json",
        include_str!("../../../schemas/ocds/1.1.5/record-package-schema.json"),
    ),
    (
        "release-schema.json",
        include_str!("../../../schemas/ocds/1.1.5/release-schema.json"),
    ),
    (
        "versioned-release-validation-schema.json",
        include_str!("../../../schemas/ocds/1.1.5/versioned-release-validation-schema.json"),
    ),
];

/// The release-schema patches of the extensions every package declares (`package::extensions`).
const EXTENSIONS: [&str; 3] = [
    include_str!("../../../schemas/ocds/extensions/lots/release-schema.json"),
    include_str!("../../../schemas/ocds/extensions/bids/release-schema.json"),
    include_str!("../../../schemas/ocds/extensions/zakup/release-schema.json"),
];

const CODELISTS: [(&str, &str); 5] = [
    (
        "documentType.csv",
        include_str!("../../../schemas/ocds/1.1.5/codelists/documentType.csv"),
    ),
    (
        "partyRole.csv",
        include_str!("../../../schemas/ocds/1.1.5/codelists/partyRole.csv"),
    ),
    (
        "relatedProcess.csv",
        include_str!("../../../schemas/ocds/1.1.5/codelists/relatedProcess.csv"),
    ),
    (
        "relatedProcessScheme.csv",
        include_str!("../../../schemas/ocds/1.1.5/codelists/relatedProcessScheme.csv"),
    ),
    (
        "submissionMethod.csv",
        include_str!("../../../schemas/ocds/1.1.5/codelists/submissionMethod.csv"),
    ),
];

/// The compiled schemas.
pub struct Validator {
    schemas: boon::Schemas,
    release_package: boon::SchemaIndex,
    record_package: boon::SchemaIndex,
    release: boon::SchemaIndex,
}

impl Default for Validator {
    fn default() -> Self {
        Self::new()
    }
}

impl Validator {
    /// Compiles the schemas; the files are part of the build, so a failure is a bug here.
    pub fn new() -> Validator {
        let mut compiler = boon::Compiler::new();
        compiler.enable_format_assertions();
        for (name, text) in SCHEMAS {
            let schema: Value = serde_json::from_str(text).expect("an OCDS schema is JSON");
            compiler
                .add_resource(&format!("{STANDARD}{name}"), schema)
                .expect("a new resource");
        }
        compiler
            .add_resource(EXTENDED, extended_release_schema())
            .expect("a new resource");
        let mut schemas = boon::Schemas::new();
        let mut compile = |url: &str| compiler.compile(url, &mut schemas).expect(url);
        let release_package = compile(&format!("{STANDARD}release-package-schema.json"));
        let record_package = compile(&format!("{STANDARD}record-package-schema.json"));
        let release = compile(EXTENDED);
        Validator {
            schemas,
            release_package,
            record_package,
            release,
        }
    }

    /// A release package and each of its releases; the first error, with where it is.
    pub fn release_package(&self, package: &Value) -> Result<(), String> {
        self.check(package, self.release_package, "the package")?;
        for (i, release) in releases(package, "releases").iter().enumerate() {
            self.check(release, self.release, &format!("release {i}"))?;
        }
        Ok(())
    }

    /// A record package, each record's releases and its compiled release.
    pub fn record_package(&self, package: &Value) -> Result<(), String> {
        self.check(package, self.record_package, "the package")?;
        for (r, record) in releases(package, "records").iter().enumerate() {
            for (i, release) in releases(record, "releases").iter().enumerate() {
                self.check(release, self.release, &format!("record {r}, release {i}"))?;
            }
            if let Some(compiled) = record.get("compiledRelease") {
                self.check(compiled, self.release, &format!("record {r}, compiled"))?;
            }
        }
        Ok(())
    }

    fn check(&self, value: &Value, schema: boon::SchemaIndex, what: &str) -> Result<(), String> {
        self.schemas
            .validate(value, schema)
            .map_err(|e| format!("{what} is not valid OCDS 1.1.5: {e:#}"))
    }
}

fn releases<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// The 1.1.5 release schema with the extensions merged in and the open codelists closed.
fn extended_release_schema() -> Value {
    let mut schema: Value = serde_json::from_str(SCHEMAS[2].1).expect("JSON");
    for patch in EXTENSIONS {
        merge_patch(
            &mut schema,
            &serde_json::from_str(patch).expect("an extension is JSON"),
        );
    }
    schema["id"] = json!(EXTENDED);
    close_codelists(&mut schema);
    schema
}

/// RFC 7386: an object patches key by key, `null` removes, anything else replaces.
fn merge_patch(target: &mut Value, patch: &Value) {
    let Some(fields) = patch.as_object() else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = json!({});
    }
    let target = target.as_object_mut().expect("made an object");
    for (key, value) in fields {
        if value.is_null() {
            target.remove(key);
        } else {
            merge_patch(target.entry(key.clone()).or_insert(Value::Null), value);
        }
    }
}

/// Adds the codes of every vendored open codelist as an `enum` where a field names it (on the
/// items of an array field).
fn close_codelists(schema: &mut Value) {
    match schema {
        Value::Object(fields) => {
            let csv = fields
                .get("codelist")
                .and_then(Value::as_str)
                .and_then(|c| CODELISTS.iter().find(|(name, _)| *name == c))
                .map(|(_, csv)| *csv);
            let Some(csv) = csv else {
                return fields.values_mut().for_each(close_codelists);
            };
            let mut codes = codes(csv);
            match fields.get_mut("items") {
                Some(items) => items["enum"] = Value::Array(codes),
                None => {
                    let nullable = fields
                        .get("type")
                        .and_then(Value::as_array)
                        .is_some_and(|t| t.contains(&json!("null")));
                    if nullable {
                        codes.push(Value::Null);
                    }
                    fields.insert("enum".into(), Value::Array(codes));
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(close_codelists),
        _ => {}
    }
}

/// The codes of a codelist: its `Code` column (no field of the vendored codelists spans lines).
fn codes(csv: &str) -> Vec<Value> {
    let mut lines = csv.lines().map(fields);
    let header = lines.next().unwrap_or_default();
    let column = header
        .iter()
        .position(|c| c == "Code")
        .expect("a codelist has a Code column");
    lines.map(|l| json!(l[column])).collect()
}

/// The fields of one CSV line: split at the commas outside double quotes (`""` in quotes is a
/// quote).
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The extended schema rejects what the plain one lets through: a code outside an open
    /// codelist Zakup uses, and a wrong type of an extension's field.
    #[test]
    fn the_extended_schema_enforces_codelists_and_extensions() {
        let v = Validator::new();
        let release = |extra: Value| {
            let mut r = json!({
                "ocid": "ocds-zakup0-1", "id": "1", "date": "2026-03-02T04:00:00Z",
                "tag": ["tender"], "initiationType": "tender",
                "parties": [{"id": "KZ-BIN-1", "roles": ["buyer"]}],
            });
            merge_patch(&mut r, &extra);
            v.check(&r, v.release, "the release")
        };
        assert_eq!(release(json!({})), Ok(()));
        assert!(release(json!({"parties": [{"id": "x", "roles": ["customer"]}]})).is_err());
        assert!(release(json!({"tender": {"id": "1", "documents": [{"id": "d", "documentType": "protocol"}]}})).is_err());
        assert!(
            release(json!({"tender": {"id": "1", "lots": [{"id": "L", "status": "open"}]}}))
                .is_err()
        );
        assert!(
            release(json!({"bids": {"details": [{"id": "b", "status": "admitted"}]}})).is_err()
        );
        assert!(release(json!({"tender": {"id": "1", "portalStatus": 7}})).is_err());
    }

    /// The codes of a codelist whose quoted fields hold commas.
    #[test]
    fn codes_are_read_from_the_code_column() {
        let csv =
            "Category,Section,Code,Title\nx,\"tender, award\",contractDraft,\"A \"\"draft\"\"\"\n";
        assert_eq!(codes(csv), vec![json!("contractDraft")]);
        assert_eq!(
            fields("a,\"b, \"\"c\"\"\",d"),
            vec!["a".to_owned(), "b, \"c\"".into(), "d".into()]
        );
    }

    /// RFC 7386's own examples, in part.
    #[test]
    fn merge_patch_follows_rfc_7386() {
        let mut t = json!({"a": "b", "c": {"d": "e", "f": "g"}});
        merge_patch(&mut t, &json!({"a": "z", "c": {"f": null}}));
        assert_eq!(t, json!({"a": "z", "c": {"d": "e"}}));
        let mut t = json!({"a": ["b"]});
        merge_patch(&mut t, &json!({"a": "c"}));
        assert_eq!(t, json!({"a": "c"}));
    }
}
