//! Bids (the bids extension, shown only once the applications are opened) and awards (from the
//! published versions of the results protocol).

use serde_json::{Value, json};
use zakup_domain::announcement::Announcement;
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::procedure::entered_results::{EnteredResults, application_id};
use zakup_domain::protocol::{ProtocolKind, ProtocolLot, ProtocolVersion};
use zakup_domain::status::{AdmissionDecision, ProtocolValidity};

use super::date;
use super::tender::Parties;
use crate::number::amount;

/// One bid per application and lot (an application offers a price per lot; OCDS's bid has one
/// value), id `<application>-<plan item>`. The bid's status (`bidStatus` codelist) is the
/// commission's final decision: admitted `valid`, rejected `disqualified`, none yet `pending`.
/// Then the applications entered by hand, if any.
pub fn bids(a: &Announcement, parties: &mut Parties) -> Vec<Value> {
    let mut bids = Vec::new();
    for app in a.applications().values() {
        let tenderer = parties.name(&app.supplier_bin, "tenderer");
        for offer in &app.offers {
            let decision = a
                .voting()
                .decisions
                .get(&(app.id, offer.plan_item_id.clone()))
                .copied();
            bids.push(json!({
                "id": format!("{}-{}", app.id.0, offer.plan_item_id.0),
                "date": date(app.submitted_at),
                "status": match decision {
                    Some(AdmissionDecision::Admitted) => "valid",
                    Some(AdmissionDecision::Rejected | AdmissionDecision::RejectedNoResubmission) => "disqualified",
                    _ => "pending",
                },
                "portalStatus": decision.map(|d| d.id()),
                "tenderers": [tenderer.clone()],
                "value": { "amount": amount(offer.price.amount()), "currency": "KZT" },
                "relatedLots": [offer.plan_item_id.0],
            }));
        }
    }
    bids.extend(entered_bids(a, parties));
    bids
}

/// The applications entered by hand for a procurement run off the portal, as the valid published
/// results protocol states them (decision 0784): one bid per application for every lot of the
/// protocol (the form takes one price per application), id the application's, value its
/// conditional price; `valid` when the procurement took place (every row competed for the
/// win), no status when it did not (the form does not say which were admitted).
fn entered_bids(a: &Announcement, parties: &mut Parties) -> Vec<Value> {
    let Some(p) = a
        .protocol_versions(ProtocolKind::Results)
        .filter(|p| p.published_at.is_some() && p.deleted_at.is_none())
        .filter(|p| p.validity == ProtocolValidity::Valid)
        .last()
    else {
        return Vec::new();
    };
    let Some(entered) = &p.content.entered_results else {
        return Vec::new();
    };
    let lots: Vec<&str> = p
        .content
        .lots
        .iter()
        .filter(|l| !matches!(l.outcome, Some(LotOutcome::Cancelled)))
        .map(|l| l.plan_item_id.0.as_str())
        .collect();
    let announcement = p.content.announcement_id;
    entered
        .suppliers()
        .iter()
        .map(|row| {
            let id = application_id(announcement, &row.application_number);
            let mut bid = json!({
                "id": id.0.to_string(),
                "tenderers": [parties.entered(&row.supplier, &id, "tenderer")],
                "value": { "amount": amount(row.conditional_price.amount()), "currency": "KZT" },
                "relatedLots": lots,
            });
            if matches!(entered, EnteredResults::Held { .. }) {
                bid["status"] = json!("valid");
            }
            bid
        })
        .collect()
}

/// An award per lot held in each published version of the results protocol, id
/// `results-<version>-<plan item>`: `active` while its version is the valid one, `cancelled`
/// once a results revision replaced it (decision 0780). A failed lot has no award; its lot is
/// `unsuccessful`. A protocol of results entered by hand has one award for the procurement as a
/// whole (decision 0784).
pub fn awards(a: &Announcement, parties: &mut Parties) -> Vec<Value> {
    let mut awards = Vec::new();
    for p in a
        .protocol_versions(ProtocolKind::Results)
        .filter(|p| p.published_at.is_some() && p.deleted_at.is_none())
    {
        match &p.content.entered_results {
            Some(entered) => awards.extend(entered_award(p, entered, parties)),
            None => awards.extend(p.content.lots.iter().filter_map(|l| award(p, l, parties))),
        }
    }
    awards
}

fn award(p: &ProtocolVersion, lot: &ProtocolLot, parties: &mut Parties) -> Option<Value> {
    let Some(LotOutcome::Held { winner }) = &lot.outcome else {
        return None;
    };
    let application = lot
        .applications
        .iter()
        .find(|x| x.application_id == *winner);
    let bidding = p
        .content
        .bidding
        .as_ref()
        .filter(|b| b.winner_application_id.as_ref() == Some(winner));
    let supplier = application
        .map(|x| &x.supplier_bin)
        .or_else(|| bidding.and_then(|b| b.winner_bin.as_ref()))?;
    // The auction's winning bid; else the conditional price the protocol ranked by, else the
    // offered price.
    let price = bidding
        .and_then(|b| b.winning_price)
        .or_else(|| application.and_then(|x| x.conditional_price.or(Some(x.price))));
    let supplier = parties.name(supplier, "supplier");
    let id = format!("results-{}-{}", p.version(), lot.plan_item_id.0);
    Some(award_json(p, id, supplier, &[&lot.plan_item_id], price))
}

/// The award of results entered by hand (spec 000-C §2.21–2.22, decision 0748): the form has one
/// outcome and one conditional price per application for the procurement as a whole, so one
/// award, id `results-<version>`, names every lot it held and the winner's conditional price.
/// A procurement that did not take place has none; its lots are `unsuccessful`.
fn entered_award(
    p: &ProtocolVersion,
    entered: &EnteredResults,
    parties: &mut Parties,
) -> Option<Value> {
    let announcement = p.content.announcement_id;
    let winner = entered.winner(announcement)?;
    let row = entered
        .suppliers()
        .iter()
        .find(|r| application_id(announcement, &r.application_number) == winner)?;
    let lots: Vec<&PlanItemId> = p
        .content
        .lots
        .iter()
        .filter(|l| matches!(&l.outcome, Some(LotOutcome::Held { winner: w }) if *w == winner))
        .map(|l| &l.plan_item_id)
        .collect();
    if lots.is_empty() {
        return None;
    }
    let supplier = parties.entered(&row.supplier, &winner, "supplier");
    let id = format!("results-{}", p.version());
    Some(award_json(
        p,
        id,
        supplier,
        &lots,
        Some(row.conditional_price),
    ))
}

fn award_json(
    p: &ProtocolVersion,
    id: String,
    supplier: Value,
    lots: &[&PlanItemId],
    price: Option<Money>,
) -> Value {
    let mut award = json!({
        "id": id,
        "status": if p.validity == ProtocolValidity::Valid { "active" } else { "cancelled" },
        "date": p.published_at.map(date),
        "suppliers": [supplier],
        "relatedLots": lots.iter().map(|l| &l.0).collect::<Vec<_>>(),
        "documents": [{
            "id": format!("{}-{}", p.kind().id(), p.version()),
            "documentType": "awardNotice",
            "sha256": p.content.sha256_hex(),
        }],
    });
    if let Some(price) = price {
        award["value"] = json!({ "amount": amount(price.amount()), "currency": "KZT" });
    }
    award
}
