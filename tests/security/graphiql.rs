//! Issue 26, defect 10: GraphiQL loaded unpinned scripts from a public CDN, with no SRI or CSP,
//! and showed a blank page on a machine without internet. Now its files are served by the
//! binary, pinned, under a Content-Security-Policy that lets the page load only from the server
//! (decision 0683).

use chrono::{TimeZone, Utc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::e2e::{App, spawn_app};

/// GET `path`: the status, the head (lower case) and the body.
async fn get(app: &App, path: &str) -> (u16, String, Vec<u8>) {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        app.addr
    );
    let mut stream = tokio::net::TcpStream::connect(app.addr)
        .await
        .expect("connect");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("receive");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response");
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    (status, head, raw[split + 4..].to_vec())
}

fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("{name} in {head}"))
}

/// The values of `attribute="…"` in `page`.
fn attributes<'a>(page: &'a str, attribute: &str) -> Vec<&'a str> {
    let marker = format!("{attribute}=\"");
    page.match_indices(&marker)
        .map(|(at, _)| {
            let rest = &page[at + marker.len()..];
            &rest[..rest.find('"').expect("a closing quote")]
        })
        .collect()
}

#[tokio::test]
async fn graphiql_is_served_by_the_binary_under_a_content_security_policy() {
    let app = spawn_app(Utc.with_ymd_and_hms(2026, 1, 12, 5, 0, 0).unwrap()).await;
    let (status, head, page) = get(&app, "/graphql").await;
    assert_eq!(status, 200);
    assert_eq!(header(&head, "content-type"), "text/html; charset=utf-8");
    let csp = header(&head, "content-security-policy");
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    assert!(!csp.contains("unsafe"), "{csp}");
    let page = String::from_utf8(page).expect("UTF-8");
    assert!(!page.contains("//"), "no address of another server: {page}");
    assert!(!page.contains("<script>"), "no inline script: {page}");
    assert!(!page.contains("<style"), "no inline style: {page}");
    let assets: Vec<&str> = attributes(&page, "src")
        .into_iter()
        .chain(attributes(&page, "href"))
        .collect();
    assert_eq!(assets.len(), 6, "{assets:?}");
    for asset in assets {
        assert!(asset.starts_with("/graphiql/"), "{asset}");
        let (status, head, body) = get(&app, asset).await;
        assert_eq!(status, 200, "{asset}");
        let expected = if asset.ends_with(".js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(header(&head, "content-type"), expected, "{asset}");
        assert_eq!(header(&head, "content-security-policy"), csp, "{asset}");
        assert_eq!(header(&head, "x-content-type-options"), "nosniff");
        assert!(!body.is_empty(), "{asset}");
    }
    // The pinned bundle, whole.
    let (_, _, bundle) = get(&app, "/graphiql/graphiql.min.js").await;
    assert_eq!(bundle.len(), 1_066_442);
    let (status, _, body) = get(&app, "/graphiql/other.js").await;
    assert_eq!(status, 404);
    let body: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
    assert_eq!(body["errors"][0]["extensions"]["code"], "not_found");
}
