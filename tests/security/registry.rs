//! The registry decides what a user may do for an organisation (issue 18 items 1–3, spec 002
//! §4.A.1, §4.A.5, §4.A.8; decisions 0820, 0824), on a server that runs as `zakup serve` does by
//! default: an organisation acts only once registered, an employee signs in with the key
//! registered for its ИИН, and a blocked employee's next command is refused with a code.

use serde_json::{Value, json};

use crate::e2e::{App, Person, astana, bin, person, spawn_enforced};

const REQUEST: &str = "mutation($c: UUID!, $id: String!, $org: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: \"Ноутбуки\", amount: \"9000000.00\") { version } }";

/// POST /graphql with a bearer token of the caller's own (the one `signIn` answered).
async fn post_as(app: &App, token: &str, query: &str, variables: Value) -> Value {
    let body = json!({"query": query, "variables": variables}).to_string();
    let request = format!(
        "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        app.addr,
        body.len()
    );
    serde_json::from_str(&app.http(&request).await.1).expect("a JSON response")
}

fn code(response: &Value) -> &str {
    response["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("not refused with a code: {response}"))
}

/// A1–A4: a nonce, signed with `who`'s key (or a wrong one), sent back.
async fn sign_in(app: &App, who: &Person, right_key: bool) -> Value {
    let challenge = app
        .ok(None, "mutation($i: String!, $o: String!) { requestSignInChallenge(iin: $i, orgBin: $o) { nonce expiresAt } }",
            json!({"i": who.iin, "o": who.org}))
        .await;
    let nonce = challenge["requestSignInChallenge"]["nonce"]
        .as_str()
        .expect("a nonce");
    let signer = if right_key {
        who.clone()
    } else {
        Person {
            iin: crate::e2e::iin(99),
            ..who.clone()
        }
    };
    app.post(None, "mutation($i: String!, $o: String!, $n: String!, $s: String!) { signIn(iin: $i, orgBin: $o, nonce: $n, signature: $s) { token expiresAt } }",
        json!({"i": who.iin, "o": who.org, "n": nonce, "s": signer.sign(nonce)})).await
}

/// Issue 18, the end-to-end test: register a participant, add an employee, sign in with the
/// key, act, block the employee (E2), and the next command is refused with a code.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_employee_signs_in_acts_and_is_refused_once_blocked() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_enforced(astana(&calendar, "2026-02-02 09:00")).await;
    let org = bin(30);
    let admin = person("admin", "Ахметова Сауле", 30, org.clone(), "org_admin");
    let employee = person("buyer", "Нуров Алибек", 31, org.clone(), "customer");
    let request = |n: &str| json!({"c": uuid::Uuid::new_v4(), "id": n, "org": bin(1)});

    // Not registered: the token's role is not enough (decision 0820).
    let refused = app
        .refused(Some(&employee), REQUEST, request("PI-REG-0"))
        .await;
    assert_eq!(refused, "participant_not_registered");

    app.register_organisation(&admin, &["customer"], &[&employee])
        .await;
    // The employee registers its own key (the first key is the user's own, decision 0631).
    app.command(&employee, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": employee.iin, "k": employee.public_key_hex()})).await;

    assert_eq!(
        code(&sign_in(&app, &employee, false).await),
        "invalid_signature"
    );
    let signed_in = sign_in(&app, &employee, true).await;
    let token = signed_in["data"]["signIn"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("signed in: {signed_in}"))
        .to_owned();

    let acted = post_as(&app, &token, REQUEST, request("PI-REG-1")).await;
    assert!(acted.get("errors").is_none(), "{acted}");

    app.block(&admin, &employee, true).await;
    let refused = post_as(&app, &token, REQUEST, request("PI-REG-2")).await;
    assert_eq!(code(&refused), "employee_blocked");
    assert_eq!(
        code(&sign_in(&app, &employee, true).await),
        "employee_blocked"
    );

    // A user of another organisation with an administrator's token administers nothing here.
    let outsider = person("outsider", "Чужой Админ", 32, org, "org_admin");
    let refused = app
        .refused(Some(&outsider), "mutation($c: UUID!, $i: String!) { unblockEmployee(commandId: $c, iin: $i) { version } }",
            json!({"c": uuid::Uuid::new_v4(), "i": employee.iin}))
        .await;
    assert_eq!(refused, "not_an_employee");
}

/// S6 over HTTP: five wrong signatures in a row lock the sign-in; the right key is then refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn five_wrong_signatures_lock_the_sign_in() {
    let calendar = zakup_domain::calendar::Calendar::embedded().expect("calendar");
    let app = spawn_enforced(astana(&calendar, "2026-02-02 09:00")).await;
    let admin = person("admin", "Ахметова Сауле", 33, bin(33), "org_admin");
    app.register_organisation(&admin, &["supplier"], &[]).await;
    app.command(&admin, "($c: UUID!, $i: String!, $k: String!) { registerSigningKey(commandId: $c, iin: $i, publicKeyHex: $k) { version } }",
        json!({"i": admin.iin, "k": admin.public_key_hex()})).await;
    for _ in 0..5 {
        assert_eq!(
            code(&sign_in(&app, &admin, false).await),
            "invalid_signature"
        );
    }
    let refused = app
        .post(None, "mutation($i: String!, $o: String!) { requestSignInChallenge(iin: $i, orgBin: $o) { nonce } }",
            json!({"i": admin.iin, "o": admin.org}))
        .await;
    assert_eq!(code(&refused), "sign_in_locked");
}
