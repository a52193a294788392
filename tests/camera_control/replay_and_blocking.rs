//! The auditors' replay of camera control, notices that expire unread, and the portal-wide block.

use super::*;

/// The auditors' replay of camera control (issue 5): each notice as it stood, its days left then,
/// its objection, and the camera events, sealed from anyone who may not read camera control.
const AS_OF: &str = "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) {
    version at
    notices { id planItemId status { id original } open executionDeadline stoppedOn route
              remainingDays { calendarDays workingDays } }
    objections { number status { id } conclusion { id } }
    protocols { kind { id } version validity { id original } deletedAt }
    events { version eventType sealed recordedAt occurredAt } } }";

async fn as_of(app: &App, who: &Person, id: Uuid, as_of: Value) -> Value {
    app.ok(Some(who), AS_OF, json!({"a": id, "asOf": as_of}))
        .await["announcement"]
        .clone()
}

/// S9 (L11134–11386, spec §5.2) over HTTP: a signed objection stops the countdown with the working
/// days left; a negative conclusion («Исполнить. Отрицательное заключение») resumes it with those
/// days from the conclusion (docs/decisions/0301-objection-countdown.md) and the notice must be
/// executed. The auditors' replay as of each version shows the notice's status and days left then.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s9_negative_conclusion_resumes_the_countdown_and_the_replay_shows_each_step() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-CC7-1", "PI-CC7-2");
    published(&app, &c, id, &[pi1, pi2]).await;
    accepting(&app, &c, id).await;
    let notice = Uuid::new_v4();
    let delivered = deliver(&app, &c, id, notice, pi1, "2", "cancel_procurement").await;
    let delivery_day = calendar.to_local_date(app.now()).expect("a date");
    acknowledge(&app, &c.secretary, id, notice).await;

    // Signed on the third working day after delivery: 7 of the 10 working days are left.
    app.clock.set(app.working_days_after(3));
    let objection = Uuid::new_v4();
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!, $n: UUID!, $i: String!) { saveObjection(commandId: $c, announcementId: $a, objectionId: $o, noticeId: $n, descriptionRu: \"Нарушение отсутствует\", approverIin: $i) { version } }",
        json!({"a": id, "o": objection, "n": notice, "i": c.organizer.iin})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!) { submitObjectionForApproval(commandId: $c, announcementId: $a, objectionId: $o) { version } }",
        json!({"a": id, "o": objection})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!) { approveObjection(commandId: $c, announcementId: $a, objectionId: $o, approverPosition: \"Руководитель\", approverFullName: \"Сейтқали Айгерім\") { version } }",
        json!({"a": id, "o": objection})).await;
    let signed = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!) { signObjection(commandId: $c, announcementId: $a, objectionId: $o) { version position } }",
        json!({"a": id, "o": objection})).await;
    let stopped_on = calendar.to_local_date(app.now()).expect("a date");
    let mine = journal(&app, &c.organizer, &c.organizer.org, &signed["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "На возражении");
    assert_eq!(mine[0]["remainingDays"]["workingDays"], json!(7));
    // Execution is closed while the Committee decides (L11360).
    let closed = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "l": [pi1]})).await;
    assert_eq!(closed, "notice_execution_closed");

    // The countdown stands still while the objection is pending, however long.
    app.clock.set(app.working_days_after(5));
    let paused = journal(&app, &c.organizer, &c.organizer.org, &signed["position"]).await;
    assert_eq!(paused[0]["remainingDays"]["workingDays"], json!(7));

    let concluded = app.command(&c.committee, "($c: UUID!, $a: UUID!, $o: UUID!) { concludeObjection(commandId: $c, announcementId: $a, objectionId: $o, conclusion: \"negative\") { version position } }",
        json!({"a": id, "o": objection})).await;
    let concluded_on = calendar.to_local_date(app.now()).expect("a date");
    let resumed_deadline = calendar
        .add_working_days(concluded_on, 7)
        .expect("calendar");
    let mine = journal(&app, &c.organizer, &c.organizer.org, &concluded["position"]).await;
    assert_eq!(
        mine[0]["status"]["original"],
        "Исполнить. Отрицательное заключение"
    );
    assert_eq!(mine[0]["objections"][0]["status"]["id"], "negative");
    assert_eq!(date(&mine[0]["executionDeadline"]), resumed_deadline);
    assert_eq!(mine[0]["remainingDays"]["workingDays"], json!(7));
    assert_eq!(
        mine[0]["remainingDays"]["calendarDays"],
        json!((resumed_deadline - concluded_on).num_days())
    );

    // The notice must be executed now, and is.
    let executed = cancel_by_notices(&app, &c, id, &[pi1]).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &executed["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");

    // The auditors' replay, version by version.
    let at_delivery = as_of(
        &app,
        &c.inspector,
        id,
        json!({"version": delivered["version"]}),
    )
    .await;
    let n = &at_delivery["notices"][0];
    assert_eq!(
        (&n["id"], &n["status"]["id"], &n["open"]),
        (&json!(notice), &json!("delivered"), &json!(true))
    );
    assert_eq!(n["remainingDays"]["workingDays"], json!(10));
    assert_eq!(
        date(&n["executionDeadline"]),
        calendar
            .add_working_days(delivery_day, 10)
            .expect("calendar")
    );
    assert_eq!(at_delivery["objections"], json!([]));

    let at_signing = as_of(
        &app,
        &c.inspector,
        id,
        json!({"version": signed["version"]}),
    )
    .await;
    let n = &at_signing["notices"][0];
    assert_eq!(n["status"]["original"], "На возражении");
    assert_eq!(date(&n["stoppedOn"]), stopped_on);
    assert_eq!(n["remainingDays"]["workingDays"], json!(7));
    assert_eq!(at_signing["objections"][0]["status"]["id"], "delivered");

    let at_conclusion = as_of(
        &app,
        &c.organizer,
        id,
        json!({"version": concluded["version"]}),
    )
    .await;
    let n = &at_conclusion["notices"][0];
    assert_eq!(n["status"]["id"], "to_execute_negative_conclusion");
    assert_eq!(date(&n["executionDeadline"]), resumed_deadline);
    assert_eq!(n["remainingDays"]["workingDays"], json!(7));
    assert_eq!(
        at_conclusion["objections"][0]["conclusion"]["id"],
        "negative"
    );

    let now = as_of(&app, &c.committee, id, Value::Null).await;
    let n = &now["notices"][0];
    assert_eq!(
        (
            &n["status"]["id"],
            &n["open"],
            &n["route"],
            &n["remainingDays"]
        ),
        (
            &json!("executed"),
            &json!(false),
            &json!("cancellation"),
            &Value::Null
        )
    );

    // As of the instant of the signature (the procedure's clock, decision 0660): the same
    // notice, still frozen at 7 days.
    let recorded = now["events"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["version"] == signed["version"]))
        .map(|e| e["occurredAt"].clone())
        .expect("the signing event");
    let at_instant = as_of(&app, &c.inspector, id, json!({"instant": recorded})).await;
    assert_eq!(at_instant["version"], signed["version"]);
    assert_eq!(at_instant["notices"], at_signing["notices"]);

    // A supplier replays the announcement but not its camera control, nor sees it in the
    // timeline; the organizer does.
    let organizers = timeline_types(&app, &c.organizer, id, &executed["position"]).await;
    assert!(
        organizers.iter().any(|t| t == "ObjectionSigned"),
        "{organizers:?}"
    );
    let suppliers = timeline_types(&app, &c.suppliers[0], id, &executed["position"]).await;
    assert!(!suppliers.is_empty());
    assert!(
        !suppliers
            .iter()
            .any(|t| t.starts_with("Notice") || t.starts_with("Objection")),
        "{suppliers:?}"
    );
    let supplier = as_of(&app, &c.suppliers[0], id, Value::Null).await;
    assert_eq!(supplier["notices"], json!([]));
    assert_eq!(supplier["objections"], json!([]));
    assert!(
        supplier["events"].as_array().is_some_and(|all| all
            .iter()
            .filter(|e| e["eventType"] == "NoticeDelivered")
            .all(|e| e["sealed"] == true)),
        "{supplier}"
    );
}

/// A notice nobody reads (L10966–10968, L11022–11024): its countdown runs out «Не исполнено. Не
/// ознакомлен», it still blocks the organizer's users (docs/decisions/0302), «Ознакомлен» makes it
/// «Не исполнено. Ознакомлен», and only cancellation executes it then (L10970–10972).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_notice_never_acknowledged_expires_unread_and_still_blocks() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-CC8-1", "PI-CC8-2");
    published(&app, &c, id, &[pi1, pi2]).await;
    accepting(&app, &c, id).await;
    let notice = Uuid::new_v4();
    let delivered = deliver(&app, &c, id, notice, pi1, "2", "cancel_procurement").await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &delivered["position"]).await;
    let expires_at: DateTime<Utc> = mine[0]["expiresAt"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an instant");

    app.fire(id, "expire_notices", expires_at + Duration::minutes(1))
        .await;
    let expired = expired_notice(&app, &c.organizer, "not_executed_unacknowledged").await;
    let expired = &expired;
    assert_eq!(expired["id"], json!(notice));
    assert_eq!(expired["status"]["original"], "Не исполнено. Не ознакомлен");
    assert_eq!(expired["acknowledgedAt"], Value::Null);
    assert_eq!(expired["remainingDays"], Value::Null);
    assert_eq!(expired["cancellationOnly"], json!(true));

    // Still unread, so still blocking.
    let blocked = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "l": [pi1]})).await;
    assert_eq!(blocked, "unread_notice_block");
    let other = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!) { formDiscussionProtocol(commandId: $c, announcementId: $a) { version } }",
        json!({"c": Uuid::new_v4(), "a": id})).await;
    assert_eq!(other, "unread_notice_block");

    let read = acknowledge(&app, &c.member_a, id, notice).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &read["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Не исполнено. Ознакомлен");
    let cancelled = cancel_by_notices(&app, &c, id, &[pi1]).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &cancelled["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "published_accepting_applications",
        "the other lot goes on"
    );
}

/// Direction 4 with the inspector refusing (L11050–11060): the results revision is completed, its
/// new results protocol deleted once before publication (S2) and then published, but the inspector does not confirm the execution: «Исполнено.
/// Не подтверждено проверяющим», final (docs/decisions/0306). The auditors' replay shows which
/// results protocol was valid when: the first until the revision's was published (L10506–10510).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_four_not_confirmed_and_the_replay_shows_which_results_protocol_was_valid() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CC9-1";
    let applications = supplementing(&app, &c, id, pi).await;
    let first_results = complete(&app, &c, id, pi, applications).await;

    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "4", "revise_results").await;
    acknowledge(&app, &c.secretary, id, notice).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { startResultsRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    let voted = simple(&app, &c.secretary, id, "completeVoting").await;
    // Before its publication the revision's protocol may be deleted (S2, L10500–10506).
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    simple(&app, &c.secretary, id, "deleteResultsProtocol").await;
    assert_eq!(status(&app, &c.organizer, id).await, "results_revision");
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    let second_results = sign_and_publish(&app, &c, id, "results", &quorum(&c)).await;
    let published_twice = app
        .refused(
            Some(&c.secretary),
            "mutation($c: UUID!, $a: UUID!) { deleteResultsProtocol(commandId: $c, announcementId: $a) { version } }",
            json!({"c": Uuid::new_v4(), "a": id}),
        )
        .await;
    assert_eq!(published_twice, "protocol_already_published");
    assert_eq!(status(&app, &c.organizer, id).await, "completed");

    let organizer_refuses = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $n: UUID!) { rejectExecution(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "n": notice})).await;
    assert_eq!(organizer_refuses, "forbidden_role");
    let refused = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!) { rejectExecution(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &refused["position"]).await;
    assert_eq!(
        mine[0]["status"]["original"],
        "Исполнено. Не подтверждено проверяющим"
    );
    assert_eq!(mine[0]["remainingDays"], Value::Null);

    let results = |view: &Value| -> Vec<(i64, String)> {
        view["protocols"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .filter(|p| p["kind"]["id"] == "results")
                    .map(|p| {
                        (
                            p["version"].as_i64().unwrap_or_default(),
                            p["validity"]["original"]
                                .as_str()
                                .unwrap_or_default()
                                .to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let before = as_of(
        &app,
        &c.inspector,
        id,
        json!({"version": first_results["version"]}),
    )
    .await;
    assert_eq!(results(&before), [(1, "Действительный".to_owned())]);
    assert_eq!(before["notices"], json!([]), "no notice yet");
    let revised = as_of(&app, &c.inspector, id, json!({"version": voted["version"]})).await;
    assert_eq!(results(&revised), [(1, "Действительный".to_owned())]);
    assert_eq!(
        revised["notices"][0]["status"]["id"],
        "executed_pending_confirmation"
    );
    let after = as_of(
        &app,
        &c.inspector,
        id,
        json!({"version": second_results["version"]}),
    )
    .await;
    // The deleted version 2 stays in the history; the one formed again is version 3 (spec
    // 000-A §6, decision 0605).
    assert_eq!(
        results(&after),
        [
            (1, "Не действительный".to_owned()),
            (2, "Не действительный".to_owned()),
            (3, "Действительный".to_owned())
        ]
    );
    let deleted = after["protocols"]
        .as_array()
        .and_then(|ps| {
            ps.iter()
                .find(|p| p["kind"]["id"] == "results" && p["version"] == 2)
        })
        .map(|p| p["deletedAt"].clone());
    assert!(deleted.is_some_and(|d| d.is_string()), "{after}");
    let now = as_of(&app, &c.committee, id, Value::Null).await;
    assert_eq!(
        (
            &now["notices"][0]["status"]["id"],
            &now["notices"][0]["open"]
        ),
        (&json!("executed_not_confirmed"), &json!(false))
    );
}

/// L11082–11088: «Система не позволит выполнять дальнейшие действия на Портале» — an unread
/// notice on announcement A blocks the organisation's users on announcement B too, until one of
/// them presses «Ознакомлен» on A; other organisations go on (docs/decisions/0310).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unread_notice_blocks_the_organisation_on_the_whole_portal_until_acknowledged() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let (a, b) = (Uuid::new_v4(), Uuid::new_v4());
    published(&app, &c, a, &["PI-PB-1"]).await;
    let create_b = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776706-1\", header: $h) { version } }";
    let header = json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Қағаз сатып алу", "nameRu": "Закупка бумаги",
        "amongDisabledOrganizations": false, "singleOrganizer": false});

    let notice = Uuid::new_v4();
    let delivered = deliver(&app, &c, a, notice, "PI-PB-1", "1", "cancel_procurement").await;
    // The block reads the journal's model: once it holds the delivery, B is closed to the
    // organisation's users.
    assert_eq!(
        journal(&app, &c.organizer, &c.organizer.org, &delivered["position"])
            .await
            .len(),
        1
    );
    let blocked = app
        .refused(
            Some(&c.secretary),
            &format!("mutation {create_b}"),
            json!({"c": Uuid::new_v4(), "a": b, "h": header}),
        )
        .await;
    assert_eq!(blocked, "unread_notice_block");
    // Another organisation is not blocked: the customer still asks for a procurement.
    app.command(&c.customer, "($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"100000.00\") { version } }",
        json!({"id": "PI-PB-2", "org": c.organizer.org})).await;

    // «Ознакомлен» on A stays open, and once the journal has it, B is open again.
    let read = acknowledge(&app, &c.secretary, a, notice).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &read["position"]).await;
    assert_eq!(mine[0]["status"]["id"], "acknowledged");
    app.command(&c.secretary, create_b, json!({"a": b, "h": header}))
        .await;
    assert_eq!(status(&app, &c.secretary, b).await, "draft");
}

/// The block is looked up in the notices read model before every command; without it the
/// command is refused rather than let through unchecked (docs/decisions/0310).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_the_notices_read_model_a_command_is_refused_not_let_through() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    sqlx::query("ALTER VIEW rm.notices RENAME TO notices_gone")
        .execute(&app.pool)
        .await
        .expect("the view is renamed");
    let refused = app.refused(Some(&c.customer), "mutation($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"100000.00\") { version } }",
        json!({"c": Uuid::new_v4(), "id": "PI-RM-1", "org": c.organizer.org})).await;
    assert_eq!(refused, "read_models_unavailable");
}
