//! The `lots` read model: every lot of every announcement, as [`LotView`] shows it.

use sqlx::PgConnection;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::LotView;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        LotView::all(&fold.state)
            .into_iter()
            .map(|lot| (*id, lot))
            .collect()
    });
    clear(tx, "lots", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let column =
        |g: &dyn Fn(&LotView) -> String| rows.iter().map(|(_, l)| g(l)).collect::<Vec<_>>();
    sqlx::query(
        "INSERT INTO lots (announcement_id, plan_item_id, lot_number, customer_bin, name_ru,
             name_kk, amount, status, cancelled_at, outcome, winner_application_id, ktru,
             failure_reason)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[],
             $6::text[], $7::numeric[], $8::text[], $9::timestamptz[], $10::text[], $11::uuid[],
             $12::text[], $13::text[])",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(column(&|l| l.plan_item_id.clone()))
    .bind(column(&|l| l.lot_number.clone()))
    .bind(column(&|l| l.customer_bin.clone()))
    .bind(column(&|l| l.name_ru.clone()))
    .bind(column(&|l| l.name_kk.clone()))
    .bind(rows.iter().map(|(_, l)| l.amount).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, l)| l.status.map(|s| s.id()))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, l)| l.cancelled_at).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, l)| l.outcome).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, l)| l.winner_application_id)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| l.ktru.as_deref())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, l)| l.failure_reason.map(|r| r.id()))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
