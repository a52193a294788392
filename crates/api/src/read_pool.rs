//! The read side's own pool (issue 26 item 1, decision 0680): every GraphQL query, subscription
//! and `/health` check reads the read models through connections that PostgreSQL itself keeps
//! read-only and cancels after a statement timeout, so that a pathological read is answered
//! `query_timeout` instead of holding a connection, and never takes one from the command path
//! (the event store and the projections have their own pool).

use std::time::Duration;

use sqlx::PgPool;

/// How long one read-model statement may run before PostgreSQL cancels it: the slowest page the
/// cost budget admits (decision 0620) reads in tens of milliseconds.
pub const READ_STATEMENT_TIMEOUT: Duration = Duration::from_secs(2);

/// A pool to the database `like` connects to, of `max_connections` connections that wait at most
/// `acquire_timeout` for one (as the command path's, decision 0625), in read-only transactions
/// whose statements PostgreSQL cancels after `statement_timeout`. It connects lazily: the first
/// query opens the first connection.
pub fn read_pool(
    like: &PgPool,
    max_connections: u32,
    acquire_timeout: Duration,
    statement_timeout: Duration,
) -> PgPool {
    // Startup parameters, not a `SET` after connecting: they hold for every connection from its
    // first statement, and a transaction cannot forget them (`SET` could be rolled back).
    let options = (*like.connect_options()).clone().options([
        ("default_transaction_read_only", "on".to_owned()),
        (
            "statement_timeout",
            format!("{}ms", statement_timeout.as_millis().max(1)),
        ),
    ]);
    sqlx::postgres::PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(acquire_timeout)
        .connect_lazy_with(options)
}

/// SQLSTATE 57014 `query_canceled`: the statement timeout ran out (nothing else cancels the
/// read side's statements).
pub(crate) fn timed_out(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|c| c == "57014")
}
