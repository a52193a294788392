//! The lots: each customer plan item put up for procurement, with the status of spec §3.2 as the
//! domain derives it, its cancellation and its outcome.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::status::LotStatus;

#[derive(Debug, Clone, PartialEq)]
pub struct LotView {
    pub plan_item_id: String,
    pub lot_number: String,
    pub customer_bin: String,
    pub name_ru: String,
    pub name_kk: String,
    /// «КТРУ» code of the plan item, where the plan gave one.
    pub ktru: Option<String>,
    /// The amount allocated (выделенная сумма), tenge.
    pub amount: Decimal,
    /// Null where the spec names no lot status (draft, completed).
    pub status: Option<LotStatus>,
    pub cancelled_at: Option<DateTime<Utc>>,
    /// `held`, `failed` or `cancelled` once the procurement ended.
    pub outcome: Option<&'static str>,
    /// Why a failed lot did not take place, where its outcome says.
    pub failure_reason: Option<FailureReason>,
    pub winner_application_id: Option<Uuid>,
}

impl LotView {
    /// Every lot of `a`, by lot number.
    pub fn all(a: &Announcement) -> Vec<LotView> {
        let mut lots: Vec<LotView> = a
            .lots
            .values()
            .map(|l| LotView {
                plan_item_id: l.source.plan_item_id.0.clone(),
                lot_number: l.source.lot_number.clone(),
                customer_bin: l.source.customer_bin.to_string(),
                name_ru: l.source.name_ru.clone(),
                name_kk: l.source.name_kk.clone(),
                ktru: l.source.ktru.map(|k| k.to_string()),
                amount: l.source.amount.amount(),
                status: a.lot_status(l.plan_item_id()),
                cancelled_at: l.cancellation.as_ref().map(|c| c.cancelled_at),
                outcome: l.outcome.as_ref().map(outcome_id),
                failure_reason: l.outcome.as_ref().and_then(LotOutcome::failure_reason),
                winner_application_id: match &l.outcome {
                    Some(LotOutcome::Held { winner }) => Some(winner.0),
                    _ => None,
                },
            })
            .collect();
        lots.sort_by(|x, y| {
            (&x.lot_number, &x.plan_item_id).cmp(&(&y.lot_number, &y.plan_item_id))
        });
        lots
    }
}

/// The serde tag of the outcome: `held`, `failed`, `cancelled`.
pub fn outcome_id(outcome: &LotOutcome) -> &'static str {
    match outcome {
        LotOutcome::Held { .. } => "held",
        LotOutcome::Failed { .. } => "failed",
        LotOutcome::Cancelled => "cancelled",
    }
}
