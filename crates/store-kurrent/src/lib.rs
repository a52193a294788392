//! The KurrentDB backend of the event store, on the official `kurrentdb` client.
//!
//! A Zakup stream is a KurrentDB stream of the same name, a version is a revision, and the global
//! log is `$all` with `Position { major: commit, minor: prepare }`. How each append keeps the
//! contract:
//!
//! * **Idempotency.** The stream is read backwards once: its last event gives the current
//!   version and the previous hash, and events whose metadata carries the command's id give the
//!   original outcome of a retried command. The scan costs one read of the stream, which is small
//!   (hundreds of events); a conflict scans again, since a racing retry may have won.
//! * **Hash chain.** The hashes are computed from that last event's hash and appended with the
//!   exact expected revision, so optimistic concurrency guarantees the chain.
//! * **Event-id uniqueness.** The server checks ids only within a stream; see [`claim`] for the
//!   claim streams that refuse an id used elsewhere (one extra small write per event).
//! * **Replays.** The server answers an append it has already applied with success; the append's
//!   events are read back to tell a fresh append from a racing retry's (see
//!   [`event::StoredMetadata::write_id`]), which also gives the events' `$all` positions.
//!
//! Subscriptions are native catch-up subscriptions to `$all`; checkpoints stay with the
//! projectors in PostgreSQL, never on the server. The connection string and its TLS options are
//! described in [`settings`].

pub mod claim;
pub mod error;
pub mod event;
pub mod expected;
pub mod filter;
pub mod names;
pub mod position;
pub mod settings;

use std::sync::Arc;

use futures::future::BoxFuture;
use kurrentdb::{
    AppendToStreamOptions, Client, ReadAllOptions, ReadStream, ReadStreamOptions, RetryOptions,
    StreamPosition, StreamState, SubscribeToAllOptions,
};
use uuid::Uuid;
use zakup_store::chain::{GENESIS, chain_batch};
use zakup_store::envelope::validate_batch;
use zakup_store::{
    Appended, EventStore, ExpectedVersion, Filter, NewEvent, Position, RecordedEvent, StoreError,
    StreamId, StreamRange, Subscription,
};

use crate::error::{append_error, backend, claim_error};
use crate::event::{StoredEvent, event_data, recorded_event, write_id};
use crate::expected::{expected_last, stream_state};
use crate::names::Namespace;
use crate::position::{from_kurrent, start_after};

pub struct KurrentStore {
    client: Client,
    namespace: Namespace,
    /// Never sent to: KurrentDB pushes new events through its own subscriptions, so there is no
    /// wake-up signal to forward. Held so that receivers wait instead of seeing a closed channel.
    changes: tokio::sync::watch::Sender<u64>,
}

/// What one backwards scan of a stream found.
struct Scan {
    /// Version and hash of the stream's last event.
    head: Option<(u64, String)>,
    /// The earlier outcome of the command scanned for.
    outcome: Option<Appended>,
}

impl KurrentStore {
    /// Connects to the server or cluster of a `kurrentdb://` connection string (see
    /// [`settings`] for TLS) and checks that it answers. Needs a running Tokio runtime.
    pub async fn connect(url: &str) -> Result<Arc<Self>, StoreError> {
        Self::open(url, Namespace::root()).await
    }

    /// Like [`connect`](Self::connect), with every stream under `<namespace>/`: several stores
    /// share one cluster without seeing each other (see [`Namespace`]).
    pub async fn connect_namespaced(url: &str, namespace: &str) -> Result<Arc<Self>, StoreError> {
        Self::open(url, Namespace::named(namespace)?).await
    }

    async fn open(url: &str, namespace: Namespace) -> Result<Arc<Self>, StoreError> {
        let client = Client::new(settings::client_settings(url)?)
            .map_err(|e| StoreError::Backend(format!("kurrentdb client: {e}")))?;
        // Fail at start-up, not at the first command, when the server is unreachable.
        client.server_info().await.map_err(backend)?;
        Ok(Arc::new(KurrentStore {
            client,
            namespace,
            changes: tokio::sync::watch::Sender::new(0),
        }))
    }

    fn decode(&self, event: &kurrentdb::ResolvedEvent) -> Result<RecordedEvent, StoreError> {
        recorded_event(
            &StoredEvent::of(event.get_original_event()),
            &self.namespace,
        )
    }

    /// Opens a read of one stream; a missing stream reads as no events.
    async fn read(
        &self,
        stream: &StreamId,
        options: &ReadStreamOptions,
    ) -> Result<Option<ReadStream>, StoreError> {
        // Writers read their own stream to decide and to check their append: only the leader
        // is sure to have every committed event.
        let options = options.clone().requires_leader(true);
        match self
            .client
            .read_stream(self.namespace.stream_name(stream), &options)
            .await
        {
            Ok(read) => Ok(Some(read)),
            Err(kurrentdb::Error::ResourceNotFound) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    /// The next event of a read; the server reports a missing stream at the first event.
    async fn next(read: &mut ReadStream) -> Result<Option<kurrentdb::ResolvedEvent>, StoreError> {
        match read.next().await {
            Ok(event) => Ok(event),
            Err(kurrentdb::Error::ResourceNotFound) => Ok(None),
            Err(e) => Err(backend(e)),
        }
    }

    /// Reads `stream` backwards until the events of `command_id` (contiguous: one append) are
    /// behind, or to its start.
    async fn scan(&self, stream: &StreamId, command_id: Uuid) -> Result<Scan, StoreError> {
        let mut scan = Scan {
            head: None,
            outcome: None,
        };
        let options = ReadStreamOptions::default().position(StreamPosition::End);
        let Some(mut read) = self.read(stream, &options).await? else {
            return Ok(scan);
        };
        while let Some(event) = Self::next(&mut read).await? {
            let event = self.decode(&event)?;
            if scan.head.is_none() {
                scan.head = Some((event.version, event.hash.clone()));
            }
            if event.metadata.command_id == command_id {
                let outcome = scan.outcome.get_or_insert(Appended {
                    stream_id: stream.clone(),
                    command_id,
                    first_version: event.version,
                    last_version: event.version,
                    position: event.position,
                    duplicate: true,
                });
                outcome.first_version = event.version;
            } else if scan.outcome.is_some() {
                break;
            }
        }
        Ok(scan)
    }

    /// Claims every event id of the batch for this command on this stream (see [`claim`]).
    async fn claim_ids(
        &self,
        stream: &StreamId,
        command_id: Uuid,
        events: &[NewEvent],
    ) -> Result<(), StoreError> {
        let options = AppendToStreamOptions::default().stream_state(StreamState::NoStream);
        let claims = events.iter().map(|e| {
            let options = &options;
            async move {
                let claim = claim::claim_event(e.event_id, stream, command_id)?;
                self.client
                    .append_to_stream(self.namespace.claim_stream(e.event_id), options, claim)
                    .await
                    .map(drop)
                    .map_err(|err| claim_error(err, e.event_id))
            }
        });
        // In batch order, so that the error names the batch's first taken id.
        futures::future::join_all(claims)
            .await
            .into_iter()
            .collect()
    }

    async fn append_now(
        &self,
        stream: &StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<Appended, StoreError> {
        let command_id = validate_batch(&events)?;
        let scan = self.scan(stream, command_id).await?;
        if let Some(done) = scan.outcome {
            return Ok(done);
        }
        let current = scan.head.as_ref().map(|(v, _)| *v);
        if current != expected_last(expected) {
            return Err(StoreError::Conflict {
                stream: stream.to_string(),
                expected,
                actual: current,
            });
        }
        let first_version = expected.next_version();
        let prev_hash = scan.head.map_or_else(|| GENESIS.to_owned(), |(_, h)| h);
        // Hashing also rejects floating-point payloads: before anything is written.
        let hashes = chain_batch(&prev_hash, stream, first_version, &events)?;
        let write = Uuid::new_v4();
        let data = events
            .iter()
            .zip(&hashes)
            .map(|(e, h)| event_data(e, h, write))
            .collect::<Result<Vec<_>, _>>()?;
        self.claim_ids(stream, command_id, &events).await?;

        let options = AppendToStreamOptions::default().stream_state(stream_state(expected));
        let appended = self
            .client
            .append_to_stream(self.namespace.stream_name(stream), &options, data)
            .await;
        match appended {
            Ok(_) => {
                self.read_back(stream, command_id, first_version, events.len(), write)
                    .await
            }
            Err(e) => match append_error(e, stream, expected) {
                conflict @ StoreError::Conflict { .. } => {
                    // A retry of the same command may have raced us and won.
                    match self.scan(stream, command_id).await?.outcome {
                        Some(done) => Ok(done),
                        None => Err(conflict),
                    }
                }
                other => Err(other),
            },
        }
    }

    /// The outcome of a successful append, from its events as stored: written by this append
    /// (`write` matches) or by a racing retry of the same command, which the server replayed.
    async fn read_back(
        &self,
        stream: &StreamId,
        command_id: Uuid,
        first_version: u64,
        count: usize,
        write: Uuid,
    ) -> Result<Appended, StoreError> {
        let options = ReadStreamOptions::default()
            .position(StreamPosition::Position(first_version))
            .max_count(count);
        let mut stored = Vec::with_capacity(count);
        if let Some(mut read) = self.read(stream, &options).await? {
            while let Some(event) = Self::next(&mut read).await? {
                let writer = write_id(&event.get_original_event().custom_metadata)?;
                stored.push((self.decode(&event)?, writer));
            }
        }
        let (Some((first, writer)), Some((last, _))) = (stored.first(), stored.last()) else {
            return Err(StoreError::Backend(format!(
                "{stream}: the events appended at version {first_version} are not readable"
            )));
        };
        if stored.len() != count || first.metadata.command_id != command_id {
            return Err(StoreError::Corrupt(format!(
                "{stream}: the events at versions {first_version}.. are not the ones appended"
            )));
        }
        Ok(Appended {
            stream_id: stream.clone(),
            command_id,
            first_version,
            last_version: last.version,
            position: last.position,
            duplicate: *writer != write,
        })
    }

    fn all_options(&self, after: Option<Position>, filter: &Filter) -> ReadAllOptions {
        ReadAllOptions::default()
            .position(start_after(after))
            .filter(filter::subscription_filter(filter, &self.namespace))
    }
}

impl EventStore for KurrentStore {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        Box::pin(self.append_now(stream, expected, events))
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        Box::pin(async move { Ok(self.scan(stream, command_id).await?.outcome) })
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            let count = match range.to_version {
                Some(to) if to < range.from_version => return Ok(Vec::new()),
                Some(to) => usize::try_from(to - range.from_version + 1).unwrap_or(usize::MAX),
                None => usize::MAX,
            };
            let options = ReadStreamOptions::default()
                .position(StreamPosition::Position(range.from_version))
                .max_count(count);
            let mut events = Vec::new();
            let Some(mut read) = self.read(stream, &options).await? else {
                return Ok(events);
            };
            while let Some(event) = Self::next(&mut read).await? {
                let event = self.decode(&event)?;
                // The first event that occurred after the instant ends the past.
                if !range.before_until(&event) {
                    break;
                }
                events.push(event);
            }
            Ok(events)
        })
    }

    fn read_all<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            if limit == 0 {
                return Ok(Vec::new());
            }
            // A read of `$all` includes the event at its start position, and the checkpoint is
            // exclusive: read one more and drop it.
            let requested = limit.saturating_add(1);
            let options = self.all_options(after, filter).max_count(requested);
            let mut read = self.client.read_all(&options).await.map_err(backend)?;
            let (mut events, mut returned) = (Vec::new(), 0);
            while events.len() < limit {
                let Some(event) = Self::next(&mut read).await? else {
                    break;
                };
                returned += 1;
                let event = self.decode(&event)?;
                if after.is_none_or(|after| event.position > after) {
                    events.push(event);
                }
            }
            if events.is_empty() && returned == requested {
                // An empty page means "caught up" to the caller: never say it while the server
                // still had events, however it placed them around the checkpoint.
                return Err(StoreError::Backend(format!(
                    "kurrentdb: reading $all after {} returned only earlier events",
                    after.map_or_else(|| "the start".to_owned(), |p| p.to_string())
                )));
            }
            Ok(events)
        })
    }

    /// Reads every matching event after `after` and counts them: the server keeps no counts,
    /// so this costs a read of the whole lag (payloads included). Projections call it for their
    /// lag metric, where the lag is small.
    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        Box::pin(async move {
            let options = self.all_options(after, filter);
            let mut read = self.client.read_all(&options).await.map_err(backend)?;
            let mut n = 0;
            while let Some(event) = Self::next(&mut read).await? {
                let position = from_kurrent(event.get_original_event().position)?;
                n += u64::from(after.is_none_or(|after| position > after));
            }
            Ok(n)
        })
    }

    /// Never changes: KurrentDB pushes new events through [`subscribe`](Self::subscribe), the
    /// subscription to use on this backend. The generic [`zakup_store::catch_up`] still works
    /// here, by polling every [`zakup_store::subscription::POLL_FALLBACK`].
    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// A native catch-up subscription to `$all` from `after` (exclusive), filtered on the
    /// server. The client resubscribes after a lost connection from the last event it delivered,
    /// forever; any other error is delivered once and ends the subscription, and the caller
    /// restarts from its own checkpoint.
    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        let options = SubscribeToAllOptions::default()
            .position(start_after(after))
            .filter(filter::subscription_filter(&filter, &self.namespace))
            .retry_options(RetryOptions::default().retry_forever());
        struct Live {
            store: Arc<KurrentStore>,
            options: SubscribeToAllOptions,
            subscription: Option<kurrentdb::Subscription>,
            failed: bool,
        }
        let live = Live {
            store: self,
            options,
            subscription: None,
            failed: false,
        };
        Box::pin(futures::stream::unfold(live, |mut live| async move {
            if live.failed {
                return None;
            }
            let subscription = match &mut live.subscription {
                Some(subscription) => subscription,
                none => none.insert(live.store.client.subscribe_to_all(&live.options).await),
            };
            let next = match subscription.next().await {
                Ok(event) => live.store.decode(&event),
                Err(e) => Err(backend(e)),
            };
            live.failed = next.is_err();
            Some((next, live))
        }))
    }

    fn backend(&self) -> &'static str {
        "kurrentdb"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn connecting_to_nothing_fails_at_start_up() {
        let started = std::time::Instant::now();
        let refused =
            KurrentStore::connect("kurrentdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1").await;
        assert!(matches!(refused, Err(StoreError::Backend(_))));
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    }

    #[tokio::test]
    async fn bad_connection_strings_and_namespaces_are_refused() {
        assert!(matches!(
            KurrentStore::connect("postgres://localhost/zakup").await,
            Err(StoreError::Backend(_))
        ));
        assert!(matches!(
            KurrentStore::connect_namespaced("kurrentdb://localhost:2113", "Not/Valid").await,
            Err(StoreError::InvalidEvent(_))
        ));
    }
}
