use std::sync::Arc;

use zakup_store_pg::PgStore;

/// A PgStore on a fresh, empty database (a throwaway cluster, or `DATABASE_URL`'s server).
pub async fn fresh_store() -> Arc<PgStore> {
    store_on(&fresh_database().await).await
}

/// The URL of a fresh, empty database.
pub async fn fresh_database() -> String {
    zakup_pgcluster::test_database()
        .await
        .expect("test database")
        .url
}

/// A PgStore with its own pool on `url`: another process, as far as the database can tell.
pub async fn store_on(url: &str) -> Arc<PgStore> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(12)
        .connect(url)
        .await
        .expect("connect to the test database");
    PgStore::connect(pool).await.expect("event store schema")
}
