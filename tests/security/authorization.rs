//! Authorization (issue 26 item 3, docs/security.md "Authorization"): a token acts only within
//! its role and organisation, whatever ИИН it carries; a command id names one command. Each
//! test asserts the refusal code and that the store holds no more events than before.

use serde_json::json;
use uuid::Uuid;

use crate::e2e::tender::{accepting, ballot, cast, deadline, published, vote};
use crate::e2e::{App, Person, astana, bin, person, spawn_app};

/// A server on 2 February 2026, 09:00 Astana.
pub async fn start() -> App {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    spawn_app(astana(&calendar, "2026-02-02 09:00")).await
}

/// Every event the store holds, all streams.
pub async fn events(app: &App) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM es_events")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

const DRAFT: &str = "mutation($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version duplicate } }";

pub fn header(name_ru: &str) -> serde_json::Value {
    json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": "Ноутбуктер сатып алу", "nameRu": name_ru,
        "amongDisabledOrganizations": false, "singleOrganizer": false})
}

/// Defect 3: a supplier's token carrying a commission member's ИИН casts no vote during the
/// review (decision 0630); the member's own token does.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_supplier_token_with_a_members_iin_casts_no_vote() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = ["PI-SEC-1"];
    published(&app, &c, id, &pi).await;
    accepting(&app, &c, id).await;
    let application = Uuid::new_v4();
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": application, "o": [{"planItemId": pi[0], "price": "8900000.00"}]})).await;
    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;

    let mut impostor = c.suppliers[1].clone();
    impostor.iin = c.member_a.iin.clone();
    let before = events(&app).await;
    let refused = app.refused(Some(&impostor), "mutation($c: UUID!, $a: UUID!, $app: UUID!, $b: BallotInput!) { castVote(commandId: $c, announcementId: $a, applicationId: $app, ballot: $b) { version } }",
        json!({"c": Uuid::new_v4(), "a": id, "app": application, "b": ballot(&pi, None)})).await;
    assert_eq!(refused, "forbidden_role");
    assert_eq!(events(&app).await, before, "nothing written");
    vote(&app, &c.member_a, id, application, ballot(&pi, None)).await;
}

/// Defect 3, decision 0674: an organizer's token of another organisation carrying the
/// secretary's ИИН is refused with `foreign_organization` («Изменить данные представителя»,
/// seed 000 L670–700): the role is right, the organisation is not; nothing is written. The
/// secretary's own token changes them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn another_organisations_token_with_the_secretarys_iin_changes_nothing() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-SEC-ORG"]).await;
    let change = "($c: UUID!, $a: UUID!, $o: PersonInput!, $r: PersonInput!) { changeRepresentatives(commandId: $c, announcementId: $a, organizerRepresentative: $o, customerRepresentative: $r) { version } }";
    let vars =
        json!({"c": Uuid::new_v4(), "a": id, "o": c.secretary.json(), "r": c.customer.json()});
    let mut impostor = c.secretary.clone();
    impostor.org = bin(70);
    let before = events(&app).await;
    let refused = app
        .refused(Some(&impostor), &format!("mutation{change}"), vars.clone())
        .await;
    assert_eq!(refused, "foreign_organization");
    assert_eq!(events(&app).await, before, "nothing written");
    app.command(&c.secretary, change, vars).await;
}

/// Defect 10: a command id re-used for another mutation is refused with `command_id_reused`
/// (decision 0632): the draft stays; the same mutation again is a retry (`duplicate`).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_command_id_reused_for_another_command_is_refused() {
    let app = start().await;
    let c = cast();
    let (id, command) = (Uuid::new_v4(), Uuid::new_v4());
    let variables = json!({"c": command, "a": id, "h": header("Закупка ноутбуков")});
    app.ok(Some(&c.organizer), DRAFT, variables.clone()).await;
    let before = events(&app).await;
    let refused = app
        .refused(
            Some(&c.organizer),
            "mutation($c: UUID!, $a: UUID!) { deleteDraft(commandId: $c, announcementId: $a) { version duplicate } }",
            json!({"c": command, "a": id}),
        )
        .await;
    assert_eq!(refused, "command_id_reused");
    assert_eq!(events(&app).await, before, "nothing written");
    let retry = app.ok(Some(&c.organizer), DRAFT, variables).await;
    assert_eq!(retry["createDraft"]["duplicate"], true);
    let status = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { status { id } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(
        status["announcement"]["status"]["id"], "draft",
        "the draft stays"
    );
}

/// Defect 10: the first signing key of an ИИН is the person's own (decision 0631): an
/// administrator, of another organisation or of the person's own, cannot register it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_administrator_registers_someone_elses_first_key() {
    let app = start().await;
    let c = cast();
    let register = "mutation($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }";
    let admins: [Person; 2] = [
        person("admin_x", "Администратор", 70, bin(70), "org_admin"),
        person(
            "admin_own",
            "Администратор",
            71,
            c.member_a.org.clone(),
            "org_admin",
        ),
    ];
    let before = events(&app).await;
    for admin in &admins {
        let refused = app
            .refused(
                Some(admin),
                register,
                json!({"c": Uuid::new_v4(), "i": c.member_a.iin, "k": admin.public_key_hex()}),
            )
            .await;
        assert_eq!(refused, "forbidden_certificate", "{}", admin.user);
    }
    assert_eq!(events(&app).await, before, "nothing written");
    app.command(&c.member_a, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": c.member_a.iin, "k": c.member_a.public_key_hex()})).await;
}

/// Defect 10: the commission members' ИИН (birth date and sex) is read by the organizer's staff
/// and the auditors only; anonymous viewers and suppliers see the members without it, in the
/// read models and in the replay alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn commission_members_iin_is_for_the_organizers_staff_and_auditors() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-SEC-1"]).await;
    // The search shows the announcement to everyone once its read model has it published.
    for _ in 0..250 {
        let found = app
            .ok(
                None,
                "query { announcements(first: 10) { edges { node { id } } } }",
                json!({}),
            )
            .await;
        if found["announcements"]["edges"][0]["node"]["id"] == json!(id) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let read = "query($a: UUID!) { announcements(first: 10) { edges { node { id commission { iin fullName } } } }
        replay: announcement(id: $a) { commission { iin fullName } } }";
    for (who, shown) in [
        (None, false),
        (Some(&c.suppliers[0]), false),
        (Some(&c.customer), false),
        (Some(&c.secretary), true),
        (Some(&c.inspector), true),
    ] {
        let data = app.ok(who, read, json!({"a": id})).await;
        let node = &data["announcements"]["edges"][0]["node"]["commission"];
        for commission in [node, &data["replay"]["commission"]] {
            let members = commission
                .as_array()
                .unwrap_or_else(|| panic!("members: {data}"));
            assert_eq!(members.len(), 4, "{data}");
            for m in members {
                assert!(m["fullName"].is_string());
                assert_eq!(
                    m["iin"].is_string(),
                    shown,
                    "{:?}: {m}",
                    who.map(|w| &w.user)
                );
            }
        }
    }
}
