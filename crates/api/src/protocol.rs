//! Protocols: every version, with its validity («Действительный» / «Не действительный»), its
//! signatures and the exact content that is signed.

use async_graphql::{Json, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::ProtocolValidity;
use zakup_projections::views::ProtocolView;

use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Protocol {
    pub kind: Term,
    pub version: i32,
    pub validity: Term,
    /// Formed by the portal without signatures.
    pub automatic: bool,
    /// What `signProtocol` must quote.
    pub content_sha256: String,
    pub formed_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// Deleted by the secretary before signing; the version stays «Не действительный».
    pub deleted_at: Option<DateTime<Utc>>,
    /// The signers' ИИН: for the organizer's staff and the auditors only, null for everyone
    /// else (decision 0671).
    pub signer_iins: Option<Vec<String>>,
    /// The signed content (see `ProtocolContent` in the event schemas).
    pub content: Json<serde_json::Value>,
}

pub async fn of_announcement(pool: &sqlx::PgPool, id: Uuid) -> Result<Vec<Protocol>> {
    let rows = sqlx::query(
        "SELECT kind, version, validity, automatic, content_sha256, formed_at, published_at,
                deleted_at, signer_iins, content
           FROM rm.protocols WHERE announcement_id = $1
          ORDER BY formed_at, kind, version, formation",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    let read = |r: &sqlx::postgres::PgRow| -> Result<Protocol, sqlx::Error> {
        Ok(Protocol {
            kind: Term::stored::<ProtocolKind>(&r.try_get::<String, _>("kind")?),
            version: r.try_get("version")?,
            validity: Term::stored::<ProtocolValidity>(&r.try_get::<String, _>("validity")?),
            automatic: r.try_get("automatic")?,
            content_sha256: r.try_get("content_sha256")?,
            formed_at: r.try_get("formed_at")?,
            published_at: r.try_get("published_at")?,
            deleted_at: r.try_get("deleted_at")?,
            signer_iins: Some(r.try_get("signer_iins")?),
            content: Json(r.try_get("content")?),
        })
    };
    rows.iter()
        .map(read)
        .collect::<Result<_, _>>()
        .map_err(refusal::read_models)
}

impl From<ProtocolView> for Protocol {
    /// A protocol version as the views show it (the auditors' replay).
    fn from(v: ProtocolView) -> Self {
        Protocol {
            kind: Term::of(v.kind),
            version: v.version as i32,
            validity: Term::of(v.validity),
            automatic: v.automatic,
            content_sha256: v.content_sha256,
            formed_at: v.formed_at,
            published_at: v.published_at,
            deleted_at: v.deleted_at,
            signer_iins: Some(v.signer_iins),
            content: Json(serde_json::to_value(&v.content).unwrap_or_default()),
        }
    }
}
