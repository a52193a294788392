//! The `lots` read model: every lot of every announcement, with the status of spec §3.2 as the
//! domain derives it, its cancellation and its outcome.

use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::lot::LotOutcome;

use crate::announcements::{Folded, clear};
use crate::projection::ProjectionError;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    clear(tx, "lots", ids).await?;
    let rows: Vec<_> = folded
        .iter()
        .flat_map(|f| f.state.lots.values().map(move |l| (f, l)))
        .collect();
    let text = |g: &dyn Fn(&zakup_domain::lot::Lot) -> String| {
        rows.iter().map(|(_, l)| g(l)).collect::<Vec<_>>()
    };
    sqlx::query(
        "INSERT INTO lots (announcement_id, plan_item_id, lot_number, customer_bin, name_ru,
             name_kk, amount, status, cancelled_at, outcome, winner_application_id, ktru)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::numeric[], $8::text[], $9::timestamptz[], $10::text[], $11::uuid[],
             $12::text[])",
    )
    .bind(rows.iter().map(|(f, _)| f.id).collect::<Vec<_>>())
    .bind(text(&|l| l.source.plan_item_id.0.clone()))
    .bind(text(&|l| l.source.lot_number.clone()))
    .bind(text(&|l| l.source.customer_bin.to_string()))
    .bind(text(&|l| l.source.name_ru.clone()))
    .bind(text(&|l| l.source.name_kk.clone()))
    .bind(
        rows.iter()
            .map(|(_, l)| l.source.amount.amount())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(f, l)| f.state.lot_status(l.plan_item_id()).map(|s| s.id()))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| l.cancellation.as_ref().map(|c| c.cancelled_at))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| l.outcome.as_ref().map(outcome_id))
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| match &l.outcome {
                Some(LotOutcome::Held { winner }) => Some(winner.0),
                _ => None,
            })
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| l.source.ktru.map(|k| k.to_string()))
            .collect::<Vec<_>>(),
    )
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
