//! Camera-control notices per lot and cancellation by notices (issue 27 items 4 and 8): direction 4
//! stays open lot by lot until the complaint period ends (L10910–10914, L10978–10982; decision
//! 0607), and a procurement cancelled on every lot shows the announcement, its applications, its
//! lot and the customer's request «Отменено» (spec 000-D S15/S19, L12127–12153; decision 0608).

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{
    Cast, accepting, ballot, cast, deadline, published, quorum, sign_and_publish, simple, vote,
};
use crate::e2e::{App, Person, astana, spawn_app};

const DELIVER: &str =
    "mutation($c: UUID!, $a: UUID!, $n: UUID!, $i: String!, $d: String!, $r: String!) {
  deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: $d,
    remedy: $r, text: \"Нарушение пункта 12 Правил\") { version position } }";

/// The inspector's cancellation notice `notice` on one lot: the whole response, so that a
/// refusal can be read.
async fn deliver(
    app: &App,
    c: &Cast,
    id: Uuid,
    notice: Uuid,
    plan_item: &str,
    direction: &str,
) -> Value {
    let remedy = "cancel_procurement";
    app.post(
        Some(&c.inspector),
        DELIVER,
        json!({"c": Uuid::new_v4(), "a": id, "n": notice, "i": plan_item, "d": direction, "r": remedy}),
    )
    .await
}

fn accepted(response: &Value) -> &Value {
    assert!(response.get("errors").is_none(), "refused: {response}");
    &response["data"]["deliverNotice"]
}

fn refusal(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not refused with a code: {response}"))
}

async fn register_keys(app: &App, signers: &[&Person]) {
    for signer in signers {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
}

async fn submit(app: &App, supplier: &Person, id: Uuid, application: Uuid, plan_items: &[&str]) {
    let offers: Vec<Value> = plan_items
        .iter()
        .map(|pi| json!({"planItemId": pi, "price": "8900000.00"}))
        .collect();
    app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": application, "o": offers})).await;
}

/// A three-lot open tender with one application on every lot, admitted, its results protocol
/// published: «Завершено», the complaint period running.
async fn completed(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) {
    register_keys(app, &quorum(c)).await;
    published(app, c, id, plan_items).await;
    accepting(app, c, id).await;
    let application = Uuid::new_v4();
    submit(app, &c.suppliers[0], id, application, plan_items).await;
    app.fire(
        id,
        "end_acceptance",
        deadline(app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(app, member, id, application, ballot(plan_items, None)).await;
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    simple(app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(app, c, id, "results", &quorum(c)).await;
}

async fn status(app: &App, who: &Person, id: Uuid) -> Value {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { status { id } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["status"]["id"].clone()
}

/// Item 4: on a completed tender a direction-4 notice on lot 1, and the next day one on lot 2,
/// are both accepted, though the first turned the announcement into «Принятие решения по
/// исполнению уведомления» (L12612–12616); once the complaint period is over a notice on lot 3 is
/// refused with `direction_window_closed` (L10910–10914).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_four_notices_on_two_lots_a_day_apart_then_the_window_closes() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let lots = ["PI-F4-1", "PI-F4-2", "PI-F4-3"];
    completed(&app, &c, id, &lots).await;
    assert_eq!(status(&app, &c.organizer, id).await, "completed");

    accepted(&deliver(&app, &c, id, Uuid::new_v4(), lots[0], "4").await);
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "deciding_notice_execution"
    );
    app.clock.set(app.now() + Duration::days(1));
    let second = deliver(&app, &c, id, Uuid::new_v4(), lots[1], "4").await;
    let position = accepted(&second)["position"].clone();
    let journal = app
        .ok(
            Some(&c.organizer),
            "query($o: String!, $p: String) { notices(orgBin: $o, minPosition: $p) { edges { node {
               planItemId direction { id } status { id } } } } }",
            json!({"o": c.organizer.org, "p": position}),
        )
        .await;
    let mut on: Vec<(String, String)> = journal["notices"]["edges"]
        .as_array()
        .expect("the journal")
        .iter()
        .map(|e| {
            let n = &e["node"];
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&n["planItemId"]), text(&n["direction"]["id"]))
        })
        .collect();
    on.sort();
    assert_eq!(
        on,
        [
            (lots[0].to_owned(), "4".to_owned()),
            (lots[1].to_owned(), "4".to_owned())
        ]
    );

    // Five working days after the results protocol the complaint period is over.
    app.clock.set(app.working_days_after(6));
    let third = deliver(&app, &c, id, Uuid::new_v4(), lots[2], "4").await;
    assert_eq!(refusal(&third), "direction_window_closed");
}

const CANCELLED: &str = "query($a: UUID!) { announcement(id: $a) {
    status { id original }
    lots { planItemId status { id original } }
    applications { applicationId status { id original } } } }";

const LISTED: &str = "query($p: String) { announcements(minPosition: $p) { edges { node {
    id status { id original }
    lots { planItemId status { id original } }
    applications { applicationId status { id original } } } } } }";

const REQUESTS: &str = "query($p: String) { customerRequests(minPosition: $p) { edges { node {
    planItemId state announcementId } } } }";

/// The status of each object of `items`, as `(id, original)`.
fn statuses(items: &Value) -> Vec<(String, String)> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {items}"))
        .iter()
        .map(|i| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
            (text(&i["status"]["id"]), text(&i["status"]["original"]))
        })
        .collect()
}

/// Item 8, S15/S19 (L12127–12153, L12383–12403): two applications on the only lot, a direction-2
/// cancellation notice acknowledged, «Отменить закупку» by the notice: the announcement, both
/// applications (each as its supplier reads it) and the lot are cancelled, in the replay as in
/// the read models, and the customer's request is `cancelled`, held by no announcement (back in
/// the pool, L12151–12153).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s15_cancelling_by_notices_shows_everything_cancelled() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-F8-1";
    published(&app, &c, id, &[pi]).await;
    accepting(&app, &c, id).await;
    for supplier in &c.suppliers {
        submit(&app, supplier, id, Uuid::new_v4(), &[pi]).await;
    }
    let notice = Uuid::new_v4();
    accepted(&deliver(&app, &c, id, notice, pi, "2").await);
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        json!({"a": id, "n": notice})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    let cancelled = simple(&app, &c.secretary, id, "cancelByNotices").await;

    let cancelled_term = ("cancelled".to_owned(), "Отменено".to_owned());
    // Never opened, each application stays sealed: its supplier reads it, the organizer does not.
    for who in [&c.organizer, &c.suppliers[0], &c.suppliers[1]] {
        let replayed = app.ok(Some(who), CANCELLED, json!({"a": id})).await;
        let listed = app
            .ok(Some(who), LISTED, json!({"p": cancelled["position"]}))
            .await;
        let listed = listed["announcements"]["edges"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
            .map(|e| e["node"].clone())
            .expect("the announcement in the read model");
        let own = if who.org == c.organizer.org { 0 } else { 1 };
        for announcement in [&replayed["announcement"], &listed] {
            assert_eq!(
                statuses(&json!([announcement])),
                vec![cancelled_term.clone()]
            );
            // The lot's own word is 000-A's «Отменен» (L590–592; decision 0608), the same id.
            assert_eq!(
                statuses(&announcement["lots"]),
                [("cancelled".to_owned(), "Отменен".to_owned())]
            );
            assert_eq!(
                statuses(&announcement["applications"]),
                vec![cancelled_term.clone(); own],
                "{announcement}"
            );
        }
    }

    // The plan item: the engine's release follows the announcement's events.
    let mut request = Value::Null;
    for _ in 0..200 {
        app.settle().await;
        let requests = app
            .ok(Some(&c.customer), REQUESTS, json!({"p": null}))
            .await;
        request = requests["customerRequests"]["edges"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["node"]["planItemId"] == pi))
            .map(|e| e["node"].clone())
            .unwrap_or_default();
        if request["state"] == "cancelled" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(request["state"], "cancelled", "{request}");
    assert!(request["announcementId"].is_null(), "{request}");
    let filtered = app
        .ok(
            Some(&c.customer),
            "query { customerRequests(state: \"cancelled\") { edges { node { planItemId } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        filtered["customerRequests"]["edges"][0]["node"]["planItemId"],
        pi
    );
}
