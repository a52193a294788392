//! Runs every projection in the background: catch up, then follow live.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use zakup_store::subscription::POLL_FALLBACK;
use zakup_store::{Position, RecordedEvent, SharedStore};

use crate::generation::{self, Generation, advance_from, ensure_live, rebuild_together};
use crate::projection::Projection;

/// A committed batch of a projection, for GraphQL subscriptions: sent only after the read model
/// holds it, so a subscriber that re-queries sees what it was told about.
#[derive(Debug, Clone)]
pub struct Applied {
    pub projection: &'static str,
    pub events: Arc<[RecordedEvent]>,
}

pub struct Daemon {
    applied: tokio::sync::broadcast::Sender<Applied>,
    checkpoints: HashMap<&'static str, tokio::sync::watch::Sender<Option<Position>>>,
    projections: Vec<Arc<dyn Projection>>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

const BATCH: usize = 500;

impl Daemon {
    /// Makes sure each projection has a live generation, starts a blue/green rebuild for those
    /// whose migrations changed, and follows the store.
    pub async fn start(
        store: SharedStore,
        pool: PgPool,
        projections: Vec<Arc<dyn Projection>>,
    ) -> Result<Self, crate::ProjectionError> {
        let (applied, _) = tokio::sync::broadcast::channel(1024);
        let mut checkpoints = HashMap::new();
        let mut tasks = Vec::new();
        let mut stale = Vec::new();
        for p in &projections {
            let live = ensure_live(&pool, p.as_ref()).await?;
            let (tx, _) = tokio::sync::watch::channel(live.checkpoint);
            checkpoints.insert(p.name(), tx.clone());
            if live.schema_version < p.migrations().len() as i32 {
                stale.push(p.clone());
            }
            tasks.push(tokio::spawn(follow(
                store.clone(),
                pool.clone(),
                p.clone(),
                applied.clone(),
                tx,
            )));
        }
        if !stale.is_empty() {
            // One pass over the log for all of them: each event is read and decoded once.
            let (store, pool) = (store.clone(), pool.clone());
            tasks.push(tokio::spawn(async move {
                let stale: Vec<&dyn Projection> = stale.iter().map(|p| p.as_ref()).collect();
                if let Err(e) = rebuild_together(&pool, store.as_ref(), &stale, |_, _| {}).await {
                    let names: Vec<&str> = stale.iter().map(|p| p.name()).collect();
                    tracing::error!(projections = %names.join(", "), error = %e, "rebuild failed");
                }
            }));
        }
        Ok(Daemon {
            applied,
            checkpoints,
            projections,
            tasks,
        })
    }

    pub fn subscribe(&self) -> tokio::sync::broadcast::Receiver<Applied> {
        self.applied.subscribe()
    }

    /// How many subscriptions are listening now (one per live GraphQL subscription): a gauge for
    /// operators, and how tests know a subscription is live before they write.
    pub fn subscribers(&self) -> usize {
        self.applied.receiver_count()
    }

    pub fn projections(&self) -> &[Arc<dyn Projection>] {
        &self.projections
    }

    /// Read-your-writes: waits (at most `timeout`) until every projection that reads streams of
    /// `category` has applied the event at `position`. False on timeout.
    pub async fn wait_for(&self, category: &str, position: Position, timeout: Duration) -> bool {
        let waits = self
            .projections
            .iter()
            .filter(|p| {
                let f = p.filter();
                f.categories.is_empty() || f.categories.iter().any(|c| c == category)
            })
            .filter_map(|p| self.checkpoints.get(p.name()))
            .map(|tx| {
                let mut rx = tx.subscribe();
                async move {
                    rx.wait_for(|c| c.is_some_and(|c| c >= position))
                        .await
                        .is_ok()
                }
            });
        tokio::time::timeout(timeout, futures::future::join_all(waits))
            .await
            .is_ok_and(|all| all.into_iter().all(|ok| ok))
    }
}

async fn follow(
    store: SharedStore,
    pool: PgPool,
    p: Arc<dyn Projection>,
    applied: tokio::sync::broadcast::Sender<Applied>,
    checkpoint: tokio::sync::watch::Sender<Option<Position>>,
) {
    let mut changes = store.changes();
    // The live generation as of the last round. A rebuild's switch retires it, which fails the
    // next compare-and-set; only then is it read again.
    let mut live: Option<Generation> = None;
    loop {
        changes.borrow_and_update();
        let step = async {
            if live.is_none() {
                live = generation::live(&pool, p.name()).await?;
            }
            let Some(g) = live.as_mut() else {
                return Ok(Some(Vec::new()));
            };
            let events = advance_from(&pool, store.as_ref(), p.as_ref(), g, BATCH).await?;
            if events.is_some() {
                // Where the read ended: past the events, when the search went past them.
                checkpoint.send_if_modified(|c| {
                    let changed = *c != g.checkpoint;
                    *c = g.checkpoint;
                    changed
                });
            }
            Ok::<_, crate::ProjectionError>(events)
        };
        match step.await {
            // Lost the compare-and-set: read the generation again and go on at once.
            Ok(None) => live = None,
            Ok(Some(events)) if events.is_empty() => {
                let _ = tokio::time::timeout(POLL_FALLBACK, changes.changed()).await;
            }
            Ok(Some(events)) => {
                let _ = applied.send(Applied {
                    projection: p.name(),
                    events: events.into(),
                });
            }
            Err(e) => {
                tracing::warn!(projection = p.name(), error = %e, "projection failed, retrying");
                live = None;
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}
