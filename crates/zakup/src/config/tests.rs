//! Issue 26 item 8 (defect 12): production refuses the development defaults, with a message
//! naming each setting to give; development keeps them, labelled.

use std::collections::HashMap;

use super::*;

fn load(vars: &[(&str, &str)]) -> Result<Config, String> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    Config::load(&|name| vars.get(name).cloned())
}

const SECRET: &str = "0123456789abcdef0123456789abcdef";
// Published numbers that pass the check (crates/domain/src/ident.rs).
const BIN: &str = "940140000385";
const IIN: &str = "791028302728";

#[test]
fn nothing_set_is_development_on_the_embedded_defaults() {
    let config = load(&[]).unwrap();
    assert_eq!(config.mode, Mode::Development);
    assert_eq!(config.addr, "127.0.0.1:8080");
    assert_eq!(
        config.database,
        Database::Embedded(PathBuf::from(".zakup/postgres"))
    );
    assert_eq!(config.jwt, JwtKey::Generated);
    assert_eq!(
        config.defaults(),
        ["embedded_database", "generated_jwt_secret", "demo_operator"]
    );
    assert_eq!(config.acquire_timeout, zakup_store_pg::ACQUIRE_TIMEOUT);
    assert!(config.operator().is_ok());
}

#[test]
fn production_without_configuration_fails_naming_every_missing_setting() {
    let e = load(&[("ZAKUP_MODE", "production")]).unwrap_err();
    assert!(
        e.starts_with("the production configuration is not valid"),
        "{e}"
    );
    for needed in [
        "ZAKUP_DATABASE_URL",
        "ZAKUP_JWT_SECRET",
        "ZAKUP_OPERATOR_BIN and ZAKUP_OPERATOR_IIN",
    ] {
        assert!(e.contains(needed), "{needed} in {e}");
    }
}

#[test]
fn production_refuses_the_demo_operator() {
    let e = load(&[
        ("ZAKUP_MODE", "production"),
        ("DATABASE_URL", "postgres://db/zakup"),
        ("ZAKUP_JWT_SECRET", SECRET),
        ("ZAKUP_OPERATOR_BIN", crate::demo::OPERATOR_BIN),
        ("ZAKUP_OPERATOR_IIN", crate::demo::OPERATOR_IIN),
    ])
    .unwrap_err();
    assert!(e.contains("demo identities"), "{e}");
}

#[test]
fn production_with_everything_explicit_starts_with_no_default() {
    let config = load(&[
        ("ZAKUP_MODE", "production"),
        ("DATABASE_URL", "postgres://db/zakup"),
        ("ZAKUP_JWT_SECRET", SECRET),
        ("ZAKUP_OPERATOR_BIN", BIN),
        ("ZAKUP_OPERATOR_IIN", IIN),
    ])
    .unwrap();
    assert_eq!(config.mode, Mode::Production);
    assert_eq!(
        config.database,
        Database::External("postgres://db/zakup".into())
    );
    assert!(config.defaults().is_empty());
    assert_eq!(config.operator().unwrap().org.to_string(), BIN);
}

#[test]
fn the_prefixed_name_wins_over_the_conventional_one_and_bad_values_are_named() {
    let config = load(&[
        ("DATABASE_URL", "postgres://conventional/zakup"),
        ("ZAKUP_DATABASE_URL", "postgres://prefixed/zakup"),
    ])
    .unwrap();
    assert_eq!(
        config.database,
        Database::External("postgres://prefixed/zakup".into())
    );
    let e = load(&[
        ("ZAKUP_MODE", "prod"),
        ("ZAKUP_DATABASE_ACQUIRE_TIMEOUT_MS", "soon"),
        ("ZAKUP_JWT_SECRET", "short"),
        ("ZAKUP_OPERATOR_BIN", BIN),
        ("ZAKUP_EVENT_STORE", "kurrentdb"),
    ])
    .unwrap_err();
    for named in [
        "ZAKUP_MODE=\"prod\"",
        "ZAKUP_DATABASE_ACQUIRE_TIMEOUT_MS=\"soon\"",
        "ZAKUP_JWT_SECRET: needs at least 32 bytes",
        "go together",
        "needs ZAKUP_KURRENTDB_URL",
    ] {
        assert!(e.contains(named), "{named} in {e}");
    }
}

#[test]
fn a_file_is_read_under_the_environment_and_an_unknown_key_is_refused() {
    let dir = std::env::temp_dir().join(format!("zakup-config-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("zakup.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"mode": "production", "database_url": "postgres://file/zakup",
                "jwt_secret": "{SECRET}", "operator_bin": "{BIN}", "operator_iin": "{IIN}",
                "addr": "0.0.0.0:9000"}}"#
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let config = load(&[("ZAKUP_CONFIG", path), ("ZAKUP_ADDR", "127.0.0.1:9001")]).unwrap();
    assert_eq!(config.mode, Mode::Production);
    assert_eq!(config.addr, "127.0.0.1:9001", "the environment wins");
    std::fs::write(&file, r#"{"database_ulr": "postgres://typo"}"#).unwrap();
    let e = load(&[("ZAKUP_CONFIG", path)]).unwrap_err();
    assert!(e.contains("unknown field `database_ulr`"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Decision 0629: JSON lines unless a terminal's text is asked for; anything else is named.
#[test]
fn the_log_is_json_unless_text_is_asked_for() {
    assert_eq!(load(&[]).unwrap().log_format, LogFormat::Json);
    let text = load(&[("ZAKUP_LOG_FORMAT", "text")]).unwrap();
    assert_eq!(text.log_format, LogFormat::Text);
    let e = load(&[("ZAKUP_LOG_FORMAT", "xml")]).unwrap_err();
    assert!(
        e.contains("ZAKUP_LOG_FORMAT=\"xml\": expected json or text"),
        "{e}"
    );
}

/// Issue 22: a sandbox is a mode of the configuration, never production's.
#[test]
fn a_sandbox_is_configured_and_refused_in_production() {
    let config = load(&[
        ("ZAKUP_SANDBOX", "true"),
        ("ZAKUP_SANDBOX_START", "2026-02-02T04:00:00Z"),
    ])
    .unwrap();
    let start = "2026-02-02T04:00:00Z".parse().ok();
    assert_eq!(config.sandbox, Some(SandboxSettings { start }));
    assert_eq!(load(&[]).unwrap().sandbox, None);
    let e = load(&[
        ("ZAKUP_MODE", "production"),
        ("DATABASE_URL", "postgres://db/zakup"),
        ("ZAKUP_JWT_SECRET", SECRET),
        ("ZAKUP_OPERATOR_BIN", BIN),
        ("ZAKUP_OPERATOR_IIN", IIN),
        ("ZAKUP_SANDBOX", "1"),
    ])
    .unwrap_err();
    assert!(
        e.contains("ZAKUP_SANDBOX with ZAKUP_MODE=production"),
        "{e}"
    );
    let e = load(&[("ZAKUP_SANDBOX", "yes")]).unwrap_err();
    assert!(e.contains("expected true or false"), "{e}");
    let e = load(&[("ZAKUP_SANDBOX_START", "2026-02-02T04:00:00Z")]).unwrap_err();
    assert!(e.contains("without ZAKUP_SANDBOX"), "{e}");
}

#[test]
fn the_read_statement_timeout_defaults_to_two_seconds_and_is_bounded() {
    assert_eq!(
        load(&[]).unwrap().read_statement_timeout,
        Duration::from_secs(2)
    );
    let config = load(&[("ZAKUP_READ_STATEMENT_TIMEOUT_MS", "500")]).unwrap();
    assert_eq!(config.read_statement_timeout, Duration::from_millis(500));
    let e = load(&[("ZAKUP_READ_STATEMENT_TIMEOUT_MS", "0")]).unwrap_err();
    assert!(
        e.contains("ZAKUP_READ_STATEMENT_TIMEOUT_MS=0: expected 100 to 600000"),
        "{e}"
    );
}

#[test]
fn the_rate_limit_is_on_by_default_and_zero_turns_it_off() {
    let on = zakup_api::RateLimit {
        per_second: 20,
        burst: 100,
    };
    assert_eq!(load(&[]).unwrap().rate_limit, Some(on));
    let config = load(&[
        ("ZAKUP_RATE_LIMIT_PER_SECOND", "5"),
        ("ZAKUP_RATE_LIMIT_BURST", "10"),
    ])
    .unwrap();
    assert_eq!(
        config.rate_limit,
        Some(zakup_api::RateLimit {
            per_second: 5,
            burst: 10
        })
    );
    let off = load(&[("ZAKUP_RATE_LIMIT_PER_SECOND", "0")]).unwrap();
    assert_eq!(off.rate_limit, None);
    let e = load(&[("ZAKUP_RATE_LIMIT_BURST", "0")]).unwrap_err();
    assert!(
        e.contains("ZAKUP_RATE_LIMIT_BURST=0: expected 1 to 1000000"),
        "{e}"
    );
}

#[test]
fn traces_are_off_unless_an_otlp_endpoint_is_given() {
    assert_eq!(load(&[]).unwrap().otlp_endpoint, None);
    let url = "http://collector:4318/v1/traces";
    let config = load(&[("ZAKUP_OTLP_ENDPOINT", url)]).unwrap();
    assert_eq!(config.otlp_endpoint.as_deref(), Some(url));
    let e = load(&[("ZAKUP_OTLP_ENDPOINT", "collector:4318")]).unwrap_err();
    assert!(e.contains("ZAKUP_OTLP_ENDPOINT=\"collector:4318\""), "{e}");
}

/// Issue 28 item 1 (decision 0760): the lease time bounds a failover; a node's name defaults to
/// its host and process.
#[test]
fn the_lease_time_and_node_name_are_configured_and_checked() {
    let config = load(&[]).unwrap();
    assert_eq!(config.lease_ttl, Duration::from_secs(10));
    assert!(
        config
            .node_id
            .ends_with(&format!(":{}", std::process::id()))
    );
    let config = load(&[("ZAKUP_LEASE_TTL_MS", "2000"), ("ZAKUP_NODE_ID", "zakup-1")]).unwrap();
    assert_eq!(
        (config.lease_ttl, config.node_id.as_str()),
        (Duration::from_millis(2000), "zakup-1")
    );
    let e = load(&[("ZAKUP_LEASE_TTL_MS", "10")]).unwrap_err();
    assert!(
        e.contains("ZAKUP_LEASE_TTL_MS=10: expected 300 to 600000"),
        "{e}"
    );
}
