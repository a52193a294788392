//! The Registry of qualified suppliers («Реестры» → «Реестры квалифицированных поставщиков»,
//! spec 000-C §9.4, L10100–10104): public, as the portal publishes it.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::method::qualification_selection::{QualificationRow, QualificationSection};

use crate::page::{app, connection, reach};
use crate::refusal;
use crate::term::Term;

/// One row of the qualification data the selection's secretary confirmed.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct ConfirmedQualification {
    /// «Сведения об опыте работы» or the standards documents.
    pub section: Term,
    pub description: String,
}

/// A supplier a completed qualification selection admitted.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct QualifiedSupplier {
    pub supplier_bin: String,
    /// The qualification selection that admitted it.
    pub announcement_id: Uuid,
    pub announcement_number: String,
    /// The lots it was admitted on.
    pub plan_item_ids: Vec<String>,
    pub confirmed: Vec<ConfirmedQualification>,
    /// When the qualification-selection protocol was published.
    pub included_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct RegistryQuery;

#[Object]
impl RegistryQuery {
    /// The Registry of qualified suppliers, newest first, of one supplier when `supplierBin` is
    /// given. Everyone may read it. `minPosition` is the position a mutation returned.
    async fn qualified_suppliers(
        &self,
        ctx: &Context<'_>,
        supplier_bin: Option<String>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, QualifiedSupplier>> {
        reach(ctx, "announcement", min_position).await?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows = sqlx::query(
                "SELECT supplier_bin, announcement_id, announcement_number, plan_item_ids,
                        confirmed, included_at
                   FROM rm.qualified_suppliers
                  WHERE ($1::text IS NULL OR supplier_bin = $1)
                  ORDER BY included_at DESC, announcement_id, application_id OFFSET $2 LIMIT $3",
            )
            .bind(supplier_bin)
            .bind(offset)
            .bind(limit)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            rows.iter().map(read).collect()
        })
        .await
    }
}

fn read(r: &sqlx::postgres::PgRow) -> Result<QualifiedSupplier> {
    let confirmed: serde_json::Value = r.try_get("confirmed").map_err(refusal::read_models)?;
    let confirmed: Vec<QualificationRow> = serde_json::from_value(confirmed)
        .map_err(|e| refusal::read_models(sqlx::Error::Decode(Box::new(e))))?;
    Ok(QualifiedSupplier {
        supplier_bin: r.try_get("supplier_bin").map_err(refusal::read_models)?,
        announcement_id: r.try_get("announcement_id").map_err(refusal::read_models)?,
        announcement_number: r
            .try_get("announcement_number")
            .map_err(refusal::read_models)?,
        plan_item_ids: r.try_get("plan_item_ids").map_err(refusal::read_models)?,
        confirmed: confirmed
            .into_iter()
            .map(|row| ConfirmedQualification {
                section: Term::of::<QualificationSection>(row.section),
                description: row.description,
            })
            .collect(),
        included_at: r.try_get("included_at").map_err(refusal::read_models)?,
    })
}
