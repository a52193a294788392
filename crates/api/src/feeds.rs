//! What subscriptions may cost (issue 26, defect 2): each `myNewTasks` re-ran its three queries
//! on every applied batch, so 50 subscriptions of one token ran 150 queries a batch and stalled
//! `/health` for seconds. Now the subscriptions of one viewer share one run per batch, and a
//! connection and a viewer may hold only so many subscriptions.
//!
//! No subscription ever blocks the projection daemon: each listens on its broadcast channel,
//! which drops the oldest batches for a subscriber that falls behind instead of waiting for it.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use async_graphql::{Context, Result};
use futures::{Stream, StreamExt};
use zakup_projections::Applied;
use zakup_store::Position;

use crate::AppState;
use crate::auth::Principal;
use crate::refusal;
use crate::task::{Task, tasks};

/// Live subscriptions on one WebSocket.
pub const MAX_PER_CONNECTION: usize = 20;
/// Live subscriptions of one person (ИИН and organisation), over all their connections.
pub const MAX_PER_VIEWER: usize = 50;
/// Batches whose task lists are kept for the viewer's slower subscriptions.
const REMEMBERED_BATCHES: usize = 16;

/// The subscriptions of the whole server, held as schema data.
#[derive(Default)]
pub struct Feeds {
    viewers: Mutex<HashMap<String, ViewerFeed>>,
    /// How many times a subscription ran the task queries: operators (and the tests) see
    /// whether subscriptions share them.
    task_runs: AtomicU64,
    /// Connections closed because their client did not read (decision 0681).
    dropped_clients: AtomicU64,
}

#[derive(Default)]
struct ViewerFeed {
    live: usize,
    tasks: Arc<tokio::sync::Mutex<Remembered>>,
}

/// The tasks found after each of the last batches; None where the read models failed.
type Remembered = VecDeque<(Batch, Option<Vec<Task>>)>;

/// A batch the daemon applied: the projection and the position of its last event.
type Batch = (&'static str, Option<Position>);

pub fn batch(applied: &Applied) -> Batch {
    (
        applied.projection,
        applied.events.last().map(|e| e.position),
    )
}

/// How many subscriptions a connection holds: put in the connection's data at `connection_init`.
#[derive(Default, Clone)]
pub struct ConnectionSlots(Arc<AtomicUsize>);

/// A live subscription's place in the limits, given back when its stream is dropped.
pub struct Slot {
    feeds: Arc<Feeds>,
    viewer: Option<String>,
    connection: Option<Arc<AtomicUsize>>,
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some(c) = &self.connection {
            c.fetch_sub(1, Ordering::SeqCst);
        }
        if let Some(key) = &self.viewer {
            let mut viewers = self.feeds.viewers.lock().expect("not poisoned");
            if let Some(v) = viewers.get_mut(key) {
                v.live -= 1;
                if v.live == 0 {
                    viewers.remove(key);
                }
            }
        }
    }
}

fn key(who: &Principal) -> String {
    format!("{}/{}", who.iin, who.org_bin)
}

impl Feeds {
    pub fn task_runs(&self) -> u64 {
        self.task_runs.load(Ordering::SeqCst)
    }

    pub fn dropped_clients(&self) -> u64 {
        self.dropped_clients.load(Ordering::SeqCst)
    }

    pub fn note_dropped_client(&self) {
        self.dropped_clients.fetch_add(1, Ordering::SeqCst);
    }

    /// Takes a place for a new subscription of `who` (anonymous: the connection's limit only),
    /// or refuses it with `too_many_subscriptions`.
    pub fn admit(self: &Arc<Self>, ctx: &Context<'_>, who: Option<&Principal>) -> Result<Slot> {
        let mut slot = Slot {
            feeds: self.clone(),
            viewer: None,
            connection: None,
        };
        if let Some(ConnectionSlots(live)) = ctx.data_opt::<ConnectionSlots>() {
            if live.fetch_add(1, Ordering::SeqCst) >= MAX_PER_CONNECTION {
                live.fetch_sub(1, Ordering::SeqCst);
                return Err(refusal::too_many_subscriptions(
                    "connection",
                    MAX_PER_CONNECTION,
                ));
            }
            slot.connection = Some(live.clone());
        }
        if let Some(who) = who {
            let key = key(who);
            let mut viewers = self.viewers.lock().expect("not poisoned");
            let viewer = viewers.entry(key.clone()).or_default();
            if viewer.live >= MAX_PER_VIEWER {
                return Err(refusal::too_many_subscriptions("viewer", MAX_PER_VIEWER));
            }
            viewer.live += 1;
            slot.viewer = Some(key);
        }
        Ok(slot)
    }

    /// `who`'s tasks after `batch`: run once for all their subscriptions, the first of them to
    /// see the batch running the queries and the others reading its answer.
    pub async fn tasks_after(
        &self,
        state: &AppState,
        who: &Principal,
        batch: Option<Batch>,
    ) -> Option<Vec<Task>> {
        let shared = self
            .viewers
            .lock()
            .expect("not poisoned")
            .get(&key(who))
            .map(|v| v.tasks.clone());
        let (Some(shared), Some(batch)) = (shared, batch) else {
            self.task_runs.fetch_add(1, Ordering::SeqCst);
            return tasks(state, who).await.ok();
        };
        let mut remembered = shared.lock().await;
        if let Some((_, known)) = remembered.iter().find(|(b, _)| *b == batch) {
            return known.clone();
        }
        self.task_runs.fetch_add(1, Ordering::SeqCst);
        let now = tasks(state, who).await.ok();
        remembered.push_back((batch, now.clone()));
        if remembered.len() > REMEMBERED_BATCHES {
            remembered.pop_front();
        }
        now
    }
}

/// `stream`, holding `slot` as long as it lives.
pub fn holding<S: Stream>(stream: S, slot: Slot) -> impl Stream<Item = S::Item> {
    stream.map(move |item| {
        let _ = &slot;
        item
    })
}

pub fn feeds<'a>(ctx: &Context<'a>) -> &'a Arc<Feeds> {
    ctx.data_unchecked::<Arc<Feeds>>()
}
