//! Personal data that can be forgotten (issue 18 item 5, decisions 0840–0842): a decorator of any
//! [`EventStore`] that seals the personal values of every event it appends with a key per
//! person, and opens them in every event it reads. The keys live in a [`Keyring`] outside the
//! log; destroying one erases that person from every event, while the log, its hashes and its
//! replays stay as they are (the hash covers what is stored: the sealed value).
//!
//! Everything above the store (the engine, the read models, the API) sees plaintext, or the
//! erased marker; the domain stays pure. Only `zakup verify` and the copy to another backend read
//! the inner store, which holds the sealed values.

pub mod fields;

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use uuid::Uuid;

pub use fields::{DataKey, ERASED, IsPerson, SEALED};

use crate::envelope::{Appended, ExpectedVersion, Filter, NewEvent, Position, RecordedEvent};
use crate::envelope::{StreamId, StreamRange};
use crate::error::StoreError;
use crate::store::{EventStore, OutcomeOrEvents, Page, SharedStore};
use crate::subscription::{Subscription, catch_up};

/// Where the persons' keys are kept.
pub trait Keyring: Send + Sync + 'static {
    /// The key of each person named, made for those who have none yet.
    fn keys_for<'a>(
        &'a self,
        persons: &'a [String],
    ) -> BoxFuture<'a, Result<HashMap<String, DataKey>, StoreError>>;

    /// The keys of these ids that still exist; a missing one was destroyed.
    fn keys_by_id<'a>(
        &'a self,
        ids: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, DataKey>, StoreError>>;
}

/// Seals and opens events with a keyring's keys.
#[derive(Clone)]
pub struct Sealer {
    keyring: Arc<dyn Keyring>,
    is_person: IsPerson,
}

impl Sealer {
    pub fn new(keyring: Arc<dyn Keyring>, is_person: IsPerson) -> Self {
        Sealer { keyring, is_person }
    }

    /// Seals every plaintext personal value of `events` (payload and the actor's ИИН); returns
    /// how many values were sealed. Values sealed already are left as they are.
    pub async fn seal(&self, events: &mut [NewEvent]) -> Result<usize, StoreError> {
        let mut persons = BTreeSet::new();
        for e in events.iter() {
            fields::persons(&e.payload, self.is_person, &mut persons);
            if (self.is_person)(&e.metadata.actor.iin) {
                persons.insert(e.metadata.actor.iin.clone());
            }
        }
        if persons.is_empty() {
            return Ok(0);
        }
        let persons: Vec<String> = persons.into_iter().collect();
        let keys = self.keyring.keys_for(&persons).await?;
        let mut with_key = |plain: &str, person: &str| {
            let key = keys.get(person).ok_or_else(|| {
                StoreError::Backend("the keyring gave no key for a person".into())
            })?;
            fields::seal(key, plain).map(Some)
        };
        let mut n = 0;
        for e in events.iter_mut() {
            n += fields::seal_values(&mut e.payload, self.is_person, &mut with_key)?;
            let actor = &mut e.metadata.actor.iin;
            if (self.is_person)(actor) {
                *actor = with_key(actor, &actor.clone())?.unwrap_or_default();
                n += 1;
            }
        }
        Ok(n)
    }

    /// Opens every sealed value of `events`: plaintext, or the erased marker where the key was
    /// destroyed. Never fails on a forgotten person.
    pub async fn open(&self, events: &mut [RecordedEvent]) -> Result<(), StoreError> {
        let mut ids = BTreeSet::new();
        for e in events.iter() {
            fields::key_ids(&e.payload, &mut ids);
            ids.extend(fields::sealed_with(&e.metadata.actor.iin));
        }
        if ids.is_empty() {
            return Ok(());
        }
        let ids: Vec<Uuid> = ids.into_iter().collect();
        let keys = self.keyring.keys_by_id(&ids).await?;
        for e in events.iter_mut() {
            fields::open_with(&mut e.payload, &keys)?;
            let actor = &mut e.metadata.actor.iin;
            if let Some(id) = fields::sealed_with(actor) {
                *actor = fields::open(actor, keys.get(&id))?;
            }
        }
        Ok(())
    }
}

/// The decorator: an [`EventStore`] whose events hold sealed personal values, seen through
/// [`Sealer`].
pub struct ShreddingStore {
    inner: SharedStore,
    sealer: Sealer,
}

impl ShreddingStore {
    pub fn new(inner: SharedStore, sealer: Sealer) -> Arc<Self> {
        Arc::new(ShreddingStore { inner, sealer })
    }

    /// The store as it is stored: sealed values, and the hashes that cover them.
    pub fn inner(&self) -> &SharedStore {
        &self.inner
    }
}

impl EventStore for ShreddingStore {
    fn append<'a>(
        &'a self,
        stream: &'a StreamId,
        expected: ExpectedVersion,
        mut events: Vec<NewEvent>,
    ) -> BoxFuture<'a, Result<Appended, StoreError>> {
        Box::pin(async move {
            self.sealer.seal(&mut events).await?;
            self.inner.append(stream, expected, events).await
        })
    }

    fn command_outcome<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
    ) -> BoxFuture<'a, Result<Option<Appended>, StoreError>> {
        self.inner.command_outcome(stream, command_id)
    }

    fn outcome_or_events<'a>(
        &'a self,
        stream: &'a StreamId,
        command_id: Uuid,
        from_version: u64,
    ) -> BoxFuture<'a, Result<OutcomeOrEvents, StoreError>> {
        Box::pin(async move {
            match self
                .inner
                .outcome_or_events(stream, command_id, from_version)
                .await?
            {
                OutcomeOrEvents::Events(mut events) => {
                    self.sealer.open(&mut events).await?;
                    Ok(OutcomeOrEvents::Events(events))
                }
                done => Ok(done),
            }
        })
    }

    fn read_stream<'a>(
        &'a self,
        stream: &'a StreamId,
        range: StreamRange,
    ) -> BoxFuture<'a, Result<Vec<RecordedEvent>, StoreError>> {
        Box::pin(async move {
            let mut events = self.inner.read_stream(stream, range).await?;
            self.sealer.open(&mut events).await?;
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
            let mut events = self.inner.read_all(after, filter, limit).await?;
            self.sealer.open(&mut events).await?;
            Ok(events)
        })
    }

    fn read_all_through<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
        limit: usize,
    ) -> BoxFuture<'a, Result<Page, StoreError>> {
        Box::pin(async move {
            let mut page = self.inner.read_all_through(after, filter, limit).await?;
            self.sealer.open(&mut page.events).await?;
            Ok(page)
        })
    }

    fn count_after<'a>(
        &'a self,
        after: Option<Position>,
        filter: &'a Filter,
    ) -> BoxFuture<'a, Result<u64, StoreError>> {
        self.inner.count_after(after, filter)
    }

    fn changes(&self) -> tokio::sync::watch::Receiver<u64> {
        self.inner.changes()
    }

    fn subscribe(self: Arc<Self>, after: Option<Position>, filter: Filter) -> Subscription {
        catch_up(self, after, filter)
    }

    fn backend(&self) -> &'static str {
        self.inner.backend()
    }
}

/// A keyring in memory, for tests.
#[derive(Default)]
pub struct MemoryKeyring {
    keys: Mutex<HashMap<String, DataKey>>,
}

impl MemoryKeyring {
    /// Destroys the person's key; returns its id, `None` when the person had none.
    pub fn forget(&self, person: &str) -> Option<Uuid> {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        keys.remove(person).map(|k| k.id)
    }
}

impl Keyring for MemoryKeyring {
    fn keys_for<'a>(
        &'a self,
        persons: &'a [String],
    ) -> BoxFuture<'a, Result<HashMap<String, DataKey>, StoreError>> {
        let mut keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let found = persons
            .iter()
            .map(|p| {
                let key = keys.entry(p.clone()).or_insert_with(DataKey::generate);
                (p.clone(), key.clone())
            })
            .collect();
        Box::pin(async move { Ok(found) })
    }

    fn keys_by_id<'a>(
        &'a self,
        ids: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, DataKey>, StoreError>> {
        let keys = self.keys.lock().unwrap_or_else(|e| e.into_inner());
        let found = keys
            .values()
            .filter(|k| ids.contains(&k.id))
            .map(|k| (k.id, k.clone()))
            .collect();
        Box::pin(async move { Ok(found) })
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use serde_json::json;

    use super::*;
    use crate::envelope::{Actor, Metadata};
    use crate::{MemoryStore, verify_chains};

    fn is_person(s: &str) -> bool {
        s.len() == 12 && s.starts_with('8') && s.bytes().all(|b| b.is_ascii_digit())
    }

    fn event(iin: &str) -> NewEvent {
        let command_id = Uuid::new_v4();
        NewEvent {
            event_id: Uuid::new_v4(),
            event_type: "ProtocolSigned".into(),
            schema_version: 1,
            payload: json!({"signer_iin": iin, "signer_full_name": "Ахметов", "lot": 1}),
            metadata: Metadata {
                command_id,
                correlation_id: command_id,
                causation_id: None,
                actor: Actor {
                    user_id: "u1".into(),
                    iin: iin.into(),
                    org_bin: "100140000001".into(),
                    role: "organizer".into(),
                },
                occurred_at: Utc::now(),
                sandbox: false,
            },
        }
    }

    /// Issue 18 item 5: stored sealed, read in plaintext; once the key is destroyed, read as
    /// erased, and the chain of what is stored still verifies.
    #[tokio::test]
    async fn a_forgotten_person_reads_as_erased_and_the_chain_holds() {
        let inner: SharedStore = Arc::new(MemoryStore::new());
        let keyring = Arc::new(MemoryKeyring::default());
        let store = ShreddingStore::new(inner.clone(), Sealer::new(keyring.clone(), is_person));
        let stream: StreamId = "announcement-1".parse().unwrap();
        let iin = "850101300203";
        store
            .append(&stream, ExpectedVersion::NoStream, vec![event(iin)])
            .await
            .unwrap();

        let raw = inner
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap();
        let stored = serde_json::to_string(&(&raw[0].payload, &raw[0].metadata)).unwrap();
        assert!(!stored.contains(iin) && !stored.contains("Ахметов"));
        let read = store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap();
        assert_eq!(read[0].payload["signer_iin"], json!(iin));
        assert_eq!(read[0].metadata.actor.iin, iin);

        let id = keyring.forget(iin).unwrap();
        let read = store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap();
        let marker = fields::erased(id);
        assert_eq!(read[0].payload["signer_iin"], json!(marker));
        assert_eq!(read[0].payload["signer_full_name"], json!(marker));
        assert_eq!(read[0].payload["lot"], json!(1));
        assert_eq!(read[0].metadata.actor.iin, marker);
        let report = verify_chains(inner.as_ref(), &Filter::all(), |_| {})
            .await
            .unwrap();
        assert_eq!((report.events, report.broken), (1, None));
    }
}
