//! Consistent answers (issue 24 item 3): a refusal by status names the current status and the
//! allowed ones; instants have one precision, microseconds, in the read models and the replay
//! alike (docs/decisions/0651).

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
