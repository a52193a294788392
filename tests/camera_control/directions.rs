//! One notice per direction (L10864–10914), each to its remedy: cancellation, an objection, the
//! ППД revision, the results revision and the documentation change through the copy.

use super::*;

/// Direction 1 (L10864–10872): a notice on a lot under discussion, «Опубликовано». Delivery blocks
/// every action of the organizer's users until «Ознакомлен» (L10930–10944); the organizer hears of
/// it (`newNotice`); the inspector may not act on the procurement; «Отменить закупку» executes it
/// (L12087–12175). Who reads the journal: the organisation and the auditors, never a supplier.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_one_blocks_until_acknowledged_and_cancellation_executes_it() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-CC1-1", "PI-CC1-2");
    published(&app, &c, id, &[pi1, pi2]).await;

    let mut heard = app
        .subscribe(
            &c.organizer,
            "subscription { newNotice { id planItemId direction { id } status { original } } }",
            Value::Null,
        )
        .await;
    let notice = Uuid::new_v4();
    let delivered = deliver(&app, &c, id, notice, pi1, "1", "cancel_procurement").await;
    let told = next(&mut heard).await;
    assert_eq!(
        told["payload"]["data"]["newNotice"]["id"],
        json!(notice),
        "{told}"
    );
    assert_eq!(
        told["payload"]["data"]["newNotice"]["status"]["original"],
        "Доставлено"
    );

    // Unread, the notice blocks the organizer's users (L10934–10944).
    let blocked = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!) { formDiscussionProtocol(commandId: $c, announcementId: $a) { version } }",
        json!({"c": Uuid::new_v4(), "a": id})).await;
    assert_eq!(blocked, "unread_notice_block");

    // The journal: the organisation and the auditors read it, a supplier reads nothing.
    let mine = journal(&app, &c.organizer, &c.organizer.org, &delivered["position"]).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["direction"]["original"], "первое");
    assert_eq!(mine[0]["status"]["id"], "delivered");
    assert_eq!(
        journal(&app, &c.inspector, &c.organizer.org, &delivered["position"])
            .await
            .len(),
        1
    );
    assert!(
        journal(&app, &c.committee, &c.organizer.org, &delivered["position"])
            .await
            .len()
            == 1
    );
    assert!(
        journal(
            &app,
            &c.suppliers[0],
            &c.organizer.org,
            &delivered["position"]
        )
        .await
        .is_empty()
    );
    assert!(
        journal(&app, &c.customer, &c.organizer.org, &delivered["position"])
            .await
            .is_empty(),
        "another organisation's notices"
    );
    let hidden = app
        .ok(
            Some(&c.suppliers[0]),
            ANNOUNCEMENT_NOTICES,
            json!({"a": id, "p": delivered["position"]}),
        )
        .await;
    assert_eq!(hidden["announcementNotices"], Value::Null);
    let anonymous = app
        .refused(
            None,
            JOURNAL,
            json!({"o": c.organizer.org, "s": null, "p": null}),
        )
        .await;
    assert_eq!(anonymous, "unauthenticated");
    let bad_status = app
        .refused(
            Some(&c.organizer),
            JOURNAL,
            json!({"o": c.organizer.org, "s": "read", "p": null}),
        )
        .await;
    assert_eq!(bad_status, "invalid_input");
    let bad_bin = app
        .refused(
            Some(&c.organizer),
            JOURNAL,
            json!({"o": "123456789012", "s": null, "p": null}),
        )
        .await;
    assert_eq!(bad_bin, "invalid_bin");

    // The inspector does not act on the procurement itself.
    let inspector_acks = app.refused(Some(&c.inspector), "mutation($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "n": notice})).await;
    assert_eq!(inspector_acks, "auditor_cannot_act_on_procurement");
    let inspector_cancels = app.refused(Some(&c.inspector), "mutation($c: UUID!, $a: UUID!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: [\"PI-CC1-1\"]) { version } }",
        json!({"c": Uuid::new_v4(), "a": id})).await;
    assert_eq!(inspector_cancels, "auditor_cannot_act_on_procurement");

    // Any employee of the organizer acknowledges (L10942–10944, L11101–11103).
    let read = acknowledge(&app, &c.organizer, id, notice).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &read["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Ознакомлен");
    assert!(!mine[0]["acknowledgedAt"].is_null());

    // «Отменить закупку» → «Отмена по результатам камерального контроля» (L12093): executed.
    let cancelled = cancel_by_notices(&app, &c, id, &[pi1]).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &cancelled["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
    assert_eq!(mine[0]["route"], "cancellation");
    assert_eq!(mine[0]["remainingDays"], Value::Null);
    let lots = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { lots { planItemId status { id } } } }",
            json!({"a": id}),
        )
        .await;
    let lot = |pi: &str| {
        lots["announcement"]["lots"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["planItemId"] == pi))
            .map(|l| l["status"]["id"].clone())
    };
    assert_eq!(lot(pi1), Some(json!("cancelled")));
    assert_ne!(lot(pi2), Some(json!("cancelled")));

    // The announcement's camera control, with its timeline.
    let own = app
        .ok(
            Some(&c.organizer),
            ANNOUNCEMENT_NOTICES,
            json!({"a": id, "p": cancelled["position"]}),
        )
        .await;
    let events: Vec<&str> = own["announcementNotices"]["timeline"]
        .as_array()
        .map(|t| t.iter().filter_map(|e| e["eventType"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        events,
        [
            "NoticeDelivered",
            "NoticeAcknowledged",
            "NoticesSelectedForCancellation",
            "LotsCancelledByNotices"
        ]
    );
}

/// Direction 2 (L10882–10896): notices while applications are accepted. The journal counts the
/// days left in calendar days (L10966–10976) and moves with the clock. An objection goes through
/// approval and signing to the Committee, stopping the countdown (L11142–11386); the organizer
/// cannot conclude it, the Committee does. A countdown of 10 working days from the day after
/// delivery (L10946–10948) runs out: «Не исполнено. Ознакомлен», and only cancellation executes
/// it then (L10966–10972).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_two_objection_conclusion_and_an_expired_countdown() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-CC2-1", "PI-CC2-2");
    published(&app, &c, id, &[pi1, pi2]).await;
    accepting(&app, &c, id).await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "published_accepting_applications"
    );

    let (objected, expiring) = (Uuid::new_v4(), Uuid::new_v4());
    deliver(&app, &c, id, objected, pi1, "2", "cancel_procurement").await;
    let delivered = deliver(&app, &c, id, expiring, pi2, "2", "cancel_procurement").await;

    // 10 working days from the day after delivery; the journal shows the calendar days to go.
    let today = calendar.to_local_date(app.now()).expect("a date");
    let last_day = calendar.add_working_days(today, 10).expect("calendar");
    let mine = journal(&app, &c.organizer, &c.organizer.org, &delivered["position"]).await;
    let notice = on_lot(&mine, pi2);
    assert_eq!(date(&notice["executionDeadline"]), last_day);
    assert_eq!(
        notice["remainingDays"]["calendarDays"],
        json!((last_day - today).num_days())
    );
    assert_eq!(notice["remainingDays"]["workingDays"], json!(10));
    app.clock.set(app.now() + Duration::days(3));
    let later = journal(&app, &c.organizer, &c.organizer.org, &delivered["position"]).await;
    assert_eq!(
        on_lot(&later, pi2)["remainingDays"]["calendarDays"],
        json!((last_day - today).num_days() - 3),
        "counted for now"
    );

    // Both read, each by any employee; then the objection to the first.
    for n in [objected, expiring] {
        acknowledge(&app, &c.member_b, id, n).await;
    }
    let objection = Uuid::new_v4();
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!, $n: UUID!, $i: String!) { saveObjection(commandId: $c, announcementId: $a, objectionId: $o, noticeId: $n, descriptionRu: \"Нарушение отсутствует\", approverIin: $i) { version } }",
        json!({"a": id, "o": objection, "n": objected, "i": c.chairman.iin})).await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!) { submitObjectionForApproval(commandId: $c, announcementId: $a, objectionId: $o) { version } }",
        json!({"a": id, "o": objection})).await;
    app.command(&c.chairman, "($c: UUID!, $a: UUID!, $o: UUID!) { approveObjection(commandId: $c, announcementId: $a, objectionId: $o, approverPosition: \"Руководитель\", approverFullName: \"Жумабаев Ерлан\") { version } }",
        json!({"a": id, "o": objection})).await;
    let signed = app.command(&c.chairman, "($c: UUID!, $a: UUID!, $o: UUID!) { signObjection(commandId: $c, announcementId: $a, objectionId: $o) { version position } }",
        json!({"a": id, "o": objection})).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &signed["position"]).await;
    let under = on_lot(&mine, pi1);
    assert_eq!(under["status"]["original"], "На возражении");
    assert_eq!(under["objections"][0]["status"]["id"], "delivered");
    assert!(!under["objections"][0]["sentAt"].is_null());

    // The organizer cannot write the conclusion; the Committee can (L11364–11386).
    let conclude = "mutation($c: UUID!, $a: UUID!, $o: UUID!) { concludeObjection(commandId: $c, announcementId: $a, objectionId: $o, conclusion: \"positive\") { version position } }";
    let organizer_concludes = app
        .refused(
            Some(&c.organizer),
            conclude,
            json!({"c": Uuid::new_v4(), "a": id, "o": objection}),
        )
        .await;
    assert_eq!(organizer_concludes, "forbidden_role");
    let concluded = app
        .ok(
            Some(&c.committee),
            conclude,
            json!({"c": Uuid::new_v4(), "a": id, "o": objection}),
        )
        .await;
    let mine = journal(
        &app,
        &c.organizer,
        &c.organizer.org,
        &concluded["concludeObjection"]["position"],
    )
    .await;
    assert_eq!(
        on_lot(&mine, pi1)["status"]["original"],
        "Исполнено. Положительное заключение"
    );
    assert_eq!(
        on_lot(&mine, pi1)["objections"][0]["conclusion"]["id"],
        "positive"
    );

    // The other countdown runs out: the scheduler expires it once the clock passes its end.
    let expires_at: DateTime<Utc> = on_lot(&mine, pi2)["expiresAt"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an instant");
    app.fire(id, "expire_notices", expires_at + Duration::minutes(1))
        .await;
    let expired = expired_notice(&app, &c.organizer, "not_executed_acknowledged").await;
    let expired = &expired;
    assert_eq!(expired["id"], json!(expiring));
    assert_eq!(expired["status"]["original"], "Не исполнено. Ознакомлен");
    assert_eq!(expired["remainingDays"], Value::Null);

    // Cancellation still executes an expired notice.
    let cancelled = cancel_by_notices(&app, &c, id, &[pi2]).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &cancelled["position"]).await;
    assert_eq!(on_lot(&mine, pi2)["status"]["original"], "Исполнено");

    let own = app
        .ok(
            Some(&c.inspector),
            ANNOUNCEMENT_NOTICES,
            json!({"a": id, "p": cancelled["position"]}),
        )
        .await;
    assert_eq!(
        own["announcementNotices"]["objections"][0]["status"]["original"],
        "Положительно"
    );
    assert!(
        own["announcementNotices"]["timeline"]
            .as_array()
            .is_some_and(|t| t
                .iter()
                .any(|e| e["eventType"] == "NoticeExpired" && e["actorRole"] == "system")),
        "{own}"
    );

    // Rebuilt from the events, the read model answers the same.
    app.settle().await;
    let before = journal(&app, &c.organizer, &c.organizer.org, &Value::Null).await;
    zakup_projections::rebuild(
        &app.pool,
        app.store.as_ref(),
        &zakup_projections::notices::Notices::new(),
        |_, _| {},
    )
    .await
    .expect("rebuild");
    app.settle().await;
    assert_eq!(
        journal(&app, &c.organizer, &c.organizer.org, &Value::Null).await,
        before
    );
}

/// Direction 3 (L10898–10904): a notice within three working days of the ППД, «Опубликовано
/// (дополнение заявок)». «Пересмотр ППД» waits for the end of the supplements (L10958–10962), then
/// the announcement decides on the revision (L12439–12455); the revision's «Завершить голосование»
/// executes the notice pending the inspector (L12522–12530), who confirms it (L11026–11036).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_three_ppd_revision_executed_and_confirmed() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CC3-1";
    let applications = supplementing(&app, &c, id, pi).await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "published_supplementing_applications"
    );
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "3", "revise_ppd").await;
    acknowledge(&app, &c.secretary, id, notice).await;
    let early = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { startPpdRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "l": [pi]})).await;
    assert_eq!(early, "supplement_period_not_ended");

    app.fire(
        id,
        "end_supplement_period",
        deadline(&app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "deciding_ppd_revision"
    );
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { startPpdRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    assert_eq!(status(&app, &c.organizer, id).await, "ppd_revision");
    // «Кворум достигнут» with the first review's votes, to withdraw and re-cast (L12512–12536,
    // docs/decisions/0309).
    let control = voting_control(&app, &c, id).await;
    assert_eq!(control["status"]["id"], "quorum_reached", "{control}");
    let rejected = control["applications"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|t| t["applicationId"] == applications[1].to_string())
        })
        .cloned()
        .expect("the rejected application is under review again");
    assert_eq!(
        (&rejected["admitted"], &rejected["notAdmitted"]),
        (&json!(0), &json!(3))
    );
    let cast = "mutation($c: UUID!, $a: UUID!, $app: UUID!, $b: BallotInput!) { castVote(commandId: $c, announcementId: $a, applicationId: $app, ballot: $b) { version } }";
    let twice = app
        .refused(
            Some(&c.member_a),
            cast,
            json!({"c": Uuid::new_v4(), "a": id, "app": applications[1], "b": ballot(&[pi], None)}),
        )
        .await;
    assert_eq!(twice, "already_voted");
    for member in [&c.chairman, &c.member_a] {
        app.command(member, "($c: UUID!, $a: UUID!, $app: UUID!) { withdrawVote(commandId: $c, announcementId: $a, applicationId: $app) { version } }",
            json!({"a": id, "app": applications[1]})).await;
        vote(&app, member, id, applications[1], ballot(&[pi], None)).await;
    }
    let completed = simple(&app, &c.secretary, id, "completeVoting").await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &completed["position"]).await;
    assert_eq!(
        mine[0]["status"]["original"],
        "Исполнено. На подтверждении у проверяющего"
    );
    assert_eq!(mine[0]["route"], "ppd_revision");
    // Two of three now admit the second supplier: nobody is rejected, no new ППД is needed.
    let no_ppd = app
        .refused(
            Some(&c.secretary),
            "mutation($c: UUID!, $a: UUID!) { formPreliminaryAdmissionProtocol(commandId: $c, announcementId: $a) { version } }",
            json!({"c": Uuid::new_v4(), "a": id}),
        )
        .await;
    assert_eq!(no_ppd, "no_rejected_applications");

    let organizer_confirms = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $n: UUID!) { confirmExecution(commandId: $c, announcementId: $a, noticeId: $n) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "n": notice})).await;
    assert_eq!(organizer_confirms, "forbidden_role");
    let confirmed = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!) { confirmExecution(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    let mine = journal(&app, &c.inspector, &c.organizer.org, &confirmed["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
}

/// Direction 4 (L10910–10914): a notice between the results protocol and the end of the
/// complaint period, «Завершено» → «Принятие решения по исполнению уведомления» (L12612–12616);
/// «Пересмотр итогов» (L12722–12781) and its «Завершить голосование» execute it pending the
/// inspector (L12785–12793), who confirms it (L11026–11036).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_four_results_revision_executed_and_confirmed() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CC4-1";
    let applications = supplementing(&app, &c, id, pi).await;
    complete(&app, &c, id, pi, applications).await;
    assert_eq!(status(&app, &c.organizer, id).await, "completed");

    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "4", "revise_results").await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "deciding_notice_execution"
    );
    acknowledge(&app, &c.secretary, id, notice).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { startResultsRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": [pi]})).await;
    assert_eq!(status(&app, &c.organizer, id).await, "results_revision");
    let completed = simple(&app, &c.secretary, id, "completeVoting").await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &completed["position"]).await;
    assert_eq!(mine[0]["direction"]["id"], "4");
    assert_eq!(
        mine[0]["status"]["original"],
        "Исполнено. На подтверждении у проверяющего"
    );
    assert_eq!(mine[0]["route"], "results_revision");
    let confirmed = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!) { confirmExecution(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    let mine = journal(&app, &c.committee, &c.organizer.org, &confirmed["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
}

/// Direction 1, remedy «Внесение изменения в документацию» (L10864–10872), S13: executable only
/// once the discussion is over (L10950–10954); «Внести изменения в документацию» puts the notice
/// «На исполнении» (L11909–11985); the discussion protocol, published by its signature, makes
/// the copy «Проект. Изменение документации», which takes the notice over (L12039–12045,
/// L12077–12085); publishing the copy executes it pending the inspector (L11038–11048), who
/// confirms it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_one_documentation_change_through_the_copy_to_the_inspectors_confirmation() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CC5-1";
    published(&app, &c, id, &[pi]).await;
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "1", "change_documentation").await;
    acknowledge(&app, &c.chairman, id, notice).await;
    let change = "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { changeDocumentationByNotices(commandId: $c, announcementId: $a, planItemIds: $l) { version position } }";
    let early = app
        .refused(
            Some(&c.secretary),
            change,
            json!({"c": Uuid::new_v4(), "a": id, "l": [pi]}),
        )
        .await;
    assert_eq!(early, "discussion_not_completed");
    // A cancellation is not what this notice asks for.
    let cancel = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "l": [pi]})).await;
    assert_eq!(cancel, "remedy_mismatch");

    // The notice holds the automatic protocol back: the discussion just ends (L1574–1578).
    app.fire(
        id,
        "end_discussion",
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;
    let started = app
        .ok(
            Some(&c.secretary),
            change,
            json!({"c": Uuid::new_v4(), "a": id, "l": [pi]}),
        )
        .await;
    let mine = journal(
        &app,
        &c.organizer,
        &c.organizer.org,
        &started["changeDocumentationByNotices"]["position"],
    )
    .await;
    assert_eq!(mine[0]["status"]["original"], "На исполнении");
    assert_eq!(mine[0]["route"], "documentation_change");
    assert_eq!(
        mine[0]["remainingDays"],
        Value::Null,
        "no countdown in execution"
    );

    // The discussion protocol with its signer (L11987–12037): the signature publishes it
    // (L12033–12047, decision 0606).
    app.command(&c.organizer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.organizer.iin, "k": c.organizer.public_key_hex()})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.organizer.json()]})).await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    let published_protocol = sign(&app, &c, id, "discussion", &[&c.organizer]).await;
    let again = app
        .refused(
            Some(&c.secretary),
            "mutation($c: UUID!, $a: UUID!, $k: String!) { publishProtocol(commandId: $c, announcementId: $a, kind: $k) { version } }",
            json!({"c": Uuid::new_v4(), "a": id, "k": "discussion"}),
        )
        .await;
    assert_eq!(again, "protocol_already_published");
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "documentation_changed"
    );

    // The copy has taken the notice over, still in execution.
    app.settle().await;
    let mine = journal(
        &app,
        &c.organizer,
        &c.organizer.org,
        &published_protocol["position"],
    )
    .await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let copy: Uuid = mine[0]["announcementId"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("the copy's id");
    assert_ne!(copy, id);
    assert_eq!(mine[0]["status"]["original"], "На исполнении");
    assert_eq!(
        status(&app, &c.organizer, copy).await,
        "draft_documentation_change"
    );
    assert_eq!(
        status(&app, &c.suppliers[0], copy).await,
        "",
        "an unpublished copy is the organizer's own"
    );
    // The lots follow: the original's «Изменена документация», the copy's «Проект. Изменение
    // документации» (L12039–12045).
    for (announcement, expected) in [
        (id, "documentation_changed"),
        (copy, "draft_documentation_change"),
    ] {
        let d = app
            .ok(
                Some(&c.organizer),
                "query($a: UUID!) { announcement(id: $a) { lots { planItemId status { id } } } }",
                json!({"a": announcement}),
            )
            .await;
        assert_eq!(
            d["announcement"]["lots"][0]["status"]["id"], expected,
            "{d}"
        );
    }

    // The secretary changes the lot's documentation in the copy and publishes it.
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!) { removeTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i) { version } }",
        json!({"a": copy, "i": pi})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $s: TechnicalSpecificationInput!) { attachTechnicalSpecification(commandId: $c, announcementId: $a, planItemId: $i, specification: $s) { version } }",
        json!({"a": copy, "i": pi, "s": {"form": "template", "descriptionKk": "Жаңа сипаттама", "descriptionRu": "Новое описание",
            "characteristicsKk": "Сипаттамалар", "characteristicsRu": "Характеристики", "signedDocument": file("spec-2")}})).await;
    let start = app.working_days_after(1);
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }",
        json!({"a": copy, "s": start, "e": start + Duration::days(20)})).await;
    let republished = simple(&app, &c.secretary, copy, "publish").await;
    let mine = journal(
        &app,
        &c.organizer,
        &c.organizer.org,
        &republished["position"],
    )
    .await;
    assert_eq!(
        mine[0]["status"]["original"],
        "Исполнено. На подтверждении у проверяющего"
    );
    let confirmed = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!) { confirmExecution(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": copy, "n": notice})).await;
    let mine = journal(&app, &c.inspector, &c.organizer.org, &confirmed["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
}

/// Direction 4 by «Отменить закупку» (L12644, L12127–12175): the only lot is cancelled «Отмена на
/// основании электронных уведомлений», and the notice is executed outright (L11026–11028).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn direction_four_cancellation_executes_the_notice() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CC6-1";
    let applications = supplementing(&app, &c, id, pi).await;
    complete(&app, &c, id, pi, applications).await;
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "4", "cancel_procurement").await;
    acknowledge(&app, &c.organizer, id, notice).await;
    let revise = app.refused(Some(&c.secretary), "mutation($c: UUID!, $a: UUID!, $l: [String!]!) { startResultsRevision(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "l": [pi]})).await;
    assert_eq!(revise, "remedy_mismatch");
    let cancelled = cancel_by_notices(&app, &c, id, &[pi]).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &cancelled["position"]).await;
    assert_eq!(mine[0]["status"]["original"], "Исполнено");
    assert_eq!(mine[0]["route"], "cancellation");
    assert_eq!(status(&app, &c.organizer, id).await, "cancelled");
}
