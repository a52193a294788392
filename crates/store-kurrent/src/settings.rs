//! Connection strings → client settings.
//!
//! `kurrentdb://[user:password@]host[:port][,host2…][?option=value&…]`, or
//! `kurrentdb+discover://…` for DNS or gossip discovery of a cluster. TLS is configured by query
//! parameters:
//!
//! * `tls=true|false` (default `true`): encrypt the connection. `false` only for an insecure
//!   development node, which also has no access control.
//! * `tlsVerifyCert=true|false` (default `true`): check the server's certificate. Never `false`
//!   in production.
//! * `tlsCaFile=/path/ca.crt`: trust this CA, for a cluster with certificates from a private CA
//!   (the usual KurrentDB set-up).
//!
//! Other useful options: `nodePreference=leader` (the default; Zakup writes and reads its own
//! writes, so keep it), `userCertFile`/`userKeyFile` (X.509 user authentication),
//! `defaultDeadline` (ms).

use kurrentdb::ClientSettings;
use zakup_store::StoreError;

/// The settings of a connection string. An error names what is wrong without echoing the
/// string, which may hold a password.
pub fn client_settings(url: &str) -> Result<ClientSettings, StoreError> {
    url.parse::<ClientSettings>().map_err(|e| {
        StoreError::Backend(format!(
            "invalid KurrentDB connection string: {}",
            e.message()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_options_are_query_parameters() {
        let s = client_settings(
            "kurrentdb://zakup:secret@db1:2113,db2:2113,db3:2113\
             ?tls=true&tlsVerifyCert=true&tlsCaFile=/etc/zakup/kurrentdb-ca.crt",
        )
        .unwrap();
        assert!(s.is_secure_mode_enabled());
        assert!(s.is_tls_certificate_verification_enabled());
        assert_eq!(
            s.tls_ca_file().map(String::as_str),
            Some("/etc/zakup/kurrentdb-ca.crt")
        );
        assert_eq!(s.hosts().len(), 3);
        assert!(s.default_authenticated_user().is_some());
    }

    #[test]
    fn tls_is_on_unless_switched_off() {
        let secure = client_settings("kurrentdb://localhost:2113").unwrap();
        assert!(secure.is_secure_mode_enabled());
        assert!(secure.is_tls_certificate_verification_enabled());
        let dev = client_settings("kurrentdb://localhost:2113?tls=false").unwrap();
        assert!(!dev.is_secure_mode_enabled());
        let unverified = client_settings("kurrentdb://localhost:2113?tlsVerifyCert=false").unwrap();
        assert!(!unverified.is_tls_certificate_verification_enabled());
    }

    #[test]
    fn bad_strings_are_refused_without_echoing_secrets() {
        for bad in [
            "postgres://zakup:secret@localhost/zakup",
            "kurrentdb://zakup:secret@localhost:2113?tls=maybe",
        ] {
            let err = client_settings(bad).unwrap_err();
            assert!(matches!(&err, StoreError::Backend(_)), "{err}");
            assert!(!err.to_string().contains("secret"), "{err}");
        }
    }
}
