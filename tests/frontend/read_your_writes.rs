//! Read-your-writes covers a command's follow-ups (issue 24 item 4): the position a mutation
//! answers is the last of everything it caused, so a query waiting for it with `minPosition`
//! sees the index-2 copy that publishing the discussion protocol made (spec 000-A §4.2.3,
//! L1746–1760), every time.

use chrono::{TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::e2e::spawn_app;
use crate::e2e::tender::{cast, deadline, published, sign_and_publish, simple};

const COPY_LOTS: &str = "query($a: UUID!, $p: String) {
  lots(filter: {announcementId: $a}, minPosition: $p) { edges { node { planItemId status { id } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_copy_after_a_documentation_changing_discussion_protocol_is_read_with_min_position() {
    let app = spawn_app(Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()).await;
    let c = cast();
    app.command(&c.secretary, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.secretary.iin, "k": c.secretary.public_key_hex()})).await;
    // Several rounds: the copy used to be appended after the position answered, and a reader
    // missed it most of the time, not always.
    for round in 0..3 {
        let id = Uuid::new_v4();
        let pi = format!("PI-RYW-{round}");
        published(&app, &c, id, &[pi.as_str()]).await;
        let request = Uuid::new_v4();
        app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Срок\", text: \"Просим продлить срок поставки\") { version } }",
            json!({"a": id, "r": request})).await;
        let end = deadline(&app, &c.organizer, id, "end_discussion").await;
        app.fire(id, "end_discussion", end).await;
        app.command(&c.secretary, "($c: UUID!, $a: UUID!, $r: UUID!) { answerDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, decision: \"amend_documentation\", text: \"Срок продлён\") { version } }",
            json!({"a": id, "r": request})).await;
        app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
            json!({"a": id, "s": [c.secretary.json()]})).await;
        simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
        let published = sign_and_publish(&app, &c, id, "discussion", &[&c.secretary]).await;

        let copy = Uuid::new_v5(&id, b"index-2");
        let d = app
            .ok(
                Some(&c.organizer),
                COPY_LOTS,
                json!({"a": copy, "p": published["position"]}),
            )
            .await;
        let lots = d["lots"]["edges"].as_array().expect("edges");
        assert_eq!(
            lots.len(),
            1,
            "round {round}: the copy's lot at the position answered: {d}"
        );
        assert_eq!(lots[0]["node"]["planItemId"], pi.as_str());
        assert_eq!(
            lots[0]["node"]["status"]["id"], "draft_documentation_change",
            "round {round}: {d}"
        );
    }
}
