//! OCDS publication (issue 23): `GET /ocds/releases?since=<cursor>&limit=<n>` pages the release
//! packages of every announcement in log order, `GET /ocds/records/{ocid}` gives one record
//! package (releases, compiled and versioned release), and `/ocds/extensions/zakup/*` serves the
//! Zakup extension the packages declare. Anonymous: the read model holds only public data
//! (decision 0780).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use zakup_ocds::package::{Publication, record_package, release_package};
use zakup_projections::ocds::{Cursor, releases_after, releases_of};

use crate::AppState;
use crate::http_error;

/// Releases per page unless `limit` says fewer.
pub const PAGE: i64 = 100;
/// The most a page may hold.
pub const MAX_PAGE: i64 = 1000;

const EXTENSION: &str = include_str!("../../../schemas/ocds/extensions/zakup/extension.json");
const EXTENSION_SCHEMA: &str =
    include_str!("../../../schemas/ocds/extensions/zakup/release-schema.json");

/// Both kept as text, so that a malformed one is refused in the typed error shape rather than
/// by the extractor's plain-text 400.
#[derive(Deserialize)]
pub struct Page {
    since: Option<String>,
    limit: Option<String>,
}

/// The portal's base URL as the client reached it.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

/// The database's own words stay on the server: they may name its host.
fn unavailable(_: sqlx::Error) -> Response {
    http_error::json(
        StatusCode::SERVICE_UNAVAILABLE,
        "read_models_unavailable",
        "Витрины данных недоступны",
        "the read models are unavailable",
    )
}

fn invalid(field: &str, why: &str) -> Response {
    http_error::json(
        StatusCode::BAD_REQUEST,
        "invalid_input",
        &format!("Недопустимое значение параметра {field}"),
        &format!("invalid {field}: {why}"),
    )
}

pub async fn releases(
    State(app): State<AppState>,
    headers: HeaderMap,
    Query(page): Query<Page>,
) -> Response {
    let since = match page.since.as_deref().map(str::parse::<Cursor>).transpose() {
        Ok(since) => since,
        Err(why) => return invalid("since", &why),
    };
    let limit = match page.limit.as_deref().map(str::parse::<i64>) {
        None => PAGE,
        Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
        Some(_) => return invalid("limit", &format!("not a number from 1 to {MAX_PAGE}")),
    };
    let found = match releases_after(&app.pool, since, limit).await {
        Ok(found) => found,
        Err(e) => return unavailable(e),
    };
    let base = base(&headers);
    let query = |since: Option<Cursor>| match since {
        Some(c) => format!("{base}/ocds/releases?since={c}&limit={limit}"),
        None => format!("{base}/ocds/releases?limit={limit}"),
    };
    let next = found.last().map(|(c, _)| *c);
    let publication = Publication {
        uri: query(since),
        base_url: base.clone(),
    };
    let full = found.len() as i64 == limit;
    let mut package = release_package(found.into_iter().map(|(_, r)| r).collect(), &publication);
    // The pagination extension's links: the next page, while this one is full.
    package["links"] = json!({ "next": if full { next.map(|c| query(Some(c))) } else { None } });
    if let Some(c) = next {
        package["links"]["cursor"] = json!(c.to_string());
    }
    Json(package).into_response()
}

pub async fn record(
    State(app): State<AppState>,
    headers: HeaderMap,
    Path(ocid): Path<String>,
) -> Response {
    match record_of(&app.pool, &base(&headers), &ocid).await {
        Ok(Some(package)) => Json(package).into_response(),
        Ok(None) => http_error::json(
            StatusCode::NOT_FOUND,
            "not_found",
            "Нет опубликованных сведений по этому ocid",
            "no published release has this ocid",
        ),
        Err(e) => unavailable(e),
    }
}

/// The record package of `ocid`; none without a release (unknown, or not yet published).
pub async fn record_of(
    pool: &sqlx::PgPool,
    base: &str,
    ocid: &str,
) -> Result<Option<Value>, sqlx::Error> {
    let releases = releases_of(pool, ocid).await?;
    if releases.is_empty() {
        return Ok(None);
    }
    let publication = Publication {
        uri: format!("{base}/ocds/records/{ocid}"),
        base_url: base.to_owned(),
    };
    Ok(Some(record_package(ocid, releases, &publication)))
}

/// The GraphQL field `ocdsRecord`: the record of announcement `id` from its releases dated up to
/// `until` (all without); none before its first release.
pub async fn graphql_record(
    pool: &sqlx::PgPool,
    id: uuid::Uuid,
    until: Option<chrono::DateTime<chrono::Utc>>,
) -> async_graphql::Result<Option<async_graphql::Json<Value>>> {
    let ocid = zakup_ocds::ocid(id);
    let mut releases = releases_of(pool, &ocid)
        .await
        .map_err(crate::refusal::read_models)?;
    if let Some(until) = until {
        releases.retain(|r| {
            r["date"]
                .as_str()
                .and_then(|d| chrono::DateTime::parse_from_rfc3339(d).ok())
                .is_some_and(|d| d <= until)
        });
    }
    Ok((!releases.is_empty())
        .then(|| async_graphql::Json(zakup_ocds::package::record(&ocid, releases))))
}

pub async fn extension(Path(file): Path<String>) -> Response {
    let body = match file.as_str() {
        "extension.json" => EXTENSION,
        "release-schema.json" => EXTENSION_SCHEMA,
        _ => return http_error::not_found().await,
    };
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        body,
    )
        .into_response()
}

/// `zakup ocds export`: the releases dated in `[from, to)`, in log order, as JSON Lines of
/// release packages of at most `per_package` releases each. Returns how many releases it wrote.
pub async fn export(
    pool: &sqlx::PgPool,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    base_url: &str,
    per_package: i64,
    out: &mut dyn std::io::Write,
) -> Result<usize, Box<dyn std::error::Error + Send + Sync>> {
    let (mut since, mut written, mut part) = (None, 0, 0);
    loop {
        let page =
            zakup_projections::ocds::releases_between(pool, from, to, since, per_package).await?;
        let Some((last, _)) = page.last() else {
            return Ok(written);
        };
        since = Some(*last);
        part += 1;
        written += page.len();
        let publication = Publication {
            uri: format!(
                "{}/ocds/export/{}-{}-{part}.jsonl",
                base_url.trim_end_matches('/'),
                from.format("%Y%m%dT%H%M%SZ"),
                to.format("%Y%m%dT%H%M%SZ"),
            ),
            base_url: base_url.to_owned(),
        };
        let package = release_package(page.into_iter().map(|(_, r)| r).collect(), &publication);
        serde_json::to_writer(&mut *out, &package)?;
        out.write_all(b"\n")?;
    }
}
