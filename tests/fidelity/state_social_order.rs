//! «Государственные закупки услуг, предусмотренные государственным социальным заказом» (issue 16
//! item 3, spec 000-C §1.8): the draft's rules over HTTP, as a frontend meets them, and its
//! commission, publication, acceptance and cancellation.

use serde_json::json;
use uuid::Uuid;

use crate::e2e::tender::{cast, deadline, file, simple};
use crate::e2e::{astana, spawn_app};

const CREATE: &str = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"ГСЗ-1\", header: $h) { version } }";
const DATES: &str = "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }";

// S19 (L8110–8116), S21 (L8611–8625): goods are refused; the service draft's acceptance must
// start on a working day by 18:00 and last 20 calendar days.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_social_order_draft_keeps_its_rules_over_http() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let header = |subject: &str| {
        json!({"method": "state_social_order", "procurementType": "first",
        "subjectType": subject, "nameKk": "Қызметтер", "nameRu": "Услуги социального заказа",
        "amongDisabledOrganizations": false, "singleOrganizer": false})
    };
    let refused = app
        .refused(
            Some(&c.organizer),
            &format!("mutation {CREATE}"),
            json!({"c": Uuid::new_v4(), "a": id, "h": header("goods")}),
        )
        .await;
    assert_eq!(refused, "services_only");
    app.command(
        &c.organizer,
        CREATE,
        json!({"a": id, "h": header("service")}),
    )
    .await;
    let at = |s: &str| astana(&calendar, s);
    for (start, end, code) in [
        (
            "2026-02-07 10:00",
            "2026-02-27 10:00",
            "acceptance_start_not_working_day",
        ),
        (
            "2026-02-02 18:30",
            "2026-02-22 18:30",
            "acceptance_start_after_working_hours",
        ),
        (
            "2026-02-02 18:00",
            "2026-02-21 18:00",
            "social_order_acceptance_too_short",
        ),
    ] {
        let refused = app
            .refused(
                Some(&c.organizer),
                &format!("mutation {DATES}"),
                json!({"c": Uuid::new_v4(), "a": id, "s": at(start), "e": at(end)}),
            )
            .await;
        assert_eq!(refused, code, "{start} – {end}");
    }
    app.command(
        &c.organizer,
        DATES,
        json!({"a": id, "s": at("2026-02-02 18:00"), "e": at("2026-02-22 18:00")}),
    )
    .await;
    let shown = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { method { id original } status { id } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(shown["announcement"]["method"]["id"], "state_social_order");
    assert_eq!(shown["announcement"]["status"]["id"], "draft");
}

const SHOWN: &str =
    "query($a: UUID!) { announcement(id: $a) { status { id } lots { status { id } } } }";

// S19 (L8358–8364), S21 (L8611–8640), G8 (L8648–8682): the commission is the chairman and at
// least two members, an odd number; published, the services are accepted from the start; the
// secretary cancels the procurement with its act.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_social_order_is_published_accepts_and_is_cancelled_over_http() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let (id, pi) = (Uuid::new_v4(), "PI-GSZ-1");
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"service\", nameRu: \"Социальные услуги\", amount: \"5000000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "state_social_order", "procurementType": "first",
        "subjectType": "service", "nameKk": "Қызметтер", "nameRu": "Услуги социального заказа",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, CREATE, json!({"a": id, "h": header}))
        .await;
    let lots = json!([{"planItemId": pi, "lotNumber": "87491610-ГСЗ1", "customerBin": c.customer.org,
        "nameRu": "Социальные услуги", "nameKk": "Әлеуметтік қызметтер", "amount": "5000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
        json!({"a": id, "i": pi, "t": {"subject": "service", "engineering": false}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
        json!({"a": id, "i": pi, "s": {"form": "files", "files": [file("spec")]}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-services", "addedClauses": [], "signedDocument": file("contract")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $r: RepresentativesInput!) { setRepresentatives(commandId: $c, announcementId: $a, representatives: $r) { version } }",
        json!({"a": id, "r": {"applicationValidityDays": 60, "organizerRepresentative": c.organizer.json(),
            "customerRepresentative": c.customer.json(), "organizerBankAccount": "KZ86125KZT5004100100",
            "securityBankAccount": "KZ75125KZT2069100100", "customerBankAccount": "KZ14070KZT1001234567",
            "approver": {"fullName": "Тлеубаев Серик", "orderNumber": "5", "orderDate": "2026-01-30"}}})).await;
    let commission = "($c: UUID!, $a: UUID!, $m: CommissionInput!) { setCommission(commandId: $c, announcementId: $a, commission: $m) { version } }";
    let members = |m: Vec<serde_json::Value>| json!({"chairman": c.chairman.json(), "members": m, "secretary": c.secretary.json()});
    for (m, code) in [
        (vec![c.member_a.json()], "commission_too_small"),
        (
            vec![c.member_a.json(), c.member_b.json(), c.organizer.json()],
            "commission_size_even",
        ),
    ] {
        let refused = app
            .refused(
                Some(&c.organizer),
                &format!("mutation {commission}"),
                json!({"c": Uuid::new_v4(), "a": id, "m": members(m)}),
            )
            .await;
        assert_eq!(refused, code);
    }
    app.command(
        &c.organizer,
        commission,
        json!({"a": id, "m": members(vec![c.member_a.json(), c.member_b.json()])}),
    )
    .await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: TenderDocumentationInput!) { signTenderDocumentation(commandId: $c, announcementId: $a, documentation: $d) { version } }",
        json!({"a": id, "d": {"documents": [{"name": "Приложение 8", "obligatoryForSupplier": true}], "licences": [], "permits": [],
            "signedDocumentation": file("documentation"), "signedAppendix1": file("appendix-1")}})).await;
    let at = |s: &str| astana(&calendar, s);
    app.command(
        &c.organizer,
        DATES,
        json!({"a": id, "s": at("2026-02-02 10:00"), "e": at("2026-02-22 10:00")}),
    )
    .await;
    simple(&app, &c.organizer, id, "publish").await;
    let shown = app.ok(Some(&c.organizer), SHOWN, json!({"a": id})).await;
    assert_eq!(shown["announcement"]["status"]["id"], "published");
    assert_eq!(
        shown["announcement"]["lots"][0]["status"]["id"],
        "published"
    );
    let start = deadline(&app, &c.organizer, id, "start_acceptance").await;
    app.fire(id, "start_acceptance", start).await;
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": Uuid::new_v4(), "o": [{"planItemId": pi, "price": "4900000.00"}]})).await;
    let shown = app.ok(Some(&c.organizer), SHOWN, json!({"a": id})).await;
    assert_eq!(
        shown["announcement"]["status"]["id"],
        "published_accepting_applications"
    );
    // A commission member may not cancel; the secretary cancels with the act.
    let cancel = "($c: UUID!, $a: UUID!, $pi: String!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: [$pi], act: $act) { version } }";
    let act = json!({"body": "court", "bodyName": "Суд города Астаны", "actType": "ruling",
        "number": "2-77/26", "date": "2026-02-03", "file": file("act")});
    let refused = app
        .refused(
            Some(&c.member_a),
            &format!("mutation {cancel}"),
            json!({"c": Uuid::new_v4(), "a": id, "pi": pi, "act": act}),
        )
        .await;
    assert_eq!(refused, "not_secretary");
    app.command(&c.secretary, cancel, json!({"a": id, "pi": pi, "act": act}))
        .await;
    let shown = app.ok(Some(&c.organizer), SHOWN, json!({"a": id})).await;
    assert_eq!(shown["announcement"]["status"]["id"], "cancelled");
    assert_eq!(
        shown["announcement"]["lots"][0]["status"]["id"],
        "cancelled"
    );
}
