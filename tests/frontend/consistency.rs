//! Consistent answers (issue 24 item 3): a refusal by status names the current status and the
//! allowed ones; instants have one precision, microseconds, in the read models and the replay
//! alike (docs/decisions/0651); "not allowed" reads one way (docs/decisions/0657).

use chrono::{Duration, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;

use crate::e2e::spawn_app;
use crate::e2e::tender::{cast, published};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_status_names_the_current_and_the_allowed_statuses_and_instants_agree() {
    // A clock with nanoseconds, as the system clock has.
    let start =
        Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap() + Duration::nanoseconds(84_176_901);
    let app = spawn_app(start).await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-CONS-1"]).await;

    // Completing the voting is for the review (Правила п. 65, the guard table of the open tender).
    let response = app
        .post(
            Some(&c.secretary),
            "mutation($c: UUID!, $a: UUID!) { completeVoting(commandId: $c, announcementId: $a) { version } }",
            json!({"c": Uuid::new_v4(), "a": id}),
        )
        .await;
    let extensions = &response["errors"][0]["extensions"];
    assert_eq!(extensions["code"], "wrong_status", "{response}");
    assert_eq!(extensions["currentStatus"], "published", "{response}");
    let allowed = extensions["allowedStatuses"].as_array().expect("a list");
    assert!(
        allowed.contains(&json!("reviewing_applications"))
            && !allowed.contains(&json!("published")),
        "{response}"
    );

    // The instant of publication: the read model, the replay's header and the event agree, in
    // microseconds. (`published` keeps no position: wait for the read model to show it.)
    let query = "query($a: UUID!) { announcements { edges { node { publishedAt } } }
               announcement(id: $a) { publishedAt events { eventType occurredAt } } }";
    let mut d = json!(null);
    for _ in 0..100 {
        d = app.ok(Some(&c.organizer), query, json!({"a": id})).await;
        if d["announcements"]["edges"][0]["node"]["publishedAt"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let read_model = d["announcements"]["edges"][0]["node"]["publishedAt"]
        .as_str()
        .expect("published");
    let replay = d["announcement"]["publishedAt"]
        .as_str()
        .expect("published");
    assert_eq!(read_model, replay, "{d}");
    let expected = (start.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
        .trim_end_matches('Z')
        .to_owned();
    assert!(
        replay.starts_with(&expected[..26]),
        "{replay} against {expected}"
    );
    assert!(!replay.contains("176901"), "nanoseconds leaked: {replay}");
    let occurred = d["announcement"]["events"]
        .as_array()
        .and_then(|es| {
            es.iter()
                .find(|e| e["eventType"] == "AnnouncementPublished")
        })
        .map(|e| e["occurredAt"].clone())
        .expect("the publication");
    assert_eq!(occurred, replay, "{d}");
}

/// Issue 24 item 3, docs/decisions/0657: one rule for "not allowed". The caller's own things
/// refuse an anonymous caller with `unauthenticated`; a whole thing a signed-in outsider may not
/// see answers as a missing one (null, or an empty list), never a refusal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn not_allowed_reads_one_way() {
    let app = spawn_app(Utc.with_ymd_and_hms(2026, 3, 2, 5, 0, 0).unwrap()).await;
    let c = cast();
    let own = [
        "{ myTasks { kind } }",
        "{ myMessages { edges { node { id } } } }",
        "{ myApplications { edges { node { announcementId } } } }",
        "{ myDiscussionRequests { announcementId } }",
        "{ customerRequests { edges { node { planItemId } } } }",
        "query($o: String!) { notices(orgBin: $o) { edges { node { id } } } }",
        "query($a: UUID!) { announcementNotices(id: $a) { announcementId } }",
    ];
    let id = Uuid::new_v4();
    let vars = json!({"o": c.organizer.org, "a": id});
    for query in own {
        assert_eq!(
            app.refused(None, query, vars.clone()).await,
            "unauthenticated",
            "{query}"
        );
    }
    // A draft of the organizer: another organisation reads it as if it did not exist.
    let header = json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": "Закупка ноутбуков",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    let drafted = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-7\", header: $h) { position } }",
        json!({"a": id, "h": header})).await;
    let hidden = "query($a: UUID!, $o: String!, $p: String) {
        announcement(id: $a) { id }
        announcementNotices(id: $a, minPosition: $p) { announcementId }
        notices(orgBin: $o) { edges { node { id } } }
        announcements { edges { node { id } } } }";
    let vars = json!({"a": id, "o": c.organizer.org, "p": drafted["position"]});
    let missing = json!({"a": Uuid::new_v4(), "o": c.organizer.org, "p": drafted["position"]});
    for outsider in [&c.suppliers[0], &c.customer] {
        let shown = app.ok(Some(outsider), hidden, vars.clone()).await;
        assert_eq!(shown["announcement"], json!(null), "{shown}");
        assert_eq!(shown["announcementNotices"], json!(null), "{shown}");
        assert_eq!(shown["notices"]["edges"], json!([]), "{shown}");
        assert_eq!(shown["announcements"]["edges"], json!([]), "{shown}");
        // …the same answer as for an announcement that does not exist.
        let absent = app.ok(Some(outsider), hidden, missing.clone()).await;
        assert_eq!(absent, shown);
    }
    // The organizer's own staff see it.
    let own = app.ok(Some(&c.organizer), hidden, vars).await;
    assert_eq!(own["announcement"]["id"], json!(id), "{own}");
    assert_eq!(
        own["announcementNotices"]["announcementId"],
        json!(id),
        "{own}"
    );
}
