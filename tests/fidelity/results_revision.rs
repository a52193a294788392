//! Results revision («Пересмотр итогов», spec 000-D §4.1, seed 000 L10416–10512) by a
//! direction-4 notice (§4.8, L12765–12803): issue 27 items 2 and 5. The plan item follows the
//! revised outcome, a publication the plan item cannot follow is refused with nothing written
//! (docs/decisions/0603), and «Возобновить голосование» is accepted in the revision
//! (docs/decisions/0604).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{
    Cast, accepting, ballot, cast, deadline, published, quorum, sign_and_publish, simple, vote,
};
use crate::e2e::{App, astana, spawn_app};

/// «Отклонен без права переподачи» under article 6 in the common section: final, so no ППД.
fn article6_rejection(pi: &str) -> Value {
    let mut rejected = ballot(&[pi], None);
    rejected["commonArticle6"] = json!({"verdict": "rejected_no_resubmission",
        "subparagraphs": ["3"], "reason": "Состоит в реестре недобросовестных поставщиков"});
    rejected
}

async fn status(app: &App, c: &Cast, id: Uuid) -> String {
    app.settle().await;
    let d = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { status { id } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["status"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The lot's outcome and its plan item's state, once the read models hold every event.
async fn lot_and_plan_item(app: &App, c: &Cast, id: Uuid, pi: &str) -> (Value, Value) {
    app.settle().await;
    let d = app
        .ok(
            Some(&c.customer),
            "query($a: UUID!) { announcement(id: $a) { lots { planItemId outcome } }
              customerRequests(first: 50) { edges { node { planItemId state announcementId } } } }",
            json!({"a": id}),
        )
        .await;
    let lot = d["announcement"]["lots"]
        .as_array()
        .and_then(|ls| ls.iter().find(|l| l["planItemId"] == pi))
        .unwrap_or_else(|| panic!("no lot {pi}: {d}"))["outcome"]
        .clone();
    let item = d["customerRequests"]["edges"]
        .as_array()
        .and_then(|es| es.iter().find(|e| e["node"]["planItemId"] == pi))
        .unwrap_or_else(|| panic!("no request {pi}: {d}"))["node"]
        .clone();
    (lot, item)
}

/// The plan item shows what the lot's outcome says: held by the announcement, or failed and
/// back in the pool (no outcome yet: reserved by it). The read models may show a commit a
/// moment after it happens (the global log's order), so they are read again for a while before
/// a difference counts as an inconsistency.
async fn assert_consistent(app: &App, c: &Cast, id: Uuid, pi: &str, after: &str) {
    let holder = json!(id.to_string());
    let mut seen = Vec::new();
    for _ in 0..100 {
        let (outcome, item) = lot_and_plan_item(app, c, id, pi).await;
        let expected = match outcome.as_str() {
            Some("held") => ("procurement_held", holder.clone()),
            Some("failed") => ("procurement_failed", Value::Null),
            _ => ("reserved", holder.clone()),
        };
        if (
            item["state"].as_str().unwrap_or_default(),
            &item["announcementId"],
        ) == (expected.0, &expected.1)
        {
            return;
        }
        seen.push((outcome, item));
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("after {after}: the lot's outcome and its plan item differ: {seen:?}");
}

/// How many events the store holds, in every stream: a refused command adds none, not even a
/// lot-pool process record.
async fn written(app: &App) -> usize {
    // The global log shows a commit shortly after it happens.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let all = app
        .store
        .read_all(None, &zakup_store::Filter::all(), 100_000)
        .await
        .expect("the log");
    all.len()
}

/// A one-lot open tender with two applications, both admitted by every member (`reject` vetoes
/// both instead), its discounts and results protocol: «Завершено». Returns the applications.
pub(crate) async fn completed(app: &App, c: &Cast, id: Uuid, pi: &str, reject: bool) -> [Uuid; 2] {
    for signer in quorum(c) {
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
    let end = deadline(app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    let verdict = if reject {
        article6_rejection(pi)
    } else {
        ballot(&[pi], None)
    };
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        for application in applications {
            vote(app, member, id, application, verdict.clone()).await;
        }
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    // The lot has two applications: its discounts are filled, rejected or not (L2741ff.).
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $i, entries: $e) { version } }",
        json!({"a": id, "i": pi, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    simple(app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(app, c, id, "results", &quorum(c)).await;
    assert_eq!(status(app, c, id).await, "completed");
    applications
}

/// Direction 4 delivered, read and taken up: «Пересмотр итогов» (L12765–12779).
async fn revising(app: &App, c: &Cast, id: Uuid, pi: &str) -> Vec<(String, Value)> {
    let notice = Uuid::new_v4();
    let steps = [
        (
            &c.inspector,
            "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: \"4\", remedy: \"revise_results\", text: \"Нарушение\") { version } }",
        ),
        (
            &c.secretary,
            "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        ),
        (
            &c.secretary,
            "($c: UUID!, $a: UUID!, $l: [String!]!) { startResultsRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        ),
    ];
    let mut answers = Vec::new();
    for (who, call) in steps {
        let answer = app
            .command(who, call, json!({"a": id, "n": notice, "i": pi, "l": [pi]}))
            .await;
        answers.push((call.to_owned(), answer));
    }
    answers
}

/// Issue 27 item 2 as reported, and item 5: the only lot of a completed tender is revised, the
/// secretary presses «Возобновить голосование» (L10430–10436), every member withdraws and
/// re-votes with an article-6 rejection, the voting is completed and the new results protocol
/// formed, signed and published. Then the announcement is «Завершено», the lot failed, v1 «Не
/// действительный» and v2 «Действительный», and the plan item «Закупка не состоялась», back in
/// the pool. After every command the plan item shows the lot's outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revision_failing_the_only_lot_fails_its_plan_item() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-RR-1";
    let applications = completed(&app, &c, id, pi, false).await;
    assert_consistent(&app, &c, id, pi, "the first results").await;
    for (call, _) in revising(&app, &c, id, pi).await {
        assert_consistent(&app, &c, id, pi, &call).await;
    }
    assert_eq!(status(&app, &c, id).await, "results_revision");

    // «Возобновить голосование» with the voting already open: accepted, nothing to change.
    let reopened = simple(&app, &c.secretary, id, "reopenVoting").await;
    assert_eq!(reopened["duplicate"], false);
    assert_eq!(status(&app, &c, id).await, "results_revision");
    assert_consistent(&app, &c, id, pi, "reopenVoting").await;

    for member in [&c.chairman, &c.member_a, &c.member_b] {
        for application in applications {
            app.command(member, "($c: UUID!, $a: UUID!, $app: UUID!) { withdrawVote(commandId: $c, announcementId: $a, applicationId: $app) { version } }",
                json!({"a": id, "app": application})).await;
            vote(&app, member, id, application, article6_rejection(pi)).await;
        }
        assert_consistent(&app, &c, id, pi, "a member's new votes").await;
    }
    for step in ["completeVoting", "formResultsProtocol"] {
        simple(&app, &c.secretary, id, step).await;
        assert_consistent(&app, &c, id, pi, step).await;
    }
    sign_and_publish(&app, &c, id, "results", &quorum(&c)).await;
    assert_eq!(status(&app, &c, id).await, "completed");
    let (outcome, item) = lot_and_plan_item(&app, &c, id, pi).await;
    assert_eq!(outcome, "failed");
    assert_eq!(item["state"], "procurement_failed");
    assert_consistent(&app, &c, id, pi, "publishProtocol").await;
    let d = app
        .ok(
            Some(&c.secretary),
            "query($a: UUID!) { announcement(id: $a) { protocols { kind { id } version validity { original } } } }",
            json!({"a": id}),
        )
        .await;
    let results: Vec<(i64, String)> = d["announcement"]["protocols"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["kind"]["id"] == "results")
        .map(|p| {
            let validity = p["validity"]["original"].as_str().unwrap_or_default();
            (
                p["version"].as_i64().unwrap_or_default(),
                validity.to_owned(),
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            (1, "Не действительный".to_owned()),
            (2, "Действительный".to_owned())
        ]
    );
}

/// The other way (docs/decisions/0603): the lot had failed and a repeat tender took its plan
/// item; the revision admits the applications, so the lot would be held. Publishing is refused
/// with `plan_item_in_other_procurement` and writes nothing (L496–512, L3239–3255); once the
/// repeat draft is deleted, the same publication holds the lot and its plan item again.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revision_holding_a_failed_lot_waits_for_the_other_procurement_to_let_it_go() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-RR-2";
    let applications = completed(&app, &c, id, pi, true).await;
    assert_consistent(&app, &c, id, pi, "the first results").await;

    let repeat = Uuid::new_v4();
    let header = json!({"method": "open_tender", "procurementType": "repeat", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": "Закупка ноутбуков (повторная)",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776707-1\", header: $h) { version } }",
        json!({"a": repeat, "h": header})).await;
    let lots = json!([{"planItemId": pi, "lotNumber": "87491619-ПОК1", "customerBin": c.customer.org,
        "nameRu": "Ноутбук", "nameKk": "Ноутбук", "amount": "9000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
        json!({"a": repeat, "l": lots})).await;

    revising(&app, &c, id, pi).await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        for application in applications {
            app.command(member, "($c: UUID!, $a: UUID!, $app: UUID!) { withdrawVote(commandId: $c, announcementId: $a, applicationId: $app) { version } }",
                json!({"a": id, "app": application})).await;
            vote(&app, member, id, application, ballot(&[pi], None)).await;
        }
    }
    // The discounts completed the first time stand (decision 0312).
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    let d = app
        .ok(
            Some(&c.secretary),
            "query($a: UUID!) { announcement(id: $a) { protocols { kind { id } version validity { id } contentSha256 } } }",
            json!({"a": id}),
        )
        .await;
    let p = d["announcement"]["protocols"]
        .as_array()
        .and_then(|ps| ps.iter().rev().find(|p| p["kind"]["id"] == "results"))
        .expect("the new results protocol")
        .clone();
    let hash = p["contentSha256"].as_str().expect("a hash");
    for signer in quorum(&c) {
        app.command(signer, "($c: UUID!, $a: UUID!, $k: String!, $v: Int!, $i: String!, $h: String!, $s: String!) { signProtocol(commandId: $c, announcementId: $a, kind: $k, version: $v, signerIin: $i, contentSha256: $h, signature: $s) { version } }",
            json!({"a": id, "k": "results", "v": p["version"], "i": signer.iin, "h": hash, "s": signer.sign(hash)})).await;
    }
    let publish = "mutation($c: UUID!, $a: UUID!) { publishProtocol(commandId: $c, announcementId: $a, kind: \"results\") { version } }";
    let before = written(&app).await;
    let refused = app
        .refused(
            Some(&c.secretary),
            publish,
            json!({"c": Uuid::new_v4(), "a": id}),
        )
        .await;
    assert_eq!(refused, "plan_item_in_other_procurement");
    let after = written(&app).await;
    assert_eq!(before, after, "nothing written");
    assert_eq!(status(&app, &c, id).await, "forming_results_protocol");
    let (_, item) = lot_and_plan_item(&app, &c, id, pi).await;
    assert_eq!(item["announcementId"], json!(repeat.to_string()));

    simple(&app, &c.organizer, repeat, "deleteDraft").await;
    app.ok(
        Some(&c.secretary),
        publish,
        json!({"c": Uuid::new_v4(), "a": id}),
    )
    .await;
    assert_eq!(status(&app, &c, id).await, "completed");
    let (outcome, item) = lot_and_plan_item(&app, &c, id, pi).await;
    assert_eq!(
        (outcome, &item["state"]),
        (json!("held"), &json!("procurement_held"))
    );
    assert_consistent(&app, &c, id, pi, "publishProtocol").await;
}
