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
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::camera_control::{ExecutionRoute, Notice, Objection};
use zakup_domain::lot::LotSource;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::announcements::clear;
use crate::history::{Change, Folds, Rewrite};
use crate::projection::{Projection, ProjectionError};

pub struct Notices {
    folds: Folds<Fold>,
}

/// An announcement as folded so far, and how many of its events that took.
#[derive(Clone, Default)]
struct Fold {
    announcement: Announcement,
    events: u64,
}

impl Fold {
    /// The stream's version: that of its last event folded.
    fn version(&self) -> i64 {
        self.events as i64 - 1
    }
}

impl Notices {
    pub fn new() -> Self {
        Notices {
            folds: Folds::new(step),
        }
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
                folds.values().filter_map(|c: &Change<Fold>| {
                    Some((c.after.announcement.id?, &c.before, &c.after))
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

/// A notice row as it depends on the announcement: its number, status and organizer, the
/// notice's lot, the notice itself, and the stream's version (so an announcement's notices are
/// rewritten at each of its events, and those without notices never).
type NoticeRow<'a> = (
    Uuid,
    i64,
    &'a str,
    Option<&'static str>,
    Option<String>,
    Option<&'a LotSource>,
    &'a Notice,
);

fn notice_rows<'a>(id: &Uuid, fold: &'a Fold) -> Vec<NoticeRow<'a>> {
    let a = &fold.announcement;
    a.camera_control
        .notices
        .values()
        .map(|n| {
            (
                *id,
                fold.version(),
                a.number.as_str(),
                a.status.map(|s| s.id()),
                a.organizer_bin.map(|b| b.to_string()),
                lot(a, n),
                n,
            )
        })
        .collect()
}

fn objection_rows<'a>(id: &Uuid, fold: &'a Fold) -> Vec<(Uuid, &'a Objection)> {
    fold.announcement
        .camera_control
        .objections
        .values()
        .map(|o| (*id, o))
        .collect()
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
    fold.announcement.apply(&event);
    fold.events += 1;
    Ok(())
}

/// The route's stable id: its serde name (`documentation_change`, `cancellation`, …).
fn route_id(route: &ExecutionRoute) -> Option<String> {
    serde_json::to_value(route)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
}

async fn insert_notices(
    tx: &mut PgConnection,
    rows: &[NoticeRow<'_>],
) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    let text = |g: &dyn Fn(&Notice) -> String| rows.iter().map(|r| g(r.6)).collect::<Vec<_>>();
    let notices = rows
        .iter()
        .map(|(.., n)| {
            serde_json::to_value(n).map_err(|e| ProjectionError::Event {
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
    .bind(rows.iter().map(|(.., n)| n.id.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.3.unwrap_or_default())
            .collect::<Vec<_>>(),
    )
    .bind(text(&|n| n.plan_item_id.0.clone()))
    .bind(
        rows.iter()
            .map(|r| r.5.map(|l| l.lot_number.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.5.map(|l| l.name_ru.as_str()))
            .collect::<Vec<_>>(),
    )
    .bind(text(&|n| n.direction.id().to_owned()))
    .bind(text(&|n| n.remedy.id().to_owned()))
    .bind(text(&|n| n.status.id().to_owned()))
    .bind(
        rows.iter()
            .map(|r| r.4.as_deref().unwrap_or_default())
            .collect::<Vec<_>>(),
    )
    .bind(text(&|n| n.inspector_iin.to_string()))
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
    .bind(
        rows.iter()
            .map(|(.., n)| n.stopped.map(|s| s.on))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(.., n)| {
                n.stopped
                    .map(|s| i32::try_from(s.remaining_working_days).unwrap_or(i32::MAX))
            })
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(.., n)| n.route.as_ref().and_then(route_id))
            .collect::<Vec<_>>(),
    )
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

/// The lot a notice is on, as the announcement knows it.
fn lot<'a>(a: &'a Announcement, n: &Notice) -> Option<&'a LotSource> {
    a.lots.get(&n.plan_item_id).map(|l| &l.source)
}

async fn insert_objections(
    tx: &mut PgConnection,
    rows: &[(Uuid, &Objection)],
) -> Result<(), ProjectionError> {
    if rows.is_empty() {
        return Ok(());
    }
    let maybe = |g: &dyn Fn(&Objection) -> Option<String>| {
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
    .bind(rows.iter().map(|(_, o)| o.id.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, o)| o.notice_id.0).collect::<Vec<_>>())
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
            .map(|(_, o)| o.creator_iin.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, o)| o.approver_iin.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(maybe(&|o| o.description_ru.clone()))
    .bind(maybe(&|o| o.description_kz.clone()))
    .bind(maybe(&|o| o.rejection_reason.clone()))
    .bind(
        rows.iter()
            .map(|(_, o)| o.approval.as_ref().map(|a| a.approved_at))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, o)| o.delivered_at).collect::<Vec<_>>())
    .bind(maybe(&|o| o.conclusion.map(|c| c.id().to_owned())))
    .execute(&mut *tx)
    .await?;
    Ok(())
}
