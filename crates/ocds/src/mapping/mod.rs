//! An announcement's commands as OCDS releases (decision 0780). A release is derived from the
//! events of ONE command: the fold of the announcement after them, shown as OCDS, is the
//! release's content; its tags say what that command changed in the public view. A command that
//! changes nothing public (a vote, a sealed application before opening, a draft's edit) makes no
//! release.
//!
//! * `ocid` = [`OCID_PREFIX`] + the announcement's id; an index-2 copy is its own process, with
//!   `relatedProcesses` both ways.
//! * release `id` = the id of the command's first event, `date` = the command's instant.
//! * every release is a full snapshot of the public sections (`tender`, `parties`, `bids`,
//!   `awards`), so that a reader of one release needs no other, and the merge of them all is the
//!   last one: what a withdrawal removes is written as a status, never left out.

mod awards;
mod tender;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::announcement::Announcement;

/// The prefix of every `ocid` Zakup publishes: `ocds-` and six characters. Not yet registered
/// with the Open Contracting Partnership; a portal that registers one changes only this line
/// (decision 0780).
pub const OCID_PREFIX: &str = "ocds-zakup0";

/// The `ocid` of an announcement.
pub fn ocid(announcement_id: Uuid) -> String {
    format!("{OCID_PREFIX}-{announcement_id}")
}

/// One event of the command, as the public may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRef {
    pub event_id: Uuid,
    pub event_type: String,
}

/// The announcement as the public sees it at one point of its stream: the fold, and whether
/// its applications are opened (sealed before: no bid shows).
#[derive(Debug, Clone, Copy)]
pub struct Public<'a> {
    pub state: &'a Announcement,
    pub opened: bool,
}

/// What one command did: the announcement before and after its events, the events (only those
/// the public may know of), and when it ran.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub stream: &'a str,
    pub before: Public<'a>,
    pub after: Public<'a>,
    pub events: &'a [EventRef],
    pub at: DateTime<Utc>,
}

/// The OCDS view of an announcement, without the release's own `id`, `date` and `tag`; none
/// before it is published (a draft is not public).
pub fn content(p: Public<'_>) -> Option<Value> {
    let a = p.state;
    let id = a.id?;
    a.published_at?;
    let mut parties = tender::Parties::default();
    let tender = tender::tender(a, &mut parties);
    let bids = p.opened.then(|| awards::bids(a, &mut parties));
    let awards = awards::awards(a, &mut parties);
    let mut release = json!({
        "ocid": ocid(id),
        "initiationType": "tender",
        "language": "ru",
        "tender": tender,
        "parties": parties.into_json(),
    });
    if let Some(buyer) = tender::buyer(a) {
        release["buyer"] = buyer;
    }
    if let Some(bids) = bids {
        release["bids"] = json!({ "details": bids });
    }
    if !awards.is_empty() {
        release["awards"] = Value::Array(awards);
    }
    let related = tender::related_processes(a);
    if !related.is_empty() {
        release["relatedProcesses"] = Value::Array(related);
    }
    Some(release)
}

/// The release of one command, or none when the command changed nothing public.
pub fn release(change: &Change<'_>) -> Option<Value> {
    let after = content(change.after)?;
    let before = content(change.before);
    if before.as_ref() == Some(&after) {
        return None;
    }
    let first = change.events.first()?;
    let mut release = after;
    release["id"] = json!(first.event_id.to_string());
    release["date"] = json!(date(change.at));
    release["tag"] = json!(tags(before.as_ref(), &release));
    release["zakupEvents"] = json!({
        "stream": change.stream,
        "events": change.events.iter().map(|e| json!({"id": e.event_id.to_string(), "type": e.event_type})).collect::<Vec<_>>(),
    });
    Some(release)
}

/// An instant as OCDS dates are written (RFC 3339, UTC, to the microsecond the store keeps).
pub fn date(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The release tags (closed codelist `releaseTag`) of a change from `before` to `after`
/// (decision 0780): the first public view is `tender`; a change of the tender (its lots,
/// periods, documents, bids, parties) is `tenderUpdate`, `tenderCancellation` when it cancels the
/// tender, `tenderAmendment` when the documentation change withdraws it for its index-2 copy;
/// a new award is `award`, an award cancelled by a results revision `awardCancellation`, any
/// other change of an award `awardUpdate`.
fn tags(before: Option<&Value>, after: &Value) -> Vec<&'static str> {
    let Some(before) = before else {
        return vec!["tender"];
    };
    let mut tags = Vec::new();
    let status = |r: &Value| r["tender"]["status"].as_str().map(str::to_owned);
    let tender_changed = ["tender", "parties", "bids", "relatedProcesses", "buyer"]
        .iter()
        .any(|k| before.get(*k) != after.get(*k));
    if tender_changed {
        tags.push(match status(after).as_deref() {
            Some("cancelled") if status(before).as_deref() != Some("cancelled") => {
                "tenderCancellation"
            }
            Some("withdrawn") if status(before).as_deref() != Some("withdrawn") => {
                "tenderAmendment"
            }
            _ => "tenderUpdate",
        });
    }
    let awards = |r: &Value| r["awards"].as_array().cloned().unwrap_or_default();
    let (old, new) = (awards(before), awards(after));
    let find = |id: &Value| old.iter().find(|a| a["id"] == *id);
    let mut award_tags = [false; 3];
    for award in &new {
        match find(&award["id"]) {
            None => award_tags[0] = true,
            Some(o) if o == award => {}
            Some(o) if award["status"] == "cancelled" && o["status"] != "cancelled" => {
                award_tags[1] = true
            }
            Some(_) => award_tags[2] = true,
        }
    }
    for (on, tag) in award_tags
        .into_iter()
        .zip(["award", "awardCancellation", "awardUpdate"])
    {
        if on {
            tags.push(tag);
        }
    }
    if tags.is_empty() {
        tags.push("tenderUpdate");
    }
    tags
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_methods;
