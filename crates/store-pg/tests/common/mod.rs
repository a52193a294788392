use std::sync::Arc;

use zakup_store_pg::PgStore;

/// A PgStore on a fresh, empty database (a throwaway cluster, or `DATABASE_URL`'s server).
pub async fn fresh_store() -> Arc<PgStore> {
    let db = zakup_pgcluster::test_database()
        .await
        .expect("test database");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(12)
        .connect(&db.url)
        .await
        .expect("connect to the test database");
    PgStore::connect(pool).await.expect("event store schema")
}
