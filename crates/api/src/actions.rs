//! «Доступные действия» served (issue 24 item 2, docs/decisions/0653): the domain's
//! `Announcement::available_actions` for the viewer, decided at an instant with the viewer's
//! organisation's unread notices, so the portal-wide block (docs/decisions/0310) answers as it
//! answers a command; per lot the domain's `available_lot_actions` (docs/decisions/0655). Each
//! action names the mutation that takes it and the arguments the user fills in. Nothing here
//! restates a rule.

use async_graphql::{Context, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context as Decision};
use zakup_domain::announcement::Announcement as State;
use zakup_domain::announcement::actions::{Action, LotAction};
use zakup_domain::plan_item::PlanItemId;
use zakup_store::StreamRange;

use crate::AppState;
use crate::page::{app, viewer};
use crate::refusal;
use crate::term::{PortalTerm, Term};

/// One of «Доступные действия»: its portal term, the mutation that takes it, and that mutation's
/// arguments beyond `commandId` and `announcementId`, as the SDL writes them (`ballot:
/// BallotInput!`): the ids the state gives (the request, the protocol's version and hash) and the
/// input only the user can give (a ballot, prices, documents, a signature).
#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct AvailableAction {
    /// Stable snake_case id, e.g. `cast_vote`.
    pub id: String,
    /// The portal's button, e.g. «Проголосовать».
    pub original: String,
    /// The mutation, e.g. `castVote`.
    pub mutation: String,
    /// Its arguments but `commandId` and `announcementId`, e.g. `["applicationId: UUID!",
    /// "ballot: BallotInput!"]`.
    pub input: Vec<String>,
}

const SIGN: &[&str] = &[
    "kind: String!",
    "version: Int!",
    "signerIin: String!",
    "contentSha256: String!",
    "signature: String!",
    "dissent: FileRefInput",
];
const PUBLISH: &[&str] = &["kind: String!"];

impl AvailableAction {
    fn of<T: PortalTerm>(term: T, mutation: &str, input: &[&str]) -> AvailableAction {
        AvailableAction {
            id: term.id().into(),
            original: term.original().into(),
            mutation: mutation.into(),
            input: input.iter().map(|&i| i.to_owned()).collect(),
        }
    }
}

impl From<Action> for AvailableAction {
    fn from(a: Action) -> Self {
        use Action as A;
        let (mutation, input): (&str, &[&str]) = match a {
            A::Publish => ("publish", &[]),
            A::DeleteDraft => ("deleteDraft", &[]),
            A::SubmitDiscussionRequest => (
                "submitDiscussionRequest",
                &["requestId: UUID!", "subject: String!", "text: String!"],
            ),
            A::AnswerDiscussionRequest => (
                "answerDiscussionRequest",
                &["requestId: UUID!", "decision: String!", "text: String"],
            ),
            A::CompleteDiscussion => ("completeDiscussion", &["signers: [PersonInput!]!"]),
            A::FormDiscussionProtocol => ("formDiscussionProtocol", &[]),
            A::DeleteDiscussionProtocol => ("deleteDiscussionProtocol", &[]),
            A::SignDiscussionProtocol
            | A::SignPreliminaryAdmissionProtocol
            | A::SignResultsProtocol => ("signProtocol", SIGN),
            A::PublishDiscussionProtocol
            | A::PublishPreliminaryAdmissionProtocol
            | A::PublishResultsProtocol => ("publishProtocol", PUBLISH),
            A::WithdrawApplication => ("withdrawApplication", &["applicationId: UUID!"]),
            A::CastVote => (
                "castVote",
                &["applicationId: UUID!", "ballot: BallotInput!"],
            ),
            A::CompleteVoting => ("completeVoting", &[]),
            A::ReopenVoting => ("reopenVoting", &[]),
            A::FormPreliminaryAdmissionProtocol => ("formPreliminaryAdmissionProtocol", &[]),
            A::FormResultsProtocol => ("formResultsProtocol", &[]),
            A::DeleteResultsProtocol => ("deleteResultsProtocol", &[]),
            A::CompleteConditionalDiscounts => ("completeConditionalDiscounts", &[]),
            A::EnterResultsData => ("enterResultsData", &["results: EnteredResultsInput!"]),
            A::FillQualificationInfo => (
                "fillQualificationInfo",
                &["applicationId: UUID!", "rows: [QualificationRowInput!]!"],
            ),
        };
        AvailableAction::of(a, mutation, input)
    }
}

impl From<LotAction> for AvailableAction {
    fn from(a: LotAction) -> Self {
        use LotAction as L;
        let (mutation, input): (&str, &[&str]) = match a {
            L::SubmitApplication => (
                "submitApplication",
                &["applicationId: UUID!", "offers: [OfferInput!]!"],
            ),
            L::SupplementApplication => (
                "supplementApplication",
                &[
                    "applicationId: UUID!",
                    "planItemIds: [String!]!",
                    "documents: [FileRefInput!]!",
                ],
            ),
            L::RemoveLot => ("removeLots", &["planItemIds: [String!]!"]),
            L::RemoveTechnicalSpecification => {
                ("removeTechnicalSpecification", &["planItemId: String!"])
            }
        };
        AvailableAction::of(a, mutation, input)
    }
}

/// What the viewer may do on `state` at `at`; nothing for an anonymous viewer or one whose token
/// names no actor the domain accepts.
pub async fn available(
    ctx: &Context<'_>,
    state: &State,
    at: DateTime<Utc>,
) -> Result<Vec<AvailableAction>> {
    let Some(decision) = decision(ctx, at).await? else {
        return Ok(Vec::new());
    };
    let actions = state.available_actions(&decision);
    Ok(actions.into_iter().map(AvailableAction::from).collect())
}

/// What the viewer may do on lot `lot` of `state` at `at`, as `available`.
pub async fn on_lot(
    ctx: &Context<'_>,
    state: &State,
    lot: &str,
    at: DateTime<Utc>,
) -> Result<Vec<AvailableAction>> {
    let Some(decision) = decision(ctx, at).await? else {
        return Ok(Vec::new());
    };
    let lot = PlanItemId(lot.to_owned());
    let actions = state.available_lot_actions(&lot, &decision);
    Ok(actions.into_iter().map(AvailableAction::from).collect())
}

/// Fills every lot's `actions` with what the viewer may do on it in `state` at `at`.
pub async fn fill_lots(
    ctx: &Context<'_>,
    state: &State,
    lots: &mut [crate::lot::Lot],
    at: DateTime<Utc>,
) -> Result<()> {
    let decision = decision(ctx, at).await?;
    for lot in lots {
        let id = PlanItemId(lot.plan_item_id.clone());
        lot.actions = Some(decision.as_ref().map_or_else(Vec::new, |d| {
            state
                .available_lot_actions(&id, d)
                .into_iter()
                .map(AvailableAction::from)
                .collect()
        }));
    }
    Ok(())
}

/// The viewer's decision context at `at`; none for an anonymous viewer or one whose token names
/// no actor the domain accepts.
async fn decision(ctx: &Context<'_>, at: DateTime<Utc>) -> Result<Option<Decision>> {
    let Some(actor) = viewer(ctx)?.and_then(|p| p.actor().ok()) else {
        return Ok(None);
    };
    Ok(Some(context(app(ctx), actor, at).await?))
}

/// How a command of `actor` at `at` would be decided: with the unread notices of its
/// organisation.
pub async fn context(app: &AppState, actor: Actor, at: DateTime<Utc>) -> Result<Decision> {
    let unread_notices = crate::notice::unread_announcements(&app.pool, actor.org)
        .await
        .map_err(refusal::read_models)?;
    Ok(Decision {
        now: at,
        actor,
        calendar: app.engine.calendar().clone(),
        rules: app.engine.rules().clone(),
        unread_notices,
    })
}

/// Announcement `id` as its stream says now.
pub async fn load(app: &AppState, id: Uuid) -> Result<State> {
    app.engine
        .load::<State>(&id.to_string(), StreamRange::all())
        .await
        .map(|loaded| loaded.state)
        .map_err(|e| refusal::engine(&e))
}

/// The announcement now, folded from its stream (not the read models, which may lag a
/// mutation's answer): its status and what the viewer may do.
pub async fn now(ctx: &Context<'_>, id: Uuid) -> Result<(Option<Term>, Vec<AvailableAction>)> {
    let state = load(app(ctx), id).await?;
    let actions = available(ctx, &state, app(ctx).engine.now()).await?;
    Ok((state.status.map(Term::of), actions))
}

/// What the viewer may do now on lot `lot` of announcement `id`, folded from its stream.
pub async fn now_on_lot(ctx: &Context<'_>, id: Uuid, lot: &str) -> Result<Vec<AvailableAction>> {
    let state = load(app(ctx), id).await?;
    on_lot(ctx, &state, lot, app(ctx).engine.now()).await
}

#[cfg(test)]
mod tests {
    use super::AvailableAction;
    use zakup_domain::announcement::actions::{Action, LotAction};

    /// Issue 24 item 2: every action names a mutation of the schema with exactly the arguments
    /// it lists, after `commandId` and `announcementId`.
    #[test]
    fn every_action_names_a_mutation_and_its_arguments() {
        let sdl = crate::sdl();
        let actions = Action::ALL
            .iter()
            .map(|&a| AvailableAction::from(a))
            .chain(LotAction::ALL.iter().map(|&a| AvailableAction::from(a)));
        for a in actions {
            let mut args = vec![
                "commandId: UUID!".to_owned(),
                "announcementId: UUID!".to_owned(),
            ];
            args.extend(a.input.iter().cloned());
            let line = format!("\t{}({}): CommandOutcome!", a.mutation, args.join(", "));
            assert!(sdl.lines().any(|l| l == line), "{} : no {line:?}", a.id);
        }
    }
}
