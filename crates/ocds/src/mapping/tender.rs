//! The tender section (with its lots, items, periods and documents), the parties and the related
//! processes of an announcement.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use zakup_domain::announcement::Announcement;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::application::ApplicationId;
use zakup_domain::ident::{Bin, ParticipantId};
use zakup_domain::lot::{Lot, LotOutcome};
use zakup_domain::procedure::entered_results::EnteredSupplier;
use zakup_domain::protocol::{ProtocolKind, ProtocolVersion};
use zakup_domain::status::AnnouncementStatus;

use super::date;
use crate::number::amount;

/// The scheme of an organisation's БИН (business identification number) in OCDS identifiers,
/// after org-id.guide's `<country>-<register>` form.
pub const BIN_SCHEME: &str = "KZ-BIN";

/// The scheme of КТРУ, Kazakhstan's classifier of goods, works and services (the open
/// `itemClassificationScheme` codelist admits a local scheme).
pub const KTRU_SCHEME: &str = "KZ-KTRU";

/// The parties named so far, by party id, with their roles in order of first mention.
#[derive(Default)]
pub struct Parties(BTreeMap<String, Party>);

/// A party: its identifier and name when they may be published, and its roles.
#[derive(Default)]
struct Party {
    identifier: Option<Value>,
    name: Option<String>,
    roles: Vec<&'static str>,
}

impl Parties {
    /// The organisation reference of `bin` in `role`, the party added or given the role.
    pub fn name(&mut self, bin: &Bin, role: &'static str) -> Value {
        let identifier = json!({ "scheme": BIN_SCHEME, "id": bin.to_string() });
        self.add(party_id(bin), Some(identifier), None, role)
    }

    /// A supplier entered by hand for a procurement run off the portal (decision 0784): a
    /// resident by БИН as every organisation; a resident by ИИН, an individual, under an id
    /// of its application with neither ИИН nor name (decision 0671); a non-resident by the
    /// tax number and name the form took (its country is not entered, so no scheme).
    pub fn entered(
        &mut self,
        supplier: &EnteredSupplier,
        application: &ApplicationId,
        role: &'static str,
    ) -> Value {
        match supplier {
            EnteredSupplier::Resident {
                id: ParticipantId::Bin(bin),
                ..
            } => self.name(bin, role),
            EnteredSupplier::Resident {
                id: ParticipantId::Iin(_),
                ..
            } => self.add(
                format!("zakup-supplier-{}", application.0),
                None,
                None,
                role,
            ),
            EnteredSupplier::NonResident { tax_number, name } => {
                let tax_number = tax_number.trim();
                let identifier = json!({ "id": tax_number, "legalName": name });
                let id = format!("foreign-{tax_number}");
                self.add(id, Some(identifier), Some(name.clone()), role)
            }
        }
    }

    fn add(
        &mut self,
        id: String,
        identifier: Option<Value>,
        name: Option<String>,
        role: &'static str,
    ) -> Value {
        let party = self.0.entry(id.clone()).or_insert_with(|| Party {
            identifier,
            name,
            roles: Vec::new(),
        });
        if !party.roles.contains(&role) {
            party.roles.push(role);
        }
        json!({ "id": id })
    }

    pub fn into_json(self) -> Value {
        Value::Array(
            self.0
                .into_iter()
                .map(|(id, party)| {
                    let mut json = json!({ "id": id });
                    if let Some(name) = party.name {
                        json["name"] = json!(name);
                    }
                    if let Some(identifier) = party.identifier {
                        json["identifier"] = identifier;
                    }
                    json["roles"] = json!(party.roles);
                    json
                })
                .collect(),
        )
    }
}

fn party_id(bin: &Bin) -> String {
    format!("{BIN_SCHEME}-{bin}")
}

/// `tenderStatus` (closed codelist) of the announcement (decision 0780): every running phase is
/// `active`; the documentation change, whose process goes on under the copy's ocid, `withdrawn`;
/// a completed one `complete` if a lot took place, `unsuccessful` if none did.
pub fn tender_status(a: &Announcement) -> &'static str {
    use AnnouncementStatus as S;
    match a.status {
        Some(S::Cancelled) => "cancelled",
        Some(S::DocumentationChanged) => "withdrawn",
        Some(S::Completed) if a.lots.values().any(held) => "complete",
        Some(S::Completed) => "unsuccessful",
        Some(S::Draft | S::DraftDocumentationChange) | None => "planned",
        Some(_) => "active",
    }
}

fn held(l: &Lot) -> bool {
    matches!(l.outcome, Some(LotOutcome::Held { .. }))
}

fn lot_status(a: &Announcement, l: &Lot) -> &'static str {
    match &l.outcome {
        _ if l.is_cancelled() => "cancelled",
        Some(LotOutcome::Held { .. }) => "complete",
        Some(LotOutcome::Failed { .. }) => "unsuccessful",
        Some(LotOutcome::Cancelled) => "cancelled",
        None => tender_status(a),
    }
}

pub fn tender(a: &Announcement, parties: &mut Parties) -> Value {
    let lots: Vec<&Lot> = a.lots.values().collect();
    let total = a
        .active_lots()
        .map(|l| l.source.amount.amount())
        .sum::<rust_decimal::Decimal>();
    let mut tender = json!({
        "id": a.number,
        "status": tender_status(a),
        "statusDetails": a.status.map(|s| s.original()),
        "portalStatus": a.status.map(|s| s.id()),
        "value": { "amount": amount(total), "currency": "KZT" },
        "submissionMethod": ["electronicSubmission"],
        "lots": lots.iter().map(|l| lot(a, l)).collect::<Vec<_>>(),
        "items": lots.iter().map(|l| item(l)).collect::<Vec<_>>(),
        "documents": documents(a),
    });
    if let Some(h) = &a.header {
        tender["title"] = json!(h.name_ru);
        tender["procurementMethod"] = json!(procurement_method(h.method));
        tender["procurementMethodDetails"] = json!(h.method.original());
        tender["portalMethod"] = json!(h.method.id());
        tender["submissionMethod"] = submission_method(h.method);
        tender["mainProcurementCategory"] = json!(match h.subject_type {
            SubjectType::Goods => "goods",
            SubjectType::Work => "works",
            SubjectType::Service => "services",
        });
    }
    if let Some(bin) = &a.organizer_bin {
        tender["procuringEntity"] = parties.name(bin, "procuringEntity");
    }
    for l in &lots {
        parties.name(&l.source.customer_bin, "buyer");
    }
    if let Some(w) = &a.acceptance {
        tender["tenderPeriod"] = json!({ "startDate": date(w.start), "endDate": date(w.end) });
    }
    if let (Some(start), Some(end)) = (a.published_at, a.discussion_end()) {
        tender["enquiryPeriod"] = json!({ "startDate": date(start), "endDate": date(end) });
    }
    tender
}

/// The `method` codelist: a prequalification admits only the suppliers it qualified
/// (`selective`); a single source offers the lots to its one invited supplier, no other may
/// apply (`direct`, spec 000-C L6908); every other method, the state social order included,
/// is open to any supplier.
fn procurement_method(method: Method) -> &'static str {
    match method {
        Method::Prequalification => "selective",
        Method::SingleSource => "direct",
        Method::OpenTender
        | Method::PriceQuotations
        | Method::Auction
        | Method::StateSocialOrder
        | Method::Housing
        | Method::TwoStage
        | Method::PriceQuotationsNonGz
        | Method::TenderNonGz
        // Any supplier may apply for the registry (spec 000-C §1.11).
        | Method::QualificationSelection => "open",
    }
}

/// The `submissionMethod` codelist: paper and non-GZ procurements are run off the portal and
/// take written applications (spec 000-C §1.9–1.10); the auction's prices are bid online.
fn submission_method(method: Method) -> Value {
    match method {
        Method::TwoStage
        | Method::Prequalification
        | Method::PriceQuotationsNonGz
        | Method::TenderNonGz => json!(["written"]),
        Method::Auction => json!(["electronicSubmission", "electronicAuction"]),
        Method::OpenTender
        | Method::PriceQuotations
        | Method::Housing
        | Method::SingleSource
        | Method::StateSocialOrder
        | Method::QualificationSelection => json!(["electronicSubmission"]),
    }
}

fn lot(a: &Announcement, l: &Lot) -> Value {
    json!({
        "id": l.source.plan_item_id.0,
        "title": l.source.name_ru,
        "status": lot_status(a, l),
        "statusDetails": a.lot_status(l.plan_item_id()).map(|s| s.original()),
        "portalStatus": a.lot_status(l.plan_item_id()).map(|s| s.id()),
        "value": { "amount": amount(l.source.amount.amount()), "currency": "KZT" },
        "lotNumber": l.source.lot_number,
    })
}

fn item(l: &Lot) -> Value {
    let mut item = json!({
        "id": l.source.plan_item_id.0,
        "description": l.source.name_ru,
        "relatedLot": l.source.plan_item_id.0,
    });
    if let Some(ktru) = l.source.ktru {
        item["classification"] = json!({ "scheme": KTRU_SCHEME, "id": ktru.to_string() });
    }
    item
}

/// The sole customer of every lot, when there is one (OCDS has one `buyer`; every customer is a
/// party with the role `buyer`).
pub fn buyer(a: &Announcement) -> Option<Value> {
    let mut customers = a.lots.values().map(|l| &l.source.customer_bin);
    let first = customers.next()?;
    customers
        .all(|c| c == first)
        .then(|| json!({ "id": party_id(first) }))
}

/// Every published, undeleted protocol version, with the SHA-256 of its content (the hash its
/// signers signed), so a reader can check a copy of the protocol.
fn documents(a: &Announcement) -> Vec<Value> {
    a.protocols
        .iter()
        .filter(|p| p.published_at.is_some() && p.deleted_at.is_none())
        .map(document)
        .collect()
}

fn document(p: &ProtocolVersion) -> Value {
    json!({
        "id": format!("{}-{}", p.kind().id(), p.version()),
        "documentType": match p.kind() {
            ProtocolKind::Discussion => "clarifications",
            ProtocolKind::PreliminaryAdmission | ProtocolKind::Admission => "evaluationReports",
            ProtocolKind::Results => "awardNotice",
        },
        "title": format!("{} (версия {})", p.kind().original(), p.version()),
        "datePublished": p.published_at.map(date),
        "language": "ru",
        "sha256": p.content.sha256_hex(),
        "portalStatus": p.validity.id(),
    })
}

/// The index-2 copy and its original name each other (decision 0780): the copy follows on from
/// the original (`prior`), the original is replaced by the copy (`replacementProcess`).
pub fn related_processes(a: &Announcement) -> Vec<Value> {
    let link = |id: uuid::Uuid, relationship: &str| {
        json!({
            "id": id.to_string(),
            "relationship": [relationship],
            "scheme": "ocid",
            "identifier": super::ocid(id),
        })
    };
    a.source_announcement_id
        .map(|id| link(id, "prior"))
        .into_iter()
        .chain(
            a.copy_announcement_id
                .map(|id| link(id, "replacementProcess")),
        )
        .collect()
}
