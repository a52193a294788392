//! The timeline read model: every event of every announcement, who did it, when, and why.

use futures::future::BoxFuture;
use sqlx::PgConnection;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::projection::{Projection, ProjectionError};

pub struct Timeline;

const MIGRATIONS: &[&str] = &[include_str!(
    "../../../projections/timeline/0001_timeline.sql"
)];

impl Projection for Timeline {
    fn name(&self) -> &'static str {
        "timeline"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["announcement", "plan_item"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["timeline"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        _store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            // One set-based insert per batch: the rebuild speed is bounded by read-model writes.
            let col =
                |f: fn(&RecordedEvent) -> String| events.iter().map(|e| f(e)).collect::<Vec<_>>();
            sqlx::query(
                "INSERT INTO timeline (stream_id, version, event_id, event_type, schema_version,
                     actor_user_id, actor_iin, actor_org_bin, actor_role, command_id, correlation_id,
                     occurred_at, recorded_at, reason, position_major, position_minor)
                 SELECT * FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::int[],
                     $6::text[], $7::text[], $8::text[], $9::text[], $10::uuid[], $11::uuid[],
                     $12::timestamptz[], $13::timestamptz[], $14::text[], $15::bigint[], $16::bigint[])",
            )
            .bind(col(|e| e.stream_id.to_string()))
            .bind(events.iter().map(|e| e.version as i64).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.event_id).collect::<Vec<_>>())
            .bind(col(|e| e.event_type.clone()))
            .bind(events.iter().map(|e| e.schema_version as i32).collect::<Vec<_>>())
            .bind(col(|e| e.metadata.actor.user_id.clone()))
            .bind(col(|e| e.metadata.actor.iin.clone()))
            .bind(col(|e| e.metadata.actor.org_bin.clone()))
            .bind(col(|e| e.metadata.actor.role.clone()))
            .bind(events.iter().map(|e| e.metadata.command_id).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.metadata.correlation_id).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.metadata.occurred_at).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.recorded_at).collect::<Vec<_>>())
            .bind(events.iter().map(|e| reason(e)).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.position.major as i64).collect::<Vec<_>>())
            .bind(events.iter().map(|e| e.position.minor as i64).collect::<Vec<_>>())
            .execute(&mut *tx)
            .await?;
            Ok(())
        })
    }
}

/// The reason an actor gave, wherever the event keeps it (`reason`, or the grounding act's
/// `reason` for cancellations and suspensions).
fn reason(e: &RecordedEvent) -> Option<String> {
    let p = &e.payload;
    p.get("reason")
        .or_else(|| p.get("act").and_then(|a| a.get("reason")))
        .and_then(|r| r.as_str())
        .map(str::to_owned)
}
