//! The sandbox (issue 22, docs/decisions/0660–0662): a frontend team walks a procedure through
//! every status with GraphQL calls and clock moves alone, over HTTP against a real server in
//! sandbox mode and real PostgreSQL. The server's real clock stands still, so the sandbox's time
//! moves only when the operator calls `advanceClock`.

use chrono::{DateTime, Datelike, Duration, Utc, Weekday};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{ballot, cast, deadline, file, published, sign_and_publish, simple, vote};
use crate::e2e::{App, Person, astana, operator, spawn_app, spawn_sandbox};

const ADVANCE: &str = "mutation($c: UUID!, $to: DateTime, $by: ClockStep, $x: Int) {
  advanceClock(commandId: $c, to: $to, by: $by, acceleration: $x) {
    now position duplicate fired { announcementId transition at refused } } }";

/// What both the read models and the auditors' replay show of an announcement.
const COMPONENTS: &str = "number status { id } publishedAt acceptanceStart acceptanceEnd
    lots { planItemId lotNumber amount status { id } outcome winnerApplicationId }
    applications { applicationId supplierBin submittedAt status { id } opened offers { planItemId price decision { id } } }
    votes { applicationId memberIin planItemId decision { id } }
    protocols { kind { id } version validity { id } automatic contentSha256 publishedAt signerIins }";

/// The operator moves the clock to `to`; the answer of `advanceClock`.
async fn advance_to(app: &App, to: DateTime<Utc>) -> Value {
    let data = app
        .ok(
            Some(&operator()),
            ADVANCE,
            json!({"c": Uuid::new_v4(), "to": to}),
        )
        .await;
    data["advanceClock"].clone()
}

/// An instant as GraphQL writes it.
fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("not an instant: {v}"))
}

/// The transitions a move fired, in order; every one went through.
fn fired(moved: &Value) -> Vec<String> {
    let all = moved["fired"].as_array().expect("fired");
    assert!(all.iter().all(|f| f["refused"].is_null()), "{moved}");
    all.iter()
        .filter_map(|f| f["transition"].as_str().map(str::to_owned))
        .collect()
}

/// The status the read models show once they hold `position`.
async fn listed_status(app: &App, who: &Person, id: Uuid, position: &Value) -> String {
    let d = app
        .ok(
            Some(who),
            "query($p: String) { announcements(minPosition: $p, first: 5) { edges { node { id status { id } } } } }",
            json!({"p": position}),
        )
        .await;
    d["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .and_then(|e| e["node"]["status"]["id"].as_str())
        .unwrap_or_default()
        .to_owned()
}

/// The announcement as the read models show it once they hold `position`.
async fn read_models(app: &App, who: &Person, id: Uuid, position: &Value) -> Value {
    let d = app
        .ok(
            Some(who),
            &format!("query($p: String) {{ announcements(minPosition: $p, first: 1) {{ edges {{ node {{ id {COMPONENTS} }} }} }} }}"),
            json!({"p": position}),
        )
        .await;
    let mut node = d["announcements"]["edges"]
        .as_array()
        .and_then(|all| all.iter().find(|e| e["node"]["id"] == json!(id)))
        .map(|e| e["node"].clone())
        .expect("the announcement in the read models");
    node.as_object_mut().map(|o| o.remove("id"));
    node
}

async fn as_of(app: &App, who: &Person, id: Uuid, instant: DateTime<Utc>) -> Value {
    let d = app
        .ok(
            Some(who),
            &format!("query($a: UUID!, $t: DateTime!) {{ announcement(id: $a, asOf: {{instant: $t}}) {{ {COMPONENTS} }} }}"),
            json!({"a": id, "t": instant}),
        )
        .await;
    d["announcement"].clone()
}

async fn register_keys(app: &App, signers: &[&Person]) {
    for signer in signers {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
}

async fn apply(app: &App, supplier: &Person, id: Uuid, application: Uuid, offers: Value) -> Value {
    app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version position } }",
        json!({"a": id, "app": application, "o": offers})).await
}

/// Issue 22, "done when": an open tender from draft to results (spec 000-A §4–§8) with GraphQL
/// calls and clock moves alone: each move fires the timed transitions that fall due (the
/// discussion's end, L1580–1584; acceptance, L1902–1904; the supplement period) and answers the
/// position at which the read models show them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_open_tender_walks_from_draft_to_results_by_graphql_and_clock_moves() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let start = astana(&calendar, "2026-02-02 09:00");
    let app = spawn_sandbox(start).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-SBX-1", "PI-SBX-2");
    let clock = app
        .ok(
            None,
            "query { sandboxClock { now acceleration } }",
            Value::Null,
        )
        .await;
    assert_eq!(instant(&clock["sandboxClock"]["now"]), start);

    register_keys(&app, &[&c.secretary, &c.chairman, &c.member_a]).await;
    published(&app, &c, id, &[pi1, pi2]).await;

    // Five working days of discussion pass in one call; the read models show it at once.
    let moved = advance_to(
        &app,
        deadline(&app, &c.organizer, id, "end_discussion").await,
    )
    .await;
    assert_eq!(fired(&moved), ["end_discussion"]);
    let status = listed_status(&app, &c.organizer, id, &moved["position"]).await;
    assert_eq!(status, "published");
    let moved = advance_to(
        &app,
        deadline(&app, &c.organizer, id, "start_acceptance").await,
    )
    .await;
    assert_eq!(fired(&moved), ["start_acceptance"]);
    let status = listed_status(&app, &c.organizer, id, &moved["position"]).await;
    assert_eq!(status, "published_accepting_applications");

    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, (application, price)) in c
        .suppliers
        .iter()
        .zip(applications.iter().zip(["8900000.00", "8700000.00"]))
    {
        let offers = json!([{"planItemId": pi1, "price": price}, {"planItemId": pi2, "price": "8500000.00"}]);
        apply(&app, supplier, id, *application, offers).await;
    }

    // The 30 days of acceptance, by a duration this time.
    let end = deadline(&app, &c.organizer, id, "end_acceptance").await;
    let by = json!({"days": (end - app.now()).num_days() + 1});
    let moved = app
        .ok(
            Some(&operator()),
            ADVANCE,
            json!({"c": Uuid::new_v4(), "by": by}),
        )
        .await["advanceClock"]
        .clone();
    assert_eq!(fired(&moved), ["end_acceptance"]);
    assert_eq!(
        instant(&moved["fired"][0]["at"]),
        end,
        "fired at its deadline, not at the instant moved to"
    );
    let status = listed_status(&app, &c.organizer, id, &moved["position"]).await;
    assert_eq!(status, "reviewing_applications");

    // Review: the second supplier is rejected on lot 1 and supplements.
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[0], ballot(&[pi1, pi2], None)).await;
    }
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
    vote(
        &app,
        &c.member_b,
        id,
        applications[1],
        ballot(&[pi1, pi2], None),
    )
    .await;
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    let signers = [&c.secretary, &c.chairman, &c.member_a];
    sign_and_publish(&app, &c, id, "preliminary_admission", &signers).await;
    app.command(&c.suppliers[1], "($c: UUID!, $a: UUID!, $app: UUID!, $d: [FileRefInput!]!) { supplementApplication(commandId: $c, announcementId: $a, applicationId: $app, planItemIds: [\"PI-SBX-1\"], documents: $d) { version } }",
        json!({"a": id, "app": applications[1], "d": [file("experience")]})).await;
    let moved = advance_to(
        &app,
        deadline(&app, &c.organizer, id, "end_supplement_period").await,
    )
    .await;
    assert_eq!(fired(&moved), ["end_supplement_period"]);
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        vote(&app, member, id, applications[1], ballot(&[pi1], None)).await;
    }
    simple(&app, &c.secretary, id, "completeVoting").await;

    // Results.
    let zero = json!({"experienceYears": 0, "experienceMonths": 0, "experiencePct": "0", "qmsPct": "0", "emsPct": "0",
        "sechpPct": "0", "voluntaryConformityPct": "0", "functionalPct": "0", "technicalPct": "0", "qualityPct": "0", "operationalPct": "0"});
    for pi in [pi1, pi2] {
        app.command(&c.secretary, "($c: UUID!, $a: UUID!, $i: String!, $e: [DiscountEntryInput!]!) { fillConditionalDiscounts(commandId: $c, announcementId: $a, planItemId: $i, entries: $e) { version } }",
            json!({"a": id, "i": pi, "e": applications.iter().map(|a| json!({"applicationId": a, "form": zero})).collect::<Vec<_>>()})).await;
    }
    simple(&app, &c.secretary, id, "completeConditionalDiscounts").await;
    simple(&app, &c.secretary, id, "formResultsProtocol").await;
    let last = sign_and_publish(&app, &c, id, "results", &signers).await;
    let status = listed_status(&app, &c.organizer, id, &last["position"]).await;
    assert_eq!(status, "completed");
    let done = read_models(&app, &c.organizer, id, &last["position"]).await;
    let winner = done["lots"]
        .as_array()
        .and_then(|l| l.iter().find(|l| l["planItemId"] == pi1))
        .map(|l| l["winnerApplicationId"].clone());
    assert_eq!(winner, Some(json!(applications[1])), "the lower price wins");

    // The timeline reads in the sandbox's time: weeks apart, not the seconds the test took.
    let d = app
        .ok(
            Some(&c.organizer),
            "query($p: String) { announcements(minPosition: $p) { edges { node { id publishedAt updatedAt } } } }",
            json!({"p": last["position"]}),
        )
        .await;
    let node = &d["announcements"]["edges"][0]["node"];
    let published_at: DateTime<Utc> = node["publishedAt"]
        .as_str()
        .expect("published")
        .parse()
        .expect("an instant");
    assert_eq!(published_at, start);
    let updated_at: DateTime<Utc> = node["updatedAt"]
        .as_str()
        .expect("updated")
        .parse()
        .expect("an instant");
    assert!(updated_at - published_at > Duration::days(30), "{node}");
}

/// Issue 22: a camera-control notice's countdown of 10 working days from the day after delivery
/// (seed 000 L10946–10948) runs across a holiday (8 March, moved to Monday 9 March 2026 by the
/// calendar), and a clock move expires it at its end: «Не исполнено. Ознакомлен» (L10966–10972).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_notice_countdown_expires_across_a_holiday_by_a_clock_move() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_sandbox(astana(&calendar, "2026-02-23 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-SBX-CC";
    published(&app, &c, id, &[pi]).await;
    for transition in ["end_discussion", "start_acceptance"] {
        let moved = advance_to(&app, deadline(&app, &c.organizer, id, transition).await).await;
        assert_eq!(fired(&moved), [transition]);
    }

    let notice = Uuid::new_v4();
    let delivered = app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!, $i: String!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: $i, direction: \"2\", remedy: \"cancel_procurement\", text: \"Нарушение пункта 12 Правил\") { version position } }",
        json!({"a": id, "n": notice, "i": pi})).await;
    app.command(&c.member_b, "($c: UUID!, $a: UUID!, $n: UUID!) { acknowledgeNotice(commandId: $c, announcementId: $a, noticeId: $n) { version position } }",
        json!({"a": id, "n": notice})).await;
    let today = calendar.to_local_date(app.now()).expect("a date");
    let last_day = calendar.add_working_days(today, 10).expect("calendar");
    let holidays: Vec<_> = today
        .iter_days()
        .take_while(|d| *d <= last_day)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(|d| !calendar.is_working_day(*d).expect("calendar"))
        .collect();
    assert!(!holidays.is_empty(), "the countdown crosses a holiday");

    let journal = |position: Value| {
        let (app, organizer) = (&app, c.organizer.clone());
        async move {
            let query = "query($o: String!, $p: String) { notices(orgBin: $o, minPosition: $p) { edges { node {
                id status { id original } expiresAt remainingDays { calendarDays workingDays } } } } }";
            let data = app
                .ok(
                    Some(&organizer),
                    query,
                    json!({"o": organizer.org, "p": position}),
                )
                .await;
            data["notices"]["edges"][0]["node"].clone()
        }
    };
    let open = journal(delivered["position"].clone()).await;
    assert_eq!(open["remainingDays"]["workingDays"], json!(10));
    let expires_at: DateTime<Utc> = open["expiresAt"]
        .as_str()
        .expect("an end")
        .parse()
        .expect("an instant");
    assert_eq!(
        calendar
            .to_local_date(expires_at - Duration::minutes(1))
            .expect("a date"),
        last_day
    );

    // A minute before its end the countdown still runs; a minute after, the move expires it.
    let moved = advance_to(&app, expires_at - Duration::minutes(1)).await;
    assert!(fired(&moved).is_empty(), "{moved}");
    let running = journal(moved["position"].clone()).await;
    assert_eq!(running["status"]["id"], "acknowledged", "{running}");
    let moved = advance_to(&app, expires_at + Duration::minutes(1)).await;
    assert_eq!(fired(&moved), ["expire_notices"]);
    let expired = journal(moved["position"].clone()).await;
    assert_eq!(expired["id"], json!(notice));
    assert_eq!(expired["status"]["original"], "Не исполнено. Ознакомлен");
}

/// Issue 22 item 4 (decision 0660): the auditors' replay as of a sandbox instant is what the read
/// models showed at that instant, though the store recorded it all within seconds.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn as_of_an_instant_is_what_the_read_models_showed_then() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_sandbox(astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = "PI-SBX-ASOF";
    published(&app, &c, id, &[pi]).await;
    let mut shown = Vec::new();
    for transition in ["end_discussion", "start_acceptance"] {
        let moved = advance_to(&app, deadline(&app, &c.organizer, id, transition).await).await;
        shown.push((
            app.now(),
            read_models(&app, &c.organizer, id, &moved["position"]).await,
        ));
    }
    // An application an hour later, then the end of acceptance.
    advance_to(&app, app.now() + Duration::hours(1)).await;
    let offers = json!([{"planItemId": pi, "price": "8900000.00"}]);
    let applied = apply(&app, &c.suppliers[0], id, Uuid::new_v4(), offers).await;
    shown.push((
        app.now(),
        read_models(&app, &c.organizer, id, &applied["position"]).await,
    ));
    let moved = advance_to(
        &app,
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    shown.push((
        app.now(),
        read_models(&app, &c.organizer, id, &moved["position"]).await,
    ));
    advance_to(&app, app.now() + Duration::days(1)).await;

    for (instant, then) in &shown {
        assert_eq!(
            &as_of(&app, &c.organizer, id, *instant).await,
            then,
            "as of {instant}"
        );
    }
    let before = as_of(&app, &c.organizer, id, shown[0].0 - Duration::minutes(1)).await;
    assert_ne!(before, shown[0].1, "the past before the discussion's end");
}

/// Issue 22 items 2 and 3: only the operator moves the clock, and only forward; every event a
/// sandbox appends is marked; `/health` and `/metrics` say sandbox. Outside sandbox mode the
/// same calls answer `sandbox_disabled` (decision 0662).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_clock_is_the_operators_and_refused_outside_the_sandbox() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let start = astana(&calendar, "2026-02-02 09:00");
    let c = cast();
    let production = spawn_app(start).await;
    let by = json!({"c": Uuid::new_v4(), "by": {"days": 1}});
    assert_eq!(
        production
            .refused(Some(&operator()), ADVANCE, by.clone())
            .await,
        "sandbox_disabled"
    );
    let query = "query { sandboxClock { now } }";
    assert_eq!(
        production.refused(None, query, Value::Null).await,
        "sandbox_disabled"
    );
    let (_, health) = production.get("/health").await;
    assert_eq!(
        serde_json::from_str::<Value>(&health).expect("JSON")["sandbox"],
        Value::Null
    );
    let (_, metrics) = production.get("/metrics").await;
    assert!(metrics.contains("zakup_sandbox 0"), "{metrics}");

    let app = spawn_sandbox(start).await;
    assert_eq!(
        app.refused(Some(&c.organizer), ADVANCE, by.clone()).await,
        "forbidden_role"
    );
    assert_eq!(
        app.refused(None, ADVANCE, by.clone()).await,
        "unauthenticated"
    );
    let back = json!({"c": Uuid::new_v4(), "to": start - Duration::hours(1)});
    assert_eq!(
        app.refused(Some(&operator()), ADVANCE, back).await,
        "clock_backwards"
    );
    let both = json!({"c": Uuid::new_v4(), "to": start, "by": {"days": 1}});
    assert_eq!(
        app.refused(Some(&operator()), ADVANCE, both).await,
        "invalid_input"
    );
    let moved = app.ok(Some(&operator()), ADVANCE, by.clone()).await;
    assert_eq!(
        instant(&moved["advanceClock"]["now"]),
        start + Duration::days(1)
    );
    let again = app.ok(Some(&operator()), ADVANCE, by).await;
    assert_eq!(
        again["advanceClock"]["duplicate"], true,
        "a retry moves nothing"
    );
    assert_eq!(app.now(), start + Duration::days(1));

    let (status, health) = app.get("/health").await;
    assert_eq!(status, 200);
    let health: Value = serde_json::from_str(&health).expect("JSON");
    assert_eq!(
        instant(&health["sandbox"]["now"]),
        start + Duration::days(1)
    );
    let (_, metrics) = app.get("/metrics").await;
    assert!(metrics.contains("zakup_sandbox 1"), "{metrics}");
    let seconds = (start + Duration::days(1)).timestamp();
    assert!(
        metrics.contains(&format!("zakup_sandbox_clock_seconds {seconds}")),
        "{metrics}"
    );

    app.command(&c.customer, "($c: UUID!, $org: String!) { requestProcurement(commandId: $c, planItemId: \"PI-SBX-M\", organizerBin: $org, subjectType: \"goods\", nameRu: \"Бумага\", amount: \"100.00\") { version } }",
        json!({"org": c.organizer.org})).await;
    let all = app
        .store
        .read_all(None, &zakup_store::Filter::all(), 100)
        .await
        .expect("the log");
    // The clock's move and the customer's request, at least.
    assert!(all.len() >= 2, "{}", all.len());
    assert!(all.iter().all(|e| e.metadata.sandbox), "every event marked");
}
