//! The announcement read models: the searchable `announcements` table (spec 000-A §2.2) and,
//! written by the same projector from the same fold, `lots`, `applications`, `votes`,
//! `voting_control`, `commission_members`, `protocols`, `announcement_screens` and
//! `qualified_suppliers`.
//!
//! Each batch folds every announcement it touches with the domain's `apply` (see [`history`])
//! and replaces that announcement's rows: a handful of set-based statements per batch.

use chrono::{DateTime, Utc};
use futures::future::BoxFuture;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{AnnouncementFold, AnnouncementFolds, Rewrite, announcement_folds};
use crate::projection::{Projection, ProjectionError};
use crate::views::AnnouncementView;
use crate::{applications, lots, protocols, qualified_suppliers, screens, votes};

pub struct Announcements {
    folds: AnnouncementFolds,
}

impl Announcements {
    /// With a cache of its own.
    pub fn new() -> Self {
        Self::sharing(announcement_folds())
    }

    /// With the cache the other announcement projectors use.
    pub fn sharing(folds: AnnouncementFolds) -> Self {
        Announcements { folds }
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
    include_str!("../../../projections/announcements/0006_cancelled_applications.sql"),
    include_str!("../../../projections/announcements/0007_failure_reason.sql"),
    include_str!("../../../projections/announcements/0008_protocol_deletion.sql"),
    include_str!("../../../projections/announcements/0009_screens.sql"),
    include_str!("../../../projections/announcements/0010_lot_in_application.sql"),
    include_str!("../../../projections/announcements/0011_sealed.sql"),
    include_str!("../../../projections/announcements/0012_votes_fixed.sql"),
    include_str!("../../../projections/announcements/0013_qualified_suppliers.sql"),
];

/// An announcement folded from its history, with where its stream stands.
pub(crate) struct Folded<'a> {
    pub id: Uuid,
    /// As the read model shows it now: before the batch.
    pub before: &'a AnnouncementFold,
    pub after: &'a AnnouncementFold,
    /// When the draft (or the index-2 copy) was made.
    pub drafted_at: DateTime<Utc>,
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
            "announcement_screens",
            "qualified_suppliers",
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
            for change in folds.values() {
                // A stream whose first event is not a creation has no announcement to show.
                let (Some(id), Some(drafted_at)) = (change.after.state.id, change.after.drafted_at)
                else {
                    continue;
                };
                folded.push(Folded {
                    id,
                    before: &change.before,
                    after: &change.after,
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
            screens::replace(tx, &folded).await?;
            qualified_suppliers::replace(tx, &folded).await?;
            Ok(())
        })
    }
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
pub(crate) fn rewrite<R: PartialEq>(
    folded: &[Folded<'_>],
    rows: impl Fn(&Uuid, &AnnouncementFold) -> Vec<R>,
) -> Rewrite<Uuid, R> {
    Rewrite::of(
        folded.iter().map(|f| (f.id, f.before, f.after)),
        |id, fold| rows(id, fold),
    )
}

/// Writes the header row of every announcement in `folded` in one statement: an update in place
/// where the row exists (a heap-only update when no indexed column changed, so no index grows),
/// an insert where it does not. A stream without a header shows no row.
async fn upsert(tx: &mut PgConnection, folded: &[Folded<'_>]) -> Result<(), ProjectionError> {
    let headless: Vec<Uuid> = folded
        .iter()
        .filter(|f| f.after.state.header.is_none())
        .map(|f| f.id)
        .collect();
    clear(tx, "announcements", &headless).await?;
    let rows: Vec<(&Folded, AnnouncementView)> = folded
        .iter()
        .map(|f| (f, AnnouncementView::of(&f.after.state)))
        .filter(|(_, v)| v.method.is_some())
        .collect();
    let text = |g: &dyn Fn(&AnnouncementView) -> String| {
        rows.iter().map(|(_, v)| g(v)).collect::<Vec<_>>()
    };
    let id = |term: Option<&'static str>| term.unwrap_or_default().to_owned();
    let time = |g: &dyn Fn(&AnnouncementView) -> Option<DateTime<Utc>>| {
        rows.iter().map(|(_, v)| g(v)).collect::<Vec<_>>()
    };
    let stream = |g: &dyn Fn(&Folded) -> i64| rows.iter().map(|(f, _)| g(f)).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO announcements (announcement_id, number, index, source_announcement_id,
             method, procurement_type, subject_type, name_ru, name_kk, organizer_bin, status,
             deleted, customer_bins, lot_names, total_amount, drafted_at, published_at,
             discussion_end, acceptance_start, acceptance_end, updated_at, version,
             position_major, position_minor, opened, sealed, public_updated_at, votes_fixed)
         SELECT a.id, a.number, a.index, a.source, a.method, a.procurement_type, a.subject_type,
                a.name_ru, a.name_kk, a.organizer_bin, a.status, a.deleted,
                string_to_array(a.customer_bins, ','), a.lot_names, a.total_amount,
                a.drafted_at, a.published_at, a.discussion_end, a.acceptance_start,
                a.acceptance_end, a.updated_at, a.version, a.major, a.minor, a.opened,
                a.sealed, a.public_updated_at, a.votes_fixed
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::text[],
                       $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
                       $12::bool[], $13::text[], $14::text[], $15::numeric[],
                       $16::timestamptz[], $17::timestamptz[], $18::timestamptz[],
                       $19::timestamptz[], $20::timestamptz[], $21::timestamptz[],
                       $22::bigint[], $23::bigint[], $24::bigint[], $25::bool[],
                       $26::jsonb[], $27::timestamptz[], $28::bool[])
             AS a(id, number, index, source, method, procurement_type, subject_type, name_ru,
                  name_kk, organizer_bin, status, deleted, customer_bins, lot_names,
                  total_amount, drafted_at, published_at, discussion_end, acceptance_start,
                  acceptance_end, updated_at, version, major, minor, opened, sealed,
                  public_updated_at, votes_fixed)
         ON CONFLICT (announcement_id) DO UPDATE SET
             (number, index, source_announcement_id, method, procurement_type, subject_type,
              name_ru, name_kk, organizer_bin, status, deleted, customer_bins, lot_names,
              total_amount, drafted_at, published_at, discussion_end, acceptance_start,
              acceptance_end, updated_at, version, position_major, position_minor, opened,
              sealed, public_updated_at, votes_fixed)
           = (EXCLUDED.number, EXCLUDED.index, EXCLUDED.source_announcement_id, EXCLUDED.method,
              EXCLUDED.procurement_type, EXCLUDED.subject_type, EXCLUDED.name_ru,
              EXCLUDED.name_kk, EXCLUDED.organizer_bin, EXCLUDED.status, EXCLUDED.deleted,
              EXCLUDED.customer_bins, EXCLUDED.lot_names, EXCLUDED.total_amount,
              EXCLUDED.drafted_at, EXCLUDED.published_at, EXCLUDED.discussion_end,
              EXCLUDED.acceptance_start, EXCLUDED.acceptance_end, EXCLUDED.updated_at,
              EXCLUDED.version, EXCLUDED.position_major, EXCLUDED.position_minor,
              EXCLUDED.opened, EXCLUDED.sealed, EXCLUDED.public_updated_at,
              EXCLUDED.votes_fixed)",
    )
    .bind(rows.iter().map(|(f, _)| f.id).collect::<Vec<_>>())
    .bind(text(&|v| v.number.clone()))
    .bind(rows.iter().map(|(_, v)| v.index as i32).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, v)| v.source_announcement_id)
            .collect::<Vec<_>>(),
    )
    .bind(text(&|v| id(v.method.map(|m| m.id()))))
    .bind(text(&|v| id(v.procurement_type.map(|t| t.id()))))
    .bind(text(&|v| id(v.subject_type.map(|t| t.id()))))
    .bind(text(&|v| v.name_ru.clone().unwrap_or_default()))
    .bind(text(&|v| v.name_kk.clone().unwrap_or_default()))
    .bind(text(&|v| v.organizer_bin.clone().unwrap_or_default()))
    .bind(text(&|v| id(v.status.map(|s| s.id()))))
    .bind(rows.iter().map(|(_, v)| v.deleted).collect::<Vec<_>>())
    .bind(text(&|v| v.customer_bins.join(",")))
    .bind(text(&|v| v.lot_names.clone()))
    .bind(rows.iter().map(|(_, v)| v.total_amount).collect::<Vec<_>>())
    .bind(rows.iter().map(|(f, _)| f.drafted_at).collect::<Vec<_>>())
    .bind(time(&|v| v.published_at))
    .bind(time(&|v| v.discussion_end))
    .bind(time(&|v| v.acceptance_start))
    .bind(time(&|v| v.acceptance_end))
    .bind(
        rows.iter()
            .map(|(f, _)| f.last.metadata.occurred_at)
            .collect::<Vec<_>>(),
    )
    .bind(stream(&|f| f.last.version as i64))
    .bind(stream(&|f| f.last.position.major as i64))
    .bind(stream(&|f| f.last.position.minor as i64))
    .bind(rows.iter().map(|(_, v)| v.opened).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(f, _)| sealed(f.after))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.after.public_at)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, _)| f.after.votes.fixed)
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The sealed events as the `sealed` column holds them (decision 0670).
fn sealed(fold: &AnnouncementFold) -> serde_json::Value {
    fold.sealed
        .iter()
        .map(|e| serde_json::json!({"org": e.org, "at": e.at}))
        .collect()
}
