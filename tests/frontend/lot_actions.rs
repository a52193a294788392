//! «Доступные действия» per lot and the actions that need the user's input (issue 24 item 2,
//! docs/decisions/0655): each names its mutation and the arguments the user fills in, decided by
//! the rules that decide the commands, on the announcement and on each of its lots.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::e2e::tender::{accepting, ballot, cast, deadline, published, simple, vote};
use crate::e2e::{App, Person, spawn_app};

/// The lots' action ids for `who`, by plan item, and the announcement's actions.
async fn actions(app: &App, who: &Person, id: Uuid) -> (Vec<(String, Vec<String>)>, Value) {
    let d = app
        .ok(
            Some(who),
            "query($a: UUID!) { announcement(id: $a) {
                availableActions { id original mutation input }
                lots { planItemId availableActions { id mutation input } } } }",
            json!({"a": id}),
        )
        .await;
    let lots = d["announcement"]["lots"]
        .as_array()
        .expect("lots")
        .iter()
        .map(|l| {
            let ids = l["availableActions"]
                .as_array()
                .expect("actions")
                .iter()
                .map(|a| a["id"].as_str().expect("id").to_owned())
                .collect();
            (l["planItemId"].as_str().expect("id").to_owned(), ids)
        })
        .collect();
    (lots, d["announcement"]["availableActions"].clone())
}

fn on(lots: &[(String, Vec<String>)], lot: &str) -> Vec<String> {
    lots.iter()
        .find(|(l, _)| l == lot)
        .map(|(_, a)| a.clone())
        .unwrap_or_default()
}

/// §4.2.4: during acceptance a supplier may apply on every lot (`submitApplication` with its
/// offers); the organizer may not. §7: a member is offered `cast_vote` (`castVote` with a
/// `BallotInput!`) while the review runs. L2685–2707: after the preliminary admission protocol a
/// supplier rejected on a lot may supplement that lot only.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_lot_offers_what_the_rules_accept_with_the_input_it_needs() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_app(crate::e2e::astana(&calendar, "2026-02-02 09:00")).await;
    let c = cast();
    let id = Uuid::new_v4();
    let (pi1, pi2) = ("PI-LA-1", "PI-LA-2");
    for signer in [&c.secretary, &c.chairman, &c.member_a] {
        app.command(signer, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
            json!({"i": signer.iin, "k": signer.public_key_hex()})).await;
    }
    published(&app, &c, id, &[pi1, pi2]).await;
    let (lots, _) = actions(&app, &c.suppliers[0], id).await;
    assert!(on(&lots, pi1).is_empty(), "not before acceptance: {lots:?}");

    accepting(&app, &c, id).await;
    let d = app
        .ok(
            Some(&c.suppliers[0]),
            "query($a: UUID!) { announcement(id: $a) { lots { availableActions { id mutation input } } } }",
            json!({"a": id}),
        )
        .await;
    assert_eq!(
        d["announcement"]["lots"][0]["availableActions"],
        json!([{"id": "submit_application", "mutation": "submitApplication",
                "input": ["applicationId: UUID!", "offers: [OfferInput!]!"]}])
    );
    let (lots, _) = actions(&app, &c.organizer, id).await;
    assert!(on(&lots, pi1).is_empty(), "{lots:?}");
    // Anonymous viewers are offered nothing.
    let anonymous = app
        .ok(
            None,
            "query { lots(first: 5) { edges { node { availableActions { id } } } } }",
            json!({}),
        )
        .await;
    assert!(
        anonymous["lots"]["edges"]
            .as_array()
            .expect("lots")
            .iter()
            .all(|e| e["node"]["availableActions"] == json!([])),
        "{anonymous}"
    );

    let applications = [Uuid::new_v4(), Uuid::new_v4()];
    for (supplier, application) in c.suppliers.iter().zip(applications) {
        app.command(supplier, "($c: UUID!, $a: UUID!, $app: UUID!, $o: [OfferInput!]!) { submitApplication(commandId: $c, announcementId: $a, applicationId: $app, offers: $o) { version } }",
            json!({"a": id, "app": application, "o": [{"planItemId": pi1, "price": "8900000.00"}, {"planItemId": pi2, "price": "8500000.00"}]})).await;
    }
    app.fire(
        id,
        "end_acceptance",
        deadline(&app, &c.organizer, id, "end_acceptance").await,
    )
    .await;
    let (_, offered) = actions(&app, &c.member_b, id).await;
    let cast_vote = offered
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["id"] == "cast_vote")
        .cloned()
        .unwrap_or_else(|| panic!("a member may vote: {offered}"));
    assert_eq!(cast_vote["mutation"], "castVote");
    assert_eq!(
        cast_vote["input"],
        json!(["applicationId: UUID!", "ballot: BallotInput!"])
    );
    let (_, offered) = actions(&app, &c.suppliers[0], id).await;
    assert!(
        !offered.to_string().contains("cast_vote"),
        "a supplier does not vote: {offered}"
    );

    // The majority rejects the second supplier on lot 1.
    for (k, application) in applications.into_iter().enumerate() {
        for member in [&c.chairman, &c.member_a, &c.member_b] {
            let rejected = (k == 1 && member.iin != c.member_b.iin).then_some(pi1);
            vote(&app, member, id, application, ballot(&[pi1, pi2], rejected)).await;
        }
    }
    simple(&app, &c.secretary, id, "completeVoting").await;
    let formed = simple(&app, &c.secretary, id, "formPreliminaryAdmissionProtocol").await;
    // «Мои задачи» follow the rules that decide the signature (decision 0656): the secretary
    // signs first (L2545–2601), then the members.
    let kind = "preliminary_admission";
    let awaits = |who: &'static str, tasks: Vec<(String, Option<String>)>| {
        (who, tasks.iter().any(|(k, _)| k == "signature_awaited"))
    };
    let tasks = |who, position| crate::tasks::my_tasks(&app, who, id, position);
    assert_eq!(
        [
            awaits("secretary", tasks(&c.secretary, &formed["position"]).await),
            awaits("chairman", tasks(&c.chairman, &formed["position"]).await),
        ],
        [("secretary", true), ("chairman", false)]
    );
    let first = crate::e2e::tender::sign(&app, &c, id, kind, &[&c.secretary]).await;
    assert_eq!(
        [
            awaits("secretary", tasks(&c.secretary, &first["position"]).await),
            awaits("chairman", tasks(&c.chairman, &first["position"]).await),
        ],
        [("secretary", false), ("chairman", true)]
    );
    crate::e2e::tender::sign_and_publish(&app, &c, id, kind, &[&c.chairman, &c.member_a]).await;
    // Issue 20 item 5 (decision 0890): every kept signature verifies again from the events
    // and the signers' keys; the signers' ИИН only for those who read personal data.
    let checks = "query($a: UUID!) { announcement(id: $a) { protocols { kind { id } validity { id } signatureChecks { signerIin keyId outcome verified } } } }";
    for (who, sees_iin) in [(&c.secretary, true), (&c.suppliers[0], false)] {
        let d = app.ok(Some(who), checks, json!({"a": id})).await;
        let protocol = d["announcement"]["protocols"]
            .as_array()
            .and_then(|ps| {
                ps.iter()
                    .find(|p| p["kind"]["id"] == kind && p["validity"]["id"] == "valid")
            })
            .unwrap_or_else(|| panic!("{d}"));
        let checks = protocol["signatureChecks"].as_array().unwrap();
        assert_eq!(checks.len(), 3, "{d}");
        for check in checks {
            assert_eq!(check["outcome"], "verified", "{d}");
            assert_eq!(check["keyId"].as_str().map(str::len), Some(64), "{d}");
            assert_eq!(check["signerIin"].is_string(), sees_iin, "{d}");
        }
    }
    let (lots, _) = actions(&app, &c.suppliers[1], id).await;
    assert_eq!(on(&lots, pi1), vec!["supplement_application".to_owned()]);
    // Issue 24 item 3: the supplier's task, built from the same actions (decision 0656).
    assert_eq!(
        crate::tasks::my_tasks(&app, &c.suppliers[1], id, &Value::Null).await,
        vec![("supplement_application".to_owned(), Some(pi1.to_owned()))]
    );
    assert!(
        crate::tasks::my_tasks(&app, &c.suppliers[0], id, &Value::Null)
            .await
            .is_empty()
    );
    assert!(on(&lots, pi2).is_empty(), "{lots:?}");
    let (lots, _) = actions(&app, &c.suppliers[0], id).await;
    assert!(
        lots.iter().all(|(_, a)| a.is_empty()),
        "admitted everywhere: {lots:?}"
    );
}
