//! «Доступные действия» (issue 24 item 2, docs/decisions/0653): served on the announcement, in
//! the replay and on a mutation's answer, decided by the rules that decide the commands, for the
//! viewer, with the portal-wide block of an unread notice (L11082–11088).

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, deadline, published};
use crate::e2e::{App, Person, spawn_app};

/// The action ids `who` is offered on announcement `id`, replayed from its stream.
async fn offered(app: &App, who: &Person, id: Uuid) -> Vec<String> {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { availableActions { id original } } }",
            json!({"a": id}),
        )
        .await;
    ids(&d["announcement"]["availableActions"])
}

fn ids(actions: &Value) -> Vec<String> {
    actions
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {actions}"))
        .iter()
        .map(|a| a["id"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_viewer_is_offered_what_the_rules_accept_and_a_blocked_organisation_nothing() {
    let app = spawn_app(Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()).await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-ACT-1"]).await;

    // D1 (L1580–1598): a supplier may ask during the discussion; the organizer may not.
    assert!(
        offered(&app, &c.suppliers[0], id)
            .await
            .contains(&"submit_discussion_request".into())
    );
    assert!(
        !offered(&app, &c.organizer, id)
            .await
            .contains(&"submit_discussion_request".into())
    );
    assert!(
        offered(&app, &c.suppliers[0], id)
            .await
            .iter()
            .all(|a| a != "answer_discussion_request")
    );
    let request = Uuid::new_v4();
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Срок\", text: \"Уточните срок\") { version } }",
        json!({"a": id, "r": request})).await;

    // D4 (L1606–1640): once the discussion has ended, the secretary has a request to answer.
    let end = deadline(&app, &c.organizer, id, "end_discussion").await;
    app.fire(id, "end_discussion", end).await;
    assert!(
        offered(&app, &c.secretary, id)
            .await
            .contains(&"answer_discussion_request".into())
    );
    assert!(
        !offered(&app, &c.suppliers[1], id)
            .await
            .contains(&"answer_discussion_request".into())
    );
    // … and «Мои задачи» says so.
    let d = app
        .ok(
            Some(&c.secretary),
            "{ myTasks { kind announcementId titleRu } }",
            json!({}),
        )
        .await;
    let jobs: Vec<&Value> = d["myTasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["kind"] == "answer_discussion_request")
        .collect();
    assert_eq!(jobs.len(), 1, "{d}");
    assert_eq!(jobs[0]["announcementId"], id.to_string());

    // The mutation answers the new status and what the caller may do next (D6, L1664–1676).
    let answered = app.command(&c.secretary, "($c: UUID!, $a: UUID!, $r: UUID!) { answerDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, decision: \"clarify\", text: \"Срок 30 дней\") { version position status { id } availableActions { id } } }",
        json!({"a": id, "r": request})).await;
    assert_eq!(answered["status"]["id"], "published", "{answered}");
    let next = ids(&answered["availableActions"]);
    assert!(next.contains(&"complete_discussion".into()), "{answered}");
    assert!(
        !next.contains(&"answer_discussion_request".into()),
        "{answered}"
    );

    // The read model's announcement serves the same list.
    let d = app
        .ok(
            Some(&c.secretary),
            "query($p: String) { announcements(minPosition: $p) { edges { node { id availableActions { id } } } } }",
            json!({"p": answered["position"]}),
        )
        .await;
    assert_eq!(
        ids(&d["announcements"]["edges"][0]["node"]["availableActions"]),
        next
    );

    // An unread notice (here on another announcement, in its discussion) blocks the
    // organisation on the whole portal: nothing is offered to its staff, on any announcement,
    // until «Ознакомлен».
    let other = Uuid::new_v4();
    published(&app, &c, other, &["PI-ACT-2"]).await;
    let delivered = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!, $d: String!, $r: String!) {
  deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: $d,
    remedy: $r, text: \"Нарушение пункта 12 Правил\") { version position } }",
        json!({"a": other, "n": Uuid::new_v4(), "i": "PI-ACT-2", "d": "1", "r": "cancel_procurement"})).await;
    let d = app
        .ok(
            Some(&c.secretary),
            "query($p: String) { announcements(minPosition: $p) { edges { node { availableActions { id } } } } }",
            json!({"p": delivered["position"]}),
        )
        .await;
    let edges = d["announcements"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 2, "{d}");
    for e in edges {
        assert_eq!(
            ids(&e["node"]["availableActions"]),
            Vec::<String>::new(),
            "{d}"
        );
    }
    assert!(offered(&app, &c.secretary, id).await.is_empty());
    // Anonymous viewers are offered nothing.
    let d = app
        .ok(
            None,
            "query($a: UUID!) { announcement(id: $a) { availableActions { id } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(
        ids(&d["announcement"]["availableActions"]),
        Vec::<String>::new()
    );
}
