//! Procurements run off the portal (issue 17 item 2, spec 000-C §1.9–1.10): the end of
//! acceptance leads to forming the results, which the creator enters by hand, forms, signs alone
//! and publishes. One test per method family, driven over HTTP.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{Cast, cast, deadline, sign, simple};
use crate::e2e::{App, astana, spawn_app};

/// A draft of `method` with one goods lot, published: acceptance from tomorrow for a week. No
/// technical specification, contract draft or commission (spec 000-C §2.18–2.20).
async fn published(app: &App, c: &Cast, id: Uuid, method: &str, pi: &str) {
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"900000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": method, "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-Б1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots = json!([{"planItemId": pi, "lotNumber": "87491610-Б1", "customerBin": c.customer.org,
        "nameRu": "Бумага", "nameKk": "Қағаз", "amount": "900000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
        json!({"a": id, "i": pi, "t": {"subject": "goods", "deliveryConditions": "DDP"}})).await;
    let start = app.now() + Duration::days(1);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(7)})).await;
    // S23: without «Место предоставления заявок на казахском языке», refused.
    let mut places = json!({"documentation": "г. Астана, ул. Достык 1, каб. 5",
        "applicationsRu": "г. Астана, ул. Достык 1, каб. 5", "applicationsKk": ""});
    let refused = app
        .refused(
            Some(&c.organizer),
            PLACES,
            json!({"c": Uuid::new_v4(), "a": id, "p": places}),
        )
        .await;
    assert_eq!(refused, "missing_field");
    let refused = app
        .refused(Some(&c.organizer), "mutation($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
            json!({"c": Uuid::new_v4(), "a": id}))
        .await;
    assert_eq!(refused, "publication_places_missing");
    places["applicationsKk"] = json!("Астана қ., Достық к-сі 1, 5 каб.");
    app.command(
        &c.organizer,
        &PLACES["mutation".len()..],
        json!({"a": id, "p": places}),
    )
    .await;
    simple(app, &c.organizer, id, "publish").await;
}

const PLACES: &str = "mutation($c: UUID!, $a: UUID!, $p: PublicationPlacesInput!) { setPublicationPlaces(commandId: $c, announcementId: $a, places: $p) { version } }";

const ENTER: &str = "mutation($c: UUID!, $a: UUID!, $r: EnteredResultsInput!) { enterResultsData(commandId: $c, announcementId: $a, results: $r) { version } }";

fn row(number: &str, supplier: Value, price: &str) -> Value {
    json!({"applicationNumber": number, "supplier": supplier, "account": "KZ86125KZT5004100100",
        "unitPrice": price, "conditionalPrice": price, "submittedOn": "2026-02-05"})
}

/// Acceptance ended: «Формирование протокола итогов».
async fn forming(app: &App, c: &Cast, id: Uuid, method: &str, pi: &str) {
    published(app, c, id, method, pi).await;
    let shown = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { status { id } lots { status { id original } } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(shown["announcement"]["status"]["id"], "published");
    let end = deadline(app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
}

/// The creator forms the protocol, signs it alone, and publishes it.
async fn form_sign_publish(app: &App, c: &Cast, id: Uuid) -> Value {
    simple(app, &c.organizer, id, "formResultsProtocol").await;
    app.command(&c.organizer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.organizer.iin, "k": c.organizer.public_key_hex()})).await;
    sign(app, c, id, "results", &[&c.organizer]).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version } }",
        json!({"a": id, "k": "results"})).await;
    app.ok(
        Some(&c.organizer),
        "query($a: UUID!) { announcement(id: $a) { status { id original } lots { outcome } protocols { kind { id } validity { id } } } }",
        json!({"a": id}),
    )
    .await["announcement"]
        .clone()
}

// 000-C S23 (L8748–9251): a paper «Конкурс с предварительным квалификационным отбором»; at the
// end of acceptance «Формирование протокола итогов»; one application is refused, a resident and
// a non-resident are saved; the protocol is deleted once and formed again; the creator signs and
// publishes: «Завершено», the lot held.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn paper_procurement_results_entered_by_hand() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    forming(&app, &c, id, "prequalification", "PI-PAPER-1").await;
    let resident =
        json!({"kind": "resident", "id": c.suppliers[0].org, "name": "ТОО «Алатау Техно»"});
    let non_resident = json!({"kind": "non_resident", "taxNumber": "190123456", "name": "ООО «Минский поставщик»"});
    let one = json!({"outcome": "held", "suppliers": [row("1", resident.clone(), "850000.00")]});
    let refused = app
        .refused(
            Some(&c.organizer),
            ENTER,
            json!({"c": Uuid::new_v4(), "a": id, "r": one}),
        )
        .await;
    assert_eq!(refused, "two_applications_required");
    let two = json!({"outcome": "held", "suppliers": [row("1", resident, "850000.00"), row("2", non_resident, "840000.00")]});
    app.command(
        &c.organizer,
        &ENTER["mutation".len()..],
        json!({"a": id, "r": two.clone()}),
    )
    .await;
    // The details show what was saved, and the places of the publication form.
    let details = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { details { publicationPlaces { applicationsKk } enteredResults { outcome suppliers { applicationNumber kind id taxNumber conditionalPrice } } } } }",
            json!({"a": id}),
        )
        .await["announcement"]["details"]
        .clone();
    assert_eq!(
        details["publicationPlaces"]["applicationsKk"],
        "Астана қ., Достық к-сі 1, 5 каб."
    );
    assert_eq!(details["enteredResults"]["outcome"], "held");
    let rows = &details["enteredResults"]["suppliers"];
    assert_eq!(rows[0]["id"], json!(c.suppliers[0].org));
    assert_eq!(rows[1]["kind"], "non_resident");
    assert_eq!(rows[1]["taxNumber"], "190123456");
    simple(&app, &c.organizer, id, "formResultsProtocol").await;
    simple(&app, &c.organizer, id, "deleteResultsProtocol").await;
    app.command(
        &c.organizer,
        &ENTER["mutation".len()..],
        json!({"a": id, "r": two}),
    )
    .await;
    let done = form_sign_publish(&app, &c, id).await;
    assert_eq!(
        done["status"],
        json!({"id": "completed", "original": "Завершено"})
    );
    assert_eq!(done["lots"][0]["outcome"], "held");
}

// 000-C S24 (L9265–9271, L9608–9643): a «Тендер (не ГЗ)» that did not take place for another
// reason, saved without applications, formed, signed and published: the lot failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn non_gz_procurement_that_did_not_take_place() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    forming(&app, &c, id, "tender_non_gz", "PI-NONGZ-1").await;
    let failed = json!({"outcome": "failed", "reason": "other", "otherReason": "Закупка отменена заказчиком", "suppliers": []});
    app.command(
        &c.organizer,
        &ENTER["mutation".len()..],
        json!({"a": id, "r": failed}),
    )
    .await;
    let done = form_sign_publish(&app, &c, id).await;
    assert_eq!(done["status"]["id"], "completed");
    assert_eq!(done["lots"][0]["outcome"], "failed");
}
