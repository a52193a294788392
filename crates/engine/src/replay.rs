//! What an auditor sees of a folded stream: the state in the portal's own terms (status ids with
//! their Russian originals), the protocols with every version and which one is valid, and the
//! next deadlines. Used by `zakup replay`; the GraphQL history answers from the same fold.

use serde_json::{Value, json};
use zakup_domain::announcement::Announcement;
use zakup_domain::certificate::Certificate;
use zakup_domain::plan_item::PlanItem;
use zakup_store::{RecordedEvent, StreamId};

use crate::lot_pool::process::{self, Process, ProcessEvent};
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
        process::CATEGORY => Some(lot_pool_process(events)?),
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
        let event =
            ProcessEvent::decode(&e.event_type, e.schema_version, &e.payload).map_err(|why| {
                EngineError::Unreadable {
                    stream: e.stream_id.to_string(),
                    version: e.version,
                    why,
                }
            })?;
        p.evolve(&event);
    }
    let started = p.started.as_ref();
    Ok(json!({
        "announcementId": started.map(|s| s.announcement_id),
        "commandId": started.map(|s| s.command_id),
        "reserving": started.map(|s| &s.reserving),
        "ending": p.ending,
    }))
}
