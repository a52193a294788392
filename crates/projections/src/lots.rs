//! The `lots` read model: every lot of every announcement, with the status of spec §3.2 as the
//! domain derives it, its cancellation and its outcome.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::lot::LotOutcome;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;

type Row<'a> = (
    Uuid,
    &'a str,
    &'a str,
    String,
    &'a str,
    &'a str,
    Decimal,
    Option<&'static str>,
    Option<DateTime<Utc>>,
    Option<&'static str>,
    Option<Uuid>,
    Option<String>,
);

fn rows<'a>(id: &Uuid, a: &'a Announcement) -> Vec<Row<'a>> {
    a.lots
        .values()
        .map(|l| {
            (
                *id,
                l.source.plan_item_id.0.as_str(),
                l.source.lot_number.as_str(),
                l.source.customer_bin.to_string(),
                l.source.name_ru.as_str(),
                l.source.name_kk.as_str(),
                l.source.amount.amount(),
                a.lot_status(l.plan_item_id()).map(|s| s.id()),
                l.cancellation.as_ref().map(|c| c.cancelled_at),
                l.outcome.as_ref().map(outcome_id),
                match &l.outcome {
                    Some(LotOutcome::Held { winner }) => Some(winner.0),
                    _ => None,
                },
                l.source.ktru.map(|k| k.to_string()),
            )
        })
        .collect()
}

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, rows);
    clear(tx, "lots", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO lots (announcement_id, plan_item_id, lot_number, customer_bin, name_ru,
             name_kk, amount, status, cancelled_at, outcome, winner_application_id, ktru)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::numeric[], $8::text[], $9::timestamptz[], $10::text[], $11::uuid[],
             $12::text[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.6).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.7).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.8).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.9).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.10).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.11.as_deref()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The serde tag of the outcome: `held`, `failed`, `cancelled`.
pub fn outcome_id(outcome: &LotOutcome) -> &'static str {
    match outcome {
        LotOutcome::Held { .. } => "held",
        LotOutcome::Failed => "failed",
        LotOutcome::Cancelled => "cancelled",
    }
}
