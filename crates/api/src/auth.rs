//! Bearer tokens: JWTs that carry the user id, ИИН, organisation БИН and roles.
//!
//! The verifying key is configured: an HMAC secret (`ZAKUP_JWT_SECRET`, HS256), or a public key
//! in PEM (`ZAKUP_JWT_PUBLIC_KEY`, EdDSA or RS256) when tokens come from an identity provider.
//! Signature, expiry, `nbf` (not before), issuer and lifetime ([`MAX_LIFETIME`]) are checked; ИИН and БИН are validated by the domain when a
//! command is decided, so a malformed one is refused with its own error code.

use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use zakup_domain::actor::{Actor, Role};
use zakup_domain::error::DomainError;
use zakup_domain::ident::{Bin, Iin};

pub const ISSUER: &str = "zakup";

/// The longest a token may live (`exp` − `iat`, and `exp` − now): a working day and a half. A
/// stolen token is then useful for hours, not for ever; identity providers issue shorter ones
/// (decision 0628).
pub const MAX_LIFETIME: chrono::Duration = chrono::Duration::hours(36);

/// Clock skew tolerated between the issuer and this server, in seconds.
const LEEWAY: i64 = 30;

/// Who is calling, as the token says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub user_id: String,
    pub iin: String,
    pub org_bin: String,
    pub roles: Vec<String>,
}

impl Principal {
    /// The domain's actor: a token whose ИИН, БИН or roles are malformed is refused with the
    /// domain's own code (`invalid_iin`, `invalid_bin`, `unknown_role`), before any command.
    pub fn actor(&self) -> Result<Actor, DomainError> {
        let iin: Iin = self
            .iin
            .parse()
            .map_err(|e: zakup_domain::ident::IdError| {
                e.into_domain(zakup_domain::ident::IdKind::Iin)
            })?;
        let org: Bin = self
            .org_bin
            .parse()
            .map_err(|e: zakup_domain::ident::IdError| {
                e.into_domain(zakup_domain::ident::IdKind::Bin)
            })?;
        let roles = self
            .roles
            .iter()
            .map(|r| Role::from_id(r))
            .collect::<Result<Vec<_>, _>>()?;
        if self.user_id.trim().is_empty() {
            return Err(DomainError::new(
                "invalid_token_identity",
                "В токене не указан пользователь",
                "the token names no user",
            ));
        }
        Ok(Actor {
            user_id: self.user_id.clone(),
            iin,
            org,
            roles,
        })
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iin: String,
    org: String,
    roles: Vec<String>,
    iss: String,
    iat: i64,
    exp: i64,
    /// Not before: a token issued for later is refused until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<i64>,
}

#[derive(Clone)]
pub struct TokenKeys {
    decoding: DecodingKey,
    encoding: Option<EncodingKey>,
    validation: Validation,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthError {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// Bad signature, expired, wrong issuer, malformed.
    Invalid(String),
    /// This configuration only verifies tokens (public key): it cannot issue them.
    CannotIssue,
    Config(String),
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthError::Missing => f.write_str("no bearer token"),
            AuthError::Invalid(why) => write!(f, "invalid token: {why}"),
            AuthError::CannotIssue => {
                f.write_str("tokens can only be issued with an HMAC secret (ZAKUP_JWT_SECRET)")
            }
            AuthError::Config(why) => write!(f, "token key configuration: {why}"),
        }
    }
}

impl std::error::Error for AuthError {}

/// Where the development secret is kept when no key is configured.
pub const SECRET_FILE: &str = "jwt-secret";

impl TokenKeys {
    /// The configured keys: `ZAKUP_JWT_PUBLIC_KEY` (PEM, verification only), else
    /// `ZAKUP_JWT_SECRET` (HS256), else a random secret persisted in `<data_dir>/jwt-secret`
    /// (mode 0600), created on first use, so that `zakup token` and `zakup serve` agree.
    pub fn configured(
        public_key_pem: Option<&str>,
        secret: Option<&str>,
        data_dir: &Path,
    ) -> Result<Self, AuthError> {
        if let Some(pem) = public_key_pem.filter(|p| !p.trim().is_empty()) {
            return Self::public_key_pem(pem.as_bytes());
        }
        if let Some(secret) = secret.filter(|s| !s.is_empty()) {
            return Self::hmac(secret.as_bytes());
        }
        Self::hmac(&persisted_secret(data_dir)?)
    }

    /// HS256 with a shared secret: development, and single-node installations.
    pub fn hmac(secret: &[u8]) -> Result<Self, AuthError> {
        if secret.len() < 32 {
            return Err(AuthError::Config(
                "the HMAC secret needs at least 32 bytes".into(),
            ));
        }
        Ok(TokenKeys {
            decoding: DecodingKey::from_secret(secret),
            encoding: Some(EncodingKey::from_secret(secret)),
            validation: validation(Algorithm::HS256),
        })
    }

    /// Verification only, with a PEM public key (EdDSA or RSA).
    pub fn public_key_pem(pem: &[u8]) -> Result<Self, AuthError> {
        let (decoding, alg) = match DecodingKey::from_ed_pem(pem) {
            Ok(k) => (k, Algorithm::EdDSA),
            Err(_) => (
                DecodingKey::from_rsa_pem(pem).map_err(|e| AuthError::Config(e.to_string()))?,
                Algorithm::RS256,
            ),
        };
        Ok(TokenKeys {
            decoding,
            encoding: None,
            validation: validation(alg),
        })
    }

    pub fn issue(&self, who: &Principal, ttl: chrono::Duration) -> Result<String, AuthError> {
        let key = self.encoding.as_ref().ok_or(AuthError::CannotIssue)?;
        if ttl > MAX_LIFETIME {
            return Err(AuthError::Config(format!(
                "a token lives at most {} hours",
                MAX_LIFETIME.num_hours()
            )));
        }
        let now = chrono::Utc::now().timestamp();
        let claims = Claims {
            sub: who.user_id.clone(),
            iin: who.iin.clone(),
            org: who.org_bin.clone(),
            roles: who.roles.clone(),
            iss: ISSUER.to_owned(),
            iat: now,
            exp: now + ttl.num_seconds(),
            nbf: None,
        };
        jsonwebtoken::encode(&Header::new(self.validation.algorithms[0]), &claims, key)
            .map_err(|e| AuthError::Invalid(e.to_string()))
    }

    pub fn verify(&self, token: &str) -> Result<Principal, AuthError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| AuthError::Invalid(e.to_string()))?;
        let c = data.claims;
        let now = chrono::Utc::now().timestamp();
        let max = MAX_LIFETIME.num_seconds();
        if c.exp - c.iat > max || c.exp - now > max + LEEWAY {
            return Err(AuthError::Invalid(format!(
                "the token lives longer than {} hours",
                MAX_LIFETIME.num_hours()
            )));
        }
        Ok(Principal {
            user_id: c.sub,
            iin: c.iin,
            org_bin: c.org,
            roles: c.roles,
        })
    }

    /// The principal of an `Authorization` header value, if any.
    pub fn from_header(&self, header: Option<&str>) -> Result<Principal, AuthError> {
        let value = header.ok_or(AuthError::Missing)?;
        let token = value
            .strip_prefix("Bearer ")
            .or_else(|| value.strip_prefix("bearer "))
            .ok_or_else(|| AuthError::Invalid("expected `Bearer <token>`".into()))?;
        self.verify(token.trim())
    }
}

/// Who sends a request, as far as its token says: anonymous (no token), a principal, or a token
/// that did not verify. Searching needs no token; commands do.
#[derive(Debug, Clone)]
pub struct Viewer(Result<Option<Principal>, AuthError>);

impl Viewer {
    pub fn from_header(keys: &TokenKeys, header: Option<&str>) -> Viewer {
        Viewer(match keys.from_header(header) {
            Ok(p) => Ok(Some(p)),
            Err(AuthError::Missing) => Ok(None),
            Err(e) => Err(e),
        })
    }

    /// A principal known in advance (in-process callers: `zakup demo`, tests).
    pub fn trusted(principal: Principal) -> Viewer {
        Viewer(Ok(Some(principal)))
    }

    /// The principal, if any; a token that did not verify is an error, never anonymous.
    pub fn principal(&self) -> Result<Option<&Principal>, AuthError> {
        self.0.as_ref().map(Option::as_ref).map_err(Clone::clone)
    }
}

fn persisted_secret(data_dir: &Path) -> Result<Vec<u8>, AuthError> {
    let path = data_dir.join(SECRET_FILE);
    let io = |what: &str, e: std::io::Error| {
        AuthError::Config(format!("{what} {}: {e}", path.display()))
    };
    match std::fs::read(&path) {
        Ok(secret) => return Ok(secret),
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io("cannot read", e)),
        Err(_) => {}
    }
    std::fs::create_dir_all(data_dir).map_err(|e| io("cannot create the folder of", e))?;
    let mut secret = [0u8; 48];
    aws_lc_rs::rand::fill(&mut secret)
        .map_err(|_| AuthError::Config("no randomness for the JWT secret".into()))?;
    let hex: Vec<u8> = secret
        .iter()
        .flat_map(|b| format!("{b:02x}").into_bytes())
        .collect();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            std::io::Write::write_all(&mut file, &hex).map_err(|e| io("cannot write", e))?;
            Ok(hex)
        }
        // Another process created it first: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read(&path).map_err(|e| io("cannot read", e))
        }
        Err(e) => Err(io("cannot create", e)),
    }
}

fn validation(alg: Algorithm) -> Validation {
    let mut v = Validation::new(alg);
    v.set_issuer(&[ISSUER]);
    v.set_required_spec_claims(&["exp", "iss", "sub"]);
    v.validate_nbf = true;
    v.leeway = LEEWAY as u64;
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who() -> Principal {
        Principal {
            user_id: "u-1".into(),
            iin: "900101300011".into(),
            org_bin: "990140000011".into(),
            roles: vec!["organizer".into()],
        }
    }

    #[test]
    fn an_issued_token_verifies_to_the_same_principal() {
        let keys = TokenKeys::hmac(&[7; 32]).unwrap();
        let token = keys.issue(&who(), chrono::Duration::hours(1)).unwrap();
        assert_eq!(
            keys.from_header(Some(&format!("Bearer {token}"))).unwrap(),
            who()
        );
    }

    #[test]
    fn expired_forged_and_missing_tokens_are_refused() {
        let keys = TokenKeys::hmac(&[7; 32]).unwrap();
        let expired = keys.issue(&who(), chrono::Duration::hours(-1)).unwrap();
        assert!(matches!(keys.verify(&expired), Err(AuthError::Invalid(_))));
        let other = TokenKeys::hmac(&[8; 32]).unwrap();
        let forged = other.issue(&who(), chrono::Duration::hours(1)).unwrap();
        assert!(matches!(keys.verify(&forged), Err(AuthError::Invalid(_))));
        assert_eq!(keys.from_header(None), Err(AuthError::Missing));
        assert!(matches!(
            keys.from_header(Some("Basic abc")),
            Err(AuthError::Invalid(_))
        ));
    }

    fn signed(keys: &TokenKeys, iat: i64, exp: i64, nbf: Option<i64>) -> String {
        let claims = Claims {
            sub: "u-1".into(),
            iin: who().iin,
            org: who().org_bin,
            roles: who().roles,
            iss: ISSUER.into(),
            iat,
            exp,
            nbf,
        };
        let key = keys.encoding.as_ref().unwrap();
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, key).unwrap()
    }

    /// Issue 26, defect 10: a token valid only later (`nbf`) is refused until then, and a token
    /// that lives longer than [`MAX_LIFETIME`] is refused outright, however it was signed.
    #[test]
    fn nbf_in_the_future_and_a_lifetime_over_the_maximum_are_refused() {
        let keys = TokenKeys::hmac(&[7; 32]).unwrap();
        let now = chrono::Utc::now().timestamp();
        let hour = 3600;
        let later = signed(&keys, now, now + 2 * hour, Some(now + hour));
        assert!(matches!(keys.verify(&later), Err(AuthError::Invalid(_))));
        let begun = signed(&keys, now, now + 2 * hour, Some(now - 60));
        assert_eq!(keys.verify(&begun).unwrap(), who());
        let year = signed(&keys, now, now + 365 * 24 * hour, None);
        assert!(matches!(keys.verify(&year), Err(AuthError::Invalid(_))));
        // A recent `iat` does not hide a far `exp`.
        let backdated = signed(&keys, now + 300 * 24 * hour, now + 365 * 24 * hour, None);
        assert!(matches!(
            keys.verify(&backdated),
            Err(AuthError::Invalid(_))
        ));
        assert!(matches!(
            keys.issue(&who(), chrono::Duration::days(30)),
            Err(AuthError::Config(_))
        ));
        assert!(keys.issue(&who(), MAX_LIFETIME).is_ok());
    }

    #[test]
    fn the_persisted_secret_is_created_once_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("zakup-auth-{}", uuid::Uuid::new_v4()));
        let first = TokenKeys::configured(None, None, &dir).unwrap();
        let token = first.issue(&who(), chrono::Duration::hours(1)).unwrap();
        let second = TokenKeys::configured(None, None, &dir).unwrap();
        assert_eq!(second.verify(&token).unwrap(), who());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join(SECRET_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_valid_identity_maps_to_an_actor_and_a_malformed_one_is_refused_with_its_code() {
        // Published numbers that pass the check (crates/domain/src/ident.rs).
        let ok = Principal {
            user_id: "u-1".into(),
            iin: "791028302728".into(),
            org_bin: "940140000385".into(),
            roles: vec!["organizer".into(), "customer".into()],
        };
        let actor = ok.actor().unwrap();
        assert_eq!(actor.roles, vec![Role::Organizer, Role::Customer]);
        let bad_iin = Principal {
            iin: "123".into(),
            ..ok.clone()
        };
        assert_eq!(bad_iin.actor().unwrap_err().code, "invalid_iin");
        let bad_bin = Principal {
            org_bin: "940140000386".into(),
            ..ok.clone()
        };
        assert_eq!(bad_bin.actor().unwrap_err().code, "invalid_bin");
        let bad_role = Principal {
            roles: vec!["king".into()],
            ..ok
        };
        assert_eq!(bad_role.actor().unwrap_err().code, "unknown_role");
    }

    #[test]
    fn a_short_secret_is_a_configuration_error() {
        assert!(matches!(
            TokenKeys::hmac(b"short"),
            Err(AuthError::Config(_))
        ));
    }
}
