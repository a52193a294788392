//! Sealed applications and personal data (issue 26 item 3, decisions 0670–0672): before opening a
//! supplier's application events exist for their author only, with no version step, instant or
//! wake-up for anyone else; an ИИН is read by the organizer's staff and the auditors only.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::authorization::start;
use crate::e2e::tender::{accepting, cast, published};
use crate::e2e::{App, Person};

/// Waits until the read models show the announcement accepting applications, to everyone: the
/// start of acceptance may be recorded a moment after the scheduler fired it.
async fn listed(app: &App, id: Uuid) {
    for _ in 0..500 {
        app.settle().await;
        let found = app
            .ok(
                None,
                "query { announcements(first: 10) { edges { node { id status { id } } } } }",
                json!({}),
            )
            .await;
        let node = &found["announcements"]["edges"][0]["node"];
        if node["id"] == json!(id) && node["status"]["id"] == "published_accepting_applications" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the announcement is not accepting applications");
}

const PERSONAL: &str = "query($a: UUID!) {
  announcements(first: 10) { edges { node { id
    commission { iin } protocols { signerIins }
    details { creatorIin organizerRepresentative { iin } customerRepresentative { iin }
              representatives { organizerRepresentative { iin } customerRepresentative { iin } } }
    timeline(first: 100) { edges { node { eventType actorIin } } } } } }
  replay: announcement(id: $a) {
    commission { iin } protocols { signerIins } details { creatorIin }
    events { eventType payload actor { iin orgBin } } } }";

/// Decision 0671 (issue 26 defect 10, spec 000-A §2.2 «Комиссия», «Представители»): every ИИН an
/// announcement shows (members, protocol signers, representatives, the creator, the actors of
/// the timeline and of the replay, the ИИН inside the replayed payloads) is read by the
/// organizer's staff and the auditors; an anonymous viewer, a supplier and another organisation
/// (the customer) read the same answer with no ИИН anywhere in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_iin_is_for_the_organizers_staff_and_auditors() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-PD-1"]).await;
    accepting(&app, &c, id).await;
    listed(&app, id).await;
    let staff = [
        &c.organizer,
        &c.secretary,
        &c.chairman,
        &c.member_a,
        &c.member_b,
    ];
    let viewers: [(Option<&Person>, bool); 5] = [
        (None, false),
        (Some(&c.suppliers[0]), false),
        (Some(&c.customer), false),
        (Some(&c.secretary), true),
        (Some(&c.inspector), true),
    ];
    for (who, reads) in viewers {
        let data = app.ok(who, PERSONAL, json!({"a": id})).await;
        let text = data.to_string();
        let node = &data["announcements"]["edges"][0]["node"];
        let replay = &data["replay"];
        let name = who.map_or("anonymous", |w| w.user.as_str());
        for p in [node, replay] {
            let signers = &p["protocols"][0]["signerIins"];
            assert_eq!(signers.is_array(), reads, "{name}: {p}");
            assert_eq!(p["details"]["creatorIin"].is_string(), reads, "{name}");
        }
        let rep = &node["details"]["representatives"]["organizerRepresentative"]["iin"];
        assert_eq!(rep.is_string(), reads, "{name}: {node}");
        let timeline = node["timeline"]["edges"].as_array().expect("timeline");
        assert!(!timeline.is_empty());
        assert!(
            timeline
                .iter()
                .all(|e| e["node"]["actorIin"].is_string() == reads),
            "{name}: {node}"
        );
        let events = replay["events"].as_array().expect("events");
        let drafted = events
            .iter()
            .find(|e| e["eventType"] == "AnnouncementDrafted")
            .expect("drafted");
        assert_eq!(drafted["actor"]["iin"].is_string(), reads, "{name}");
        let commission = events
            .iter()
            .find(|e| e["eventType"] == "CommissionSet")
            .expect("commission");
        assert!(commission["payload"].is_object(), "{commission}");
        // Whatever the field, no ИИН of the organizer's staff reaches a viewer who may not read it.
        for person in staff {
            let at = text
                .find(&person.iin)
                .map(|i| &text[i.saturating_sub(300)..i + 20]);
            assert_eq!(
                text.contains(&person.iin),
                reads,
                "{name}: {} {at:?}",
                person.user
            );
        }
    }
}

const CHANGED: &str =
    "subscription($a: UUID!) { announcementChanged(id: $a) { version eventType occurredAt } }";

const SEEN: &str = "query($a: UUID!) {
  announcements(first: 10) { edges { node { id version updatedAt
    timeline(first: 100) { edges { node { version eventType occurredAt } } } } } }
  replay: announcement(id: $a) { version recordedAt events { version eventType occurredAt hash } } }";

/// No message within a moment: the subscriber was not woken.
async fn silent(socket: &mut crate::e2e::Socket) {
    use futures::StreamExt;
    let wait = std::time::Duration::from_millis(700);
    if let Ok(Some(Ok(m))) = tokio::time::timeout(wait, socket.next()).await {
        panic!("a message while sealed: {m:?}");
    }
}

/// What `who` sees of the announcement: the read model's version and instant, the timeline's
/// versions, the replay's version and events.
async fn seen(app: &App, who: Option<&Person>, id: Uuid) -> Value {
    app.ok(who, SEEN, json!({"a": id})).await
}

fn timeline_versions(seen: &Value) -> Vec<i64> {
    seen["announcements"]["edges"][0]["node"]["timeline"]["edges"]
        .as_array()
        .expect("timeline")
        .iter()
        .map(|e| e["node"]["version"].as_i64().expect("a version"))
        .collect()
}

fn replay_versions(seen: &Value) -> Vec<i64> {
    seen["replay"]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| e["version"].as_i64().expect("a version"))
        .collect()
}

/// Issue 26 defect 4, decision 0670 (spec 000-A §3.3, applications sealed until opening): while
/// applications are accepted, a supplier's application leaves, for an anonymous subscriber and a
/// second supplier, no message, no version step (read model, timeline, replay), no instant and
/// no gap; its author hears and sees its own; once opened, everybody sees the stream as it is.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sealed_application_leaves_no_trace_but_for_its_author() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-SL-1"]).await;
    accepting(&app, &c, id).await;
    listed(&app, id).await;
    let (author, rival) = (&c.suppliers[0], &c.suppliers[1]);
    let before = seen(&app, None, id).await;
    let vars = json!({"a": id});
    let mut anonymous = app.subscribe_as(None, CHANGED, vars.clone()).await;
    let mut rivals = app.subscribe(rival, CHANGED, vars.clone()).await;
    let mut staff = app.subscribe(&c.secretary, CHANGED, vars.clone()).await;
    let mut authors = app.subscribe(author, CHANGED, vars.clone()).await;
    // A commission member's and the secretary's tasks, asked and subscribed to.
    const TASKS: &str = "query { myTasks { kind announcementId titleRu } }";
    let staff_tasks = [&c.member_a, &c.secretary];
    let mut tasks_before = Vec::new();
    let mut new_tasks = Vec::new();
    for who in staff_tasks {
        tasks_before.push(app.ok(Some(who), TASKS, json!({})).await);
        let subscription = "subscription { myNewTasks { kind announcementId } }";
        new_tasks.push(app.subscribe(who, subscription, json!({})).await);
    }

    let submitted = app.command(author, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": Uuid::new_v4(), "o": [{"planItemId": "PI-SL-1", "price": "8000000.00"}]})).await;
    app.settle().await;

    // The author hears its own, one version on.
    let told = crate::e2e::next(&mut authors).await;
    let change = &told["payload"]["data"]["announcementChanged"];
    assert_eq!(change["eventType"], "ApplicationSubmitted", "{told}");
    let public = before["announcements"]["edges"][0]["node"]["version"]
        .as_i64()
        .expect("a version");
    assert_eq!(change["version"], json!(public + 1), "{told}");
    // Nobody else is woken: not the anonymous viewer, another supplier, or the organizer.
    for socket in [&mut anonymous, &mut rivals, &mut staff] {
        silent(socket).await;
    }
    // The commission's tasks neither change nor arrive.
    for (who, (was, socket)) in staff_tasks
        .iter()
        .zip(tasks_before.iter().zip(new_tasks.iter_mut()))
    {
        let now = app.ok(Some(who), TASKS, json!({})).await;
        assert_eq!(&now, was, "{}", who.user);
        silent(socket).await;
    }
    // Nor does anything they read move: version, instant, timeline, replay.
    for who in [None, Some(rival), Some(&c.secretary), Some(&c.inspector)] {
        let now = seen(&app, who, id).await;
        let name = who.map_or("anonymous", |w| w.user.as_str());
        let node = &now["announcements"]["edges"][0]["node"];
        let was = &before["announcements"]["edges"][0]["node"];
        assert_eq!(node["version"], was["version"], "{name}: {now}");
        assert_eq!(node["updatedAt"], was["updatedAt"], "{name}: {now}");
        assert_eq!(
            now["replay"]["version"], before["replay"]["version"],
            "{name}"
        );
        assert_eq!(now["replay"]["recordedAt"], before["replay"]["recordedAt"]);
        // No gap: the versions shown are 0, 1, 2, … (the timeline hides camera control
        // from some, which is public by type anyway; this announcement has none).
        let t = timeline_versions(&now);
        assert_eq!(t, (0..t.len() as i64).collect::<Vec<_>>(), "{name}");
        let r = replay_versions(&now);
        assert_eq!(r, (0..r.len() as i64).collect::<Vec<_>>(), "{name}");
        assert!(!now.to_string().contains("ApplicationSubmitted"), "{name}");
        // The replay asked as of the version the author was told shows nothing more.
        let as_of = app
            .ok(
                who,
                "query($a: UUID!, $v: Int!) { announcement(id: $a, asOf: {version: $v}) { version events { eventType } } }",
                json!({"a": id, "v": submitted["version"]}),
            )
            .await;
        assert!(
            !as_of.to_string().contains("ApplicationSubmitted"),
            "{as_of}"
        );
        // Nor as of the submission's instant: the version and instant shown are those before.
        let at = app
            .ok(
                who,
                "query($a: UUID!, $t: DateTime!) { announcement(id: $a, asOf: {instant: $t}) { version recordedAt events { eventType } } }",
                json!({"a": id, "t": change["occurredAt"]}),
            )
            .await;
        let replay = &at["announcement"];
        assert_eq!(
            replay["version"], before["replay"]["version"],
            "{name}: {at}"
        );
        assert_eq!(
            replay["recordedAt"], before["replay"]["recordedAt"],
            "{name}"
        );
        assert!(!at.to_string().contains("ApplicationSubmitted"), "{at}");
    }
    // The author sees its own: one more version, its instant.
    let own = seen(&app, Some(author), id).await;
    let node = &own["announcements"]["edges"][0]["node"];
    assert_eq!(node["version"], json!(public + 1), "{own}");
    assert_eq!(node["version"], submitted["version"]);
    assert_eq!(node["updatedAt"], change["occurredAt"]);
    assert_eq!(own["replay"]["version"], submitted["version"]);

    // A public event next (L3651–3655): the organizer is answered, and every subscriber told,
    // the next version, as if nothing had happened in between.
    let changed = app.command(&c.organizer, "($c: UUID!, $a: UUID!, $o: PersonInput!, $r: PersonInput!) { changeRepresentatives(commandId: $c, announcementId: $a, organizerRepresentative: $o, customerRepresentative: $r) { version } }",
        json!({"a": id, "o": c.secretary.json(), "r": c.customer.json()})).await;
    assert_eq!(changed["version"], json!(public + 1), "{changed}");
    for socket in [&mut anonymous, &mut rivals, &mut staff] {
        let told = crate::e2e::next(socket).await;
        let change = &told["payload"]["data"]["announcementChanged"];
        assert_eq!(change["eventType"], "RepresentativesChanged", "{told}");
        assert_eq!(change["version"], json!(public + 1), "{told}");
    }
    let told = crate::e2e::next(&mut authors).await;
    assert_eq!(
        told["payload"]["data"]["announcementChanged"]["version"],
        json!(public + 2)
    );

    // Opened: everybody authorised sees every event, with the stream's versions.
    let end = crate::e2e::tender::deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    app.settle().await;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM es_events WHERE stream_id = $1")
        .bind(format!("announcement-{id}"))
        .fetch_one(&app.pool)
        .await
        .expect("count");
    for who in [None, Some(rival), Some(author), Some(&c.inspector)] {
        let now = seen(&app, who, id).await;
        let node = &now["announcements"]["edges"][0]["node"];
        assert_eq!(node["version"], json!(total - 1), "{now}");
        assert_eq!(now["replay"]["version"], json!(total - 1));
        assert!(
            now["replay"]["events"]
                .as_array()
                .expect("events")
                .iter()
                .any(|e| e["eventType"] == "ApplicationSubmitted")
        );
    }
    // The subscribers are told of the end of acceptance, and reach the stream's last version.
    for socket in [&mut anonymous, &mut rivals] {
        let mut last = public + 1;
        while last < total - 1 {
            let told = crate::e2e::next(socket).await;
            let version = told["payload"]["data"]["announcementChanged"]["version"]
                .as_i64()
                .unwrap_or_else(|| panic!("a version: {told}"));
            assert!(version > last, "{told}");
            last = version;
        }
        assert_eq!(last, total - 1);
    }
}

const VOTES: &str = "query($a: UUID!, $p: String) {
  announcements(first: 10, minPosition: $p) { edges { node { id votes { memberIin decision { id } }
    votingControl { planItemId } details { voting { ballots { applicationId } } } } } }
  replay: announcement(id: $a) { votes { memberIin } votingControl { planItemId }
    details { voting { ballots { applicationId } } }
    events { eventType sealed payload } } }";

/// What `who` reads of the votes: how many in the read model and in the replay (with their
/// ballots), whether the replayed `VoteCast` events show their payload, and whether it reads
/// «Контроль голосования».
/// `at`: the position of the last write, which the read models must hold.
async fn votes_read(app: &App, who: Option<&Person>, id: Uuid, at: &Value) -> (usize, bool, bool) {
    let data = app.ok(who, VOTES, json!({"a": id, "p": at})).await;
    let node = &data["announcements"]["edges"][0]["node"];
    let replay = &data["replay"];
    let count = |v: &Value| v.as_array().map_or(0, Vec::len);
    let read = count(&node["votes"]);
    assert_eq!(count(&replay["votes"]), read, "{data}");
    let ballots = count(&node["details"]["voting"]["ballots"]);
    assert_eq!(ballots > 0, read > 0, "{data}");
    assert_eq!(count(&replay["details"]["voting"]["ballots"]), ballots);
    let cast: Vec<&Value> = replay["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter(|e| e["eventType"] == "VoteCast")
        .collect();
    assert!(!cast.is_empty());
    let payloads = cast.iter().all(|e| e["payload"].is_object());
    assert!(cast.iter().all(|e| e["payload"].is_object() == payloads));
    let control = node["votingControl"]
        .as_array()
        .is_some_and(|c| !c.is_empty());
    (read, payloads, control)
}

/// Decision 0672 (spec 000-A §7.3, L2313–2365: «Контроль голосования» is the secretary's tab;
/// the public reads the published protocol): while the commission votes, the members' votes,
/// their counters and ballots, and the payloads of `VoteCast`, are read by the organizer's staff
/// and the auditors only; an anonymous viewer and the suppliers (the applicant too) read them
/// once the protocol that fixes them is published, still without the members' ИИН.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn votes_in_progress_are_for_the_organizers_staff_and_auditors() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    let pi = ["PI-VT-1"];
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(&app, &c, id, &pi).await;
    accepting(&app, &c, id).await;
    let application = Uuid::new_v4();
    app.command(&c.suppliers[0], "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": application, "o": [{"planItemId": pi[0], "price": "8900000.00"}]})).await;
    let end = crate::e2e::tender::deadline(&app, &c.organizer, id, "end_acceptance").await;
    app.fire(id, "end_acceptance", end).await;
    let mut at = Value::Null;
    for member in [&c.chairman, &c.member_a, &c.member_b] {
        at = crate::e2e::tender::vote(
            &app,
            member,
            id,
            application,
            crate::e2e::tender::ballot(&pi, Some(pi[0])),
        )
        .await["position"]
            .clone();
    }
    let outsiders = [None, Some(&c.suppliers[0]), Some(&c.suppliers[1])];
    for who in outsiders {
        let read = votes_read(&app, who, id, &at).await;
        assert_eq!(read, (0, false, false), "{:?}", who.map(|w| &w.user));
    }
    for who in [&c.secretary, &c.inspector] {
        assert_eq!(
            votes_read(&app, Some(who), id, &at).await,
            (3, true, true),
            "{}",
            who.user
        );
    }

    // Completed, but not yet published: still the commission's.
    crate::e2e::tender::simple(&app, &c.secretary, id, "completeVoting").await;
    let formed =
        crate::e2e::tender::simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol")
            .await;
    at = formed["position"].clone();
    for who in outsiders {
        assert_eq!(votes_read(&app, who, id, &at).await, (0, false, false));
    }
    let published = crate::e2e::tender::sign_and_publish(
        &app,
        &c,
        id,
        "preliminary_admission",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;
    at = published["position"].clone();
    let staff = votes_read(&app, Some(&c.secretary), id, &at).await;
    for who in outsiders {
        assert_eq!(votes_read(&app, who, id, &at).await, staff);
        let data = app.ok(who, VOTES, json!({"a": id, "p": at})).await;
        let votes = &data["announcements"]["edges"][0]["node"]["votes"];
        assert!(
            votes
                .as_array()
                .expect("votes")
                .iter()
                .all(|v| v["memberIin"].is_null()),
            "{votes}"
        );
    }
}

/// Issue 24 and 26 (decisions 0650, 0670, 0671): a subscriber of each role hears exactly what
/// the role may see. During acceptance a supplier applies (sealed: its author alone hears it) and
/// an inspector delivers a direction-2 notice (camera control: its type and instant are public,
/// L10864–10914, so every subscriber hears it, at the next version each may know). No message
/// names anyone: no ИИН, no БИН of who acted.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_role_hears_what_it_may_see() {
    let app = start().await;
    let c = cast();
    let id = Uuid::new_v4();
    published(&app, &c, id, &["PI-SUB-1"]).await;
    accepting(&app, &c, id).await;
    listed(&app, id).await;
    let public = seen(&app, None, id).await["announcements"]["edges"][0]["node"]["version"]
        .as_i64()
        .expect("a version");
    let author = &c.suppliers[0];
    let roles: [(Option<&Person>, bool); 6] = [
        (None, false),
        (Some(author), true),
        (Some(&c.suppliers[1]), false),
        (Some(&c.customer), false),
        (Some(&c.secretary), false),
        (Some(&c.inspector), false),
    ];
    let mut sockets = Vec::new();
    for (who, _) in roles {
        sockets.push(app.subscribe_as(who, CHANGED, json!({"a": id})).await);
    }
    app.command(author, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
        json!({"a": id, "app": Uuid::new_v4(), "o": [{"planItemId": "PI-SUB-1", "price": "8000000.00"}]})).await;
    app.settle().await;
    app.command(&c.inspector, "($c: UUID!, $a: UUID!, $n: UUID!) { deliverNotice(commandId: $c, announcementId: $a, noticeId: $n, planItemId: \"PI-SUB-1\", direction: \"2\", remedy: \"cancel_procurement\", text: \"Нарушение пункта 12 Правил\") { version } }",
        json!({"a": id, "n": Uuid::new_v4()})).await;
    app.settle().await;
    let names: Vec<&str> = [
        &c.organizer,
        &c.secretary,
        &c.inspector,
        author,
        &c.customer,
    ]
    .iter()
    .flat_map(|p| [p.iin.as_str(), p.org.as_str()])
    .collect();
    for ((who, applied), socket) in roles.iter().zip(sockets.iter_mut()) {
        let name = who.map_or("anonymous", |w| w.user.as_str());
        let mut heard = Vec::new();
        let expected = if *applied { 2 } else { 1 };
        for _ in 0..expected {
            let told = crate::e2e::next(socket).await;
            let text = told.to_string();
            assert!(names.iter().all(|n| !text.contains(n)), "{name}: {told}");
            let change = &told["payload"]["data"]["announcementChanged"];
            heard.push((change["eventType"].clone(), change["version"].clone()));
        }
        let notice = (
            json!("NoticeDelivered"),
            json!(public + 1 + i64::from(*applied)),
        );
        let wanted = if *applied {
            vec![(json!("ApplicationSubmitted"), json!(public + 1)), notice]
        } else {
            vec![notice]
        };
        assert_eq!(heard, wanted, "{name}");
        silent(socket).await;
    }
}
