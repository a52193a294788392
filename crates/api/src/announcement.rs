//! Announcements as the read models show them: the search of spec 000-A §2.2 («Поиск
//! объявлений», «Поиск лотов») and each announcement's lots, applications, votes, protocols and
//! timeline. Drafts are visible only to their own organisation.

use async_graphql::connection::Connection;
use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::postgres::PgRow;
use std::sync::Arc;
use tokio::sync::OnceCell;
use uuid::Uuid;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::status::AnnouncementStatus;
use zakup_store::StreamRange;

use crate::application::{self, Application};
use crate::audit::{
    self, At, Cut, Deadline, History, HistoryEvent, NoticeAsOf, Replay, Rows, TimelineEntry,
};
use crate::lot::{self, Lot};
use crate::notice::Objection;
use crate::page::{app, reach, viewer_org};
use crate::protocol::{self, Protocol};
use crate::refusal;
use crate::screen;
use crate::term::Term;
use crate::vote::{self, CommissionMember, Vote, VotingControlLot};

mod search;

pub use search::AnnouncementQuery;

/// One announcement, the same type wherever it comes from (docs/decisions/0654): the search, the
/// lookup by id (both from the read models) or the replay as of a version or an instant. The
/// source decides where each field's data is read, never which fields there are.
#[derive(SimpleObject, Clone)]
#[graphql(complex)]
pub struct Announcement {
    pub id: Uuid,
    pub number: String,
    /// 1 for an original, 2 for the copy made when the documentation changed.
    pub index: i32,
    pub source_announcement_id: Option<Uuid>,
    pub method: Term,
    pub procurement_type: Term,
    pub subject_type: Term,
    pub name_ru: String,
    pub name_kk: String,
    pub organizer_bin: String,
    pub status: Term,
    /// A deleted draft: shown by id to its organisation, never found by the search.
    pub deleted: bool,
    /// Applications opened (end of acceptance): until then they are sealed.
    pub opened: bool,
    pub customer_bins: Vec<String>,
    /// The sum allocated to the lots still in the procurement, tenge.
    pub total_amount: Decimal,
    pub drafted_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub discussion_end: Option<DateTime<Utc>>,
    pub acceptance_start: Option<DateTime<Utc>>,
    pub acceptance_end: Option<DateTime<Utc>>,
    /// When the last event the viewer may know of happened: before opening, another
    /// supplier's application events leave no instant (decision 0670).
    pub updated_at: DateTime<Utc>,
    /// The announcement's version as the viewer may know it: the stream version the read model
    /// reflects, less, before opening, the application events of other organisations, which
    /// leave no version step (decision 0670). After opening, the stream version.
    pub version: i64,
    #[graphql(skip)]
    pub source: Source,
    /// The stream version the view stands at, sealed events included: where its history
    /// and timeline are read up to.
    #[graphql(skip)]
    pub stream_version: i64,
    /// The members' votes are fixed by a published protocol (decision 0672).
    #[graphql(skip)]
    pub votes_fixed: bool,
}

/// Where an announcement's fields are read.
#[derive(Clone)]
pub enum Source {
    /// The read models' tables. The history they do not keep (events, notices, deadlines) is
    /// replayed up to the row's version when a field asks for it, once.
    ReadModel {
        /// The lots, when the list that found this announcement read them for its whole page in
        /// one query; otherwise `lots` reads them itself.
        page_lots: Option<Vec<Lot>>,
        history: Arc<OnceCell<Arc<History>>>,
    },
    /// Replayed from the event store.
    Replay {
        history: Arc<History>,
        rows: Arc<Rows>,
    },
}

impl Source {
    fn read_model() -> Source {
        Source::ReadModel {
            page_lots: None,
            history: Arc::default(),
        }
    }

    fn rows(&self) -> Option<&Rows> {
        match self {
            Source::Replay { rows, .. } => Some(rows),
            Source::ReadModel { .. } => None,
        }
    }
}

#[ComplexObject]
impl Announcement {
    /// Its OCDS record (releases, compiled and versioned release; docs/ocds.md), as
    /// `GET /ocds/records/{ocid}` serves it in a record package; null until published. Replayed
    /// as of an instant or version, the record holds the releases dated up to `at`.
    async fn ocds_record(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Option<async_graphql::Json<serde_json::Value>>> {
        let at = match self.source {
            Source::Replay { .. } => Some(self.history(ctx).await?.at),
            Source::ReadModel { .. } => None,
        };
        crate::ocds::graphql_record(&app(ctx).pool, self.id, at).await
    }

    async fn lots(&self, ctx: &Context<'_>) -> Result<Vec<Lot>> {
        match &self.source {
            Source::Replay { rows, .. } => Ok(rows.lots.clone()),
            Source::ReadModel {
                page_lots: Some(lots),
                ..
            } => Ok(lots.clone()),
            Source::ReadModel { .. } => lot::of_announcement(&app(ctx).pool, self.id).await,
        }
    }

    /// Before opening, only the viewer's own application.
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        if let Some(rows) = self.source.rows() {
            return Ok(rows.applications.clone());
        }
        let org = viewer_org(ctx)?;
        application::of_announcement(&app(ctx).pool, self.id, org.as_deref()).await
    }

    /// The commission; the members' ИИН for the organizer's staff and the auditors only.
    async fn commission(&self, ctx: &Context<'_>) -> Result<Vec<CommissionMember>> {
        if let Some(rows) = self.source.rows() {
            return Ok(rows.commission.clone());
        }
        let members = vote::commission(&app(ctx).pool, self.id).await?;
        Ok(vote::for_reader(members, Vec::new(), self.reads_personal_data(ctx)?).0)
    }

    /// Who voted what, per application × member × lot; the ИИН as in `commission`. Until a
    /// protocol published after the voting fixes them, for the organizer's staff and the auditors
    /// only (decision 0672).
    async fn votes(&self, ctx: &Context<'_>) -> Result<Vec<Vote>> {
        let reads = self.reads_personal_data(ctx)?;
        if !vote::reads_votes(reads, self.votes_fixed) {
            return Ok(Vec::new());
        }
        if let Some(rows) = self.source.rows() {
            return Ok(rows.votes.clone());
        }
        let votes = vote::votes(&app(ctx).pool, self.id).await?;
        Ok(vote::for_reader(Vec::new(), votes, reads).1)
    }

    /// «Контроль голосования», while the commission reviews; its counters are votes in progress,
    /// read like `votes`.
    async fn voting_control(&self, ctx: &Context<'_>) -> Result<Vec<VotingControlLot>> {
        if !vote::reads_votes(self.reads_personal_data(ctx)?, self.votes_fixed) {
            return Ok(Vec::new());
        }
        if let Some(rows) = self.source.rows() {
            return Ok(rows.voting_control.clone());
        }
        vote::control(&app(ctx).pool, self.id).await
    }

    /// Every version of every protocol, with its validity (as it was then, in a replay); the
    /// signers' ИИН as in `commission`.
    async fn protocols(&self, ctx: &Context<'_>) -> Result<Vec<Protocol>> {
        let protocols = match self.source.rows() {
            Some(rows) => rows.protocols.clone(),
            None => protocol::of_announcement(&app(ctx).pool, self.id).await?,
        };
        Ok(crate::personal::protocols(
            protocols,
            self.reads_personal_data(ctx)?,
        ))
    }

    /// The documents, acts, discussion, voting state, discounts and supplement period; the
    /// ИИН it names as in `commission`, the ballots as `votes`.
    async fn details(&self, ctx: &Context<'_>) -> Result<Option<screen::AnnouncementDetails>> {
        let details = match self.source.rows() {
            Some(rows) => Some(rows.details.clone()),
            None => screen::of_announcement(&app(ctx).pool, self.id).await?,
        };
        let reads = self.reads_personal_data(ctx)?;
        let fixed = self.votes_fixed;
        Ok(details
            .map(|d| vote::details_for_reader(crate::personal::details(d, reads), reads, fixed)))
    }

    /// «Доступные действия»: what the viewer may do at `at`, decided from the announcement's
    /// stream by the rules that decide the commands (ids such as `answer_discussion_request`).
    /// From the read models: now, on the stream as it is now (which a mutation's answer may be
    /// ahead of the read models by); in a replay: on the stream as it stood.
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::actions::AvailableAction>> {
        match &self.source {
            Source::Replay { history, .. } => Ok(history.available_actions.clone()),
            Source::ReadModel { history, .. } => match history.get() {
                Some(h) => Ok(h.available_actions.clone()),
                None => Ok(crate::actions::now(ctx, self.id).await?.1),
            },
        }
    }

    /// The timed transitions due next, as the scheduler sees them.
    async fn deadlines(&self, ctx: &Context<'_>) -> Result<Vec<Deadline>> {
        Ok(self.history(ctx).await?.deadlines.clone())
    }

    /// When the last event shown that the viewer may see was recorded.
    async fn recorded_at(&self, ctx: &Context<'_>) -> Result<Option<DateTime<Utc>>> {
        Ok(self.history(ctx).await?.recorded_at)
    }

    /// The instant the notices' days left and the available actions are counted at: now for
    /// the read models, `asOf.instant`, or the moment the last event the viewer may see up to
    /// `asOf.version` was decided.
    async fn at(&self, ctx: &Context<'_>) -> Result<DateTime<Utc>> {
        Ok(self.history(ctx).await?.at)
    }

    /// The camera-control notices as they stand, by delivery; empty for a viewer who may not
    /// read camera control (anyone but the auditors and the organizer's organisation).
    async fn notices(&self, ctx: &Context<'_>) -> Result<Vec<NoticeAsOf>> {
        Ok(self.history(ctx).await?.notices.clone())
    }

    /// The objections to those notices, by number; empty like `notices`.
    async fn objections(&self, ctx: &Context<'_>) -> Result<Vec<Objection>> {
        Ok(self.history(ctx).await?.objections.clone())
    }

    /// Every event shown, oldest first, with its metadata; before opening, other suppliers'
    /// application events are left out.
    async fn events(&self, ctx: &Context<'_>) -> Result<Vec<HistoryEvent>> {
        Ok(self.history(ctx).await?.events.clone())
    }

    /// The auction's time frame, round and bid history, from its streams (null for another
    /// method, or before the admission protocol fixed the frame); replayed, as it stood at `at`.
    /// Who a bid names: decision 0711.
    async fn auction(&self, ctx: &Context<'_>) -> Result<Option<crate::auction::Auction>> {
        match self.source.rows() {
            Some(rows) => Ok(rows.auction.clone()),
            None => crate::auction::now(ctx, self.id).await,
        }
    }

    /// Every event up to `version`, oldest first: who did what, when, and the reason given.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<usize, TimelineEntry>> {
        audit::timeline(
            ctx,
            self.id,
            (self.stream_version, self.opened),
            first,
            after,
        )
        .await
    }
}

impl Announcement {
    fn reads_personal_data(&self, ctx: &Context<'_>) -> Result<bool> {
        let reader = crate::notice::Reader::of_viewer(crate::page::viewer(ctx)?);
        Ok(vote::reads_personal_data(
            &reader,
            Some(&self.organizer_bin),
        ))
    }

    /// The history up to the version shown: the replay's own, or, for a read model's row,
    /// replayed up to its version with the instant now.
    async fn history(&self, ctx: &Context<'_>) -> Result<Arc<History>> {
        let cell = match &self.source {
            Source::Replay { history, .. } => return Ok(history.clone()),
            Source::ReadModel { history, .. } => history,
        };
        cell.get_or_try_init(|| async {
            let range = Cut::Stream(StreamRange::up_to_version(self.stream_version as u64));
            let replay = audit::replay(ctx, self.id, range, At::Now).await?;
            // The row is the viewer's to see, so its stream is: none only if a rebuild races.
            replay
                .map(|r| Arc::new(r.history))
                .ok_or_else(|| refusal::read_models(sqlx::Error::RowNotFound))
        })
        .await
        .cloned()
    }

    /// The replay as the one type; none before the header is entered, as the read model shows
    /// no announcement then.
    pub fn replayed(id: Uuid, r: Replay) -> Option<Announcement> {
        let h = r.header;
        let method = h.method?;
        let id_of = |t: Option<&'static str>| t.unwrap_or_default();
        Some(Announcement {
            id,
            number: h.number,
            index: h.index as i32,
            source_announcement_id: h.source_announcement_id,
            method: Term::of(method),
            procurement_type: Term::stored::<ProcurementType>(id_of(
                h.procurement_type.map(|t| t.id()),
            )),
            subject_type: Term::stored::<SubjectType>(id_of(h.subject_type.map(|t| t.id()))),
            name_ru: h.name_ru.unwrap_or_default(),
            name_kk: h.name_kk.unwrap_or_default(),
            organizer_bin: h.organizer_bin.unwrap_or_default(),
            status: Term::stored::<AnnouncementStatus>(id_of(h.status.map(|s| s.id()))),
            deleted: h.deleted,
            opened: h.opened,
            customer_bins: h.customer_bins,
            total_amount: h.total_amount,
            drafted_at: r.drafted_at,
            published_at: h.published_at,
            discussion_end: h.discussion_end,
            acceptance_start: h.acceptance_start,
            acceptance_end: h.acceptance_end,
            updated_at: r.updated_at,
            version: r.public_version,
            stream_version: r.version as i64,
            votes_fixed: r.votes_fixed,
            source: Source::Replay {
                history: Arc::new(r.history),
                rows: Arc::new(r.rows),
            },
        })
    }
}

/// `announcement(id:)` without `asOf`: the read models' row, once they include the stream's last
/// event (read-your-writes without a `minPosition`), with the history replayed on the way.
pub async fn by_id(ctx: &Context<'_>, id: Uuid) -> Result<Option<Announcement>> {
    // An event appended between the replay and the read (a timer, a workflow's step) moves the
    // row past what the other read models were awaited for: then replay and wait again.
    for _ in 0..BY_ID_ATTEMPTS {
        let Some(replay) = audit::replay(ctx, id, Cut::Stream(StreamRange::all()), At::Now).await?
        else {
            return Ok(None);
        };
        reach(ctx, "announcement", Some(replay.position.to_string())).await?;
        let Some(mut row) = row(ctx, id).await? else {
            return Ok(None);
        };
        if row.stream_version == replay.version as i64 {
            row.source = Source::ReadModel {
                page_lots: None,
                history: Arc::new(OnceCell::new_with(Some(Arc::new(replay.history)))),
            };
            return Ok(Some(row));
        }
    }
    row(ctx, id).await
}

/// How often `by_id` replays a stream that moves under it before it serves the row as it is.
const BY_ID_ATTEMPTS: usize = 5;

/// The read model's row of `id`, if the viewer may see it.
async fn row(ctx: &Context<'_>, id: Uuid) -> Result<Option<Announcement>> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM rm.announcements
          WHERE announcement_id = $1
            AND (status NOT IN ('draft', 'draft_documentation_change') OR organizer_bin = $2)"
    ))
    .bind(id)
    .bind(viewer_org(ctx)?)
    .fetch_optional(&app(ctx).pool)
    .await
    .map_err(refusal::read_models)?;
    let viewer = viewer_org(ctx)?;
    row.as_ref()
        .map(|r| from_row(r, viewer.as_deref()))
        .transpose()
        .map_err(refusal::read_models)
}

const COLUMNS: &str = "announcement_id, number, index, source_announcement_id, method, \
    procurement_type, subject_type, name_ru, name_kk, organizer_bin, status, deleted, opened, \
    customer_bins, total_amount, drafted_at, published_at, discussion_end, acceptance_start, \
    acceptance_end, updated_at, version, sealed, public_updated_at, votes_fixed";

/// A row as `viewer` (an organisation, or nobody) may see it.
fn from_row(r: &PgRow, viewer: Option<&str>) -> Result<Announcement, sqlx::Error> {
    let (version, updated_at) = unsealed(
        r.try_get("version")?,
        r.try_get("updated_at")?,
        r.try_get("public_updated_at")?,
        &r.try_get::<serde_json::Value, _>("sealed")?,
        viewer,
    );
    Ok(Announcement {
        id: r.try_get("announcement_id")?,
        number: r.try_get("number")?,
        index: r.try_get("index")?,
        source_announcement_id: r.try_get("source_announcement_id")?,
        method: Term::stored::<Method>(&r.try_get::<String, _>("method")?),
        procurement_type: Term::stored::<ProcurementType>(
            &r.try_get::<String, _>("procurement_type")?,
        ),
        subject_type: Term::stored::<SubjectType>(&r.try_get::<String, _>("subject_type")?),
        name_ru: r.try_get("name_ru")?,
        name_kk: r.try_get("name_kk")?,
        organizer_bin: r.try_get("organizer_bin")?,
        status: Term::stored::<AnnouncementStatus>(&r.try_get::<String, _>("status")?),
        deleted: r.try_get("deleted")?,
        opened: r.try_get("opened")?,
        customer_bins: r.try_get("customer_bins")?,
        total_amount: r.try_get("total_amount")?,
        drafted_at: r.try_get("drafted_at")?,
        published_at: r.try_get("published_at")?,
        discussion_end: r.try_get("discussion_end")?,
        acceptance_start: r.try_get("acceptance_start")?,
        acceptance_end: r.try_get("acceptance_end")?,
        updated_at,
        version,
        stream_version: r.try_get("version")?,
        votes_fixed: r.try_get("votes_fixed")?,
        source: Source::read_model(),
    })
}

/// The version and instant `viewer` may know (decision 0670): the stream's, less the events
/// sealed from it (`sealed`: `[{"org", "at"}]` of the events sealed until opening), and the
/// instant of the last event it may see (the public one, or its own sealed one if later).
fn unsealed(
    version: i64,
    updated_at: DateTime<Utc>,
    public_at: Option<DateTime<Utc>>,
    sealed: &serde_json::Value,
    viewer: Option<&str>,
) -> (i64, DateTime<Utc>) {
    let sealed = sealed.as_array().map(Vec::as_slice).unwrap_or_default();
    if sealed.is_empty() {
        return (version, updated_at);
    }
    let own = |e: &&serde_json::Value| viewer.is_some() && e["org"].as_str() == viewer;
    let hidden = sealed.iter().filter(|e| !own(e)).count() as i64;
    let own_at = sealed
        .iter()
        .filter(own)
        .filter_map(|e| serde_json::from_value::<DateTime<Utc>>(e["at"].clone()).ok())
        .max();
    let at = public_at.max(own_at).unwrap_or(updated_at);
    (version - hidden, at)
}

#[cfg(test)]
mod tests {
    use super::search::ktru_prefix;
    use super::unsealed;

    /// Decision 0670: before opening, another organisation's application events leave no
    /// version step and no instant; the author's own do.
    #[test]
    fn sealed_events_leave_no_version_step_or_instant_but_for_their_author() {
        let t =
            |h: u32| chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 3, 2, h, 0, 0).unwrap();
        let sealed = serde_json::json!([{"org": "s1", "at": t(10)}, {"org": "s2", "at": t(11)}]);
        assert_eq!(unsealed(12, t(11), Some(t(9)), &sealed, None), (10, t(9)));
        assert_eq!(
            unsealed(12, t(11), Some(t(9)), &sealed, Some("k")),
            (10, t(9))
        );
        assert_eq!(
            unsealed(12, t(11), Some(t(9)), &sealed, Some("s1")),
            (11, t(10))
        );
        assert_eq!(
            unsealed(12, t(11), Some(t(9)), &sealed, Some("s2")),
            (11, t(11))
        );
        // Nothing sealed (after opening): the stream's own.
        let none = serde_json::json!([]);
        assert_eq!(unsealed(12, t(11), Some(t(11)), &none, None), (12, t(11)));
    }

    /// Spec 000-A §2.2 (L65): the search by КТРУ takes a code or its leading part; anything else
    /// is refused with `invalid_input` instead of silently finding nothing.
    #[test]
    fn a_ktru_filter_is_a_code_or_its_leading_part() {
        for ok in ["262011", "262011.100", "262011.100.000002", "2"] {
            assert_eq!(ktru_prefix(Some(ok.into())).unwrap().as_deref(), Some(ok));
        }
        for bad in [
            "",
            "26201a",
            "262011-100",
            "262011.100.0000021",
            "%",
            "2620_1",
        ] {
            assert!(ktru_prefix(Some(bad.into())).is_err(), "{bad:?}");
        }
        assert_eq!(ktru_prefix(None).unwrap(), None);
    }
}
