//! The `qualified_suppliers` read model: the Registry of qualified suppliers, as
//! [`QualifiedSupplierView`] shows it.

use sqlx::PgConnection;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::QualifiedSupplierView;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        QualifiedSupplierView::all(&fold.state)
            .into_iter()
            .map(|q| (*id, q))
            .collect()
    });
    clear(tx, "qualified_suppliers", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let confirmed = rows
        .iter()
        .map(|(_, q)| serde_json::to_value(&q.confirmed))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectionError::Event {
            event_type: "QualificationInfoFilled".into(),
            why: e.to_string(),
        })?;
    sqlx::query(
        "INSERT INTO qualified_suppliers (announcement_id, application_id, supplier_bin,
             announcement_number, plan_item_ids, confirmed, included_at)
         SELECT q.id, q.application, q.bin, q.number, string_to_array(q.lots, ','), q.confirmed,
                q.included_at
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[],
                       $7::timestamptz[])
             AS q(id, application, bin, number, lots, confirmed, included_at)",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, q)| q.application_id.0)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, q)| q.supplier_bin.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, q)| q.announcement_number.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, q)| q.plan_item_ids.join(","))
            .collect::<Vec<_>>(),
    )
    .bind(confirmed)
    .bind(rows.iter().map(|(_, q)| q.included_at).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
