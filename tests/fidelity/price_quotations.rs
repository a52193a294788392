//! «Запрос ценовых предложений» (issue 27): a lot with one price offer does not take place, and
//! the read models, the automatic results protocol and the plan items agree (item 1); the
//! representatives, which its draft does not ask for, can be changed all the same (item 9).

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{Cast, cast, deadline, file, simple};
use crate::e2e::{App, Person, astana, spawn_app};

/// The organizer's ЗЦП of goods with one lot per plan item, published: «Опубликовано», price
/// offers accepted from tomorrow for five days. No representatives: the ЗЦП draft has no such
/// step (000-A L81–428).
pub(crate) async fn published(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) {
    let request = "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"900000.00\") { version } }";
    for pi in plan_items {
        app.command(
            &c.customer,
            request,
            json!({"id": pi, "org": c.organizer.org}),
        )
        .await;
    }
    let header = json!({"method": "price_quotations", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-ЗЦП1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots: Vec<Value> = plan_items
        .iter()
        .enumerate()
        .map(|(k, pi)| {
            json!(
        {"planItemId": pi, "lotNumber": format!("8749161{k}-ЗЦП1"), "customerBin": c.customer.org,
         "nameRu": format!("Бумага {k}"), "nameKk": format!("Қағаз {k}"), "amount": "900000.00"})
        })
        .collect();
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    for pi in plan_items {
        app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
            json!({"a": id, "i": pi, "t": {"subject": "goods", "deliveryConditions": "DDP"}})).await;
        app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
            json!({"a": id, "i": pi, "s": {"form": "template", "descriptionKk": "Сипаттама", "descriptionRu": "Описание",
                "characteristicsKk": "Сипаттамалар", "characteristicsRu": "Характеристики", "signedDocument": file("spec")}})).await;
    }
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-goods", "addedClauses": [], "signedDocument": file("contract")}})).await;
    let start = app.now() + Duration::days(1);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(5)})).await;
    simple(app, &c.organizer, id, "publish").await;
}

/// Acceptance started at its instant: «Опубликовано (прием ценовых предложений)».
pub(crate) async fn accepting(app: &App, c: &Cast, id: Uuid) {
    let at = deadline(app, &c.organizer, id, "start_acceptance").await;
    app.fire(id, "start_acceptance", at).await;
}

const LOTS: &str = "lots { planItemId outcome failureReason { id original } winnerApplicationId }";

/// The answer to `query` once `done` holds of it: the read models show a commit a little after
/// the scheduler's tick returns, when the store's log has made it visible.
pub(crate) async fn eventually(
    app: &App,
    who: &Person,
    query: &str,
    done: impl Fn(&Value) -> bool,
) -> Value {
    let mut last = Value::Null;
    for _ in 0..500 {
        last = app.ok(Some(who), query, Value::Null).await;
        if done(&last) {
            return last;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the read models never answered {query} as expected; the last answer: {last}");
}

fn lot<'a>(lots: &'a Value, pi: &str) -> &'a Value {
    lots.as_array()
        .and_then(|all| all.iter().find(|l| l["planItemId"] == pi))
        .unwrap_or_else(|| panic!("no lot {pi} in {lots}"))
}

// 000-C L6866–6874 («закупка не состоялась способом … ЗЦП по причине «подана одна заявка»»),
// 000-A L434–448, L3163–3169: given a ЗЦП with one offer on lot 1 and two on lot 2, when
// acceptance ends, then lot 1 fails with the reason «подана одна заявка», lot 2 is held by the
// lower price, the results protocol says so, and the plan items read back agree with the lots.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lot_with_one_offer_does_not_take_place() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-ZCP-1", "PI-ZCP-2");
    published(&app, &c, id, &[pi1, pi2]).await;
    accepting(&app, &c, id).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    let offers = [
        json!([{"planItemId": pi1, "price": "850000.00"}, {"planItemId": pi2, "price": "880000.00"}]),
        json!([{"planItemId": pi2, "price": "870000.00"}]),
    ];
    for ((supplier, application), offers) in c.suppliers.iter().zip(applications).zip(offers) {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": offers})).await;
    }
    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;

    // The read models and the replay of the stream show the same lots.
    let read = eventually(
        &app,
        &c.organizer,
        &format!(
            "{{ announcements(first: 10) {{ edges {{ node {{ id status {{ id }} {LOTS} }} }} }} }}"
        ),
        |d| d["announcements"]["edges"][0]["node"]["status"]["id"] == "completed",
    )
    .await;
    let node = &read["announcements"]["edges"][0]["node"];
    assert_eq!(node["id"], json!(id));
    let replayed = app
        .ok(
            Some(&c.organizer),
            &format!("query($a: UUID!) {{ announcement(id: $a) {{ {LOTS} protocols {{ kind {{ id }} validity {{ id }} automatic publishedAt content }} }} }}"),
            json!({"a": id}),
        )
        .await;
    let replayed = &replayed["announcement"];
    assert_eq!(replayed["lots"], node["lots"]);
    let lots = &node["lots"];
    assert_eq!(lot(lots, pi1)["outcome"], "failed");
    assert_eq!(
        lot(lots, pi1)["failureReason"],
        json!({"id": "one_application", "original": "подана одна заявка"})
    );
    assert_eq!(lot(lots, pi1)["winnerApplicationId"], Value::Null);
    assert_eq!(lot(lots, pi2)["outcome"], "held");
    assert_eq!(lot(lots, pi2)["failureReason"], Value::Null);
    assert_eq!(
        lot(lots, pi2)["winnerApplicationId"],
        json!(applications[1])
    );

    // The automatic results protocol, published without signatures, says the same per lot.
    let results = replayed["protocols"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["kind"]["id"] == "results"))
        .expect("a results protocol");
    assert_eq!(results["automatic"], true);
    assert_eq!(results["validity"]["id"], "valid");
    assert!(!results["publishedAt"].is_null());
    let content_lots = &results["content"]["lots"];
    let in_protocol = |pi: &str| {
        content_lots
            .as_array()
            .and_then(|all| all.iter().find(|l| l["plan_item_id"] == pi))
            .map(|l| l["outcome"].clone())
            .expect("the lot in the protocol")
    };
    assert_eq!(
        in_protocol(pi1),
        json!({"outcome": "failed", "reason": "one_application"})
    );
    assert_eq!(
        in_protocol(pi2),
        json!({"outcome": "held", "winner": applications[1]})
    );

    // The plan items follow the lots: failed, not held, for the lot with one offer.
    let requests = eventually(
        &app,
        &c.customer,
        "{ customerRequests(first: 10) { edges { node { planItemId state announcementId } } } }",
        |d| {
            d["customerRequests"]["edges"]
                .as_array()
                .is_some_and(|all| all.iter().all(|e| e["node"]["state"] != "reserved"))
        },
    )
    .await;
    let state = |pi: &str| {
        requests["customerRequests"]["edges"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["node"]["planItemId"] == pi))
            .map(|e| e["node"].clone())
            .unwrap_or_else(|| panic!("no request {pi}: {requests}"))
    };
    assert_eq!(state(pi1)["state"], "procurement_failed");
    assert_eq!(state(pi2)["state"], "procurement_held");
    assert_eq!(
        state(pi2)["announcementId"],
        json!(id),
        "held by the announcement"
    );
}

// Decision 0602; 000-A L81–428, L670–700: given a ЗЦП published without representatives, when its
// creator uses «Изменить данные представителя» while offers are accepted, then the change is
// accepted (it was refused with `representatives_missing`); after completion it is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn representatives_of_a_price_quotation_can_be_changed_when_none_were_set() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-ZCP-R"]).await;
    accepting(&app, &c, id).await;
    let change = "($c: UUID!, $a: UUID!, $o: PersonInput!, $r: PersonInput!) { changeRepresentatives(commandId: $c, announcementId: $a, organizerRepresentative: $o, customerRepresentative: $r) { version duplicate } }";
    let people = json!({"a": id, "o": c.secretary.json(), "r": c.customer.json()});
    let changed = app.command(&c.organizer, change, people.clone()).await;
    assert_eq!(changed["duplicate"], false);
    let events = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { events { eventType } } }",
            json!({"a": id}),
        )
        .await;
    assert!(
        events["announcement"]["events"]
            .as_array()
            .is_some_and(|all| all
                .iter()
                .any(|e| e["eventType"] == "RepresentativesChanged")),
        "{events}"
    );

    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    let mut late = people;
    late["c"] = json!(Uuid::new_v4());
    let refused = app
        .refused(Some(&c.organizer), &format!("mutation {change}"), late)
        .await;
    assert_eq!(refused, "representatives_change_not_allowed");
}
