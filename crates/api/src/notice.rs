//! Camera control as the read models show it (spec 000-D §4): «Журнал уведомлений» of an
//! organisation, each announcement's notices, objections and camera-control timeline, and the
//! `newNotice` subscription.
//!
//! Who reads what: the inspectors and the Audit Committee see every notice; the organizer's
//! organisation sees its own; suppliers (and anyone else) see none. The days left are computed
//! for "now" on the engine's clock, with the domain's own rule, from the notice the projection
//! folded.

use std::collections::BTreeSet;

use async_graphql::connection::Connection;
use async_graphql::{
    ComplexObject, Context, ErrorExtensions, Object, Result, SimpleObject,
    Subscription as GqlSubscription,
};
use chrono::{DateTime, NaiveDate, Utc};
use futures::{Stream, StreamExt};
use sqlx::Row;
use sqlx::postgres::PgRow;
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;
use zakup_domain::camera_control::{
    CameraControlEvent, Direction, Notice as DomainNotice, NoticeStatus, ObjectionStatus, Remedy,
};
use zakup_domain::error::DomainError;
use zakup_domain::ident::Bin;
use zakup_domain::status::AnnouncementStatus;
use zakup_projections::views::ObjectionView;

use crate::AppState;
use crate::audit::TimelineEntry;
use crate::auth::Principal;
use crate::page::{app, connection, reach, viewer};
use crate::refusal;
use crate::term::{self, PortalTerm, Term};

impl PortalTerm for NoticeStatus {
    const ALL: &'static [Self] = NoticeStatus::ALL;
    fn id(self) -> &'static str {
        NoticeStatus::id(self)
    }
    fn original(self) -> &'static str {
        NoticeStatus::original(self)
    }
}

impl PortalTerm for ObjectionStatus {
    const ALL: &'static [Self] = ObjectionStatus::ALL;
    fn id(self) -> &'static str {
        ObjectionStatus::id(self)
    }
    fn original(self) -> &'static str {
        ObjectionStatus::original(self)
    }
}

/// «Осталось дней»: the journal shows calendar days (L10972–10976); the rules count working days.
#[derive(SimpleObject, Debug, Clone, Copy, PartialEq, Eq)]
pub struct RemainingDays {
    pub calendar_days: i32,
    pub working_days: i32,
}

impl From<zakup_domain::camera_control::RemainingDays> for RemainingDays {
    fn from(d: zakup_domain::camera_control::RemainingDays) -> Self {
        RemainingDays {
            calendar_days: i32::try_from(d.calendar_days).unwrap_or(i32::MAX),
            working_days: i32::try_from(d.working_days).unwrap_or(i32::MAX),
        }
    }
}

/// One notice on one lot, as «Журнал уведомлений» lists it.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
#[graphql(complex)]
pub struct Notice {
    pub id: Uuid,
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub announcement_status: Term,
    pub plan_item_id: String,
    pub lot_number: Option<String>,
    pub lot_name_ru: Option<String>,
    /// `1`–`4`, «первое» … «четвертое».
    pub direction: Term,
    /// «Способ устранения нарушения».
    pub remedy: Term,
    /// One of the 11 statuses of spec §3.7, e.g. «Не исполнено. Ознакомлен».
    pub status: Term,
    pub organizer_bin: String,
    pub inspector_iin: String,
    pub text: String,
    pub delivered_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// «Срок окончания исполнения уведомления»: the last day (Astana) of the countdown.
    pub execution_deadline: NaiveDate,
    /// The instant the countdown ends (the end of that day).
    pub expires_at: DateTime<Utc>,
    /// The last day (Astana) on which an objection can be sent.
    pub objection_deadline: NaiveDate,
    /// The day (Astana) a delivered objection stopped the countdown.
    pub stopped_on: Option<NaiveDate>,
    /// `documentation_change`, `cancellation`, `ppd_revision` or `results_revision`, once the
    /// organizer has chosen how to execute it.
    pub route: Option<String>,
    /// Only cancelling the procurement can still execute it (after expiry, or continuing without).
    pub cancellation_only: bool,
    /// The days left now; null when no countdown runs (in execution, executed, expired).
    pub remaining_days: Option<RemainingDays>,
}

#[ComplexObject]
impl Notice {
    /// The objection to this notice, if one was made (deleted drafts are gone).
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>> {
        objections(&app(ctx).pool, self.announcement_id, Some(self.id)).await
    }
}

/// An objection to a notice, as «Журнал возражений» lists it.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Objection {
    pub id: Uuid,
    pub notice_id: Uuid,
    /// «№ возражения».
    pub number: i32,
    /// One of the 6 statuses of spec §3.8.
    pub status: Term,
    pub creator_iin: String,
    pub approver_iin: String,
    pub description_ru: Option<String>,
    pub description_kz: Option<String>,
    pub rejection_reason: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    /// Delivered to the Committee (signed).
    pub sent_at: Option<DateTime<Utc>>,
    /// The Committee's conclusion, `positive` or `negative`.
    pub conclusion: Option<Term>,
}

impl From<ObjectionView> for Objection {
    /// An objection as the views show it (the auditors' replay).
    fn from(o: ObjectionView) -> Self {
        Objection {
            id: o.id,
            notice_id: o.notice_id,
            number: i32::try_from(o.number).unwrap_or(i32::MAX),
            status: Term::of(o.status),
            creator_iin: o.creator_iin,
            approver_iin: o.approver_iin,
            description_ru: o.description_ru,
            description_kz: o.description_kz,
            rejection_reason: o.rejection_reason,
            approved_at: o.approved_at,
            sent_at: o.sent_at,
            conclusion: o.conclusion.map(Term::of),
        }
    }
}

/// Camera control of one announcement.
#[derive(SimpleObject, Debug, Clone)]
pub struct AnnouncementNotices {
    pub announcement_id: Uuid,
    pub notices: Vec<Notice>,
    pub objections: Vec<Objection>,
    /// The camera-control events of the announcement, oldest first: who delivered,
    /// acknowledged, objected, concluded, executed, and when.
    pub timeline: Vec<TimelineEntry>,
}

/// What a viewer may read of camera control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reader {
    /// Inspectors and the Audit Committee: every notice.
    Auditor,
    /// The employees of an organisation: the notices on its own procurements.
    Organisation(String),
    /// Suppliers and everyone else: none.
    Nobody,
}

impl Reader {
    /// Anonymous viewers (the auditors' history allows them) read no camera control.
    pub(crate) fn of_viewer(who: Option<&Principal>) -> Reader {
        who.map_or(Reader::Nobody, Reader::of)
    }

    fn of(who: &Principal) -> Reader {
        let has = |role: &str| who.roles.iter().any(|r| r == role);
        if has("inspector") || has("audit_committee") {
            Reader::Auditor
        } else if has("organizer") || has("org_admin") || has("customer") {
            Reader::Organisation(who.org_bin.clone())
        } else {
            Reader::Nobody
        }
    }

    pub(crate) fn reads(&self, organizer_bin: &str) -> bool {
        match self {
            Reader::Auditor => true,
            Reader::Organisation(org) => org == organizer_bin,
            Reader::Nobody => false,
        }
    }
}

fn reader(ctx: &Context<'_>) -> Result<Reader> {
    viewer(ctx)?
        .map(Reader::of)
        .ok_or_else(|| refusal::unauthenticated("no bearer token"))
}

#[derive(Default)]
pub struct NoticeQuery;

#[Object]
impl NoticeQuery {
    /// «Журнал уведомлений» of the organisation `orgBin`, newest first, optionally of one
    /// status. Empty for a viewer who may not read it.
    async fn notices(
        &self,
        ctx: &Context<'_>,
        org_bin: String,
        status: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, Notice>> {
        let reader = reader(ctx)?;
        reach(ctx, "announcement", min_position).await?;
        let org = org_bin
            .parse::<Bin>()
            .map(|b| b.to_string())
            .map_err(|e| refusal::domain(&e.into_domain(zakup_domain::ident::IdKind::Bin)))
            .map_err(|e| e.extend_with(|_, x| x.set("field", "orgBin")))?;
        let status = status
            .map(|s| {
                term::parse::<NoticeStatus>(&s)
                    .map(|t| t.id())
                    .ok_or_else(|| {
                        refusal::invalid_input(
                            "status",
                            format!("{s:?} is not one of {}", term::ids::<NoticeStatus>()),
                        )
                    })
            })
            .transpose()?;
        let state = app(ctx);
        let readable = reader.reads(&org);
        connection(after, first, |offset, limit| async move {
            if !readable {
                return Ok(Vec::new());
            }
            let rows = sqlx::query(&format!(
                "SELECT {COLUMNS} FROM rm.notices
                  WHERE organizer_bin = $1 AND ($2::text IS NULL OR status = $2)
                  ORDER BY delivered_at DESC, notice_id OFFSET $3 LIMIT $4"
            ))
            .bind(&org)
            .bind(status)
            .bind(offset)
            .bind(limit)
            .fetch_all(&state.pool)
            .await
            .map_err(refusal::read_models)?;
            rows.iter().map(|r| from_row(state, r)).collect()
        })
        .await
    }

    /// The notices, objections and camera-control timeline of one announcement; null for a
    /// viewer who may not read them.
    async fn announcement_notices(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        min_position: Option<String>,
    ) -> Result<Option<AnnouncementNotices>> {
        let reader = reader(ctx)?;
        reach(ctx, "announcement", min_position).await?;
        let state = app(ctx);
        let organizer: Option<String> = sqlx::query_scalar(
            "SELECT organizer_bin FROM rm.announcements WHERE announcement_id = $1",
        )
        .bind(id)
        .fetch_optional(&state.pool)
        .await
        .map_err(refusal::read_models)?;
        match organizer {
            Some(org) if reader.reads(&org) => {}
            _ => return Ok(None),
        }
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM rm.notices WHERE announcement_id = $1
              ORDER BY delivered_at, notice_id"
        ))
        .bind(id)
        .fetch_all(&state.pool)
        .await
        .map_err(refusal::read_models)?;
        let notices = rows
            .iter()
            .map(|r| from_row(state, r))
            .collect::<Result<_>>()?;
        Ok(Some(AnnouncementNotices {
            announcement_id: id,
            notices,
            objections: objections(&state.pool, id, None).await?,
            timeline: timeline(&state.pool, id).await?,
        }))
    }
}

#[derive(Default)]
pub struct NoticeSubscription;

#[GqlSubscription]
impl NoticeSubscription {
    /// A notice delivered on a procurement of the viewer's organisation (every notice for the
    /// inspectors and the Committee), once the read models hold it.
    async fn new_notice(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Notice> + use<>> {
        let reader = reader(ctx)?;
        let slot = crate::feeds::feeds(ctx).admit(ctx, crate::page::viewer(ctx)?)?;
        let state = app(ctx).clone();
        let rx = state.daemon.subscribe();
        let notices = futures::stream::unfold(rx, move |mut rx| {
            let (state, reader) = (state.clone(), reader.clone());
            async move {
                loop {
                    let applied = match rx.recv().await {
                        Ok(applied) => applied,
                        Err(RecvError::Lagged(_)) => continue,
                        Err(RecvError::Closed) => return None,
                    };
                    if applied.projection != "notices" {
                        continue;
                    }
                    let mut fresh = Vec::new();
                    for e in applied.events.iter().filter(|e| {
                        e.event_type == "NoticeDelivered"
                            && e.payload["organizer_bin"]
                                .as_str()
                                .is_some_and(|org| reader.reads(org))
                    }) {
                        let announcement = e
                            .stream_id
                            .as_str()
                            .strip_prefix("announcement-")
                            .and_then(|id| id.parse::<Uuid>().ok());
                        let notice = e.payload["notice_id"]
                            .as_str()
                            .and_then(|id| id.parse::<Uuid>().ok());
                        if let (Some(a), Some(n)) = (announcement, notice)
                            && let Ok(Some(found)) = one(&state, a, n).await
                        {
                            fresh.push(found);
                        }
                    }
                    if !fresh.is_empty() {
                        return Some((futures::stream::iter(fresh), rx));
                    }
                }
            }
        });
        Ok(crate::feeds::holding(notices.flatten(), slot))
    }
}

const COLUMNS: &str = "announcement_id, notice_id, announcement_number, announcement_status, \
    plan_item_id, lot_number, lot_name_ru, direction, remedy, status, organizer_bin, \
    inspector_iin, text, delivered_at, acknowledged_at, execution_deadline, expires_at, \
    objection_deadline, stopped_on, route, cancellation_only, notice";

/// One notice, if it is still on that announcement (not handed over to a copy).
async fn one(state: &AppState, announcement: Uuid, notice: Uuid) -> Result<Option<Notice>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM rm.notices WHERE announcement_id = $1 AND notice_id = $2"
    ))
    .bind(announcement)
    .bind(notice)
    .fetch_optional(&state.pool)
    .await
    .map_err(refusal::read_models)?;
    row.map(|r| from_row(state, &r)).transpose()
}

fn from_row(state: &AppState, r: &PgRow) -> Result<Notice> {
    let db = refusal::read_models;
    let folded: serde_json::Value = r.try_get("notice").map_err(db)?;
    let remaining = match serde_json::from_value::<DomainNotice>(folded) {
        Ok(notice) => notice
            .remaining_days(state.engine.clock().now(), state.engine.calendar())
            .map_err(|e| refusal::domain(&DomainError::from(e)))?
            .map(RemainingDays::from),
        Err(e) => return Err(db(sqlx::Error::Decode(Box::new(e)))),
    };
    Ok(Notice {
        id: r.try_get("notice_id").map_err(db)?,
        announcement_id: r.try_get("announcement_id").map_err(db)?,
        announcement_number: r.try_get("announcement_number").map_err(db)?,
        announcement_status: Term::stored::<AnnouncementStatus>(
            &r.try_get::<String, _>("announcement_status").map_err(db)?,
        ),
        plan_item_id: r.try_get("plan_item_id").map_err(db)?,
        lot_number: r.try_get("lot_number").map_err(db)?,
        lot_name_ru: r.try_get("lot_name_ru").map_err(db)?,
        direction: Term::stored::<Direction>(&r.try_get::<String, _>("direction").map_err(db)?),
        remedy: Term::stored::<Remedy>(&r.try_get::<String, _>("remedy").map_err(db)?),
        status: Term::stored::<NoticeStatus>(&r.try_get::<String, _>("status").map_err(db)?),
        organizer_bin: r.try_get("organizer_bin").map_err(db)?,
        inspector_iin: r.try_get("inspector_iin").map_err(db)?,
        text: r.try_get("text").map_err(db)?,
        delivered_at: r.try_get("delivered_at").map_err(db)?,
        acknowledged_at: r.try_get("acknowledged_at").map_err(db)?,
        execution_deadline: r.try_get("execution_deadline").map_err(db)?,
        expires_at: r.try_get("expires_at").map_err(db)?,
        objection_deadline: r.try_get("objection_deadline").map_err(db)?,
        stopped_on: r.try_get("stopped_on").map_err(db)?,
        route: r.try_get("route").map_err(db)?,
        cancellation_only: r.try_get("cancellation_only").map_err(db)?,
        remaining_days: remaining,
    })
}

type ObjectionRow = (
    Uuid,
    Uuid,
    i32,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
    Option<String>,
);

/// The objections of an announcement, or of one of its notices, by number.
async fn objections(
    pool: &sqlx::PgPool,
    announcement: Uuid,
    notice: Option<Uuid>,
) -> Result<Vec<Objection>> {
    let rows: Vec<ObjectionRow> = sqlx::query_as(
        "SELECT objection_id, notice_id, number, status, creator_iin, approver_iin,
                description_ru, description_kz, rejection_reason, approved_at, sent_at, conclusion
           FROM rm.objections
          WHERE announcement_id = $1 AND ($2::uuid IS NULL OR notice_id = $2)
          ORDER BY number",
    )
    .bind(announcement)
    .bind(notice)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    Ok(rows
        .into_iter()
        .map(|r| Objection {
            id: r.0,
            notice_id: r.1,
            number: r.2,
            status: Term::stored::<ObjectionStatus>(&r.3),
            creator_iin: r.4,
            approver_iin: r.5,
            description_ru: r.6,
            description_kz: r.7,
            rejection_reason: r.8,
            approved_at: r.9,
            sent_at: r.10,
            conclusion: r
                .11
                .map(|c| Term::stored::<zakup_domain::camera_control::Conclusion>(&c)),
        })
        .collect())
}

type TimelineRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<String>,
);

/// The camera-control events of the announcement, from the timeline read model. None of them is
/// sealed: only other suppliers' application events are.
async fn timeline(pool: &sqlx::PgPool, announcement: Uuid) -> Result<Vec<TimelineEntry>> {
    let types: Vec<&str> = CameraControlEvent::TYPES.iter().map(|(t, _)| *t).collect();
    let rows: Vec<TimelineRow> = sqlx::query_as(
        "SELECT version, event_type, actor_user_id, actor_iin, actor_org_bin, actor_role,
                occurred_at, recorded_at, reason
           FROM rm.timeline
          WHERE stream_id = $1 AND event_type = ANY($2)
          ORDER BY version",
    )
    .bind(format!("announcement-{announcement}"))
    .bind(&types)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    Ok(rows
        .into_iter()
        .map(|r| TimelineEntry {
            version: r.0,
            event_type: r.1,
            actor_user_id: Some(r.2),
            actor_iin: Some(r.3),
            actor_org_bin: Some(r.4),
            actor_role: r.5,
            occurred_at: r.6,
            recorded_at: r.7,
            reason: r.8,
        })
        .collect())
}

/// The announcements with a notice delivered to the organisation `org` and not yet acknowledged
/// (`NoticeStatus::is_unread`): what an unread notice blocks the organisation's commands with on
/// the whole portal (L11082–11088, docs/decisions/0310). One query on the index
/// `notices_by_organizer_status`, run before every command.
pub async fn unread_announcements(
    pool: &sqlx::PgPool,
    org: Bin,
) -> Result<BTreeSet<Uuid>, sqlx::Error> {
    let unread: Vec<&str> = NoticeStatus::ALL
        .iter()
        .filter(|s| s.is_unread())
        .map(|s| s.id())
        .collect();
    let ids: Vec<Uuid> = sqlx::query_scalar(
        "SELECT DISTINCT announcement_id FROM rm.notices
          WHERE organizer_bin = $1 AND status = ANY($2)",
    )
    .bind(org.to_string())
    .bind(unread)
    .fetch_all(pool)
    .await?;
    Ok(ids.into_iter().collect())
}
