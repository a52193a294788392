//! Technical failures and maintenance windows as the portal operator sees them (spec 001-004
//! §2.2.8 the Journal's row, §2.2.10; decision 0874): each read from its own stream. The
//! reporter's ИИН is personal data and is not shown; only the operator reads the Journal.

use async_graphql::{Context, Enum, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::Role;
use zakup_domain::maintenance_window::{self as mw, MaintenanceWindow};
use zakup_domain::technical_failure::{self as tf, FailureStatus, TechnicalFailure};
use zakup_engine::Decider;
use zakup_store::StreamRange;

use crate::page::{actor, app};
use crate::refusal;

/// «Уровень критичности».
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::technical_failure::Level")]
pub enum FailureLevel {
    Low,
    Medium,
    High,
}

/// How the request reached the operator; `MONITORING` is the operator's own record.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::technical_failure::Channel")]
pub enum FailureChannel {
    Email,
    Phone,
    OfficialLetter,
    InternetForum,
    Monitoring,
}

/// The causes of 004 L461–473; the `USER_*` ones are refuted, never confirmed.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::technical_failure::Cause")]
pub enum FailureCause {
    OperatorUnlawfulAction,
    OperatorInfosecBreach,
    OperatorPhysicalDamage,
    ThirdPartyDamage,
    ComputerAttack,
    ThirdPartyOrExternalConditions,
    UserNetworkOrPower,
    UserComputerSettings,
    UserMalware,
    UserNoncompliance,
    UserEdsKeyMisuse,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::technical_failure::FailureType")]
pub enum FailureType {
    OperatorDependent,
    OperatorIndependent,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::maintenance_window::MaintenanceKind")]
pub enum MaintenanceKind {
    Planned,
    Unscheduled,
}

/// The failure's step.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "zakup_domain::technical_failure::FailureStatus")]
pub enum TechnicalFailureStatus {
    Reported,
    Registered,
    Confirmed,
    Refuted,
    Eliminated,
}

/// The Journal's row of one failure, with each step's deadline.
#[derive(SimpleObject)]
pub struct TechnicalFailureRecord {
    pub id: Uuid,
    pub status: TechnicalFailureStatus,
    pub incident_id: Option<String>,
    pub channel: FailureChannel,
    /// The reporting organisation's БИН.
    pub organisation: String,
    pub description: String,
    pub detected_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub registration_due: DateTime<Utc>,
    pub analysis_due: DateTime<Utc>,
    pub registered_at: Option<DateTime<Utc>>,
    pub incident_id_due: Option<DateTime<Utc>>,
    pub level: Option<FailureLevel>,
    pub cause: Option<FailureCause>,
    pub failure_type: Option<FailureType>,
    pub module: Option<String>,
    pub started_at: Option<DateTime<Utc>>,
    pub planned_elimination: Option<DateTime<Utc>>,
    pub decryption_impossible: bool,
    pub affected_announcements: Vec<Uuid>,
    pub confirmed_at: Option<DateTime<Utc>>,
    pub notice_due: Option<DateTime<Utc>>,
    pub refuted_at: Option<DateTime<Utc>>,
    pub refutation_reason: Option<String>,
    pub eliminated_at: Option<DateTime<Utc>>,
    pub causes: Option<String>,
    pub recommendations: Option<String>,
    pub force_majeure_days: Option<i32>,
    pub proprietor_agreement: Option<String>,
}

impl TechnicalFailureRecord {
    fn from_fold(f: &TechnicalFailure) -> Option<Self> {
        let r = f.reported.as_ref()?;
        let (reg, c, rf, e, fm) = (
            f.registered.as_ref(),
            f.confirmed.as_ref(),
            f.refuted.as_ref(),
            f.eliminated.as_ref(),
            f.force_majeure.as_ref(),
        );
        Some(TechnicalFailureRecord {
            id: r.failure_id,
            status: f.status().unwrap_or(FailureStatus::Reported).into(),
            incident_id: reg.map(|g| g.incident_id.clone()),
            channel: r.channel.into(),
            organisation: r.organisation.to_string(),
            description: r.description.clone(),
            detected_at: r.detected_at,
            received_at: r.received_at,
            registration_due: r.registration_due,
            analysis_due: r.analysis_due,
            registered_at: reg.map(|g| g.registered_at),
            incident_id_due: reg.map(|g| g.incident_id_due),
            level: c.map(|c| c.level.into()),
            cause: c.map(|c| c.cause.into()),
            failure_type: c.map(|c| c.failure_type.into()),
            module: c.map(|c| c.module.clone()),
            started_at: c.map(|c| c.started_at),
            planned_elimination: c.map(|c| c.planned_elimination),
            decryption_impossible: c.is_some_and(|c| c.decryption_impossible),
            affected_announcements: c
                .map(|c| c.affected_announcements.clone())
                .unwrap_or_default(),
            confirmed_at: c.map(|c| c.confirmed_at),
            notice_due: c.map(|c| c.notice_due).or(rf.map(|r| r.notice_due)),
            refuted_at: rf.map(|r| r.refuted_at),
            refutation_reason: rf.map(|r| r.reason.clone()),
            eliminated_at: e.map(|e| e.eliminated_at),
            causes: e.map(|e| e.causes.clone()),
            recommendations: e.map(|e| e.recommendations.clone()),
            force_majeure_days: fm.map(|f| i32::try_from(f.days).unwrap_or(i32::MAX)),
            proprietor_agreement: fm.map(|f| f.proprietor_agreement.clone()),
        })
    }
}

/// A maintenance window as announced on the main page.
#[derive(SimpleObject)]
pub struct MaintenanceWindowRecord {
    pub id: Uuid,
    pub kind: MaintenanceKind,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub description: String,
    pub authorized_body_agreement: String,
    pub announced_at: DateTime<Utc>,
}

impl From<&mw::MaintenanceWindowAnnounced> for MaintenanceWindowRecord {
    fn from(w: &mw::MaintenanceWindowAnnounced) -> Self {
        MaintenanceWindowRecord {
            id: w.window_id,
            kind: w.kind.into(),
            starts_at: w.starts_at,
            ends_at: w.ends_at,
            description: w.description.clone(),
            authorized_body_agreement: w.authorized_body_agreement.clone(),
            announced_at: w.announced_at,
        }
    }
}

fn require_operator(ctx: &Context<'_>) -> Result<()> {
    actor(ctx)?
        .require_role(Role::Operator)
        .map_err(|e| refusal::domain(&e))
}

async fn fold<A: Decider>(ctx: &Context<'_>, id: Uuid) -> Result<A> {
    app(ctx)
        .engine
        .load::<A>(&id.to_string(), StreamRange::all())
        .await
        .map(|loaded| loaded.state)
        .map_err(|e| refusal::engine(&e))
}

#[derive(Default)]
pub struct FailureQuery;

#[Object]
impl FailureQuery {
    /// One technical failure's Journal row (the operator only); null if none has this id.
    async fn technical_failure(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<Option<TechnicalFailureRecord>> {
        require_operator(ctx)?;
        let failure: tf::TechnicalFailure = fold(ctx, id).await?;
        Ok(TechnicalFailureRecord::from_fold(&failure))
    }

    /// One maintenance window (any viewer: it is announced on the main page, 004 L760).
    async fn maintenance_window(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<Option<MaintenanceWindowRecord>> {
        let window: MaintenanceWindow = fold(ctx, id).await?;
        Ok(window.announced.as_ref().map(MaintenanceWindowRecord::from))
    }
}
