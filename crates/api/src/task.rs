//! A user's tasks (a vote or a signature awaited, a customer request received) and the live
//! subscriptions: an announcement's changes, and new tasks as they appear. Subscriptions are fed
//! by the projection daemon after each committed batch, so a subscriber that re-queries the
//! read models sees what it was told about.

use std::collections::{BTreeMap, BTreeSet};

use async_graphql::{Context, Object, Result, SimpleObject, Subscription as GqlSubscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use zakup_domain::actor::Actor;
use zakup_domain::announcement::actions::{Action, LotAction};
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::ProtocolKind;

use crate::AppState;
use crate::auth::Principal;
use crate::feeds::{batch, feeds, holding};
use crate::page::{app, reach, viewer, viewer_org};
use crate::refusal;
use crate::sealed::Sealing;

#[derive(SimpleObject, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Task {
    /// `vote_awaited`, `signature_awaited`, `customer_request_received`, or the id of an
    /// available action that is the user's job: the secretary's (`answer_discussion_request`,
    /// `complete_voting`, `publish_results_protocol`, …), the organizer's (`publish`) or a
    /// supplier's on a lot (`supplement_application`, with `planItemId`).
    pub kind: String,
    pub announcement_id: Option<Uuid>,
    pub announcement_number: Option<String>,
    pub plan_item_id: Option<String>,
    /// What to do, in Russian, as a notification would say it.
    pub title_ru: String,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct AnnouncementChange {
    pub announcement_id: Uuid,
    pub version: i64,
    pub event_type: String,
    /// Global position, `major:minor`: pass it as `minPosition` to read the change.
    pub position: String,
    pub occurred_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct TaskQuery;

#[Object]
impl TaskQuery {
    /// What the signed-in user is expected to do now. `minPosition`, the `position` an
    /// announcement mutation returned, waits until the votes and signatures awaited reflect it.
    async fn my_tasks(&self, ctx: &Context<'_>, min_position: Option<String>) -> Result<Vec<Task>> {
        let who = viewer(ctx)?.ok_or_else(|| refusal::unauthenticated("no bearer token"))?;
        // Only the announcement read models: a read model of plan items advances only on plan
        // items, so it may never reach an announcement's position. A customer request's task is
        // someone else's write, which no caller of this query waits for.
        reach(ctx, "announcement", min_position).await?;
        let mut tasks = tasks(app(ctx), who).await?;
        if let Ok(actor) = who.actor() {
            tasks.extend(action_jobs(app(ctx), &actor).await?);
        }
        Ok(tasks)
    }
}

pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// Every event of the announcement the viewer may see, once the read models hold it.
    /// Before opening, other organisations' application events are not told, and the versions
    /// skip them (decision 0670).
    async fn announcement_changed(
        &self,
        ctx: &Context<'_>,
        id: Uuid,
    ) -> Result<impl Stream<Item = AnnouncementChange> + use<>> {
        let slot = feeds(ctx).admit(ctx, viewer(ctx)?)?;
        let state = app(ctx).clone();
        let org = viewer_org(ctx)?;
        let stream_id = format!("announcement-{id}");
        let rx = state.daemon.subscribe();
        let sealing = Sealing::start(&state, id, org.clone()).await?;
        let changes = futures::stream::unfold((rx, sealing), move |(mut rx, mut sealing)| {
            let (state, org, stream_id) = (state.clone(), org.clone(), stream_id.clone());
            async move {
                loop {
                    let applied = match rx.recv().await {
                        Ok(applied) => applied,
                        // The missed batches may hold sealed events, which the versions told
                        // must skip: count them again from the read model, or end.
                        Err(RecvError::Lagged(_)) => {
                            match Sealing::start(&state, id, org.clone()).await {
                                Ok(again) => sealing = again,
                                Err(_) => return None,
                            }
                            continue;
                        }
                        Err(RecvError::Closed) => return None,
                    };
                    if applied.projection != "announcements" {
                        continue;
                    }
                    let events: Vec<&zakup_store::RecordedEvent> = applied
                        .events
                        .iter()
                        .filter(|e| e.stream_id.as_str() == stream_id)
                        .collect();
                    if events.is_empty() {
                        continue;
                    }
                    // Without the read model the sealed events could not be counted: the
                    // subscription ends rather than tell a wrong version.
                    let Ok(seen) = visible(&state, id, org.as_deref()).await else {
                        return None;
                    };
                    let Some(opened) = seen else {
                        continue;
                    };
                    let changes = sealing.told(&events, opened);
                    if !changes.is_empty() {
                        return Some((futures::stream::iter(changes), (rx, sealing)));
                    }
                }
            }
        });
        Ok(holding(changes.flatten(), slot))
    }

    /// New tasks of the signed-in user, e.g. «your vote is awaited», as they appear.
    async fn my_new_tasks(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Task> + use<>> {
        let who = viewer(ctx)?
            .ok_or_else(|| refusal::unauthenticated("no bearer token"))?
            .clone();
        let feeds = feeds(ctx).clone();
        let slot = feeds.admit(ctx, Some(&who))?;
        let state = app(ctx).clone();
        let rx = state.daemon.subscribe();
        // Tasks pending when the subscription starts are not new.
        let seen: BTreeSet<Task> = tasks(&state, &who).await?.into_iter().collect();
        let new = futures::stream::unfold((rx, seen), move |(mut rx, mut seen)| {
            let (state, who, feeds) = (state.clone(), who.clone(), feeds.clone());
            async move {
                loop {
                    // The viewer's subscriptions share one run of the queries per batch; after
                    // a lag the batch is unknown, and this one runs them alone.
                    let batch = match rx.recv().await {
                        Ok(applied) => Some(batch(&applied)),
                        Err(RecvError::Lagged(_)) => None,
                        Err(RecvError::Closed) => return None,
                    };
                    let Some(now) = feeds.tasks_after(&state, &who, batch).await else {
                        continue;
                    };
                    let fresh: Vec<Task> =
                        now.iter().filter(|t| !seen.contains(*t)).cloned().collect();
                    seen = now.into_iter().collect();
                    if !fresh.is_empty() {
                        return Some((futures::stream::iter(fresh), (rx, seen)));
                    }
                }
            }
        });
        Ok(holding(new.flatten(), slot))
    }
}

/// Drafts are visible only to their own organisation.
/// Whether the viewer may see the announcement, and if so whether its applications are opened.
async fn visible(
    state: &AppState,
    id: Uuid,
    org: Option<&str>,
) -> Result<Option<bool>, sqlx::Error> {
    sqlx::query_as::<_, (bool, bool)>(
        "SELECT NOT deleted AND (status NOT IN ('draft', 'draft_documentation_change') OR organizer_bin = $2),
                opened
           FROM rm.announcements WHERE announcement_id = $1",
    )
    .bind(id)
    .bind(org)
    .fetch_optional(&state.pool)
    .await
    .map(|row| row.and_then(|(visible, opened)| visible.then_some(opened)))
}

/// A protocol awaiting a signature: announcement, number, kind id, version.
type Signature = (Uuid, String, String, i32);

/// The votes and signatures awaited and the customer requests received of `who`.
pub(crate) async fn tasks(state: &AppState, who: &Principal) -> Result<Vec<Task>> {
    let (iin, org) = (who.iin.as_str(), who.org_bin.as_str());
    let votes: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT a.announcement_id, a.number FROM rm.announcements a
           JOIN rm.commission_members c
             ON c.announcement_id = a.announcement_id AND c.iin = $1
            AND c.function <> 'secretary' AND c.active
          WHERE EXISTS (
                SELECT 1 FROM rm.voting_control v
                 WHERE v.announcement_id = a.announcement_id
                   AND NOT EXISTS (
                       SELECT 1 FROM rm.votes x
                        WHERE x.announcement_id = v.announcement_id
                          AND x.application_id = v.application_id
                          AND x.plan_item_id = v.plan_item_id
                          AND x.member_iin = $1))
          ORDER BY a.number",
    )
    .bind(iin)
    .fetch_all(&state.pool)
    .await
    .map_err(refusal::read_models)?;
    let signatures: Vec<Signature> = sqlx::query_as(
        "SELECT a.announcement_id, a.number, p.kind, p.version FROM rm.protocols p
           JOIN rm.announcements a USING (announcement_id)
           JOIN rm.commission_members c
             ON c.announcement_id = p.announcement_id AND c.iin = $1 AND c.active
          WHERE p.validity = 'valid' AND NOT p.automatic AND p.published_at IS NULL
            AND p.kind <> 'discussion' AND NOT ($1 = ANY(p.signer_iins))
          ORDER BY a.number, p.kind",
    )
    .bind(iin)
    .fetch_all(&state.pool)
    .await
    .map_err(refusal::read_models)?;
    // The SQL only narrows where to look; the domain's actions decide: a vote the rules accept
    // now, a signature in its turn (the secretary signs first, L2545–2601), nothing for an
    // organisation blocked by an unread notice.
    let ids = votes
        .iter()
        .map(|v| v.0)
        .chain(signatures.iter().map(|s| s.0));
    let offered = offered(state, who, ids.collect()).await?;
    let may = |id: &Uuid, action: Option<Action>| {
        action.is_some_and(|a| offered.get(id).is_some_and(|all| all.contains(&a)))
    };
    let votes: Vec<(Uuid, String)> = votes
        .into_iter()
        .filter(|(id, _)| may(id, Some(Action::CastVote)))
        .collect();
    let signatures: Vec<Signature> = signatures
        .into_iter()
        .filter(|(id, _, kind, _)| may(id, sign_action(kind)))
        .collect();
    let requests: Vec<(String, String)> = sqlx::query_as(
        "SELECT plan_item_id, name_ru FROM rm.customer_requests
          WHERE organizer_bin = $1 AND state = 'requested' ORDER BY plan_item_id",
    )
    .bind(org)
    .fetch_all(&state.pool)
    .await
    .map_err(refusal::read_models)?;
    let mut out: Vec<Task> = votes
        .into_iter()
        .map(|(id, number)| Task {
            kind: "vote_awaited".into(),
            title_ru: format!("Ожидается ваш голос по объявлению № {number}"),
            announcement_id: Some(id),
            announcement_number: Some(number),
            plan_item_id: None,
        })
        .collect();
    out.extend(signatures.into_iter().map(|(id, number, kind, version)| {
        let name = crate::term::Term::stored::<ProtocolKind>(&kind);
        Task {
            kind: "signature_awaited".into(),
            title_ru: format!(
                "Ожидается ваша подпись: {} (версия {version}) по объявлению № {number}",
                name.original
            ),
            announcement_id: Some(id),
            announcement_number: Some(number),
            plan_item_id: None,
        }
    }));
    out.extend(requests.into_iter().map(|(plan_item_id, name)| Task {
        kind: "customer_request_received".into(),
        title_ru: format!("Поступила заявка заказчика: {name}"),
        announcement_id: None,
        announcement_number: None,
        plan_item_id: Some(plan_item_id),
    }));
    Ok(out)
}

/// What the rules let `who` do now on each of `announcements`: the domain's «Доступные
/// действия», decided as a command would be (docs/decisions/0656). Empty for a token whose
/// identity the domain does not accept.
async fn offered(
    state: &AppState,
    who: &Principal,
    announcements: BTreeSet<Uuid>,
) -> Result<BTreeMap<Uuid, Vec<Action>>> {
    let Some(actor) = who.actor().ok().filter(|_| !announcements.is_empty()) else {
        return Ok(BTreeMap::new());
    };
    let decision = crate::actions::context(state, actor, state.engine.now()).await?;
    let mut out = BTreeMap::new();
    for id in announcements {
        let announcement = crate::actions::load(state, id).await?;
        out.insert(id, announcement.available_actions(&decision));
    }
    Ok(out)
}

/// The signature a protocol of `kind` (its stored id) awaits, as an action.
fn sign_action(kind: &str) -> Option<Action> {
    [
        (
            ProtocolKind::PreliminaryAdmission,
            Action::SignPreliminaryAdmissionProtocol,
        ),
        (ProtocolKind::Results, Action::SignResultsProtocol),
    ]
    .into_iter()
    .find(|(k, _)| k.id() == kind)
    .map(|(_, action)| action)
}

/// The user's jobs, built from the domain's available actions (docs/decisions/0653, 0656) on
/// every announcement where the user has a part: a seat on its commission, its organisation as
/// the organizer, or its organisation's application. The secretary answers the discussion
/// requests, completes the discussion or the voting once the rules allow it, forms and
/// publishes the protocols once signed, completes the discounts; the organizer publishes a
/// complete draft; a supplier supplements the lots it may. Votes and signatures stay
/// `vote_awaited` and `signature_awaited`.
async fn action_jobs(state: &AppState, actor: &Actor) -> Result<Vec<Task>> {
    const JOBS: &[Action] = &[
        Action::Publish,
        Action::AnswerDiscussionRequest,
        Action::CompleteDiscussion,
        Action::FormDiscussionProtocol,
        Action::PublishDiscussionProtocol,
        Action::CompleteVoting,
        Action::FormPreliminaryAdmissionProtocol,
        Action::PublishPreliminaryAdmissionProtocol,
        Action::FormResultsProtocol,
        Action::PublishResultsProtocol,
        Action::CompleteConditionalDiscounts,
    ];
    const LOT_JOBS: &[LotAction] = &[LotAction::SupplementApplication];
    let mine: Vec<(Uuid, String)> = sqlx::query_as(
        "SELECT a.announcement_id, a.number FROM rm.announcements a
          WHERE NOT a.deleted AND a.status <> 'completed'
            AND (a.organizer_bin = $2
                 OR EXISTS (SELECT 1 FROM rm.commission_members c
                             WHERE c.announcement_id = a.announcement_id
                               AND c.iin = $1 AND c.active)
                 OR EXISTS (SELECT 1 FROM rm.applications p
                             WHERE p.announcement_id = a.announcement_id
                               AND p.supplier_bin = $2))
          ORDER BY a.number",
    )
    .bind(actor.iin.to_string())
    .bind(actor.org.to_string())
    .fetch_all(&state.pool)
    .await
    .map_err(refusal::read_models)?;
    // One instant and one set of unread notices for every announcement: the list is what the
    // user may do now.
    let decision = crate::actions::context(state, actor.clone(), state.engine.now()).await?;
    let mut out = Vec::new();
    for (id, number) in mine {
        let announcement = crate::actions::load(state, id).await?;
        let task = |kind: &str, original: &str, lot: Option<&PlanItemId>| Task {
            kind: kind.into(),
            title_ru: match lot {
                Some(lot) => format!("«{original}» по лоту {} объявления № {number}", lot.0),
                None => format!("«{original}» по объявлению № {number}"),
            },
            announcement_id: Some(id),
            announcement_number: Some(number.clone()),
            plan_item_id: lot.map(|l| l.0.clone()),
        };
        out.extend(
            announcement
                .available_actions(&decision)
                .into_iter()
                .filter(|a| JOBS.contains(a))
                .map(|a| task(a.id(), a.original(), None)),
        );
        for lot in announcement.lots.keys() {
            out.extend(
                announcement
                    .available_lot_actions(lot, &decision)
                    .into_iter()
                    .filter(|a| LOT_JOBS.contains(a))
                    .map(|a| task(a.id(), a.original(), Some(lot))),
            );
        }
    }
    Ok(out)
}
