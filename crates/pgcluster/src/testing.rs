//! Fresh databases for tests, so `cargo test` and `cargo nextest run` need no set-up.
//!
//! With `DATABASE_URL` set, each test database is created on that server. Otherwise all test
//! processes share ONE throwaway cluster in [`test_cluster_dir`], started by whichever process
//! comes first (a file lock makes the others wait, then reuse it). It keeps running after the
//! tests so the next run starts warm; stop it with [`stop_test_cluster`] or, from a shell (as
//! CI's last step), with:
//!
//! ```sh
//! pidfile="${TMPDIR:-/tmp}/zakup-test-cluster-$(id -u)/postmaster.pid"; if [ -f "$pidfile" ]; then kill -INT "$(head -n 1 "$pidfile")"; fi
//! ```
//!
//! (`SIGINT` is PostgreSQL's fast shutdown, the same as `pg_ctl stop -m fast`.)

use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::postgres::{PgConnection, PgPool, PgPoolOptions};
use sqlx::{Connection, Executor};

use crate::error::{ClusterError, sql_error};
use crate::server_user::effective_uid;
use crate::{Cluster, ClusterConfig, quote_ident};

const NAME_PREFIX: &str = "zakup_test_";

/// An empty database of its own for one test.
#[derive(Debug, Clone)]
pub struct TestDatabase {
    /// A URL sqlx accepts.
    pub url: String,
    /// The database's name (`zakup_test_<pid>_<counter>_<random>`).
    pub name: String,
}

impl TestDatabase {
    /// A small pool (5 connections: many test processes share one server) on the database.
    pub async fn pool(&self) -> Result<PgPool, ClusterError> {
        PgPoolOptions::new()
            .max_connections(5)
            .connect(&self.url)
            .await
            .map_err(sql_error(format!("connect to test database {}", self.name)))
    }
}

/// A fresh, empty database: on the server named by `DATABASE_URL` if set, otherwise on the
/// shared throwaway test cluster (started if needed).
pub async fn test_database() -> Result<TestDatabase, ClusterError> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if !url.is_empty() => test_database_on(&url).await,
        _ => {
            let cluster = ClusterConfig::new(test_cluster_dir())
                .throwaway()
                .start()
                .await?;
            let admin_url = cluster.database_url("postgres");
            drop_leftovers_once(&cluster).await;
            test_database_on(&admin_url).await
        }
    }
}

/// A fresh, empty database on the server `admin_url` points at (its database is only used to
/// issue `CREATE DATABASE`). The returned URL is `admin_url` with the database replaced.
pub async fn test_database_on(admin_url: &str) -> Result<TestDatabase, ClusterError> {
    let name = unique_name();
    let url = with_database(admin_url, &name)?;
    // The URL may hold a password, so errors name the database, not the URL.
    let mut conn = PgConnection::connect(admin_url)
        .await
        .map_err(sql_error("connect to the server to create a test database"))?;
    conn.execute(format!("CREATE DATABASE {}", quote_ident(&name)).as_str())
        .await
        .map_err(sql_error(format!("create test database {name}")))?;
    conn.close()
        .await
        .map_err(sql_error("close the connection"))?;
    Ok(TestDatabase { url, name })
}

/// The shared test cluster's folder: `<temp dir>/zakup-test-cluster-<effective uid>`.
pub fn test_cluster_dir() -> PathBuf {
    // If the uid cannot be read, everyone falls back to the same name, which still works.
    let uid = effective_uid().map_or_else(|_| "unknown".to_owned(), |uid| uid.to_string());
    std::env::temp_dir().join(format!("zakup-test-cluster-{uid}"))
}

/// Stops the shared test cluster if it is running.
pub async fn stop_test_cluster() -> Result<(), ClusterError> {
    let dir = test_cluster_dir();
    if !dir.join("postmaster.pid").exists() {
        return Ok(());
    }
    ClusterConfig::new(dir).attach()?.stop().await
}

/// Unique across threads (counter), processes (pid) and pid reuse (random).
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let counter = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    // RandomState is seeded randomly per process.
    let random = RandomState::new().hash_one(nanos) as u32;
    format!("{NAME_PREFIX}{}_{counter}_{random:08x}", std::process::id())
}

/// Drops the test databases of processes that have exited, once per process, so a shared
/// cluster that keeps running across test runs does not fill the disk (each database costs
/// about 8 MB). Only one process sweeps at a time (an advisory lock), and a failed sweep only
/// leaves garbage behind, so errors are ignored.
async fn drop_leftovers_once(cluster: &Cluster) {
    static SWEPT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if SWEPT.swap(true, Ordering::Relaxed) {
        return;
    }
    let _ = drop_leftovers(cluster).await;
}

async fn drop_leftovers(cluster: &Cluster) -> Result<(), sqlx::Error> {
    const SWEEP_LOCK: i64 = 0x7a61_6b75_7067_6300;
    let mut conn = PgConnection::connect_with(&cluster.connect_options("postgres")).await?;
    let locked: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
        .bind(SWEEP_LOCK)
        .fetch_one(&mut conn)
        .await?;
    if locked {
        let names: Vec<String> =
            sqlx::query_scalar("SELECT datname FROM pg_database WHERE starts_with(datname, $1)")
                .bind(NAME_PREFIX)
                .fetch_all(&mut conn)
                .await?;
        for name in names.iter().filter(|name| creator_has_exited(name)) {
            let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", quote_ident(name));
            conn.execute(drop.as_str()).await?;
        }
    }
    conn.close().await
}

fn creator_has_exited(name: &str) -> bool {
    name.strip_prefix(NAME_PREFIX)
        .and_then(|rest| rest.split('_').next())
        .and_then(|pid| pid.parse::<u32>().ok())
        .is_some_and(|pid| !Path::new("/proc").join(pid.to_string()).exists())
}

/// `url` with its database (the path) replaced by `database`, keeping user, password, host and
/// query parameters.
fn with_database(url: &str, database: &str) -> Result<String, ClusterError> {
    let authority_start = url.find("://").ok_or(ClusterError::InvalidUrl {
        reason: "no `://` after the scheme",
    })? + 3;
    let authority_end = url[authority_start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |at| authority_start + at);
    let rest_start = url[authority_end..]
        .find(['?', '#'])
        .map_or(url.len(), |at| authority_end + at);
    Ok(format!(
        "{}/{database}{}",
        &url[..authority_end],
        &url[rest_start..]
    ))
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn with_database_replaces_only_the_path() {
        let cases = [
            (
                "postgres://u:p@h:5/db?sslmode=off",
                "postgres://u:p@h:5/new?sslmode=off",
            ),
            ("postgres://h", "postgres://h/new"),
            ("postgres://h/", "postgres://h/new"),
            ("postgres:///db?host=/tmp/s", "postgres:///new?host=/tmp/s"),
            ("postgresql://h?host=/s", "postgresql://h/new?host=/s"),
        ];
        for (url, expected) in cases {
            assert_eq!(
                with_database(url, "new").ok().as_deref(),
                Some(expected),
                "{url}"
            );
        }
    }
}
