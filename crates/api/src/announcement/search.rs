//! «Поиск объявлений» and «Поиск лотов» (spec 000-A §2.2): the read models' announcements and
//! lots the viewer may see, filtered and paged.

use async_graphql::connection::Connection;
use async_graphql::{Context, ErrorExtensions, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use std::sync::Arc;
use uuid::Uuid;
use zakup_domain::announcement::header::Method;
use zakup_domain::ident::Bin;
use zakup_domain::status::{AnnouncementStatus, LotStatus};

use crate::lot::{self, Lot};
use crate::page::{app, connection, reach, viewer_org};
use crate::refusal;
use crate::term::{self, PortalTerm};

use super::{Announcement, COLUMNS, Source, from_row};

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
    /// A `Method` id: `open_tender`, `price_quotations`, `auction`, `single_source`,
    /// `state_social_order`, `housing`, `two_stage`, `prequalification`,
    /// `price_quotations_non_gz` or `tender_non_gz`.
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
                    a.source = Source::ReadModel {
                        page_lots: Some(lots.remove(&a.id).unwrap_or_default()),
                        history: Arc::default(),
                    };
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
pub(super) fn ktru_prefix(value: Option<String>) -> Result<Option<String>> {
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
