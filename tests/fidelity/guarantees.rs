//! Electronic bank guarantees end to end (issue 19; spec 000-D §4.2, decisions 0850–0853): a ЗЦП
//! completes with a winner on lot 2; the bank issues the winner's application security over
//! GraphQL; the customer records that the winner evaded the contract; the workflow
//! (`GuaranteeRunner`, as `zakup serve` runs it) asks the bank to hold it; the bank finds it in
//! its queue and confirms. The organizer and the bank get the spec's messages, and the replay as
//! of each step's instant shows each status.

use std::sync::Arc;

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_engine::{Engine, GuaranteeRunner};

use crate::e2e::tender::{cast, deadline};
use crate::e2e::{App, Person, astana, bin, person, spawn_app, system};
use crate::price_quotations::{accepting, eventually, published};

const GUARANTEE: &str = "query($g: UUID!, $at: DateTime) { bankGuarantee(id: $g, asOf: $at) { number status { id } lots { planItemId status { id } } pending { request { id } cause { id } } } }";

async fn guarantee_as_of(app: &App, who: &Person, g: Uuid, at: Option<&str>) -> Value {
    app.ok(Some(who), GUARANTEE, json!({"g": g, "at": at}))
        .await["bankGuarantee"]
        .clone()
}

async fn messages(app: &App, who: &Person) -> Vec<String> {
    let data = app
        .ok(
            Some(who),
            "{ myMessages(first: 50) { edges { node { kind } } } }",
            json!({}),
        )
        .await;
    data["myMessages"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["kind"].as_str().unwrap().to_owned())
        .collect()
}

// 000-D G4, G6, S4 (L10698–10752), decision 0853: held after the winner's evasion, confirmed by
// the bank; the replay as of each instant shows «Действует», «Удержание (на подтверждении в
// банке)», «Удержано».
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_guarantee_held_after_evasion_is_confirmed_by_the_bank_and_replays_by_instant() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let bank = person("bank", "АО «Банк»", 70, bin(70), "bank");
    let zcp = Uuid::new_v4();
    let (pi1, pi2) = ("PI-EBG-1", "PI-EBG-2");
    published(&app, &c, zcp, &[pi1, pi2]).await;
    accepting(&app, &c, zcp).await;
    let offers = [
        json!([{"planItemId": pi2, "price": "880000.00"}]),
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

    // The bank issues the winner's (the lower price's) application security on lot 2.
    let g = Uuid::new_v4();
    let winner = &c.suppliers[1];
    app.command(&bank, "($c: UUID!, $i: IssueGuaranteeInput!) { issueGuarantee(commandId: $c, input: $i) { version } }",
        json!({"i": {
            "guaranteeId": g, "number": "ЭБГ-77", "kind": "application_security",
            "bankName": "АО «Банк»", "supplierBin": winner.org, "customerBin": c.customer.org,
            "organizerBin": c.organizer.org, "amount": "8700.00", "issuedOn": "2026-02-02",
            "validUntil": "2026-08-31", "announcementId": zcp, "announcementNumber": "ЗЦП-1",
            "lots": [{"planItemId": pi2, "lotNumber": "ЗЦП-1-2"}]
        }})).await;
    let issued_at = app.now();
    // Another organisation's employee sees nothing of it.
    let shown = app
        .ok(
            Some(&c.suppliers[0]),
            GUARANTEE,
            json!({"g": g, "at": null}),
        )
        .await;
    assert!(shown["bankGuarantee"].is_null());
    app.clock.advance(Duration::hours(1));

    // The customer records the evasion; the workflow asks the bank to hold.
    app.command(&c.customer, "($c: UUID!, $a: UUID!, $p: String!) { recordContractEvasion(commandId: $c, announcementId: $a, planItemId: $p, grounds: \"Не подписал договор в срок\") { version } }",
        json!({"a": zcp, "p": pi2})).await;
    let engine = Engine::new(
        app.store.clone(),
        Arc::new(app.clock.clone()),
        app.calendar.clone(),
    );
    let runner = GuaranteeRunner::new(engine, system().actor());
    let mut asked = false;
    for _ in 0..200 {
        let requested = runner.tick().await.expect("tick");
        if requested
            .iter()
            .any(|r| r.guarantee_id == g && r.result.is_ok())
        {
            asked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(asked, "the workflow asked the bank to hold");
    let requested_at = app.now();
    app.clock.advance(Duration::hours(1));

    // The bank's queue shows it; the bank confirms.
    let queue = eventually(
        &app,
        &bank,
        "{ bankGuaranteeQueue { edges { node { id pending { request { id } cause { id } } } } } }",
        |d| {
            !d["bankGuaranteeQueue"]["edges"]
                .as_array()
                .unwrap()
                .is_empty()
        },
    )
    .await;
    let node = &queue["bankGuaranteeQueue"]["edges"][0]["node"];
    assert_eq!(node["id"], json!(g));
    assert_eq!(node["pending"]["cause"]["id"], "winner_evaded_contract");
    app.command(&bank, "($c: UUID!, $g: UUID!) { confirmGuaranteeRequest(commandId: $c, guaranteeId: $g, request: \"hold\") { version } }",
        json!({"g": g})).await;
    let confirmed_at = app.now();

    // As of each instant, each status.
    let at = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339();
    let expected = [
        (at(issued_at), "active", "active"),
        (at(requested_at), "hold_pending_bank", "active"),
        (at(confirmed_at), "held", "held"),
    ];
    for (instant, status, lot) in &expected {
        let shown = guarantee_as_of(&app, &c.organizer, g, Some(instant)).await;
        assert_eq!(shown["status"]["id"], *status, "as of {instant}");
        assert_eq!(shown["lots"][0]["status"]["id"], *lot, "as of {instant}");
    }
    let history = app
        .ok(Some(&bank), "query($g: UUID!) { bankGuaranteeHistory(id: $g) { eventType guarantee { status { id } } } }", json!({"g": g}))
        .await;
    let steps: Vec<(String, String)> = history["bankGuaranteeHistory"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["eventType"].as_str().unwrap().to_owned(),
                s["guarantee"]["status"]["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let steps: Vec<(&str, &str)> = steps
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        steps,
        [
            ("GuaranteeIssued", "active"),
            ("GuaranteeRequestFormGenerated", "active"),
            ("GuaranteeRequestSigned", "hold_pending_bank"),
            ("GuaranteeRequestConfirmed", "held"),
        ]
    );

    // The search and the messages (spec §9.1): the bank was asked, the organizer told.
    let found = eventually(
        &app,
        &c.organizer,
        "{ bankGuarantees(filter: {number: \"ЭБГ-77\"}) { edges { node { status { id } amount beneficiaryBin } } } }",
        |d| d["bankGuarantees"]["edges"][0]["node"]["status"]["id"] == "held",
    )
    .await;
    let node = &found["bankGuarantees"]["edges"][0]["node"];
    assert_eq!(node["amount"], "8700.00");
    assert_eq!(node["beneficiaryBin"], json!(c.organizer.org));
    app.settle().await;
    assert!(
        messages(&app, &bank)
            .await
            .contains(&"guarantee_hold_requested".to_owned())
    );
    assert!(
        messages(&app, &c.organizer)
            .await
            .contains(&"guarantee_hold_confirmed".to_owned())
    );
}
