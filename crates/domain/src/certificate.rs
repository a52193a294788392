//! A user's signing key (ЭЦП), registered against the user's ИИН in its own stream
//! `certificate-<iin>`. Protocols are signed by commission members (spec 000-A §6, L2577–2611);
//! the engine verifies each signature against the key registered here before the announcement
//! records it, and the event records the hash of the exact content signed.
//!
//! The portal binds keys to NCA certificates issued to the person (spec 002-003: registration
//! and login by certificate). Zakup keeps the public key only, as Ed25519: see
//! docs/decisions/0401-protocol-signatures.md.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::refusal;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyAlgorithm {
    Ed25519,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SigningKeyRegistered {
    pub iin: Iin,
    pub org_bin: Bin,
    pub algorithm: KeyAlgorithm,
    /// The 32-byte public key, lowercase hex.
    pub public_key_hex: String,
    pub registered_by: Iin,
    pub registered_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SigningKeyRevoked {
    pub reason: String,
    pub revoked_by: Iin,
    pub revoked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateCommand {
    /// Registers (or replaces) the signing key of the user `iin`: the user; a replacement also
    /// an administrator of the user's organisation.
    Register {
        iin: Iin,
        public_key_hex: String,
    },
    Revoke {
        reason: String,
    },
}

event_set! {
    pub enum CertificateEvent {
        Registered(SigningKeyRegistered) = 1,
        Revoked(SigningKeyRevoked) = 1,
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Certificate {
    pub iin: Option<Iin>,
    pub org_bin: Option<Bin>,
    pub key: Option<SigningKeyRegistered>,
    pub revoked: Option<SigningKeyRevoked>,
}

/// A public key's id (decision 0890): the SHA-256 of its raw bytes, lowercase hex, so an
/// auditor holding only the key computes it; `None` for a key that is not hex.
pub fn key_id(public_key_hex: &str) -> Option<String> {
    use sha2::{Digest, Sha256};
    let hex = public_key_hex.trim();
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(
        Sha256::digest(bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

impl Certificate {
    /// The key that verifies signatures now, if any.
    pub fn active_key(&self) -> Option<&SigningKeyRegistered> {
        self.key.as_ref().filter(|_| self.revoked.is_none())
    }

    pub fn decide(
        &self,
        command: CertificateCommand,
        ctx: &Context,
    ) -> Result<Vec<CertificateEvent>, DomainError> {
        match command {
            CertificateCommand::Register {
                iin,
                public_key_hex,
            } => {
                // Revoking stays open: a compromised key must not wait for a notice to be read.
                ctx.require_portal_unblocked(None)?;
                if self.iin.is_some_and(|owner| owner != iin) {
                    return Err(refusal!(
                        certificate_owner_mismatch,
                        "Ключ принадлежит другому ИИН",
                        "this key stream belongs to another ИИН"
                    ));
                }
                self.require_owner_or_admin(iin, ctx)?;
                let key = public_key_hex.trim().to_ascii_lowercase();
                if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(refusal!(
                        invalid_public_key,
                        "Открытый ключ должен содержать 32 байта (64 шестнадцатеричных символа)",
                        "the public key must be 32 bytes (64 hex digits)"
                    ));
                }
                Ok(vec![CertificateEvent::Registered(SigningKeyRegistered {
                    iin,
                    // An administrator registers for an employee of its own organisation.
                    org_bin: ctx.actor.org,
                    algorithm: KeyAlgorithm::Ed25519,
                    public_key_hex: key,
                    registered_by: ctx.actor.iin,
                    registered_at: ctx.now,
                })])
            }
            CertificateCommand::Revoke { reason } => {
                let (Some(iin), Some(_)) = (self.iin, self.active_key()) else {
                    return Err(refusal!(
                        no_signing_key,
                        "Ключ подписи не зарегистрирован",
                        "no signing key is registered"
                    ));
                };
                self.require_owner_or_admin(iin, ctx)?;
                if reason.trim().is_empty() {
                    return Err(refusal!(
                        missing_field,
                        "Укажите причину отзыва",
                        "a reason is required"
                    ));
                }
                crate::kernel::text::text("reason", &reason)?;
                Ok(vec![CertificateEvent::Revoked(SigningKeyRevoked {
                    reason,
                    revoked_by: ctx.actor.iin,
                    revoked_at: ctx.now,
                })])
            }
        }
    }

    fn require_owner_or_admin(&self, iin: Iin, ctx: &Context) -> Result<(), DomainError> {
        let own = ctx.actor.iin == iin;
        // The person's organisation is known only once a key is on record: before that, an
        // administrator could claim anyone's ИИН, so the first key is the person's own
        // (docs/decisions/0631).
        let admin_of_org = ctx.actor.has_role(Role::OrgAdmin)
            && self.org_bin.is_some_and(|org| org == ctx.actor.org);
        if own || admin_of_org {
            Ok(())
        } else {
            Err(refusal!(
                forbidden_certificate,
                "Ключ регистрирует сам пользователь или администратор его организации",
                "only the user or an administrator of the user's organisation manages the key"
            ))
        }
    }

    pub fn apply(&mut self, event: &CertificateEvent) {
        match event {
            CertificateEvent::Registered(e) => {
                self.iin = Some(e.iin);
                self.org_bin = Some(e.org_bin);
                self.key = Some(e.clone());
                self.revoked = None;
            }
            CertificateEvent::Revoked(e) => self.revoked = Some(e.clone()),
        }
    }
}

impl Decider for Certificate {
    const CATEGORY: &'static str = "certificate";
    type Command = CertificateCommand;
    type Event = CertificateEvent;

    fn initial() -> Self {
        Certificate::default()
    }

    fn decide(
        &self,
        command: CertificateCommand,
        ctx: &Context,
    ) -> Result<Vec<CertificateEvent>, DomainError> {
        Certificate::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &CertificateEvent) {
        self.apply(event);
    }
}
