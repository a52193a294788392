//! Protocols: every version, with its validity («Действительный» / «Не действительный»), its
//! signatures and the exact content that is signed.

use async_graphql::{ComplexObject, Context, Json, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::ProtocolValidity;
use zakup_engine::audit_export::{SignatureOutcome, verify_export};
use zakup_projections::views::ProtocolView;

use crate::page::app;
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
#[graphql(complex)]
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
    #[graphql(skip)]
    pub announcement_id: Uuid,
    #[graphql(skip)]
    pub protocol_kind: ProtocolKind,
    /// The signers this version shows (in a replay: as of then), kept when `signer_iins` is
    /// masked, so that `signatureChecks` shows no signature the version does not.
    #[graphql(skip)]
    pub signed_by: Vec<String>,
}

/// One signature checked again (decision 0890).
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct SignatureCheck {
    /// As `signerIins`: null for whoever does not read personal data.
    pub signer_iin: Option<String>,
    pub signed_at: DateTime<Utc>,
    /// The SHA-256 of the signer's public key; null for a signature recorded before signatures
    /// were kept.
    pub key_id: Option<String>,
    /// `verified`, `not_kept`, `unknown_key`, `key_not_active`, `content_mismatch`, `invalid`.
    pub outcome: String,
    pub verified: bool,
}

#[ComplexObject]
impl Protocol {
    /// Every signature of this version checked again as `zakup verify-protocol` checks an
    /// export offline: the hash of the content, the signer's key active when it signed (from
    /// its key stream), the Ed25519 signature. Nothing is trusted but the events.
    async fn signature_checks(&self, ctx: &Context<'_>) -> Result<Vec<SignatureCheck>> {
        let export = app(ctx)
            .engine
            .export_announcement(self.announcement_id)
            .await
            .map_err(|e| refusal::engine(&e))?;
        let version = u32::try_from(self.version).unwrap_or_default();
        let report = verify_export(&export, Some((self.protocol_kind, version)))
            .map_err(|e| refusal::coded("export_invalid", &e, &e))?;
        let masked = self.signer_iins.is_none();
        Ok(report
            .signatures
            .into_iter()
            .filter(|s| self.signed_by.contains(&s.signer_iin))
            .map(|s| SignatureCheck {
                signer_iin: (!masked).then_some(s.signer_iin),
                signed_at: s.signed_at,
                key_id: s.key_id,
                outcome: serde_json::to_value(s.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                verified: s.outcome == SignatureOutcome::Verified,
            })
            .collect())
    }
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
            signed_by: r.try_get("signer_iins")?,
            signer_iins: Some(r.try_get("signer_iins")?),
            content: Json(r.try_get("content")?),
            announcement_id: id,
            protocol_kind: serde_json::from_value(serde_json::Value::String(
                r.try_get::<String, _>("kind")?,
            ))
            .map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
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
            signed_by: v.signer_iins.clone(),
            signer_iins: Some(v.signer_iins),
            content: Json(serde_json::to_value(&v.content).unwrap_or_default()),
            announcement_id: v.content.announcement_id,
            protocol_kind: v.kind,
        }
    }
}
