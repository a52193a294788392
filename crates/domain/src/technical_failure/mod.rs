//! A technical failure of the portal as its own aggregate (spec 001-004 §1.3, §4.1; decision
//! 0870): reported, registered under an incident id, analysed, confirmed with a criticality level
//! or refuted, eliminated. Its stream is `technical_failure-<uuid>`. The measures of its level are
//! applied to the procurements by the engine's workflow (`zakup_engine::failures`), each on the
//! announcement's own stream and carrying this failure's id; this aggregate only records the
//! Journal's row and the deadlines of each step, in the operator's working time (`timers`).

pub mod event;
pub mod measures;
pub mod refusal;
pub mod timers;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::Decider;
pub use event::*;
pub use measures::{Level, Period, Rule};

/// The Journal's column 8 and the steps around it (spec §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureStatus {
    Reported,
    Registered,
    Confirmed,
    Refuted,
    Eliminated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TechnicalFailureCommand {
    /// I1/I2: any registered user reports; the operator's specialist records with `monitoring`.
    Report {
        failure_id: Uuid,
        channel: Channel,
        description: String,
        detected_at: DateTime<Utc>,
    },
    /// I3/I4: the operator registers it; the incident id derives from the failure's id.
    Register,
    /// I8: the operator confirms it with its level and the facts the measures need.
    Confirm {
        level: Level,
        cause: Cause,
        module: String,
        started_at: DateTime<Utc>,
        planned_elimination: DateTime<Utc>,
        decryption_impossible: bool,
        affected_announcements: Vec<Uuid>,
    },
    /// I7: the operator refutes it.
    Refute {
        cause: Option<Cause>,
        reason: String,
    },
    /// I11: the operator records the elimination at `eliminated_at`.
    Eliminate {
        eliminated_at: DateTime<Utc>,
        causes: String,
        recommendations: String,
    },
    /// H11: force majeure, with the proprietor's agreement.
    AgreeForceMajeure {
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        proprietor_agreement: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TechnicalFailure {
    pub reported: Option<TechnicalFailureReported>,
    pub registered: Option<TechnicalFailureRegistered>,
    pub confirmed: Option<TechnicalFailureConfirmed>,
    pub refuted: Option<TechnicalFailureRefuted>,
    pub eliminated: Option<TechnicalFailureEliminated>,
    pub force_majeure: Option<ForceMajeureAgreed>,
}

/// T3 (004 L516): the incident id reaches the user within an hour of registration.
const INCIDENT_ID_MINUTES: i64 = 60;
/// T6 (004 L533), T8 (L568), T16 (L722): 30 minutes; T9/T10 (L600–602): an hour.
const SHORT_NOTICE_MINUTES: i64 = 30;
const MEDIUM_NOTICE_MINUTES: i64 = 60;

impl TechnicalFailure {
    pub fn status(&self) -> Option<FailureStatus> {
        if self.eliminated.is_some() {
            Some(FailureStatus::Eliminated)
        } else if self.refuted.is_some() {
            Some(FailureStatus::Refuted)
        } else if self.confirmed.is_some() {
            Some(FailureStatus::Confirmed)
        } else if self.registered.is_some() {
            Some(FailureStatus::Registered)
        } else {
            self.reported.as_ref().map(|_| FailureStatus::Reported)
        }
    }

    pub fn id(&self) -> Option<Uuid> {
        self.reported.as_ref().map(|r| r.failure_id)
    }

    /// `S` to `E`, once eliminated.
    pub fn period(&self) -> Option<Period> {
        let (confirmed, eliminated) = (self.confirmed.as_ref()?, self.eliminated.as_ref()?);
        Some(Period {
            start: confirmed.started_at,
            eliminated: eliminated.eliminated_at,
        })
    }

    /// The incident id of I4: unique because the failure's id is.
    pub fn incident_id(failure_id: Uuid) -> String {
        let simple = failure_id.simple().to_string().to_uppercase();
        format!("INC-{}", &simple[..12])
    }

    pub fn decide(
        &self,
        command: TechnicalFailureCommand,
        ctx: &Context,
    ) -> Result<Vec<TechnicalFailureEvent>, DomainError> {
        use TechnicalFailureCommand as C;
        use TechnicalFailureEvent as E;
        let now = ctx.now;
        if let C::Report {
            failure_id,
            channel,
            description,
            detected_at,
        } = command
        {
            if self.reported.is_some() {
                return Err(refusal::failure_exists());
            }
            if ctx.actor.has_role(Role::System) {
                return Err(refusal::forbidden_failure_role());
            }
            if channel == Channel::Monitoring && !ctx.actor.has_role(Role::Operator) {
                return Err(refusal::forbidden_failure_role());
            }
            crate::kernel::text::text("description", &description)?;
            if detected_at > now {
                return Err(refusal::instant_in_future());
            }
            return Ok(vec![E::Reported(TechnicalFailureReported {
                failure_id,
                reported_by: ctx.actor.iin,
                organisation: ctx.actor.org,
                channel,
                description,
                detected_at,
                received_at: now,
                registration_due: timers::add_working_minutes(
                    &ctx.calendar,
                    now,
                    timers::REGISTRATION_MINUTES,
                )?,
                analysis_due: timers::add_working_minutes(
                    &ctx.calendar,
                    now,
                    timers::ANALYSIS_MINUTES,
                )?,
            })]);
        }
        let Some(reported) = &self.reported else {
            return Err(refusal::failure_not_found());
        };
        self.require_operator(ctx)?;
        let status = self.status();
        let minutes = TimeDelta::minutes;
        match command {
            C::Report { .. } => Err(refusal::failure_exists()),
            C::Register => {
                if status != Some(FailureStatus::Reported) {
                    return Err(refusal::failure_wrong_status());
                }
                Ok(vec![E::Registered(TechnicalFailureRegistered {
                    incident_id: Self::incident_id(reported.failure_id),
                    operator: ctx.actor.org,
                    registered_by: ctx.actor.iin,
                    registered_at: now,
                    incident_id_due: now + minutes(INCIDENT_ID_MINUTES),
                })])
            }
            C::Confirm {
                level,
                cause,
                module,
                started_at,
                planned_elimination,
                decryption_impossible,
                affected_announcements,
            } => {
                if status != Some(FailureStatus::Registered) {
                    return Err(refusal::failure_wrong_status());
                }
                let failure_type = cause.failure_type().ok_or_else(refusal::user_side_cause)?;
                crate::kernel::text::name("module", &module)?;
                if started_at > now {
                    return Err(refusal::instant_in_future());
                }
                if planned_elimination < started_at {
                    return Err(refusal::elimination_before_start());
                }
                if level == Level::Medium && affected_announcements.is_empty() {
                    return Err(refusal::affected_announcements_required());
                }
                let notice = match level {
                    Level::Medium => MEDIUM_NOTICE_MINUTES,
                    Level::Low | Level::High => SHORT_NOTICE_MINUTES,
                };
                Ok(vec![E::Confirmed(TechnicalFailureConfirmed {
                    level,
                    cause,
                    failure_type,
                    module,
                    started_at,
                    planned_elimination,
                    decryption_impossible,
                    affected_announcements,
                    confirmed_by: ctx.actor.iin,
                    confirmed_at: now,
                    notice_due: now + minutes(notice),
                })])
            }
            C::Refute { cause, reason } => {
                if status != Some(FailureStatus::Registered) {
                    return Err(refusal::failure_wrong_status());
                }
                crate::kernel::text::text("reason", &reason)?;
                Ok(vec![E::Refuted(TechnicalFailureRefuted {
                    cause,
                    reason,
                    refuted_by: ctx.actor.iin,
                    refuted_at: now,
                    notice_due: now + minutes(SHORT_NOTICE_MINUTES),
                })])
            }
            C::Eliminate {
                eliminated_at,
                causes,
                recommendations,
            } => {
                let confirmed = self.require_confirmed()?;
                if status == Some(FailureStatus::Eliminated) {
                    return Err(refusal::failure_wrong_status());
                }
                if eliminated_at > now {
                    return Err(refusal::instant_in_future());
                }
                if eliminated_at < confirmed.started_at {
                    return Err(refusal::elimination_before_start());
                }
                crate::kernel::text::text("causes", &causes)?;
                crate::kernel::text::optional_text("recommendations", &recommendations)?;
                Ok(vec![E::Eliminated(TechnicalFailureEliminated {
                    eliminated_at,
                    causes,
                    recommendations,
                    recorded_by: ctx.actor.iin,
                    recorded_at: now,
                })])
            }
            C::AgreeForceMajeure {
                started_at,
                ended_at,
                proprietor_agreement,
            } => self.agree_force_majeure(started_at, ended_at, proprietor_agreement, ctx),
        }
    }

    fn agree_force_majeure(
        &self,
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        proprietor_agreement: String,
        ctx: &Context,
    ) -> Result<Vec<TechnicalFailureEvent>, DomainError> {
        let confirmed = self.require_confirmed()?;
        if confirmed.level != Level::High || self.force_majeure.is_some() {
            return Err(refusal::failure_wrong_status());
        }
        if proprietor_agreement.trim().is_empty() {
            return Err(refusal::force_majeure_agreement_required());
        }
        crate::kernel::text::name("proprietor_agreement", &proprietor_agreement)?;
        if ended_at > ctx.now {
            return Err(refusal::instant_in_future());
        }
        if ended_at <= started_at {
            return Err(refusal::elimination_before_start());
        }
        // "На количество дней, в течение которых действовали обстоятельства" (004 L731): the
        // calendar days it lasted, a part of a day counting whole.
        let minutes = (ended_at - started_at).num_minutes();
        let days = u32::try_from((minutes + 24 * 60 - 1) / (24 * 60)).unwrap_or(u32::MAX);
        Ok(vec![TechnicalFailureEvent::ForceMajeureAgreed(
            ForceMajeureAgreed {
                started_at,
                ended_at,
                days,
                proprietor_agreement,
                recorded_by: ctx.actor.iin,
                recorded_at: ctx.now,
            },
        )])
    }

    fn require_confirmed(&self) -> Result<&TechnicalFailureConfirmed, DomainError> {
        match (&self.confirmed, &self.refuted) {
            (Some(confirmed), None) => Ok(confirmed),
            _ => Err(refusal::failure_not_confirmed()),
        }
    }

    /// The operator's staff, and once registered, of the organisation that registered it.
    fn require_operator(&self, ctx: &Context) -> Result<(), DomainError> {
        if !ctx.actor.has_role(Role::Operator) {
            return Err(refusal::forbidden_failure_role());
        }
        let operator: Option<Bin> = self.registered.as_ref().map(|r| r.operator);
        if operator.is_some_and(|org| org != ctx.actor.org) {
            return Err(refusal::foreign_operator());
        }
        Ok(())
    }

    pub fn apply(&mut self, event: &TechnicalFailureEvent) {
        use TechnicalFailureEvent as E;
        match event {
            E::Reported(e) => self.reported = Some(e.clone()),
            E::Registered(e) => self.registered = Some(e.clone()),
            E::Confirmed(e) => self.confirmed = Some(e.clone()),
            E::Refuted(e) => self.refuted = Some(e.clone()),
            E::Eliminated(e) => self.eliminated = Some(e.clone()),
            E::ForceMajeureAgreed(e) => self.force_majeure = Some(e.clone()),
        }
    }
}

impl Decider for TechnicalFailure {
    const CATEGORY: &'static str = "technical_failure";
    type Command = TechnicalFailureCommand;
    type Event = TechnicalFailureEvent;

    fn initial() -> Self {
        TechnicalFailure::default()
    }

    fn decide(
        &self,
        command: TechnicalFailureCommand,
        ctx: &Context,
    ) -> Result<Vec<TechnicalFailureEvent>, DomainError> {
        TechnicalFailure::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &TechnicalFailureEvent) {
        self.apply(event);
    }
}
