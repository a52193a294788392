//! Customer requests («Заявки заказчиков»): plan items a customer asked its organizer to
//! procure. Only the two organisations concerned see a request.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::announcement::header::SubjectType;

use crate::page::{app, connection, reach, viewer_org};
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct CustomerRequest {
    pub plan_item_id: String,
    pub customer_bin: String,
    pub organizer_bin: String,
    pub subject_type: Term,
    pub name_ru: String,
    /// Tenge.
    pub amount: Decimal,
    pub requested_at: DateTime<Utc>,
    /// `requested`, `returned`, `reserved`, `procurement_held`, `procurement_failed`,
    /// `cancelled`.
    pub state: String,
    pub return_reason: Option<String>,
    pub returned_at: Option<DateTime<Utc>>,
    /// The announcement that holds the plan item now.
    pub announcement_id: Option<Uuid>,
    pub lot_number: Option<String>,
}

#[derive(Default)]
pub struct CustomerRequestQuery;

const STATES: &[&str] = &[
    "requested",
    "returned",
    "reserved",
    "procurement_held",
    "procurement_failed",
    "cancelled",
];

#[Object]
impl CustomerRequestQuery {
    /// The requests sent or received by the viewer's organisation, newest first. `minPosition`
    /// is the position a plan-item mutation returned.
    async fn customer_requests(
        &self,
        ctx: &Context<'_>,
        state: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, CustomerRequest>> {
        // A personal list: an anonymous caller is refused, not answered with nothing
        // (docs/decisions/0657).
        let viewer = viewer_org(ctx)?.ok_or_else(|| refusal::unauthenticated("no bearer token"))?;
        reach(ctx, "plan_item", min_position).await?;
        if let Some(s) = &state
            && !STATES.contains(&s.as_str())
        {
            return Err(refusal::invalid_input(
                "state",
                format!("{s:?} is not one of {}", STATES.join(", ")),
            ));
        }
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows = sqlx::query(
                "SELECT plan_item_id, customer_bin, organizer_bin, subject_type, name_ru, amount,
                        requested_at, state, return_reason, returned_at, announcement_id, lot_number
                   FROM rm.customer_requests
                  WHERE (customer_bin = $1 OR organizer_bin = $1)
                    AND ($2::text IS NULL OR state = $2)
                  ORDER BY requested_at DESC, plan_item_id OFFSET $3 LIMIT $4",
            )
            .bind(viewer)
            .bind(state)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            let read = |r: &sqlx::postgres::PgRow| -> Result<CustomerRequest, sqlx::Error> {
                Ok(CustomerRequest {
                    plan_item_id: r.try_get("plan_item_id")?,
                    customer_bin: r.try_get("customer_bin")?,
                    organizer_bin: r.try_get("organizer_bin")?,
                    subject_type: Term::stored::<SubjectType>(
                        &r.try_get::<String, _>("subject_type")?,
                    ),
                    name_ru: r.try_get("name_ru")?,
                    amount: r.try_get("amount")?,
                    requested_at: r.try_get("requested_at")?,
                    state: r.try_get("state")?,
                    return_reason: r.try_get("return_reason")?,
                    returned_at: r.try_get("returned_at")?,
                    announcement_id: r.try_get("announcement_id")?,
                    lot_number: r.try_get("lot_number")?,
                })
            };
            rows.iter()
                .map(read)
                .collect::<Result<_, _>>()
                .map_err(refusal::read_models)
        })
        .await
    }
}
