//! The auditors' history: an announcement as of any version or instant, replayed from the event
//! store through the engine (never from the read models, so it is right even during a rebuild),
//! with its protocols as they were valid then, its camera-control notices as they stood then (with
//! the days their countdowns had left), and every event with its metadata. What it shows of the
//! state is the read models' own views (`zakup_projections::views`), built from the replayed
//! fold, so it shows as of version N what the read models showed at N, sealed the same way; it is
//! served as the one `Announcement` type (docs/decisions/0654). Also the timeline read model: who
//! did what, when, and why.

use async_graphql::connection::Connection;
use async_graphql::{Context, Json, Object, OneofObject, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use zakup_domain::announcement::{Announcement as State, AnnouncementEvent};
use zakup_domain::calendar::Calendar;
use zakup_domain::error::DomainError;
use zakup_projections::history::AnnouncementFold;
use zakup_projections::views::{
    AnnouncementView, ApplicationView, LotView, NoticeView, ObjectionView, ProtocolView,
    ScreenView, VotesFixed, VotingView,
    visibility::{self, Shown, Viewer, Visibility},
    voting::VOTE_EVENTS,
};
use zakup_store::{Position, RecordedEvent, StreamRange};

use crate::announcement::Announcement;
use crate::application::Application;
use crate::lot::Lot;
use crate::notice::{Objection, Reader, RemainingDays};
use crate::page::{app, connection, viewer_org};
use crate::protocol::Protocol;
use crate::refusal;
use crate::screen::AnnouncementDetails;
use crate::term::Term;
use crate::vote::{CommissionMember, Vote, VotingControlLot};

/// Where in an announcement's history to stop: a stream version (0-based) or an instant (the
/// store's commit time, inclusive).
#[derive(OneofObject, Debug, Clone, Copy)]
pub enum AsOf {
    Version(i64),
    Instant(DateTime<Utc>),
}

#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// One announcement by id: from the read models (having waited until they include the
    /// stream's last event), or replayed from the event store as of `asOf`. The same type either
    /// way. Null when it did not exist (yet), has no header yet, or is a draft of another
    /// organisation.
    async fn announcement(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
        as_of: Option<AsOf>,
    ) -> Result<Option<Announcement>> {
        let (range, at) = match as_of {
            None => return crate::announcement::by_id(ctx, id).await,
            Some(AsOf::Version(v)) if v < 0 => {
                return Err(refusal::invalid_input(
                    "asOf.version",
                    "versions start at 0",
                ));
            }
            // The viewer's numbers skip the events sealed from it (decision 0670).
            Some(AsOf::Version(v)) => (Cut::PublicVersion(v), At::LastEvent),
            Some(AsOf::Instant(t)) => (Cut::Stream(StreamRange::up_to_instant(t)), At::Instant(t)),
        };
        Ok(replay(ctx, id, range, at)
            .await?
            .and_then(|r| Announcement::replayed(id, r)))
    }
}

/// Where a replay stops.
pub enum Cut {
    /// A range of the stream, its versions the stream's.
    Stream(StreamRange),
    /// Up to a version as the viewer numbers it: before opening, its numbers skip the events
    /// sealed from it (decision 0670).
    PublicVersion(i64),
}

/// The instant a replay stands at, where the notices' days left and the available actions are
/// counted.
#[derive(Debug, Clone, Copy)]
pub enum At {
    /// Now, by the engine's clock: the read models' view.
    Now,
    /// `asOf.instant`.
    Instant(DateTime<Utc>),
    /// The moment the last replayed event the viewer may see was decided (the engine's clock,
    /// as the rules saw it), or now when there is none: `asOf.version`.
    LastEvent,
}

/// What a replay knows that the read models' tables do not keep: the history up to the view.
pub struct History {
    /// The instant the view stands at.
    pub at: DateTime<Utc>,
    /// When the last replayed event the viewer may see was recorded.
    pub recorded_at: Option<DateTime<Utc>>,
    pub events: Vec<HistoryEvent>,
    pub notices: Vec<NoticeAsOf>,
    pub objections: Vec<Objection>,
    pub deadlines: Vec<Deadline>,
    pub available_actions: Vec<crate::actions::AvailableAction>,
}

/// The rows the read models hold for an announcement, as the replay derives them.
pub struct Rows {
    pub lots: Vec<Lot>,
    pub applications: Vec<Application>,
    pub commission: Vec<CommissionMember>,
    pub votes: Vec<Vote>,
    pub voting_control: Vec<VotingControlLot>,
    pub protocols: Vec<Protocol>,
    pub details: AnnouncementDetails,
    /// The auction's bidding as it stood at the view's instant (decision 0711).
    pub auction: Option<crate::auction::Auction>,
}

/// An announcement replayed from its stream.
pub struct Replay {
    pub header: AnnouncementView,
    /// The stream's version of the last event replayed.
    pub version: u64,
    /// That version as the viewer may know it: less, before opening, the events sealed from it
    /// (decision 0670).
    pub public_version: i64,
    /// The members' votes are fixed by a published protocol (decision 0672).
    pub votes_fixed: bool,
    /// The position of the last event replayed: what the read models must reach to show it.
    pub position: Position,
    /// When the draft (or the index-2 copy) was made, as the read model records it.
    pub drafted_at: DateTime<Utc>,
    /// When the last event replayed was decided, as the read model's `updatedAt`.
    pub updated_at: DateTime<Utc>,
    pub history: History,
    pub rows: Rows,
}

/// Announcement `id` replayed over `range`, as the viewer may see it; none when the stream is
/// empty there or holds a draft of another organisation.
pub async fn replay(ctx: &Context<'_>, id: Uuid, cut: Cut, at: At) -> Result<Option<Replay>> {
    let viewer = viewer_org(ctx)?;
    let loaded = match cut {
        Cut::Stream(range) => app(ctx).engine.load::<State>(&id.to_string(), range).await,
        Cut::PublicVersion(v) => {
            crate::sealed::up_to_public_version(app(ctx), id, v, viewer.as_deref()).await
        }
    }
    .map_err(|e| refusal::engine(&e))?;
    let state = loaded.state;
    let (Some(version), Some(first), Some(last)) =
        (loaded.version, loaded.events.first(), loaded.events.last())
    else {
        return Ok(None);
    };
    let organizer = state.organizer_bin.map(|b| b.to_string());
    let draft = state
        .status
        .is_some_and(zakup_domain::status::AnnouncementStatus::is_draft);
    if draft && (viewer.is_none() || viewer != organizer) {
        return Ok(None);
    }
    let header = AnnouncementView::of(&state);
    // Camera control is read by the auditors and the organizer's organisation only, in the
    // history as in «Журнал уведомлений».
    let reader = Reader::of_viewer(crate::page::viewer(ctx)?);
    let camera_readable = organizer.as_deref().is_some_and(|org| reader.reads(org));
    // What each event shows is the visibility table's: another supplier's application events
    // are left out before opening, as the timeline leaves them out (neither their number nor
    // their instants show); camera control and a discussion request's sender are shown only
    // to the auditors and the organizer's organisation (and the sender).
    let who = Viewer {
        org: viewer.as_deref(),
        oversees: camera_readable,
    };
    // Their versions skip them, as the read model's do (decision 0670).
    let (shown, hidden) = crate::sealed::replayed(&loaded.events, header.opened, who);
    let visible: Vec<&RecordedEvent> = shown.iter().map(|r| r.event).collect();
    // The ИИН of the actors and in the payloads, like the members' (decision 0671).
    let reads = crate::vote::reads_personal_data(&reader, organizer.as_deref());
    // The votes until a published protocol fixes them, like the read model (decision 0672).
    let fixed = VotesFixed::of(loaded.events.iter().map(|e| e.event_type.as_str())).fixed;
    let reads_votes = crate::vote::reads_votes(reads, fixed);
    let events = shown
        .iter()
        .map(|r| HistoryEvent::of(r, reads, reads_votes))
        .collect();
    let engine = &app(ctx).engine;
    let at_kind = at;
    let at = match at {
        At::Now => engine.clock().now(),
        At::Instant(t) => t,
        At::LastEvent => visible
            .last()
            .map_or_else(|| engine.clock().now(), |e| e.metadata.occurred_at),
    };
    let (notices, objections) = if camera_readable {
        (
            NoticeView::all(&state)
                .into_iter()
                .map(|n| NoticeAsOf::of(n, at, engine.calendar()))
                .collect::<Result<_>>()?,
            ObjectionView::all(&state)
                .into_iter()
                .map(Objection::from)
                .collect(),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut voting = VotingView::of(&state);
    if !reads_votes {
        voting.votes.clear();
        voting.control.clear();
    }
    let (commission, votes) = crate::vote::for_reader(
        voting.commission.into_iter().map(Into::into).collect(),
        voting.votes.into_iter().map(Into::into).collect(),
        reads,
    );
    let available_actions = crate::actions::available(ctx, &state, at).await?;
    // The bid history as of the same instant: the bidding stream is replayed up to it.
    let auction = match state.procedure.auction() {
        Some(_) => {
            let range = match at_kind {
                At::Now => StreamRange::all(),
                At::Instant(_) | At::LastEvent => StreamRange::up_to_instant(at),
            };
            let bidding = crate::auction::bidding(app(ctx), id, range).await?;
            crate::auction::shown(ctx, id, &state, &bidding, at)?
        }
        None => None,
    };
    let mut lots: Vec<Lot> = LotView::all(&state)
        .into_iter()
        .map(|l| Lot::of(id, l))
        .collect();
    crate::actions::fill_lots(ctx, &state, &mut lots, at).await?;
    Ok(Some(Replay {
        version,
        public_version: version as i64 - hidden,
        votes_fixed: fixed,
        position: last.position,
        drafted_at: drafted_at(first).unwrap_or(first.metadata.occurred_at),
        // The instant of the last event the viewer may see, as the read model's (0670).
        updated_at: visible
            .last()
            .map_or(first.metadata.occurred_at, |e| e.metadata.occurred_at),
        history: History {
            at,
            recorded_at: visible.last().map(|e| e.recorded_at),
            events,
            notices,
            objections,
            deadlines: deadlines(&state),
            available_actions,
        },
        rows: Rows {
            lots,
            applications: ApplicationView::visible(&state, viewer.as_deref())
                .into_iter()
                .map(Application::from)
                .collect(),
            commission,
            votes,
            voting_control: voting.control.into_iter().map(Into::into).collect(),
            protocols: ProtocolView::all(&state)
                .into_iter()
                .map(Protocol::from)
                .collect(),
            details: ScreenView::of(&state).into(),
            auction,
        },
        header,
    }))
}

/// When the stream's first event made the draft or the copy, as the read model takes it.
fn drafted_at(first: &RecordedEvent) -> Option<DateTime<Utc>> {
    let event =
        AnnouncementFold::decode(&first.event_type, first.schema_version, &first.payload).ok()?;
    match event {
        AnnouncementEvent::AnnouncementDrafted(e) => Some(e.drafted_at),
        AnnouncementEvent::AnnouncementCopyCreated(e) => Some(e.created_at),
        AnnouncementEvent::SingleSourceCreated(e) => Some(e.drafted.drafted_at),
        _ => None,
    }
}

/// The timed transitions due next, as the scheduler sees them.
fn deadlines(state: &State) -> Vec<Deadline> {
    state
        .deadlines()
        .into_iter()
        .map(|d| Deadline {
            transition: serde_json::to_value(d.transition)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            at: d.at,
        })
        .collect()
}

/// A notice as the replayed announcement held it, with the days its countdown had left at the
/// view's instant (frozen while an objection was pending, L11356; resumed after a negative
/// conclusion, L11382–11386).
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct NoticeAsOf {
    pub id: Uuid,
    pub plan_item_id: String,
    pub direction: Term,
    pub remedy: Term,
    /// One of the 11 statuses of spec §3.7, as it was then.
    pub status: Term,
    /// Not yet in a final status (executed, pending or refused confirmation, positive conclusion).
    pub open: bool,
    pub delivered_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// «Срок окончания исполнения уведомления» as it stood then.
    pub execution_deadline: NaiveDate,
    pub expires_at: DateTime<Utc>,
    /// The day (Astana) a delivered objection stopped the countdown, while it was stopped.
    pub stopped_on: Option<NaiveDate>,
    /// The execution route chosen by then, if any.
    pub route: Option<String>,
    pub cancellation_only: bool,
    /// The days left at the view's instant; null when no countdown ran then.
    pub remaining_days: Option<RemainingDays>,
}

impl NoticeAsOf {
    fn of(n: NoticeView, at: DateTime<Utc>, calendar: &Calendar) -> Result<NoticeAsOf> {
        let remaining = n
            .notice
            .remaining_days(at, calendar)
            .map_err(|e| refusal::domain(&DomainError::from(e)))?;
        Ok(NoticeAsOf {
            id: n.id,
            plan_item_id: n.plan_item_id,
            direction: Term::of(n.direction),
            remedy: Term::of(n.remedy),
            status: Term::of(n.status),
            open: !n.status.is_final(),
            delivered_at: n.delivered_at,
            acknowledged_at: n.acknowledged_at,
            execution_deadline: n.execution_deadline,
            expires_at: n.expires_at,
            stopped_on: n.stopped_on,
            route: n.route,
            cancellation_only: n.cancellation_only,
            remaining_days: remaining.map(RemainingDays::from),
        })
    }
}

#[derive(SimpleObject, Debug, Clone)]
pub struct Deadline {
    /// `end_discussion`, `start_acceptance`, `end_acceptance`, `end_supplement_period`.
    pub transition: String,
    pub at: DateTime<Utc>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct EventActor {
    pub user_id: String,
    /// For the organizer's staff and the auditors only (decision 0671).
    pub iin: Option<String>,
    pub org_bin: String,
    /// The roles held when acting, comma-separated.
    pub role: String,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct HistoryEvent {
    /// As the viewer may know it, like `AnnouncementAsOf.version`.
    pub version: i64,
    pub event_id: Uuid,
    pub event_type: String,
    pub schema_version: i32,
    /// Null while sealed: a camera-control event for a viewer who may not read camera control,
    /// a vote not yet fixed by a published protocol for anyone but the organizer's staff and the
    /// auditors (decision 0672).
    /// A discussion request's payload leaves out its sender (`supplier_bin`) for everyone but
    /// the sender, the organizer's organisation and the auditors.
    pub payload: Option<Json<serde_json::Value>>,
    pub sealed: bool,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// Global position, `major:minor`.
    pub position: String,
    pub command_id: Uuid,
    pub correlation_id: Uuid,
    pub causation_id: Option<Uuid>,
    /// Null while sealed, like the payload, and where the sender is private.
    pub actor: Option<EventActor>,
    /// SHA-256 chaining this event to the previous one of its stream; null where that one is
    /// sealed from the viewer (decision 0670).
    pub hash: Option<String>,
}

impl HistoryEvent {
    /// `reads`: the viewer reads personal data (the ИИН); `reads_votes`: the votes.
    fn of(r: &crate::sealed::Replayed<'_>, reads: bool, reads_votes: bool) -> HistoryEvent {
        let e = r.event;
        let shown = if !reads_votes && VOTE_EVENTS.contains(&e.event_type.as_str()) {
            Shown::Sealed
        } else {
            r.shown
        };
        let sealed = shown == Shown::Sealed;
        let mut payload = match shown {
            Shown::Hidden | Shown::Sealed => None,
            Shown::WithoutSender(field) => {
                let mut payload = e.payload.clone();
                if let Some(fields) = payload.as_object_mut() {
                    fields.remove(field);
                }
                Some(Json(payload))
            }
            Shown::Whole => Some(Json(e.payload.clone())),
        };
        if let (Some(Json(p)), false) = (payload.as_mut(), reads) {
            crate::personal::payload(p);
        }
        HistoryEvent {
            version: r.version,
            event_id: e.event_id,
            event_type: e.event_type.clone(),
            schema_version: e.schema_version as i32,
            payload,
            sealed,
            occurred_at: e.metadata.occurred_at,
            recorded_at: e.recorded_at,
            position: e.position.to_string(),
            command_id: e.metadata.command_id,
            correlation_id: e.metadata.correlation_id,
            causation_id: e.metadata.causation_id,
            actor: (shown == Shown::Whole).then(|| EventActor {
                user_id: e.metadata.actor.user_id.clone(),
                iin: reads.then(|| e.metadata.actor.iin.clone()),
                org_bin: e.metadata.actor.org_bin.clone(),
                role: e.metadata.actor.role.clone(),
            }),
            hash: (!r.follows_sealed).then(|| e.hash.clone()),
        }
    }
}

/// One row of the timeline read model.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct TimelineEntry {
    pub version: i64,
    pub event_type: String,
    /// Null where the actor is private: a discussion request's sender, for everyone but the
    /// sender, the organizer's organisation and the auditors.
    pub actor_user_id: Option<String>,
    /// Also null for anyone but the organizer's staff and the auditors (decision 0671).
    pub actor_iin: Option<String>,
    pub actor_org_bin: Option<String>,
    pub actor_role: String,
    pub occurred_at: DateTime<Utc>,
    pub recorded_at: DateTime<Utc>,
    /// The reason the actor gave, if the event records one.
    pub reason: Option<String>,
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
    bool,
);

/// Every event of the announcement but, before opening, other suppliers' application events:
/// who applied stays sealed until then; and camera-control events only for the auditors and the
/// organizer's organisation (an objection's rejection reason is internal to it). Up to version
/// `up_to`, sealed as the view at that version is (`opened`): the announcement's, so the
/// timeline stands where the rest of the view stands.
pub async fn timeline(
    ctx: &Context<'_>,
    id: Uuid,
    (up_to, opened): (i64, bool),
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<usize, TimelineEntry>> {
    let pool = &app(ctx).pool;
    let viewer = viewer_org(ctx)?;
    let stream = format!("announcement-{id}");
    let sealed = visibility::types(Visibility::SealedUntilOpening);
    let camera = visibility::types(Visibility::CameraControl);
    let (auditor, reading_org) = match Reader::of_viewer(crate::page::viewer(ctx)?) {
        Reader::Auditor => (true, None),
        Reader::Organisation(org) => (false, Some(org)),
        Reader::Nobody => (false, None),
    };
    connection(after, first, |offset, limit| async move {
        let rows: Vec<TimelineRow> = sqlx::query_as(
            // Up to the view's version; before opening, other organisations' application events
            // are hidden, and the versions shown skip them (decision 0670).
            "WITH a AS (SELECT $8 OR coalesce(bool_or(organizer_bin = $9), false) AS oversees
                          FROM rm.announcements WHERE announcement_id = $6),
                  h AS (SELECT t.*, t.event_type = ANY($4) AND t.actor_org_bin IS DISTINCT FROM $5
                                    AND NOT $11 AS hidden
                          FROM rm.timeline t WHERE stream_id = $1 AND version <= $10),
                  n AS (SELECT h.*, count(*) FILTER (WHERE hidden) OVER (ORDER BY version) AS before
                          FROM h)
             SELECT version - before, event_type, actor_user_id, actor_iin, actor_org_bin,
                    actor_role, occurred_at, recorded_at, reason, (SELECT oversees FROM a)
               FROM n
              WHERE NOT hidden AND (event_type <> ALL($7) OR (SELECT oversees FROM a))
              ORDER BY version OFFSET $2 LIMIT $3",
        )
        .bind(&stream)
        .bind(offset)
        .bind(limit)
        .bind(&sealed)
        .bind(viewer.clone())
        .bind(id)
        .bind(&camera)
        .bind(auditor)
        .bind(reading_org)
        .bind(up_to)
        .bind(opened)
        .fetch_all(pool)
        .await
        .map_err(refusal::read_models)?;
        Ok(rows
            .into_iter()
            .map(|r| {
                // The SQL has left out what is hidden; what remains is whole or without sender.
                let who = Viewer {
                    org: viewer.as_deref(),
                    oversees: r.9,
                };
                let whole = visibility::shown(&r.1, &r.4, true, who) == Shown::Whole;
                TimelineEntry {
                    version: r.0,
                    event_type: r.1,
                    actor_user_id: whole.then_some(r.2),
                    // The ИИН only to who reads personal data (decision 0671).
                    actor_iin: (whole && r.9).then_some(r.3),
                    actor_org_bin: whole.then_some(r.4),
                    actor_role: r.5,
                    occurred_at: r.6,
                    recorded_at: r.7,
                    reason: r.8,
                }
            })
            .collect())
    })
    .await
}
