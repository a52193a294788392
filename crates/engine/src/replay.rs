//! What an auditor sees of a folded stream: the state in the portal's own terms (status ids with
//! their Russian originals), the protocols with every version and which one is valid, and the
//! next deadlines. Used by `zakup replay`; the GraphQL history answers from the same fold.

use serde_json::{Value, json};
use zakup_domain::announcement::Announcement;
use zakup_domain::certificate::Certificate;
use zakup_domain::competition::Competition;
use zakup_domain::lot_pool::{CATEGORY as LOT_POOL, LotPoolRunnerEvent, Process, RUNNER_CATEGORY};
use zakup_domain::plan_item::PlanItem;
use zakup_store::{RecordedEvent, StreamId};

use crate::lot_pool::checkpoint::decode_record;
use crate::{Decider, EngineError, decode};

/// Folds `events` (one stream, in order) and describes the state; `None` for a category the
/// engine has no aggregate for.
pub fn state_view(
    stream: &StreamId,
    events: &[RecordedEvent],
) -> Result<Option<Value>, EngineError> {
    Ok(match stream.category() {
        Announcement::CATEGORY => Some(announcement(&fold::<Announcement>(events)?)),
        PlanItem::CATEGORY => Some(plan_item(&fold::<PlanItem>(events)?)),
        Certificate::CATEGORY => Some(certificate(&fold::<Certificate>(events)?)),
        Competition::CATEGORY => Some(competition(&fold::<Competition>(events)?)),
        LOT_POOL => Some(lot_pool_process(events)?),
        RUNNER_CATEGORY => Some(lot_pool_runner(events)?),
        _ => None,
    })
}

fn fold<A: Decider>(events: &[RecordedEvent]) -> Result<A, EngineError> {
    let mut state = A::initial();
    for e in events {
        state.evolve(&decode::<A>(e)?);
    }
    Ok(state)
}

fn term(id: &str, original: &str) -> Value {
    json!({ "id": id, "original": original })
}

fn announcement(a: &Announcement) -> Value {
    let lots: Vec<Value> = a
        .lots
        .iter()
        .map(|(plan_item, lot)| {
            json!({
                "planItemId": plan_item,
                "lotNumber": lot.source.lot_number,
                "nameRu": lot.source.name_ru,
                "amount": lot.source.amount,
                "status": a.lot_status(plan_item).map(|s| term(s.id(), s.original())),
                "outcome": lot.outcome,
                "cancelled": lot.cancellation.is_some(),
            })
        })
        .collect();
    let protocols: Vec<Value> = a
        .protocols
        .iter()
        .map(|p| {
            json!({
                "kind": p.kind(),
                "version": p.version(),
                "validity": term(p.validity.id(), p.validity.original()),
                "contentSha256": p.content_sha256,
                "automatic": p.automatic,
                "signedBy": p.signers().map(|i| i.to_string()).collect::<Vec<_>>(),
                "publishedAt": p.published_at,
            })
        })
        .collect();
    json!({
        "id": a.id,
        "number": a.number,
        "index": a.index,
        "method": a.header.as_ref().map(|h| h.method),
        "nameRu": a.header.as_ref().map(|h| &h.name_ru),
        "nameKk": a.header.as_ref().map(|h| &h.name_kk),
        "organizerBin": a.organizer_bin,
        "status": a.status.map(|s| term(s.id(), s.original())),
        "statusBeforeSuspension": a.status_before_suspension.map(|s| term(s.id(), s.original())),
        "publishedAt": a.published_at,
        "acceptance": a.acceptance.map(|w| json!({"start": w.start, "end": w.end})),
        "lots": lots,
        "applications": a.applications().len(),
        "protocols": protocols,
        "deadlines": a.deadlines().iter().map(|d| json!({"transition": d.transition, "at": d.at})).collect::<Vec<_>>(),
    })
}

fn plan_item(p: &PlanItem) -> Value {
    json!({
        "request": p.request.as_ref().map(|r| json!({
            "planItemId": r.plan_item_id,
            "customerBin": r.customer_bin,
            "organizerBin": r.organizer_bin,
            "nameRu": r.name_ru,
            "amount": r.amount,
        })),
        "holder": p.holder.as_ref().map(|h| h.announcement_id),
        "status": p.status.map(|s| term(s.id(), s.original())),
        "returnedToCustomer": p.returned.as_ref().map(|r| &r.reason),
    })
}

/// The competition's status with its Kazakh term, its chat and conclusions by count, and the
/// contract's deadline (decision 0910).
fn competition(c: &Competition) -> Value {
    json!({
        "status": c.status.map(|s| term(s.id(), s.name_kk())),
        "deleted": c.deleted,
        "discussion": c.discussion.map(|d| json!({"start": d.start, "end": d.end})),
        "messages": c.chat.len(),
        "conclusions": c.conclusions.iter().map(|k| json!({"kind": k.kind, "at": k.initiated_at})).collect::<Vec<_>>(),
        "contractDeadline": c.contract.as_ref().map(|k| k.deadline),
        "discussionStartDue": c.discussion_start_due(),
    })
}

fn certificate(c: &Certificate) -> Value {
    json!({
        "iin": c.iin,
        "activeKey": c.active_key().map(|k| &k.public_key_hex),
        "revoked": c.revoked.as_ref().map(|r| &r.reason),
    })
}

/// A lot-pool process (decision 0503): which command it carries and whether it has ended.
fn lot_pool_process(events: &[RecordedEvent]) -> Result<Value, EngineError> {
    let mut p = Process::default();
    for e in events {
        p.evolve(&decode_record(e)?);
    }
    let started = p.started.as_ref();
    let at = |n: usize| events.get(n).map(|e| e.recorded_at);
    Ok(json!({
        "announcementId": started.map(|s| s.announcement_id),
        "commandId": started.map(|s| s.command_id),
        "correlationId": started.map(|s| s.correlation_id),
        "actor": started.map(|s| json!({ "userId": s.actor.user_id, "roles": s.actor.roles })),
        "reserving": started.map(|s| &s.reserving),
        "startedAt": at(0),
        "ending": p.ending,
        "endedAt": p.ending.and(at(1)),
    }))
}

/// The lot-pool runner's record (decision 0503): its newest checkpoint, or the orphans it
/// released.
fn lot_pool_runner(events: &[RecordedEvent]) -> Result<Value, EngineError> {
    let mut view = json!({ "checkpoints": 0 });
    for (n, e) in events.iter().enumerate() {
        match decode_record(e)? {
            LotPoolRunnerEvent::Checkpointed(c) => {
                view["checkpoints"] = json!(n + 1);
                view["through"] =
                    json!({ "streamId": c.through.stream_id, "version": c.through.version });
                view["open"] = json!(c.open);
                view["checkpointedAt"] = json!(e.recorded_at);
            }
            LotPoolRunnerEvent::OrphansReleased(o) => {
                view["orphansReleased"] = json!(o.released);
                view["releasedAt"] = json!(e.recorded_at);
            }
        }
    }
    Ok(view)
}
