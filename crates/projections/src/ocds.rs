//! The OCDS read model (issue 23): the releases of every announcement as `zakup_ocds` derives
//! them, one per command that changed what the public sees, written in the same transaction as
//! the checkpoint like every read model, so each is written exactly once and a rebuild writes
//! the same rows (its ids, dates and cursor all come from the log).

use std::collections::{BTreeMap, HashMap};

use futures::future::BoxFuture;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_ocds::{Change, EventRef, Public};
use zakup_store::{EventStore, Filter, RecordedEvent, StreamRange};

use crate::history::{AnnouncementFold, AnnouncementFolds, announcement_folds};
use crate::projection::{Projection, ProjectionError};
use crate::views::application::opened;
use crate::views::visibility::{Shown, Viewer, shown};

pub struct Ocds {
    folds: AnnouncementFolds,
}

impl Ocds {
    pub fn new() -> Self {
        Self::sharing(announcement_folds())
    }

    pub fn sharing(folds: AnnouncementFolds) -> Self {
        Ocds { folds }
    }
}

impl Default for Ocds {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[include_str!(
    "../../../projections/ocds/0001_ocds_releases.sql"
)];

/// One release row.
struct Row {
    release_id: String,
    ocid: String,
    announcement_id: Uuid,
    command_id: Uuid,
    first: (i64, i64),
    at: chrono::DateTime<chrono::Utc>,
    release: serde_json::Value,
}

impl Projection for Ocds {
    fn name(&self) -> &'static str {
        "ocds"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["announcement"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["ocds_releases"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let changes = self.folds.fold(store, events).await?;
            let mut batches: BTreeMap<String, Vec<&RecordedEvent>> = BTreeMap::new();
            for e in events {
                batches.entry(e.stream_id.to_string()).or_default().push(e);
            }
            let open = open_commands(tx, batches.keys().cloned().collect()).await?;
            let (mut rows, mut gone, mut last) = (Vec::new(), Vec::new(), Vec::new());
            for (stream, batch) in &batches {
                let mut state = AnnouncementFold::clone(&changes[stream].before);
                let mut earlier: Vec<RecordedEvent> = Vec::new();
                let first = batch[0];
                if let Some((command, start)) = open.get(stream)
                    && *command == first.metadata.command_id
                    && *start < first.version
                {
                    // The previous batch ended inside this command: start from before it.
                    let older = store
                        .read_stream(
                            &first.stream_id,
                            StreamRange::up_to_version(first.version - 1),
                        )
                        .await?;
                    state = AnnouncementFold::default();
                    for e in older.iter().filter(|e| e.version < *start) {
                        state.apply(&AnnouncementFold::decode(
                            &e.event_type,
                            e.schema_version,
                            &e.payload,
                        )?);
                    }
                    earlier = older.into_iter().filter(|e| e.version >= *start).collect();
                }
                let mut commands: Vec<Vec<&RecordedEvent>> = Vec::new();
                for e in earlier.iter().chain(batch.iter().copied()) {
                    match commands.last_mut() {
                        Some(c) if c[0].metadata.command_id == e.metadata.command_id => c.push(e),
                        _ => commands.push(vec![e]),
                    }
                }
                for (i, command) in commands.iter().enumerate() {
                    let before = state.clone();
                    for e in command {
                        state.apply(&AnnouncementFold::decode(
                            &e.event_type,
                            e.schema_version,
                            &e.payload,
                        )?);
                    }
                    match row(stream, command, &before, &state) {
                        Some(r) => rows.push(r),
                        // A continued command that no longer changes anything public.
                        None if i == 0 && !earlier.is_empty() => {
                            gone.push(command[0].metadata.command_id)
                        }
                        None => {}
                    }
                }
                let tail = commands.last().expect("a stream's batch has an event");
                last.push((
                    stream.clone(),
                    tail[0].metadata.command_id,
                    tail[0].version as i64,
                ));
            }
            write(tx, rows, gone, last).await
        })
    }
}

/// The release of one command, if it changed what the public sees.
fn row(
    stream: &str,
    command: &[&RecordedEvent],
    before: &AnnouncementFold,
    after: &AnnouncementFold,
) -> Option<Row> {
    let id = after.state.id?;
    let opened_after = opened(&after.state);
    let before = Public {
        state: &before.state,
        opened: opened(&before.state),
    };
    let after_public = Public {
        state: &after.state,
        opened: opened_after,
    };
    // Only the events an anonymous reader may know of (decision 0650): a sealed application's
    // event is not named before opening.
    let anyone = Viewer {
        org: None,
        oversees: false,
    };
    let refs: Vec<EventRef> = command
        .iter()
        .filter(|e| {
            shown(
                &e.event_type,
                &e.metadata.actor.org_bin,
                opened_after,
                anyone,
            ) != Shown::Hidden
        })
        .map(|e| EventRef {
            event_id: e.event_id,
            event_type: e.event_type.clone(),
        })
        .collect();
    let first = command[0];
    let at = command[command.len() - 1].metadata.occurred_at;
    let release = zakup_ocds::release(&Change {
        stream,
        before,
        after: after_public,
        events: &refs,
        at,
    })?;
    Some(Row {
        // The first event the public may know of names the release.
        release_id: release["id"].as_str().unwrap_or_default().to_owned(),
        ocid: zakup_ocds::ocid(id),
        announcement_id: id,
        command_id: first.metadata.command_id,
        first: (first.position.major as i64, first.position.minor as i64),
        at,
        release,
    })
}

async fn open_commands(
    tx: &mut PgConnection,
    streams: Vec<String>,
) -> Result<HashMap<String, (Uuid, u64)>, ProjectionError> {
    let rows: Vec<(String, Uuid, i64)> = sqlx::query_as(
        "SELECT stream_id, command_id, start_version FROM ocds_streams WHERE stream_id = ANY($1)",
    )
    .bind(streams)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(s, c, v)| (s, (c, v as u64)))
        .collect())
}

async fn write(
    tx: &mut PgConnection,
    rows: Vec<Row>,
    gone: Vec<Uuid>,
    last: Vec<(String, Uuid, i64)>,
) -> Result<(), ProjectionError> {
    if !gone.is_empty() {
        sqlx::query("DELETE FROM ocds_releases WHERE command_id = ANY($1)")
            .bind(gone)
            .execute(&mut *tx)
            .await?;
    }
    if !rows.is_empty() {
        sqlx::query(
            "INSERT INTO ocds_releases (release_id, ocid, announcement_id, command_id,
                 released_at, position_major, position_minor, release)
             SELECT * FROM unnest($1::text[], $2::text[], $3::uuid[], $4::uuid[],
                 $5::timestamptz[], $6::bigint[], $7::bigint[], $8::jsonb[])
             ON CONFLICT (release_id) DO UPDATE SET
                 (released_at, release) = (EXCLUDED.released_at, EXCLUDED.release)",
        )
        .bind(
            rows.iter()
                .map(|r| r.release_id.clone())
                .collect::<Vec<_>>(),
        )
        .bind(rows.iter().map(|r| r.ocid.clone()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.announcement_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.command_id).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.at).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.first.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.first.1).collect::<Vec<_>>())
        .bind(rows.into_iter().map(|r| r.release).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "INSERT INTO ocds_streams (stream_id, command_id, start_version)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::bigint[])
         ON CONFLICT (stream_id) DO UPDATE SET
             (command_id, start_version) = (EXCLUDED.command_id, EXCLUDED.start_version)",
    )
    .bind(last.iter().map(|l| l.0.clone()).collect::<Vec<_>>())
    .bind(last.iter().map(|l| l.1).collect::<Vec<_>>())
    .bind(last.iter().map(|l| l.2).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Where a reader of the releases stands: after the release at this position (the opaque
/// `since` cursor of `GET /ocds/releases`, `<major>.<minor>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor(pub i64, pub i64);

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

impl std::str::FromStr for Cursor {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (major, minor) = s.split_once('.').ok_or("not <major>.<minor>")?;
        let n = |x: &str| x.parse::<i64>().map_err(|e| format!("{x:?}: {e}"));
        Ok(Cursor(n(major)?, n(minor)?))
    }
}

/// At most `limit` releases after `since` (from the start without), in log order, each with its
/// cursor.
pub async fn releases_after(
    pool: &sqlx::PgPool,
    since: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(Cursor, serde_json::Value)>, sqlx::Error> {
    let since = since.unwrap_or(Cursor(-1, -1));
    let rows: Vec<(i64, i64, serde_json::Value)> = sqlx::query_as(
        "SELECT position_major, position_minor, release FROM rm.ocds_releases
          WHERE (position_major, position_minor) > ($1, $2)
          ORDER BY position_major, position_minor LIMIT $3",
    )
    .bind(since.0)
    .bind(since.1)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, b, r)| (Cursor(a, b), r))
        .collect())
}

/// Every release of one `ocid`, in log order; empty for an unknown one.
pub async fn releases_of(
    pool: &sqlx::PgPool,
    ocid: &str,
) -> Result<Vec<serde_json::Value>, sqlx::Error> {
    let rows: Vec<(serde_json::Value,)> = sqlx::query_as(
        "SELECT release FROM rm.ocds_releases WHERE ocid = $1
          ORDER BY released_at, position_major, position_minor",
    )
    .bind(ocid)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(r,)| r).collect())
}

/// The releases dated in `[from, to)`, in log order: a page of at most `limit` after `since`.
pub async fn releases_between(
    pool: &sqlx::PgPool,
    from: chrono::DateTime<chrono::Utc>,
    to: chrono::DateTime<chrono::Utc>,
    since: Option<Cursor>,
    limit: i64,
) -> Result<Vec<(Cursor, serde_json::Value)>, sqlx::Error> {
    let since = since.unwrap_or(Cursor(-1, -1));
    let rows: Vec<(i64, i64, serde_json::Value)> = sqlx::query_as(
        "SELECT position_major, position_minor, release FROM rm.ocds_releases
          WHERE released_at >= $1 AND released_at < $2
            AND (position_major, position_minor) > ($3, $4)
          ORDER BY position_major, position_minor LIMIT $5",
    )
    .bind(from)
    .bind(to)
    .bind(since.0)
    .bind(since.1)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(a, b, r)| (Cursor(a, b), r))
        .collect())
}
