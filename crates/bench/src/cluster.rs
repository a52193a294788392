//! The benchmarks' own durable PostgreSQL cluster: `fsync` and `synchronous_commit` on (the
//! defaults), as production runs it. The test cluster runs with `fsync` off, which would flatter
//! every write figure.

use std::path::PathBuf;

use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use zakup_pgcluster::{Cluster, ClusterConfig};

use crate::Result;

pub struct BenchCluster {
    cluster: Cluster,
    dir: PathBuf,
}

impl BenchCluster {
    /// A fresh cluster in a private temporary folder, configured like the baseline measurement of
    /// the design research (§4.2: `shared_buffers=1GB`, `max_wal_size=4GB`), so our figures can
    /// be read beside those.
    pub async fn start() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!("zakup-bench-{}", std::process::id()));
        let cluster = ClusterConfig::new(&dir).start().await?;
        let admin = pool_on(&cluster, "postgres", 1).await?;
        for setting in [
            "ALTER SYSTEM SET shared_buffers = '1GB'",
            "ALTER SYSTEM SET max_wal_size = '4GB'",
        ] {
            sqlx::query(setting).execute(&admin).await?;
        }
        admin.close().await;
        // shared_buffers only takes effect at a restart.
        cluster.stop().await?;
        let cluster = ClusterConfig::new(&dir).start().await?;
        Ok(BenchCluster { cluster, dir })
    }

    /// A pool on a new database `name`.
    pub async fn database(&self, name: &str, connections: u32) -> Result<PgPool> {
        self.cluster.create_database_if_missing(name).await?;
        pool_on(&self.cluster, name, connections).await
    }

    /// The URL of database `name`, for another process.
    pub fn url(&self, name: &str) -> String {
        self.cluster.database_url(name)
    }

    /// A pool whose commits do not wait for the WAL flush: for seeding only, never measured.
    pub async fn seeding_pool(&self, name: &str, connections: u32) -> Result<PgPool> {
        Ok(PgPoolOptions::new()
            .max_connections(connections)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    sqlx::query("SET synchronous_commit = off")
                        .execute(conn)
                        .await
                        .map(|_| ())
                })
            })
            .connect_with(self.cluster.connect_options(name))
            .await?)
    }

    pub async fn stop(self) -> Result<()> {
        self.cluster.stop().await?;
        std::fs::remove_dir_all(&self.dir)?;
        Ok(())
    }
}

async fn pool_on(cluster: &Cluster, db: &str, connections: u32) -> Result<PgPool> {
    Ok(PgPoolOptions::new()
        .max_connections(connections)
        .connect_with(cluster.connect_options(db))
        .await?)
}
