use std::future::Future;
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use crate::Http;

/// How long each check may take: a database that does not answer within it is reported down,
/// so `/health` answers even while every connection attempt hangs (decision 0625).
pub const CHECK_TIMEOUT: Duration = Duration::from_secs(1);

/// What `/health` says about how the server was started: an operator (or a monitor) sees at a
/// glance that a server runs on the development defaults (decision 0626).
#[derive(Debug, Clone, Serialize)]
pub struct Deployment {
    /// `development` or `production`.
    pub mode: String,
    /// Where the database is: `embedded` (the private cluster in the data folder) or `external`.
    pub database: String,
    /// The development defaults in use (embedded database, generated JWT secret, demo
    /// operator), each named; empty in production.
    pub defaults: Vec<String>,
}

impl Default for Deployment {
    /// A server built in process (tests, benchmarks): nothing is known about its start.
    fn default() -> Self {
        Deployment {
            mode: "unspecified".into(),
            database: "external".into(),
            defaults: Vec::new(),
        }
    }
}

async fn check<T, E: std::fmt::Display>(
    what: impl Future<Output = Result<T, E>>,
) -> Result<T, String> {
    match tokio::time::timeout(CHECK_TIMEOUT, what).await {
        Ok(result) => result.map_err(|e| e.to_string()),
        Err(_) => Err(format!("no answer within {} ms", CHECK_TIMEOUT.as_millis())),
    }
}

/// 200 when the read-model database answers and the event store can be read; 503 otherwise.
/// The checks run at once, each bounded by [`CHECK_TIMEOUT`]. Projection states are reported,
/// not judged: a rebuild is normal operation.
pub(crate) async fn health(State(http): State<Http>) -> (StatusCode, Json<Value>) {
    let state = &http.app;
    let everything = zakup_store::Filter::all();
    let (database, store, projections) = tokio::join!(
        check(sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&state.pool)),
        check(state.store.read_all(None, &everything, 1)),
        check(zakup_projections::status(
            &state.pool,
            state.store.as_ref(),
            state.daemon.projections(),
        )),
    );
    let projections = projections.map(|all| {
        all.into_iter()
            .map(|p| json!({"name": p.name, "generation": p.generation, "lagEvents": p.lag_events}))
            .collect::<Vec<_>>()
    });
    let ok = database.is_ok() && store.is_ok();
    let code = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let clock = state.engine.clock();
    let sandbox = clock
        .sandbox()
        .map(|s| json!({"now": clock.now(), "acceleration": s.anchor().acceleration}));
    let body = json!({
        "status": if ok { "ok" } else { "unavailable" },
        "deployment": *http.deployment,
        // A sandbox's records are not real, and its time is moved by calls (decision 0661):
        // its time, or null.
        "sandbox": sandbox,
        "eventStore": {"backend": state.store.backend(), "error": store.err()},
        "readModels": {"error": database.err()},
        "projections": projections.unwrap_or_default(),
        // Which of the work that runs once across the nodes this node does (decision 0760).
        "leases": leases(state),
    });
    (code, Json(body))
}

/// This node's name and the leases it holds now.
fn leases(state: &crate::AppState) -> Value {
    let leases = state.daemon.leases();
    let held: Vec<&str> = leases
        .held()
        .into_iter()
        .filter(|(_, held)| *held)
        .map(|(name, _)| name)
        .collect();
    json!({"node": leases.node(), "held": held})
}
