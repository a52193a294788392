//! The `applications` and `application_offers` read models: who applied, for which lots, at
//! which price, and the commission's final decision once voting is completed.

use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::status::AnnouncementStatus;

use crate::announcements::{Folded, clear};
use crate::projection::ProjectionError;

/// Applications are sealed until they are opened at the end of acceptance (a ЗЦП completes
/// right there, with its results).
pub fn opened(a: &Announcement) -> bool {
    a.round.is_some() || a.status == Some(AnnouncementStatus::Completed)
}

pub(crate) async fn replace(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    clear(tx, "applications", ids).await?;
    clear(tx, "application_offers", ids).await?;
    let apps: Vec<_> = folded
        .iter()
        .flat_map(|f| f.state.applications.values().map(move |a| (f, a)))
        .collect();
    sqlx::query(
        "INSERT INTO applications (announcement_id, application_id, supplier_bin, submitted_at,
             status, opened)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[],
             $6::bool[])",
    )
    .bind(apps.iter().map(|(f, _)| f.id).collect::<Vec<_>>())
    .bind(apps.iter().map(|(_, a)| a.id.0).collect::<Vec<_>>())
    .bind(
        apps.iter()
            .map(|(_, a)| a.supplier_bin.to_string())
            .collect::<Vec<_>>(),
    )
    .bind(apps.iter().map(|(_, a)| a.submitted_at).collect::<Vec<_>>())
    .bind(
        apps.iter()
            .map(|(f, a)| f.state.application_status(&a.id).map(|s| s.id()))
            .collect::<Vec<_>>(),
    )
    .bind(
        apps.iter()
            .map(|(f, _)| opened(&f.state))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;

    let offers: Vec<_> = apps
        .iter()
        .flat_map(|(f, a)| a.offers.iter().map(move |o| (*f, *a, o)))
        .collect();
    sqlx::query(
        "INSERT INTO application_offers (announcement_id, application_id, plan_item_id, price,
             decision, supplemented)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[], $5::text[],
             $6::bool[])",
    )
    .bind(offers.iter().map(|(f, _, _)| f.id).collect::<Vec<_>>())
    .bind(offers.iter().map(|(_, a, _)| a.id.0).collect::<Vec<_>>())
    .bind(
        offers
            .iter()
            .map(|(_, _, o)| o.plan_item_id.0.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        offers
            .iter()
            .map(|(_, _, o)| o.price.amount())
            .collect::<Vec<_>>(),
    )
    .bind(
        offers
            .iter()
            .map(|(f, a, o)| {
                f.state
                    .decisions
                    .get(&(a.id, o.plan_item_id.clone()))
                    .map(|d| d.id())
            })
            .collect::<Vec<_>>(),
    )
    .bind(
        offers
            .iter()
            .map(|(_, a, o)| a.supplemented_lots.contains(&o.plan_item_id))
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
