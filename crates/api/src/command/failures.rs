//! The operator's commands on technical failures and maintenance windows (spec 001-004 §4.1,
//! §4.4, §4.5; decision 0874). Whether the actor may (the operator, of the registering
//! organisation) and whether the values hold is the aggregates' to decide.

use async_graphql::{Context, Object, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::maintenance_window::{MaintenanceWindow, MaintenanceWindowCommand};
use zakup_domain::technical_failure::{TechnicalFailure, TechnicalFailureCommand as F};
use zakup_engine::Decider;

use super::{CommandOutcome, meta};
use crate::failure::{FailureCause, FailureChannel, FailureLevel, MaintenanceKind};
use crate::page::app;
use crate::refusal;

#[derive(Default)]
pub struct FailureMutation;

#[Object]
impl FailureMutation {
    /// I1/I2: reports a failure (any signed-in user; `MONITORING` the operator only).
    async fn report_technical_failure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
        channel: FailureChannel,
        description: String,
        detected_at: DateTime<Utc>,
    ) -> Result<CommandOutcome> {
        let command = F::Report {
            failure_id,
            channel: channel.into(),
            description,
            detected_at,
        };
        run::<TechnicalFailure>(ctx, command_id, failure_id, command).await
    }

    /// I3/I4: registers it in the Journal under its incident id.
    async fn register_technical_failure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
    ) -> Result<CommandOutcome> {
        run::<TechnicalFailure>(ctx, command_id, failure_id, F::Register).await
    }

    /// I8: confirms it with its level; a medium failure names its announcements.
    #[allow(clippy::too_many_arguments)]
    async fn confirm_technical_failure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
        level: FailureLevel,
        cause: FailureCause,
        module: String,
        started_at: DateTime<Utc>,
        planned_elimination: DateTime<Utc>,
        // Optional rather than defaulted: introspection tools print argument defaults unevenly.
        decryption_impossible: Option<bool>,
        affected_announcements: Option<Vec<Uuid>>,
    ) -> Result<CommandOutcome> {
        let command = F::Confirm {
            level: level.into(),
            cause: cause.into(),
            module,
            started_at,
            planned_elimination,
            decryption_impossible: decryption_impossible.unwrap_or(false),
            affected_announcements: affected_announcements.unwrap_or_default(),
        };
        run::<TechnicalFailure>(ctx, command_id, failure_id, command).await
    }

    /// I7: refutes it.
    async fn refute_technical_failure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
        cause: Option<FailureCause>,
        reason: String,
    ) -> Result<CommandOutcome> {
        let command = F::Refute {
            cause: cause.map(Into::into),
            reason,
        };
        run::<TechnicalFailure>(ctx, command_id, failure_id, command).await
    }

    /// I11: records its elimination.
    async fn eliminate_technical_failure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
        eliminated_at: DateTime<Utc>,
        causes: String,
        recommendations: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = F::Eliminate {
            eliminated_at,
            causes,
            recommendations: recommendations.unwrap_or_default(),
        };
        run::<TechnicalFailure>(ctx, command_id, failure_id, command).await
    }

    /// H11: force majeure that lasted from `startedAt` to `endedAt`, with the proprietor's
    /// agreement (refused with `force_majeure_agreement_required` without it).
    async fn agree_force_majeure(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        failure_id: Uuid,
        started_at: DateTime<Utc>,
        ended_at: DateTime<Utc>,
        proprietor_agreement: String,
    ) -> Result<CommandOutcome> {
        let command = F::AgreeForceMajeure {
            started_at,
            ended_at,
            proprietor_agreement,
        };
        run::<TechnicalFailure>(ctx, command_id, failure_id, command).await
    }

    /// W2/W3: announces technical and preventive works at least 2 calendar days ahead.
    #[allow(clippy::too_many_arguments)]
    async fn announce_maintenance_window(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        window_id: Uuid,
        kind: MaintenanceKind,
        starts_at: DateTime<Utc>,
        ends_at: DateTime<Utc>,
        description: String,
        authorized_body_agreement: String,
    ) -> Result<CommandOutcome> {
        let command = MaintenanceWindowCommand::Announce {
            window_id,
            kind: kind.into(),
            starts_at,
            ends_at,
            description,
            authorized_body_agreement,
        };
        run::<MaintenanceWindow>(ctx, command_id, window_id, command).await
    }
}

async fn run<A: Decider>(
    ctx: &Context<'_>,
    command_id: Uuid,
    id: Uuid,
    command: A::Command,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<A>(&id.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
