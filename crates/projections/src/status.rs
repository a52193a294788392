use chrono::Utc;
use sqlx::PgPool;
use zakup_store::{EventStore, Position};

use crate::generation;
use crate::projection::{Projection, ProjectionError};

#[derive(Debug, Clone, PartialEq)]
pub struct ProjectionStatus {
    pub name: String,
    pub generation: i32,
    pub state: String,
    pub checkpoint: Option<Position>,
    pub events_applied: i64,
    /// Events of its streams not yet applied.
    pub lag_events: u64,
    /// Age of the oldest event not yet applied (0 when caught up).
    pub lag_seconds: f64,
}

pub async fn status(
    pool: &PgPool,
    store: &dyn EventStore,
    projections: &[std::sync::Arc<dyn Projection>],
) -> Result<Vec<ProjectionStatus>, ProjectionError> {
    let mut out = Vec::new();
    for p in projections {
        let Some(g) = generation::live(pool, p.name()).await? else {
            continue;
        };
        let filter = p.filter();
        let lag_events = store.count_after(g.checkpoint, &filter).await?;
        let oldest = store.read_all(g.checkpoint, &filter, 1).await?;
        let lag_seconds = oldest.first().map_or(0.0, |e| {
            (Utc::now() - e.recorded_at).num_milliseconds().max(0) as f64 / 1000.0
        });
        out.push(ProjectionStatus {
            name: g.projection,
            generation: g.generation,
            state: g.state,
            checkpoint: g.checkpoint,
            events_applied: g.events_applied,
            lag_events,
            lag_seconds,
        });
    }
    Ok(out)
}
