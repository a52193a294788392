//! Privacy of discussion requests (issue 24 item 5, spec 000-A §4.2.2, docs/decisions/0650): the
//! question and its answer are public, who asked is seen only by the sender, the organizer's
//! organisation and the auditors, in the replay's `events` as in the `timeline`.

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, published};
use crate::e2e::{App, Person, spawn_app};

const EVENTS: &str = "query($a: UUID!) { announcement(id: $a) {
  events { eventType payload actor { orgBin iin } } } }";

const TIMELINE: &str =
    "query($p: String) { announcements(minPosition: $p, first: 1) { edges { node { id
  timeline(first: 30) { edges { node { eventType actorOrgBin actorIin actorRole } } } } } } }";

/// The discussion request's event in the replay, as `who` reads it.
async fn request_event(app: &App, who: &Person, id: Uuid) -> Value {
    let d = app.ok(Some(who), EVENTS, json!({"a": id})).await;
    d["announcement"]["events"]
        .as_array()
        .and_then(|es| {
            es.iter()
                .find(|e| e["eventType"] == "DiscussionRequestSubmitted")
        })
        .cloned()
        .unwrap_or_else(|| panic!("no request event: {d}"))
}

/// The discussion request's timeline row, as `who` reads it.
async fn request_row(app: &App, who: &Person, position: &Value) -> Value {
    let d = app.ok(Some(who), TIMELINE, json!({"p": position})).await;
    d["announcements"]["edges"][0]["node"]["timeline"]["edges"]
        .as_array()
        .and_then(|es| {
            es.iter()
                .find(|e| e["node"]["eventType"] == "DiscussionRequestSubmitted")
        })
        .map(|e| e["node"].clone())
        .unwrap_or_else(|| panic!("no request row: {d}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_supplier_reads_the_question_but_not_who_asked() {
    let app = spawn_app(Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()).await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-PRIV-1"]).await;
    let sender = &c.suppliers[0];
    let submitted = app.command(sender, "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Гарантийный срок\", text: \"Просим уточнить гарантийный срок\") { version position } }",
        json!({"a": id, "r": Uuid::new_v4()})).await;
    let position = &submitted["position"];

    // Another supplier: the text, but neither the sender's БИН nor the actor.
    let other = &c.suppliers[1];
    let seen = request_event(&app, other, id).await;
    assert_eq!(seen["payload"]["text"], "Просим уточнить гарантийный срок");
    assert!(seen["payload"].get("supplier_bin").is_none(), "{seen}");
    assert!(seen["actor"].is_null(), "{seen}");
    let row = request_row(&app, other, position).await;
    assert!(
        row["actorOrgBin"].is_null() && row["actorIin"].is_null(),
        "{row}"
    );
    assert_eq!(row["actorRole"], "supplier");

    // The sender, the organizer's staff and the auditors see who asked.
    for who in [sender, &c.secretary, &c.inspector] {
        let seen = request_event(&app, who, id).await;
        assert_eq!(
            seen["payload"]["supplier_bin"],
            sender.org.as_str(),
            "{seen}"
        );
        assert_eq!(seen["actor"]["orgBin"], sender.org.as_str(), "{seen}");
    }
    for who in [sender, &c.organizer] {
        let row = request_row(&app, who, position).await;
        assert_eq!(row["actorOrgBin"], sender.org.as_str(), "{row}");
    }
}
