//! The `applications` and `application_offers` read models: who applied, for which lots, at
//! which price, and the commission's final decision once voting is completed.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::PgConnection;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::status::AnnouncementStatus;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;

/// Applications are sealed until they are opened at the end of acceptance (a ЗЦП completes
/// right there, with its results).
pub fn opened(a: &Announcement) -> bool {
    a.voting.round.is_some() || a.status == Some(AnnouncementStatus::Completed)
}

type Application = (
    Uuid,
    Uuid,
    String,
    DateTime<Utc>,
    Option<&'static str>,
    bool,
);
type Offer<'a> = (Uuid, Uuid, &'a str, Decimal, Option<&'static str>, bool);

fn applications(id: &Uuid, a: &Announcement) -> Vec<Application> {
    let opened = opened(a);
    a.applications()
        .values()
        .map(|app| {
            (
                *id,
                app.id.0,
                app.supplier_bin.to_string(),
                app.submitted_at,
                a.application_status(&app.id).map(|s| s.id()),
                opened,
            )
        })
        .collect()
}

fn offers<'a>(id: &Uuid, a: &'a Announcement) -> Vec<Offer<'a>> {
    a.applications()
        .values()
        .flat_map(|app| {
            app.offers.iter().map(move |o| {
                (
                    *id,
                    app.id.0,
                    o.plan_item_id.0.as_str(),
                    o.price.amount(),
                    a.voting
                        .decisions
                        .get(&(app.id, o.plan_item_id.clone()))
                        .map(|d| d.id()),
                    app.supplemented_lots.contains(&o.plan_item_id),
                )
            })
        })
        .collect()
}

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, applications);
    clear(tx, "applications", &ids).await?;
    if !rows.is_empty() {
        sqlx::query(
            "INSERT INTO applications (announcement_id, application_id, supplier_bin,
                 submitted_at, status, opened)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[],
                 $5::text[], $6::bool[])",
        )
        .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }

    let Rewrite { clear: ids, rows } = rewrite(folded, offers);
    clear(tx, "application_offers", &ids).await?;
    if !rows.is_empty() {
        sqlx::query(
            "INSERT INTO application_offers (announcement_id, application_id, plan_item_id,
                 price, decision, supplemented)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::numeric[],
                 $5::text[], $6::bool[])",
        )
        .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
        .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}
