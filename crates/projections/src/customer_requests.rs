//! The `customer_requests` read model («Заявки заказчиков»): the plan items customers asked their
//! organizer to procure, the returned ones with the reason, and the announcement holding each.

use futures::future::BoxFuture;
use sqlx::PgConnection;
use zakup_domain::plan_item::{PlanItem, PlanItemEvent};
use zakup_domain::status::PlanItemStatus;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{Change, Folds};
use crate::projection::{Projection, ProjectionError};

pub struct CustomerRequests {
    folds: Folds<PlanItem>,
}

impl CustomerRequests {
    pub fn new() -> Self {
        CustomerRequests {
            folds: Folds::new(step),
        }
    }
}

impl Default for CustomerRequests {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[
    include_str!("../../../projections/customer_requests/0001_customer_requests.sql"),
    include_str!("../../../projections/customer_requests/0002_no_history.sql"),
    include_str!("../../../projections/customer_requests/0003_cancelled.sql"),
];

impl Projection for CustomerRequests {
    fn name(&self) -> &'static str {
        "customer_requests"
    }

    fn filter(&self) -> Filter {
        Filter::categories(["plan_item"])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["customer_requests"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let folds = self.folds.fold(store, events).await?;
            let mut rows = Vec::with_capacity(folds.len());
            for Change {
                after: item, last, ..
            } in folds.into_values()
            {
                if let Some(request) = item.request.clone() {
                    rows.push((item, request, last));
                }
            }
            let ids: Vec<String> = rows
                .iter()
                .map(|(_, r, _)| r.plan_item_id.0.clone())
                .collect();
            sqlx::query("DELETE FROM customer_requests WHERE plan_item_id = ANY($1)")
                .bind(&ids)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO customer_requests (plan_item_id, customer_bin, organizer_bin,
                     subject_type, name_ru, amount, requested_at, state, return_reason,
                     returned_at, announcement_id, lot_number, updated_at, version)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                     $6::numeric[], $7::timestamptz[], $8::text[], $9::text[],
                     $10::timestamptz[], $11::uuid[], $12::text[], $13::timestamptz[],
                     $14::bigint[])",
            )
            .bind(&ids)
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.customer_bin.to_string())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.organizer_bin.to_string())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.subject_type.id())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.name_ru.clone())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.amount.amount())
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, r, _)| r.requested_at)
                    .collect::<Vec<_>>(),
            )
            .bind(rows.iter().map(|(i, _, _)| state(i)).collect::<Vec<_>>())
            .bind(
                rows.iter()
                    .map(|(i, _, _)| i.returned.as_ref().map(|r| r.reason.clone()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(i, _, _)| i.returned.as_ref().map(|r| r.returned_at))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(i, _, _)| i.holder.as_ref().map(|h| h.announcement_id))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(i, _, _)| i.holder.as_ref().map(|h| h.lot_number.clone()))
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, _, l)| l.metadata.occurred_at)
                    .collect::<Vec<_>>(),
            )
            .bind(
                rows.iter()
                    .map(|(_, _, l)| l.version as i64)
                    .collect::<Vec<_>>(),
            )
            .execute(&mut *tx)
            .await?;
            Ok(())
        })
    }
}

fn step(item: &mut PlanItem, e: &RecordedEvent) -> Result<(), ProjectionError> {
    let event =
        PlanItemEvent::from_stored(&e.event_type, e.schema_version, &e.payload).map_err(|why| {
            ProjectionError::Event {
                event_type: e.event_type.clone(),
                why: why.to_string(),
            }
        })?;
    item.apply(&event);
    Ok(())
}

/// Where the request stands: `requested`, `returned`, `reserved` (an announcement holds it),
/// the outcome of the procurement (`procurement_held`, `procurement_failed`), or `cancelled`
/// (its lot was cancelled; back in the pool, decision 0608).
pub fn state(item: &PlanItem) -> &'static str {
    match (item.status, &item.holder, &item.returned) {
        // Back in the pool after the cancellation, the organizer may return it to the customer.
        (Some(PlanItemStatus::Cancelled), None, Some(_)) => "returned",
        (Some(status), _, _) => match status {
            PlanItemStatus::ProcurementHeld => "procurement_held",
            PlanItemStatus::ProcurementFailed => "procurement_failed",
            PlanItemStatus::UnderAppeal => "under_appeal",
            PlanItemStatus::Cancelled => "cancelled",
        },
        (None, Some(_), _) => "reserved",
        (None, None, Some(_)) => "returned",
        (None, None, None) => "requested",
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use uuid::Uuid;
    use zakup_domain::plan_item::{
        PlanItemReleased, PlanItemReserved, PlanItemReturnedToCustomer, ReleaseReason,
    };

    use super::*;

    /// Decision 0608: a cancelled lot's request is `cancelled`, until the organizer returns it to
    /// the customer or an announcement takes it again.
    #[test]
    fn a_cancelled_request_is_cancelled_until_returned_or_reserved_again() {
        let announcement_id = Uuid::from_u128(1);
        let reserved = PlanItemEvent::Reserved(PlanItemReserved {
            announcement_id,
            lot_number: "L-1".into(),
            method: zakup_domain::announcement::header::Method::OpenTender,
            reserved_at: Utc::now(),
        });
        let cancelled = PlanItemEvent::Released(PlanItemReleased {
            announcement_id,
            reason: ReleaseReason::LotCancelled,
            released_at: Utc::now(),
        });
        let returned = PlanItemEvent::ReturnedToCustomer(PlanItemReturnedToCustomer {
            reason: "Нет спецификации".into(),
            returned_at: Utc::now(),
        });
        let item = PlanItem::fold([&reserved, &cancelled]);
        assert_eq!(state(&item), "cancelled");
        assert_eq!(
            state(&PlanItem::fold([&reserved, &cancelled, &reserved])),
            "reserved"
        );
        assert_eq!(
            state(&PlanItem::fold([&reserved, &cancelled, &returned])),
            "returned"
        );
    }
}
