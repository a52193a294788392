//! The camera-control mutations no other test called through GraphQL (issue 24 item 6), each
//! asserting its effect on the read models: `deleteObjection`, `rejectObjection`,
//! `expireNotices`, `continueWithoutPpdRevisionByNotice` and `continueWithoutNoticeExecution`.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{accepting, cast, deadline, published};
use crate::e2e::{astana, spawn_app, system};
use crate::{ANNOUNCEMENT_NOTICES, acknowledge, complete, deliver, journal, status, supplementing};

const SAVE: &str = "($c: UUID!, $a: UUID!, $o: UUID!, $n: UUID!, $i: String!) { saveObjection(commandId: $c, announcementId: $a, objectionId: $o, noticeId: $n, descriptionRu: \"Нарушение отсутствует\", approverIin: $i) { version } }";
const DELETE: &str = "($c: UUID!, $a: UUID!, $o: UUID!) { deleteObjection(commandId: $c, announcementId: $a, objectionId: $o) { version position } }";

/// The objections of the announcement's camera control, as the organizer reads them once the
/// read models hold `position`.
async fn objections(
    app: &crate::e2e::App,
    c: &crate::e2e::tender::Cast,
    id: Uuid,
    position: &Value,
) -> Vec<Value> {
    let d = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!, $p: String) { announcementNotices(id: $a, minPosition: $p) {
               objections { id number status { id original } rejectionReason } } }",
            json!({"a": id, "p": position}),
        )
        .await;
    d["announcementNotices"]["objections"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("no camera control: {d}"))
}

/// Spec 000-D §4.4: a draft objection is deleted by any employee (L11392–11396); the approver
/// rejects one with a reason («Отклонено», L11321–11325), after which only its creator deletes
/// it. The notice's countdown, never stopped, runs out: «Не исполнено. Ознакомлен»
/// (L10966–10970, L11018).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn objections_deleted_and_rejected_and_the_notice_expires() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CCM-1";
    published(&app, &c, id, &[pi]).await;
    accepting(&app, &c, id).await;
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "2", "cancel_procurement").await;
    acknowledge(&app, &c.organizer, id, notice).await;

    // A draft, deleted by another employee.
    let draft = Uuid::new_v4();
    app.command(
        &c.organizer,
        SAVE,
        json!({"a": id, "o": draft, "n": notice, "i": c.chairman.iin}),
    )
    .await;
    let deleted = app
        .command(&c.member_b, DELETE, json!({"a": id, "o": draft}))
        .await;
    assert_eq!(
        objections(&app, &c, id, &deleted["position"]).await,
        Vec::<Value>::new()
    );

    // Submitted, rejected by the approver with the reason shown.
    let rejected = Uuid::new_v4();
    app.command(
        &c.organizer,
        SAVE,
        json!({"a": id, "o": rejected, "n": notice, "i": c.chairman.iin}),
    )
    .await;
    app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: UUID!) { submitObjectionForApproval(commandId: $c, announcementId: $a, objectionId: $o) { version } }",
        json!({"a": id, "o": rejected})).await;
    let reject = "($c: UUID!, $a: UUID!, $o: UUID!) { rejectObjection(commandId: $c, announcementId: $a, objectionId: $o, reason: \"Не приложено обоснование\") { version position } }";
    let refused = app
        .refused(
            Some(&c.member_b),
            &format!("mutation{reject}"),
            json!({"c": Uuid::new_v4(), "a": id, "o": rejected}),
        )
        .await;
    assert_eq!(refused, "not_the_approver");
    let answer = app
        .command(&c.chairman, reject, json!({"a": id, "o": rejected}))
        .await;
    let shown = objections(&app, &c, id, &answer["position"]).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0]["id"], json!(rejected));
    assert_eq!(shown[0]["status"]["id"], "rejected", "{shown:?}");
    assert_eq!(shown[0]["rejectionReason"], "Не приложено обоснование");

    // A rejected objection: not another employee's to delete, its creator's.
    let other = app
        .refused(
            Some(&c.member_b),
            &format!("mutation{DELETE}"),
            json!({"c": Uuid::new_v4(), "a": id, "o": rejected}),
        )
        .await;
    assert_eq!(other, "objection_not_editable");
    let gone = app
        .command(&c.organizer, DELETE, json!({"a": id, "o": rejected}))
        .await;
    assert_eq!(
        objections(&app, &c, id, &gone["position"]).await,
        Vec::<Value>::new()
    );

    // The countdown ran on: the portal's timed command expires the notice once it is due.
    let mine = journal(&app, &c.organizer, &c.organizer.org, &gone["position"]).await;
    let expires_at: DateTime<Utc> = mine[0]["expiresAt"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .expect("an instant");
    let expire = "($c: UUID!, $a: UUID!) { expireNotices(commandId: $c, announcementId: $a) { appended position } }";
    let early = app.command(&system(), expire, json!({"a": id})).await;
    assert_eq!(early["appended"], json!(0), "nothing is due yet: {early}");
    app.clock.set(expires_at + Duration::minutes(1));
    let expired = app.command(&system(), expire, json!({"a": id})).await;
    let mine = journal(&app, &c.organizer, &c.organizer.org, &expired["position"]).await;
    assert_eq!(
        mine[0]["status"]["original"], "Не исполнено. Ознакомлен",
        "{mine:?}"
    );
}

/// Direction 3 (L10898–10904), «Продолжить закупку без пересмотра ППД» (L12457,
/// L12542–12552): the secretary declines the revision; the procedure goes on, and the notice can
/// then be executed only by cancelling the procurement.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn continuing_without_the_ppd_revision() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CCM-3";
    supplementing(&app, &c, id, pi).await;
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "3", "revise_ppd").await;
    acknowledge(&app, &c.secretary, id, notice).await;
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
    let continued = app
        .command(&c.secretary, "($c: UUID!, $a: UUID!) { continueWithoutPpdRevisionByNotice(commandId: $c, announcementId: $a) { version position status { id } } }",
            json!({"a": id}))
        .await;
    let now = continued["status"]["id"]
        .as_str()
        .expect("a status")
        .to_owned();
    assert_ne!(now, "deciding_ppd_revision");
    assert_eq!(status(&app, &c.organizer, id).await, now);
    let mine = journal(&app, &c.organizer, &c.organizer.org, &continued["position"]).await;
    assert_eq!(mine[0]["id"], json!(notice));
    // Not executed: only a cancellation can still execute it (the route is closed).
    assert_eq!(mine[0]["status"]["id"], "acknowledged", "{mine:?}");
    assert_eq!(mine[0]["cancellationOnly"], json!(true), "{mine:?}");
    let d = app
        .ok(
            Some(&c.organizer),
            ANNOUNCEMENT_NOTICES,
            json!({"a": id, "p": continued["position"]}),
        )
        .await;
    assert!(
        d["announcementNotices"]["timeline"]
            .as_array()
            .is_some_and(|t| t
                .iter()
                .any(|e| e["eventType"] == "ContinuedWithoutPpdRevision")),
        "{d}"
    );
}

/// Direction 4 (L10910–10914), «Продолжить закупку без исполнения уведомления»
/// (L12805–12809): the secretary keeps the results; the procedure is «Завершено» again and the
/// notice may only be executed by a cancellation.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn continuing_without_executing_a_direction_four_notice() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-CCM-4";
    let applications = supplementing(&app, &c, id, pi).await;
    complete(&app, &c, id, pi, applications).await;
    let notice = Uuid::new_v4();
    deliver(&app, &c, id, notice, pi, "4", "revise_results").await;
    assert_eq!(
        status(&app, &c.organizer, id).await,
        "deciding_notice_execution"
    );
    acknowledge(&app, &c.secretary, id, notice).await;
    let continued = app
        .command(&c.secretary, "($c: UUID!, $a: UUID!) { continueWithoutNoticeExecution(commandId: $c, announcementId: $a) { version position status { id } } }",
            json!({"a": id}))
        .await;
    assert_eq!(continued["status"]["id"], "completed", "{continued}");
    assert_eq!(status(&app, &c.organizer, id).await, "completed");
    let mine = journal(&app, &c.organizer, &c.organizer.org, &continued["position"]).await;
    assert_eq!(mine[0]["id"], json!(notice));
    assert_eq!(mine[0]["status"]["id"], "acknowledged", "{mine:?}");
    assert_eq!(mine[0]["cancellationOnly"], json!(true), "{mine:?}");
}
