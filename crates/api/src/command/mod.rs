//! Mutations, one module per procedure component: drafting, lots, the discussion, applications,
//! the commission, voting, protocols, discounts, acts, camera control, and the auction's bidding,
//! the plan items and signing keys outside the announcement. `crate::Mutation` merges them. Each mutation sends one
//! command and takes a client command id, so a retry is answered from the record instead of
//! acting twice; it returns the stream's new version and the global position to pass as
//! `minPosition` to read the write.
//!
//! The API only turns input into domain values: simple ones from typed arguments (a bad
//! `planItemId` or БИН is refused with the domain's code), compound ones from typed input
//! objects (`input`). Whether the actor may do it (role, organisation, commission membership,
//! secretary) and whether the values are acceptable is decided by the aggregate.
//!
//! Not exposed: `CreateIndexCopy`, which the engine derives itself, and the plan-item commands
//! `Reserve`, `Release`, `Transfer`, `MarkProcurementHeld`/`Failed`: the engine issues them
//! itself as steps of the lot-pool process (docs/decisions/0201), and a client sending them
//! would break its invariant.

mod acts;
mod applications;
mod bidding;
mod camera_control;
mod certificates;
mod commission;
mod competition;
mod discounts;
mod discussion;
mod drafting;
mod entered_results;
mod failures;
mod guarantees;
pub(crate) mod input;
mod lots;
mod participants;
mod plan_items;
mod protocols;
mod qualification;
mod single_source;
#[cfg(test)]
mod tests;
mod voting;

pub use acts::ActMutation;
pub use applications::ApplicationMutation;
pub use bidding::BiddingMutation;
pub use camera_control::CameraControlMutation;
pub use certificates::CertificateMutation;
pub use commission::CommissionMutation;
pub use competition::{CompetitionMutation, ConclusionKind, PppMethod};
pub use discounts::DiscountMutation;
pub use discussion::DiscussionMutation;
pub use drafting::DraftingMutation;
pub use entered_results::{EnteredResultsInfo, EnteredResultsMutation, PublicationPlaces};
pub use failures::FailureMutation;
pub use guarantees::GuaranteeMutation;
pub use lots::LotMutation;
pub use participants::{ParticipantKind, ParticipantMutation, Role, RowSource};
pub use plan_items::PlanItemMutation;
pub use protocols::ProtocolMutation;
pub use qualification::QualificationMutation;
pub use single_source::SingleSourceMutation;
pub use voting::VotingMutation;

use async_graphql::{Context, Result, SimpleObject};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand;
use zakup_domain::ident::{Bin, IdKind, Iin};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_engine::{CommandMeta, Outcome};

use crate::notice;
use crate::page::{actor, app};
use crate::refusal;
use crate::term::{self, PortalTerm};

/// What a command left behind.
#[derive(SimpleObject, Debug, Clone)]
#[graphql(complex)]
pub struct CommandOutcome {
    pub stream_id: String,
    #[graphql(skip)]
    pub stream_version: Option<i64>,
    /// Global position `major:minor` of the command's last event: pass it as `minPosition`.
    pub position: Option<String>,
    /// Events appended by this call (0 for a retry, or a command with nothing to record).
    pub appended: i64,
    /// True when this command id had already been executed: the original outcome is returned.
    pub duplicate: bool,
}

#[async_graphql::ComplexObject]
impl CommandOutcome {
    /// The stream's version after the command (null: the stream is still empty). On an
    /// announcement, as the caller may know it: before opening, other organisations'
    /// application events are not counted (decision 0670).
    async fn version(&self, ctx: &Context<'_>) -> Result<Option<i64>> {
        match (self.stream_version, self.announcement()) {
            (Some(v), Some(id)) => crate::sealed::public_version(ctx, id, v).await.map(Some),
            (v, _) => Ok(v),
        }
    }

    /// The announcement's status after the command, read from its stream (null for another
    /// stream): no second query, and no wait for the read models.
    async fn status(&self, ctx: &Context<'_>) -> Result<Option<term::Term>> {
        match self.announcement() {
            Some(id) => Ok(crate::actions::now(ctx, id).await?.0),
            None => Ok(None),
        }
    }

    /// «Доступные действия» of the caller on the announcement after the command (empty for
    /// another stream).
    async fn available_actions(
        &self,
        ctx: &Context<'_>,
    ) -> Result<Vec<crate::actions::AvailableAction>> {
        match self.announcement() {
            Some(id) => Ok(crate::actions::now(ctx, id).await?.1),
            None => Ok(Vec::new()),
        }
    }
}

impl CommandOutcome {
    fn announcement(&self) -> Option<Uuid> {
        self.stream_id
            .strip_prefix("announcement-")
            .and_then(|id| id.parse().ok())
    }
}

impl From<Outcome> for CommandOutcome {
    fn from(o: Outcome) -> Self {
        CommandOutcome {
            stream_id: o.stream_id,
            stream_version: o.version.map(|v| v as i64),
            position: o.position.map(|p| p.to_string()),
            appended: o.appended as i64,
            duplicate: o.duplicate,
        }
    }
}

fn plan_item(raw: &str) -> Result<PlanItemId> {
    PlanItemId::parse(raw).map_err(|e| refusal::domain(&e))
}

fn plan_items(raw: &[String]) -> Result<Vec<PlanItemId>> {
    raw.iter().map(|r| plan_item(r)).collect()
}

fn iin(raw: &str) -> Result<Iin> {
    raw.parse()
        .map_err(|e: zakup_domain::ident::IdError| refusal::domain(&e.into_domain(IdKind::Iin)))
}

fn bin(raw: &str) -> Result<Bin> {
    raw.parse()
        .map_err(|e: zakup_domain::ident::IdError| refusal::domain(&e.into_domain(IdKind::Bin)))
}

fn money(raw: &str) -> Result<Money> {
    raw.parse::<Money>()
        .map_err(|e| refusal::domain(&zakup_domain::error::DomainError::from(e)))
}

fn portal<T: PortalTerm>(field: &str, raw: &str) -> Result<T> {
    term::parse::<T>(raw).ok_or_else(|| {
        refusal::invalid_input(field, format!("{raw:?} is not one of {}", term::ids::<T>()))
    })
}

/// The command's envelope, with the actor's organisation's unread notices for the portal-wide
/// block (docs/decisions/0310). Without the read model the command is refused rather than let
/// through: the block must not lapse when the database is unreachable.
///
/// The actor's powers are the registry's (docs/decisions/0820): a blocked employee, a user who is
/// not an employee, or (outside development) an unregistered organisation is refused here.
async fn meta(ctx: &Context<'_>, command_id: Uuid) -> Result<CommandMeta> {
    let app = app(ctx);
    let actor = crate::powers::actor(&app.engine, app.registry, actor(ctx)?).await?;
    envelope(ctx, command_id, actor).await
}

/// The envelope of a command whose actor is taken as the token says: registering a participant,
/// which the registry cannot know yet (the domain checks the ИИН/БИН against the token's).
async fn unregistered_meta(ctx: &Context<'_>, command_id: Uuid) -> Result<CommandMeta> {
    envelope(ctx, command_id, actor(ctx)?).await
}

async fn envelope(ctx: &Context<'_>, command_id: Uuid, actor: Actor) -> Result<CommandMeta> {
    let unread_notices = notice::unread_announcements(&app(ctx).pool, actor.org)
        .await
        .map_err(refusal::read_models)?;
    Ok(CommandMeta {
        command_id,
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices,
    })
}

async fn announce(
    ctx: &Context<'_>,
    command_id: Uuid,
    announcement_id: Uuid,
    command: AnnouncementCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .announcement(announcement_id, &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
