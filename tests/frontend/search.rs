//! Issue 24 item 1: «Поиск лотов» by method (seed §1.2 «по способу»), status and amount.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, published};
use crate::e2e::{App, Person, astana, spawn_app};

/// The plan items of the lots `filter` finds for `who`, once the read models hold `position`.
async fn found(app: &App, who: &Person, filter: Value, position: &Value) -> Vec<String> {
    let d = app
        .ok(
            Some(who),
            "query($f: LotFilter, $p: String) { lots(filter: $f, minPosition: $p, first: 50) { edges { node { planItemId } } } }",
            json!({"f": filter, "p": position}),
        )
        .await;
    let mut out: Vec<String> = d["lots"]["edges"]
        .as_array()
        .map(|e| {
            e.iter()
                .filter_map(|e| e["node"]["planItemId"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn lots_are_found_by_method_status_and_amount() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    // A published open tender with two lots of 9 000 000 tenge each …
    published(&app, &c, Uuid::new_v4(), &["PI-S-1", "PI-S-2"]).await;
    // … and the organizer's draft request for price quotations with a lot of 500 000.
    app.command(&c.customer, "($c: UUID!) { requestProcurement(commandId: $c, planItemId: \"PI-S-3\", organizerBin: \"%ORG%\", subjectType: \"goods\", nameRu: \"Бумага\", amount: \"500000.00\") { version } }"
        .replace("%ORG%", &c.organizer.org).as_str(), json!({})).await;
    let draft = Uuid::new_v4();
    let header = json!({"method": "price_quotations", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776706-ЗЦП1\", header: $h) { version } }",
        json!({"a": draft, "h": header})).await;
    let added = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version position } }",
        json!({"a": draft, "l": [{"planItemId": "PI-S-3", "lotNumber": "1-ЗЦП1", "customerBin": c.customer.org,
            "nameRu": "Бумага", "nameKk": "Қағаз", "amount": "500000.00"}]})).await;
    let p = &added["position"];
    let o = &c.organizer;

    assert_eq!(
        found(&app, o, json!({"method": "open_tender"}), p).await,
        ["PI-S-1", "PI-S-2"]
    );
    assert_eq!(
        found(&app, o, json!({"method": "price_quotations"}), p).await,
        ["PI-S-3"]
    );
    // The draft's lot says «Проект» (decision 0640) and is found by it.
    assert_eq!(
        found(&app, o, json!({"status": ["draft"]}), p).await,
        ["PI-S-3"]
    );
    assert_eq!(
        found(&app, o, json!({"status": ["published", "draft"]}), p).await,
        ["PI-S-1", "PI-S-2", "PI-S-3"]
    );
    assert_eq!(
        found(&app, o, json!({"amountTo": "1000000"}), p).await,
        ["PI-S-3"]
    );
    assert_eq!(
        found(&app, o, json!({"amountFrom": "9000000.00", "amountTo": "9000000.00", "method": "open_tender", "status": ["published"]}), p).await,
        ["PI-S-1", "PI-S-2"]
    );
    // Another organisation does not see the draft.
    assert_eq!(
        found(
            &app,
            &c.suppliers[0],
            json!({"method": "price_quotations"}),
            p
        )
        .await,
        Vec::<String>::new()
    );
    // An unknown method or status is refused, not matched against nothing.
    for filter in [
        json!({"method": "no_such_method"}),
        json!({"status": ["finished"]}),
    ] {
        let code = app
            .refused(
                Some(o),
                "query($f: LotFilter) { lots(filter: $f) { edges { node { planItemId } } } }",
                json!({"f": filter}),
            )
            .await;
        assert_eq!(code, "invalid_input", "{filter}");
    }
}
