use futures::future::BoxFuture;
use sqlx::PgConnection;
use zakup_store::{EventStore, Filter, RecordedEvent, StoreError};

/// A read model. `apply` runs inside the runtime's transaction with `search_path` set to the
/// generation's schema, so its SQL names tables without a schema.
pub trait Projection: Send + Sync + 'static {
    /// Stable name: `timeline`, `announcements`, …; also the views' prefix-free table names'
    /// owner in `rm`.
    fn name(&self) -> &'static str;

    /// Which streams it reads.
    fn filter(&self) -> Filter;

    /// The migrations that create its tables, in order (files under `projections/<name>/`).
    /// Adding one makes the next start rebuild the projection into a new generation.
    fn migrations(&self) -> &'static [&'static str];

    /// Tables exposed to queries as views `rm.<table>`.
    fn tables(&self) -> &'static [&'static str];

    /// Applies `events` (a batch of its streams, in log order). `store` is the log they were
    /// read from, for a projector that needs a stream's older events to fold it.
    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>>;
}

#[derive(Debug)]
pub enum ProjectionError {
    Store(StoreError),
    Database(sqlx::Error),
    /// An event the projection cannot read (unknown shape for its type and version).
    Event {
        event_type: String,
        why: String,
    },
    /// The named projection is not registered.
    Unknown(String),
}

impl std::fmt::Display for ProjectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProjectionError::Store(e) => write!(f, "{e}"),
            ProjectionError::Database(e) => write!(f, "read-model database: {e}"),
            ProjectionError::Event { event_type, why } => {
                write!(f, "cannot project {event_type}: {why}")
            }
            ProjectionError::Unknown(name) => write!(f, "no projection named {name:?}"),
        }
    }
}

impl std::error::Error for ProjectionError {}

impl From<StoreError> for ProjectionError {
    fn from(e: StoreError) -> Self {
        ProjectionError::Store(e)
    }
}

impl From<sqlx::Error> for ProjectionError {
    fn from(e: sqlx::Error) -> Self {
        ProjectionError::Database(e)
    }
}
