//! Announcements as the read models show them: the search of spec 000-A §2.2 («Поиск
//! объявлений», «Поиск лотов») and each announcement's lots, applications, votes, protocols and
//! timeline. Drafts are visible only to their own organisation.

use async_graphql::connection::Connection;
use async_graphql::{
    ComplexObject, Context, ErrorExtensions, InputObject, Object, Result, SimpleObject,
};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::ident::Bin;
use zakup_domain::status::{AnnouncementStatus, LotStatus};

use crate::application::{self, Application};
use crate::audit::{self, TimelineEntry};
use crate::lot::{self, Lot};
use crate::page::{app, connection, reach, viewer_org};
use crate::protocol::{self, Protocol};
use crate::refusal;
use crate::screen;
use crate::term::{self, PortalTerm, Term};
use crate::vote::{self, CommissionMember, Vote, VotingControlLot};

#[derive(SimpleObject, Debug, Clone, PartialEq)]
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
    /// The lots, when the list that found this announcement read them for its whole page in one
    /// query; otherwise `lots` reads them itself.
    #[graphql(skip)]
    pub page_lots: Option<Vec<Lot>>,
    /// The members' votes are fixed by a published protocol (decision 0672).
    #[graphql(skip)]
    pub votes_fixed: bool,
}

#[ComplexObject]
impl Announcement {
    async fn lots(&self, ctx: &Context<'_>) -> Result<Vec<Lot>> {
        match &self.page_lots {
            Some(lots) => Ok(lots.clone()),
            None => lot::of_announcement(&app(ctx).pool, self.id).await,
        }
    }

    /// Before opening, only the viewer's own application.
    async fn applications(&self, ctx: &Context<'_>) -> Result<Vec<Application>> {
        let org = viewer_org(ctx)?;
        application::of_announcement(&app(ctx).pool, self.id, org.as_deref()).await
    }

    /// The commission; the members' ИИН for the organizer's staff and the auditors only.
    async fn commission(&self, ctx: &Context<'_>) -> Result<Vec<CommissionMember>> {
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
        let votes = vote::votes(&app(ctx).pool, self.id).await?;
        Ok(vote::for_reader(Vec::new(), votes, reads).1)
    }

    /// «Контроль голосования», while the commission reviews; its counters are votes in progress,
    /// read like `votes`.
    async fn voting_control(&self, ctx: &Context<'_>) -> Result<Vec<VotingControlLot>> {
        if !vote::reads_votes(self.reads_personal_data(ctx)?, self.votes_fixed) {
            return Ok(Vec::new());
        }
        vote::control(&app(ctx).pool, self.id).await
    }

    /// Every version of every protocol, with its validity; the signers' ИИН as in `commission`.
    async fn protocols(&self, ctx: &Context<'_>) -> Result<Vec<Protocol>> {
        let protocols = protocol::of_announcement(&app(ctx).pool, self.id).await?;
        Ok(crate::personal::protocols(
            protocols,
            self.reads_personal_data(ctx)?,
        ))
    }

    /// The documents, acts, discussion, voting state, discounts and supplement period.
    /// The ИИН it names as in `commission`.
    async fn details(&self, ctx: &Context<'_>) -> Result<Option<screen::AnnouncementDetails>> {
        let reads = self.reads_personal_data(ctx)?;
        let fixed = self.votes_fixed;
        let details = screen::of_announcement(&app(ctx).pool, self.id).await?;
        Ok(details
            .map(|d| vote::details_for_reader(crate::personal::details(d, reads), reads, fixed)))
    }

    /// «Доступные действия»: what the viewer may do now, decided from the announcement's stream
    /// by the rules that decide the commands (ids such as `answer_discussion_request`).
    async fn available_actions(&self, ctx: &Context<'_>) -> Result<Vec<Term>> {
        Ok(crate::actions::now(ctx, self.id).await?.1)
    }

    /// Every event, oldest first: who did what, when, and the reason given.
    async fn timeline(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> Result<Connection<usize, TimelineEntry>> {
        audit::timeline(ctx, self.id, first, after).await
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
}

/// The filters of «Поиск объявлений» (spec 000-A §2.2). All are optional and combine with AND.
#[derive(InputObject, Debug, Default)]
pub struct AnnouncementFilter {
    /// «БИН заказчика»: announcements with a lot of this customer.
    pub customer_bin: Option<String>,
    pub organizer_bin: Option<String>,
    /// Part of a lot's name, Russian or Kazakh, any case.
    pub lot_name: Option<String>,
    /// «КТРУ»: a lot's classifier code, or its leading part (`262013` finds `262013.000.000011`).
    pub ktru: Option<String>,
    /// Part of the announcement's name or its number.
    pub text: Option<String>,
    /// `open_tender`, `price_quotations` or `auction`.
    pub method: Option<String>,
    /// Any of these status ids.
    pub status: Option<Vec<String>>,
    pub published_from: Option<DateTime<Utc>>,
    pub published_to: Option<DateTime<Utc>>,
    pub acceptance_end_from: Option<DateTime<Utc>>,
    pub acceptance_end_to: Option<DateTime<Utc>>,
}

/// The filters of «Поиск лотов».
#[derive(InputObject, Debug, Default)]
pub struct LotFilter {
    pub customer_bin: Option<String>,
    /// Part of the lot's name, Russian or Kazakh, any case.
    pub name: Option<String>,
    pub plan_item_id: Option<String>,
    pub announcement_id: Option<Uuid>,
    /// «КТРУ»: the classifier code, or its leading part.
    pub ktru: Option<String>,
    /// «По способу» (seed §1.2): `open_tender` or `price_quotations`.
    pub method: Option<String>,
    /// Any of these lot status ids (`published`, `completed`, …).
    pub status: Option<Vec<String>>,
    /// The sum allocated to the lot, tenge, at least / at most.
    pub amount_from: Option<Decimal>,
    pub amount_to: Option<Decimal>,
}

#[derive(Default)]
pub struct AnnouncementQuery;

#[Object]
impl AnnouncementQuery {
    /// «Поиск объявлений», newest draft first. `minPosition` (from a mutation) waits until the
    /// read models include that write.
    async fn announcements(
        &self,
        ctx: &Context<'_>,
        filter: Option<AnnouncementFilter>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, Announcement>> {
        reach(ctx, "announcement", min_position).await?;
        let f = filter.unwrap_or_default();
        let customer = bin("customerBin", f.customer_bin)?;
        let organizer = bin("organizerBin", f.organizer_bin)?;
        let ktru = ktru_prefix(f.ktru)?;
        let method =
            terms::<Method>("method", f.method.map(|m| vec![m]))?.and_then(|m| m.first().copied());
        let statuses = terms::<AnnouncementStatus>("status", f.status)?;
        let viewer = viewer_org(ctx)?;
        let pool = &app(ctx).pool;
        let with_lots = ctx
            .look_ahead()
            .field("edges")
            .field("node")
            .field("lots")
            .exists();
        connection(after, first, |offset, limit| async move {
            // Only the filters given become SQL: behind `$n IS NULL OR …` a filter is opaque to a
            // generic plan, which then never uses the organizer's or the customers' index.
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {COLUMNS} FROM rm.announcements
                  WHERE NOT deleted AND (status NOT IN ('draft', 'draft_documentation_change') OR organizer_bin = "
            ));
            q.push_bind(viewer.clone()).push(")");
            if let Some(customer) = customer {
                q.push(" AND ")
                    .push_bind(customer)
                    .push(" = ANY(customer_bins)");
            }
            if let Some(organizer) = organizer {
                q.push(" AND organizer_bin = ").push_bind(organizer);
            }
            if let Some(name) = f.lot_name {
                q.push(" AND strpos(lot_names, lower(")
                    .push_bind(name)
                    .push(")) > 0");
            }
            if let Some(text) = f.text {
                q.push(" AND strpos(lower(name_ru || ' ' || name_kk || ' ' || number), lower(")
                    .push_bind(text)
                    .push(")) > 0");
            }
            if let Some(method) = method {
                q.push(" AND method = ").push_bind(method);
            }
            if let Some(statuses) = statuses {
                q.push(" AND status = ANY(").push_bind(statuses).push(")");
            }
            if let Some(from) = f.published_from {
                q.push(" AND published_at >= ").push_bind(from);
            }
            if let Some(to) = f.published_to {
                q.push(" AND published_at <= ").push_bind(to);
            }
            if let Some(from) = f.acceptance_end_from {
                q.push(" AND acceptance_end >= ").push_bind(from);
            }
            if let Some(to) = f.acceptance_end_to {
                q.push(" AND acceptance_end <= ").push_bind(to);
            }
            if let Some(ktru) = ktru {
                q.push(
                    " AND EXISTS (SELECT 1 FROM rm.lots l
                       WHERE l.announcement_id = rm.announcements.announcement_id
                         AND l.ktru LIKE ",
                )
                .push_bind(ktru)
                .push(" || '%')");
            }
            q.push(" ORDER BY drafted_at DESC, announcement_id OFFSET ")
                .push_bind(offset)
                .push(" LIMIT ")
                .push_bind(limit);
            let rows = q
                .build()
                .fetch_all(pool)
                .await
                .map_err(refusal::read_models)?;
            let mut page: Vec<Announcement> = rows
                .iter()
                .map(|r| from_row(r, viewer.as_deref()))
                .collect::<Result<_, _>>()
                .map_err(refusal::read_models)?;
            if with_lots {
                // One query for the page's lots, not one per announcement.
                let ids: Vec<Uuid> = page.iter().map(|a| a.id).collect();
                let mut lots = lot::of_announcements(pool, &ids).await?;
                for a in &mut page {
                    a.page_lots = Some(lots.remove(&a.id).unwrap_or_default());
                }
            }
            Ok(page)
        })
        .await
    }

    /// «Поиск лотов», across announcements the viewer may see.
    async fn lots(
        &self,
        ctx: &Context<'_>,
        filter: Option<LotFilter>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, Lot>> {
        reach(ctx, "announcement", min_position).await?;
        let f = filter.unwrap_or_default();
        let customer = bin("customerBin", f.customer_bin)?;
        let ktru = ktru_prefix(f.ktru)?;
        let method =
            terms::<Method>("method", f.method.map(|m| vec![m]))?.and_then(|m| m.first().copied());
        let statuses = terms::<LotStatus>("status", f.status)?;
        let viewer = viewer_org(ctx)?;
        let pool = &app(ctx).pool;
        let columns = lot::COLUMNS
            .split(", ")
            .map(|c| format!("l.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        connection(after, first, |offset, limit| async move {
            // Only the filters given become SQL, as for announcements.
            let mut q = sqlx::QueryBuilder::new(format!(
                "SELECT {columns} FROM rm.lots l
                   JOIN rm.announcements a USING (announcement_id)
                  WHERE NOT a.deleted AND (a.status NOT IN ('draft', 'draft_documentation_change') OR a.organizer_bin = "
            ));
            q.push_bind(viewer).push(")");
            if let Some(customer) = customer {
                q.push(" AND l.customer_bin = ").push_bind(customer);
            }
            if let Some(name) = f.name {
                q.push(" AND strpos(lower(l.name_ru || ' ' || l.name_kk), lower(")
                    .push_bind(name)
                    .push(")) > 0");
            }
            if let Some(plan_item) = f.plan_item_id {
                q.push(" AND l.plan_item_id = ").push_bind(plan_item);
            }
            if let Some(announcement) = f.announcement_id {
                q.push(" AND l.announcement_id = ").push_bind(announcement);
            }
            if let Some(ktru) = ktru {
                q.push(" AND l.ktru LIKE ").push_bind(ktru).push(" || '%'");
            }
            if let Some(method) = method {
                q.push(" AND a.method = ").push_bind(method);
            }
            if let Some(statuses) = statuses {
                q.push(" AND l.status = ANY(").push_bind(statuses).push(")");
            }
            if let Some(from) = f.amount_from {
                q.push(" AND l.amount >= ").push_bind(from);
            }
            if let Some(to) = f.amount_to {
                q.push(" AND l.amount <= ").push_bind(to);
            }
            q.push(
                " ORDER BY a.drafted_at DESC, l.announcement_id, l.lot_number, l.plan_item_id
                  OFFSET ",
            )
            .push_bind(offset)
            .push(" LIMIT ")
            .push_bind(limit);
            let rows = q
                .build()
                .fetch_all(pool)
                .await
                .map_err(refusal::read_models)?;
            rows.iter()
                .map(lot::from_row)
                .collect::<Result<_, _>>()
                .map_err(refusal::read_models)
        })
        .await
    }
}

/// A КТРУ filter is a code or its leading part: digits and dots in the code's shape. Anything
/// else is refused rather than matched (it would also carry `LIKE` wildcards into the query).
fn ktru_prefix(value: Option<String>) -> Result<Option<String>> {
    value
        .map(|v| {
            let shape = "NNNNNN.NNN.NNNNNN";
            let fits = !v.is_empty()
                && v.len() <= shape.len()
                && v.chars().zip(shape.chars()).all(|(c, s)| {
                    if s == '.' {
                        c == '.'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            if fits {
                Ok(v)
            } else {
                Err(refusal::invalid_input(
                    "ktru",
                    format!("{v:?} is not a КТРУ code or its leading part ({shape})"),
                ))
            }
        })
        .transpose()
}

/// A filter of portal terms takes their ids; an unknown one is refused rather than matching
/// nothing.
fn terms<T: PortalTerm>(
    field: &str,
    ids: Option<Vec<String>>,
) -> Result<Option<Vec<&'static str>>> {
    ids.map(|list| {
        list.iter()
            .map(|s| {
                term::parse::<T>(s).map(T::id).ok_or_else(|| {
                    refusal::invalid_input(
                        field,
                        format!("{s:?} is not one of {}", term::ids::<T>()),
                    )
                })
            })
            .collect()
    })
    .transpose()
}

/// A БИН filter must be a БИН: a typo should not silently find nothing.
fn bin(field: &str, value: Option<String>) -> Result<Option<String>> {
    value
        .map(|v| {
            v.parse::<Bin>()
                .map(|b| b.to_string())
                .map_err(|e| refusal::domain(&e.into_domain(zakup_domain::ident::IdKind::Bin)))
                .map_err(|e| e.extend_with(|_, x| x.set("field", field)))
        })
        .transpose()
}

const COLUMNS: &str = "announcement_id, number, index, source_announcement_id, method, \
    procurement_type, subject_type, name_ru, name_kk, organizer_bin, status, opened, customer_bins, \
    total_amount, drafted_at, published_at, discussion_end, acceptance_start, acceptance_end, \
    updated_at, version, sealed, public_updated_at, votes_fixed";

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
        page_lots: None,
        votes_fixed: r.try_get("votes_fixed")?,
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
    use super::{ktru_prefix, unsealed};

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
