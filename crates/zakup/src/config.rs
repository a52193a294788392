//! The binary's configuration, in one typed struct: read from an optional JSON file
//! (`ZAKUP_CONFIG`) and the environment (`ZAKUP_*`, the environment winning), then validated
//! before anything starts (decision 0626). Nothing else in the binary reads the environment.
//!
//! Development (the default) may fall back on the embedded PostgreSQL cluster, a JWT secret
//! generated into the data folder and the demo portal operator; production refuses each of them
//! with a message that names the setting to give.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use zakup_domain::actor::Actor;
use zakup_domain::ident::{Bin, Iin};

/// The settings as given, every one optional: the keys of the file, and the environment
/// variables `ZAKUP_<KEY in capitals>`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Settings {
    mode: Option<String>,
    addr: Option<String>,
    data_dir: Option<String>,
    database_url: Option<String>,
    database_max_connections: Option<String>,
    database_acquire_timeout_ms: Option<String>,
    read_statement_timeout_ms: Option<String>,
    rate_limit_per_second: Option<String>,
    rate_limit_burst: Option<String>,
    event_store: Option<String>,
    kurrentdb_url: Option<String>,
    jwt_secret: Option<String>,
    jwt_public_key: Option<String>,
    operator_bin: Option<String>,
    operator_iin: Option<String>,
    log_format: Option<String>,
    otlp_endpoint: Option<String>,
    sandbox: Option<String>,
    sandbox_start: Option<String>,
    node_id: Option<String>,
    lease_ttl_ms: Option<String>,
}

/// The keys, in the order the file and the environment are documented (README.md).
const KEYS: [&str; 21] = [
    "mode",
    "addr",
    "data_dir",
    "database_url",
    "database_max_connections",
    "database_acquire_timeout_ms",
    "read_statement_timeout_ms",
    "rate_limit_per_second",
    "rate_limit_burst",
    "event_store",
    "kurrentdb_url",
    "jwt_secret",
    "jwt_public_key",
    "operator_bin",
    "operator_iin",
    "log_format",
    "otlp_endpoint",
    "sandbox",
    "sandbox_start",
    "node_id",
    "lease_ttl_ms",
];

impl Settings {
    fn slot(&mut self, key: &str) -> &mut Option<String> {
        match key {
            "mode" => &mut self.mode,
            "addr" => &mut self.addr,
            "data_dir" => &mut self.data_dir,
            "database_url" => &mut self.database_url,
            "database_max_connections" => &mut self.database_max_connections,
            "database_acquire_timeout_ms" => &mut self.database_acquire_timeout_ms,
            "read_statement_timeout_ms" => &mut self.read_statement_timeout_ms,
            "rate_limit_per_second" => &mut self.rate_limit_per_second,
            "rate_limit_burst" => &mut self.rate_limit_burst,
            "event_store" => &mut self.event_store,
            "kurrentdb_url" => &mut self.kurrentdb_url,
            "jwt_secret" => &mut self.jwt_secret,
            "jwt_public_key" => &mut self.jwt_public_key,
            "operator_bin" => &mut self.operator_bin,
            "operator_iin" => &mut self.operator_iin,
            "otlp_endpoint" => &mut self.otlp_endpoint,
            "sandbox" => &mut self.sandbox,
            "sandbox_start" => &mut self.sandbox_start,
            "node_id" => &mut self.node_id,
            "lease_ttl_ms" => &mut self.lease_ttl_ms,
            _ => &mut self.log_format,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Development,
    Production,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Development => "development",
            Mode::Production => "production",
        }
    }
}

/// Where the events and read models live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// A PostgreSQL server named by its URL.
    External(String),
    /// The private cluster in `<data_dir>/postgres` (development only).
    Embedded(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventStore {
    Postgres,
    Kurrentdb,
}

/// How the log is written (decision 0629).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// One JSON object a line, for log collectors (the default).
    Json,
    /// Human-readable lines, for a terminal.
    Text,
}

/// The key that verifies (and, with a secret, issues) bearer tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwtKey {
    Secret(String),
    PublicKeyPem(String),
    /// Generated into `<data_dir>/jwt-secret` on first use (development only).
    Generated,
}

/// A sandbox's settings: where its clock starts on a new database (the real time if `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SandboxSettings {
    pub start: Option<chrono::DateTime<chrono::Utc>>,
}

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub mode: Mode,
    pub addr: String,
    pub data_dir: PathBuf,
    pub database: Database,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// How long a read-model statement of the GraphQL read side may run (decision 0680).
    pub read_statement_timeout: Duration,
    /// The per-viewer rate limit of GraphQL requests; `None`: off (decision 0682).
    pub rate_limit: Option<zakup_api::RateLimit>,
    pub event_store: EventStore,
    pub kurrentdb_url: Option<String>,
    pub jwt: JwtKey,
    pub log_format: LogFormat,
    /// Where spans are exported as OpenTelemetry traces (OTLP over HTTP); `None`: nowhere
    /// (decision 0684).
    pub otlp_endpoint: Option<String>,
    /// A sandbox server (decision 0661): its clock is moved by calls, its records are not real.
    pub sandbox: Option<SandboxSettings>,
    /// This node's name in the leases (decision 0760): unique among the nodes on one database.
    pub node_id: String,
    /// How long a lease lasts after its last renewal: the bound on a failover.
    pub lease_ttl: Duration,
    /// The portal operator's БИН and ИИН; `None`: the demo operator (development only).
    operator: Option<(Bin, Iin)>,
}

impl Config {
    /// The configuration of this process: `ZAKUP_CONFIG`'s file, if any, under the environment.
    pub fn from_process() -> Result<Config, String> {
        Config::load(&|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
    }

    /// The configuration `env` describes (a variable's value, by name).
    pub fn load(env: &dyn Fn(&str) -> Option<String>) -> Result<Config, String> {
        let mut settings = match env("ZAKUP_CONFIG") {
            Some(path) => read_file(Path::new(&path))?,
            None => Settings::default(),
        };
        for key in KEYS {
            if let Some(value) = env(&format!("ZAKUP_{}", key.to_uppercase())) {
                *settings.slot(key) = Some(value);
            }
        }
        // The conventional names, for platforms that set them.
        if settings.database_url.is_none() {
            settings.database_url = env("DATABASE_URL");
        }
        if settings.kurrentdb_url.is_none() {
            settings.kurrentdb_url = env("KURRENTDB_URL");
        }
        validate(settings)
    }

    /// `zakup serve --sandbox`: as `ZAKUP_SANDBOX=true`.
    pub fn sandbox_flag(&mut self) -> Result<(), String> {
        if self.mode == Mode::Production {
            return Err(
                "--sandbox with ZAKUP_MODE=production: a sandbox's clock is moved by \
                 calls and its records are not real; run the sandbox in development mode"
                    .to_owned(),
            );
        }
        self.sandbox.get_or_insert_with(SandboxSettings::default);
        Ok(())
    }

    /// The portal operator in whose name timed transitions are recorded.
    pub fn operator(&self) -> Result<Actor, String> {
        let (bin, iin) = match &self.operator {
            Some((bin, iin)) => (*bin, *iin),
            None => (
                parse::<Bin>("operator_bin", crate::demo::OPERATOR_BIN)?,
                parse::<Iin>("operator_iin", crate::demo::OPERATOR_IIN)?,
            ),
        };
        Ok(zakup_engine::system_actor(bin, iin))
    }

    /// The development defaults this configuration falls back on, by name (empty in
    /// production, which refuses them).
    pub fn defaults(&self) -> Vec<String> {
        let mut defaults = Vec::new();
        if matches!(self.database, Database::Embedded(_)) {
            defaults.push("embedded_database".to_owned());
        }
        if self.jwt == JwtKey::Generated {
            defaults.push("generated_jwt_secret".to_owned());
        }
        if self.operator.is_none() {
            defaults.push("demo_operator".to_owned());
        }
        defaults
    }

    pub fn token_keys(&self) -> Result<zakup_api::TokenKeys, zakup_api::auth::AuthError> {
        match &self.jwt {
            JwtKey::Secret(s) => zakup_api::TokenKeys::hmac(s.as_bytes()),
            JwtKey::PublicKeyPem(pem) => zakup_api::TokenKeys::public_key_pem(pem.as_bytes()),
            JwtKey::Generated => zakup_api::TokenKeys::configured(None, None, &self.data_dir),
        }
    }
}

fn read_file(path: &Path) -> Result<Settings, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("ZAKUP_CONFIG: cannot read {}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "ZAKUP_CONFIG: {} is not a valid configuration (a JSON object with the keys {}): {e}",
            path.display(),
            KEYS.join(", ")
        )
    })
}

fn parse<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String>
where
    T::Err: std::fmt::Display,
{
    value
        .trim()
        .parse()
        .map_err(|e| format!("ZAKUP_{}={value:?}: {e}", key.to_uppercase()))
}

/// Every problem at once, so that an operator fixes the configuration in one pass.
fn validate(s: Settings) -> Result<Config, String> {
    let mut problems = Vec::new();
    let mut check = |r: Result<(), String>| {
        if let Err(e) = r {
            problems.push(e);
        }
    };
    let mode = match s.mode.as_deref().map(str::trim) {
        None | Some("development") => Mode::Development,
        Some("production") => Mode::Production,
        Some(other) => {
            check(Err(format!(
                "ZAKUP_MODE={other:?}: expected development or production"
            )));
            Mode::Development
        }
    };
    let data_dir = PathBuf::from(s.data_dir.unwrap_or_else(|| ".zakup".to_owned()));
    let production = mode == Mode::Production;
    let database = match s.database_url {
        Some(url) => Database::External(url),
        None => {
            if production {
                check(Err(
                    "ZAKUP_DATABASE_URL (or DATABASE_URL) is not set: production needs \
                     an explicit database; the embedded cluster is for development"
                        .to_owned(),
                ));
            }
            Database::Embedded(data_dir.join("postgres"))
        }
    };
    let max_connections = match s.database_max_connections {
        None => 16,
        Some(v) => match parse::<u32>("database_max_connections", &v) {
            Ok(n) if (1..=1000).contains(&n) => n,
            Ok(n) => {
                check(Err(format!(
                    "ZAKUP_DATABASE_MAX_CONNECTIONS={n}: expected 1 to 1000"
                )));
                16
            }
            Err(e) => {
                check(Err(e));
                16
            }
        },
    };
    let acquire_timeout = match s.database_acquire_timeout_ms {
        None => zakup_store_pg::ACQUIRE_TIMEOUT,
        Some(v) => match parse::<u64>("database_acquire_timeout_ms", &v) {
            Ok(ms) if (50..=60_000).contains(&ms) => Duration::from_millis(ms),
            Ok(ms) => {
                check(Err(format!(
                    "ZAKUP_DATABASE_ACQUIRE_TIMEOUT_MS={ms}: expected 50 to 60000"
                )));
                zakup_store_pg::ACQUIRE_TIMEOUT
            }
            Err(e) => {
                check(Err(e));
                zakup_store_pg::ACQUIRE_TIMEOUT
            }
        },
    };
    let read_statement_timeout = match s.read_statement_timeout_ms {
        None => zakup_api::READ_STATEMENT_TIMEOUT,
        Some(v) => match parse::<u64>("read_statement_timeout_ms", &v) {
            Ok(ms) if (100..=600_000).contains(&ms) => Duration::from_millis(ms),
            Ok(ms) => {
                check(Err(format!(
                    "ZAKUP_READ_STATEMENT_TIMEOUT_MS={ms}: expected 100 to 600000"
                )));
                zakup_api::READ_STATEMENT_TIMEOUT
            }
            Err(e) => {
                check(Err(e));
                zakup_api::READ_STATEMENT_TIMEOUT
            }
        },
    };
    let rate_limit = rate_limit(s.rate_limit_per_second, s.rate_limit_burst, &mut check);
    let event_store = match s.event_store.as_deref().map(str::trim) {
        None | Some("postgres") => EventStore::Postgres,
        Some("kurrentdb") => {
            if s.kurrentdb_url.is_none() {
                check(Err(
                    "ZAKUP_EVENT_STORE=kurrentdb needs ZAKUP_KURRENTDB_URL (or KURRENTDB_URL)"
                        .to_owned(),
                ));
            }
            EventStore::Kurrentdb
        }
        Some(other) => {
            check(Err(format!(
                "ZAKUP_EVENT_STORE={other:?}: expected postgres or kurrentdb"
            )));
            EventStore::Postgres
        }
    };
    let jwt = match (s.jwt_public_key, s.jwt_secret) {
        (Some(pem), _) if !pem.trim().is_empty() => JwtKey::PublicKeyPem(pem),
        (_, Some(secret)) => {
            if secret.len() < 32 {
                check(Err("ZAKUP_JWT_SECRET: needs at least 32 bytes".to_owned()));
            }
            JwtKey::Secret(secret)
        }
        _ => {
            if production {
                check(Err(
                    "neither ZAKUP_JWT_SECRET nor ZAKUP_JWT_PUBLIC_KEY is set: \
                     production needs an explicit signing key; a secret generated into the \
                     data folder is for development"
                        .to_owned(),
                ));
            }
            JwtKey::Generated
        }
    };
    let log_format = match s.log_format.as_deref().map(str::trim) {
        None | Some("json") => LogFormat::Json,
        Some("text") => LogFormat::Text,
        Some(other) => {
            check(Err(format!(
                "ZAKUP_LOG_FORMAT={other:?}: expected json or text"
            )));
            LogFormat::Json
        }
    };
    let otlp_endpoint = s.otlp_endpoint.map(|url| {
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            check(Err(format!(
                "ZAKUP_OTLP_ENDPOINT={url:?}: expected an http:// or https:// URL, such as \
                 http://collector:4318/v1/traces"
            )));
        }
        url
    });
    let lease_ttl = match s.lease_ttl_ms {
        None => LEASE_TTL,
        Some(v) => match parse::<u64>("lease_ttl_ms", &v) {
            Ok(ms) if (300..=600_000).contains(&ms) => Duration::from_millis(ms),
            Ok(ms) => {
                check(Err(format!(
                    "ZAKUP_LEASE_TTL_MS={ms}: expected 300 to 600000"
                )));
                LEASE_TTL
            }
            Err(e) => {
                check(Err(e));
                LEASE_TTL
            }
        },
    };
    let node_id = s
        .node_id
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(default_node_id);
    let sandbox = sandbox(s.sandbox, s.sandbox_start, production, &mut check);
    let operator = operator(s.operator_bin, s.operator_iin, production, &mut check);
    if problems.is_empty() {
        Ok(Config {
            mode,
            addr: s.addr.unwrap_or_else(|| "127.0.0.1:8080".to_owned()),
            data_dir,
            database,
            max_connections,
            acquire_timeout,
            read_statement_timeout,
            rate_limit,
            event_store,
            kurrentdb_url: s.kurrentdb_url,
            jwt,
            log_format,
            otlp_endpoint,
            sandbox,
            node_id,
            lease_ttl,
            operator,
        })
    } else {
        Err(format!(
            "the {} configuration is not valid:\n  - {}",
            mode.as_str(),
            problems.join("\n  - ")
        ))
    }
}

/// Requests a second per viewer (20; 0 turns the limit off) and the burst (100).
fn rate_limit(
    per_second: Option<String>,
    burst: Option<String>,
    check: &mut dyn FnMut(Result<(), String>),
) -> Option<zakup_api::RateLimit> {
    let mut number = |key: &str, value: Option<String>, default: u32, least: u32| {
        let Some(value) = value else {
            return default;
        };
        match parse::<u32>(key, &value) {
            Ok(n) if (least..=1_000_000).contains(&n) => n,
            Ok(n) => {
                check(Err(format!(
                    "ZAKUP_{}={n}: expected {least} to 1000000",
                    key.to_uppercase()
                )));
                default
            }
            Err(e) => {
                check(Err(e));
                default
            }
        }
    };
    let per_second = number("rate_limit_per_second", per_second, 20, 0);
    let burst = number("rate_limit_burst", burst, 100, 1);
    (per_second > 0).then_some(zakup_api::RateLimit { per_second, burst })
}

/// How long a lease lasts by default: a holder that dies is replaced within about this long.
const LEASE_TTL: Duration = Duration::from_secs(10);

/// The host's name (a pod's name on Kubernetes) and the process id: unique among the nodes, and
/// an operator reading `zakup projections status` knows which machine holds a lease.
fn default_node_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "zakup".to_owned());
    format!("{host}:{}", std::process::id())
}

/// `sandbox` (true or false) and its start instant (RFC 3339). A sandbox's records are not
/// real, so production refuses it (decision 0661).
fn sandbox(
    on: Option<String>,
    start: Option<String>,
    production: bool,
    check: &mut dyn FnMut(Result<(), String>),
) -> Option<SandboxSettings> {
    let on = match on.as_deref().map(str::trim) {
        None | Some("false" | "0") => false,
        Some("true" | "1") => true,
        Some(other) => {
            check(Err(format!(
                "ZAKUP_SANDBOX={other:?}: expected true or false"
            )));
            false
        }
    };
    let start = start.and_then(|v| {
        v.trim()
            .parse()
            .map_err(|e| check(Err(format!("ZAKUP_SANDBOX_START={v:?}: {e} (RFC 3339)"))))
            .ok()
    });
    if start.is_some() && !on {
        check(Err(
            "ZAKUP_SANDBOX_START is given without ZAKUP_SANDBOX=true".to_owned(),
        ));
    }
    if on && production {
        check(Err(
            "ZAKUP_SANDBOX with ZAKUP_MODE=production: a sandbox's clock is moved by calls and \
             its records are not real; run the sandbox in development mode"
                .to_owned(),
        ));
    }
    on.then_some(SandboxSettings { start })
}

/// The portal operator: both numbers or neither; in production both, and not the demo's.
fn operator(
    bin: Option<String>,
    iin: Option<String>,
    production: bool,
    check: &mut dyn FnMut(Result<(), String>),
) -> Option<(Bin, Iin)> {
    let (bin, iin) = match (bin, iin) {
        (Some(bin), Some(iin)) => (bin, iin),
        (None, None) => {
            if production {
                check(Err(
                    "ZAKUP_OPERATOR_BIN and ZAKUP_OPERATOR_IIN are not set: production \
                     records timed transitions in the name of the real portal operator, not \
                     the demo's"
                        .to_owned(),
                ));
            }
            return None;
        }
        _ => {
            check(Err(
                "ZAKUP_OPERATOR_BIN and ZAKUP_OPERATOR_IIN go together: set both".to_owned(),
            ));
            return None;
        }
    };
    let parsed = (
        parse::<Bin>("operator_bin", &bin),
        parse::<Iin>("operator_iin", &iin),
    );
    let (bin, iin) = match parsed {
        (Ok(bin), Ok(iin)) => (bin, iin),
        (b, i) => {
            check(b.map(drop));
            check(i.map(drop));
            return None;
        }
    };
    if production && crate::demo::is_demo_identity(&bin.to_string(), &iin.to_string()) {
        check(Err(format!(
            "the operator {bin} / {iin} is one of the demo identities: production refuses them"
        )));
    }
    Some((bin, iin))
}

#[cfg(test)]
mod tests;
