//! The persons' data keys in PostgreSQL (table `pd_keys`, decision 0840), outside the event
//! log: a key is deleted, never updated, so forgetting a person leaves no copy of it in the
//! database (a vacuum reclaims the row; backups are the operator's to expire, decision 0841).
//!
//! Keys are cached for a few seconds: every append and every read of events with personal
//! values needs them, and a round trip each would double the cost of a command. A key destroyed
//! by another process is still used here until its entry expires.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use futures::future::BoxFuture;
use sqlx::PgPool;
use uuid::Uuid;
use zakup_store::shred::{DataKey, Keyring, Sealer};
use zakup_store::{ExpectedVersion, NewEvent, StoreError, StreamId};

use crate::migrations::{self, Migration};
use crate::{PgStore, backend};

/// The key table's own migrations (scope `personal_data`): it is needed on the KurrentDB
/// backend too, which has none of the event store's tables.
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "personal_data_keys",
    sql: include_str!("../migrations/keys_0001_personal_data_keys.sql"),
}];

/// How long a key read from the table is used without asking again.
pub const CACHED_FOR: Duration = Duration::from_secs(5);

pub struct PgKeyring {
    pool: PgPool,
    cache: Mutex<Cache>,
}

#[derive(Default)]
struct Cache {
    by_person: HashMap<String, (DataKey, Instant)>,
    by_id: HashMap<Uuid, (String, DataKey, Instant)>,
    /// Keys found destroyed: kept for good, no key comes back under its id.
    destroyed: std::collections::HashSet<Uuid>,
}

impl Cache {
    fn put(&mut self, person: &str, key: &DataKey) {
        let now = Instant::now();
        // Bounded: past a few thousand persons in use it starts over (a miss costs a read).
        if self.by_person.len() > 4096 || self.destroyed.len() > 65536 {
            *self = Cache::default();
        }
        self.by_person.insert(person.to_owned(), (key.clone(), now));
        self.by_id
            .insert(key.id, (person.to_owned(), key.clone(), now));
    }

    fn forget(&mut self, person: &str, id: Option<Uuid>) {
        if let Some((key, _)) = self.by_person.remove(person) {
            self.by_id.remove(&key.id);
        }
        if let Some(id) = id {
            self.by_id.remove(&id);
            self.destroyed.insert(id);
        }
    }
}

fn fresh(at: Instant) -> bool {
    at.elapsed() < CACHED_FOR
}

impl PgKeyring {
    /// The keyring of the database `pool` holds, its table made or upgraded first.
    pub async fn open(pool: PgPool) -> Result<Self, StoreError> {
        migrations::apply(&pool, "personal_data", MIGRATIONS)
            .await
            .map_err(backend)?;
        Ok(PgKeyring {
            pool,
            cache: Mutex::new(Cache::default()),
        })
    }

    fn cache(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Forgets `person`: records `record(key id)`, sealed with `sealer`, on its stream and deletes the key, in one
    /// transaction, so that the log tells every forgetting and nothing is forgotten unrecorded.
    /// `None` when the person has no key (never named in an event since sealing began, or
    /// forgotten already).
    pub async fn forget(
        &self,
        store: &PgStore,
        sealer: &Sealer,
        person: &str,
        record: impl FnOnce(Uuid) -> Result<(StreamId, NewEvent), StoreError>,
    ) -> Result<Option<Uuid>, StoreError> {
        let Some(id) = self.key_id(person).await? else {
            self.cache().forget(person, None);
            return Ok(None);
        };
        let (stream, event) = record(id)?;
        // The record's own actor (the operator) is a person too.
        let mut event = [event];
        sealer.seal(&mut event).await?;
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // The record first: an append must be its transaction's first write.
        store
            .append_in(&mut tx, &stream, ExpectedVersion::NoStream, &event)
            .await?;
        let deleted = sqlx::query("DELETE FROM pd_keys WHERE key_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(backend)?;
        if deleted.rows_affected() != 1 {
            // Another process forgot them meanwhile and recorded it.
            tx.rollback().await.map_err(backend)?;
            return Ok(None);
        }
        tx.commit().await.map_err(backend)?;
        store.committed();
        self.cache().forget(person, Some(id));
        Ok(Some(id))
    }

    /// The id of `person`'s key, if they have one.
    pub async fn key_id(&self, person: &str) -> Result<Option<Uuid>, StoreError> {
        sqlx::query_scalar("SELECT key_id FROM pd_keys WHERE subject = $1")
            .bind(person)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)
    }

    /// Deletes `person`'s key `id` with no record: for a log that is not in this database,
    /// where the caller has recorded it first.
    pub async fn destroy(&self, person: &str, id: Uuid) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM pd_keys WHERE key_id = $1")
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        self.cache().forget(person, Some(id));
        Ok(())
    }

    async fn load_for(&self, persons: &[String]) -> Result<HashMap<String, DataKey>, StoreError> {
        let fresh: Vec<DataKey> = persons.iter().map(|_| DataKey::generate()).collect();
        let ids: Vec<Uuid> = fresh.iter().map(|k| k.id).collect();
        let secrets: Vec<Vec<u8>> = fresh.iter().map(|k| k.secret.to_vec()).collect();
        sqlx::query(
            "INSERT INTO pd_keys (key_id, subject, secret)
             SELECT * FROM unnest($1::uuid[], $2::text[], $3::bytea[])
             ON CONFLICT (subject) DO NOTHING",
        )
        .bind(&ids)
        .bind(persons)
        .bind(&secrets)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        let rows: Vec<(Uuid, String, Vec<u8>)> =
            sqlx::query_as("SELECT key_id, subject, secret FROM pd_keys WHERE subject = ANY($1)")
                .bind(persons)
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        rows.into_iter()
            .map(|(id, person, secret)| Ok((person, key(id, secret)?)))
            .collect()
    }
}

fn key(id: Uuid, secret: Vec<u8>) -> Result<DataKey, StoreError> {
    let secret = secret
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("data key {id} is not 32 bytes")))?;
    Ok(DataKey { id, secret })
}

impl Keyring for PgKeyring {
    fn keys_for<'a>(
        &'a self,
        persons: &'a [String],
    ) -> BoxFuture<'a, Result<HashMap<String, DataKey>, StoreError>> {
        Box::pin(async move {
            let mut found = HashMap::with_capacity(persons.len());
            let mut missing = Vec::new();
            {
                let cache = self.cache();
                for p in persons {
                    match cache.by_person.get(p) {
                        Some((key, at)) if fresh(*at) => {
                            found.insert(p.clone(), key.clone());
                        }
                        _ => missing.push(p.clone()),
                    }
                }
            }
            if missing.is_empty() {
                return Ok(found);
            }
            let loaded = self.load_for(&missing).await?;
            let mut cache = self.cache();
            for (person, key) in loaded {
                cache.put(&person, &key);
                found.insert(person, key);
            }
            Ok(found)
        })
    }

    fn keys_by_id<'a>(
        &'a self,
        ids: &'a [Uuid],
    ) -> BoxFuture<'a, Result<HashMap<Uuid, DataKey>, StoreError>> {
        Box::pin(async move {
            let mut found = HashMap::with_capacity(ids.len());
            let mut missing = Vec::new();
            {
                let cache = self.cache();
                for id in ids {
                    match cache.by_id.get(id) {
                        Some((_, key, at)) if fresh(*at) => {
                            found.insert(*id, key.clone());
                        }
                        _ if cache.destroyed.contains(id) => {}
                        _ => missing.push(*id),
                    }
                }
            }
            if missing.is_empty() {
                return Ok(found);
            }
            let rows: Vec<(Uuid, String, Vec<u8>)> = sqlx::query_as(
                "SELECT key_id, subject, secret FROM pd_keys WHERE key_id = ANY($1)",
            )
            .bind(&missing)
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
            let mut cache = self.cache();
            for (id, person, secret) in rows {
                let key = key(id, secret)?;
                cache.put(&person, &key);
                found.insert(id, key);
            }
            cache
                .destroyed
                .extend(missing.into_iter().filter(|id| !found.contains_key(id)));
            Ok(found)
        })
    }
}
