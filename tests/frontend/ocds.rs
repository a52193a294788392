//! OCDS publication over HTTP (issue 23): the release packages of `GET /ocds/releases`, paged by
//! their cursor, and the record packages of `GET /ocds/records/{ocid}`, validated offline against
//! the OCDS 1.1.5 schemas and the extensions they declare, kept in `schemas/ocds/` (decision
//! 0783); only what is public (no bid before opening, no ИИН, no camera-control text); the
//! record's compiled release is the merge of its releases; the GraphQL field gives the same
//! record; a rebuild serves identical packages.

use chrono::Duration;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{
    Cast, accepting, ballot, cast, deadline, file, published, quorum, sign_and_publish, simple,
    vote,
};
use crate::e2e::{App, astana, spawn_app};

use zakup_ocds::validation::Validator;

/// Panics unless `checked` is `Ok`, with the package.
fn valid(checked: Result<(), String>, package: &Value) {
    if let Err(e) = checked {
        panic!("{e}\n{package:#}");
    }
}

async fn get(app: &App, path: &str) -> (u16, Value) {
    let (status, body) = app.get(path).await;
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

/// Every release package of the log, read two releases a page through the cursor, each valid;
/// with the releases of `id` among them.
async fn packages(app: &App, v: &Validator) -> Vec<Value> {
    app.settle().await;
    let mut out = Vec::new();
    let mut path = "/ocds/releases?limit=2".to_owned();
    loop {
        let (status, package) = get(app, &path).await;
        assert_eq!(status, 200, "{package}");
        if package["releases"].as_array().is_none_or(Vec::is_empty) {
            return out;
        }
        valid(v.release_package(&package), &package);
        let cursor = package["links"]["cursor"]
            .as_str()
            .expect("a cursor")
            .to_owned();
        out.push(package);
        path = format!("/ocds/releases?since={cursor}&limit=2");
    }
}

fn releases_of(packages: &[Value], id: Uuid) -> Vec<Value> {
    let ocid = zakup_ocds::ocid(id);
    packages
        .iter()
        .flat_map(|p| p["releases"].as_array().cloned().unwrap_or_default())
        .filter(|r| r["ocid"] == ocid.as_str())
        .collect()
}

fn tags(releases: &[Value]) -> Vec<Vec<String>> {
    releases
        .iter()
        .map(|r| serde_json::from_value(r["tag"].clone()).expect("tags"))
        .collect()
}

/// The record package of `id`, valid, its compiled release the merge of its releases, and the
/// GraphQL field's record the same.
async fn record(app: &App, c: &Cast, v: &Validator, id: Uuid) -> Value {
    app.settle().await;
    let (status, package) = get(app, &format!("/ocds/records/{}", zakup_ocds::ocid(id))).await;
    assert_eq!(status, 200, "{package}");
    valid(v.record_package(&package), &package);
    let record = package["records"][0].clone();
    let releases = record["releases"].as_array().cloned().expect("releases");
    assert_eq!(record["compiledRelease"], zakup_ocds::compile(&releases));
    let data = app
        .ok(
            Some(&c.suppliers[0]),
            "query($a: UUID!) { announcement(id: $a) { ocdsRecord } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(data["announcement"]["ocdsRecord"], record);
    record
}

const DELIVER: &str = "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!, $d: String!, $r: String!) {
  deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: $d,
    remedy: $r, text: \"Нарушение пункта 12 Правил\") { version position } }";

const SUBMIT: &str = "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }";

/// An open tender from publication to its results and their revision (spec 000-A, 000-D §4
/// direction 4): `tender`, `tenderUpdate`s, `award`, then `awardCancellation` of the replaced
/// award; no bid before opening (L2093–2101), no ИИН, no notice text; every package valid; a
/// rebuild of the read model serves the same packages.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_open_tender_publishes_valid_ocds_and_nothing_sealed() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let v = Validator::new();
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-OCDS-1";
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(&app, &c, id, &[pi]).await;
    let first = releases_of(&packages(&app, &v).await, id);
    assert_eq!(tags(&first)[0], ["tender"]);
    assert_eq!(
        first[0]["tender"]["procurementMethodDetails"],
        "Открытый конкурс"
    );
    assert_eq!(first[0]["tender"]["items"][0]["relatedLot"], pi);
    assert_eq!(
        first[0]["tender"]["value"],
        json!({"amount": 9000000, "currency": "KZT"})
    );
    assert!(
        first[0]["tender"]["enquiryPeriod"]["endDate"].is_string(),
        "the discussion"
    );

    accepting(&app, &c, id).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, (application, price)) in c
        .suppliers
        .iter()
        .zip(applications.iter().zip(["8900000.00", "8500000.00"]))
    {
        app.command(
            supplier,
            SUBMIT,
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": price}]}),
        )
        .await;
    }
    // Sealed: neither the bids, nor the events that made them, nor their suppliers.
    let sealed = serde_json::to_string(&packages(&app, &v).await).expect("JSON");
    for hidden in [
        applications[0].to_string(),
        applications[1].to_string(),
        "ApplicationSubmitted".into(),
        "\"bids\"".into(),
        c.suppliers[0].org.clone(),
        c.suppliers[1].org.clone(),
    ] {
        assert!(!sealed.contains(&hidden), "{hidden} shows before opening");
    }

    app.fire(
        id,
        "end_acceptance",
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    // The opening's release: the read models may settle before every follow-up of the end of
    // acceptance is appended, so it is awaited (a bound, not a timing assertion).
    let mut opened = releases_of(&packages(&app, &v).await, id);
    for _ in 0..100 {
        if !opened.last().expect("a release")["bids"]["details"].is_null() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        opened = releases_of(&packages(&app, &v).await, id);
    }
    let bids = &opened.last().expect("a release")["bids"]["details"];
    assert_eq!(bids.as_array().map(Vec::len), Some(2), "{bids}");
    assert!(
        bids.as_array()
            .is_some_and(|b| b.iter().any(|b| b["value"]["amount"] == json!(8500000)))
    );

    // Admission, supplement, second round, discounts, results.
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[0], ballot(&[pi], None)).await;
        vote(&app, member, id, applications[1], ballot(&[pi], Some(pi))).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    sign_and_publish(&app, &c, id, "preliminary_admission", &quorum(&c)).await;
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $l: [String!]!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: $l, documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "l": [pi], "d": [file("experience")]})).await;
    app.fire(
        id,
        "end_supplement_period",
        deadline(&app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[1], ballot(&[pi], None)).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $i, entries: $e) { version } }",
        json!({"a": id, "i": pi, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    simple(&app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(&app, &c, id, "results", &quorum(&c)).await;

    let done = record(&app, &c, &v, id).await;
    let compiled = &done["compiledRelease"];
    assert_eq!(compiled["tender"]["status"], "complete");
    assert_eq!(compiled["tender"]["statusDetails"], "Завершено");
    assert_eq!(compiled["awards"][0]["status"], "active");
    assert_eq!(compiled["awards"][0]["value"]["amount"], json!(8500000));
    assert_eq!(
        compiled["awards"][0]["suppliers"][0]["id"],
        format!("KZ-BIN-{}", c.suppliers[1].org)
    );
    let tagged = tags(done["releases"].as_array().expect("releases"));
    assert!(
        tagged.iter().any(|t| t.contains(&"award".to_owned())),
        "{tagged:?}"
    );
    for doc in compiled["tender"]["documents"]
        .as_array()
        .expect("documents")
    {
        assert_eq!(doc["sha256"].as_str().map(str::len), Some(64), "{doc}");
    }

    // The results revision (direction 4): the replaced award is cancelled.
    let notice = Uuid::new_v4();
    app.command(
        &c.inspector,
        DELIVER,
        json!({"a": id, "n": notice, "i": pi, "d": "4", "r": "revise_results"}),
    )
    .await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { startResultsRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    let revising = record(&app, &c, &v, id).await;
    assert_eq!(
        revising["compiledRelease"]["tender"]["portalStatus"],
        "results_revision"
    );
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(&app, &c, id, "results", &quorum(&c)).await;
    let revised = record(&app, &c, &v, id).await;
    let awards = revised["compiledRelease"]["awards"]
        .as_array()
        .cloned()
        .expect("awards");
    assert_eq!(
        awards
            .iter()
            .map(|a| a["status"].as_str().unwrap_or_default())
            .collect::<Vec<_>>(),
        ["cancelled", "active"],
        "{awards:?}"
    );
    let tagged = tags(revised["releases"].as_array().expect("releases"));
    assert!(
        tagged
            .iter()
            .any(|t| t.contains(&"awardCancellation".to_owned())),
        "{tagged:?}"
    );

    // Nothing personal, nothing of camera control's text.
    let all = packages(&app, &v).await;
    let text = serde_json::to_string(&(&all, &revised)).expect("JSON");
    for person in [
        &c.secretary,
        &c.chairman,
        &c.member_a,
        &c.member_b,
        &c.inspector,
        &c.organizer,
    ] {
        assert!(!text.contains(&person.iin), "{}'s ИИН", person.user);
        assert!(!text.contains(&person.full_name), "{}'s name", person.user);
    }
    assert!(!text.contains("Нарушение пункта 12"), "the notice's text");

    // A rebuild of the read model serves identical packages.
    let record_before = get(&app, &format!("/ocds/records/{}", zakup_ocds::ocid(id))).await;
    let ocds = zakup_projections::all()
        .into_iter()
        .find(|p| p.name() == "ocds")
        .expect("the OCDS read model");
    zakup_projections::rebuild(&app.pool, app.store.as_ref(), ocds.as_ref(), |_, _| {})
        .await
        .expect("rebuild");
    assert_eq!(packages(&app, &v).await, all);
    assert_eq!(
        get(&app, &format!("/ocds/records/{}", zakup_ocds::ocid(id))).await,
        record_before
    );
}

/// The ЗЦП (000-A): published, price offers, and the automatic results at the end of acceptance;
/// and an open tender whose only lot the court cancels: `tenderCancellation`. Both valid.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_price_quotation_and_a_cancellation_publish_valid_ocds() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let v = Validator::new();
    let c = cast();
    let (zcp, pi) = (Uuid::new_v4(), "PI-OCDS-ZCP");
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"900000.00\") { version } }",
        json!({"id": pi, "org": c.organizer.org})).await;
    let header = json!({"method": "price_quotations", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги", "amongDisabledOrganizations": false, "singleOrganizer": false});
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776709-ЗЦП1\", header: $h) { version } }",
        json!({"a": zcp, "h": header})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }",
        json!({"a": zcp, "l": [{"planItemId": pi, "lotNumber": "1-ЗЦП1", "customerBin": c.customer.org, "nameRu": "Бумага", "nameKk": "Қағаз", "amount": "900000.00"}]})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $t: LotTermsInput!) { setLotTerms(commandId: $c, announcementId: $a, planItemId: $i, terms: $t) { version } }",
        json!({"a": zcp, "i": pi, "t": {"subject": "goods", "deliveryConditions": "DDP"}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
        json!({"a": zcp, "i": pi, "s": {"form": "template", "descriptionKk": "Сипаттама", "descriptionRu": "Описание",
            "characteristicsKk": "Сипаттамалар", "characteristicsRu": "Характеристики", "signedDocument": file("spec")}})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": zcp, "d": {"template": "typical-goods", "addedClauses": [], "signedDocument": file("contract")}})).await;
    let start = app.now() + Duration::days(1);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": zcp, "s": start, "e": start + Duration::days(5)})).await;
    // Nothing of the draft is published.
    assert!(releases_of(&packages(&app, &v).await, zcp).is_empty());
    simple(&app, &c.organizer, zcp, "publish").await;
    app.fire(
        zcp,
        "start_acceptance",
        deadline(&app, &c.organizer, zcp, "start_acceptance").await,
    )
    .await;
    for (supplier, price) in c.suppliers.iter().zip(["850000.00", "870000.50"]) {
        app.command(
            supplier,
            SUBMIT,
            json!({"a": zcp, "app": Uuid::new_v4(), "o": [{"planItemId": pi, "price": price}]}),
        )
        .await;
    }
    app.fire(
        zcp,
        "end_acceptance",
        deadline(&app, &c.organizer, zcp, "end_acceptance").await,
    )
    .await;
    let zcp_record = record(&app, &c, &v, zcp).await;
    let compiled = &zcp_record["compiledRelease"];
    assert_eq!(
        compiled["tender"]["procurementMethodDetails"],
        "Запрос ценовых предложений"
    );
    assert_eq!(compiled["tender"]["status"], "complete");
    assert_eq!(compiled["awards"][0]["value"]["amount"], json!(850000));
    assert!(
        compiled["bids"]["details"]
            .as_array()
            .is_some_and(|b| b.iter().any(|b| b["value"]["amount"] == json!(870000.5)))
    );

    // The court cancels the open tender's only lot.
    let (ok, pi) = (Uuid::new_v4(), "PI-OCDS-CANCEL");
    published(&app, &c, ok, &[pi]).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: $l, act: $act) { version } }",
        json!({"a": ok, "l": [pi], "act": {"body": "court", "bodyName": "Суд города Астаны", "actType": "ruling", "number": "2-77/26", "date": "2026-02-02", "file": file("act")}})).await;
    let cancelled = record(&app, &c, &v, ok).await;
    assert_eq!(
        cancelled["compiledRelease"]["tender"]["status"],
        "cancelled"
    );
    assert_eq!(
        cancelled["compiledRelease"]["tender"]["lots"][0]["status"],
        "cancelled"
    );
    let tagged = tags(cancelled["releases"].as_array().expect("releases"));
    assert_eq!(
        tagged.last().map(Vec::as_slice),
        Some(&["tenderCancellation".to_owned()][..])
    );

    // The bulk export: JSON Lines of valid release packages, the releases of the range only.
    let mut jsonl = Vec::new();
    let from = app.now() - Duration::days(60);
    let n = zakup_api::ocds::export(
        &app.pool,
        from,
        app.now() + Duration::days(1),
        "http://zakup.test",
        3,
        &mut jsonl,
    )
    .await
    .expect("export");
    let lines: Vec<Value> = String::from_utf8(jsonl)
        .expect("UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(
        lines
            .iter()
            .map(|p| p["releases"].as_array().map_or(0, Vec::len))
            .sum::<usize>(),
        n
    );
    assert_eq!(
        n,
        packages(&app, &v)
            .await
            .iter()
            .map(|p| p["releases"].as_array().map_or(0, Vec::len))
            .sum::<usize>()
    );
    for package in &lines {
        valid(v.release_package(package), package);
    }
    let mut none = Vec::new();
    let empty = zakup_api::ocds::export(
        &app.pool,
        from - Duration::days(30),
        from,
        "http://zakup.test",
        3,
        &mut none,
    )
    .await
    .expect("export");
    assert_eq!((empty, none.len()), (0, 0));

    // An unknown ocid, a malformed cursor: typed errors.
    let (status, body) = get(&app, "/ocds/records/ocds-zakup0-nothing").await;
    assert_eq!(
        (status, &body["errors"][0]["extensions"]["code"]),
        (404, &json!("not_found"))
    );
    let (status, body) = get(&app, "/ocds/releases?since=yesterday").await;
    assert_eq!(
        (status, &body["errors"][0]["extensions"]["code"]),
        (400, &json!("invalid_input"))
    );
    for bad in ["limit=many", "limit=0", "limit=1001"] {
        let (status, body) = get(&app, &format!("/ocds/releases?{bad}")).await;
        assert_eq!(
            (status, &body["errors"][0]["extensions"]["code"]),
            (400, &json!("invalid_input")),
            "{bad}"
        );
    }
    let (status, extension) = get(&app, "/ocds/extensions/zakup/extension.json").await;
    assert_eq!(
        (status, &extension["schemas"]),
        (200, &json!(["release-schema.json"]))
    );
}
