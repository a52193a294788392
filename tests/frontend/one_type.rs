//! One `Announcement` type (issue 24 item 1, docs/decisions/0654): the search, the lookup by id
//! and the replay as of a version serve the same fields, and `asOf` only changes where the data
//! comes from. The "done when": `announcement(id, asOf: N)` equals, field for field, what
//! the read models showed at N.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{
    accepting, ballot, cast, deadline, published, sign_and_publish, simple, vote,
};
use crate::e2e::{App, Person, spawn_app};

/// Every field of `Announcement` but `at` (the instant the view stands at: now for the read
/// models, the last event's for a replay by version) and `availableActions` (decided at `at`).
const FIELDS: &str = "id number index sourceAnnouncementId method { id original } procurementType { id }
    subjectType { id } nameRu nameKk organizerBin status { id original } deleted opened customerBins
    totalAmount draftedAt publishedAt discussionEnd acceptanceStart acceptanceEnd updatedAt version recordedAt
    lots { announcementId planItemId lotNumber customerBin nameRu nameKk ktru amount status { id } cancelledAt outcome winnerApplicationId }
    applications { applicationId supplierBin submittedAt status { id } opened offers { planItemId price decision { id } supplemented } }
    commission { iin fullName function active }
    votes { applicationId memberIin planItemId decision { id } }
    votingControl { planItemId status { id } applications { applicationId admitted notAdmitted notVoted } }
    protocols { kind { id } version validity { id } automatic contentSha256 formedAt publishedAt signerIins content }
    details { discussion { end ended requests { id subject text answered } }
        voting { round completed underReview { applicationId planItemIds } }
        discounts { status { id } planItemIds } supplementStart supplementEnd
        tenderDocumentation { documents { name } } contractDraft { template } }
    deadlines { transition at }
    notices { id status { id } remainingDays { workingDays } }
    events { version eventType sealed occurredAt recordedAt position actor { userId orgBin role } }
    timeline(first: 100) { edges { node { version eventType actorUserId actorRole occurredAt reason } } }";

/// The announcement by id, from the read models, once they hold `position`.
async fn shown(app: &App, who: &Person, id: Uuid, position: &Value) -> Value {
    // Read-your-writes: the search waits for the position, the lookup for the stream's end.
    app.ok(
        Some(who),
        "query($p: String) { announcements(minPosition: $p, first: 1) { edges { cursor } } }",
        json!({"p": position}),
    )
    .await;
    let d = app
        .ok(
            Some(who),
            &format!("query($a: UUID!) {{ announcement(id: $a) {{ {FIELDS} }} }}"),
            json!({"a": id}),
        )
        .await;
    let seen = d["announcement"].clone();
    assert!(seen.is_object(), "the announcement is shown: {d}");
    seen
}

async fn as_of(app: &App, who: &Person, id: Uuid, version: &Value) -> Value {
    let d = app
        .ok(
            Some(who),
            &format!(
                "query($a: UUID!, $v: Int!) {{ announcement(id: $a, asOf: {{version: $v}}) {{ {FIELDS} }} }}"
            ),
            json!({"a": id, "v": version}),
        )
        .await;
    d["announcement"].clone()
}

/// Issue 24 "done when": for a full open tender (publication to the preliminary admission
/// protocol, Правила пп. 54–70), at every step the read models' `announcement(id)` and the search
/// serve the same fields, and the replay as of that version shows the same, field for field, to
/// the organizer's secretary and to a supplier.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn as_of_version_n_equals_what_the_read_models_showed_at_n() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(crate::e2e::astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-ONE-1", "PI-ONE-2");
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    let mut snapshots: Vec<(&Person, Value)> = Vec::new();
    published(&app, &c, id, &[pi1, pi2]).await;
    let head = app
        .ok(
            Some(&c.organizer),
            "query($a: UUID!) { announcement(id: $a) { version } }",
            json!({"a": id}),
        )
        .await;
    assert!(head["announcement"]["version"].is_i64(), "{head}");
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &Value::Null).await,
    ));
    accepting(&app, &c, id).await;
    snapshots.push((
        &c.suppliers[0],
        shown(&app, &c.suppliers[0], id, &Value::Null).await,
    ));
    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    let mut last = Value::Null;
    for (supplier, application) in c.suppliers.iter().zip(applications) {
        last = app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version position } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi1, "price": "8900000.00"}, {"planItemId": pi2, "price": "8500000.00"}]})).await;
    }
    snapshots.push((
        &c.suppliers[0],
        shown(&app, &c.suppliers[0], id, &last["position"]).await,
    ));
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &last["position"]).await,
    ));
    app.fire(
        id,
        "end_acceptance",
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &Value::Null).await,
    ));
    // The majority rejects the second supplier on lot 1, so it may supplement.
    for (k, application) in applications.into_iter().enumerate() {
        for member in [&c.chairman, &c.member_a, &c.member_b] {
            let rejected = (k == 1 && member.iin != c.member_b.iin).then_some(pi1);
            last = vote(&app, member, id, application, ballot(&[pi1, pi2], rejected)).await;
        }
    }
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &last["position"]).await,
    ));
    simple(&app, &c.secretary, id, "completeVoting").await;
    simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &Value::Null).await,
    ));
    sign_and_publish(
        &app,
        &c,
        id,
        "preliminary_admission",
        &[&c.secretary, &c.chairman, &c.member_a],
    )
    .await;
    snapshots.push((
        &c.suppliers[0],
        shown(&app, &c.suppliers[0], id, &Value::Null).await,
    ));
    snapshots.push((
        &c.secretary,
        shown(&app, &c.secretary, id, &Value::Null).await,
    ));

    // The search serves the same type: the last snapshot as the search lists it.
    let (who, now) = snapshots.last().expect("snapshots");
    let listed = app
        .ok(
            Some(who),
            &format!("{{ announcements(first: 1) {{ edges {{ node {{ {FIELDS} }} }} }} }}"),
            json!({}),
        )
        .await;
    assert_eq!(&listed["announcements"]["edges"][0]["node"], now);

    assert!(snapshots.len() >= 8);
    for (who, seen) in &snapshots {
        let replayed = as_of(&app, who, id, &seen["version"]).await;
        let differ = differences(&replayed, seen, "");
        assert!(
            differ.is_empty(),
            "as of version {}: {differ:#?}",
            seen["version"]
        );
    }
}

/// Where `a` and `b` differ, as paths with both values: a readable failure for large answers.
fn differences(a: &Value, b: &Value, path: &str) -> Vec<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let mut keys: Vec<&String> = x.keys().chain(y.keys()).collect();
            keys.sort();
            keys.dedup();
            keys.into_iter()
                .flat_map(|k| {
                    let null = Value::Null;
                    let (l, r) = (x.get(k).unwrap_or(&null), y.get(k).unwrap_or(&null));
                    differences(l, r, &format!("{path}.{k}"))
                })
                .collect()
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .flat_map(|(i, (l, r))| differences(l, r, &format!("{path}[{i}]")))
            .collect(),
        (Value::Array(x), Value::Array(y)) => vec![format!(
            "{path}: {} items != {}: {a} != {b}",
            x.len(),
            y.len()
        )],
        _ if a == b => Vec::new(),
        _ => vec![format!("{path}: {a} != {b}")],
    }
}
