//! An open tender end to end, over HTTP against a real server and real PostgreSQL: drafting,
//! publication, the discussion with its protocol, applications, two rounds of voting, the
//! preliminary admission and results protocols signed and published, one lot cancelled. Then an
//! auditor's replay as of an instant in the middle, and a rebuild of every read model that must
//! answer the same queries identically.

mod e2e;

use e2e::tender::{ballot, cast, deadline, documented, file, sign_and_publish, simple, vote};
use e2e::{App, Person, astana, spawn_app};
use serde_json::{Value, json};
use uuid::Uuid;

const DETAIL: &str = "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) {
    version status { id original }
    lots { planItemId status { id } outcome winnerApplicationId }
    applications { applicationId supplierBin opened offers { planItemId price decision { id } supplemented } }
    votes { applicationId memberIin planItemId decision { id } }
    votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } }
    protocols { kind { id } version validity { id } automatic contentSha256 publishedAt signerIins }
    events { version eventType sealed actor { userId iin orgBin role } }
    deadlines { transition at } } }";

const READ_MODELS: &str = "query { announcements(first: 1) { edges { cursor node {
      id number index status { id original } opened method { id } customerBins totalAmount draftedAt publishedAt
      acceptanceStart acceptanceEnd discussionEnd updatedAt version
      lots { planItemId lotNumber customerBin amount status { id } cancelledAt outcome winnerApplicationId }
      applications { applicationId supplierBin submittedAt status { id } opened offers { planItemId price decision { id } supplemented } }
      commission { iin fullName function active }
      votes { applicationId memberIin planItemId decision { id } }
      votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } }
      protocols { kind { id } version validity { id } automatic contentSha256 formedAt publishedAt signerIins content }
      timeline(first: 100) { edges { node { version eventType actorUserId actorRole occurredAt reason } } }
    } } pageInfo { hasNextPage } }
    lots(first: 50) { edges { node { announcementId planItemId status { id } outcome } } }
    customerRequests(first: 50) { edges { node { planItemId state announcementId lotNumber amount returnReason } } } }";

/// What both the read models and the auditors' replay show of an announcement's components.
const COMPONENTS: &str = "number status { id } method { id } publishedAt acceptanceStart acceptanceEnd
    lots { announcementId planItemId lotNumber customerBin nameRu nameKk ktru amount status { id } cancelledAt outcome winnerApplicationId }
    applications { applicationId supplierBin submittedAt status { id } opened offers { planItemId price decision { id } supplemented } }
    commission { iin fullName function active }
    votes { applicationId memberIin planItemId decision { id } }
    votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } }
    protocols { kind { id } version validity { id } automatic contentSha256 formedAt publishedAt signerIins content }";

/// The replay of the stream now shows what the read models show once they hold `position`: both
/// are the same views of the same fold (decision 0505).
async fn same_in_replay_and_read_models(app: &App, who: &Person, id: Uuid, position: &Value) {
    let read = app
        .ok(
            Some(who),
            &format!("query($p: String) {{ announcements(minPosition: $p, first: 1) {{ edges {{ node {{ id {COMPONENTS} }} }} }} }}"),
            json!({"p": position}),
        )
        .await;
    let mut node = read["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .map(|e| e["node"].clone())
        .expect("the announcement in the read models");
    node.as_object_mut().map(|o| o.remove("id"));
    let replayed = app
        .ok(
            Some(who),
            &format!("query($a: UUID!) {{ announcement(id: $a) {{ {COMPONENTS} }} }}"),
            json!({"a": id}),
        )
        .await;
    assert_eq!(replayed["announcement"], node);
}

async fn detail(app: &App, who: &Person, id: Uuid, as_of: Value) -> Value {
    app.ok(Some(who), DETAIL, json!({"a": id, "asOf": as_of}))
        .await["announcement"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_open_tender_from_draft_to_results_replays_and_rebuilds_identically() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-E2E-1", "PI-E2E-2");

    // GraphiQL for the browser.
    let (status, page) = app.get("/graphql").await;
    assert_eq!(status, 200);
    assert!(page.contains("graphiql"), "{page}");

    // Signing keys of everyone who signs a protocol.
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }

    // The customer's requests; a malformed one is refused and writes nothing.
    let request = "($c: UUID!, $id: String!, $org: String!, $amount: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Ноутбуки\", amount: $amount) { version } }";
    let bad_bin = app
        .refused(
            Some(&c.customer),
            &format!("mutation {request}"),
            json!({"c": Uuid::new_v4(), "id": pi1, "org": "123456789012", "amount": "100.00"}),
        )
        .await;
    assert_eq!(bad_bin, "invalid_bin");
    let negative = app
        .refused(
            Some(&c.customer),
            &format!("mutation {request}"),
            json!({"c": Uuid::new_v4(), "id": pi1, "org": c.organizer.org, "amount": "-5"}),
        )
        .await;
    assert_eq!(negative, "money_negative");
    for (pi, amount) in [(pi1, "42000000.00"), (pi2, "9000000.00")] {
        app.command(
            &c.customer,
            request,
            json!({"id": pi, "org": c.organizer.org, "amount": amount}),
        )
        .await;
    }

    // Drafting, through the mutations.
    let header = json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": "Закупка ноутбуков",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    let create = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version position duplicate } }";
    let retry_id = Uuid::new_v4();
    let first = app
        .ok(
            Some(&c.organizer),
            &format!("mutation {create}"),
            json!({"c": retry_id, "a": id, "h": header}),
        )
        .await;
    let again = app
        .ok(
            Some(&c.organizer),
            &format!("mutation {create}"),
            json!({"c": retry_id, "a": id, "h": header}),
        )
        .await;
    assert_eq!(
        again["createDraft"]["duplicate"], true,
        "a retry is answered from the record"
    );
    assert_eq!(
        again["createDraft"]["version"],
        first["createDraft"]["version"]
    );
    let lots = json!([
        {"planItemId": pi1, "lotNumber": "87491617-ОК1", "customerBin": c.customer.org, "nameRu": "Ноутбук 15,6\"", "nameKk": "Ноутбук 15,6\"", "amount": "42000000.00"},
        {"planItemId": pi2, "lotNumber": "87491618-ОК1", "customerBin": c.customer.org, "nameRu": "Принтер лазерный", "nameKk": "Лазерлік принтер", "amount": "9000000.00"},
    ]);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }", json!({"a": id, "l": lots})).await;
    documented(&app, &c, id, &[pi1, pi2]).await;
    let start = app.working_days_after(6);
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": id, "s": start, "e": start + chrono::Duration::days(15)})).await;

    // A draft is its organisation's only: a supplier neither finds nor replays it.
    let drafted = simple(&app, &c.organizer, id, "revokeContractDraft").await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $d: ContractDraftInput!) { approveContractDraft(commandId: $c, announcementId: $a, contractDraft: $d) { version } }",
        json!({"a": id, "d": {"template": "typical-goods", "addedClauses": [], "signedDocument": file("contract")}})).await;
    let search = "query($p: String) { announcements(minPosition: $p) { edges { node { id status { id } } } } }";
    let mine = app
        .ok(
            Some(&c.organizer),
            search,
            json!({"p": drafted["position"]}),
        )
        .await;
    assert_eq!(
        mine["announcements"]["edges"].as_array().map(Vec::len),
        Some(1)
    );
    let theirs = app
        .ok(
            Some(&c.suppliers[0]),
            search,
            json!({"p": drafted["position"]}),
        )
        .await;
    assert_eq!(theirs["announcements"]["edges"], json!([]));
    assert_eq!(
        detail(&app, &c.suppliers[0], id, Value::Null).await,
        Value::Null
    );

    // A refused command comes back with its code and writes nothing.
    let before = detail(&app, &c.organizer, id, Value::Null).await["version"].clone();
    let refused = app.refused(Some(&c.suppliers[0]), "mutation($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
        json!({"c": Uuid::new_v4(), "a": id})).await;
    assert!(!refused.is_empty());
    assert_eq!(
        detail(&app, &c.organizer, id, Value::Null).await["version"],
        before
    );
    let anonymous = app.refused(None, "mutation($c: UUID!, $a: UUID!) { publish(commandId: $c, announcementId: $a) { version } }",
        json!({"c": Uuid::new_v4(), "a": id})).await;
    assert_eq!(anonymous, "unauthenticated");

    // Publication and the discussion of the documentation.
    simple(&app, &c.organizer, id, "publish").await;
    let request_id = Uuid::new_v4();
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $r: UUID!) { submitDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, subject: \"Гарантийный срок\", text: \"Просим уточнить гарантийный срок\") { version } }",
        json!({"a": id, "r": request_id})).await;
    app.fire(
        id,
        "end_discussion",
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $r: UUID!) { answerDiscussionRequest(commandId: $c, announcementId: $a, requestId: $r, decision: \"clarify\", text: \"Гарантия 36 месяцев\") { version } }",
        json!({"a": id, "r": request_id})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.secretary.json()]})).await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    sign_and_publish(&app, &c, id, "discussion", &[&c.secretary]).await;

    // Applications; sealed until opening.
    app.fire(
        id,
        "start_acceptance",
        deadline(&app, &c.organizer, id, "start_acceptance").await,
    )
    .await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    let negative_price = app.refused(Some(&c.suppliers[0]), "mutation($c: UUID!, $a: UUID!, $app: UUID!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: [{planItemId: \"PI-E2E-1\", price: \"-1.00\"}]) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "app": applications[0]})).await;
    assert_eq!(negative_price, "money_negative");
    for (supplier, (application, price)) in c
        .suppliers
        .iter()
        .zip(applications.iter().zip(["41000000.00", "39500000.00"]))
    {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi1, "price": price}, {"planItemId": pi2, "price": "8500000.00"}]})).await;
    }
    let sealed = detail(&app, &c.suppliers[0], id, Value::Null).await;
    assert_eq!(
        sealed["applications"].as_array().map(Vec::len),
        Some(1),
        "only its own before opening"
    );
    app.fire(
        id,
        "end_acceptance",
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;

    // The middle: applications opened, nobody has voted yet.
    let middle = detail(&app, &c.organizer, id, Value::Null).await;
    assert_eq!(middle["status"]["id"], "reviewing_applications");
    // The procedure's instant (decision 0660); the clock moves on before the votes.
    let instant = app.now();
    app.clock.set(instant + chrono::Duration::minutes(1));

    // Voting: the majority rejects the second supplier on lot 1 (it may supplement).
    let mut last = Value::Null;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        last = vote(&app, member, id, applications[0], ballot(&[pi1, pi2], None)).await;
    }
    let awaited = app
        .ok(
            Some(&c.member_a),
            "query($p: String) { myTasks(minPosition: $p) { kind announcementId } }",
            json!({"p": last["position"]}),
        )
        .await;
    assert!(
        awaited["myTasks"]
            .as_array()
            .is_some_and(|t| t.iter().any(|t| t["kind"] == "vote_awaited")),
        "{awaited}"
    );
    for member in [&c.chairman, &c.member_a] {
        vote(
            &app,
            member,
            id,
            applications[1],
            ballot(&[pi1, pi2], Some(pi1)),
        )
        .await;
    }
    let voted = vote(
        &app,
        &c.member_b,
        id,
        applications[1],
        ballot(&[pi1, pi2], None),
    )
    .await;
    same_in_replay_and_read_models(&app, &c.secretary, id, &voted["position"]).await;
    let control = detail(&app, &c.secretary, id, Value::Null).await;
    assert!(
        control["votingControl"]
            .as_array()
            .is_some_and(|l| l.iter().all(|l| l["status"]["id"] == "quorum_reached")),
        "{control}"
    );
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    sign_and_publish(
        &app,
        &c,
        id,
        "preliminary_admission",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;

    // Supplements, and the second round.
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: [\"PI-E2E-1\"], documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "d": [file("experience")]})).await;
    app.fire(
        id,
        "end_supplement_period",
        deadline(&app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[1], ballot(&[pi1], None)).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;

    // The court cancels lot 2.
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $act: GroundingActInput!) { cancelLots(commandId: $c, announcementId: $a, planItemIds: [\"PI-E2E-2\"], act: $act) { version } }",
        json!({"a": id, "act": {"body": "court", "bodyName": "Суд города Астаны", "actType": "ruling", "number": "2-1234/26", "date": "2026-02-20", "file": file("act")}})).await;

    // Discounts, then the results protocol.
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: \"PI-E2E-1\", entries: $e) { version } }",
        json!({"a": id, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    simple(&app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    let last = sign_and_publish(
        &app,
        &c,
        id,
        "results",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;

    // Read your writes: the search waits for the read models to include the last command.
    let found = app.ok(None, "query($p: String) { announcements(minPosition: $p, filter: {status: [\"completed\"]}) { edges { node { id status { original } } } } }",
        json!({"p": last["position"]})).await;
    assert_eq!(found["announcements"]["edges"][0]["node"]["id"], json!(id));
    assert_eq!(
        found["announcements"]["edges"][0]["node"]["status"]["original"],
        "Завершено"
    );

    let done = detail(&app, &c.organizer, id, Value::Null).await;
    assert_eq!(done["status"]["id"], "completed");
    let lot = |pi: &str| {
        done["lots"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["planItemId"] == pi))
            .cloned()
            .expect("the lot")
    };
    assert_eq!(lot(pi1)["outcome"], "held");
    assert_eq!(
        lot(pi1)["winnerApplicationId"],
        json!(applications[1]),
        "the lower price wins with equal discounts"
    );
    assert_eq!(lot(pi2)["status"]["id"], "cancelled");
    for kind in ["discussion", "preliminary_admission", "results"] {
        assert!(
            done["protocols"].as_array().is_some_and(|ps| ps
                .iter()
                .any(|p| p["kind"]["id"] == kind
                    && p["validity"]["id"] == "valid"
                    && !p["publishedAt"].is_null())),
            "{kind}: {done}"
        );
    }

    same_in_replay_and_read_models(&app, &c.organizer, id, &last["position"]).await;

    // The auditor's replay as of the middle: the state then, from the event store.
    let replayed = detail(&app, &c.organizer, id, json!({"instant": instant})).await;
    assert_eq!(replayed, middle);
    let by_version = detail(
        &app,
        &c.organizer,
        id,
        json!({"version": middle["version"]}),
    )
    .await;
    assert_eq!(by_version, middle);

    // Rebuilding every read model answers the same queries identically.
    app.settle().await;
    let before = app.ok(Some(&c.organizer), READ_MODELS, Value::Null).await;
    assert_eq!(
        before["customerRequests"]["edges"].as_array().map(Vec::len),
        Some(2)
    );
    for projection in zakup_projections::all() {
        zakup_projections::rebuild(
            &app.pool,
            app.store.as_ref(),
            projection.as_ref(),
            |_, _| {},
        )
        .await
        .expect("rebuild");
    }
    app.settle().await;
    let after = app.ok(Some(&c.organizer), READ_MODELS, Value::Null).await;
    assert_eq!(after, before);
}

/// Sealed until opening (000-A §3.3): before the end of acceptance, the auditors' replay shows
/// an organisation that did not apply no application, none of the events that submitted one
/// (neither how many there are nor when), and no instant of them, as the read models do; a
/// supplier sees its own only.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn before_opening_the_replay_shows_no_application_count_or_instant() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    e2e::tender::published(&app, &c, id, &["PI-SEALED-1"]).await;
    e2e::tender::accepting(&app, &c, id).await;
    let mut last = Value::Null;
    for supplier in &c.suppliers {
        last = app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version position } }",
            json!({"a": id, "app": Uuid::new_v4(), "o": [{"planItemId": "PI-SEALED-1", "price": "8000000.00"}]})).await;
    }
    let query = "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) {
        version recordedAt applications { applicationId supplierBin }
        events { version eventType occurredAt recordedAt } } }";
    let own = app.ok(Some(&c.suppliers[0]), query, json!({"a": id})).await["announcement"].clone();
    assert_eq!(
        own["applications"].as_array().map(Vec::len),
        Some(1),
        "{own}"
    );
    let submitted: Vec<&Value> = own["events"]
        .as_array()
        .map(|all| {
            all.iter()
                .filter(|e| e["eventType"] == "ApplicationSubmitted")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(submitted.len(), 1, "only its own submission: {own}");
    let instants: Vec<&Value> = submitted
        .iter()
        .flat_map(|e| [&e["occurredAt"], &e["recordedAt"]])
        .collect();

    let last_version = last["version"].clone();
    for as_of in [Value::Null, json!({"version": last_version})] {
        for who in [&c.organizer, &c.committee] {
            let view = app
                .ok(Some(who), query, json!({"a": id, "asOf": as_of}))
                .await["announcement"]
                .clone();
            assert_eq!(view["applications"], json!([]), "{view}");
            let events = view["events"].as_array().expect("events");
            assert!(
                events.iter().all(|e| !e["eventType"]
                    .as_str()
                    .is_some_and(|t| t.starts_with("Application"))),
                "no application event, so no count: {view}"
            );
            assert!(
                !instants.contains(&&view["recordedAt"]),
                "no instant: {view}"
            );
        }
    }

    // The read models show the same: no application, no application event in the timeline.
    let read = app.ok(Some(&c.organizer), "query($p: String) { announcements(minPosition: $p) { edges { node { id
        applications { applicationId } timeline(first: 100) { edges { node { eventType } } } } } } }",
        json!({"p": last["position"]})).await;
    let node = &read["announcements"]["edges"][0]["node"];
    assert_eq!(node["id"], json!(id));
    assert_eq!(node["applications"], json!([]));
    assert!(
        node["timeline"]["edges"].as_array().is_some_and(|all| all
            .iter()
            .all(|e| e["node"]["eventType"] != "ApplicationSubmitted")),
        "{read}"
    );
}
