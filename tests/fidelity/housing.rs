//! «Закупка жилища» (issue 17, spec 000-B §1.6): the organizer's representative alone reviews
//! and signs, the creator forms and publishes; a new representative while the protocol is formed
//! sends the purchase back to review. Driven over HTTP as a frontend drives it.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{Cast, ballot, cast, deadline, file, sign, simple, vote};
use crate::e2e::{App, Person, astana, spawn_app};

/// The organizer's housing purchase with one lot, `representative` named to review it,
/// published: acceptance from tomorrow for 30 days (000-B D-17, L6206–6210).
async fn published(app: &App, c: &Cast, id: Uuid, pi: &str, representative: &Person) {
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Квартира\", amount: \"25000000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "housing", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Тұрғын үй сатып алу", "nameRu": "Закупка жилища",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-Ж1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots = json!([{"planItemId": pi, "lotNumber": "87491610-Ж1", "customerBin": c.customer.org,
        "nameRu": "Квартира", "nameKk": "Пәтер", "amount": "25000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
        json!({"a": id, "i": pi, "t": {"subject": "goods", "deliveryConditions": "DDP"}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
        json!({"a": id, "i": pi, "s": {"form": "template", "descriptionKk": "Сипаттама", "descriptionRu": "Описание",
            "characteristicsKk": "Сипаттамалар", "characteristicsRu": "Характеристики", "signedDocument": file("spec")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-goods", "addedClauses": [], "signedDocument": file("contract")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $r: RepresentativesInput!) { setRepresentatives(commandId: $c, announcementId: $a, representatives: $r) { version } }",
        json!({"a": id, "r": {"applicationValidityDays": 60, "organizerRepresentative": representative.json(),
            "customerRepresentative": c.customer.json(), "organizerBankAccount": "KZ86125KZT5004100100",
            "securityBankAccount": "KZ75125KZT2069100100", "customerBankAccount": "KZ14070KZT1001234567",
            "approver": {"fullName": "Тлеубаев Серик", "orderNumber": "5", "orderDate": "2026-01-30"}}})).await;
    let dates = "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }";
    // Today and 29 days are refused (S24).
    let start = app.now() + Duration::days(1);
    let refused = app
        .refused(
            Some(&c.organizer),
            &format!("mutation {dates}"),
            json!({"c": Uuid::new_v4(), "a": id, "s": start, "e": start + Duration::days(29)}),
        )
        .await;
    assert_eq!(refused, "publication_period_too_short");
    app.command(
        &c.organizer,
        dates,
        json!({"a": id, "s": start, "e": start + Duration::days(30)}),
    )
    .await;
    simple(app, &c.organizer, id, "publish").await;
}

const SHOWN: &str = "query($a: UUID!) { announcement(id: $a) {
    status { id original }
    lots { planItemId status { id original } outcome winnerApplicationId }
    applications { applicationId status { id original } offers { result { id original } } }
    protocols { kind { id } version validity { id } publishedAt } } }";

async fn shown(app: &App, who: &Person, id: Uuid) -> Value {
    app.ok(Some(who), SHOWN, json!({"a": id})).await["announcement"].clone()
}

async fn form_results(app: &App, c: &Cast, id: Uuid) {
    simple(app, &c.organizer, id, "formResultsProtocol").await;
}

// 000-B S25, S26 (L6260–6402, L6820–6830): given a housing purchase with two applications at the
// end of acceptance, the chairman of another procedure cannot decide; the representative admits
// one and rejects the other; the creator forms the protocol; a new representative sends the
// purchase back to review with the protocol deleted; he decides, signs alone, and the creator
// publishes: «Завершено», the admitted application wins.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_representative_reviews_alone_and_a_new_one_starts_again() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-HOUSING-1";
    published(&app, &c, id, pi, &c.member_a).await;
    let at = deadline(&app, &c.organizer, id, "start_acceptance").await;
    app.fire(id, "start_acceptance", at).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for ((supplier, application), price) in c
        .suppliers
        .iter()
        .zip(applications)
        .zip(["24000000.00", "23000000.00"])
    {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": price}]})).await;
    }
    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    assert_eq!(
        shown(&app, &c.organizer, id).await["status"],
        json!({"id": "reviewing_applications", "original": "Рассмотрение заявок"})
    );

    let cast_vote = "mutation($c: UUID!, $a: UUID!, $app: UUID!, $b: BallotInput!) { castVote(commandId: $c, announcementId: $a, applicationId: $app, ballot: $b) { version } }";
    let refused = app
        .refused(
            Some(&c.chairman),
            cast_vote,
            json!({"c": Uuid::new_v4(), "a": id, "app": applications[0], "b": ballot(&[pi], None)}),
        )
        .await;
    assert_eq!(refused, "not_a_commission_member");
    vote(&app, &c.member_a, id, applications[0], ballot(&[pi], None)).await;
    vote(
        &app,
        &c.member_a,
        id,
        applications[1],
        ballot(&[pi], Some(pi)),
    )
    .await;
    form_results(&app, &c, id).await;
    let forming = shown(&app, &c.organizer, id).await;
    assert_eq!(forming["status"]["id"], "forming_results_protocol");
    assert_eq!(
        forming["lots"][0]["status"]["id"],
        "forming_results_protocol"
    );
    assert_eq!(
        forming["applications"][0]["status"]["id"],
        "forming_results_protocol"
    );

    // The creator names member B instead: back to review, the protocol deleted.
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: PersonInput!, $u: PersonInput!) { changeRepresentatives(commandId: $c, announcementId: $a, organizerRepresentative: $o, customerRepresentative: $u) { version } }",
        json!({"a": id, "o": c.member_b.json(), "u": c.customer.json()})).await;
    let back = shown(&app, &c.organizer, id).await;
    assert_eq!(back["status"]["id"], "reviewing_applications");
    assert!(
        back["protocols"].as_array().is_some_and(|ps| ps
            .iter()
            .all(|p| p["validity"]["id"] != "valid" || p["kind"]["id"] != "results")),
        "{back}"
    );
    let refused = app
        .refused(
            Some(&c.member_a),
            cast_vote,
            json!({"c": Uuid::new_v4(), "a": id, "app": applications[0], "b": ballot(&[pi], None)}),
        )
        .await;
    assert_eq!(refused, "excluded_from_commission");
    vote(&app, &c.member_b, id, applications[0], ballot(&[pi], None)).await;
    vote(
        &app,
        &c.member_b,
        id,
        applications[1],
        ballot(&[pi], Some(pi)),
    )
    .await;
    let formed = app.command(&c.organizer, "($c: UUID!, $a: UUID!) { formResultsProtocol(commandId: $c, announcementId: $a) { version position } }",
        json!({"a": id})).await;
    // L6346–6350: the representative is told to sign (once the read models hold the command).
    let inbox = app
        .ok(
            Some(&c.member_b),
            "query($p: String) { myMessages(minPosition: $p) { nodes { kind } } }",
            json!({"p": formed["position"]}),
        )
        .await;
    assert!(
        inbox["myMessages"]["nodes"].as_array().is_some_and(|m| m
            .iter()
            .any(|m| m["kind"] == "results_protocol_signing_required")),
        "{inbox}"
    );
    app.command(&c.member_b, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.member_b.iin, "k": c.member_b.public_key_hex()})).await;
    sign(&app, &c, id, "results", &[&c.member_b]).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version } }",
        json!({"a": id, "k": "results"})).await;

    let done = shown(&app, &c.organizer, id).await;
    assert_eq!(
        done["status"],
        json!({"id": "completed", "original": "Завершено"})
    );
    assert_eq!(done["lots"][0]["outcome"], "held");
    assert_eq!(
        done["lots"][0]["winnerApplicationId"],
        json!(applications[0])
    );
    // Both applications were submitted at the same instant: find each by its id.
    let result = |n: usize| {
        done["applications"]
            .as_array()
            .and_then(|all| {
                all.iter()
                    .find(|a| a["applicationId"] == json!(applications[n]))
            })
            .map(|a| a["offers"][0]["result"].clone())
            .expect("the application")
    };
    assert_eq!(result(0), json!({"id": "winner", "original": "Победитель"}));
    assert_eq!(result(1), json!({"id": "rejected", "original": "Отклонен"}));
}
