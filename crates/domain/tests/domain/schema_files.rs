//! The event schemas checked in under `schemas/events/`: every event set's test compares its
//! generated schemas with them, or rewrites them when `UPDATE_SCHEMAS` is set.

use std::path::{Path, PathBuf};

/// A path inside the repository.
pub fn repo_dir(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Writes each schema as `schemas/events/<type>.v<version>.json` with `UPDATE_SCHEMAS` set;
/// otherwise fails naming every file that differs from the generated text. Returns each schema's
/// text, for the event set's own checks.
pub fn sync(schemas: &[(&'static str, u32, schemars::Schema)]) -> Vec<(&'static str, u32, String)> {
    let dir = repo_dir("schemas/events");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut stale = Vec::new();
    let mut texts = Vec::with_capacity(schemas.len());
    for (event_type, version, schema) in schemas {
        let path = dir.join(format!("{event_type}.v{version}.json"));
        let text = serde_json::to_string_pretty(schema).unwrap() + "\n";
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(path.display().to_string());
        }
        texts.push((*event_type, *version, text));
    }
    assert!(
        stale.is_empty(),
        "schemas out of date (run with UPDATE_SCHEMAS=1): {stale:#?}"
    );
    texts
}
