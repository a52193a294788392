//! The methods added after the first mapping (decision 0784): a completed housing purchase, and
//! paper and non-GZ procurements whose results were entered by hand (spec 000-C §2.21–2.22,
//! seed L9005–9216, L9434–9643). Each release package and record package is validated offline
//! against OCDS 1.1.5 with the extensions.

use chrono::NaiveDate;
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::announcement::header::Method;
use zakup_domain::application::ApplicationId;
use zakup_domain::ident::{Bin, Iin, ParticipantId};
use zakup_domain::lot::LotOutcome;
use zakup_domain::method::procedure::MethodProcedure;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::procedure::entered_results::{
    EnteredData, EnteredFailureReason, EnteredResults, EnteredSupplier, SupplierRow, application_id,
};
use zakup_domain::protocol::{
    ProtocolApplication, ProtocolContent, ProtocolFormed, ProtocolKind, ProtocolLot,
    ProtocolPublished,
};
use zakup_domain::status::AnnouncementStatus;

use super::release;
use super::tests::{ORGANIZER, SUPPLIER, at, change, events, published};

const ID: Uuid = Uuid::from_u128(7);

fn plan() -> PlanItemId {
    PlanItemId("P1".into())
}

/// The announcement completed by its published results protocol: every lot takes `outcome`,
/// the protocol states `applications` and, for a procurement run off the portal, what was
/// entered.
fn completed(
    before: &Announcement,
    outcome: LotOutcome,
    applications: Vec<ProtocolApplication>,
    entered: Option<EnteredResults>,
) -> Announcement {
    let mut after = before.clone();
    let content = ProtocolContent {
        announcement_id: ID,
        announcement_number: after.number.clone(),
        kind: ProtocolKind::Results,
        version: 1,
        formed_at: at(3),
        lots: vec![ProtocolLot {
            plan_item_id: plan(),
            lot_number: "1".into(),
            name_ru: "Компьютер".into(),
            amount: Money::new("1500000.50".parse().unwrap()).unwrap(),
            applications,
            cancellation: None,
            refusal: None,
            outcome: Some(outcome.clone()),
        }],
        discussion: Vec::new(),
        bidding: None,
        entered_results: entered.clone(),
    };
    after.protocols.formed(&ProtocolFormed {
        automatic: false,
        content_sha256: content.sha256_hex(),
        content,
    });
    after.protocols.published(&ProtocolPublished {
        kind: ProtocolKind::Results,
        version: 1,
        published_at: at(3),
    });
    if let Some(results) = entered {
        after.procedure = MethodProcedure::EnteredResults(EnteredData {
            places: None,
            results: Some(results),
        });
    }
    after.status = Some(AnnouncementStatus::Completed);
    after.lots.get_mut(&plan()).unwrap().outcome = Some(outcome);
    after
}

/// The release of the results' publication, its package and its record validated offline.
fn results_release(before: &Announcement, after: &Announcement) -> Value {
    let e = events(&[
        "ProtocolFormed",
        "ProtocolPublished",
        "ProcurementCompleted",
    ]);
    let r = release(&change(before, after, &e, true)).unwrap();
    let publication = crate::Publication {
        uri: "http://zakup.test/ocds/releases".into(),
        base_url: "http://zakup.test".into(),
    };
    let v = crate::validation::Validator::new();
    v.release_package(&crate::release_package(vec![r.clone()], &publication))
        .unwrap();
    let ocid = r["ocid"].as_str().unwrap().to_owned();
    v.record_package(&crate::record_package(&ocid, vec![r.clone()], &publication))
        .unwrap();
    r
}

fn row(number: &str, supplier: EnteredSupplier, price: u64) -> SupplierRow {
    SupplierRow {
        application_number: number.into(),
        supplier,
        account: "KZ86125KZT5004100100".into(),
        unit_price: Money::from_tenge(price),
        conditional_price: Money::from_tenge(price),
        submitted_on: NaiveDate::from_ymd_opt(2026, 2, 5).unwrap(),
    }
}

fn resident_bin() -> EnteredSupplier {
    EnteredSupplier::Resident {
        id: ParticipantId::Bin(SUPPLIER.parse().unwrap()),
        name: "ТОО «Поставщик»".into(),
    }
}

fn party<'a>(r: &'a Value, id: &str) -> &'a Value {
    r["parties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap_or_else(|| panic!("no party {id}"))
}

/// «Закупка жилища» completed (spec 000-B §7.7, decision 0745): the representative's admitted
/// application wins; one award per lot with the offered price, on the portal's electronic
/// submission, and the package is valid.
#[test]
fn a_completed_housing_purchase_awards_its_winner_in_a_valid_package() {
    let before = published(Method::Housing);
    let winner = ApplicationId(Uuid::from_u128(9));
    let supplier: Bin = SUPPLIER.parse().unwrap();
    let application = ProtocolApplication {
        application_id: winner,
        supplier_bin: supplier,
        price: Money::new("1390000.75".parse().unwrap()).unwrap(),
        decision: None,
        discount_pct: None,
        conditional_price: None,
    };
    let after = completed(
        &before,
        LotOutcome::Held { winner },
        vec![application],
        None,
    );
    let r = results_release(&before, &after);
    assert_eq!(r["tag"], json!(["tenderUpdate", "award"]));
    assert_eq!(r["tender"]["portalMethod"], json!("housing"));
    assert_eq!(r["tender"]["procurementMethod"], json!("open"));
    assert_eq!(
        r["tender"]["submissionMethod"],
        json!(["electronicSubmission"])
    );
    assert_eq!(r["tender"]["status"], json!("complete"));
    let award = &r["awards"][0];
    assert_eq!(award["id"], json!("results-1-P1"));
    assert_eq!(award["status"], json!("active"));
    assert_eq!(award["value"]["amount"], json!(1390000.75));
    assert_eq!(award["suppliers"][0]["id"], json!("KZ-BIN-940140000414"));
}

/// A paper procurement (two-stage, L8756–8760) whose results were entered by hand: «Закупка
/// состоялась» with two applications; the lowest conditional price wins (decision 0748), here a
/// non-resident entered by «ИНН/УНП» and name (L9099–9149). One award for the procurement, its
/// value the winner's conditional price, the supplier under its tax number; each entered
/// application a bid; written submission.
#[test]
fn a_paper_procurement_awards_the_entered_winner_in_a_valid_package() {
    let before = published(Method::TwoStage);
    let foreign = EnteredSupplier::NonResident {
        tax_number: "190123456".into(),
        name: "ООО «Минский поставщик»".into(),
    };
    let entered = EnteredResults::Held {
        suppliers: vec![
            row("1", resident_bin(), 1_450_000),
            row("2", foreign, 1_420_000),
        ],
    };
    let winner = application_id(ID, "2");
    assert_eq!(entered.winner(ID), Some(winner));
    let outcome = LotOutcome::Held { winner };
    let after = completed(&before, outcome, Vec::new(), Some(entered));
    let r = results_release(&before, &after);
    assert_eq!(r["tag"], json!(["tenderUpdate", "award"]));
    assert_eq!(r["tender"]["procurementMethod"], json!("open"));
    assert_eq!(r["tender"]["submissionMethod"], json!(["written"]));
    assert_eq!(r["tender"]["status"], json!("complete"));
    assert_eq!(r["tender"]["lots"][0]["status"], json!("complete"));
    let awards = r["awards"].as_array().unwrap();
    assert_eq!(awards.len(), 1);
    let award = &awards[0];
    assert_eq!(award["id"], json!("results-1"));
    assert_eq!(award["status"], json!("active"));
    assert_eq!(award["relatedLots"], json!(["P1"]));
    assert_eq!(
        award["value"],
        json!({"amount": 1420000, "currency": "KZT"})
    );
    assert_eq!(award["suppliers"], json!([{"id": "foreign-190123456"}]));
    assert_eq!(
        party(&r, "foreign-190123456"),
        &json!({
            "id": "foreign-190123456",
            "name": "ООО «Минский поставщик»",
            "identifier": {"id": "190123456", "legalName": "ООО «Минский поставщик»"},
            "roles": ["tenderer", "supplier"]
        })
    );
    // Both entered applications are bids, valid since both competed for the win.
    let bids = r["bids"]["details"].as_array().unwrap();
    assert_eq!(bids.len(), 2);
    let loser = application_id(ID, "1");
    let bid = bids
        .iter()
        .find(|b| b["id"] == loser.0.to_string())
        .unwrap();
    assert_eq!(bid["status"], json!("valid"));
    assert_eq!(bid["value"]["amount"], json!(1450000));
    assert_eq!(bid["relatedLots"], json!(["P1"]));
    assert_eq!(bid["tenderers"], json!([{"id": "KZ-BIN-940140000414"}]));
    assert_eq!(
        party(&r, "KZ-BIN-940140000414")["roles"],
        json!(["tenderer"])
    );
}

/// A procurement for non-subjects (ЗЦП не ГЗ, L9265–9271) won by an individual entered by his
/// ИИН: the supplier is named by his application, with neither ИИН nor name (decision 0671).
#[test]
fn an_individual_winner_entered_by_hand_shows_no_personal_data() {
    let before = published(Method::PriceQuotationsNonGz);
    let iin: Iin = "791028302728".parse().unwrap();
    let individual = EnteredSupplier::Resident {
        id: ParticipantId::Iin(iin),
        name: "ИП Иванов Иван".into(),
    };
    let entered = EnteredResults::Held {
        suppliers: vec![
            row("7", individual, 900_000),
            row("8", resident_bin(), 950_000),
        ],
    };
    let winner = application_id(ID, "7");
    let after = completed(
        &before,
        LotOutcome::Held { winner },
        Vec::new(),
        Some(entered),
    );
    let r = results_release(&before, &after);
    let id = format!("zakup-supplier-{}", winner.0);
    assert_eq!(r["awards"][0]["suppliers"], json!([{"id": id}]));
    assert_eq!(
        party(&r, &id),
        &json!({"id": id, "roles": ["tenderer", "supplier"]})
    );
    let text = r.to_string();
    assert!(!text.contains("791028302728"));
    assert!(!text.contains("Иванов"));
}

/// A tender for non-subjects that did not take place («представление менее двух заявок»,
/// L9192–9212): no award, the lot and the tender `unsuccessful`, the entered application a bid
/// without status, the results protocol still published as the award notice, and the package
/// valid.
#[test]
fn a_failed_non_gz_procurement_has_no_award_in_a_valid_package() {
    let before = published(Method::TenderNonGz);
    let entered = EnteredResults::Failed {
        reason: EnteredFailureReason::FewerThanTwoApplications,
        other_reason: None,
        suppliers: vec![row("1", resident_bin(), 1_000_000)],
    };
    let failed = LotOutcome::Failed { reason: None };
    let after = completed(&before, failed, Vec::new(), Some(entered));
    let r = results_release(&before, &after);
    assert_eq!(r["tag"], json!(["tenderUpdate"]));
    assert_eq!(r["tender"]["submissionMethod"], json!(["written"]));
    assert_eq!(r["tender"]["status"], json!("unsuccessful"));
    assert_eq!(r["tender"]["lots"][0]["status"], json!("unsuccessful"));
    assert_eq!(
        r["tender"]["documents"][0]["documentType"],
        json!("awardNotice")
    );
    assert!(r.get("awards").is_none());
    // The one application entered is a bid; the form does not say whether it was admitted.
    let bid = &r["bids"]["details"][0];
    assert_eq!(bid["id"], json!(application_id(ID, "1").0.to_string()));
    assert!(bid.get("status").is_none());
    assert_eq!(
        r["parties"],
        json!([
            {
                "id": format!("KZ-BIN-{ORGANIZER}"),
                "identifier": {"scheme": "KZ-BIN", "id": ORGANIZER},
                "roles": ["procuringEntity", "buyer"]
            },
            {
                "id": format!("KZ-BIN-{SUPPLIER}"),
                "identifier": {"scheme": "KZ-BIN", "id": SUPPLIER},
                "roles": ["tenderer"]
            }
        ])
    );
}
