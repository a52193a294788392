//! Camera control end to end (spec 000-D §4, seeds 000 L10840–12818), over HTTP against a real
//! server and real PostgreSQL with a manual clock: one notice per direction, delivery blocking the
//! organizer until «Ознакомлен», an objection concluded by the Committee, a countdown that
//! expires, «Журнал уведомлений» with its calendar days, and who may read and do what.

mod e2e;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use e2e::tender::{
    Cast, accepting, ballot, cast, deadline, file, published, quorum, sign_and_publish, simple,
    vote,
};
use e2e::{App, Person, astana, next, spawn_app};

const JOURNAL: &str = "query($o: String!, $s: String, $p: String) {
  notices(orgBin: $o, status: $s, minPosition: $p) { edges { node {
    id announcementId planItemId lotNumber direction { id original } remedy { id }
    status { id original } executionDeadline expiresAt acknowledgedAt route cancellationOnly
    remainingDays { calendarDays workingDays }
    objections { number status { id } conclusion { id } sentAt } } } } }";

const ANNOUNCEMENT_NOTICES: &str = "query($a: UUID!, $p: String) {
  announcementNotices(id: $a, minPosition: $p) {
    notices { id status { id } direction { id } }
    objections { number status { id original } conclusion { id } }
    timeline { eventType actorRole } } }";

const DELIVER: &str = "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!, $d: String!, $r: String!) {
  deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: $d,
    remedy: $r, text: \"Нарушение пункта 12 Правил\") { version position } }";

async fn status(app: &App, who: &Person, id: Uuid) -> String {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) { status { id } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["status"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The notices of the organizer's journal (as `who` sees it) once the read models hold `position`.
async fn journal(app: &App, who: &Person, org: &str, position: &Value) -> Vec<Value> {
    let data = app
        .ok(
            Some(who),
            JOURNAL,
            json!({"o": org, "s": null, "p": position}),
        )
        .await;
    data["notices"]["edges"]
        .as_array()
        .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
        .unwrap_or_default()
}

/// The first notice of the organizer's journal in `status`, once the scheduler's expiry has
/// reached the read models: `fire` returns no position to wait for, and a commit shows in the
/// global log shortly after it happens.
async fn expired_notice(app: &App, who: &Person, status: &str) -> Value {
    for _ in 0..200 {
        app.settle().await;
        let data = app
            .ok(
                Some(who),
                JOURNAL,
                json!({"o": who.org, "s": status, "p": null}),
            )
            .await;
        let first = &data["notices"]["edges"][0]["node"];
        if !first.is_null() {
            return first.clone();
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("no {status} notice in the journal");
}

/// The event types of the announcement's timeline (the read model), as `who` sees them.
async fn timeline_types(app: &App, who: &Person, id: Uuid, position: &Value) -> Vec<String> {
    let d = app
        .ok(
            Some(who),
            "query($p: String) { announcements(minPosition: $p) { edges { node { id
               timeline(first: 100) { edges { node { eventType } } } } } } }",
            json!({"p": position}),
        )
        .await;
    d["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .and_then(|e| e["node"]["timeline"]["edges"].as_array())
        .map(|t| {
            t.iter()
                .filter_map(|e| e["node"]["eventType"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn on_lot<'a>(notices: &'a [Value], plan_item: &str) -> &'a Value {
    notices
        .iter()
        .find(|n| n["planItemId"] == plan_item)
        .unwrap_or_else(|| panic!("no notice on {plan_item}: {notices:?}"))
}

async fn deliver(
    app: &App,
    c: &Cast,
    id: Uuid,
    notice: Uuid,
    plan_item: &str,
    direction: &str,
    remedy: &str,
) -> Value {
    app.command(
        &c.inspector,
        DELIVER,
        json!({"a": id, "n": notice, "i": plan_item, "d": direction, "r": remedy}),
    )
    .await
}

async fn acknowledge(app: &App, who: &Person, id: Uuid, notice: Uuid) -> Value {
    app.command(who, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await
}

/// «Отменить закупку» → the notice lots → «Отменить» (L12087–12175).
async fn cancel_by_notices(app: &App, c: &Cast, id: Uuid, plan_items: &[&str]) -> Value {
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $l: [String!]!) { selectLotsForCancellation(commandId: $c, announcementId: $a, planItemIds: $l) { version } }",
        json!({"a": id, "l": plan_items})).await;
    simple(app, &c.secretary, id, "cancelByNotices").await
}

/// A one-lot tender up to its published ППД: the second supplier is rejected on the lot and may
/// supplement («Опубликовано (дополнение заявок)»). Returns the two applications.
async fn supplementing(app: &App, c: &Cast, id: Uuid, pi: &str) -> [Uuid; 2] {
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(app, c, id, &[pi]).await;
    accepting(app, c, id).await;
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, (application, price)) in c
        .suppliers
        .iter()
        .zip(applications.iter().zip(["8900000.00", "8500000.00"]))
    {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi, "price": price}]})).await;
    }
    app.fire(
        id,
        "end_acceptance",
        deadline(app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(app, member, id, applications[0], ballot(&[pi], None)).await;
        vote(app, member, id, applications[1], ballot(&[pi], Some(pi))).await;
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    simple(app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    sign_and_publish(app, c, id, "preliminary_admission", &quorum(c)).await;
    applications
}

/// The supplement, the second round, the discounts and the results protocol: «Завершено».
async fn complete(app: &App, c: &Cast, id: Uuid, pi: &str, applications: [Uuid; 2]) -> Value {
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $l: [String!]!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: $l, documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "l": [pi], "d": [file("experience")]})).await;
    app.fire(
        id,
        "end_supplement_period",
        deadline(app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(app, member, id, applications[1], ballot(&[pi], None)).await;
    }
    simple(app, &c.secretary, id, "completeVoting").await;
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $i, entries: $e) { version } }",
        json!({"a": id, "i": pi, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    simple(app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(app, &c.secretary, id, "formResultsProtocol").await;
    sign_and_publish(app, c, id, "results", &quorum(c)).await
}

/// The lot's row of «Контроль голосования», replayed from the store.
async fn voting_control(app: &App, c: &Cast, id: Uuid) -> Value {
    let d = app
        .ok(
            Some(&c.secretary),
            "query($a: UUID!) { announcement(id: $a) { votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } } } }",
            json!({"a": id}),
        )
        .await;
    d["announcement"]["votingControl"][0].clone()
}

fn date(v: &Value) -> NaiveDate {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not a date: {v}"))
}

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
/// «На исполнении» (L11909–11985); the signed discussion protocol, once published, makes the copy
/// «Проект. Изменение документации», which takes the notice over (L12039–12045, L12077–12085);
/// publishing the copy executes it pending the inspector (L11038–11048), who confirms it.
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

    // The discussion protocol with its signer (L11987–12037), signed and published.
    app.command(&c.organizer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.organizer.iin, "k": c.organizer.public_key_hex()})).await;
    app.command(&c.secretary, "($c: UUID!, $a: UUID!, $s: [PersonInput!]!) { completeDiscussion(commandId: $c, announcementId: $a, signers: $s) { version } }",
        json!({"a": id, "s": [c.organizer.json()]})).await;
    simple(&app, &c.secretary, id, "formDiscussionProtocol").await;
    let published_protocol = sign_and_publish(&app, &c, id, "discussion", &[&c.organizer]).await;
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

/// The auditors' replay of camera control (issue 5): each notice as it stood, its days left then,
/// its objection, and the camera events, sealed from anyone who may not read camera control.
const AS_OF: &str = "query($a: UUID!, $asOf: AsOf) { announcement(id: $a, asOf: $asOf) {
    version at
    notices { id planItemId status { id original } open executionDeadline stoppedOn route
              remainingDays { calendarDays workingDays } }
    objections { number status { id } conclusion { id } }
    protocols { kind { id } version validity { id original } }
    events { version eventType sealed recordedAt } } }";

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

    // As of the instant the signature was recorded: the same notice, still frozen at 7 days.
    let recorded = now["events"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["version"] == signed["version"]))
        .map(|e| e["recordedAt"].clone())
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
    assert_eq!(
        results(&after),
        [
            (1, "Не действительный".to_owned()),
            (2, "Действительный".to_owned())
        ]
    );
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
