//! Runs every projection in the background: catch up, then follow live. With several nodes on
//! one database (decision 0760) only the holder of the projections' lease applies events; every
//! other node follows the checkpoints the holder commits, so that its own subscriptions and
//! read-your-writes waits see each batch once the read models hold it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use sqlx::PgPool;
use zakup_store::subscription::POLL_FALLBACK;
use zakup_store::{Position, RecordedEvent, SharedStore};

use crate::generation::{self, Generation, advance_from, ensure_live, rebuild_together};
use crate::lease::{self, Lease, Leases};
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
    leases: Arc<Leases>,
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

/// The channel on which a committed batch notifies every node, its payload the projection's
/// name, the generation and the new checkpoint, `timeline 3 812 4051` (decision 0761).
pub const CHANNEL: &str = "zakup_read_models";

/// How often a node without the projections' lease looks at the checkpoints when no
/// notification came: a safety net under `LISTEN`, which also catches up after a reconnection.
const FOLLOW_POLL: Duration = Duration::from_secs(2);

/// A projection's wake-ups from other nodes' commits: the generation and checkpoint the last
/// notification named, `None` when the runner must read them from the registry (after a lost
/// connection). Every notification wakes the runner, even one that repeats the last.
type Wakes = HashMap<&'static str, tokio::sync::watch::Sender<Option<Notified>>>;

/// A generation's checkpoint as a commit announced it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Notified {
    generation: i32,
    checkpoint: Position,
}

impl Notified {
    /// `<projection> <generation> <major> <minor>`: the projection's name and what follows it.
    fn parse(payload: &str) -> Option<(&str, Notified)> {
        let mut words = payload.split(' ');
        let name = words.next()?;
        let mut number = || words.next()?.parse::<u64>().ok();
        let generation = i32::try_from(number()?).ok()?;
        let checkpoint = Position {
            major: number()?,
            minor: number()?,
        };
        Some((
            name,
            Notified {
                generation,
                checkpoint,
            },
        ))
    }
}

impl Daemon {
    /// [`Daemon::start_with`] for a single process, which holds every lease.
    pub async fn start(
        store: SharedStore,
        pool: PgPool,
        projections: Vec<Arc<dyn Projection>>,
    ) -> Result<Self, crate::ProjectionError> {
        let leases = Arc::new(Leases::single(&[lease::PROJECTIONS, lease::TIMERS]));
        Daemon::start_with(store, pool, projections, leases).await
    }

    /// Makes sure each projection has a live generation, starts a blue/green rebuild for those
    /// whose migrations changed, and follows the store: applying its events while this node
    /// holds the projections' lease of `leases`, following the holder's checkpoints otherwise.
    pub async fn start_with(
        store: SharedStore,
        pool: PgPool,
        projections: Vec<Arc<dyn Projection>>,
        leases: Arc<Leases>,
    ) -> Result<Self, crate::ProjectionError> {
        let lease = leases.get(lease::PROJECTIONS);
        let (applied, _) = tokio::sync::broadcast::channel(1024);
        let mut checkpoints = HashMap::new();
        let wakes: Wakes = projections
            .iter()
            .map(|p| (p.name(), tokio::sync::watch::Sender::new(None)))
            .collect();
        let listener = connect(&pool).await?;
        let mut tasks = vec![tokio::spawn(listen(pool.clone(), listener, wakes.clone()))];
        let mut stale = Vec::new();
        for p in &projections {
            let live = ensure_live(&pool, p.as_ref()).await?;
            let (tx, _) = tokio::sync::watch::channel(live.checkpoint);
            checkpoints.insert(p.name(), tx.clone());
            if live.schema_version < p.migrations().len() as i32 {
                stale.push(p.clone());
            }
            let runner = Runner {
                store: store.clone(),
                pool: pool.clone(),
                p: p.clone(),
                applied: applied.clone(),
                checkpoint: tx,
                live,
            };
            let wake = wakes[p.name()].subscribe();
            tasks.push(tokio::spawn(runner.run(lease.clone(), wake)));
        }
        if !stale.is_empty() {
            // One pass over the log for all of them: each event is read and decoded once.
            let (store, pool, mut lease) = (store.clone(), pool.clone(), lease.clone());
            tasks.push(tokio::spawn(async move {
                // The holder rebuilds; another node that takes over resumes the rebuild's
                // generation from its checkpoint at its own start.
                lease.acquired().await;
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
            leases,
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

    /// The leases this node competes for (`/health`, `/metrics`).
    pub fn leases(&self) -> &Arc<Leases> {
        &self.leases
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

/// One projection's task on this node.
struct Runner {
    store: SharedStore,
    pool: PgPool,
    p: Arc<dyn Projection>,
    applied: tokio::sync::broadcast::Sender<Applied>,
    checkpoint: tokio::sync::watch::Sender<Option<Position>>,
    /// The live generation as far as this node has applied it or told its subscribers of it.
    live: Generation,
}

/// What a round did: whether another one may find more at once.
enum Round {
    Busy,
    Idle,
    /// The compare-and-set lost: another runner moved the checkpoint, or a rebuild retired the
    /// generation.
    Lost,
}

impl Runner {
    async fn run(
        mut self,
        mut lease: Lease,
        mut wake: tokio::sync::watch::Receiver<Option<Notified>>,
    ) {
        let mut changes = self.store.changes();
        // Whether `live` may be behind the registry: another runner committed, a rebuild
        // switched, or this node just took the lease over.
        let mut stale = false;
        loop {
            changes.borrow_and_update();
            let notified = *wake.borrow_and_update();
            let leading = lease.held();
            let round = async {
                if !stale && !leading && self.skip_to(notified) {
                    return Ok(Round::Idle);
                }
                if stale || !leading {
                    let told = self.follow().await?;
                    stale = false;
                    if !leading {
                        return Ok(told);
                    }
                }
                self.lead().await
            };
            match round.await {
                Ok(Round::Busy) => {}
                // Read the generation again and go on at once.
                Ok(Round::Lost) => stale = true,
                Ok(Round::Idle) => {
                    // The holder wakes on new events; the others on the holder's commits.
                    let woken = async {
                        tokio::select! {
                            _ = changes.changed(), if leading => {}
                            _ = wake.changed(), if !leading => {}
                            () = lease.changed() => {}
                        }
                    };
                    let poll = if leading { POLL_FALLBACK } else { FOLLOW_POLL };
                    let _ = tokio::time::timeout(poll, woken).await;
                }
                Err(e) => {
                    tracing::warn!(projection = self.p.name(), error = %e, "projection failed, retrying");
                    stale = true;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            if lease.held() != leading {
                stale = true;
            }
        }
    }

    /// Applies the next batch. Idle when there was nothing new, or when the compare-and-set lost.
    async fn lead(&mut self) -> Result<Round, crate::ProjectionError> {
        let events = advance_from(
            &self.pool,
            self.store.as_ref(),
            self.p.as_ref(),
            &mut self.live,
            BATCH,
        )
        .await?;
        let Some(events) = events else {
            return Ok(Round::Lost);
        };
        // Where the read ended: past the events, when the search went past them.
        self.publish();
        if events.is_empty() {
            return Ok(Round::Idle);
        }
        let _ = self.applied.send(Applied {
            projection: self.p.name(),
            events: events.into(),
        });
        Ok(Round::Busy)
    }

    /// A node with no subscription to tell only needs the checkpoint: when a notification named
    /// a newer one of the live generation it knows, it moves there without reading the registry.
    /// False when the registry must be read (no notification, another generation, nothing new:
    /// the periodic look), or when subscribers wait for the events.
    fn skip_to(&mut self, notified: Option<Notified>) -> bool {
        let Some(n) = notified else { return false };
        if self.applied.receiver_count() > 0
            || n.generation != self.live.generation
            || Some(n.checkpoint) <= self.live.checkpoint
        {
            return false;
        }
        self.live.checkpoint = Some(n.checkpoint);
        self.publish();
        true
    }

    /// Follows the live generation as committed (by the holder, or by another runner): the
    /// events it applied since this node last looked go to this node's subscribers, in batches,
    /// and its checkpoint to the read-your-writes waits.
    async fn follow(&mut self) -> Result<Round, crate::ProjectionError> {
        let Some(now) = generation::live(&self.pool, self.p.name()).await? else {
            return Ok(Round::Idle);
        };
        if now.generation != self.live.generation || now.checkpoint <= self.live.checkpoint {
            // A rebuild switched: the subscribers were told of those events by the old one.
            self.live = now;
            self.publish();
            return Ok(Round::Idle);
        }
        let filter = self.p.filter();
        let mut after = self.live.checkpoint;
        // With no subscription on this node there is no one to tell: the checkpoint is enough
        // (read-your-writes), and following costs one registry read per batch.
        if self.applied.receiver_count() == 0 {
            after = now.checkpoint;
        }
        while after < now.checkpoint {
            let page = self.store.read_all_through(after, &filter, BATCH).await?;
            let events: Vec<RecordedEvent> = page
                .events
                .into_iter()
                .filter(|e| Some(e.position) <= now.checkpoint)
                .collect();
            let Some(through) = page.through.filter(|t| Some(*t) > after) else {
                break;
            };
            after = Some(through);
            if !events.is_empty() {
                let _ = self.applied.send(Applied {
                    projection: self.p.name(),
                    events: events.into(),
                });
            }
        }
        self.live = now;
        self.publish();
        Ok(Round::Idle)
    }

    fn publish(&self) {
        self.checkpoint.send_if_modified(|c| {
            let changed = *c != self.live.checkpoint;
            *c = self.live.checkpoint;
            changed
        });
    }
}

/// Hands each notification of a committed batch to its projection's runner. After a lost
/// connection, once listening again, it wakes every runner: the notifications sent meanwhile are
/// lost, and a look at the checkpoints catches up on them.
async fn listen(pool: PgPool, mut listener: sqlx::postgres::PgListener, wakes: Wakes) {
    loop {
        match listener.try_recv().await {
            Ok(Some(n)) => {
                let (name, notified) = match Notified::parse(n.payload()) {
                    Some((name, notified)) => (name, Some(notified)),
                    // The name alone (a node of the version before, during a rolling update):
                    // the runner reads the checkpoint from the registry.
                    None => (n.payload(), None),
                };
                if let Some(w) = wakes.get(name) {
                    w.send_replace(notified);
                }
            }
            Ok(None) | Err(_) => {
                tracing::warn!("read-model notifications: connection lost, reconnecting");
                listener = loop {
                    match connect(&pool).await {
                        Ok(listener) => break listener,
                        Err(e) => {
                            tracing::warn!(error = %e, "read-model notifications: cannot listen");
                            tokio::time::sleep(Duration::from_secs(1)).await;
                        }
                    }
                };
                for w in wakes.values() {
                    w.send_replace(None);
                }
            }
        }
    }
}

async fn connect(pool: &PgPool) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
