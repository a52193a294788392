//! Camera control end to end (spec 000-D §4, seeds 000 L10840–12818), over HTTP against a real
//! server and real PostgreSQL with a manual clock: one notice per direction, delivery blocking the
//! organizer until «Ознакомлен», an objection concluded by the Committee, a countdown that
//! expires, «Журнал уведомлений» with its calendar days, and who may read and do what.

mod e2e;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use e2e::tender::{
    Cast, accepting, ballot, cast, deadline, file, published, quorum, sign, sign_and_publish,
    simple, vote,
};
use e2e::{App, Person, astana, next, spawn_app};

const JOURNAL: &str = "query($o: String!, $s: String, $p: String) {
  notices(orgBin: $o, status: $s, minPosition: $p) { edges { node {
    id announcementId planItemId lotNumber direction { id original } remedy { id }
    status { id original } executionDeadline expiresAt acknowledgedAt route cancellationOnly
    remainingDays { calendarDays workingDays }
    objections { number status { id } conclusion { id } sentAt } } } } }";

const ANNOUNCEMENT_NOTICES: &str = "query($a: UUID!, $p: String) {
  announcementNotices(id: $a, minPosition: $p) {
    notices { id status { id } direction { id } }
    objections { number status { id original } conclusion { id } }
    timeline { eventType actorRole } } }";

const DELIVER: &str = "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!, $d: String!, $r: String!) {
  deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: $d,
    remedy: $r, text: \"Нарушение пункта 12 Правил\") { version position } }";

async fn status(app: &App, who: &Person, id: Uuid) -> String {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { status { id } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["status"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The notices of the organizer's journal (as `who` sees it) once the read models hold `position`.
async fn journal(app: &App, who: &Person, org: &str, position: &Value) -> Vec<Value> {
    let data = app
        .ok(
            Some(who),
            JOURNAL,
            json!({"o": org, "s": null, "p": position}),
        )
        .await;
    data["notices"]["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

/// The first notice of the organizer's journal in `status`, once the scheduler's expiry has
/// reached the read models: `fire` returns no position to wait for, and a commit shows in the
/// global log shortly after it happens.
async fn expired_notice(app: &App, who: &Person, status: &str) -> Value {
    for _ in 0..200 {
        app.settle().await;
        let data = app
            .ok(
                Some(who),
                JOURNAL,
                json!({"o": who.org, "s": status, "p": null}),
            )
            .await;
        let first = &data["notices"]["edges"][0]["node"];
        if !first.is_null() {
            return first.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no {status} notice in the journal");
}

/// The event types of the announcement's timeline (the read model), as `who` sees them.
async fn timeline_types(app: &App, who: &Person, id: Uuid, position: &Value) -> Vec<String> {
    let d = app
        .ok(
            Some(who),
            "query($p: String) { announcements(minPosition: $p) { edges { node { id
               timeline(first: 100) { edges { node { eventType } } } } } } }",
            json!({"p": position}),
        )
        .await;
    d["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .and_then(|e| e["node"]["timeline"]["edges"].as_array())
        .map(|t| {
            t.iter()
                .filter_map(|e| e["node"]["eventType"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn on_lot<'a>(notices: &'a [Value], plan_item: &str) -> &'a Value {
    notices
        .iter()
        .find(|n| n["planItemId"] == plan_item)
        .unwrap_or_else(|| panic!("no notice on {plan_item}: {notices:?}"))
}

async fn deliver(
    app: &App,
    c: &Cast,
    id: Uuid,
    notice: Uuid,
    plan_item: &str,
    direction: &str,
    remedy: &str,
) -> Value {
    app.command(
        &c.inspector,
        DELIVER,
        json!({"a": id, "n": notice, "i": plan_item, "d": direction, "r": remedy}),
    )
    .await
}

async fn acknowledge(app: &App, who: &Person, id: Uuid, notice: Uuid) -> Value {
    app.command(who, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await
}

/// «Отменить закупку» → the notice lots → «Отменить» (L12087–12175).
async fn cancel_by_notices(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) -> Value {
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": plan_items})).await;
    simple(app, &c.secretary, id, "cancelByNotices").await
}

/// A one-lot tender up to its published ППД: the second supplier is rejected on the lot and may
/// supplement («Опубликовано (дополнение заявок)»). Returns the two applications.
async fn supplementing(app: &App, c: &Cast, id: Uuid, pi: &str) -> [Uuid; 2] {
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(app, c, id, &[pi]).await;
    accepting(app, c, id).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, (application, price)) in c
        .suppliers
        .iter()
        .zip(applications.iter().zip(["8900000.00", "8500000.00"]))
    {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": price}]})).await;
    }
    app.fire(
        id,
        "end_acceptance",
        deadline(app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(app, member, id, applications[0], ballot(&[pi], None)).await;
        vote(app, member, id, applications[1], ballot(&[pi], Some(pi))).await;
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    simple(app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    sign_and_publish(app, c, id, "preliminary_admission", &quorum(c)).await;
    applications
}

/// The supplement, the second round, the discounts and the results protocol: «Завершено».
async fn complete(app: &App, c: &Cast, id: Uuid, pi: &str, applications: [Uuid; 2]) -> Value {
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $l: [String!]!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: $l, documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "l": [pi], "d": [file("experience")]})).await;
    app.fire(
        id,
        "end_supplement_period",
        deadline(app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(app, member, id, applications[1], ballot(&[pi], None)).await;
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $i, entries: $e) { version } }",
        json!({"a": id, "i": pi, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    simple(app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(app, c, id, "results", &quorum(c)).await
}

/// The lot's row of «Контроль голосования», replayed from the store.
async fn voting_control(app: &App, c: &Cast, id: Uuid) -> Value {
    let d = app
        .ok(
            Some(&c.secretary),
            "query($a: UUID!) { announcement(id: $a) { votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["votingControl"][0].clone()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a date: {v}"))
}

#[path = "camera_control/directions.rs"]
mod directions;

#[path = "camera_control/replay_and_blocking.rs"]
mod replay_and_blocking;

#[path = "camera_control/mutations.rs"]
mod mutations;
