//! «Доступные действия» served (issue 24 item 2, docs/decisions/0653): the domain's
//! `Announcement::available_actions` for the viewer, decided at an instant with the viewer's
//! organisation's unread notices, so the portal-wide block (docs/decisions/0310) answers as it
//! answers a command. Nothing here restates a rule.

use async_graphql::{Context, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context as Decision};
use zakup_domain::announcement::Announcement as State;
use zakup_domain::announcement::actions::Action;
use zakup_store::StreamRange;

use crate::AppState;
use crate::page::{app, viewer};
use crate::refusal;
use crate::term::Term;

/// What the viewer may do on `state` at `at`; nothing for an anonymous viewer or one whose token
/// names no actor the domain accepts.
pub async fn available(ctx: &Context<'_>, state: &State, at: DateTime<Utc>) -> Result<Vec<Term>> {
    let Some(actor) = viewer(ctx)?.and_then(|p| p.actor().ok()) else {
        return Ok(Vec::new());
    };
    let actions = of_actor(app(ctx), actor, state, at).await?;
    Ok(actions.into_iter().map(Term::of).collect())
}

/// What `actor` may do on `state` at `at`, with the unread notices of the actor's organisation
/// as a command would be decided with them.
pub async fn of_actor(
    app: &AppState,
    actor: Actor,
    state: &State,
    at: DateTime<Utc>,
) -> Result<Vec<Action>> {
    let unread_notices = crate::notice::unread_announcements(&app.pool, actor.org)
        .await
        .map_err(refusal::read_models)?;
    let decision = Decision {
        now: at,
        actor,
        calendar: app.engine.calendar().clone(),
        unread_notices,
    };
    Ok(state.available_actions(&decision))
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
pub async fn now(ctx: &Context<'_>, id: Uuid) -> Result<(Option<Term>, Vec<Term>)> {
    let state = load(app(ctx), id).await?;
    let actions = available(ctx, &state, app(ctx).engine.now()).await?;
    Ok((state.status.map(Term::of), actions))
}
