//! Lots: one customer plan item put up for procurement, with the status of spec §3.2.

use std::collections::HashMap;

use async_graphql::{ComplexObject, Context, Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;
use zakup_domain::lot::FailureReason;
use zakup_domain::status::LotStatus;
use zakup_projections::views::LotView;

use crate::actions::AvailableAction;
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
#[graphql(complex)]
pub struct Lot {
    pub announcement_id: Uuid,
    pub plan_item_id: String,
    pub lot_number: String,
    pub customer_bin: String,
    pub name_ru: String,
    pub name_kk: String,
    /// «КТРУ» code of the plan item, where the plan gave one.
    pub ktru: Option<String>,
    /// The amount allocated (выделенная сумма), tenge.
    pub amount: Decimal,
    /// «Опубликован», «Отменен», …; null where the spec names no lot status (draft, completed).
    pub status: Option<Term>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// `held`, `failed` or `cancelled` once the procurement ended.
    pub outcome: Option<String>,
    /// Why a `failed` lot did not take place: `no_applications` «нет поданных заявок»,
    /// `one_application` «подана одна заявка», `no_admitted` «нет допущенных заявок»; null
    /// otherwise, and for lots that failed before the reason was recorded.
    pub failure_reason: Option<Term>,
    pub winner_application_id: Option<Uuid>,
    /// What the viewer may do on the lot, when decided with the announcement (a replay);
    /// otherwise `availableActions` decides it now.
    #[graphql(skip)]
    pub actions: Option<Vec<AvailableAction>>,
}

#[ComplexObject]
impl Lot {
    /// «Доступные действия» on this lot for the viewer (docs/decisions/0655): now, from the
    /// announcement's stream, or as it stood in a replay.
    async fn available_actions(&self, ctx: &Context<'_>) -> Result<Vec<AvailableAction>> {
        match &self.actions {
            Some(actions) => Ok(actions.clone()),
            None => crate::actions::now_on_lot(ctx, self.announcement_id, &self.plan_item_id).await,
        }
    }
}

pub const COLUMNS: &str = "announcement_id, plan_item_id, lot_number, customer_bin, name_ru, \
                           name_kk, ktru, amount, status, cancelled_at, outcome, \
                           failure_reason, winner_application_id";

pub fn from_row(row: &PgRow) -> Result<Lot, sqlx::Error> {
    Ok(Lot {
        announcement_id: row.try_get("announcement_id")?,
        plan_item_id: row.try_get("plan_item_id")?,
        lot_number: row.try_get("lot_number")?,
        customer_bin: row.try_get("customer_bin")?,
        name_ru: row.try_get("name_ru")?,
        name_kk: row.try_get("name_kk")?,
        ktru: row.try_get("ktru")?,
        amount: row.try_get("amount")?,
        status: row
            .try_get::<Option<String>, _>("status")?
            .map(|s| Term::stored::<LotStatus>(&s)),
        cancelled_at: row.try_get("cancelled_at")?,
        outcome: row.try_get("outcome")?,
        failure_reason: row
            .try_get::<Option<String>, _>("failure_reason")?
            .map(|s| Term::stored::<FailureReason>(&s)),
        winner_application_id: row.try_get("winner_application_id")?,
        actions: None,
    })
}

pub async fn of_announcement(pool: &sqlx::PgPool, id: Uuid) -> Result<Vec<Lot>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM rm.lots WHERE announcement_id = $1 ORDER BY lot_number, plan_item_id"
    ))
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    rows.iter()
        .map(from_row)
        .collect::<Result<_, _>>()
        .map_err(refusal::read_models)
}

/// The lots of several announcements in one query, each announcement's in the order of
/// [`of_announcement`].
pub async fn of_announcements(
    pool: &sqlx::PgPool,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Lot>>> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM rm.lots WHERE announcement_id = ANY($1)
          ORDER BY announcement_id, lot_number, plan_item_id"
    ))
    .bind(ids)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    let mut out: HashMap<Uuid, Vec<Lot>> = HashMap::new();
    for row in &rows {
        let lot = from_row(row).map_err(refusal::read_models)?;
        out.entry(lot.announcement_id).or_default().push(lot);
    }
    Ok(out)
}

impl Lot {
    /// A lot of announcement `id` as the views show it (the auditors' replay).
    pub fn of(announcement_id: Uuid, v: LotView) -> Lot {
        Lot {
            announcement_id,
            plan_item_id: v.plan_item_id,
            lot_number: v.lot_number,
            customer_bin: v.customer_bin,
            name_ru: v.name_ru,
            name_kk: v.name_kk,
            ktru: v.ktru,
            amount: v.amount,
            status: v.status.map(Term::of),
            cancelled_at: v.cancelled_at,
            outcome: v.outcome.map(str::to_owned),
            failure_reason: v.failure_reason.map(Term::of),
            winner_application_id: v.winner_application_id,
            actions: None,
        }
    }
}
