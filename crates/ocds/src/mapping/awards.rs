//! Bids (the bids extension, shown only once the applications are opened) and awards (from the
//! published versions of the results protocol).

use serde_json::{Value, json};
use zakup_domain::announcement::Announcement;
use zakup_domain::lot::LotOutcome;
use zakup_domain::protocol::{ProtocolKind, ProtocolLot, ProtocolVersion};
use zakup_domain::status::{AdmissionDecision, ProtocolValidity};

use super::date;
use super::tender::Parties;
use crate::number::amount;

/// One bid per application and lot (an application offers a price per lot; OCDS's bid has one
/// value), id `<application>-<plan item>`. The bid's status (`bidStatus` codelist) is the
/// commission's final decision: admitted `valid`, rejected `disqualified`, none yet `pending`.
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
    bids
}

/// An award per lot held in each published version of the results protocol, id
/// `results-<version>-<plan item>`: `active` while its version is the valid one, `cancelled`
/// once a results revision replaced it (decision 0780). A failed lot has no award; its lot is
/// `unsuccessful`.
pub fn awards(a: &Announcement, parties: &mut Parties) -> Vec<Value> {
    a.protocol_versions(ProtocolKind::Results)
        .filter(|p| p.published_at.is_some() && p.deleted_at.is_none())
        .flat_map(|p| p.content.lots.iter().map(move |l| (p, l)))
        .filter_map(|(p, l)| award(p, l, parties))
        .collect()
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
    let mut award = json!({
        "id": format!("results-{}-{}", p.version(), lot.plan_item_id.0),
        "status": if p.validity == ProtocolValidity::Valid { "active" } else { "cancelled" },
        "date": p.published_at.map(date),
        "suppliers": [parties.name(supplier, "supplier")],
        "relatedLots": [lot.plan_item_id.0],
        "documents": [{
            "id": format!("{}-{}", p.kind().id(), p.version()),
            "documentType": "awardNotice",
            "sha256": p.content.sha256_hex(),
        }],
    });
    if let Some(price) = price {
        award["value"] = json!({ "amount": amount(price.amount()), "currency": "KZT" });
    }
    Some(award)
}
