//! What an ИОИ draft names beyond the common header: the failed procurement it follows (its
//! method and why it failed, «Способ несостоявшейся закупки», L7056–7068; the reasons of
//! L7464–7484) and the invited supplier («Потенциальный поставщик», L7161–7207).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::Interval;
use crate::announcement::header::Method;
use crate::announcement::refusal;
use crate::commission::{Commission, Person};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::lot::FailureReason;
use crate::voting::Voting;

/// The failed procurement: its method and the reason its lots failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SourceFailure {
    pub failed_method: Method,
    pub failure_reason: FailureReason,
}

impl SourceFailure {
    /// A single source follows a failed ЗЦП, open tender or auction (L7062–7068; ГСЗ once it is
    /// a method, docs/decisions/0721), never another single source.
    pub fn validate(&self) -> Result<(), DomainError> {
        if self.failed_method == Method::SingleSource {
            return Err(refusal::single_source_source_invalid());
        }
        Ok(())
    }

    /// §5.1 (L7464–7484).
    pub fn interval(&self) -> Interval {
        match (self.failed_method, self.failure_reason) {
            (Method::PriceQuotations, _) => Interval::CalendarDays(5),
            (_, FailureReason::NoApplications) => Interval::CalendarDays(10),
            _ => Interval::WorkingDays(5),
        }
    }
}

/// The terms as the organizer sets them on the draft (M6, L7161–7207).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SingleSourceTerms {
    #[serde(flatten)]
    pub source: SourceFailure,
    /// The one supplier invited («Приглашенный поставщик», L6908, L7161–7163).
    pub invited_supplier_bin: Bin,
}

/// The draft's terms, set or replaced (re-selection is allowed, L7205–7207).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SingleSourceTermsSet {
    #[serde(flatten)]
    pub terms: SingleSourceTerms,
    pub set_at: DateTime<Utc>,
}

/// What only an ИОИ has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SingleSourceProcedure {
    pub terms: Option<SingleSourceTerms>,
    /// The one voter as a commission of one, derived from the organizer's representative
    /// (docs/decisions/0723).
    pub reviewer: Option<Commission>,
    /// The representative's review.
    pub voting: Voting,
    /// The invited supplier refused to take part.
    pub refused: Option<ParticipationRefused>,
    /// Created by the portal after this failed ЗЦП (A1), not drafted by hand.
    pub failed_announcement_id: Option<Uuid>,
}

impl SingleSourceProcedure {
    /// The organizer's representative is named or replaced: the removed one's vote is reset
    /// and they vote no more, the new one may vote (R2a–R2c, L8028–8040).
    pub fn representative_named(&mut self, representative: &Person) {
        let reviewer = Commission::sole(representative.clone());
        if self.reviewer.as_ref() != Some(&reviewer) {
            self.voting
                .commission_changed(self.reviewer.as_ref(), &reviewer);
            self.reviewer = Some(reviewer);
        }
    }
}

/// «Отказ от участия» of the invited supplier (O2, L7566–7576): acceptance ends at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipationRefused {
    pub supplier_bin: Bin,
    pub refused_at: DateTime<Utc>,
}
