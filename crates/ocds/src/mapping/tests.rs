//! The mapping on announcements folded by hand: what a published announcement shows, what a
//! draft and a sealed application do not, and the tags of a change.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::application::{Application, ApplicationId, LotOffer};
use zakup_domain::ident::Bin;
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{CustomerRefusal, Lot, LotSource};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::status::AnnouncementStatus;

use super::{Change, EventRef, Public, content, release};

pub(super) const ORGANIZER: &str = "940140000385";
pub(super) const SUPPLIER: &str = "940140000414";

pub(super) fn at(day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, day, 4, 0, 0).unwrap()
}

pub(super) fn published(method: Method) -> Announcement {
    let bin: Bin = ORGANIZER.parse().unwrap();
    let mut a = Announcement {
        id: Some(Uuid::from_u128(7)),
        number: "1000001-1".into(),
        index: 1,
        header: Some(Header {
            method,
            procurement_type: ProcurementType::First,
            subject_type: SubjectType::Goods,
            name_kk: "Компьютерлер".into(),
            name_ru: "Компьютеры".into(),
            among_disabled_organizations: false,
            single_organizer: false,
        }),
        organizer_bin: Some(bin),
        status: Some(AnnouncementStatus::PublishedAcceptingPriceOffers),
        published_at: Some(at(1)),
        ..Announcement::default()
    };
    let plan = PlanItemId("P1".into());
    a.lots.insert(
        plan.clone(),
        Lot::new(LotSource {
            plan_item_id: plan,
            lot_number: "1".into(),
            customer_bin: bin,
            name_ru: "Компьютер".into(),
            name_kk: "Компьютер".into(),
            amount: Money::new("1500000.50".parse().unwrap()).unwrap(),
            ktru: Some("262013.000.000011".parse().unwrap()),
        }),
    );
    a
}

pub(super) fn events(types: &[&str]) -> Vec<EventRef> {
    types
        .iter()
        .enumerate()
        .map(|(i, t)| EventRef {
            event_id: Uuid::from_u128(100 + i as u128),
            event_type: (*t).into(),
        })
        .collect()
}

pub(super) fn change<'a>(
    before: &'a Announcement,
    after: &'a Announcement,
    events: &'a [EventRef],
    opened: bool,
) -> Change<'a> {
    Change {
        stream: "announcement-7",
        before: Public {
            state: before,
            opened,
        },
        after: Public {
            state: after,
            opened,
        },
        events,
        at: at(2),
    }
}

/// The first public view is a `tender` release: ocid from the announcement id, release id from
/// the command's first event, parties with their БИН under `KZ-BIN`, the lot's KTRU item and its
/// value in KZT as a JSON number.
#[test]
fn publication_is_a_tender_release() {
    let draft = Announcement {
        published_at: None,
        status: Some(AnnouncementStatus::Draft),
        ..published(Method::PriceQuotations)
    };
    let after = published(Method::PriceQuotations);
    let e = events(&["AnnouncementPublished"]);
    let r = release(&change(&draft, &after, &e, false)).unwrap();
    assert_eq!(
        r["ocid"],
        json!("ocds-zakup0-00000000-0000-0000-0000-000000000007")
    );
    assert_eq!(r["id"], json!(Uuid::from_u128(100).to_string()));
    assert_eq!(r["date"], json!("2026-03-02T04:00:00.000000Z"));
    assert_eq!(r["tag"], json!(["tender"]));
    assert_eq!(r["tender"]["status"], json!("active"));
    assert_eq!(
        r["tender"]["portalStatus"],
        json!("published_accepting_price_offers")
    );
    assert_eq!(r["tender"]["procurementMethod"], json!("open"));
    assert_eq!(
        r["tender"]["value"],
        json!({"amount": 1500000.5, "currency": "KZT"})
    );
    assert_eq!(
        r["tender"]["items"][0]["classification"],
        json!({"scheme": "KZ-KTRU", "id": "262013.000.000011"})
    );
    assert_eq!(
        r["parties"],
        json!([{
            "id": "KZ-BIN-940140000385",
            "identifier": {"scheme": "KZ-BIN", "id": "940140000385"},
            "roles": ["procuringEntity", "buyer"]
        }])
    );
    assert_eq!(
        r["zakupEvents"]["events"][0]["type"],
        json!("AnnouncementPublished")
    );
}

/// A draft is not public: no release, no content.
#[test]
fn a_draft_has_no_release() {
    let draft = Announcement {
        published_at: None,
        ..published(Method::OpenTender)
    };
    assert!(
        content(Public {
            state: &draft,
            opened: false
        })
        .is_none()
    );
    let e = events(&["LotsAdded"]);
    assert!(release(&change(&draft, &draft, &e, false)).is_none());
}

/// Sealed until opening (L2093–2101, decision 0650): a submitted application changes nothing
/// public, so it makes no release; once opened, the bid shows, one per lot, with its price.
#[test]
fn bids_show_only_once_opened() {
    let before = published(Method::PriceQuotations);
    let mut after = before.clone();
    let id = ApplicationId(Uuid::from_u128(9));
    after.offers.applications.insert(
        id,
        Application {
            id,
            supplier_bin: SUPPLIER.parse().unwrap(),
            offers: vec![LotOffer {
                plan_item_id: PlanItemId("P1".into()),
                price: Money::new("1400000".parse().unwrap()).unwrap(),
            }],
            submitted_at: at(2),
            supplemented_lots: Default::default(),
        },
    );
    let e = events(&["ApplicationSubmitted"]);
    assert!(release(&change(&before, &after, &e, false)).is_none());
    let opened = Change {
        before: Public {
            state: &after,
            opened: false,
        },
        after: Public {
            state: &after,
            opened: true,
        },
        ..change(&before, &after, &e, true)
    };
    let r = release(&opened).unwrap();
    assert_eq!(r["tag"], json!(["tenderUpdate"]));
    let bid = &r["bids"]["details"][0];
    assert_eq!(bid["value"]["amount"], json!(1400000));
    assert_eq!(bid["status"], json!("pending"));
    assert_eq!(bid["relatedLots"], json!(["P1"]));
    assert!(
        r["parties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["roles"] == json!(["tenderer"]))
    );
}

/// The customer refusing every lot cancels the announcement (L1928–1940, L12131–12135): `tenderCancellation`, tender and
/// lot `cancelled`, the portal's «Отменено» beside.
#[test]
fn a_cancellation_is_a_tender_cancellation() {
    let before = published(Method::OpenTender);
    let mut after = before.clone();
    after.status = Some(AnnouncementStatus::Cancelled);
    for lot in after.lots.values_mut() {
        lot.refusal = Some(CustomerRefusal {
            reason: "no budget".into(),
            document: FileRef {
                file_id: "f".into(),
                name: "f.pdf".into(),
            },
            refused_at: at(2),
        });
    }
    let e = events(&["ProcurementRefused"]);
    let r = release(&change(&before, &after, &e, false)).unwrap();
    assert_eq!(r["tag"], json!(["tenderCancellation"]));
    assert_eq!(r["tender"]["status"], json!("cancelled"));
    assert_eq!(r["tender"]["statusDetails"], json!("Отменено"));
    assert_eq!(r["tender"]["lots"][0]["status"], json!("cancelled"));
    // The cancelled lot's value no longer counts in the tender's.
    assert_eq!(r["tender"]["value"]["amount"], json!(0));
}

/// A change the public cannot see (a vote, here nothing) makes no release.
#[test]
fn no_public_change_no_release() {
    let a = published(Method::OpenTender);
    let e = events(&["VoteCast"]);
    assert!(release(&change(&a, &a, &e, true)).is_none());
}

/// The auction (spec 000-B §6.4): its results protocol states the bidding; the award's value is
/// the winning bid, not the application's opening price; the release package is valid OCDS
/// 1.1.5 (validated offline against `schemas/ocds/1.1.5/`).
#[test]
fn an_auction_awards_the_winning_bid_in_a_valid_package() {
    use zakup_domain::lot::LotOutcome;
    use zakup_domain::protocol::{
        ProtocolApplication, ProtocolBidding, ProtocolContent, ProtocolFormed, ProtocolKind,
        ProtocolLot, ProtocolPublished,
    };
    let before = published(Method::Auction);
    let mut after = before.clone();
    let winner = ApplicationId(Uuid::from_u128(9));
    let supplier: Bin = SUPPLIER.parse().unwrap();
    let money = |s: &str| Money::new(s.parse().unwrap()).unwrap();
    let plan = PlanItemId("P1".into());
    let content = ProtocolContent {
        announcement_id: Uuid::from_u128(7),
        announcement_number: after.number.clone(),
        kind: ProtocolKind::Results,
        version: 1,
        formed_at: at(3),
        lots: vec![ProtocolLot {
            plan_item_id: plan.clone(),
            lot_number: "1".into(),
            name_ru: "Компьютер".into(),
            amount: money("1500000.50"),
            applications: vec![ProtocolApplication {
                application_id: winner,
                supplier_bin: supplier,
                price: money("1490000"),
                decision: None,
                discount_pct: None,
                conditional_price: None,
            }],
            cancellation: None,
            refusal: None,
            outcome: Some(LotOutcome::Held { winner }),
        }],
        discussion: Vec::new(),
        bidding: Some(ProtocolBidding {
            round_end: at(3),
            offers: 4,
            winner_application_id: Some(winner),
            winner_bin: Some(supplier),
            winning_price: Some(money("1210000.25")),
        }),
        entered_results: None,
    };
    after.protocols.formed(&ProtocolFormed {
        automatic: true,
        content_sha256: content.sha256_hex(),
        content,
    });
    after.protocols.published(&ProtocolPublished {
        kind: ProtocolKind::Results,
        version: 1,
        published_at: at(3),
    });
    after.status = Some(AnnouncementStatus::Completed);
    after.lots.get_mut(&plan).unwrap().outcome = Some(LotOutcome::Held { winner });
    let e = events(&[
        "ProtocolFormed",
        "ProtocolPublished",
        "ProcurementCompleted",
    ]);
    let r = release(&change(&before, &after, &e, true)).unwrap();
    assert_eq!(r["tag"], json!(["tenderUpdate", "award"]));
    assert_eq!(r["tender"]["procurementMethodDetails"], json!("Аукцион"));
    assert_eq!(
        r["tender"]["submissionMethod"],
        json!(["electronicSubmission", "electronicAuction"])
    );
    assert_eq!(r["tender"]["status"], json!("complete"));
    assert_eq!(r["tender"]["lots"][0]["status"], json!("complete"));
    let award = &r["awards"][0];
    assert_eq!(award["id"], json!("results-1-P1"));
    assert_eq!(award["status"], json!("active"));
    assert_eq!(award["value"]["amount"], json!(1210000.25));
    assert_eq!(award["suppliers"][0]["id"], json!("KZ-BIN-940140000414"));
    let publication = crate::Publication {
        uri: "http://zakup.test/ocds/releases".into(),
        base_url: "http://zakup.test".into(),
    };
    let v = crate::validation::Validator::new();
    let package = crate::release_package(vec![r.clone()], &publication);
    v.release_package(&package).unwrap();
    let ocid = r["ocid"].as_str().unwrap().to_owned();
    v.record_package(&crate::record_package(&ocid, vec![r], &publication))
        .unwrap();
}

/// The OCDS `method` codelist: a single source after a failed procurement offers its lots to
/// one invited supplier (spec 000-C §1.7, L6908), so `direct`; the state social order is open to
/// any supplier (§1.8). Both take electronic applications on the portal.
#[test]
fn a_single_source_is_direct_and_the_state_social_order_open() {
    for (method, expected) in [
        (Method::SingleSource, "direct"),
        (Method::StateSocialOrder, "open"),
    ] {
        let draft = Announcement {
            published_at: None,
            status: Some(AnnouncementStatus::Draft),
            ..published(method)
        };
        let after = published(method);
        let e = events(&["AnnouncementPublished"]);
        let r = release(&change(&draft, &after, &e, false)).unwrap();
        assert_eq!(
            r["tender"]["procurementMethod"],
            json!(expected),
            "{method:?}"
        );
        assert_eq!(
            r["tender"]["procurementMethodDetails"],
            json!(method.original())
        );
        assert_eq!(
            r["tender"]["submissionMethod"],
            json!(["electronicSubmission"])
        );
    }
}
