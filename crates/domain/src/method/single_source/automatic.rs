//! The automatic single source (spec 000-C A1–A2, L6862–6952): a ЗЦП whose lots fail with
//! «подана одна заявка» is followed by an ИОИ created and published by itself, inviting that
//! supplier. The engine's workflow runs it across the two streams; here are its facts and the
//! rules that do not depend on an announcement's state.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::Context;
use crate::announcement::event::AnnouncementDrafted;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::lot::{Lot, LotOutcome};
use crate::plan_item::PlanItemId;

/// The automatic acceptance lasts 5 calendar days (L6892).
const AUTOMATIC_ACCEPTANCE_DAYS: i64 = 5;
/// A start moved off a weekend or holiday opens at 09:00 Astana (L6886–6890).
const MOVED_START_LOCAL_HOUR: u32 = 9;

/// The ИОИ created by the portal after the failed ЗЦП `failed_announcement_id`, drafted by that
/// ЗЦП's creator for its organizer (L6900–6916), as a draft is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SingleSourceCreated {
    #[serde(flatten)]
    pub drafted: AnnouncementDrafted,
    pub failed_announcement_id: Uuid,
}

/// On the failed ЗЦП: the ИОИ that invites `supplier_bin` exists (A1–A2): the workflow's last
/// step, after which nothing is left to do for that supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SingleSourceStarted {
    pub single_source_announcement_id: Uuid,
    pub supplier_bin: Bin,
    pub started_at: DateTime<Utc>,
}

/// The automatic window (L6886–6892): from the publication, or from 09:00 of the next working
/// day when published on a weekend or holiday, for 5 calendar days.
pub fn automatic_window(ctx: &Context) -> Result<(DateTime<Utc>, DateTime<Utc>), DomainError> {
    let calendar = &ctx.calendar;
    let today = calendar.to_local_date(ctx.now)?;
    let start = if calendar.is_working_day(today)? {
        ctx.now
    } else {
        let day = calendar.first_working_day_from(today)?;
        let at = NaiveTime::from_hms_opt(MOVED_START_LOCAL_HOUR, 0, 0).expect("a time of day");
        calendar.to_utc(day.and_time(at))?
    };
    Ok((start, start + Duration::days(AUTOMATIC_ACCEPTANCE_DAYS)))
}

/// The lots of a completed ЗЦП that failed with «подана одна заявка», by the supplier of that
/// one application (A1): one ИОИ per supplier, each inviting its own (docs/decisions/0724).
pub fn one_application_lots<'a>(
    lots: impl Iterator<Item = &'a Lot>,
    applicant: impl Fn(&PlanItemId) -> Option<Bin>,
) -> BTreeMap<Bin, Vec<PlanItemId>> {
    let mut by_supplier: BTreeMap<Bin, Vec<PlanItemId>> = BTreeMap::new();
    for lot in lots {
        let one = matches!(
            lot.outcome,
            Some(LotOutcome::Failed {
                reason: Some(crate::lot::FailureReason::OneApplication)
            })
        );
        if let Some(supplier) = applicant(lot.plan_item_id()).filter(|_| one) {
            by_supplier
                .entry(supplier)
                .or_default()
                .push(lot.plan_item_id().clone());
        }
    }
    by_supplier
}
