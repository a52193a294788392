//! Lots: one customer plan item put up for procurement, with the status of spec §3.2.

use std::collections::HashMap;

use async_graphql::{Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use sqlx::postgres::PgRow;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::lot::LotOutcome;
use zakup_domain::status::LotStatus;

use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
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
    pub winner_application_id: Option<Uuid>,
}

pub const COLUMNS: &str = "announcement_id, plan_item_id, lot_number, customer_bin, name_ru, \
                           name_kk, ktru, amount, status, cancelled_at, outcome, winner_application_id";

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
        winner_application_id: row.try_get("winner_application_id")?,
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

/// The lots of a folded announcement (the auditors' replay).
pub fn from_domain(id: Uuid, a: &Announcement) -> Vec<Lot> {
    let mut lots: Vec<Lot> = a
        .lots
        .values()
        .map(|l| Lot {
            announcement_id: id,
            plan_item_id: l.source.plan_item_id.0.clone(),
            lot_number: l.source.lot_number.clone(),
            customer_bin: l.source.customer_bin.to_string(),
            name_ru: l.source.name_ru.clone(),
            name_kk: l.source.name_kk.clone(),
            ktru: l.source.ktru.map(|k| k.to_string()),
            amount: l.source.amount.amount(),
            status: a.lot_status(l.plan_item_id()).map(Term::of),
            cancelled_at: l.cancellation.as_ref().map(|c| c.cancelled_at),
            outcome: l
                .outcome
                .as_ref()
                .map(|o| zakup_projections::lots::outcome_id(o).to_owned()),
            winner_application_id: match &l.outcome {
                Some(LotOutcome::Held { winner }) => Some(winner.0),
                _ => None,
            },
        })
        .collect();
    lots.sort_by(|a, b| (&a.lot_number, &a.plan_item_id).cmp(&(&b.lot_number, &b.plan_item_id)));
    lots
}
