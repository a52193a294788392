//! A small versioned migrator shared by the event store and the read models.
//!
//! Migrations are SQL files compiled into the binary (`include_str!`), applied in order, each in
//! its own transaction, under an advisory lock so that two processes starting at once do not
//! race. sqlx's own migrator needs its macro crate; this is the part of it we use.

use sqlx::PgPool;

pub struct Migration {
    pub version: i32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Applies the migrations of `scope` that are not applied yet; returns how many ran.
pub async fn apply(
    pool: &PgPool,
    scope: &str,
    migrations: &[Migration],
) -> Result<usize, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SELECT pg_advisory_lock(hashtext('zakup_migrations'))")
        .execute(&mut *conn)
        .await?;
    let result = apply_locked(&mut conn, scope, migrations).await;
    sqlx::query("SELECT pg_advisory_unlock(hashtext('zakup_migrations'))")
        .execute(&mut *conn)
        .await?;
    result
}

async fn apply_locked(
    conn: &mut sqlx::PgConnection,
    scope: &str,
    migrations: &[Migration],
) -> Result<usize, sqlx::Error> {
    sqlx::query(
        "CREATE TABLE IF NOT EXISTS zakup_migrations (
             scope text NOT NULL, version int NOT NULL, name text NOT NULL,
             applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, version))",
    )
    .execute(&mut *conn)
    .await?;
    let applied: Vec<i32> =
        sqlx::query_scalar("SELECT version FROM zakup_migrations WHERE scope = $1")
            .bind(scope)
            .fetch_all(&mut *conn)
            .await?;
    let mut ran = 0;
    for m in migrations.iter().filter(|m| !applied.contains(&m.version)) {
        let mut tx = sqlx::Connection::begin(&mut *conn).await?;
        sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO zakup_migrations (scope, version, name) VALUES ($1, $2, $3)")
            .bind(scope)
            .bind(m.version)
            .bind(m.name)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        ran += 1;
    }
    Ok(ran)
}
