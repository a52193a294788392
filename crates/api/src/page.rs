//! What every resolver needs: the shared state, who is asking, read-your-writes, and Relay
//! cursor connections.

use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, OutputType, Result};
use zakup_domain::actor::Actor;
use zakup_store::Position;

use crate::auth::{Principal, Viewer};
use crate::{AppState, READ_YOUR_WRITES_WAIT, refusal};

pub fn app<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// Who asks; anonymous without a token. A token that does not verify fails the request.
pub fn viewer<'a>(ctx: &Context<'a>) -> Result<Option<&'a Principal>> {
    match ctx.data_opt::<Viewer>() {
        None => Ok(None),
        Some(v) => v.principal().map_err(refusal::unauthenticated),
    }
}

/// The viewer's organisation БИН, for the read-side visibility rules.
pub fn viewer_org(ctx: &Context<'_>) -> Result<Option<String>> {
    Ok(viewer(ctx)?.map(|p| p.org_bin.clone()))
}

/// The acting user of a mutation: a verified token whose identity the domain accepts.
pub fn actor(ctx: &Context<'_>) -> Result<Actor> {
    let principal = viewer(ctx)?.ok_or_else(|| refusal::unauthenticated("no bearer token"))?;
    principal.actor().map_err(|e| refusal::domain(&e))
}

/// Read-your-writes: waits (briefly) until every read model of `category` has applied the
/// event at `min_position`, the `position` a mutation returned.
pub async fn reach(ctx: &Context<'_>, category: &str, min_position: Option<String>) -> Result<()> {
    let Some(raw) = min_position else {
        return Ok(());
    };
    let position: Position = raw
        .parse()
        .map_err(|e| refusal::invalid_input("minPosition", e))?;
    if app(ctx)
        .daemon
        .wait_for(category, position, READ_YOUR_WRITES_WAIT)
        .await
    {
        Ok(())
    } else {
        Err(refusal::lagging(position))
    }
}

pub const DEFAULT_PAGE: usize = 20;
pub const MAX_PAGE: usize = 100;

/// A forward Relay connection over an ordered query: `fetch(offset, limit)` returns at most
/// `limit` rows from `offset`. The cursor is the row's offset.
pub async fn connection<T, F, Fut>(
    after: Option<String>,
    first: Option<i32>,
    fetch: F,
) -> Result<Connection<usize, T>>
where
    T: OutputType,
    F: FnOnce(i64, i64) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>>>,
{
    let first = match first {
        None => DEFAULT_PAGE,
        Some(n) if n >= 0 && n as usize <= MAX_PAGE => n as usize,
        Some(n) => {
            return Err(refusal::invalid_input(
                "first",
                format!("{n} is not between 0 and {MAX_PAGE}"),
            ));
        }
    };
    let start = match after.as_deref() {
        None => 0,
        Some(cursor) => {
            let at: usize = async_graphql::connection::CursorType::decode_cursor(cursor).map_err(
                |_: std::num::ParseIntError| {
                    refusal::invalid_input("after", "not a cursor of this connection")
                },
            )?;
            at + 1
        }
    };
    let mut rows = fetch(start as i64, first as i64 + 1).await?;
    let has_next = rows.len() > first;
    rows.truncate(first);
    let mut connection = Connection::new(start > 0, has_next);
    connection.edges.extend(
        rows.into_iter()
            .enumerate()
            .map(|(i, row)| Edge::new(start + i, row)),
    );
    Ok(connection)
}
