//! The OCDS merge (1.1.5, `docs/schema/merging.md`): the releases of one `ocid`, in date order,
//! compiled into one release (the last value of every field) and versioned into one release (every
//! field's history). Both come from one walk, so a compiled field is always the last version of
//! the same field (decision 0782).
//!
//! The rules:
//! * `id`, `date` and `tag` of a release are `omitWhenMerged`: dropped from the compiled release,
//!   they name each version in the versioned one (`releaseID`, `releaseDate`, `releaseTag`);
//! * objects merge key by key; a literal replaces the previous value; `null` removes the field
//!   (and, for an object, everything under it);
//! * an array whose items are all objects with an `id` merges item by item on the `id`
//!   ("identifier merge"), unless the field is `wholeListMerge` in the schema; any other array is
//!   a literal, replaced whole;
//! * in the versioned release the `id` of an identifier-merged item is not versioned.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

/// The fields the 1.1.5 release schema marks `omitWhenMerged`.
const OMIT: [&str; 3] = ["id", "date", "tag"];

/// The fields the 1.1.5 release schema (and the extensions Zakup uses) mark `wholeListMerge`:
/// `Organization.additionalIdentifiers`, `OrganizationReference.additionalIdentifiers`,
/// `Item.additionalClassifications`.
const WHOLE_LIST: [&str; 2] = ["additionalIdentifiers", "additionalClassifications"];

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Field(String),
    /// An identifier-merged item, by its `id` as JSON text (`"1"` and `1` are different ids).
    Item(String),
}

type Path = Vec<Key>;

/// One field's value as one release gave it.
#[derive(Debug, Clone)]
struct Version {
    release_id: Value,
    release_date: Value,
    release_tag: Value,
    value: Value,
}

/// Every field ever set, in the order first set, with its versions.
#[derive(Default)]
struct Merged {
    order: Vec<Path>,
    history: HashMap<Path, Vec<Version>>,
    /// Fields kept as they are, not versioned: `ocid` and the ids of identifier-merged items.
    literal: HashMap<Path, bool>,
}

impl Merged {
    fn of(releases: &[Value]) -> Merged {
        let mut sorted: Vec<&Value> = releases.iter().collect();
        // A stable sort: releases of equal dates keep the order given.
        sorted.sort_by_key(|r| date(r));
        let mut merged = Merged::default();
        for release in sorted {
            merged.add(release);
        }
        merged
    }

    fn add(&mut self, release: &Value) {
        let Some(fields) = release.as_object() else {
            return;
        };
        let mut leaves = Vec::new();
        for (key, value) in fields {
            if OMIT.contains(&key.as_str()) {
                continue;
            }
            flatten(vec![Key::Field(key.clone())], value, false, &mut leaves);
        }
        let stamp = |value: Value| Version {
            release_id: release.get("id").cloned().unwrap_or(Value::Null),
            release_date: release.get("date").cloned().unwrap_or(Value::Null),
            release_tag: release.get("tag").cloned().unwrap_or(Value::Null),
            value,
        };
        for (path, value, literal) in leaves {
            let targets: Vec<Path> = if value.is_null() {
                // A null removes the field and everything under it.
                let mut under: Vec<Path> = self
                    .order
                    .iter()
                    .filter(|p| p.len() > path.len() && p.starts_with(&path))
                    .cloned()
                    .collect();
                under.push(path.clone());
                under
            } else {
                vec![path.clone()]
            };
            for target in targets {
                let versions = self.history.entry(target.clone()).or_default();
                if versions.is_empty() {
                    self.order.push(target.clone());
                    self.literal
                        .insert(target.clone(), literal || target == ocid());
                }
                if versions.last().is_none_or(|v| v.value != value) {
                    versions.push(stamp(value.clone()));
                }
            }
        }
    }

    fn compiled(&self) -> Value {
        let mut tree = Node::Object(BTreeMap::new());
        for path in &self.order {
            let last = &self.history[path]
                .last()
                .expect("a field has a version")
                .value;
            if !last.is_null() {
                tree.insert(path, last.clone());
            }
        }
        tree.into_value()
    }

    fn versioned(&self) -> Value {
        let mut tree = Node::Object(BTreeMap::new());
        for path in &self.order {
            let versions = &self.history[path];
            let value = if self.literal[path] {
                versions
                    .last()
                    .expect("a field has a version")
                    .value
                    .clone()
            } else {
                Value::Array(
                    versions
                        .iter()
                        .map(|v| {
                            json!({
                                "releaseID": v.release_id,
                                "releaseDate": v.release_date,
                                "releaseTag": v.release_tag,
                                "value": v.value,
                            })
                        })
                        .collect(),
                )
            };
            tree.insert(path, value);
        }
        tree.into_value()
    }
}

fn ocid() -> Path {
    vec![Key::Field("ocid".into())]
}

fn date(release: &Value) -> Option<DateTime<Utc>> {
    release
        .get("date")
        .and_then(Value::as_str)
        .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
        .map(|d| d.with_timezone(&Utc))
}

/// The leaves of `value` at `path`: `(path, value, whether literal)`.
fn flatten(path: Path, value: &Value, literal: bool, out: &mut Vec<(Path, Value, bool)>) {
    match value {
        Value::Object(fields) => {
            for (key, v) in fields {
                let mut p = path.clone();
                p.push(Key::Field(key.clone()));
                flatten(p, v, false, out);
            }
        }
        Value::Array(items) if identifier_merged(&path, items) => {
            for item in items {
                let id = item.get("id").expect("checked: every item has an id");
                let mut p = path.clone();
                p.push(Key::Item(id.to_string()));
                for (key, v) in item.as_object().expect("checked: every item is an object") {
                    let mut f = p.clone();
                    f.push(Key::Field(key.clone()));
                    flatten(f, v, key == "id", out);
                }
            }
        }
        _ => out.push((path, value.clone(), literal)),
    }
}

fn identifier_merged(path: &Path, items: &[Value]) -> bool {
    let whole = matches!(path.last(), Some(Key::Field(f)) if WHOLE_LIST.contains(&f.as_str()));
    !whole
        && !items.is_empty()
        && items
            .iter()
            .all(|i| i.as_object().is_some_and(|o| o.contains_key("id")))
}

/// The merged release being rebuilt from its leaves.
enum Node {
    Leaf(Value),
    Object(BTreeMap<String, Node>),
    /// Identifier-merged items in the order first seen.
    Items(Vec<(String, Node)>),
}

impl Node {
    fn insert(&mut self, path: &[Key], value: Value) {
        let Some((head, rest)) = path.split_first() else {
            *self = Node::Leaf(value);
            return;
        };
        let fresh = || match rest.first() {
            Some(Key::Item(_)) => Node::Items(Vec::new()),
            Some(Key::Field(_)) => Node::Object(BTreeMap::new()),
            None => Node::Leaf(Value::Null),
        };
        match (self, head) {
            (Node::Object(fields), Key::Field(f)) => {
                let child = fields.entry(f.clone()).or_insert_with(fresh);
                if matches!(child, Node::Leaf(_)) && !rest.is_empty() {
                    *child = fresh();
                }
                child.insert(rest, value);
            }
            (Node::Items(items), Key::Item(id)) => {
                let at = match items.iter().position(|(i, _)| i == id) {
                    Some(at) => at,
                    None => {
                        items.push((id.clone(), Node::Object(BTreeMap::new())));
                        items.len() - 1
                    }
                };
                items[at].1.insert(rest, value);
            }
            // A field that changed its shape (a literal list became identifier-merged, or the
            // reverse): the newer shape wins.
            (node, _) => {
                *node = Node::Object(BTreeMap::new());
                if let Key::Item(_) = head {
                    *node = Node::Items(Vec::new());
                }
                node.insert(path, value);
            }
        }
    }

    fn into_value(self) -> Value {
        match self {
            Node::Leaf(v) => v,
            Node::Object(fields) => Value::Object(
                fields
                    .into_iter()
                    .map(|(k, n)| (k, n.into_value()))
                    .collect::<Map<_, _>>(),
            ),
            Node::Items(items) => {
                Value::Array(items.into_iter().map(|(_, n)| n.into_value()).collect())
            }
        }
    }
}

/// The compiled release of `releases` (all of one `ocid`): every field's last value, with the
/// `id`, `date` and `tag` OCDS requires of a release (the last release's id and date, tag
/// `compiled`).
pub fn compile(releases: &[Value]) -> Value {
    let merged = Merged::of(releases);
    let mut compiled = merged.compiled();
    if let (Some(fields), Some(last)) = (compiled.as_object_mut(), newest(releases)) {
        let ocid = last.get("ocid").and_then(Value::as_str).unwrap_or_default();
        let id = last.get("id").and_then(Value::as_str).unwrap_or_default();
        fields.insert("id".into(), json!(format!("{ocid}-{id}")));
        fields.insert(
            "date".into(),
            last.get("date").cloned().unwrap_or(Value::Null),
        );
        fields.insert("tag".into(), json!(["compiled"]));
    }
    compiled
}

/// The versioned release of `releases`: every field's history.
pub fn versioned(releases: &[Value]) -> Value {
    Merged::of(releases).versioned()
}

/// The release merged last (the newest date; the last given among equal dates).
fn newest(releases: &[Value]) -> Option<&Value> {
    releases.iter().max_by_key(|r| date(r))
}

#[cfg(test)]
mod tests;
