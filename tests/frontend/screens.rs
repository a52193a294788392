//! Issue 24 item 1: every screen of an open tender read back in typed fields, from the read model
//! (`announcements { details }`) and from the auditors' replay (`announcement(id) { details }`)
//! alike, with no raw event parsing; and the lot and application statuses always set
//! (decision 0640).

use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{ballot, cast, deadline, file, published, sign_and_publish, simple, vote};
use crate::e2e::{App, Person, astana, spawn_app};

/// Everything `details` shows, in two queries: each stays within the query cost budget, which
/// counts every nested list as a page (crates/api/src/cost.rs).
const DETAILS: [&str; 2] = ["details {
    representatives { applicationValidityDays organizerRepresentative { iin fullName } customerRepresentative { iin }
        organizerBankAccount securityBankAccount customerBankAccount approverFullName approverOrderNumber approverOrderDate }
    organizerRepresentative { iin fullName } customerRepresentative { iin fullName }
    tenderDocumentation { documents { name obligatoryForSupplier } licences permits signedDocumentation { fileId name } }
    contractDraft { template addedClauses { nameRu nameKk } signedDocument { fileId } }
    lots { planItemId terms { subject { id } deliveryConditions dumpingAttribute { id } dumpingAmount }
        technicalSpecification { form descriptionRu characteristicsRu files { fileId } }
        cancellation { kind number } refusal { reason } }
    acts { kind body { id original } bodyName actType { id } number date file { fileId } at planItemIds }
    discussion { end ended requests { id subject text submittedAt answered answer { decision { id } text answeredAt } } }
    discounts { status { id original } planItemIds filled { planItemId applicationId experiencePct totalPct } }
    supplementStart supplementEnd }",
    "details {
    voting { round completed underReview { applicationId planItemIds }
        ballots { applicationId memberIin commonArticle6 { verdict }
            lots { planItemId documentation { verdict } qualification { verdict reason } article6 { verdict subparagraphs } } } }
    }",
];

/// `details` as the read model shows it once it holds `position`, and as the replay shows it
/// now: the same, field for field (decision 0505, 0641).
async fn details(app: &App, who: &Person, id: Uuid, position: &Value) -> Value {
    let mut merged = serde_json::Map::new();
    for part in DETAILS {
        let read = app
            .ok(
                Some(who),
                &format!("query($p: String) {{ announcements(minPosition: $p, first: 2) {{ edges {{ node {{ id {part} }} }} }} }}"),
                json!({"p": position}),
            )
            .await;
        let node = read["announcements"]["edges"]
            .as_array()
            .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
            .map(|e| e["node"]["details"].clone())
            .expect("the announcement in the read models");
        let replayed = app
            .ok(
                Some(who),
                &format!("query($a: UUID!) {{ announcement(id: $a) {{ {part} }} }}"),
                json!({"a": id}),
            )
            .await;
        assert_eq!(replayed["announcement"]["details"], node);
        if let Value::Object(fields) = node {
            merged.extend(fields);
        }
    }
    Value::Object(merged)
}

async fn statuses(app: &App, who: &Person, position: &Value) -> (Vec<Value>, Vec<Value>) {
    let d = app
        .ok(
            Some(who),
            "query($p: String) { announcements(minPosition: $p, first: 5) { edges { node {
                lots { status { id } } applications { status { id original } } } } } }",
            json!({"p": position}),
        )
        .await;
    let node = &d["announcements"]["edges"][0]["node"];
    let all = |k: &str| {
        node[k]
            .as_array()
            .map(|l| l.iter().map(|x| x["status"].clone()).collect())
            .unwrap_or_default()
    };
    (all("lots"), all("applications"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_screen_of_an_open_tender_reads_in_typed_fields() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-SCR-1", "PI-SCR-2");
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(&app, &c, id, &[pi1, pi2]).await;

    // The documents of the drafting steps (spec 000-A §2.4–§2.9, L1064–1192).
    let request_id = Uuid::new_v4();
    let sent = app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Лот 1\", text: \"Просим уточнить гарантийный срок\") { version position } }",
        json!({"a": id, "r": request_id})).await;
    let d = details(&app, &c.secretary, id, &sent["position"]).await;
    assert_eq!(d["representatives"]["applicationValidityDays"], 60);
    assert_eq!(d["representatives"]["approverOrderDate"], "2026-01-30");
    assert_eq!(d["organizerRepresentative"]["iin"], c.organizer.iin);
    assert_eq!(
        d["tenderDocumentation"]["documents"][0],
        json!({"name": "Приложение 8", "obligatoryForSupplier": true})
    );
    assert_eq!(d["contractDraft"]["template"], "typical-goods");
    assert_eq!(d["lots"][0]["terms"]["subject"]["id"], "goods");
    assert_eq!(d["lots"][0]["terms"]["deliveryConditions"], "DDP");
    assert_eq!(d["lots"][0]["technicalSpecification"]["form"], "template");
    assert_eq!(
        d["lots"][0]["technicalSpecification"]["descriptionRu"],
        "Описание"
    );

    // The secretary's list of discussion requests (L1600–1640): id, subject, text, status; no
    // sender is shown.
    let req = &d["discussion"]["requests"][0];
    assert_eq!(req["id"], json!(request_id));
    assert_eq!(req["subject"], "Лот 1");
    assert_eq!(req["answered"], false);
    assert!(d["discussion"]["end"].is_string());
    app.fire(
        id,
        "end_discussion",
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;
    let answered = app.command(&c.secretary, "($c: UUID!, $a: UUID!, $r: UUID!) { answerDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, decision: \"clarify\", text: \"Гарантия 36 месяцев\") { version position } }",
        json!({"a": id, "r": request_id})).await;
    let d = details(&app, &c.suppliers[1], id, &answered["position"]).await;
    let req = &d["discussion"]["requests"][0];
    assert_eq!(req["answered"], true);
    assert_eq!(req["answer"]["decision"]["id"], "clarify");
    assert_eq!(req["answer"]["text"], "Гарантия 36 месяцев");
    assert_eq!(d["discussion"]["ended"], true);
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.secretary.json()]})).await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    sign_and_publish(&app, &c, id, "discussion", &[&c.secretary]).await;

    // Applications, then the commission's ballot screen.
    app.fire(
        id,
        "start_acceptance",
        deadline(&app, &c.organizer, id, "start_acceptance").await,
    )
    .await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    let mut last = Value::Null;
    for (supplier, application) in c.suppliers.iter().zip(applications) {
        last = app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version position } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi1, "price": "8900000.00"}, {"planItemId": pi2, "price": "8500000.00"}]})).await;
    }
    let (_, apps) = statuses(&app, &c.suppliers[0], &last["position"]).await;
    assert_eq!(
        apps,
        [
            json!({"id": "published_accepting_applications", "original": "Опубликовано (прием заявок)"})
        ],
        "the supplier's own application has its status before opening (decision 0640)"
    );
    app.fire(
        id,
        "end_acceptance",
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[0], ballot(&[pi1, pi2], None)).await;
    }
    let voted = vote(
        &app,
        &c.chairman,
        id,
        applications[1],
        ballot(&[pi1, pi2], Some(pi1)),
    )
    .await;
    let d = details(&app, &c.chairman, id, &voted["position"]).await;
    assert_eq!(d["voting"]["round"], "initial");
    assert_eq!(d["voting"]["completed"], false);
    assert_eq!(
        d["voting"]["underReview"]
            .as_array()
            .map(|a| a.iter().all(|a| a["planItemIds"] == json!([pi1, pi2]))),
        Some(true),
        "{d}"
    );
    let chairman_on_second = d["voting"]["ballots"]
        .as_array()
        .and_then(|b| {
            b.iter().find(|b| {
                b["applicationId"] == json!(applications[1]) && b["memberIin"] == c.chairman.iin
            })
        })
        .cloned()
        .expect("the chairman's ballot");
    assert_eq!(chairman_on_second["commonArticle6"]["verdict"], "admitted");
    assert_eq!(
        chairman_on_second["lots"][0]["qualification"],
        json!({"verdict": "rejected", "reason": "Нет опыта работы"})
    );
    // While the commission votes, the ballots are the commission's: a supplier sees none
    // (decision 0672), in the read model and the replay alike; the members' ИИН are personal
    // data besides (decision 0671).
    let outside = details(&app, &c.suppliers[0], id, &voted["position"]).await;
    assert_eq!(outside["voting"]["ballots"], json!([]), "{outside}");
    assert_eq!(outside["voting"]["completed"], false);
    for member in [&c.member_a, &c.member_b] {
        vote(
            &app,
            member,
            id,
            applications[1],
            ballot(&[pi1, pi2], Some(pi1)),
        )
        .await;
    }
    let completed = simple(&app, &c.secretary, id, "completeVoting").await;
    let d = details(&app, &c.secretary, id, &completed["position"]).await;
    assert_eq!(d["voting"]["completed"], true);
    assert_eq!(d["voting"]["underReview"], json!([]));

    // The supplement period's dates (L2635–2637).
    simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    let ppd = sign_and_publish(
        &app,
        &c,
        id,
        "preliminary_admission",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;
    let d = details(&app, &c.suppliers[1], id, &ppd["position"]).await;
    assert!(
        d["supplementStart"].is_string() && d["supplementEnd"].is_string(),
        "{d}"
    );

    // The supplier's cabinet: its application with, per lot, the decision, the reasons and the
    // right to supplement; its discussion requests.
    let cabinet = app
        .ok(
            Some(&c.suppliers[1]),
            "query($p: String) { myApplications(minPosition: $p) { edges { node {
                announcementId announcementNumber announcementStatus { id }
                application { applicationId status { id } }
                lots { planItemId decision { id } rejectionReasons canSupplement } } } } }",
            json!({"p": ppd["position"]}),
        )
        .await;
    let mine = &cabinet["myApplications"]["edges"][0]["node"];
    assert_eq!(mine["announcementId"], json!(id));
    assert_eq!(mine["application"]["applicationId"], json!(applications[1]));
    assert_eq!(
        mine["announcementStatus"]["id"],
        "published_supplementing_applications"
    );
    assert_eq!(
        mine["lots"],
        json!([
            {"planItemId": pi1, "decision": {"id": "rejected"}, "rejectionReasons": ["Нет опыта работы"], "canSupplement": true},
            {"planItemId": pi2, "decision": {"id": "admitted"}, "rejectionReasons": [], "canSupplement": false},
        ])
    );
    let requests = "{ myDiscussionRequests { announcementId request { id text answered } } }";
    let asked = app.ok(Some(&c.suppliers[0]), requests, json!({})).await;
    assert_eq!(
        asked["myDiscussionRequests"],
        json!([{"announcementId": id, "request": {"id": request_id, "text": "Просим уточнить гарантийный срок", "answered": true}}])
    );
    let none = app.ok(Some(&c.suppliers[1]), requests, json!({})).await;
    assert_eq!(none["myDiscussionRequests"], json!([]));
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: [\"PI-SCR-1\"], documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "d": [file("experience")]})).await;
    app.fire(
        id,
        "end_supplement_period",
        deadline(&app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    // The re-review (§7.5): only the supplemented lot of the rejected application.
    let revote = vote(&app, &c.chairman, id, applications[1], ballot(&[pi1], None)).await;
    let d = details(&app, &c.member_a, id, &revote["position"]).await;
    assert_eq!(d["voting"]["round"], "supplements");
    assert_eq!(
        d["voting"]["underReview"],
        json!([{"applicationId": applications[1], "planItemIds": [pi1]}])
    );
    for member in [&c.member_a, &c.member_b] {
        vote(&app, member, id, applications[1], ballot(&[pi1], None)).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;

    // The acts tab (L602–604): the court cancels lot 2.
    let cancelled = app.command(&c.secretary, "($c: UUID!, $a: UUID!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: [\"PI-SCR-2\"], act: $act) { version position } }",
        json!({"a": id, "act": {"body": "court", "bodyName": "Суд города Астаны", "actType": "ruling", "number": "2-77/26", "date": "2026-02-20", "file": file("act")}})).await;
    let d = details(&app, &c.organizer, id, &cancelled["position"]).await;
    let act = &d["acts"][0];
    assert_eq!(act["kind"], "cancelled");
    assert_eq!(act["body"]["id"], "court");
    assert_eq!(act["number"], "2-77/26");
    assert_eq!(act["planItemIds"], json!([pi2]));
    assert_eq!(d["lots"][1]["cancellation"]["number"], "2-77/26");

    // Conditional discounts (§3.6): «Требуется заполнение», then «Заполнено».
    let status = d["discounts"]["status"].clone();
    assert_eq!(status["original"], "Требуется заполнение", "{d}");
    assert_eq!(d["discounts"]["planItemIds"], json!([pi1]));
    let form = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "2", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: \"PI-SCR-1\", entries: $e) { version } }",
        json!({"a": id, "e": applications.iter().map(|a| json!({"applicationId": a, "form": form})).collect::<Vec<_>>()})).await;
    let filled = simple(&app, &c.secretary, id, "completeConditionalDiscounts").await;
    let d = details(&app, &c.secretary, id, &filled["position"]).await;
    assert_eq!(d["discounts"]["status"]["id"], "filled");
    assert_eq!(d["discounts"]["filled"].as_array().map(Vec::len), Some(2));

    // After completion every lot and application still says where it stands (decision 0640).
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    let done = sign_and_publish(
        &app,
        &c,
        id,
        "results",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;
    let (lots, apps) = statuses(&app, &c.organizer, &done["position"]).await;
    assert_eq!(
        lots,
        [json!({"id": "completed"}), json!({"id": "cancelled"})]
    );
    assert!(
        apps.iter()
            .all(|s| s["id"] == "completed" && s["original"] == "Завершено"),
        "{apps:?}"
    );
}

/// Issue 24 item 1: the original links to its index-2 copy and the copy to its original
/// (spec 000-D L12039–12041), in the read model and the replay alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_original_and_its_index_two_copy_link_to_each_other() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    app.command(&c.secretary, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.secretary.iin, "k": c.secretary.public_key_hex()})).await;
    published(&app, &c, id, &["PI-CPY-1"]).await;
    let request_id = Uuid::new_v4();
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Лот 1\", text: \"Просим снизить требования\") { version } }",
        json!({"a": id, "r": request_id})).await;
    app.fire(
        id,
        "end_discussion",
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $r: UUID!) { answerDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, decision: \"amend_documentation\", text: \"Требования изменены\") { version } }",
        json!({"a": id, "r": request_id})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.secretary.json()]})).await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    let last = sign_and_publish(&app, &c, id, "discussion", &[&c.secretary]).await;

    let links = "details { sourceAnnouncementId copyAnnouncementId }";
    // The copy is appended after the command's own events (issue 24 item 4 is another
    // branch's): wait for it to show.
    let mut original = Value::Null;
    for _ in 0..50 {
        original = details_of(&app, &c.organizer, id, &last["position"], links).await;
        if original["copyAnnouncementId"].is_string() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let copy: Uuid = original["copyAnnouncementId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no copy: {original}"));
    assert_eq!(original["sourceAnnouncementId"], Value::Null);
    let mut linked = Value::Null;
    for _ in 0..50 {
        linked = details_of(&app, &c.organizer, copy, &last["position"], links).await;
        if linked.is_object() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(linked["sourceAnnouncementId"], json!(id), "{linked}");
    assert_eq!(linked["copyAnnouncementId"], Value::Null);
    let replayed = app
        .ok(
            Some(&c.organizer),
            &format!("query($a: UUID!) {{ announcement(id: $a) {{ {links} }} }}"),
            json!({"a": copy}),
        )
        .await;
    assert_eq!(replayed["announcement"]["details"], linked);
}

/// `fields` of the details of announcement `id` in the read model, null until it shows there.
async fn details_of(app: &App, who: &Person, id: Uuid, position: &Value, fields: &str) -> Value {
    let query = format!(
        "query($p: String) {{ announcements(minPosition: $p, first: 2) {{ edges {{ node {{ id {fields} }} }} }} }}"
    );
    let mut read = Value::Null;
    // A loaded machine may take longer than the read-your-writes wait: ask again.
    for _ in 0..10 {
        let response = app.post(Some(who), &query, json!({"p": position})).await;
        if response["errors"][0]["extensions"]["code"] != "read_models_lagging" {
            assert!(response.get("errors").is_none(), "{query}: {response}");
            read = response["data"].clone();
            break;
        }
    }
    read["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .map(|e| e["node"]["details"].clone())
        .unwrap_or(Value::Null)
}
