//! «Государственные закупки услуг, предусмотренные государственным социальным заказом» (issue 16
//! item 3, spec 000-C §1.8): the draft's rules over HTTP, as a frontend meets them.

use serde_json::json;
use uuid::Uuid;

use crate::e2e::tender::cast;
use crate::e2e::{astana, spawn_app};

const CREATE: &str = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"ГСЗ-1\", header: $h) { version } }";
const DATES: &str = "($c: UUID!, $a: UUID!, $s: DateTime!, $e: DateTime!) { setAcceptanceDates(commandId: $c, announcementId: $a, start: $s, end: $e) { version } }";

// S19 (L8110–8116), S21 (L8611–8625): goods are refused; the service draft's acceptance must
// start on a working day by 18:00 and last 20 calendar days.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_social_order_draft_keeps_its_rules_over_http() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let header = |subject: &str| {
        json!({"method": "state_social_order", "procurementType": "first",
        "subjectType": subject, "nameKk": "Қызметтер", "nameRu": "Услуги социального заказа",
        "amongDisabledOrganizations": false, "singleOrganizer": false})
    };
    let refused = app
        .refused(
            Some(&c.organizer),
            &format!("mutation {CREATE}"),
            json!({"c": Uuid::new_v4(), "a": id, "h": header("goods")}),
        )
        .await;
    assert_eq!(refused, "services_only");
    app.command(
        &c.organizer,
        CREATE,
        json!({"a": id, "h": header("service")}),
    )
    .await;
    let at = |s: &str| astana(&calendar, s);
    for (start, end, code) in [
        (
            "2026-02-07 10:00",
            "2026-02-27 10:00",
            "acceptance_start_not_working_day",
        ),
        (
            "2026-02-02 18:30",
            "2026-02-22 18:30",
            "acceptance_start_after_working_hours",
        ),
        (
            "2026-02-02 18:00",
            "2026-02-21 18:00",
            "social_order_acceptance_too_short",
        ),
    ] {
        let refused = app
            .refused(
                Some(&c.organizer),
                &format!("mutation {DATES}"),
                json!({"c": Uuid::new_v4(), "a": id, "s": at(start), "e": at(end)}),
            )
            .await;
        assert_eq!(refused, code, "{start} – {end}");
    }
    app.command(
        &c.organizer,
        DATES,
        json!({"a": id, "s": at("2026-02-02 18:00"), "e": at("2026-02-22 18:00")}),
    )
    .await;
    let shown = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { method { id original } status { id } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(shown["announcement"]["method"]["id"], "state_social_order");
    assert_eq!(shown["announcement"]["status"]["id"], "draft");
}
