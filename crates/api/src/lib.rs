//! The HTTP face of Zakup: GraphQL for frontends and auditors, `/health` and `/metrics` for
//! operators.

mod health;
mod metrics;

use std::sync::Arc;

use axum::Router;
use axum::routing::get;
use sqlx::PgPool;
use zakup_projections::Daemon;
use zakup_store::SharedStore;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: SharedStore,
    /// The read-model database.
    pub pool: PgPool,
    pub daemon: Arc<Daemon>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .with_state(state)
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
