//! Read models built from the event store, exactly once.
//!
//! A [`Projection`] turns a batch of events into read-model rows. The runtime applies each batch
//! and moves the projection's checkpoint in ONE PostgreSQL transaction, with a compare-and-set on
//! the checkpoint, so a batch is applied exactly once even with two runners or a crash between
//! the two writes. Each build of a read model is a [`generation`] in its own schema; queries read
//! the views in the schema `rm`, which a rebuild swaps atomically once the new generation has
//! caught up.

pub mod announcements;
pub mod applications;
pub mod competitions;
pub mod customer_requests;
pub mod daemon;
pub mod generation;
pub mod guarantee_messages;
pub mod guarantees;
pub mod history;
pub mod lease;
pub mod lots;
pub mod messages;
pub mod notices;
pub mod ocds;
pub mod projection;
pub mod protocols;
pub mod qualified_suppliers;
pub mod screens;
pub mod status;
pub mod timeline;
pub mod views;
pub mod votes;

pub use daemon::{Applied, Daemon};
pub use generation::{
    Generation, RebuildReport, Round, advance, advance_together, ensure_live, rebuild,
    rebuild_together,
};
pub use lease::{Lease, Leases};
pub use projection::{Projection, ProjectionError};
pub use status::{ProjectionStatus, status};

use std::sync::Arc;

/// Every read model of the engine, in the order the daemon starts them. The four that fold the
/// announcement streams share one cache of folds.
pub fn all() -> Vec<Arc<dyn Projection>> {
    let announcements = history::announcement_folds();
    vec![
        Arc::new(timeline::Timeline),
        Arc::new(announcements::Announcements::sharing(announcements.clone())),
        Arc::new(customer_requests::CustomerRequests::new()),
        Arc::new(competitions::Competitions::new()),
        Arc::new(guarantees::Guarantees::new()),
        Arc::new(notices::Notices::sharing(announcements.clone())),
        Arc::new(ocds::Ocds::sharing(announcements.clone())),
        Arc::new(messages::Messages::sharing(announcements)),
    ]
}

/// Creates the registry of generations and the leases' table (idempotent).
pub async fn migrate(pool: &sqlx::PgPool) -> Result<(), ProjectionError> {
    zakup_store_pg::migrations::apply(
        pool,
        "projections",
        &[
            zakup_store_pg::migrations::Migration {
                version: 1,
                name: "registry",
                sql: include_str!("../../../projections/registry.sql"),
            },
            zakup_store_pg::migrations::Migration {
                version: 2,
                name: "leases",
                sql: include_str!("../../../projections/leases.sql"),
            },
        ],
    )
    .await?;
    Ok(())
}
