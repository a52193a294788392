use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::AppState;

/// 200 when the read-model database answers and the event store can be read; 503 otherwise.
/// Projection states are reported, not judged: a rebuild is normal operation.
pub async fn health(State(state): State<AppState>) -> (StatusCode, Json<Value>) {
    let database = sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&state.pool)
        .await
        .map_err(|e| e.to_string());
    let store = state
        .store
        .read_all(None, &zakup_store::Filter::all(), 1)
        .await
        .map(|_| ())
        .map_err(|e| e.to_string());
    let projections = zakup_projections::status(
        &state.pool,
        state.store.as_ref(),
        state.daemon.projections(),
    )
    .await
    .map(|all| {
        all.into_iter()
            .map(|p| json!({"name": p.name, "generation": p.generation, "lagEvents": p.lag_events}))
            .collect::<Vec<_>>()
    })
    .map_err(|e| e.to_string());
    let ok = database.is_ok() && store.is_ok();
    let code = if ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let body = json!({
        "status": if ok { "ok" } else { "unavailable" },
        "eventStore": {"backend": state.store.backend(), "error": store.err()},
        "readModels": {"error": database.err()},
        "projections": projections.unwrap_or_default(),
    });
    (code, Json(body))
}
