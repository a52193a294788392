use std::collections::VecDeque;
use std::time::Duration;

use futures::stream::BoxStream;

use crate::envelope::{Filter, Position, RecordedEvent};
use crate::error::StoreError;
use crate::store::SharedStore;

pub type Subscription = BoxStream<'static, Result<RecordedEvent, StoreError>>;

/// How long a caught-up subscriber sleeps when no wake-up arrives.
pub const POLL_FALLBACK: Duration = Duration::from_millis(500);
const BATCH: usize = 500;

/// A catch-up subscription built from `read_all` and the store's change counter: it reads
/// batches until the log is exhausted, then waits for a change (or the poll fallback) and reads
/// again. An error is delivered once and ends the subscription; the caller restarts it from its
/// own checkpoint.
pub fn catch_up(store: SharedStore, after: Option<Position>, filter: Filter) -> Subscription {
    struct State {
        store: SharedStore,
        after: Option<Position>,
        filter: Filter,
        buffer: VecDeque<RecordedEvent>,
        changes: tokio::sync::watch::Receiver<u64>,
        failed: bool,
    }
    let changes = store.changes();
    let state = State {
        store,
        after,
        filter,
        buffer: VecDeque::new(),
        changes,
        failed: false,
    };
    Box::pin(futures::stream::unfold(state, |mut s| async move {
        if s.failed {
            return None;
        }
        loop {
            if let Some(event) = s.buffer.pop_front() {
                s.after = Some(event.position);
                return Some((Ok(event), s));
            }
            // Mark the counter seen before reading, so a commit that lands after the read
            // still wakes us.
            s.changes.borrow_and_update();
            match s.store.read_all(s.after, &s.filter, BATCH).await {
                Ok(batch) if batch.is_empty() => {
                    let _ = tokio::time::timeout(POLL_FALLBACK, s.changes.changed()).await;
                }
                Ok(batch) => s.buffer.extend(batch),
                Err(e) => {
                    s.failed = true;
                    return Some((Err(e), s));
                }
            }
        }
    }))
}
