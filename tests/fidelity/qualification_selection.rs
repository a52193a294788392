//! «Отбор на включение в Реестр квалифицированных поставщиков» (issue 16 item 2, spec 000-C
//! §1.11, §10 S25) over HTTP: the commission votes in three categories, the secretary completes
//! the voting, confirms the admitted supplier's qualification data, forms the protocol; the
//! commission signs, the secretary publishes, and the Registry of qualified suppliers shows the
//! supplier to everyone.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{cast, deadline, documented, quorum, sign_and_publish, simple, vote};
use crate::e2e::{App, astana, spawn_app};

/// A ballot in the three categories of the selection (§2.23): all admitted, or the bankruptcy
/// category rejected with its grounds.
fn ballot(lot: &str, bankrupt: bool) -> Value {
    let bankruptcy = match bankrupt {
        true => json!({"verdict": "rejected", "reason": "Идет процедура банкротства"}),
        false => json!({"verdict": "admitted"}),
    };
    json!({"commonArticle6": {"verdict": "admitted"}, "lots": [{"planItemId": lot,
        "documentation": {"verdict": "admitted"}, "qualification": {"verdict": "admitted"},
        "article6": {"verdict": "admitted"}, "bankruptcy": bankruptcy, "file": null}]})
}

async fn status(app: &App, who: &crate::e2e::Person, id: Uuid) -> Value {
    let shown = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { status { id original } } }",
            json!({"a": id}),
        )
        .await;
    shown["announcement"]["status"].clone()
}

// S25 (L9818–10348), §9.4 (L10100–10104).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_selection_fills_the_registry_of_qualified_suppliers() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-QUALIFICATION-1";
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Оборудование\", amount: \"9000000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "qualification_selection", "procurementType": "first",
        "subjectType": "goods", "nameKk": "Біліктілік іріктеу", "nameRu": "Квалификационный отбор",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-КО1\", header: $h) { version } }",
        json!({"a": id, "h": header})).await;
    let lots = json!([{"planItemId": pi, "lotNumber": "87491610-КО1", "customerBin": c.customer.org,
        "nameRu": "Оборудование", "nameKk": "Жабдық", "amount": "9000000.00"}]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    documented(&app, &c, id, &[pi]).await;
    let start = app.now() + Duration::days(1);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + Duration::days(7)})).await;
    simple(&app, &c.organizer, id, "publish").await;
    let at = deadline(&app, &c.organizer, id, "start_acceptance").await;
    app.fire(id, "start_acceptance", at).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, application) in c.suppliers.iter().zip(applications) {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": "9000000.00"}]})).await;
    }
    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    assert_eq!(
        status(&app, &c.organizer, id).await["id"],
        "reviewing_applications"
    );

    // The first supplier admitted by all; the second rejected on bankruptcy by two of three.
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[0], ballot(pi, false)).await;
        let bankrupt = member.user != "member_b";
        vote(&app, member, id, applications[1], ballot(pi, bankrupt)).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        json!({"id": "filling_qualification_info", "original": "Заполнение сведений о квалификации"})
    );
    let fill = "($c: UUID!, $a: UUID!, $app: UUID!, $r: [QualificationRowInput!]!) { fillQualificationInfo(commandId: $c, announcementId: $a, applicationId: $app, rows: $r) { version } }";
    let rows = json!([
        {"section": "work_experience", "description": "Поставка оборудования, 2025", "decision": "confirmed"},
        {"section": "standards", "description": "СТ РК ISO 9001", "decision": "not_confirmed"},
    ]);
    let refused = app
        .refused(
            Some(&c.secretary),
            &format!("mutation {fill}"),
            json!({"c": Uuid::new_v4(), "a": id, "app": applications[1], "r": rows}),
        )
        .await;
    assert_eq!(refused, "qualification_info_admitted_only");
    app.command(
        &c.secretary,
        fill,
        json!({"a": id, "app": applications[0], "r": rows}),
    )
    .await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    assert_eq!(
        status(&app, &c.organizer, id).await["id"],
        "forming_qualification_protocol"
    );
    for signer in quorum(&c) {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    let published = sign_and_publish(&app, &c, id, "results", &quorum(&c)).await;
    assert_eq!(status(&app, &c.organizer, id).await["id"], "completed");

    // Everyone, without a token, reads the registry.
    let registry = app
        .ok(
            None,
            "query($p: String) { qualifiedSuppliers(minPosition: $p) { nodes { supplierBin announcementId planItemIds confirmed { section { id } description } } } }",
            json!({"p": published["position"]}),
        )
        .await;
    assert_eq!(
        registry["qualifiedSuppliers"]["nodes"],
        json!([{"supplierBin": c.suppliers[0].org, "announcementId": id, "planItemIds": [pi],
            "confirmed": [{"section": {"id": "work_experience"}, "description": "Поставка оборудования, 2025"}]}])
    );
}
