//! From the environment to connections: `DATABASE_URL`, or the embedded PostgreSQL cluster.

use std::path::PathBuf;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use zakup_store::SharedStore;

pub struct Environment {
    pub store: SharedStore,
    /// The read-model database (also the event store's, on the PostgreSQL backend).
    pub pool: PgPool,
    embedded: Option<PathBuf>,
}

impl Environment {
    /// Connects, and applies the event-store and registry migrations.
    pub async fn open() -> Result<Self, super::Error> {
        let (pool, embedded) = match std::env::var("DATABASE_URL") {
            Ok(url) if !url.is_empty() => (connect(&url).await?, None),
            _ => {
                let dir = data_dir().join("postgres");
                let cluster = zakup_pgcluster::ensure_running(&dir).await?;
                let url = cluster.database_url(zakup_pgcluster::APP_DATABASE);
                (connect(&url).await?, Some(dir))
            }
        };
        let store = event_store(&pool).await?;
        zakup_projections::migrate(&pool).await?;
        Ok(Environment {
            store,
            pool,
            embedded,
        })
    }

    pub fn describe_database(&self) -> String {
        match &self.embedded {
            Some(dir) => format!("embedded PostgreSQL in {}", dir.display()),
            None => "DATABASE_URL".to_owned(),
        }
    }
}

/// `ZAKUP_EVENT_STORE=postgres` (the default) keeps the events in the read-model database;
/// `kurrentdb` keeps them in the KurrentDB cluster at `KURRENTDB_URL`, the read models staying in
/// PostgreSQL.
async fn event_store(pool: &PgPool) -> Result<SharedStore, super::Error> {
    match std::env::var("ZAKUP_EVENT_STORE").as_deref() {
        Err(_) | Ok("") | Ok("postgres") => {
            Ok(zakup_store_pg::PgStore::connect(pool.clone()).await?)
        }
        Ok("kurrentdb") => Ok(kurrentdb().await?),
        Ok(other) => {
            Err(format!("ZAKUP_EVENT_STORE={other:?}: expected postgres or kurrentdb").into())
        }
    }
}

/// The KurrentDB store named by `KURRENTDB_URL`.
pub async fn kurrentdb() -> Result<SharedStore, super::Error> {
    let url = std::env::var("KURRENTDB_URL")
        .map_err(|_| "KURRENTDB_URL is not set (a kurrentdb:// connection string)")?;
    Ok(zakup_store_kurrent::KurrentStore::connect(&url).await?)
}

fn data_dir() -> PathBuf {
    std::env::var_os("ZAKUP_DATA_DIR").map_or_else(|| PathBuf::from(".zakup"), PathBuf::from)
}

async fn connect(url: &str) -> Result<PgPool, super::Error> {
    PgPoolOptions::new()
        .max_connections(16)
        .connect(url)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}").into())
}
