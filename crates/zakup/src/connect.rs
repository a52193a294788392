//! From the configuration to connections: an external PostgreSQL, or the embedded cluster.

use std::path::PathBuf;

use std::sync::Arc;

use sqlx::PgPool;
use zakup_domain::privacy::is_person;
use zakup_store::SharedStore;
use zakup_store::shred::{Sealer, ShreddingStore};
use zakup_store_pg::keyring::PgKeyring;

use crate::config::{Config, Database, EventStore};

pub struct Environment {
    /// The event store as everything reads and writes it: personal values sealed on append and
    /// opened on read (decision 0840).
    pub store: SharedStore,
    /// The events as stored (sealed values, the hashes over them): what `verify` checks and
    /// `migrate-events` copies.
    pub raw: SharedStore,
    /// The PostgreSQL store itself, on that backend: forgetting and sealing write in its
    /// transactions.
    pub pg: Option<Arc<zakup_store_pg::PgStore>>,
    /// The persons' keys, in PostgreSQL on either backend.
    pub keyring: Arc<PgKeyring>,
    /// The read-model database (also the event store's, on the PostgreSQL backend).
    pub pool: PgPool,
    embedded: Option<Embedded>,
}

/// The embedded cluster, and whether this process started it (then it stops it on exit,
/// decision 0625).
struct Embedded {
    dir: PathBuf,
    started_here: bool,
}

impl Environment {
    /// Connects, and applies the event-store and registry migrations.
    pub async fn open(config: &Config) -> Result<Self, super::Error> {
        let (pool, embedded) = match &config.database {
            Database::External(url) => (connect(config, url).await?, None),
            Database::Embedded(dir) => {
                let started_here = !zakup_pgcluster::ClusterConfig::new(dir).is_running();
                let cluster = zakup_pgcluster::ensure_running(dir).await?;
                if started_here {
                    tracing::info!(
                        dir = %dir.display(),
                        "started the embedded PostgreSQL; it stops when this command ends"
                    );
                }
                let embedded = Embedded {
                    dir: dir.clone(),
                    started_here,
                };
                let url = cluster.database_url(zakup_pgcluster::APP_DATABASE);
                match connect(config, &url).await {
                    Ok(pool) => (pool, Some(embedded)),
                    Err(e) => {
                        embedded.stop().await;
                        return Err(e);
                    }
                }
            }
        };
        let opened = async {
            let (raw, pg) = event_store(config, &pool).await?;
            zakup_projections::migrate(&pool).await?;
            let keyring = Arc::new(PgKeyring::open(pool.clone()).await?);
            Ok::<_, super::Error>((raw, pg, keyring))
        }
        .await;
        match opened {
            Ok((raw, pg, keyring)) => {
                let sealer = Sealer::new(keyring.clone(), is_person);
                Ok(Environment {
                    store: ShreddingStore::new(raw.clone(), sealer),
                    raw,
                    pg,
                    keyring,
                    pool,
                    embedded,
                })
            }
            Err(e) => {
                if let Some(embedded) = embedded {
                    embedded.stop().await;
                }
                Err(e)
            }
        }
    }

    pub fn describe_database(&self) -> String {
        match &self.embedded {
            Some(e) => format!("embedded PostgreSQL in {}", e.dir.display()),
            None => "external PostgreSQL".to_owned(),
        }
    }

    /// Stops the embedded cluster if this process started it; an external database, or an
    /// embedded one somebody else started (`zakup db start`, another command), is left running.
    pub async fn close(self) {
        let Environment {
            store,
            raw,
            pg,
            keyring,
            pool,
            embedded,
        } = self;
        drop((store, raw, pg, keyring));
        // Closing waits for connections in use; background tasks may hold some, so it is
        // bounded: the cluster's fast stop ends whatever is left.
        let _ = tokio::time::timeout(std::time::Duration::from_secs(2), pool.close()).await;
        if let Some(embedded) = embedded {
            embedded.stop().await;
        }
    }
}

impl Embedded {
    async fn stop(&self) {
        if !self.started_here {
            return;
        }
        let stop = async {
            zakup_pgcluster::ClusterConfig::new(&self.dir)
                .attach()?
                .stop()
                .await
        };
        match stop.await {
            Ok(()) => tracing::info!(dir = %self.dir.display(), "stopped the embedded PostgreSQL"),
            Err(e) => tracing::error!(
                dir = %self.dir.display(),
                error = %e,
                "could not stop the embedded PostgreSQL"
            ),
        }
    }
}

/// `event_store: postgres` (the default) keeps the events in the read-model database;
/// `kurrentdb` keeps them in the KurrentDB cluster at `kurrentdb_url`, the read models staying
/// in PostgreSQL. The keys of personal data are in PostgreSQL on both (decision 0840). The
/// store as stored, and the PostgreSQL store itself on that backend.
async fn event_store(
    config: &Config,
    pool: &PgPool,
) -> Result<(SharedStore, Option<Arc<zakup_store_pg::PgStore>>), super::Error> {
    match config.event_store {
        EventStore::Postgres => {
            let pg = zakup_store_pg::PgStore::connect(pool.clone()).await?;
            Ok((pg.clone(), Some(pg)))
        }
        EventStore::Kurrentdb => Ok((kurrentdb(config).await?, None)),
    }
}

/// The KurrentDB store named by `kurrentdb_url`.
pub async fn kurrentdb(config: &Config) -> Result<SharedStore, super::Error> {
    let url = config.kurrentdb_url.as_deref().ok_or(
        "ZAKUP_KURRENTDB_URL (or KURRENTDB_URL) is not set (a kurrentdb:// connection string)",
    )?;
    Ok(zakup_store_kurrent::KurrentStore::connect(url).await?)
}

async fn connect(config: &Config, url: &str) -> Result<PgPool, super::Error> {
    zakup_store_pg::pool_options(config.max_connections, config.acquire_timeout)
        .connect(url)
        .await
        .map_err(|e| format!("cannot connect to PostgreSQL: {e}").into())
}
