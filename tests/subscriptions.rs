//! Subscriptions over a real WebSocket, protocol graphql-transport-ws at `/graphql/ws`, with the
//! token in the `connection_init` payload: a user's new tasks, and an announcement's changes.

mod e2e;

use serde_json::{Value, json};
use uuid::Uuid;

use e2e::{astana, bin, next, person, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_organizer_hears_of_a_new_customer_request_and_of_its_announcement_changing() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let organizer = person("organizer", "Сейтқали Айгерім", 1, bin(1), "organizer");
    let customer = person("customer", "Школа-лицей №12", 2, bin(2), "customer");

    let mut tasks = app
        .subscribe(
            &organizer,
            "subscription { myNewTasks { kind planItemId titleRu } }",
            Value::Null,
        )
        .await;
    app.command(&customer, "($c: UUID!, $org: String!) { requestProcurement(commandId: $c, planItemId: \"PI-WS-1\", organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага А4\", amount: \"900000.00\") { version } }",
        json!({"org": organizer.org})).await;
    let task = next(&mut tasks).await;
    assert_eq!(task["type"], "next", "{task}");
    assert_eq!(
        task["payload"]["data"]["myNewTasks"]["kind"],
        "customer_request_received"
    );
    assert_eq!(
        task["payload"]["data"]["myNewTasks"]["planItemId"],
        "PI-WS-1"
    );

    let id = Uuid::new_v4();
    let mut changes = app
        .subscribe(
        &organizer,
        "subscription($a: UUID!) { announcementChanged(id: $a) { version eventType position } }",
        json!({"a": id}),
    )
    .await;
    let header = json!({"method": "price_quotations", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закуп бумаги", "amongDisabledOrganizations": false, "singleOrganizer": false});
    let created = app.command(&organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { position } }",
        json!({"a": id, "h": header})).await;
    let change = next(&mut changes).await;
    assert_eq!(
        change["payload"]["data"]["announcementChanged"]["eventType"], "AnnouncementDrafted",
        "{change}"
    );
    // The draft pins its legal regime in the same append (decision 0891): its last event.
    let pinned = next(&mut changes).await;
    assert_eq!(
        pinned["payload"]["data"]["announcementChanged"]["eventType"], "LegalRegimePinned",
        "{pinned}"
    );
    assert_eq!(
        pinned["payload"]["data"]["announcementChanged"]["position"],
        created["position"]
    );

    // An unknown announcement is refused with a code, and nothing is written for it.
    let unknown = Uuid::new_v4();
    let code = app.refused(Some(&organizer), "mutation($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
        json!({"c": Uuid::new_v4(), "a": unknown})).await;
    assert!(!code.is_empty());
    let nothing = app
        .ok(
            Some(&organizer),
            "query($a: UUID!) { announcement(id: $a) { version } }",
            json!({"a": unknown}),
        )
        .await;
    assert_eq!(nothing["announcement"], Value::Null);
}
