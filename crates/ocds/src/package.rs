//! Release packages and record packages (OCDS 1.1.5 `release-package-schema.json`,
//! `record-package-schema.json`), with the publisher's metadata. A package's `publishedDate` is
//! the date of its newest release, not the instant it was served, so the same releases always
//! make the same package (a rebuilt read model serves identical packages, decision 0782).

use serde_json::{Value, json};

use crate::merge;

/// The extensions every package declares: the core lots and bids extensions, and Zakup's own
/// (the portal's terms: `portalStatus`, `statusDetails`, documents' `sha256`, lots'
/// `lotNumber`, the releases' `zakupEvents`), shipped in `schemas/ocds/extensions/zakup/` and
/// served under `<base>/ocds/extensions/zakup/extension.json`.
pub fn extensions(base_url: &str) -> Vec<String> {
    vec![
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json".into(),
        "https://raw.githubusercontent.com/open-contracting-extensions/ocds_bid_extension/v1.1.5/extension.json".into(),
        format!("{}/ocds/extensions/zakup/extension.json", base_url.trim_end_matches('/')),
    ]
}

/// Where a package is published: its own URI and the portal's base URL.
#[derive(Debug, Clone)]
pub struct Publication {
    pub uri: String,
    pub base_url: String,
}

impl Publication {
    fn package(&self, newest: Option<&Value>) -> Value {
        json!({
            "uri": self.uri,
            "version": "1.1",
            "publishedDate": newest.and_then(|r| r.get("date")).cloned().unwrap_or(json!("1970-01-01T00:00:00Z")),
            "publisher": {
                "name": "Zakup",
                "uri": self.base_url,
            },
            "license": "https://creativecommons.org/licenses/by/4.0/",
            "extensions": extensions(&self.base_url),
        })
    }
}

fn newest(releases: &[Value]) -> Option<&Value> {
    releases
        .iter()
        .max_by(|a, b| a["date"].as_str().cmp(&b["date"].as_str()))
}

/// A release package of `releases`.
pub fn release_package(releases: Vec<Value>, publication: &Publication) -> Value {
    let mut package = publication.package(newest(&releases));
    package["releases"] = Value::Array(releases);
    package
}

/// The record package of one `ocid`: its releases, the compiled release and the versioned one.
pub fn record_package(ocid: &str, releases: Vec<Value>, publication: &Publication) -> Value {
    let mut package = publication.package(newest(&releases));
    package["records"] = json!([record(ocid, releases)]);
    package
}

/// The record of one `ocid`: its releases (embedded), the compiled release and the versioned one.
pub fn record(ocid: &str, releases: Vec<Value>) -> Value {
    json!({
        "ocid": ocid,
        "compiledRelease": merge::compile(&releases),
        "versionedRelease": merge::versioned(&releases),
        "releases": releases,
    })
}
