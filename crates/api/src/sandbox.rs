//! The sandbox's clock (docs/decisions/0661, 0662): its time, and the operator's moves. In the
//! schema on every server; outside sandbox mode both fields answer `sandbox_disabled`.

use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use zakup_engine::sandbox::{self, Target};
use zakup_engine::{Advanced, CommandMeta, EngineError, Fired};

use crate::page::{actor, app};
use crate::refusal;

/// The sandbox's time.
#[derive(SimpleObject)]
pub struct SandboxClock {
    pub now: DateTime<Utc>,
    /// Sandbox seconds per real second: 1 runs like the real clock, 0 stands still.
    pub acceleration: i32,
}

/// How far to move the clock: the parts add up.
#[derive(InputObject, Default)]
pub struct ClockStep {
    #[graphql(default)]
    pub days: i32,
    #[graphql(default)]
    pub hours: i32,
    #[graphql(default)]
    pub minutes: i32,
    #[graphql(default)]
    pub seconds: i32,
}

/// A timed transition a move sent, and what became of it.
#[derive(SimpleObject)]
pub struct FiredTransition {
    pub announcement_id: Uuid,
    /// `end_discussion`, `start_acceptance`, `end_acceptance`, `end_supplement_period`.
    pub transition: String,
    /// Its deadline (it is appended then, or at the move's previous stop if it was due before).
    pub at: DateTime<Utc>,
    /// The refusal's code, if the rules refused it; null when it went through.
    pub refused: Option<String>,
}

/// What a move did.
#[derive(SimpleObject)]
pub struct ClockAdvance {
    pub now: DateTime<Utc>,
    /// Global position of the move's event and every transition it fired: pass it as
    /// `minPosition` to read them.
    pub position: Option<String>,
    pub fired: Vec<FiredTransition>,
    /// True when this command id had moved the clock already: nothing moved or fired again.
    pub duplicate: bool,
}

impl From<Advanced> for ClockAdvance {
    fn from(a: Advanced) -> Self {
        ClockAdvance {
            now: a.now,
            position: a.position.map(|p| p.to_string()),
            fired: a.fired.into_iter().map(FiredTransition::from).collect(),
            duplicate: a.duplicate,
        }
    }
}

impl From<Fired> for FiredTransition {
    fn from(f: Fired) -> Self {
        FiredTransition {
            announcement_id: f.announcement_id,
            transition: serde_json::to_value(f.transition)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            at: f.at,
            refused: f.result.err().map(|e| e.code().to_owned()),
        }
    }
}

fn disabled() -> async_graphql::Error {
    refusal::domain(&zakup_domain::refusal!(
        sandbox_disabled,
        "Управление временем доступно только в песочнице",
        "the clock can be moved only on a sandbox server (zakup serve --sandbox)"
    ))
}

#[derive(Default)]
pub struct SandboxQuery;

#[Object]
impl SandboxQuery {
    /// The sandbox's time (any viewer). Refused with `sandbox_disabled` on a production server.
    async fn sandbox_clock(&self, ctx: &Context<'_>) -> Result<SandboxClock> {
        let clock = app(ctx).engine.clock();
        let sandbox = clock.sandbox().ok_or_else(disabled)?;
        Ok(SandboxClock {
            now: clock.now(),
            acceleration: i32::try_from(sandbox.anchor().acceleration).unwrap_or(i32::MAX),
        })
    }
}

#[derive(Default)]
pub struct SandboxMutation;

#[Object]
impl SandboxMutation {
    /// Moves the sandbox's clock forward (the operator only), to the instant `to` or by `by`
    /// (exactly one), and fires every timed transition that falls due, in order, each at its
    /// deadline. `acceleration` (0–1440) sets how fast it runs from there; unchanged if absent.
    /// Refused with `sandbox_disabled` on a production server.
    async fn advance_clock(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        to: Option<DateTime<Utc>>,
        by: Option<ClockStep>,
        acceleration: Option<i32>,
    ) -> Result<ClockAdvance> {
        let engine = &app(ctx).engine;
        engine.clock().sandbox().ok_or_else(disabled)?;
        let target = match (to, by) {
            (Some(at), None) => Target::At(at),
            (None, Some(step)) => Target::By(
                Duration::days(step.days.into())
                    + Duration::hours(step.hours.into())
                    + Duration::minutes(step.minutes.into())
                    + Duration::seconds(step.seconds.into()),
            ),
            _ => {
                return Err(refusal::invalid_input(
                    "to",
                    "give exactly one of to and by",
                ));
            }
        };
        let acceleration = acceleration
            .map(|a| {
                u32::try_from(a)
                    .map_err(|_| refusal::invalid_input("acceleration", "not between 0 and 1440"))
            })
            .transpose()?;
        let meta = CommandMeta {
            command_id,
            correlation_id: None,
            causation_id: None,
            actor: actor(ctx)?,
            unread_notices: Default::default(),
        };
        sandbox::advance(engine, &meta, target, acceleration)
            .await
            .map(ClockAdvance::from)
            .map_err(|e: EngineError| refusal::engine(&e))
    }
}
