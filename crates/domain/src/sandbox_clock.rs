//! The sandbox's clock (docs/decisions/0661): in a sandbox, time is moved by calls so that a
//! procedure's weeks pass in minutes. Its moves are facts of its own stream
//! `sandbox_clock-<name>`, so that a restart keeps the time and a replay knows it; a contract
//! like every event set (schemas in `schemas/events/`, fixtures in `tests/fixtures/events/`).
//!
//! The clock reads `at + (real now − real_at) × acceleration` after its last fact: it only moves
//! forward, and only the portal operator moves it (decision 0662). The real instants come in the
//! commands: the domain reads no clock.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::refusal;

/// The sandbox's clock lives in `sandbox_clock-<name>`; an installation has one, [`STREAM_ID`].
pub const CATEGORY: &str = "sandbox_clock";
/// The one clock of a sandbox installation.
pub const STREAM_ID: &str = "main";
/// ProZorro's accelerator runs test procedures up to 1440× (a day a minute); so does this one.
pub const MAX_ACCELERATION: u32 = 1440;

/// The sandbox started: its time reads `at` when the real clock reads `real_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SandboxClockStarted {
    pub at: DateTime<Utc>,
    pub real_at: DateTime<Utc>,
    /// How many sandbox seconds pass per real second; 0 stands still.
    pub acceleration: u32,
}

/// The operator moved the clock from `from` to `to` (never back) when the real clock read
/// `real_at`, and set how fast it runs from there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SandboxClockMoved {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub real_at: DateTime<Utc>,
    pub acceleration: u32,
}

event_set! {
    /// What the clock's stream holds.
    pub enum SandboxClockEvent {
        Started(SandboxClockStarted) = 1,
        Moved(SandboxClockMoved) = 1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxClockCommand {
    /// Starts the clock at `at` (the portal, when a sandbox server first opens its database).
    Start {
        at: DateTime<Utc>,
        real_at: DateTime<Utc>,
        acceleration: u32,
    },
    /// Moves it to `to`, from the time the context says it is now.
    Move {
        to: DateTime<Utc>,
        real_at: DateTime<Utc>,
        acceleration: u32,
    },
}

/// Where the clock stood at its last fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Anchor {
    pub at: DateTime<Utc>,
    pub real_at: DateTime<Utc>,
    pub acceleration: u32,
}

impl Anchor {
    /// The sandbox's time when the real clock reads `real_now` (never before `at`: a real clock
    /// set back does not move the sandbox back).
    pub fn now(&self, real_now: DateTime<Utc>) -> DateTime<Utc> {
        let elapsed = (real_now - self.real_at).max(chrono::Duration::zero());
        let scaled = elapsed
            .checked_mul(i32::try_from(self.acceleration).unwrap_or(i32::MAX))
            .unwrap_or(chrono::Duration::MAX);
        self.at
            .checked_add_signed(scaled)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SandboxClock {
    pub anchor: Option<Anchor>,
}

impl SandboxClock {
    fn check_acceleration(acceleration: u32) -> Result<(), DomainError> {
        if acceleration > MAX_ACCELERATION {
            return Err(refusal!(
                acceleration_out_of_range,
                "Ускорение времени — от 0 до {} раз",
                "the acceleration must be between 0 and {}",
                MAX_ACCELERATION
            ));
        }
        Ok(())
    }
}

impl Decider for SandboxClock {
    const CATEGORY: &'static str = CATEGORY;
    type Command = SandboxClockCommand;
    type Event = SandboxClockEvent;

    fn initial() -> Self {
        SandboxClock::default()
    }

    fn decide(
        &self,
        command: SandboxClockCommand,
        ctx: &Context,
    ) -> Result<Vec<SandboxClockEvent>, DomainError> {
        match command {
            SandboxClockCommand::Start {
                at,
                real_at,
                acceleration,
            } => {
                ctx.actor.require_role(Role::System)?;
                if self.anchor.is_some() {
                    return Err(refusal!(
                        sandbox_clock_started,
                        "Часы песочницы уже запущены",
                        "the sandbox clock is started already"
                    ));
                }
                Self::check_acceleration(acceleration)?;
                Ok(vec![SandboxClockEvent::Started(SandboxClockStarted {
                    at,
                    real_at,
                    acceleration,
                })])
            }
            SandboxClockCommand::Move {
                to,
                real_at,
                acceleration,
            } => {
                ctx.actor.require_role(Role::Operator)?;
                if self.anchor.is_none() {
                    return Err(refusal!(
                        sandbox_disabled,
                        "Часы песочницы не запущены",
                        "the sandbox clock is not started"
                    ));
                }
                if to < ctx.now {
                    return Err(refusal!(
                        clock_backwards,
                        "Время песочницы идёт только вперёд: сейчас {}",
                        "sandbox time only moves forward: it is {} now",
                        ctx.now.to_rfc3339()
                    ));
                }
                Self::check_acceleration(acceleration)?;
                Ok(vec![SandboxClockEvent::Moved(SandboxClockMoved {
                    from: ctx.now,
                    to,
                    real_at,
                    acceleration,
                })])
            }
        }
    }

    fn evolve(&mut self, event: &SandboxClockEvent) {
        self.anchor = Some(match event {
            SandboxClockEvent::Started(s) => Anchor {
                at: s.at,
                real_at: s.real_at,
                acceleration: s.acceleration,
            },
            SandboxClockEvent::Moved(m) => Anchor {
                at: m.to,
                real_at: m.real_at,
                acceleration: m.acceleration,
            },
        });
    }
}
