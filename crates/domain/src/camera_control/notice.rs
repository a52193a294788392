//! The notice (уведомление об устранении нарушений, spec 000-D §2.7) and its words: statuses
//! (§3.7), directions and remedies (§3.12), the execution routes of §4.5–4.8.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::calendar::{Calendar, CalendarError};
use crate::ident::Iin;
use crate::kernel::file::FileRef;
use crate::plan_item::PlanItemId;
use crate::status::portal_terms;

/// Working days the organizer has to execute a notice, counted from the day after delivery
/// (L10946–10948).
pub const EXECUTION_WORKING_DAYS: u32 = 10;
/// Working days within which an objection can be sent, counted from the day after delivery
/// (L11154–11158).
pub const OBJECTION_WORKING_DAYS: u32 = 5;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct NoticeId(pub Uuid);

impl std::fmt::Display for NoticeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

portal_terms! {
    /// Notice statuses, the exhaustive list of spec §3.7 (L11002–11070).
    NoticeStatus {
        Delivered => "delivered", "Доставлено";
        Acknowledged => "acknowledged", "Ознакомлен";
        UnderObjection => "under_objection", "На возражении";
        InExecution => "in_execution", "На исполнении";
        NotExecutedAcknowledged => "not_executed_acknowledged", "Не исполнено. Ознакомлен";
        NotExecutedNotAcknowledged => "not_executed_unacknowledged", "Не исполнено. Не ознакомлен";
        Executed => "executed", "Исполнено";
        ExecutedPendingConfirmation => "executed_pending_confirmation", "Исполнено. На подтверждении у проверяющего";
        ExecutedNotConfirmed => "executed_not_confirmed", "Исполнено. Не подтверждено проверяющим";
        ExecutedPositiveConclusion => "executed_positive_conclusion", "Исполнено. Положительное заключение";
        ToExecuteNegativeConclusion => "to_execute_negative_conclusion", "Исполнить. Отрицательное заключение";
    }
}

impl NoticeStatus {
    /// Nothing more happens to the notice (docs/decisions/0306-notice-final-statuses.md).
    pub fn is_final(self) -> bool {
        matches!(
            self,
            Self::Executed
                | Self::ExecutedPendingConfirmation
                | Self::ExecutedNotConfirmed
                | Self::ExecutedPositiveConclusion
        )
    }

    /// Not yet read by the organizer's organization: blocks it (L10934–10940; an expired unread
    /// notice is still unread, spec §9.6 item 13).
    pub fn is_unread(self) -> bool {
        matches!(self, Self::Delivered | Self::NotExecutedNotAcknowledged)
    }

    /// The execution countdown runs and may expire (spec §4.3 N4 best reading: «На исполнении»
    /// does not expire, a negative conclusion resumes the countdown).
    pub fn countdown_runs(self) -> bool {
        matches!(
            self,
            Self::Delivered | Self::Acknowledged | Self::ToExecuteNegativeConclusion
        )
    }
}

portal_terms! {
    /// The four directions of camera control (L10864–10914); the id is the direction's number.
    Direction {
        First => "1", "первое";
        Second => "2", "второе";
        Third => "3", "третье";
        Fourth => "4", "четвертое";
    }
}

portal_terms! {
    /// «Способ устранения нарушения», the journal column (L11118–11126, §3.12).
    Remedy {
        ChangeDocumentation => "change_documentation", "Внесение изменения в документацию";
        CancelProcurement => "cancel_procurement", "Отмена закупки";
        RevisePpd => "revise_ppd", "Пересмотр ППД";
        ReviseResults => "revise_results", "Пересмотр итогов";
    }
}

/// How the organizer executes a notice: one route per «Доступные действия» button of §4.5–4.8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExecutionRoute {
    /// «Внести изменения в документацию» (direction 1).
    DocumentationChange,
    /// «Отменить закупку» → cancellation by notices (directions 1, 2, 4, and any expired notice).
    Cancellation,
    /// «Пересмотр ППД» (direction 3).
    PpdRevision,
    /// «Пересмотр итогов» (direction 4).
    ResultsRevision,
}

impl ExecutionRoute {
    /// The remedy a notice must name for this route, before any restriction to cancellation.
    pub fn remedy(self) -> Remedy {
        match self {
            Self::DocumentationChange => Remedy::ChangeDocumentation,
            Self::Cancellation => Remedy::CancelProcurement,
            Self::PpdRevision => Remedy::RevisePpd,
            Self::ResultsRevision => Remedy::ReviseResults,
        }
    }

    /// Routes whose execution the inspector confirms (L11038–11048); a cancellation is executed
    /// outright (L11026–11028).
    pub fn needs_confirmation(self) -> bool {
        self != Self::Cancellation
    }
}

/// The countdown stopped by a delivered objection (L11356): the working days still left then,
/// and the Astana date it stopped on (docs/decisions/0301-objection-countdown.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct StoppedCountdown {
    pub on: NaiveDate,
    pub remaining_working_days: u32,
}

/// What «Журнал уведомлений» shows as the days left: the calendar days (L10972–10976), and the
/// working days the rules count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RemainingDays {
    pub working_days: u32,
    pub calendar_days: u32,
}

/// One notice on one lot (L10978–10982).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Notice {
    pub id: NoticeId,
    pub plan_item_id: PlanItemId,
    pub direction: Direction,
    pub remedy: Remedy,
    pub text: String,
    pub file: Option<FileRef>,
    pub inspector_iin: Iin,
    /// The announcement status id (spec §3.1) when the notice was delivered.
    pub announcement_status_at_delivery: String,
    pub delivered_at: DateTime<Utc>,
    pub status: NoticeStatus,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// «Срок окончания исполнения уведомления»: the last Astana day of the countdown.
    pub execution_deadline: NaiveDate,
    /// The instant the countdown ends: the end of the deadline's Astana day (decision 0104).
    pub expires_at: DateTime<Utc>,
    /// The last Astana day on which an objection can be sent.
    pub objection_deadline: NaiveDate,
    pub stopped: Option<StoppedCountdown>,
    /// After expiry, «Публикация протокола обсуждения без исполнения уведомления» or a
    /// continuation without revision, only cancellation executes the notice (L10970–10972,
    /// L12187–12193, L12550–12556).
    pub cancellation_only: bool,
    pub route: Option<ExecutionRoute>,
}

impl Notice {
    /// The days left at `at`; `None` when no countdown applies (executed, expired, in execution).
    /// While an objection is pending the countdown is frozen at its stopping day.
    pub fn remaining_days(
        &self,
        at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> Result<Option<RemainingDays>, CalendarError> {
        if let (NoticeStatus::UnderObjection, Some(stopped)) = (self.status, self.stopped) {
            let calendar_days = days_from(stopped.on, self.execution_deadline);
            return Ok(Some(RemainingDays {
                working_days: stopped.remaining_working_days,
                calendar_days,
            }));
        }
        if !self.status.countdown_runs() {
            return Ok(None);
        }
        let today = calendar.to_local_date(at)?;
        if today >= self.execution_deadline {
            return Ok(Some(RemainingDays {
                working_days: 0,
                calendar_days: 0,
            }));
        }
        Ok(Some(RemainingDays {
            working_days: calendar.working_days_between(today, self.execution_deadline)?,
            calendar_days: days_from(today, self.execution_deadline),
        }))
    }

    /// Whether an objection can still be sent at `at` (the window, not the status).
    pub fn objection_window_open(
        &self,
        at: DateTime<Utc>,
        calendar: &Calendar,
    ) -> Result<bool, CalendarError> {
        Ok(at < calendar.end_of_local_day(self.objection_deadline)?)
    }
}

fn days_from(from: NaiveDate, to: NaiveDate) -> u32 {
    u32::try_from((to - from).num_days()).unwrap_or(0)
}
