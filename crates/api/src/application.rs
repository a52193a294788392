//! Applications (заявки) and price offers. Sealed until opening: before it, an application is
//! shown only to the supplier that submitted it.

use async_graphql::{Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::status::{AdmissionDecision, ApplicationStatus};

use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Application {
    pub application_id: Uuid,
    pub supplier_bin: String,
    pub submitted_at: DateTime<Utc>,
    /// Spec §3.3 where it names one.
    pub status: Option<Term>,
    /// Opened at the end of acceptance; before, only its supplier sees it.
    pub opened: bool,
    pub offers: Vec<Offer>,
}

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Offer {
    pub plan_item_id: String,
    /// Tenge.
    pub price: Decimal,
    /// The commission's final decision, once voting is completed.
    pub decision: Option<Term>,
    pub supplemented: bool,
}

/// The applications of an announcement the viewer may see.
pub async fn of_announcement(
    pool: &sqlx::PgPool,
    id: Uuid,
    viewer_org: Option<&str>,
) -> Result<Vec<Application>> {
    let apps = sqlx::query(
        "SELECT application_id, supplier_bin, submitted_at, status, opened
           FROM rm.applications
          WHERE announcement_id = $1 AND (opened OR supplier_bin = $2)
          ORDER BY submitted_at, application_id",
    )
    .bind(id)
    .bind(viewer_org)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    let ids: Vec<Uuid> = apps
        .iter()
        .map(|r| r.try_get("application_id"))
        .collect::<Result<_, _>>()
        .map_err(refusal::read_models)?;
    let offers = sqlx::query(
        "SELECT application_id, plan_item_id, price, decision, supplemented
           FROM rm.application_offers
          WHERE announcement_id = $1 AND application_id = ANY($2)
          ORDER BY application_id, plan_item_id",
    )
    .bind(id)
    .bind(&ids)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    let read = || -> Result<Vec<Application>, sqlx::Error> {
        let mut out = Vec::with_capacity(apps.len());
        for r in &apps {
            let application_id: Uuid = r.try_get("application_id")?;
            let mut mine = Vec::new();
            for o in &offers {
                if o.try_get::<Uuid, _>("application_id")? == application_id {
                    mine.push(Offer {
                        plan_item_id: o.try_get("plan_item_id")?,
                        price: o.try_get("price")?,
                        decision: o
                            .try_get::<Option<String>, _>("decision")?
                            .map(|d| Term::stored::<AdmissionDecision>(&d)),
                        supplemented: o.try_get("supplemented")?,
                    });
                }
            }
            out.push(Application {
                application_id,
                supplier_bin: r.try_get("supplier_bin")?,
                submitted_at: r.try_get("submitted_at")?,
                status: r
                    .try_get::<Option<String>, _>("status")?
                    .map(|s| Term::stored::<ApplicationStatus>(&s)),
                opened: r.try_get("opened")?,
                offers: mine,
            });
        }
        Ok(out)
    };
    read().map_err(refusal::read_models)
}

/// The applications of a folded announcement the viewer may see (the auditors' replay).
pub fn from_domain(a: &Announcement, viewer_org: Option<&str>) -> Vec<Application> {
    let opened = zakup_projections::applications::opened(a);
    let mut out: Vec<Application> = a
        .applications()
        .values()
        .filter(|app| opened || viewer_org == Some(app.supplier_bin.to_string().as_str()))
        .map(|app| Application {
            application_id: app.id.0,
            supplier_bin: app.supplier_bin.to_string(),
            submitted_at: app.submitted_at,
            status: a.application_status(&app.id).map(Term::of),
            opened,
            offers: {
                let mut offers: Vec<Offer> = app
                    .offers
                    .iter()
                    .map(|o| Offer {
                        plan_item_id: o.plan_item_id.0.clone(),
                        price: o.price.amount(),
                        decision: a
                            .voting
                            .decisions
                            .get(&(app.id, o.plan_item_id.clone()))
                            .map(|d| Term::of(*d)),
                        supplemented: app.supplemented_lots.contains(&o.plan_item_id),
                    })
                    .collect();
                offers.sort_by(|x, y| x.plan_item_id.cmp(&y.plan_item_id));
                offers
            },
        })
        .collect();
    out.sort_by_key(|a| (a.submitted_at, a.application_id));
    out
}
