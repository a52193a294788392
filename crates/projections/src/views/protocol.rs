//! The protocols: every version, with the validity the domain's fold gives it (a new version
//! makes the previous one «Не действительный»), its signatures and its signed content. A deleted
//! version stays, with when it was deleted (decision 0605).

use chrono::{DateTime, Utc};
use zakup_domain::announcement::Announcement;
use zakup_domain::protocol::{ProtocolContent, ProtocolKind};
use zakup_domain::status::ProtocolValidity;

#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolView {
    /// Its place in the order of formation, from 1: the row's key, as a version number may
    /// repeat in streams written before decision 0605.
    pub formation: u32,
    pub kind: ProtocolKind,
    pub version: u32,
    pub validity: ProtocolValidity,
    /// Formed by the portal without signatures.
    pub automatic: bool,
    /// What `signProtocol` must quote.
    pub content_sha256: String,
    pub formed_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
    pub signer_iins: Vec<String>,
    /// The signed content.
    pub content: ProtocolContent,
}

impl ProtocolView {
    /// Every protocol version of `a`, by formation, kind and version.
    pub fn all(a: &Announcement) -> Vec<ProtocolView> {
        let mut out: Vec<ProtocolView> = a
            .protocols
            .iter()
            .zip(1..)
            .map(|(p, formation)| ProtocolView {
                formation,
                kind: p.kind(),
                version: p.version(),
                validity: p.validity,
                automatic: p.automatic,
                content_sha256: p.content_sha256.clone(),
                formed_at: p.content.formed_at,
                published_at: p.published_at,
                deleted_at: p.deleted_at,
                signer_iins: p.signers().map(|i| i.to_string()).collect(),
                content: p.content.clone(),
            })
            .collect();
        out.sort_by(|x, y| {
            (x.formed_at, x.kind.id(), x.version, x.formation).cmp(&(
                y.formed_at,
                y.kind.id(),
                y.version,
                y.formation,
            ))
        });
        out
    }
}
