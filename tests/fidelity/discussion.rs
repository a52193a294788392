//! The discussion protocol under a direction-1 notice published without executing it (spec 000-D
//! S17, L12177–12313, decision 0606), and a protocol formed again after its deletion (spec 000-A
//! §6, decision 0605), over HTTP: the read models and the auditors' replay show the same versions.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, deadline, published, sign, simple};
use crate::e2e::{App, Person, astana, spawn_app};

const PROTOCOLS: &str = "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) {
    status { id } deadlines { transition }
    protocols { kind { id } version validity { id } deletedAt publishedAt } } }";

async fn announcement(app: &App, who: &Person, id: Uuid, as_of: Value) -> Value {
    app.ok(Some(who), PROTOCOLS, json!({"a": id, "asOf": as_of}))
        .await["announcement"]
        .clone()
}

/// `(version, validity, deleted, published)` of the discussion protocols.
fn discussion(view: &Value) -> Vec<(i64, String, bool, bool)> {
    view["protocols"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| p["kind"]["id"] == "discussion")
                .map(|p| {
                    (
                        p["version"].as_i64().unwrap_or_default(),
                        p["validity"]["id"].as_str().unwrap_or_default().to_owned(),
                        p["deletedAt"].is_string(),
                        p["publishedAt"].is_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s17_the_secretary_enters_the_acceptance_end_and_publishes_the_re_formed_protocol() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-FD-1";
    published(&app, &c, id, &[pi]).await;
    // Given an acknowledged direction-1 notice and the discussion over without requests (S13).
    let notice = Uuid::new_v4();
    app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: \"1\", remedy: \"change_documentation\", text: \"Нарушение\") { version } }",
        json!({"a": id, "n": notice, "i": pi})).await;
    app.command(&c.chairman, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        json!({"a": id, "n": notice})).await;
    // The block is looked up in the notices read model: under load it may lag the acknowledgement.
    app.settle().await;
    app.fire(
        id,
        "end_discussion",
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;

    // When the secretary publishes the protocol without executing the notice (L12177–12211),
    // no automatic protocol is scheduled: it is the secretary's signed one.
    simple(
        &app,
        &c.secretary,
        id,
        "publishDiscussionProtocolWithoutExecution",
    )
    .await;
    let view = announcement(&app, &c.organizer, id, Value::Null).await;
    assert!(
        view["deadlines"]
            .as_array()
            .is_some_and(|d| d.iter().all(|d| d["transition"] != "end_discussion")),
        "{view}"
    );
    app.command(&c.organizer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.organizer.iin, "k": c.organizer.public_key_hex()})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.organizer.json()]})).await;
    // Formed, deleted before signing (L12225–12227) and formed again: a new version.
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    simple(&app, &c.secretary, id, "deleteDiscussionProtocol").await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    let view = announcement(&app, &c.organizer, id, Value::Null).await;
    assert_eq!(
        discussion(&view),
        [
            (1, "invalid".to_owned(), true, false),
            (2, "valid".to_owned(), false, false)
        ]
    );

    let enter = "mutation($c: UUID!, $a: UUID!, $e: DateTime!) { enterAcceptanceEnd(commandId: $c, announcementId: $a, end: $e) { version } }";
    let end = app.now() + Duration::days(20);
    let early = app
        .refused(
            Some(&c.secretary),
            enter,
            json!({"c": Uuid::new_v4(), "a": id, "e": end}),
        )
        .await;
    assert_eq!(
        early, "signatures_missing",
        "the field is active after signing"
    );
    sign(&app, &c, id, "discussion", &[&c.organizer]).await;
    let publish = "mutation($c: UUID!, $a: UUID!) { publishProtocol(commandId: $c, announcementId: $a, kind: \"discussion\") { version } }";
    let unset = app
        .refused(
            Some(&c.secretary),
            publish,
            json!({"c": Uuid::new_v4(), "a": id}),
        )
        .await;
    assert_eq!(unset, "acceptance_end_required");
    app.command(
        &c.secretary,
        "($c: UUID!, $a: UUID!, $e: DateTime!) { enterAcceptanceEnd(commandId: $c, announcementId: $a, end: $e) { version } }",
        json!({"a": id, "e": end}),
    )
    .await;
    let published = app
        .command(
            &c.secretary,
            "($c: UUID!, $a: UUID!) { publishProtocol(commandId: $c, announcementId: $a, kind: \"discussion\") { version } }",
            json!({"a": id}),
        )
        .await;

    // Then «Опубликовано (прием заявок)» at once (L12303–12306), and the auditors' replay shows
    // the versions the read models show.
    let now = announcement(&app, &c.organizer, id, Value::Null).await;
    assert_eq!(now["status"]["id"], "published_accepting_applications");
    assert_eq!(
        discussion(&now),
        [
            (1, "invalid".to_owned(), true, false),
            (2, "valid".to_owned(), false, true)
        ]
    );
    let replayed = announcement(
        &app,
        &c.inspector,
        id,
        json!({"version": published["version"]}),
    )
    .await;
    assert_eq!(discussion(&replayed), discussion(&now));
}
