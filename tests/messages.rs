//! Portal messages end to end (spec 000-D §9.1, docs/decisions/0350, 0351), over HTTP and
//! graphql-transport-ws against a real server and real PostgreSQL with a manual clock: a
//! camera-control notice reaches every employee of the organizer and nobody else, is unread until
//! «Ознакомлен», and the cancellation it leads to reaches the supplier that applied.

mod e2e;

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use e2e::{App, Person, Socket, astana, bin, next, person, spawn_app};

const INBOX: &str = "query($u: Boolean, $p: String) { myMessages(unread: $u, minPosition: $p) {
  edges { node { kind text recipientRole unread readAt noticeId announcementId } } } }";

const RECEIVED: &str =
    "subscription { messageReceived { kind recipientRole unread noticeId position } }";

struct Cast {
    organizer: Person,
    secretary: Person,
    chairman: Person,
    member_a: Person,
    member_b: Person,
    customer: Person,
    applicant: Person,
    bystander: Person,
    inspector: Person,
}

fn cast() -> Cast {
    let staff = |user: &str, name: &str, n| person(user, name, n, bin(1), "organizer");
    Cast {
        organizer: staff("organizer", "Сейтқали Айгерім", 1),
        secretary: staff("secretary", "Омарова Дана", 2),
        chairman: staff("chairman", "Жумабаев Ерлан", 3),
        member_a: staff("member_a", "Ким Асель", 4),
        member_b: staff("member_b", "Бекмұратов Нұрлан", 5),
        customer: person("customer", "Школа-лицей №12", 10, bin(2), "customer"),
        applicant: person("alatau", "ТОО «Алатау Техно»", 101, bin(101), "supplier"),
        bystander: person(
            "saryarka",
            "ТОО «Сарыарқа Сервис»",
            102,
            bin(102),
            "supplier",
        ),
        inspector: person("inspector", "Инспектор ДВГА", 60, bin(60), "inspector"),
    }
}

fn file(name: &str) -> Value {
    json!({"file_id": format!("file-{name}"), "name": format!("{name}.pdf")})
}

async fn deadline(app: &App, who: &Person, id: Uuid, transition: &str) -> DateTime<Utc> {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { deadlines { transition at } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["deadlines"]
        .as_array()
        .and_then(|all| all.iter().find(|x| x["transition"] == transition))
        .and_then(|x| x["at"].as_str())
        .unwrap_or_else(|| panic!("no {transition} deadline: {d}"))
        .parse()
        .expect("an instant")
}

/// The organizer's one-lot open tender, published, its discussion over without a request and its
/// acceptance started (L1884–1926): «Опубликовано (прием заявок)».
async fn accepting(app: &App, c: &Cast, id: Uuid, pi: &str) {
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Ноутбуки\", amount: \"9000000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "open_tender", "procurement_type": "first", "subject_type": "goods",
        "name_kk": "Ноутбуктер сатып алу", "name_ru": "Закупка ноутбуков",
        "among_disabled_organizations": false, "single_organizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: JSON!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots = json!([{"plan_item_id": pi, "lot_number": "87491610-ОК1", "customer_bin": c.customer.org,
        "name_ru": "Ноутбук", "name_kk": "Ноутбук", "amount": "9000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: JSON!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: JSON!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
        json!({"a": id, "i": pi, "t": {"subject": "goods", "delivery_conditions": "DDP"}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: JSON!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
        json!({"a": id, "i": pi, "s": {"form": "template", "description_kk": "Сипаттама", "description_ru": "Описание",
            "characteristics_kk": "Сипаттамалар", "characteristics_ru": "Характеристики", "signed_document": file("spec")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: JSON!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-goods", "added_clauses": [], "signed_document": file("contract")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $r: JSON!) { setRepresentatives(commandId: $c, announcementId: $a, representatives: $r) { version } }",
        json!({"a": id, "r": {"application_validity_days": 60, "organizer_representative": c.organizer.json(),
            "customer_representative": c.customer.json(), "organizer_bank_account": "KZ86125KZT5004100100",
            "security_bank_account": "KZ75125KZT2069100100", "customer_bank_account": "KZ14070KZT1001234567",
            "approver": {"full_name": "Тлеубаев Серик", "order_number": "5", "order_date": "2026-01-30"}}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $m: JSON!) { setCommission(commandId: $c, announcementId: $a, commission: $m) { version } }",
        json!({"a": id, "m": {"chairman": c.chairman.json(), "members": [c.member_a.json(), c.member_b.json()], "secretary": c.secretary.json()}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: JSON!) { signTenderDocumentation(commandId: $c, announcementId: $a, documentation: $d) { version } }",
        json!({"a": id, "d": {"documents": [{"name": "Приложение 8", "obligatory_for_supplier": true}], "licences": [], "permits": [],
            "signed_documentation": file("documentation"), "signed_appendix1": file("appendix-1")}})).await;
    let start = app.working_days_after(6);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(30)})).await;
    app.command(
        &c.organizer,
        "($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
        json!({"a": id}),
    )
    .await;
    for transition in ["end_discussion", "start_acceptance"] {
        let at = deadline(app, &c.organizer, id, transition).await;
        app.fire(id, transition, at).await;
    }
}

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
    let mut applicant_hears = app.subscribe(&c.applicant, RECEIVED, Value::Null).await;
    accepting(&app, &c, id, pi).await;
    app.command(&c.applicant, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
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
    for other in [&c.customer, &c.applicant, &c.bystander, &c.inspector] {
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
    // One of the events `cancelByNotices` appended in one commit: the same major position.
    let commit = |v: &Value| {
        v.as_str()
            .and_then(|p| p.split(':').next())
            .map(str::to_owned)
    };
    assert_eq!(commit(&told["position"]), commit(&cancelled["position"]));

    let p = &cancelled["position"];
    assert_eq!(
        kinds(&inbox(&app, &c.chairman, None, p).await),
        ["cancelled_by_notices", "notice_delivered"]
    );
    assert_eq!(
        kinds(&inbox(&app, &c.inspector, None, p).await),
        ["cancelled_by_notices"]
    );
    assert!(inbox(&app, &c.bystander, None, p).await.is_empty());
}
