//! The PPP competition by direct negotiations over HTTP (issue 21; spec 002-003 part B): the
//! wizard and publication, the discussion opened by the portal at its start (C3), the public live
//! chat with a refused edit (C4–C5), a negative then a positive conclusion (C6–C7), the contract's
//! 90-day counter (C8), completion (C9), and the auditors' as-of replay of the chat and the
//! conclusions at each instant.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::{App, Person, astana, bin, next, person, spawn_app};

const VIEW: &str = "query($id: UUID!, $asOf: AsOf) { competition(id: $id, asOf: $asOf) {
    status { id nameKk } version
    general { nameKk nameRu organizerBin }
    lot { status { id } statePartner { bin representativeIin representativeConfirmed } }
    initiators { privatePartner phone }
    regulations { nameKk file { name } }
    discussion { open warningKk messages { messageId text authorBin } }
    conclusions { kind justification }
    resultsProtocol { protocolId negativeConclusions positiveConclusion contractAgreed }
    contract { daysLeft deadline } } }";

async fn view(app: &App, who: Option<&Person>, id: Uuid, as_of: Value) -> Value {
    app.ok(who, VIEW, json!({"id": id, "asOf": as_of})).await["competition"].clone()
}

fn file(name: &str) -> Value {
    json!({"fileId": format!("file-{name}"), "name": format!("{name}.pdf")})
}

/// Ticks the portal's scheduler until it has opened the competition's discussion.
async fn open_discussion(app: &App, id: Uuid) {
    for _ in 0..500 {
        let fired = app.scheduler.tick_competitions().await.expect("tick");
        assert!(fired.iter().all(|f| f.result.is_ok()), "{fired:?}");
        if fired.iter().any(|f| f.competition_id == id) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the discussion of {id} was never opened");
}

/// W1–W13 and C1 as the organizer's frontend sends them; the state partner's head confirms.
async fn draft_and_publish(app: &App, o: &Person, head: &Person, user: &Person, id: Uuid) {
    let start = astana(&app.calendar, "2026-02-03 09:00");
    let end = start + Duration::days(3);
    let call = |q: &str| format!("($c: UUID!, $id: UUID!) {{ {q} }}");
    app.command(o, &call("createCompetition(commandId: $c, competitionId: $id, method: direct_negotiations, nameKk: \"Мектеп\", nameRu: \"Школа\") { position }"), json!({"id": id})).await;
    let project = json!({"nameKk": "Мектеп салу", "nameRu": "Строительство школы",
        "shortDescription": "1200 орын", "goalsAndTasks": "Орын тапшылығы",
        "mainTechEconomicParams": "3 қабат", "mainEfficiencyCriteria": "Орын құны",
        "plannedImplementationTerms": "2026–2028"});
    app.command(o, "($c: UUID!, $id: UUID!, $p: CompetitionProjectInput!) { saveCompetitionProject(commandId: $c, competitionId: $id, project: $p) { position } }", json!({"id": id, "p": project})).await;
    app.command(o, "($c: UUID!, $id: UUID!, $bin: String!, $rep: String!) { setCompetitionStatePartner(commandId: $c, competitionId: $id, responsibleContact: \"+7 7172 000000\", bin: $bin, representativeIin: $rep) { position } }", json!({"id": id, "bin": head.org, "rep": head.iin})).await;
    app.command(
        head,
        &call("confirmCompetitionStatePartner(commandId: $c, competitionId: $id) { position }"),
        json!({"id": id}),
    )
    .await;
    app.command(
        o,
        &call("saveCompetitionLot(commandId: $c, competitionId: $id) { position }"),
        json!({"id": id}),
    )
    .await;
    let initiator = json!({"initiatorId": Uuid::new_v4(), "userIin": user.iin, "privatePartner": user.org, "phone": "+7 701 0000000"});
    app.command(o, "($c: UUID!, $id: UUID!, $i: CompetitionInitiatorInput!) { saveCompetitionInitiator(commandId: $c, competitionId: $id, initiator: $i) { position } }", json!({"id": id, "i": initiator})).await;
    let regulation = Uuid::new_v4();
    app.command(o, "($c: UUID!, $id: UUID!, $r: UUID!) { addCompetitionRegulation(commandId: $c, competitionId: $id, regulationId: $r, nameRu: \"Регламент\", nameKk: \"Регламент\") { position } }", json!({"id": id, "r": regulation})).await;
    // W12: no publication without the regulation's file.
    let publish = "mutation($c: UUID!, $id: UUID!) { publishCompetition(commandId: $c, competitionId: $id) { position } }";
    let refused = app
        .post(Some(o), publish, json!({"c": Uuid::new_v4(), "id": id}))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"],
        "regulation_file_required"
    );
    assert!(
        refused["errors"][0]["extensions"]["messageKk"]
            .as_str()
            .is_some()
    );
    app.command(o, "($c: UUID!, $id: UUID!, $r: UUID!, $f: FileRefInput!) { attachCompetitionRegulationFile(commandId: $c, competitionId: $id, regulationId: $r, file: $f) { position } }", json!({"id": id, "r": regulation, "f": file("regulation")})).await;
    app.command(o, "($c: UUID!, $id: UUID!, $s: DateTime!, $e: DateTime!) { setCompetitionDiscussionPeriod(commandId: $c, competitionId: $id, start: $s, end: $e) { position } }", json!({"id": id, "s": start, "e": end})).await;
    // A draft is the organizer's alone.
    assert_eq!(view(app, None, id, Value::Null).await, Value::Null);
    app.command(
        o,
        &call("publishCompetition(commandId: $c, competitionId: $id) { position }"),
        json!({"id": id}),
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_ppp_competition_runs_from_draft_to_completion_with_its_live_chat() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let o = person("organizer", "Ұйымдастырушы", 1, bin(1), "organizer");
    let head = person("head", "Басшы", 40, bin(40), "head");
    let user = person("initiator", "Бастамашы", 41, bin(41), "supplier");
    let citizen = person("citizen", "Азамат", 42, bin(42), "supplier");
    let id = Uuid::new_v4();
    draft_and_publish(&app, &o, &head, &user, id).await;

    let published = view(&app, None, id, Value::Null).await;
    assert_eq!(published["status"]["nameKk"], "Жарияланды");
    assert_eq!(published["lot"]["status"]["id"], "published");
    // Personal data stay with the organizer.
    assert_eq!(
        published["lot"]["statePartner"]["representativeIin"],
        Value::Null
    );
    assert_eq!(published["initiators"][0]["phone"], Value::Null);
    assert_eq!(published["discussion"]["open"], false);
    app.settle().await;
    let mine = app
        .ok(
            Some(&o),
            "{ myCompetitions { edges { node { id status { id } } } } }",
            Value::Null,
        )
        .await;
    assert_eq!(mine["myCompetitions"]["edges"][0]["node"]["id"], json!(id));

    // C3: the portal opens the discussion at its start; anonymous visitors follow the chat.
    let mut chat = app
        .subscribe_as(
            None,
            "subscription($id: UUID!) { competitionChat(id: $id) { messageId text authorBin } }",
            json!({"id": id}),
        )
        .await;
    app.clock.set(astana(&app.calendar, "2026-02-03 09:00"));
    open_discussion(&app, id).await;
    let open = view(&app, None, id, Value::Null).await;
    assert_eq!(open["status"]["id"], "published_discussion");
    assert_eq!(open["discussion"]["open"], true);

    // C4: a signed-in user posts; the chat hears it live.
    app.clock.set(astana(&app.calendar, "2026-02-03 10:00"));
    let message = Uuid::new_v4();
    let post = "mutation($c: UUID!, $id: UUID!, $m: UUID!, $ack: Boolean!) { postCompetitionMessage(commandId: $c, competitionId: $id, messageId: $m, text: \"Жобаның құны қандай?\", warningAcknowledged: $ack) { position } }";
    let unwarned = app
        .post(
            Some(&citizen),
            post,
            json!({"c": Uuid::new_v4(), "id": id, "m": message, "ack": false}),
        )
        .await;
    assert_eq!(
        unwarned["errors"][0]["extensions"]["code"],
        "chat_warning_not_acknowledged"
    );
    let anonymous = app
        .post(
            None,
            post,
            json!({"c": Uuid::new_v4(), "id": id, "m": message, "ack": true}),
        )
        .await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"],
        "unauthenticated"
    );
    app.ok(
        Some(&citizen),
        post,
        json!({"c": Uuid::new_v4(), "id": id, "m": message, "ack": true}),
    )
    .await;
    let heard = next(&mut chat).await;
    assert_eq!(
        heard["payload"]["data"]["competitionChat"]["messageId"],
        json!(message),
        "{heard}"
    );
    assert_eq!(
        heard["payload"]["data"]["competitionChat"]["authorBin"],
        citizen.org
    );
    let after_message = app.now();

    // C5: the edit is refused, in Kazakh and Russian; the message stays as sent.
    let edit = app.post(Some(&citizen), "mutation($c: UUID!, $id: UUID!, $m: UUID!) { editCompetitionMessage(commandId: $c, competitionId: $id, messageId: $m, text: \"Өзгертілген\") { position } }", json!({"c": Uuid::new_v4(), "id": id, "m": message})).await;
    let extensions = &edit["errors"][0]["extensions"];
    assert_eq!(extensions["code"], "message_immutable");
    assert!(
        extensions["messageKk"]
            .as_str()
            .is_some_and(|m| m.contains("өңдеуге"))
    );
    assert!(extensions["messageRu"].as_str().is_some());

    // The organizer, the initiator and the state partner are notified.
    app.settle().await;
    for who in [&o, &user, &head] {
        let notified = app
            .ok(
                Some(who),
                "{ myCompetitionNotifications { edges { node { messageId recipientRole } } } }",
                Value::Null,
            )
            .await;
        assert_eq!(
            notified["myCompetitionNotifications"]["edges"][0]["node"]["messageId"],
            json!(message),
            "{}",
            who.user
        );
    }

    // C6–C7: a negative conclusion; a positive one waits for the discussion's end.
    app.clock.set(astana(&app.calendar, "2026-02-04 10:00"));
    let conclude = "mutation($c: UUID!, $id: UUID!, $k: UUID!, $kind: ConclusionKind!, $f: FileRefInput) { initiateCompetitionConclusion(commandId: $c, competitionId: $id, conclusionId: $k, kind: $kind, justification: \"Негіздеме\", attachment: $f) { position } }";
    let conclusion = |kind: &str| json!({"c": Uuid::new_v4(), "id": id, "k": Uuid::new_v4(), "kind": kind, "f": file("conclusion")});
    app.ok(Some(&o), conclude, conclusion("negative")).await;
    let after_negative = app.now();
    let early = app.post(Some(&o), conclude, conclusion("positive")).await;
    assert_eq!(
        early["errors"][0]["extensions"]["code"],
        "positive_before_discussion_end"
    );

    app.clock.set(astana(&app.calendar, "2026-02-06 10:00"));
    let late = app
        .post(
            Some(&citizen),
            post,
            json!({"c": Uuid::new_v4(), "id": id, "m": Uuid::new_v4(), "ack": true}),
        )
        .await;
    assert_eq!(late["errors"][0]["extensions"]["code"], "discussion_ended");
    app.ok(Some(&o), conclude, conclusion("positive")).await;
    let after_positive = app.now();
    app.clock.set(after_positive + Duration::hours(1));

    // C8: the contract agreed; ten days on, 80 days are left.
    app.command(&o, "($c: UUID!, $id: UUID!) { agreeCompetitionContract(commandId: $c, competitionId: $id, info: \"Шарт жобасы келісілді\") { position } }", json!({"id": id})).await;
    app.clock.set(app.now() + Duration::days(10));
    let approving = view(&app, None, id, Value::Null).await;
    assert_eq!(approving["status"]["nameKk"], "УО шартының жобасын келісу");
    assert_eq!(approving["contract"]["daysLeft"], 80);

    // C9: completion with its results protocol.
    app.command(&o, "($c: UUID!, $id: UUID!, $f: FileRefInput) { completeCompetition(commandId: $c, competitionId: $id, justification: \"Шарт жасалды\", attachment: $f) { position } }", json!({"id": id, "f": file("results")})).await;
    let done = view(&app, None, id, Value::Null).await;
    assert_eq!(done["status"]["nameKk"], "Аяқталды");
    let protocol = &done["resultsProtocol"];
    assert_eq!(
        (
            protocol["negativeConclusions"].as_i64(),
            protocol["positiveConclusion"].as_bool(),
            protocol["contractAgreed"].as_bool()
        ),
        (Some(1), Some(true), Some(true))
    );

    // As of each instant, the auditors see the chat and the conclusions as they stood.
    let as_of = |t: DateTime<Utc>| json!({"instant": t});
    let at_message = view(&app, None, id, as_of(after_message)).await;
    assert_eq!(
        at_message["discussion"]["messages"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_eq!(at_message["conclusions"], json!([]));
    assert_eq!(at_message["status"]["id"], "published_discussion");
    let at_negative = view(&app, None, id, as_of(after_negative)).await;
    assert_eq!(
        at_negative["conclusions"],
        json!([{"kind": "negative", "justification": "Негіздеме"}])
    );
    let at_positive = view(&app, None, id, as_of(after_positive)).await;
    assert_eq!(at_positive["conclusions"].as_array().map(Vec::len), Some(2));
    assert_eq!(at_positive["status"]["id"], "draft_contract_approval");
    assert_eq!(at_positive["contract"], Value::Null);
    let before = view(
        &app,
        None,
        id,
        as_of(astana(&app.calendar, "2026-02-01 09:00")),
    )
    .await;
    assert_eq!(before, Value::Null);
}
