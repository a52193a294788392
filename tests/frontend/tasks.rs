//! `myTasks` for every role, built from «Доступные действия» (issue 24 items 2 and 3,
//! docs/decisions/0656): the organizer's publication, the secretary's jobs, a supplier's
//! supplement; votes and signatures stay `vote_awaited` and `signature_awaited`.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, documented, simple};
use crate::e2e::{App, Person, spawn_app};

/// The kinds of `who`'s tasks on announcement `id`, with their lots, once the read models hold
/// `position`.
pub async fn my_tasks(
    app: &App,
    who: &Person,
    id: Uuid,
    position: &Value,
) -> Vec<(String, Option<String>)> {
    let d = app
        .ok(
            Some(who),
            "query($p: String) { myTasks(minPosition: $p) { kind announcementId planItemId titleRu } }",
            json!({"p": position}),
        )
        .await;
    d["myTasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .filter(|t| t["announcementId"] == json!(id))
        .map(|t| {
            (
                t["kind"].as_str().expect("kind").to_owned(),
                t["planItemId"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Spec 000-A §4.2 «Опубликовать»: a complete draft is the organizer's task to publish, not the
/// customer's nor a supplier's; once published it is no one's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_complete_draft_is_the_organizers_task_to_publish() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(crate::e2e::astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-TASK-1";
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Ноутбуки\", amount: \"9000000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": "Закупка ноутбуков",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-9\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let incomplete = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { position } }",
        json!({"a": id, "l": [{"planItemId": pi, "lotNumber": "87491610-ОК1", "customerBin": c.customer.org,
            "nameRu": "Ноутбук", "nameKk": "Ноутбук", "amount": "9000000.00"}]})).await;
    assert!(
        my_tasks(&app, &c.organizer, id, &incomplete["position"])
            .await
            .is_empty(),
        "an incomplete draft cannot be published yet"
    );
    documented(&app, &c, id, &[pi]).await;
    let start = app.working_days_after(6);
    let ready = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { position } }",
        json!({"a": id, "s": start, "e": start + Duration::days(30)})).await;
    assert_eq!(
        my_tasks(&app, &c.organizer, id, &ready["position"]).await,
        vec![("publish".to_owned(), None)]
    );
    // The customer and the suppliers have no part in the draft.
    for outsider in [&c.customer, &c.suppliers[0]] {
        assert!(
            my_tasks(&app, outsider, id, &ready["position"])
                .await
                .is_empty()
        );
    }
    let published = simple(&app, &c.organizer, id, "publish").await;
    assert!(
        my_tasks(&app, &c.organizer, id, &published["position"])
            .await
            .iter()
            .all(|(kind, _)| kind != "publish")
    );
}
