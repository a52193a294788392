//! Leases (decision 0760): the work that must run on one node at a time across the nodes sharing
//! one read-model database (the projections, the timers), held as a row of `node_leases` that
//! its holder renews before it expires. A node that dies, hangs or loses its connection stops
//! renewing; once the row has expired another node takes it, within one lease time and one
//! renewal interval. Nothing relies on a lease for correctness: projections apply a batch with a
//! compare-and-set on the checkpoint, timed commands are idempotent by their command ids. A lease
//! only keeps the other nodes from doing the same work again.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use sqlx::{PgPool, Row};
use tokio::sync::watch;
use tokio::time::Instant;

/// The read models' daemon (every projection, and the rebuilds at start-up).
pub const PROJECTIONS: &str = "projections";
/// The deadline scheduler, the lot pool's runner and the auction runner.
pub const TIMERS: &str = "timers";

/// Whether this node holds one lease, as it changes.
#[derive(Clone)]
pub struct Lease {
    name: &'static str,
    held: watch::Receiver<bool>,
}

impl Lease {
    /// A lease this process always holds: a single process with no other node (tests, the
    /// demo, the benchmarks).
    pub fn always(name: &'static str) -> Lease {
        let (tx, held) = watch::channel(true);
        // The receiver keeps the value; the sender is dropped: it never changes.
        drop(tx);
        Lease { name, held }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn held(&self) -> bool {
        *self.held.borrow()
    }

    /// Waits until this node holds the lease.
    pub async fn acquired(&mut self) {
        if self.held.wait_for(|held| *held).await.is_err() {
            // A lease this node does not compete for is never held.
            std::future::pending::<()>().await;
        }
    }

    /// Waits until the lease is taken or lost (forever for one that never changes).
    pub async fn changed(&mut self) {
        if self.held.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// Waits until this node no longer holds the lease (forever for one always held).
    pub async fn lost(&mut self) {
        if self.held.wait_for(|held| !*held).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Who holds a lease, as the database says.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub name: String,
    pub holder: String,
    pub acquired_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// Whether `expires_at` is still ahead (by the database's clock).
    pub valid: bool,
}

/// The leases this node competes for, each renewed by its own task.
pub struct Leases {
    node: String,
    leases: BTreeMap<&'static str, Lease>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    pool: Option<PgPool>,
}

impl Drop for Leases {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Leases {
    /// Every lease held by this process alone, with no database (a single process).
    pub fn single(names: &[&'static str]) -> Leases {
        Leases {
            node: "single".to_owned(),
            leases: names.iter().map(|n| (*n, Lease::always(n))).collect(),
            tasks: Vec::new(),
            pool: None,
        }
    }

    /// Competes as `node` for each lease of `names`, held for `ttl` from each renewal.
    pub fn compete(pool: &PgPool, node: &str, ttl: Duration, names: &[&'static str]) -> Leases {
        let mut leases = BTreeMap::new();
        let mut tasks = Vec::new();
        for name in names {
            let (tx, held) = watch::channel(false);
            leases.insert(*name, Lease { name, held });
            tasks.push(tokio::spawn(renew(
                pool.clone(),
                name,
                node.to_owned(),
                ttl,
                tx,
            )));
        }
        Leases {
            node: node.to_owned(),
            leases,
            tasks,
            pool: Some(pool.clone()),
        }
    }

    pub fn node(&self) -> &str {
        &self.node
    }

    /// The lease named `name`; one never held if this node does not compete for it.
    pub fn get(&self, name: &'static str) -> Lease {
        self.leases.get(name).cloned().unwrap_or_else(|| {
            let (_, held) = watch::channel(false);
            Lease { name, held }
        })
    }

    /// Each lease this node competes for, and whether it holds it now.
    pub fn held(&self) -> Vec<(&'static str, bool)> {
        self.leases.iter().map(|(n, l)| (*n, l.held())).collect()
    }

    /// Stops renewing and gives the leases this node holds back at once, so that another node
    /// takes over without waiting for them to expire (a graceful stop).
    pub async fn release(&self) {
        for t in &self.tasks {
            t.abort();
        }
        let Some(pool) = &self.pool else { return };
        let names: Vec<&str> = self.leases.keys().copied().collect();
        let released = sqlx::query("DELETE FROM node_leases WHERE holder = $1 AND name = ANY($2)")
            .bind(&self.node)
            .bind(&names)
            .execute(pool)
            .await;
        if let Err(e) = released {
            tracing::warn!(error = %e, "leases not released: they expire by themselves");
        }
    }
}

/// Takes or renews the lease: true if `node` holds it until `ttl` from now (database time).
pub async fn claim(
    pool: &PgPool,
    name: &str,
    node: &str,
    ttl: Duration,
) -> Result<bool, sqlx::Error> {
    let row = sqlx::query(
        "INSERT INTO node_leases AS l (name, holder, acquired_at, renewed_at, expires_at)
         VALUES ($1, $2, now(), now(), now() + make_interval(secs => $3))
         ON CONFLICT (name) DO UPDATE
            SET holder = excluded.holder,
                acquired_at = CASE WHEN l.holder = excluded.holder THEN l.acquired_at
                                   ELSE excluded.acquired_at END,
                renewed_at = excluded.renewed_at,
                expires_at = excluded.expires_at
          WHERE l.holder = excluded.holder OR l.expires_at < now()
         RETURNING holder",
    )
    .bind(name)
    .bind(node)
    .bind(ttl.as_secs_f64())
    .fetch_optional(pool)
    .await?;
    Ok(row.is_some())
}

/// Every lease row: who holds what (`zakup projections status`).
pub async fn holders(pool: &PgPool) -> Result<Vec<Holder>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT name, holder, acquired_at, expires_at, expires_at > now()
           FROM node_leases ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(Holder {
                name: row.try_get(0)?,
                holder: row.try_get(1)?,
                acquired_at: row.try_get(2)?,
                expires_at: row.try_get(3)?,
                valid: row.try_get(4)?,
            })
        })
        .collect()
}

/// Claims the lease every third of `ttl`, forever. The node counts the lease as held until `ttl`
/// after it SENT the last successful claim (the database's expiry is later than that): a claim
/// that hangs, or fails, until then is a lost lease, even if the database never answers.
async fn renew(
    pool: PgPool,
    name: &'static str,
    node: String,
    ttl: Duration,
    held: watch::Sender<bool>,
) {
    let every = ttl / 3;
    let mut until: Option<Instant> = None;
    loop {
        let sent = Instant::now();
        let bound = until.unwrap_or(sent + every);
        match tokio::time::timeout_at(bound, claim(&pool, name, &node, ttl)).await {
            Ok(Ok(true)) => until = Some(sent + ttl),
            Ok(Ok(false)) => until = None,
            Ok(Err(e)) => tracing::warn!(lease = name, error = %e, "lease: claim failed"),
            Err(_) => tracing::warn!(lease = name, "lease: claim did not answer in time"),
        }
        if until.is_some_and(|u| Instant::now() >= u) {
            until = None;
        }
        send(&held, name, until.is_some());
        let next = sent + every;
        match until {
            // Held: wake at the next renewal, or when the lease runs out, whichever is first.
            Some(u) if u < next => {
                tokio::time::sleep_until(u).await;
                if Instant::now() >= u {
                    send(&held, name, false);
                    until = None;
                }
            }
            _ => tokio::time::sleep_until(next).await,
        }
    }
}

fn send(held: &watch::Sender<bool>, name: &str, now: bool) {
    held.send_if_modified(|was| {
        if *was == now {
            return false;
        }
        if now {
            tracing::info!(lease = name, "lease acquired");
        } else {
            tracing::warn!(lease = name, "lease lost");
        }
        *was = now;
        true
    });
}
