//! Planned and unscheduled technical and preventive works (spec 001-004 §4.4 W1–W4; decision
//! 0872): the operator announces a window on the main page no later than 2 calendar days before
//! it (004 L312, L760), agreed with the authorized body (L312). Its stream is
//! `maintenance_window-<uuid>`. The deadlines that fall inside it move by its length (W4, §8.4):
//! the engine's workflow asks each announcement concerned to shift its own
//! (`procedure::extensions`).

use chrono::{DateTime, TimeDelta, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::technical_failure::refusal;

/// «Не позднее 2 (двух) календарных дней до» (004 L312, L760): counted as 48 hours before the
/// start, so a window starting Sat 00:00 may be announced until Thu 00:00.
pub const NOTICE_CALENDAR_DAYS: i64 = 2;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceKind {
    /// On the schedule agreed with the authorized body (W2).
    Planned,
    /// Unscheduled works, also agreed with the authorized body (W2).
    Unscheduled,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MaintenanceWindowAnnounced {
    pub window_id: Uuid,
    pub kind: MaintenanceKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub description: String,
    /// The authorized body's agreement (a letter's number and date).
    pub authorized_body_agreement: String,
    pub operator: Bin,
    pub announced_by: Iin,
    pub announced_at: DateTime<Utc>,
}

event_set! {
    pub enum MaintenanceWindowEvent {
        Announced(MaintenanceWindowAnnounced) = 1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaintenanceWindowCommand {
    Announce {
        window_id: Uuid,
        kind: MaintenanceKind,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        description: String,
        authorized_body_agreement: String,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MaintenanceWindow {
    pub announced: Option<MaintenanceWindowAnnounced>,
}

impl MaintenanceWindow {
    pub fn decide(
        &self,
        command: MaintenanceWindowCommand,
        ctx: &Context,
    ) -> Result<Vec<MaintenanceWindowEvent>, DomainError> {
        let MaintenanceWindowCommand::Announce {
            window_id,
            kind,
            starts_at,
            ends_at,
            description,
            authorized_body_agreement,
        } = command;
        if !ctx.actor.has_role(Role::Operator) {
            return Err(refusal::forbidden_failure_role());
        }
        if self.announced.is_some() {
            return Err(refusal::maintenance_window_exists());
        }
        if ends_at <= starts_at {
            return Err(refusal::maintenance_window_invalid());
        }
        if ctx.now > starts_at - TimeDelta::days(NOTICE_CALENDAR_DAYS) {
            return Err(refusal::maintenance_notice_too_short());
        }
        crate::kernel::text::text("description", &description)?;
        if authorized_body_agreement.trim().is_empty() {
            return Err(refusal::authorized_body_agreement_required());
        }
        crate::kernel::text::name("authorized_body_agreement", &authorized_body_agreement)?;
        Ok(vec![MaintenanceWindowEvent::Announced(
            MaintenanceWindowAnnounced {
                window_id,
                kind,
                starts_at,
                ends_at,
                description,
                authorized_body_agreement,
                operator: ctx.actor.org,
                announced_by: ctx.actor.iin,
                announced_at: ctx.now,
            },
        )])
    }

    pub fn apply(&mut self, event: &MaintenanceWindowEvent) {
        let MaintenanceWindowEvent::Announced(e) = event;
        self.announced = Some(e.clone());
    }
}

impl Decider for MaintenanceWindow {
    const CATEGORY: &'static str = "maintenance_window";
    type Command = MaintenanceWindowCommand;
    type Event = MaintenanceWindowEvent;

    fn initial() -> Self {
        MaintenanceWindow::default()
    }

    fn decide(
        &self,
        command: MaintenanceWindowCommand,
        ctx: &Context,
    ) -> Result<Vec<MaintenanceWindowEvent>, DomainError> {
        MaintenanceWindow::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &MaintenanceWindowEvent) {
        self.apply(event);
    }
}
