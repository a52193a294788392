//! The `guarantees` read model (spec 000-D §4.2): the search's rows («Поиск ЭБГ», L10536–10646),
//! each guarantee's lots with their statuses, and the request pending at the bank, which the
//! bank's queue reads. Folded with the domain's own `apply`, so the statuses are the aggregate's.

use futures::future::BoxFuture;
use serde_json::json;
use sqlx::PgConnection;
use zakup_domain::guarantee::{Guarantee, GuaranteeEvent};
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{Change, Folds};
use crate::projection::{Projection, ProjectionError};

pub struct Guarantees {
    folds: Folds<Guarantee>,
}

impl Guarantees {
    pub fn new() -> Self {
        Guarantees {
            folds: Folds::new(step),
        }
    }
}

impl Default for Guarantees {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[include_str!(
    "../../../projections/guarantees/0001_guarantees.sql"
)];

impl Projection for Guarantees {
    fn name(&self) -> &'static str {
        "guarantees"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["guarantee"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["guarantees"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            for Change { after, last, .. } in self.folds.fold(store, events).await?.into_values() {
                upsert(tx, &after, last).await?;
            }
            Ok(())
        })
    }
}

async fn upsert(
    tx: &mut PgConnection,
    g: &Guarantee,
    last: &RecordedEvent,
) -> Result<(), ProjectionError> {
    let (Some(issued), Some(status)) = (&g.issued, g.status()) else {
        return Ok(());
    };
    let lots: Vec<_> = issued
        .lots
        .iter()
        .map(|l| {
            json!({
                "plan_item_id": l.plan_item_id.0,
                "lot_number": l.lot_number,
                "status": g.lots.get(&l.plan_item_id).map(|s| s.id()),
            })
        })
        .collect();
    let lot_numbers: Vec<&str> = issued.lots.iter().map(|l| l.lot_number.as_str()).collect();
    let pending = g.pending();
    let since = g
        .request
        .as_ref()
        .and_then(|r| r.signed.as_ref())
        .map(|s| s.signed_at);
    sqlx::query(
        "INSERT INTO guarantees (guarantee_id, number, kind, status, bank_bin, bank_name,
             supplier_bin, customer_bin, organizer_bin, amount, issued_on, valid_until,
             announcement_id, announcement_number, contract_number, lots, lot_numbers,
             pending_request, pending_cause, pending_grounds, pending_lots, pending_since,
             updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
             $18, $19, $20, $21, $22, $23, $24)
         ON CONFLICT (guarantee_id) DO UPDATE SET status = EXCLUDED.status,
             lots = EXCLUDED.lots, pending_request = EXCLUDED.pending_request,
             pending_cause = EXCLUDED.pending_cause, pending_grounds = EXCLUDED.pending_grounds,
             pending_lots = EXCLUDED.pending_lots, pending_since = EXCLUDED.pending_since,
             updated_at = EXCLUDED.updated_at, version = EXCLUDED.version",
    )
    .bind(issued.guarantee_id)
    .bind(&issued.number)
    .bind(issued.kind.id())
    .bind(status.id())
    .bind(issued.bank_bin.to_string())
    .bind(&issued.bank_name)
    .bind(issued.supplier_bin.to_string())
    .bind(issued.customer_bin.to_string())
    .bind(issued.organizer_bin.to_string())
    .bind(issued.amount.amount())
    .bind(issued.issued_on)
    .bind(issued.valid_until)
    .bind(issued.announcement_id)
    .bind(&issued.announcement_number)
    .bind(&issued.contract_number)
    .bind(json!(lots))
    .bind(&lot_numbers)
    .bind(pending.map(|p| p.request.id()))
    .bind(pending.map(|p| p.cause.id()))
    .bind(pending.map(|p| p.grounds.clone()))
    .bind(pending.map(|p| {
        p.plan_item_ids
            .iter()
            .map(|id| id.0.clone())
            .collect::<Vec<_>>()
    }))
    .bind(since)
    .bind(last.metadata.occurred_at)
    .bind(last.version as i64)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

pub(crate) fn step(g: &mut Guarantee, e: &RecordedEvent) -> Result<(), ProjectionError> {
    let event = GuaranteeEvent::from_stored(&e.event_type, e.schema_version, &e.payload).map_err(
        |why| ProjectionError::Event {
            event_type: e.event_type.clone(),
            why: why.to_string(),
        },
    )?;
    g.apply(&event);
    Ok(())
}
