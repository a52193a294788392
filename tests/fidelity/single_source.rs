//! «Из одного источника по несостоявшимся закупкам» (issue 16 item 1, spec 000-C §1.7): the
//! automatic path end to end. A ЗЦП lot with one price offer does not take place; the workflow
//! (`SingleSourceRunner`, as `zakup serve` runs it) creates and publishes the ИОИ for the ЗЦП's
//! creator with that supplier invited; over HTTP the supplier applies, the creator opens, votes as
//! the organizer's representative, forms, signs and publishes the results.

use std::sync::Arc;

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_engine::{Engine, SingleSourceRunner, single_source_id};

use crate::e2e::tender::{cast, deadline, sign, simple};
use crate::e2e::{App, astana, spawn_app, system};
use crate::price_quotations::{accepting, eventually, published};

const STATE: &str = "query($a: UUID!) { announcement(id: $a) { status { id } method { id } acceptanceStart acceptanceEnd lots { planItemId outcome winnerApplicationId } } }";

async fn state(app: &App, who: &crate::e2e::Person, id: Uuid) -> Value {
    app.ok(Some(who), STATE, json!({"a": id})).await["announcement"].clone()
}

// 000-C A1–A2, S1 (L6862–6952), O1, O3, V1–V2, P1–P3 (L7538–7804): given a ЗЦП whose lot 1 had
// one offer, when the workflow runs, then a single source is published with that supplier
// invited, for five calendar days; the supplier applies, the creator opens the procurement,
// admits as representative, forms the results, signs and publishes them: the supplier wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_failed_with_one_offer_goes_to_a_single_source() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let zcp = Uuid::new_v4();
    let (pi1, pi2) = ("PI-IOI-1", "PI-IOI-2");
    published(&app, &c, zcp, &[pi1, pi2]).await;
    accepting(&app, &c, zcp).await;
    let offers = [
        json!([{"planItemId": pi1, "price": "850000.00"}, {"planItemId": pi2, "price": "880000.00"}]),
        json!([{"planItemId": pi2, "price": "870000.00"}]),
    ];
    for (supplier, offers) in c.suppliers.iter().zip(offers) {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": zcp, "app": Uuid::new_v4(), "o": offers})).await;
    }
    let end = deadline(&app, &c.organizer, zcp, "end_acceptance").await;
    app.fire(zcp, "end_acceptance", end).await;
    eventually(
        &app,
        &c.organizer,
        &format!("{{ announcement(id: \"{zcp}\") {{ status {{ id }} }} }}"),
        |d| d["announcement"]["status"]["id"] == "completed",
    )
    .await;

    // The workflow, on the server's store and clock.
    let engine = Engine::new(
        app.store.clone(),
        Arc::new(app.clock.clone()),
        app.calendar.clone(),
    );
    let runner = SingleSourceRunner::new(engine, system().actor());
    let ioi = single_source_id(zcp, &c.suppliers[0].org.parse().expect("a БИН"));
    let mut created = false;
    for _ in 0..200 {
        let started = runner.tick().await.expect("tick");
        if started.iter().any(|s| s.result.as_ref().ok() == Some(&ioi)) {
            created = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(created, "the workflow created the single source");
    let read = eventually(
        &app,
        &c.organizer,
        &format!("{{ announcement(id: \"{ioi}\") {{ status {{ id }} }} }}"),
        |d| d["announcement"]["status"]["id"] == "published",
    )
    .await;
    assert_eq!(read["announcement"]["status"]["id"], "published");
    let shown = state(&app, &c.organizer, ioi).await;
    assert_eq!(shown["method"]["id"], "single_source");
    let lots: Vec<&str> = shown["lots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["planItemId"].as_str().unwrap())
        .collect();
    assert_eq!(lots, [pi1]);
    let start: chrono::DateTime<chrono::Utc> =
        shown["acceptanceStart"].as_str().unwrap().parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> =
        shown["acceptanceEnd"].as_str().unwrap().parse().unwrap();
    assert_eq!(end - start, chrono::Duration::days(5));

    // The invited supplier applies; the other is refused; the creator opens.
    let at = deadline(&app, &c.organizer, ioi, "start_acceptance").await;
    app.fire(ioi, "start_acceptance", at).await;
    let submit = "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }";
    let offer = json!([{"planItemId": pi1, "price": "840000.00"}]);
    let refused = app
        .refused(
            Some(&c.suppliers[1]),
            &format!("mutation {submit}"),
            json!({"c": Uuid::new_v4(), "a": ioi, "app": Uuid::new_v4(), "o": offer}),
        )
        .await;
    assert_eq!(refused, "supplier_not_invited");
    let application = Uuid::new_v4();
    app.command(
        &c.suppliers[0],
        submit,
        json!({"a": ioi, "app": application, "o": offer}),
    )
    .await;
    simple(&app, &c.organizer, ioi, "openApplications").await;
    eventually(
        &app,
        &c.organizer,
        &format!("{{ announcement(id: \"{ioi}\") {{ status {{ id }} }} }}"),
        |d| d["announcement"]["status"]["id"] == "reviewing_applications",
    )
    .await;

    // The creator is the representative of the automatic single source (L6910–6916).
    crate::e2e::tender::vote(
        &app,
        &c.organizer,
        ioi,
        application,
        crate::e2e::tender::ballot(&[pi1], None),
    )
    .await;
    simple(&app, &c.organizer, ioi, "formResultsProtocol").await;
    eventually(
        &app,
        &c.organizer,
        &format!("{{ announcement(id: \"{ioi}\") {{ status {{ id }} }} }}"),
        |d| d["announcement"]["status"]["id"] == "forming_results_protocol",
    )
    .await;
    app.command(&c.organizer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.organizer.iin, "k": c.organizer.public_key_hex()})).await;
    sign(&app, &c, ioi, "results", &[&c.organizer]).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version position } }",
        json!({"a": ioi, "k": "results"})).await;
    let done = eventually(&app, &c.organizer, &format!("{{ announcement(id: \"{ioi}\") {{ status {{ id }} lots {{ outcome winnerApplicationId }} }} }}"),
        |d| d["announcement"]["status"]["id"] == "completed").await;
    let lot = &done["announcement"]["lots"][0];
    assert_eq!(lot["outcome"], "held");
    assert_eq!(lot["winnerApplicationId"], json!(application));
}

// 000-C M4, M6 (L6960–6990), S4; decisions 0722, 0726: given an open tender that failed because
// its commission rejected both suppliers under article 6, when, after the 5-working-day ban, the
// organizer drafts a single source of its plan item by hand, then inviting either rejected
// supplier is refused with its code, and another supplier is invited.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_manual_single_source_invites_no_supplier_rejected_under_article_6() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let (tender, pi) = (Uuid::new_v4(), "PI-IOI-A6");
    crate::results_revision::completed(&app, &c, tender, pi, true).await;
    app.clock.set(app.working_days_after(6));

    let ioi = Uuid::new_v4();
    let header = json!({"method": "single_source", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер", "nameRu": "Ноутбуки", "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"ИОИ-A6\", header: $h) { version } }",
        json!({"a": ioi, "h": header})).await;
    let lot = json!([{"planItemId": pi, "lotNumber": "87491610-ИОИ1", "customerBin": c.customer.org,
        "nameRu": "Ноутбук", "nameKk": "Ноутбук", "amount": "9000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
        json!({"a": ioi, "l": lot})).await;
    let terms = "($c: UUID!, $a: UUID!, $s: String!) { setSingleSourceTerms(commandId: $c, announcementId: $a, failedMethod: open_tender, failureReason: no_admitted, invitedSupplierBin: $s) { version } }";
    for rejected in &c.suppliers {
        let code = app
            .refused(
                Some(&c.organizer),
                &format!("mutation {terms}"),
                json!({"c": Uuid::new_v4(), "a": ioi, "s": rejected.org}),
            )
            .await;
        assert_eq!(code, "supplier_rejected_under_article6");
    }
    app.command(
        &c.organizer,
        terms,
        json!({"a": ioi, "s": crate::e2e::bin(9)}),
    )
    .await;
}
