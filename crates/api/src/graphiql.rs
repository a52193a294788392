//! GraphiQL, served by the binary itself (issue 26, defect 10; decision 0683): its scripts and
//! styles are pinned files embedded at build time (`crates/api/assets/graphiql/`, with their
//! licences and hashes in its README), the page loads nothing from elsewhere, and a
//! Content-Security-Policy lets the browser run only this server's scripts. It works on a
//! machine without internet.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Only this server's files; the fonts and icons GraphiQL's stylesheet carries inline are
/// `data:` URLs. No inline script or style, no `eval`, no frame around the page.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; \
    object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = include_str!("../assets/graphiql/index.html");

/// The files under `/graphiql/`: name, content type, bytes.
const ASSETS: [(&str, &str, &[u8]); 6] = [
    (
        "graphiql.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/graphiql.min.js"),
    ),
    (
        "graphiql.min.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/graphiql/graphiql.min.css"),
    ),
    (
        "react.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react.production.min.js"),
    ),
    (
        "react-dom.production.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/react-dom.production.min.js"),
    ),
    (
        "zakup.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/graphiql/zakup.js"),
    ),
    (
        "zakup.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/graphiql/zakup.css"),
    ),
];

/// `GET /graphql`: the page.
pub async fn page() -> Response {
    secured(([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE))
}

/// `GET /graphiql/{file}`: one of the embedded files, or 404 in the usual JSON shape.
pub async fn asset(Path(file): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => {
            let mut response = secured(([(header::CONTENT_TYPE, *content_type)], *bytes));
            // The files change only with the binary.
            response.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=3600"),
            );
            response
        }
        None => crate::http_error::json(
            StatusCode::NOT_FOUND,
            "not_found",
            "Нет такого файла",
            "no such file",
        ),
    }
}

fn secured(response: impl IntoResponse) -> Response {
    let mut response = response.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
