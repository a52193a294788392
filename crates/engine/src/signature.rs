//! Protocol signatures (docs/decisions/0401-protocol-signatures.md): the engine verifies the
//! Ed25519 signature against the signer's registered key before the announcement records it.

use aws_lc_rs::signature::{ED25519, UnparsedPublicKey};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand;
use zakup_domain::certificate::{Certificate, key_id};
use zakup_domain::error::DomainError;
use zakup_domain::protocol::SignatureProof;
use zakup_domain::refusal;

use crate::{CommandMeta, Engine, EngineError, Outcome};

impl Engine {
    /// Runs a `SignProtocol` command whose `signature_hex` (Ed25519, 64 bytes in hex) signs the
    /// ASCII `content_sha256` of the command with the signer's registered key.
    pub async fn sign_protocol(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        mut command: AnnouncementCommand,
        signature_hex: &str,
    ) -> Result<Outcome, EngineError> {
        let AnnouncementCommand::SignProtocol {
            signer_iin,
            content_sha256,
            proof,
            ..
        } = &mut command
        else {
            return Err(refusal!(
                not_a_signature,
                "Команда не является подписью протокола",
                "the command is not a protocol signature"
            )
            .into());
        };
        let certificate = Self::stream::<Certificate>(&signer_iin.to_string())?;
        let key = self.current::<Certificate>(&certificate).await?.state;
        let key = key.active_key().ok_or_else(|| {
            refusal!(
                no_signing_key,
                "Ключ подписи не зарегистрирован",
                "no signing key is registered for the signer"
            )
        })?;
        verify(
            &key.public_key_hex,
            content_sha256.as_bytes(),
            signature_hex,
        )?;
        // Kept in the event so that anyone can verify it again offline (decision 0890).
        *proof = Some(SignatureProof {
            key_id: key_id(&key.public_key_hex).ok_or_else(invalid_signature)?,
            signature_hex: signature_hex.trim().to_ascii_lowercase(),
        });
        self.run_announcement(id, meta, command).await
    }
}

impl Engine {
    /// Whether `signature_hex` signs `message` with the key registered for `iin`
    /// (`certificate-<ИИН>`): the sign-in's challenge (docs/decisions/0824). No key on record is
    /// a refusal (`no_signing_key`), not a wrong signature.
    pub async fn verify_registered_key(
        &self,
        iin: zakup_domain::ident::Iin,
        message: &[u8],
        signature_hex: &str,
    ) -> Result<bool, EngineError> {
        let certificate = Self::stream::<Certificate>(&iin.to_string())?;
        let state = self.current::<Certificate>(&certificate).await?.state;
        let key = state.active_key().ok_or_else(|| {
            refusal!(
                no_signing_key,
                "Ключ подписи не зарегистрирован",
                "no signing key is registered for this ИИН"
            )
        })?;
        Ok(verify(&key.public_key_hex, message, signature_hex).is_ok())
    }
}

fn invalid_signature() -> DomainError {
    refusal!(
        invalid_signature,
        "Подпись недействительна",
        "the signature does not verify with the signer's key"
    )
}

/// Whether `signature_hex` is the Ed25519 signature of `message` by `public_key_hex`; also the
/// offline auditor's check (`crate::audit_export`).
pub(crate) fn verify(
    public_key_hex: &str,
    message: &[u8],
    signature_hex: &str,
) -> Result<(), DomainError> {
    let invalid = invalid_signature;
    let key = hex(public_key_hex).ok_or_else(invalid)?;
    let signature = hex(signature_hex).ok_or_else(invalid)?;
    UnparsedPublicKey::new(&ED25519, key)
        .verify(message, &signature)
        .map_err(|_| invalid())
}

fn hex(s: &str) -> Option<Vec<u8>> {
    let s = s.trim();
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use aws_lc_rs::rand::SystemRandom;
    use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};

    use super::*;

    fn to_hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn a_signature_verifies_only_for_its_message_and_key() {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        let public = to_hex(pair.public_key().as_ref());
        let message = b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let signature = to_hex(pair.sign(message).as_ref());
        assert!(verify(&public, message, &signature).is_ok());
        let other = b"0000000000000000000000000000000000000000000000000000000000000000";
        assert_eq!(
            verify(&public, other, &signature).unwrap_err().code,
            "invalid_signature"
        );
        assert_eq!(
            verify(&public, message, "zz").unwrap_err().code,
            "invalid_signature"
        );
        assert_eq!(
            verify("abc", message, &signature).unwrap_err().code,
            "invalid_signature"
        );
    }
}
