//! The merge against the rules of OCDS 1.1.5 `docs/schema/merging.md`, each test naming its rule.

use serde_json::{Value, json};

use super::{compile, versioned};

fn release(id: &str, date: &str, tag: &str, body: Value) -> Value {
    let mut r = json!({ "ocid": "ocds-zakup0-1", "id": id, "date": date, "tag": [tag] });
    for (k, v) in body.as_object().unwrap() {
        r[k] = v.clone();
    }
    r
}

fn without_stamp(mut compiled: Value) -> Value {
    for k in ["id", "date", "tag"] {
        compiled.as_object_mut().unwrap().remove(k);
    }
    compiled
}

/// Rule "identifier merge": items of an array of objects with ids merge by id; items only in
/// the earlier release stay, in the order first seen.
#[test]
fn arrays_of_objects_merge_by_id() {
    let r1 = release(
        "1",
        "2026-01-01T00:00:00Z",
        "tender",
        json!({"tender": {"items": [{"id": "a", "description": "A"}, {"id": "b", "description": "B"}]}}),
    );
    let r2 = release(
        "2",
        "2026-01-02T00:00:00Z",
        "tenderUpdate",
        json!({"tender": {"items": [{"id": "b", "quantity": 2}, {"id": "c", "description": "C"}]}}),
    );
    let compiled = compile(&[r2, r1]);
    assert_eq!(
        compiled["tender"]["items"],
        json!([
            {"id": "a", "description": "A"},
            {"id": "b", "description": "B", "quantity": 2},
            {"id": "c", "description": "C"}
        ])
    );
}

/// Rule "wholeListMerge": `additionalIdentifiers` is replaced whole though its items have ids;
/// arrays of literals (`roles`) are replaced whole.
#[test]
fn whole_list_merge_fields_and_literal_arrays_are_replaced() {
    let party = |ids: Value, roles: Value| json!({"parties": [{"id": "p", "roles": roles, "additionalIdentifiers": ids}]});
    let r1 = release(
        "1",
        "2026-01-01T00:00:00Z",
        "tender",
        party(
            json!([{"id": "x", "scheme": "S"}, {"id": "y", "scheme": "S"}]),
            json!(["buyer", "procuringEntity"]),
        ),
    );
    let r2 = release(
        "2",
        "2026-01-02T00:00:00Z",
        "tenderUpdate",
        party(json!([{"id": "z", "scheme": "S"}]), json!(["buyer"])),
    );
    let compiled = compile(&[r1, r2]);
    assert_eq!(
        compiled["parties"][0]["additionalIdentifiers"],
        json!([{"id": "z", "scheme": "S"}])
    );
    assert_eq!(compiled["parties"][0]["roles"], json!(["buyer"]));
}

/// Rule "null removes a field": a literal set to null is gone, an object set to null is gone
/// with everything under it; fields a release does not mention stay.
#[test]
fn null_removes_and_absence_keeps() {
    let r1 = release(
        "1",
        "2026-01-01T00:00:00Z",
        "tender",
        json!({"tender": {"title": "T", "description": "D", "value": {"amount": 10, "currency": "KZT"}}}),
    );
    let r2 = release(
        "2",
        "2026-01-02T00:00:00Z",
        "tenderUpdate",
        json!({"tender": {"description": null, "value": null, "status": "active"}}),
    );
    let compiled = without_stamp(compile(&[r1, r2]));
    assert_eq!(
        compiled,
        json!({"ocid": "ocds-zakup0-1", "tender": {"title": "T", "status": "active"}})
    );
}

/// Rule "omitWhenMerged": `id`, `date`, `tag` are not merged; the compiled release carries the
/// newest release's date and the tag `compiled`; the versioned release names each version.
#[test]
fn omitted_fields_stamp_the_versions() {
    let r1 = release(
        "e1",
        "2026-01-01T00:00:00Z",
        "tender",
        json!({"tender": {"status": "active"}}),
    );
    let r2 = release(
        "e2",
        "2026-01-02T00:00:00Z",
        "tenderCancellation",
        json!({"tender": {"status": "cancelled"}}),
    );
    let compiled = compile(&[r1.clone(), r2.clone()]);
    assert_eq!(compiled["tag"], json!(["compiled"]));
    assert_eq!(compiled["date"], json!("2026-01-02T00:00:00Z"));
    assert_eq!(compiled["id"], json!("ocds-zakup0-1-e2"));
    let v = versioned(&[r1, r2]);
    assert_eq!(v["ocid"], json!("ocds-zakup0-1"));
    assert!(v.get("id").is_none() && v.get("tag").is_none());
    assert_eq!(
        v["tender"]["status"],
        json!([
            {"releaseID": "e1", "releaseDate": "2026-01-01T00:00:00Z", "releaseTag": ["tender"], "value": "active"},
            {"releaseID": "e2", "releaseDate": "2026-01-02T00:00:00Z", "releaseTag": ["tenderCancellation"], "value": "cancelled"}
        ])
    );
}

/// Versioned release: a value repeated unchanged adds no version; the id of an
/// identifier-merged item is not versioned.
#[test]
fn versions_only_record_changes() {
    let r = |id: &str, date: &str, amount: i64| {
        release(
            id,
            date,
            "tenderUpdate",
            json!({"awards": [{"id": "w1", "value": {"amount": amount}}]}),
        )
    };
    let v = versioned(&[
        r("1", "2026-01-01T00:00:00Z", 5),
        r("2", "2026-01-02T00:00:00Z", 5),
        r("3", "2026-01-03T00:00:00Z", 7),
    ]);
    assert_eq!(v["awards"][0]["id"], json!("w1"));
    let amounts: Vec<&Value> = v["awards"][0]["value"]["amount"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| &x["value"])
        .collect();
    assert_eq!(amounts, [&json!(5), &json!(7)]);
}

/// The last version of every field is the field in the compiled release (merging.md: the
/// compiled release is the versioned one's latest values), for every prefix of a history, and
/// compiling is a fold: compiling the releases at once equals compiling the compiled release of
/// the earlier ones with the next.
#[test]
fn compiled_is_the_fold_and_the_last_versions() {
    let releases = [
        release(
            "1",
            "2026-01-01T00:00:00Z",
            "tender",
            json!({"tender": {"status": "active", "lots": [{"id": "L1", "status": "active"}], "value": {"amount": 10}}}),
        ),
        release(
            "2",
            "2026-01-02T00:00:00Z",
            "tenderUpdate",
            json!({"tender": {"lots": [{"id": "L2", "status": "active"}]}, "bids": {"details": [{"id": "b1", "status": "pending"}]}}),
        ),
        release(
            "3",
            "2026-01-03T00:00:00Z",
            "award",
            json!({"tender": {"status": "complete", "value": null}, "awards": [{"id": "A", "status": "active"}], "bids": {"details": [{"id": "b1", "status": "valid"}]}}),
        ),
        release(
            "4",
            "2026-01-04T00:00:00Z",
            "awardCancellation",
            json!({"awards": [{"id": "A", "status": "cancelled"}, {"id": "B", "status": "active"}]}),
        ),
    ];
    for n in 1..=releases.len() {
        let prefix = &releases[..n];
        let compiled = without_stamp(compile(prefix));
        assert_eq!(compiled, latest(&versioned(prefix)), "prefix {n}");
        if n > 1 {
            let earlier = compile(&prefix[..n - 1]);
            let folded = without_stamp(compile(&[earlier, prefix[n - 1].clone()]));
            assert_eq!(folded, compiled, "fold at {n}");
        }
    }
}

/// The versioned release with each history replaced by its last non-null value.
fn latest(v: &Value) -> Value {
    match v {
        Value::Array(items) if items.first().is_some_and(|i| i.get("releaseID").is_some()) => {
            items.last().unwrap()["value"].clone()
        }
        Value::Array(items) => Value::Array(items.iter().map(latest).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, x)| (k.clone(), latest(x)))
                .filter(|(_, x)| !x.is_null() && *x != json!({}))
                .collect(),
        ),
        other => other.clone(),
    }
}
