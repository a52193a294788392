use std::fmt::Write as _;
use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;

use zakup_projections::ProjectionStatus;

use crate::AppState;
use crate::feeds::Feeds;

type Gauge = (&'static str, &'static str, fn(&ProjectionStatus) -> f64);

/// Prometheus text exposition, written by hand: a few gauges do not need a metrics framework.
pub async fn metrics(
    State(state): State<AppState>,
    State(feeds): State<Arc<Feeds>>,
) -> impl IntoResponse {
    let statuses = zakup_projections::status(
        &state.pool,
        state.store.as_ref(),
        state.daemon.projections(),
    )
    .await;
    let Ok(statuses) = statuses else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain")],
            String::from("# read models unavailable\n"),
        );
    };
    let mut out = String::new();
    let gauges: [Gauge; 4] = [
        (
            "zakup_projection_lag_events",
            "Events of the projection's streams not yet applied.",
            |s| s.lag_events as f64,
        ),
        (
            "zakup_projection_lag_seconds",
            "Age of the oldest event not yet applied.",
            |s| s.lag_seconds,
        ),
        (
            "zakup_projection_events_applied",
            "Events applied by the live generation.",
            |s| s.events_applied as f64,
        ),
        (
            "zakup_projection_generation",
            "Live generation of the read model.",
            |s| f64::from(s.generation),
        ),
    ];
    for (name, help, value) in gauges {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge");
        for s in &statuses {
            let _ = writeln!(out, "{name}{{projection=\"{}\"}} {}", s.name, value(s));
        }
    }
    // A transaction holding an xid stalls every subscriber of the PostgreSQL store (they wait
    // below its snapshot xmin, never skip): operators need to see it before lag grows.
    let oldest: Result<Option<f64>, _> = sqlx::query_scalar(
        "SELECT extract(epoch FROM clock_timestamp() - min(xact_start))::float8
           FROM pg_stat_activity
          WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL",
    )
    .fetch_one(&state.pool)
    .await;
    if let Ok(oldest) = oldest {
        let name = "zakup_oldest_transaction_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Age of the oldest open transaction that holds back the global log.\n# TYPE {name} gauge\n{name} {}",
            oldest.unwrap_or(0.0)
        );
    }
    // Which node does the work that runs once (decision 0760): 1 for each lease held here.
    let name = "zakup_lease_held";
    let _ = writeln!(
        out,
        "# HELP {name} 1 while this node holds the lease, 0 otherwise.\n# TYPE {name} gauge"
    );
    let leases = state.daemon.leases();
    // The node's name is configured text: escaped as the exposition format's label values are.
    let node = leases
        .node()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n");
    for (lease, held) in leases.held() {
        let _ = writeln!(
            out,
            "{name}{{lease=\"{lease}\",node=\"{node}\"}} {}",
            u8::from(held)
        );
    }
    let name = "zakup_subscriptions_live";
    let _ = writeln!(
        out,
        "# HELP {name} Live GraphQL subscriptions.\n# TYPE {name} gauge\n{name} {}",
        state.daemon.subscribers()
    );
    let name = "zakup_subscription_task_runs_total";
    let _ = writeln!(
        out,
        "# HELP {name} Runs of the task queries after an applied batch, one per viewer and batch.\n# TYPE {name} counter\n{name} {}",
        feeds.task_runs()
    );
    let name = "zakup_subscription_clients_dropped_total";
    let _ = writeln!(
        out,
        "# HELP {name} WebSocket connections closed because their client did not read.\n# TYPE {name} counter\n{name} {}",
        feeds.dropped_clients()
    );
    // A sandbox's numbers are not production's (decision 0661): say so, with its time.
    let clock = state.engine.clock();
    let sandbox = clock.sandbox().is_some();
    let _ = writeln!(
        out,
        "# HELP zakup_sandbox 1 on a sandbox server, whose clock is moved by calls.\n# TYPE zakup_sandbox gauge\nzakup_sandbox {}",
        u8::from(sandbox)
    );
    if sandbox {
        let _ = writeln!(
            out,
            "# HELP zakup_sandbox_clock_seconds The sandbox's time (Unix seconds).\n# TYPE zakup_sandbox_clock_seconds gauge\nzakup_sandbox_clock_seconds {}",
            clock.now().timestamp()
        );
    }
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        out,
    )
}
