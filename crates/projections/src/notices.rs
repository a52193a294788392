//! The camera-control read model (spec 000-D §4): `notices` («Журнал уведомлений») and
//! `objections` («Журнал возражений») of every announcement.
//!
//! Like the announcement read models, each batch folds every announcement it touches with the
//! domain's `apply` (see [`history`](crate::history)) and replaces that announcement's rows where
//! the batch changed them: the statuses, countdowns and restrictions are the domain's. Each
//! notice row also keeps the domain's folded `Notice` as JSON, so the API computes the days left
//! at the moment of a query with the domain's own rule.

use futures::future::BoxFuture;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::announcements::clear;
use crate::history::{AnnouncementFold, AnnouncementFolds, Change, Rewrite, announcement_folds};
use crate::projection::{Projection, ProjectionError};
use crate::views::{NoticeView, ObjectionView};

pub struct Notices {
    folds: AnnouncementFolds,
}

impl Notices {
    /// With a cache of its own.
    pub fn new() -> Self {
        Self::sharing(announcement_folds())
    }

    /// With the cache the other announcement projectors use.
    pub fn sharing(folds: AnnouncementFolds) -> Self {
        Notices { folds }
    }
}

impl Default for Notices {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[
    include_str!("../../../projections/notices/0001_notices.sql"),
    include_str!("../../../projections/notices/0002_unread_by_organizer.sql"),
    include_str!("../../../projections/notices/0003_no_history.sql"),
];

impl Projection for Notices {
    fn name(&self) -> &'static str {
        "notices"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["announcement"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["notices", "objections"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let folds = self.folds.fold(store, events).await?;
            // A stream whose first event is not a creation has no announcement to show.
            let owners = || {
                folds.values().filter_map(|c: &Change<AnnouncementFold>| {
                    Some((c.after.state.id?, &*c.before, &*c.after))
                })
            };
            let notices = Rewrite::of(owners(), notice_rows);
            clear(tx, "notices", &notices.clear).await?;
            insert_notices(tx, &notices.rows).await?;
            let objections = Rewrite::of(owners(), objection_rows);
            clear(tx, "objections", &objections.clear).await?;
            insert_objections(tx, &objections.rows).await?;
            Ok(())
        })
    }
}

/// A notice row: the notice as [`NoticeView`] shows it, with the stream's version (so an
/// announcement's notices are rewritten at each of its events, and those without notices never).
type NoticeRow = (Uuid, i64, NoticeView);

fn notice_rows(id: &Uuid, fold: &AnnouncementFold) -> Vec<NoticeRow> {
    let version = fold.version.map_or(-1, |v| v as i64);
    NoticeView::all(&fold.state)
        .into_iter()
        .map(|n| (*id, version, n))
        .collect()
}

fn objection_rows(id: &Uuid, fold: &AnnouncementFold) -> Vec<(Uuid, ObjectionView)> {
    ObjectionView::all(&fold.state)
        .into_iter()
        .map(|o| (*id, o))
        .collect()
}

async fn insert_notices(tx: &mut PgConnection, rows: &[NoticeRow]) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |g: &dyn Fn(&NoticeView) -> String| rows.iter().map(|r| g(&r.2)).collect::<Vec<_>>();
    let maybe = |g: &dyn Fn(&NoticeView) -> Option<String>| {
        rows.iter().map(|r| g(&r.2)).collect::<Vec<_>>()
    };
    let notices = rows
        .iter()
        .map(|(.., n)| {
            serde_json::to_value(&n.notice).map_err(|e| ProjectionError::Event {
                event_type: "NoticeDelivered".to_owned(),
                why: e.to_string(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    sqlx::query(
        "INSERT INTO notices (announcement_id, notice_id, announcement_number,
             announcement_status, plan_item_id, lot_number, lot_name_ru, direction, remedy, status,
             organizer_bin, inspector_iin, text, delivered_at, acknowledged_at,
             execution_deadline, expires_at, objection_deadline, stopped_on,
             stopped_remaining_days, route, cancellation_only, notice, version)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[],
             $12::text[], $13::text[], $14::timestamptz[], $15::timestamptz[], $16::date[],
             $17::timestamptz[], $18::date[], $19::date[], $20::int[], $21::text[], $22::bool[],
             $23::jsonb[], $24::bigint[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|(.., n)| n.id).collect::<Vec<_>>())
    .bind(text(&|n| n.announcement_number.clone()))
    .bind(text(&|n| {
        n.announcement_status
            .map(|s| s.id().to_owned())
            .unwrap_or_default()
    }))
    .bind(text(&|n| n.plan_item_id.clone()))
    .bind(maybe(&|n| n.lot_number.clone()))
    .bind(maybe(&|n| n.lot_name_ru.clone()))
    .bind(text(&|n| n.direction.id().to_owned()))
    .bind(text(&|n| n.remedy.id().to_owned()))
    .bind(text(&|n| n.status.id().to_owned()))
    .bind(text(&|n| n.organizer_bin.clone().unwrap_or_default()))
    .bind(text(&|n| n.inspector_iin.clone()))
    .bind(text(&|n| n.text.clone()))
    .bind(
        rows.iter()
            .map(|(.., n)| n.delivered_at)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(.., n)| n.acknowledged_at)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(.., n)| n.execution_deadline)
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(.., n)| n.expires_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(.., n)| n.objection_deadline)
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(.., n)| n.stopped_on).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(.., n)| {
                n.stopped_remaining_days
                    .map(|d| i32::try_from(d).unwrap_or(i32::MAX))
            })
            .collect::<Vec<_>>(),
    )
    .bind(maybe(&|n| n.route.clone()))
    .bind(
        rows.iter()
            .map(|(.., n)| n.cancellation_only)
            .collect::<Vec<_>>(),
    )
    .bind(notices)
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn insert_objections(
    tx: &mut PgConnection,
    rows: &[(Uuid, ObjectionView)],
) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    let maybe = |g: &dyn Fn(&ObjectionView) -> Option<String>| {
        rows.iter().map(|(_, o)| g(o)).collect::<Vec<_>>()
    };
    sqlx::query(
        "INSERT INTO objections (announcement_id, objection_id, notice_id, number, status,
             creator_iin, approver_iin, description_ru, description_kz, rejection_reason,
             approved_at, sent_at, conclusion)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[],
             $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::timestamptz[],
             $12::timestamptz[], $13::text[])",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.id).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.notice_id).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, o)| i32::try_from(o.number).unwrap_or(i32::MAX))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, o)| o.status.id().to_owned())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, o)| o.creator_iin.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, o)| o.approver_iin.clone())
            .collect::<Vec<_>>(),
    )
    .bind(maybe(&|o| o.description_ru.clone()))
    .bind(maybe(&|o| o.description_kz.clone()))
    .bind(maybe(&|o| o.rejection_reason.clone()))
    .bind(rows.iter().map(|(_, o)| o.approved_at).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.sent_at).collect::<Vec<_>>())
    .bind(maybe(&|o| o.conclusion.map(|c| c.id().to_owned())))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
