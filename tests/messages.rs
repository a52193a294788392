//! Portal messages end to end (spec 000-D §9.1, docs/decisions/0350, 0351), over HTTP and
//! graphql-transport-ws against a real server and real PostgreSQL with a manual clock: a
//! camera-control notice reaches every employee of the organizer and nobody else, is unread until
//! «Ознакомлен», and the cancellation it leads to reaches the supplier that applied.

mod e2e;

use serde_json::{Value, json};
use uuid::Uuid;

use e2e::tender::{accepting, cast, published};
use e2e::{App, Person, Socket, astana, next, spawn_app};

const INBOX: &str = "query($u: Boolean, $p: String) { myMessages(unread: $u, minPosition: $p) {
  edges { node { kind text recipientRole unread readAt noticeId announcementId } } } }";

const RECEIVED: &str =
    "subscription { messageReceived { kind recipientRole unread noticeId position } }";

/// The next message `messageReceived` sends.
async fn received(socket: &mut Socket) -> Value {
    let told = next(socket).await;
    assert_eq!(told["type"], "next", "{told}");
    told["payload"]["data"]["messageReceived"].clone()
}

/// `who`'s messages once the read models hold `position`.
async fn inbox(app: &App, who: &Person, unread: Option<bool>, position: &Value) -> Vec<Value> {
    let data = app
        .ok(Some(who), INBOX, json!({"u": unread, "p": position}))
        .await;
    data["myMessages"]["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

fn kinds(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["kind"].as_str().unwrap_or_default())
        .collect()
}

/// Given an open tender accepting applications, one supplier having applied (L10882–10896),
/// when the inspector delivers a notice, then every employee of the organizer's organisation has
/// «notice_delivered», unread (L10928–10944), and the secretary's `messageReceived` sends it;
/// the customer, the suppliers and the inspector have nothing. When one employee presses
/// «Ознакомлен» (L11101–11103) it is read for all. When the procurement is then cancelled by the
/// notice (L12143–12149), the applicant's subscription sends that cancellation as its first
/// message (the notice never reached it), the inspector and the chairman have it, the supplier
/// that did not apply has nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivered_notice_messages_the_organizers_employees_and_nobody_else() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-MSG-1";
    // Listening from before the tender: nothing up to the notice is addressed to either of them.
    let mut secretary_hears = app.subscribe(&c.secretary, RECEIVED, Value::Null).await;
    let mut applicant_hears = app.subscribe(&c.suppliers[0], RECEIVED, Value::Null).await;
    published(&app, &c, id, &[pi]).await;
    accepting(&app, &c, id).await;
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": Uuid::new_v4(), "o": [{"planItemId": pi, "price": "8900000.00"}]})).await;

    let notice = Uuid::new_v4();
    let delivered = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: \"2\", remedy: \"cancel_procurement\", text: \"Нарушение пункта 12 Правил\") { version position } }",
        json!({"a": id, "n": notice, "i": pi})).await;
    let told = received(&mut secretary_hears).await;
    assert_eq!(told["kind"], "notice_delivered");
    assert_eq!(told["recipientRole"], "organizer");
    assert_eq!(told["unread"], true);
    assert_eq!(told["noticeId"], json!(notice));
    assert_eq!(told["position"], delivered["position"]);

    let p = &delivered["position"];
    for employee in [&c.organizer, &c.secretary, &c.member_b] {
        let theirs = inbox(&app, employee, Some(true), p).await;
        assert_eq!(kinds(&theirs), ["notice_delivered"], "{}", employee.user);
        assert_eq!(theirs[0]["announcementId"], json!(id));
        assert!(
            theirs[0]["text"]
                .as_str()
                .is_some_and(|t| t.contains("16776705-1") && t.contains("Нарушение пункта 12")),
            "{theirs:?}"
        );
    }
    for other in [&c.customer, &c.suppliers[0], &c.suppliers[1], &c.inspector] {
        assert!(
            inbox(&app, other, None, p).await.is_empty(),
            "{}",
            other.user
        );
    }

    // «Ознакомлен» by one employee reads it for the whole organisation.
    let read = app.command(&c.member_b, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    assert!(
        inbox(&app, &c.secretary, Some(true), &read["position"])
            .await
            .is_empty()
    );
    let all = inbox(&app, &c.secretary, None, &read["position"]).await;
    assert_eq!(kinds(&all), ["notice_delivered"]);
    assert_eq!(all[0]["unread"], false);
    assert!(!all[0]["readAt"].is_null());

    // «Отменить закупку» (L12087–12175): the applicant hears of the cancellation first.
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    let cancelled = app.command(&c.secretary, "($c: UUID!, $a: UUID!) { cancelByNotices(commandId: $c, announcementId: $a) { version position } }",
        json!({"a": id})).await;
    let told = received(&mut applicant_hears).await;
    assert_eq!(told["kind"], "cancelled_by_notices", "{told}");
    assert_eq!(told["recipientRole"], "applicant");
    // One of the events `cancelByNotices` caused: at or before the position it answered, which
    // covers its follow-ups too (docs/decisions/0652).
    let position = |v: &Value| {
        v.as_str()
            .and_then(|p| p.split_once(':'))
            .map(|(major, minor)| (major.parse::<u64>().unwrap(), minor.parse::<u64>().unwrap()))
    };
    assert!(position(&told["position"]) <= position(&cancelled["position"]));

    let p = &cancelled["position"];
    assert_eq!(
        kinds(&inbox(&app, &c.chairman, None, p).await),
        ["cancelled_by_notices", "notice_delivered"]
    );
    assert_eq!(
        kinds(&inbox(&app, &c.inspector, None, p).await),
        ["cancelled_by_notices"]
    );
    assert!(inbox(&app, &c.suppliers[1], None, p).await.is_empty());
}
