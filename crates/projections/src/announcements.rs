//! The announcement read models: the searchable `announcements` table (spec 000-A §2.2) and,
//! written by the same projector from the same fold, `lots`, `applications`, `votes`,
//! `voting_control`, `commission_members` and `protocols`.
//!
//! Each batch folds every announcement it touches with the domain's `apply` (see [`history`])
//! and replaces that announcement's rows: a handful of set-based statements per batch.

use futures::future::BoxFuture;
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{Folds, Rewrite};
use crate::projection::{Projection, ProjectionError};
use crate::{applications, lots, protocols, votes};

pub struct Announcements {
    folds: Folds<Fold>,
}

/// An announcement as folded so far, and when its draft (or copy) was made.
#[derive(Clone, Default)]
struct Fold {
    state: Announcement,
    drafted_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl Announcements {
    pub fn new() -> Self {
        Announcements {
            folds: Folds::new(step),
        }
    }
}

impl Default for Announcements {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[
    include_str!("../../../projections/announcements/0001_announcements.sql"),
    include_str!("../../../projections/announcements/0002_opened.sql"),
    include_str!("../../../projections/announcements/0003_ktru.sql"),
    include_str!("../../../projections/announcements/0004_list_order.sql"),
    include_str!("../../../projections/announcements/0005_no_history.sql"),
];

/// An announcement folded from its history, with where its stream stands.
pub(crate) struct Folded<'a> {
    pub id: Uuid,
    /// As the read model shows it now: before the batch.
    pub before: Announcement,
    pub state: Announcement,
    /// When the draft (or the index-2 copy) was made.
    pub drafted_at: chrono::DateTime<chrono::Utc>,
    pub last: &'a RecordedEvent,
}

impl Projection for Announcements {
    fn name(&self) -> &'static str {
        "announcements"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["announcement"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &[
            "announcements",
            "lots",
            "applications",
            "application_offers",
            "commission_members",
            "votes",
            "voting_control",
            "protocols",
        ]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let folds = self.folds.fold(store, events).await?;
            let mut folded = Vec::with_capacity(folds.len());
            for change in folds.into_values() {
                let fold = change.after;
                // A stream whose first event is not a creation has no announcement to show.
                let (Some(id), Some(drafted_at)) = (fold.state.id, fold.drafted_at) else {
                    continue;
                };
                folded.push(Folded {
                    id,
                    before: change.before.state,
                    state: fold.state,
                    drafted_at,
                    last: change.last,
                });
            }
            // The header moves with every event (version, position); the other tables are
            // rewritten only for the announcements whose rows the batch changed.
            upsert(tx, &folded).await?;
            lots::replace(tx, &folded).await?;
            applications::replace(tx, &folded).await?;
            votes::replace(tx, &folded).await?;
            protocols::replace(tx, &folded).await?;
            Ok(())
        })
    }
}

fn step(
    fold: &mut Fold,
    event_type: &str,
    schema_version: u32,
    payload: &serde_json::Value,
) -> Result<(), ProjectionError> {
    let event =
        AnnouncementEvent::from_stored(event_type, schema_version, payload).map_err(|e| {
            ProjectionError::Event {
                event_type: event_type.to_owned(),
                why: e.to_string(),
            }
        })?;
    match &event {
        AnnouncementEvent::AnnouncementDrafted(e) => fold.drafted_at = Some(e.drafted_at),
        AnnouncementEvent::AnnouncementCopyCreated(e) => fold.drafted_at = Some(e.created_at),
        _ => {}
    }
    fold.state.apply(&event);
    Ok(())
}

/// Deletes the rows of `ids` from `table`: the first half of every replacement.
pub(crate) async fn clear(
    tx: &mut PgConnection,
    table: &str,
    ids: &[Uuid],
) -> Result<(), ProjectionError> {
    if ids.is_empty() {
        return Ok(());
    }
    sqlx::query(&format!(
        "DELETE FROM {table} WHERE announcement_id = ANY($1)"
    ))
    .bind(ids)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The rows of one table that `folded` changes, as `rows` derives them from an announcement.
pub(crate) fn rewrite<'f, R: PartialEq>(
    folded: &'f [Folded<'_>],
    rows: impl Fn(&Uuid, &'f Announcement) -> Vec<R>,
) -> Rewrite<Uuid, R> {
    Rewrite::of(folded.iter().map(|f| (f.id, &f.before, &f.state)), rows)
}

/// Writes the header row of every announcement in `folded` in one statement: an update in place
/// where the row exists (a heap-only update when no indexed column changed, so no index grows),
/// an insert where it does not. A stream without a header shows no row.
async fn upsert(tx: &mut PgConnection, folded: &[Folded<'_>]) -> Result<(), ProjectionError> {
    let headless: Vec<Uuid> = folded
        .iter()
        .filter(|f| f.state.header.is_none())
        .map(|f| f.id)
        .collect();
    clear(tx, "announcements", &headless).await?;
    let rows: Vec<_> = folded
        .iter()
        .filter_map(|f| f.state.header.as_ref().map(|h| (f, h)))
        .collect();
    let text = |g: &dyn Fn(&Folded, &zakup_domain::announcement::header::Header) -> String| {
        rows.iter().map(|(f, h)| g(f, h)).collect::<Vec<_>>()
    };
    let time = |g: &dyn Fn(&Announcement) -> Option<chrono::DateTime<chrono::Utc>>| {
        rows.iter().map(|(f, _)| g(&f.state)).collect::<Vec<_>>()
    };
    sqlx::query(
        "INSERT INTO announcements (announcement_id, number, index, source_announcement_id,
             method, procurement_type, subject_type, name_ru, name_kk, organizer_bin, status,
             deleted, customer_bins, lot_names, total_amount, drafted_at, published_at,
             discussion_end, acceptance_start, acceptance_end, updated_at, version,
             position_major, position_minor, opened)
         SELECT a.id, a.number, a.index, a.source, a.method, a.procurement_type, a.subject_type,
                a.name_ru, a.name_kk, a.organizer_bin, a.status, a.deleted,
                string_to_array(a.customer_bins, ','), a.lot_names, a.total_amount,
                a.drafted_at, a.published_at, a.discussion_end, a.acceptance_start,
                a.acceptance_end, a.updated_at, a.version, a.major, a.minor, a.opened
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                       $12::bool[], $13::text[], $14::text[], $15::numeric[],
                       $16::timestamptz[], $17::timestamptz[], $18::timestamptz[],
                       $19::timestamptz[], $20::timestamptz[], $21::timestamptz[],
                       $22::bigint[], $23::bigint[], $24::bigint[], $25::bool[])
             AS a(id, number, index, source, method, procurement_type, subject_type, name_ru,
                  name_kk, organizer_bin, status, deleted, customer_bins, lot_names,
                  total_amount, drafted_at, published_at, discussion_end, acceptance_start,
                  acceptance_end, updated_at, version, major, minor, opened)
         ON CONFLICT (announcement_id) DO UPDATE SET
             (number, index, source_announcement_id, method, procurement_type, subject_type,
              name_ru, name_kk, organizer_bin, status, deleted, customer_bins, lot_names,
              total_amount, drafted_at, published_at, discussion_end, acceptance_start,
              acceptance_end, updated_at, version, position_major, position_minor, opened)
           = (EXCLUDED.number, EXCLUDED.index, EXCLUDED.source_announcement_id, EXCLUDED.method,
              EXCLUDED.procurement_type, EXCLUDED.subject_type, EXCLUDED.name_ru,
              EXCLUDED.name_kk, EXCLUDED.organizer_bin, EXCLUDED.status, EXCLUDED.deleted,
              EXCLUDED.customer_bins, EXCLUDED.lot_names, EXCLUDED.total_amount,
              EXCLUDED.drafted_at, EXCLUDED.published_at, EXCLUDED.discussion_end,
              EXCLUDED.acceptance_start, EXCLUDED.acceptance_end, EXCLUDED.updated_at,
              EXCLUDED.version, EXCLUDED.position_major, EXCLUDED.position_minor,
              EXCLUDED.opened)",
    )
    .bind(rows.iter().map(|(f, _)| f.id).collect::<Vec<_>>())
    .bind(text(&|f, _| f.state.number.clone()))
    .bind(
        rows.iter()
            .map(|(f, _)| f.state.index as i32)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.state.source_announcement_id)
            .collect::<Vec<_>>(),
    )
    .bind(text(&|_, h| h.method.id().to_owned()))
    .bind(text(&|_, h| h.procurement_type.id().to_owned()))
    .bind(text(&|_, h| h.subject_type.id().to_owned()))
    .bind(text(&|_, h| h.name_ru.clone()))
    .bind(text(&|_, h| h.name_kk.clone()))
    .bind(text(&|f, _| {
        f.state
            .organizer_bin
            .map(|b| b.to_string())
            .unwrap_or_default()
    }))
    .bind(text(&|f, _| {
        f.state
            .status
            .map(|s| s.id().to_owned())
            .unwrap_or_default()
    }))
    .bind(
        rows.iter()
            .map(|(f, _)| f.state.deleted)
            .collect::<Vec<_>>(),
    )
    .bind(text(&|f, _| customer_bins(&f.state).join(",")))
    .bind(text(&|f, _| lot_names(&f.state)))
    .bind(
        rows.iter()
            .map(|(f, _)| total_amount(&f.state))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(f, _)| f.drafted_at).collect::<Vec<_>>())
    .bind(time(&|a| a.published_at))
    .bind(time(&|a| a.discussion_end()))
    .bind(time(&|a| a.acceptance.map(|w| w.start)))
    .bind(time(&|a| a.acceptance.map(|w| w.end)))
    .bind(
        rows.iter()
            .map(|(f, _)| f.last.metadata.occurred_at)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.last.version as i64)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.last.position.major as i64)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.last.position.minor as i64)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| crate::applications::opened(&f.state))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The customers whose plan items are lots here, each once.
fn customer_bins(a: &Announcement) -> Vec<String> {
    let mut bins: Vec<String> = a
        .lots
        .values()
        .map(|l| l.source.customer_bin.to_string())
        .collect();
    bins.sort();
    bins.dedup();
    bins
}

fn lot_names(a: &Announcement) -> String {
    a.lots
        .values()
        .flat_map(|l| {
            [
                l.source.name_ru.to_lowercase(),
                l.source.name_kk.to_lowercase(),
            ]
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The sum allocated to the lots still in the procurement.
fn total_amount(a: &Announcement) -> Decimal {
    a.active_lots().map(|l| l.source.amount.amount()).sum()
}
