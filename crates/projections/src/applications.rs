//! The `applications` and `application_offers` read models: every application as
//! [`ApplicationView`] shows it, sealed ones included with `opened` false; the API's queries
//! show them with the view's own rule, [`ApplicationView::visible_to`].

use sqlx::PgConnection;
use uuid::Uuid;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::ApplicationView;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        ApplicationView::all(&fold.state)
            .into_iter()
            .map(|app| (*id, app))
            .collect()
    });
    clear(tx, "applications", &ids).await?;
    clear(tx, "application_offers", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO applications (announcement_id, application_id, supplier_bin,
             submitted_at, status, opened)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[],
             $5::text[], $6::bool[])",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, a)| a.application_id)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, a)| a.supplier_bin.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, a)| a.submitted_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, a)| a.status.map(|s| s.id()))
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, a)| a.opened).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    let offers: Vec<(Uuid, Uuid, &crate::views::OfferView)> = rows
        .iter()
        .flat_map(|(id, a)| a.offers.iter().map(move |o| (*id, a.application_id, o)))
        .collect();
    if offers.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO application_offers (announcement_id, application_id, plan_item_id,
             price, decision, supplemented, result)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[],
             $5::text[], $6::bool[], $7::text[])",
    )
    .bind(offers.iter().map(|o| o.0).collect::<Vec<_>>())
    .bind(offers.iter().map(|o| o.1).collect::<Vec<_>>())
    .bind(
        offers
            .iter()
            .map(|o| o.2.plan_item_id.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(offers.iter().map(|o| o.2.price).collect::<Vec<_>>())
    .bind(
        offers
            .iter()
            .map(|o| o.2.decision.map(|d| d.id()))
            .collect::<Vec<_>>(),
    )
    .bind(offers.iter().map(|o| o.2.supplemented).collect::<Vec<_>>())
    .bind(
        offers
            .iter()
            .map(|o| o.2.result.map(|r| r.id()))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
