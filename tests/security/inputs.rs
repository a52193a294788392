//! Input limits (issue 26 item 4, docs/security.md "Input limits"): what a command may carry —
//! bounded names, no invisible characters, positive amounts, a lot that is its plan item. Each
//! test asserts the refusal code and that the store holds no more events than before.

use serde_json::json;
use uuid::Uuid;

use super::authorization::{events, header, start};
use crate::e2e::tender::cast;
use crate::e2e::{bin, person};

const DRAFT: &str = "mutation($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, announcementId: $a, number: \"16776705-1\", header: $h) { version } }";
const REQUEST: &str = "mutation($c: UUID!, $id: String!, $org: String!, $n: String!, $amount: String!) { requestProcurement(commandId: $c, planItemId: $id, organizerBin: $org, subjectType: \"goods\", nameRu: $n, amount: $amount) { version } }";

/// Defect 5: a 1M-character name, and names with NUL, CR/LF or a right-to-left override, are
/// refused with their codes (never `event_store_unavailable`), and nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn long_names_and_invisible_characters_are_refused() {
    let app = start().await;
    let c = cast();
    let before = events(&app).await;
    let long = "я".repeat(1_000_000);
    for (name, code) in [
        (long.as_str(), "text_too_long"),
        ("Ноутбуки\u{0}", "forbidden_characters"),
        ("Ноутбуки\r\nИтого: 1 ₸", "forbidden_characters"),
        ("Ноутбуки \u{202E}fdp.exe", "forbidden_characters"),
        ("\u{1B}[2J", "forbidden_characters"),
    ] {
        let refused = app
            .refused(
                Some(&c.organizer),
                DRAFT,
                json!({"c": Uuid::new_v4(), "a": Uuid::new_v4(), "h": header(name)}),
            )
            .await;
        assert_eq!(refused, code, "{name:.20}");
    }
    assert_eq!(events(&app).await, before, "nothing written");
}

/// Defect 10: a customer's request with 0.00 or -0.00 ₸, or with an empty name, is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_needs_a_name_and_a_positive_amount() {
    let app = start().await;
    let c = cast();
    let before = events(&app).await;
    for (name, amount, code) in [
        ("Бумага", "0.00", "amount_not_positive"),
        ("Бумага", "-0.00", "amount_not_positive"),
        ("", "100.00", "missing_field"),
    ] {
        let refused = app
            .refused(
                Some(&c.customer),
                REQUEST,
                json!({"c": Uuid::new_v4(), "id": "PI-SEC-1", "org": c.organizer.org, "n": name, "amount": amount}),
            )
            .await;
        assert_eq!(refused, code, "{name:?} {amount}");
    }
    assert_eq!(events(&app).await, before, "nothing written");
}

/// Defect 6: a plan item requested by one customer cannot be requested by another, even after
/// it was returned; a 1.00 ₸ request does not become a 999 999 999.00 ₸ lot, nor a lot of
/// another customer (decision 0634).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_plan_item_is_its_customers_and_the_lot_is_the_request() {
    let app = start().await;
    let c = cast();
    let other = person("customer_b", "Гимназия №3", 11, bin(3), "customer");
    let request = |id: &str, amount: &str| json!({"c": Uuid::new_v4(), "id": id, "org": c.organizer.org, "n": "Бумага", "amount": amount});
    app.ok(Some(&c.customer), REQUEST, request("PI-SEC-1", "1.00"))
        .await;
    app.ok(Some(&c.customer), REQUEST, request("PI-SEC-2", "1.00"))
        .await;
    app.command(&c.organizer, "($c: UUID!, $i: String!) { returnToCustomer(commandId: $c, planItemId: $i, reason: \"Уточните сумму\") { version } }",
        json!({"i": "PI-SEC-2"})).await;
    let id = Uuid::new_v4();
    app.ok(
        Some(&c.organizer),
        DRAFT,
        json!({"c": Uuid::new_v4(), "a": id, "h": header("Бумага")}),
    )
    .await;
    let before = events(&app).await;
    let refused = app
        .refused(Some(&other), REQUEST, request("PI-SEC-2", "1.00"))
        .await;
    assert_eq!(refused, "foreign_plan_item");
    let lot = |amount: &str, customer: &str| {
        json!({"c": Uuid::new_v4(), "a": id, "l": [{"planItemId": "PI-SEC-1", "lotNumber": "87491610-ОК1",
            "customerBin": customer, "nameRu": "Бумага", "nameKk": "Қағаз", "amount": amount}]})
    };
    let add = "mutation($c: UUID!, $a: UUID!, $l: [LotSourceInput!]!) { addLots(commandId: $c, announcementId: $a, lots: $l) { version } }";
    for (amount, customer) in [
        ("999999999.00", c.customer.org.as_str()),
        ("1.00", other.org.as_str()),
    ] {
        let refused = app
            .refused(Some(&c.organizer), add, lot(amount, customer))
            .await;
        assert_eq!(refused, "lot_does_not_match_request", "{amount} {customer}");
    }
    assert_eq!(events(&app).await, before, "nothing written");
    app.ok(Some(&c.organizer), add, lot("1.00", &c.customer.org))
        .await;
}

/// Defect 10: an unknown field in an input object, as a variable or written in the query, is
/// refused, never silently dropped; nothing is written.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn unknown_input_fields_are_refused() {
    let app = start().await;
    let c = cast();
    let before = events(&app).await;
    let mut extra = header("Закупка ноутбуков");
    extra["nameEn"] = json!("Laptops");
    let response = app
        .post(
            Some(&c.organizer),
            DRAFT,
            json!({"c": Uuid::new_v4(), "a": Uuid::new_v4(), "h": extra}),
        )
        .await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nameEn")),
        "{response}"
    );
    let literal = "mutation($c: UUID!, $a: UUID!) { createDraft(commandId: $c, announcementId: $a, number: \"1-1\", header: {method: open_tender, procurementType: first, subjectType: goods, nameKk: \"А\", nameRu: \"Б\", amongDisabledOrganizations: false, singleOrganizer: false, nameEn: \"C\"}) { version } }";
    let response = app
        .post(
            Some(&c.organizer),
            literal,
            json!({"c": Uuid::new_v4(), "a": Uuid::new_v4()}),
        )
        .await;
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("nameEn")),
        "{response}"
    );
    assert_eq!(events(&app).await, before, "nothing written");
}

/// What the server answers on a raw connection once `request` is sent (write errors ignored: the
/// server may close before reading everything), within `wait`.
async fn raw(app: &crate::e2e::App, request: &[u8], wait: std::time::Duration) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    let _ = stream.write_all(request).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(wait, stream.read_to_end(&mut answer)).await;
    assert!(
        read.is_ok(),
        "the server kept the connection open past {wait:?}"
    );
    String::from_utf8_lossy(&answer).into_owned()
}

/// Defect 5: a body of 50 MB is refused with 413 and `payload_too_large` from its
/// `Content-Length`, before it is read; a chunked body is refused once it passes 4 MiB;
/// nothing is written (decision 0636).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_50_mb_body_is_refused() {
    let app = start().await;
    let before = events(&app).await;
    let declared = format!(
        "POST /graphql HTTP/1.1\r\nHost: zakup\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{{\"query\":\"",
        50 * 1024 * 1024
    );
    let wait = std::time::Duration::from_secs(10);
    let answer = raw(&app, declared.as_bytes(), wait).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.200}");
    assert!(answer.contains("payload_too_large"), "{answer:.400}");
    let chunk = vec![b'a'; 5 * 1024 * 1024];
    let mut chunked = format!(
        "POST /graphql HTTP/1.1\r\nHost: zakup\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n",
        chunk.len()
    )
    .into_bytes();
    chunked.extend_from_slice(&chunk);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let answer = raw(&app, &chunked, wait).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer:.200}");
    assert_eq!(events(&app).await, before, "nothing written");
}

/// Defect 5: a request head of 200 KB is refused (431 by the HTTP layer, or the connection is
/// closed), never served.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_200_kb_header_is_refused() {
    let app = start().await;
    let request = format!(
        "GET /health HTTP/1.1\r\nHost: zakup\r\nX-Padding: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(200 * 1024)
    );
    let answer = raw(&app, request.as_bytes(), std::time::Duration::from_secs(10)).await;
    assert!(
        answer.is_empty() || answer.starts_with("HTTP/1.1 431"),
        "{answer:.200}"
    );
    let (status, _) = app.get("/health").await;
    assert_eq!(status, 200, "the server serves the next client");
}

/// Defect 5: a client that opens a connection and sends half a request head is cut off after
/// the header-read timeout (10 s), as is a kept-alive connection left idle.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn half_open_and_idle_connections_are_timed_out() {
    let app = start().await;
    let limit = zakup_api::server::HEADER_READ_TIMEOUT + std::time::Duration::from_secs(5);
    let answer = raw(&app, b"GET /health HTTP/1.1\r\nHost: zak", limit).await;
    assert!(!answer.contains(" 200 "), "{answer:.200}");
    let idle = raw(&app, b"GET /health HTTP/1.1\r\nHost: zakup\r\n\r\n", limit).await;
    assert!(idle.starts_with("HTTP/1.1 200"), "{idle:.200}");
}
