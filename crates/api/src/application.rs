//! Applications (заявки) and price offers. Sealed until opening: before it, an application is
//! shown only to the supplier that submitted it.

use async_graphql::{Result, SimpleObject};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::status::{AdmissionDecision, ApplicationStatus, LotInApplication};
use zakup_projections::views::ApplicationView;

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
    /// «Статус лота в заявке» once the lot has its outcome: `winner` «Победитель»,
    /// `second_winner` «Второй победитель», `admitted` «Допущен», `rejected` «Отклонен».
    pub result: Option<Term>,
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
        "SELECT application_id, plan_item_id, price, decision, supplemented, result
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
                        result: o
                            .try_get::<Option<String>, _>("result")?
                            .map(|r| Term::stored::<LotInApplication>(&r)),
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

impl From<ApplicationView> for Application {
    /// An application as the views show it (the auditors' replay).
    fn from(v: ApplicationView) -> Self {
        Application {
            application_id: v.application_id,
            supplier_bin: v.supplier_bin,
            submitted_at: v.submitted_at,
            status: v.status.map(Term::of),
            opened: v.opened,
            offers: v
                .offers
                .into_iter()
                .map(|o| Offer {
                    plan_item_id: o.plan_item_id,
                    price: o.price,
                    decision: o.decision.map(Term::of),
                    supplemented: o.supplemented,
                    result: o.result.map(Term::of),
                })
                .collect(),
        }
    }
}
