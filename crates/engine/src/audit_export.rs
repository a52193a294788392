//! An auditor's export of one announcement, and the offline check of its protocol signatures
//! (docs/decisions/0890): the announcement's stream and every signer's key stream, whole, with
//! their hash chains. `verify_export` needs nothing else: no database, no Zakup server, only the
//! events and the public keys they carry, so an auditor runs it on another machine.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::certificate::{Certificate, CertificateEvent, key_id};
use zakup_domain::protocol::{ProtocolKind, ProtocolSigned};
use zakup_store::chain::{GENESIS, recompute};
use zakup_store::{RecordedEvent, StreamRange};

use crate::{Engine, EngineError};

/// The export's format tag: a reader refuses a format it does not know.
pub const EXPORT_FORMAT: &str = "zakup-announcement-export/1";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AnnouncementExport {
    pub format: String,
    pub announcement_id: Uuid,
    /// The announcement's stream first, then `certificate-<ИИН>` of every signer.
    pub streams: Vec<ExportedStream>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportedStream {
    pub stream_id: String,
    pub events: Vec<RecordedEvent>,
}

/// What the check found for one signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignatureOutcome {
    /// The signature verifies with the signer's key, active when it signed, over the hash of
    /// the protocol version's content.
    Verified,
    /// Recorded before signatures were kept (`ProtocolSigned` v1): verified at signing only.
    NotKept,
    /// No key of the signer's key stream has the signature's key id.
    UnknownKey,
    /// The key was not the signer's active key when it signed (replaced or revoked before).
    KeyNotActive,
    /// The signed hash is not the hash of the protocol version's content.
    ContentMismatch,
    /// The signature does not verify with the key.
    Invalid,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignatureCheck {
    pub kind: ProtocolKind,
    pub version: u32,
    pub signer_iin: String,
    pub signed_at: DateTime<Utc>,
    pub key_id: Option<String>,
    pub outcome: SignatureOutcome,
}

/// A link of a hash chain that does not hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenChain {
    pub stream_id: String,
    pub version: u64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExportReport {
    pub broken_chains: Vec<BrokenChain>,
    pub signatures: Vec<SignatureCheck>,
}

impl ExportReport {
    /// Every chain holds and every signature checked verifies; `NotKept` (v1) is not a failure
    /// of the export but says the signature cannot be checked again.
    pub fn holds(&self) -> bool {
        self.broken_chains.is_empty()
            && self.signatures.iter().all(|s| {
                matches!(
                    s.outcome,
                    SignatureOutcome::Verified | SignatureOutcome::NotKept
                )
            })
    }
}

impl Engine {
    /// The auditor's export of one announcement: its stream and its signers' key streams.
    /// It holds everything the stream holds, sealed applications included, so it is an
    /// operator's tool (`zakup export`), never served to a portal user.
    pub async fn export_announcement(&self, id: Uuid) -> Result<AnnouncementExport, EngineError> {
        let stream = Self::stream::<Announcement>(&id.to_string())?;
        let events = self.store.read_stream(&stream, StreamRange::all()).await?;
        let mut signers = BTreeSet::new();
        for event in &events {
            if let AnnouncementEvent::ProtocolSigned(e) = crate::decode::<Announcement>(event)? {
                signers.insert(e.signature.signer_iin.to_string());
            }
        }
        let mut streams = vec![ExportedStream {
            stream_id: stream.to_string(),
            events,
        }];
        for iin in signers {
            let stream = Self::stream::<Certificate>(&iin)?;
            let events = self.store.read_stream(&stream, StreamRange::all()).await?;
            streams.push(ExportedStream {
                stream_id: stream.to_string(),
                events,
            });
        }
        Ok(AnnouncementExport {
            format: EXPORT_FORMAT.into(),
            announcement_id: id,
            streams,
        })
    }
}

/// Checks the chains of every stream of the export and every signature of the protocol
/// versions `only` names (all of them without).
pub fn verify_export(
    export: &AnnouncementExport,
    only: Option<(ProtocolKind, u32)>,
) -> Result<ExportReport, String> {
    if export.format != EXPORT_FORMAT {
        return Err(format!(
            "unknown export format {:?} (expected {EXPORT_FORMAT})",
            export.format
        ));
    }
    let broken_chains = export.streams.iter().filter_map(broken_chain).collect();
    let announcement = format!("announcement-{}", export.announcement_id);
    let mut hashes = HashMap::new();
    let mut signed = Vec::new();
    let mut keys: HashMap<String, Vec<KeySpan>> = HashMap::new();
    for stream in &export.streams {
        for event in &stream.events {
            if stream.stream_id == announcement {
                match decode_announcement(event)? {
                    AnnouncementEvent::ProtocolFormed(e) => {
                        // Recomputed from the content, not read from the event: a changed
                        // content no longer matches what was signed.
                        let key = (e.content.kind, e.content.version);
                        hashes.insert(key, e.content.sha256_hex());
                    }
                    AnnouncementEvent::ProtocolSigned(e) => signed.push(e),
                    _ => {}
                }
            } else if let Some(iin) = stream.stream_id.strip_prefix("certificate-") {
                fold_key(keys.entry(iin.to_owned()).or_default(), event)?;
            }
        }
    }
    let signatures = signed
        .iter()
        .filter(|e| only.is_none_or(|(kind, version)| e.kind == kind && e.version == version))
        .map(|e| check(e, hashes.get(&(e.kind, e.version)), &keys))
        .collect();
    Ok(ExportReport {
        broken_chains,
        signatures,
    })
}

/// One registered key and when it was the signer's active key.
struct KeySpan {
    public_key_hex: String,
    from: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
}

fn fold_key(spans: &mut Vec<KeySpan>, event: &RecordedEvent) -> Result<(), String> {
    let decoded =
        CertificateEvent::from_stored(&event.event_type, event.schema_version, &event.payload)
            .map_err(|e| format!("{} version {}: {e}", event.stream_id, event.version))?;
    // A registration replaces the key before it; a revocation ends the active one.
    let at = match &decoded {
        CertificateEvent::Registered(e) => e.registered_at,
        CertificateEvent::Revoked(e) => e.revoked_at,
    };
    if let Some(open) = spans.last_mut().filter(|s| s.until.is_none()) {
        open.until = Some(at);
    }
    if let CertificateEvent::Registered(e) = decoded {
        spans.push(KeySpan {
            public_key_hex: e.public_key_hex,
            from: e.registered_at,
            until: None,
        });
    }
    Ok(())
}

fn decode_announcement(event: &RecordedEvent) -> Result<AnnouncementEvent, String> {
    AnnouncementEvent::from_stored(&event.event_type, event.schema_version, &event.payload)
        .map_err(|e| format!("{} version {}: {e}", event.stream_id, event.version))
}

fn check(
    e: &ProtocolSigned,
    content_hash: Option<&String>,
    keys: &HashMap<String, Vec<KeySpan>>,
) -> SignatureCheck {
    let signature = &e.signature;
    let proof = signature.proof.as_ref();
    let outcome = match proof {
        None => SignatureOutcome::NotKept,
        Some(proof) => {
            let iin = signature.signer_iin.to_string();
            let spans = keys.get(&iin).map(Vec::as_slice).unwrap_or_default();
            let span = spans
                .iter()
                .find(|s| key_id(&s.public_key_hex).as_deref() == Some(proof.key_id.as_str()));
            match span {
                None => SignatureOutcome::UnknownKey,
                Some(s)
                    if s.from > signature.signed_at
                        || s.until.is_some_and(|u| u <= signature.signed_at) =>
                {
                    SignatureOutcome::KeyNotActive
                }
                Some(_) if content_hash != Some(&signature.content_sha256) => {
                    SignatureOutcome::ContentMismatch
                }
                Some(s) => match crate::signature::verify(
                    &s.public_key_hex,
                    signature.content_sha256.as_bytes(),
                    &proof.signature_hex,
                ) {
                    Ok(()) => SignatureOutcome::Verified,
                    Err(_) => SignatureOutcome::Invalid,
                },
            }
        }
    };
    SignatureCheck {
        kind: e.kind,
        version: e.version,
        signer_iin: signature.signer_iin.to_string(),
        signed_at: signature.signed_at,
        key_id: proof.map(|p| p.key_id.clone()),
        outcome,
    }
}

/// The first link of the stream's chain that does not hold: versions run 0, 1, 2, … and each
/// hash covers the event and its predecessor's hash (`zakup_store::chain`).
fn broken_chain(stream: &ExportedStream) -> Option<BrokenChain> {
    let mut prev = GENESIS.to_owned();
    for (expected, event) in (0u64..).zip(&stream.events) {
        let broken = |reason: String| {
            Some(BrokenChain {
                stream_id: stream.stream_id.clone(),
                version: event.version,
                reason,
            })
        };
        if event.stream_id.as_str() != stream.stream_id || event.version != expected {
            return broken(format!(
                "expected version {expected} of {}",
                stream.stream_id
            ));
        }
        match recompute(&prev, event) {
            Ok(hash) if hash == event.hash => prev = hash,
            Ok(hash) => {
                return broken(format!(
                    "stored hash {} does not match the content (recomputed {hash})",
                    event.hash
                ));
            }
            Err(e) => return broken(e.to_string()),
        }
    }
    None
}
