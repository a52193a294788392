//! JSON Schemas of every event payload (`schemas/events/<Type>.v<N>.json`) and golden fixtures
//! (`tests/fixtures/events/<Type>.v<N>.json`). Schemas are regenerated and compared
//! (`UPDATE_SCHEMAS=1` rewrites them); fixtures are decoded, re-encoded and replayed
//! (`UPDATE_FIXTURES=1` adds missing current-version fixtures from the sample streams below).
//! Decision 0209.

use crate::world;

#[path = "single_source/samples.rs"]
mod single_source_samples;

use crate::schema_files::repo_dir;
use std::collections::BTreeMap;

use chrono::Duration;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use uuid::Uuid;
use world::*;
use zakup_domain::actor::Context;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::event::{CameraControlNoticeReceived, CameraControlNoticeResolved};
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::notice::NoticeDirection;
use zakup_domain::announcement::{Announcement, AnnouncementEvent, TimedTransition};
use zakup_domain::application::DiscountForm;
use zakup_domain::bidding::{AuctionBiddingEnded, AuctionWinner};
use zakup_domain::camera_control::CameraControlCommand as CC;
use zakup_domain::camera_control::notice::{Direction, NoticeId, Remedy};
use zakup_domain::commission::{Commission, CommissionQuery, QueryRecipient};
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand as P, PlanItemEvent, ReleaseReason};
use zakup_domain::protocol::ProtocolKind;

fn all_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
    let mut schemas = AnnouncementEvent::current_schemas();
    schemas.extend(AnnouncementEvent::historical_schemas());
    schemas.extend(PlanItemEvent::current_schemas());
    schemas
}

#[test]
fn every_event_type_has_its_generated_schema() {
    let schemas = all_schemas();
    crate::schema_files::sync(&schemas);
}

/// Whether any `"type"` in the schema admits a JSON number.
fn admits_number(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => map.iter().any(|(key, value)| {
            let is_number = |v: &Value| v == "number";
            (key == "type"
                && (is_number(value) || value.as_array().is_some_and(|a| a.iter().any(is_number))))
                || admits_number(value)
        }),
        Value::Array(items) => items.iter().any(admits_number),
        _ => false,
    }
}

#[test]
fn payload_schemas_contain_no_floating_point_numbers() {
    for (event_type, version, schema) in all_schemas() {
        assert!(
            !admits_number(schema.as_value()),
            "{event_type}.v{version} admits a JSON number"
        );
    }
}

// ---- sample streams: every event type at least once ----------------------------------------

fn discount_form(pct: u32) -> DiscountForm {
    let z = Some(Decimal::ZERO);
    DiscountForm {
        experience_years: Some(3),
        experience_months: Some(2),
        experience_pct: Some(Decimal::from(pct)),
        qms_pct: z,
        ems_pct: z,
        sechp_pct: z,
        voluntary_conformity_pct: z,
        functional_pct: z,
        technical_pct: z,
        quality_pct: z,
        operational_pct: z,
    }
}

/// Drafting edits, a discussion with an «amend» answer, the protocol deleted and re-formed,
/// signed and published, then the index-2 copy.
fn discussion_and_copy() -> (Vec<AnnouncementEvent>, Vec<AnnouncementEvent>) {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let mut edited = header(Method::OpenTender, SubjectType::Goods);
    edited.name_ru = "Закупка товаров (уточнено)".into();
    w.run(&organizer(), C::UpdateHeader { header: edited });
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(9)],
        },
    );
    w.run(
        &organizer(),
        C::RemoveLots {
            plan_item_ids: vec![plan_item(9)],
        },
    );
    w.run(
        &organizer(),
        C::RemoveTechnicalSpecification {
            plan_item_id: plan_item(1),
        },
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    w.run(&organizer(), C::RevokeContractDraft);
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    w.run(&organizer(), C::Publish);
    let request_id = DiscussionRequestId(Uuid::from_u128(7));
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id,
            subject: "Срок поставки".into(),
            text: "Просим увеличить".into(),
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &customer_rep(),
        C::AnswerDiscussionRequest {
            request_id,
            decision: DiscussionDecision::Clarify,
            text: Some("Срок указан".into()),
        },
    );
    w.run(
        &secretary(),
        C::EditDiscussionAnswer {
            request_id,
            decision: DiscussionDecision::AmendDocumentation,
            text: None,
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    w.run(&secretary(), C::DeleteDiscussionProtocol);
    w.run(&secretary(), C::FormDiscussionProtocol);
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Discussion,
        },
    );

    let source = w.state();
    let mut copy = World {
        id: source.copy_announcement_id.unwrap(),
        now: w.now,
        events: Vec::new(),
        ..World::new()
    };
    copy.run(
        &secretary(),
        C::CreateIndexCopy {
            announcement_id: copy.id,
            number: "2026-2".into(),
            source: Box::new(source),
        },
    );
    (w.events, copy.events)
}

/// Automatic discussion protocol, a withdrawn application, votes withdrawn and reopened, a ППД
/// with an absence and an expert opinion, supplements, discounts, results, suspension, changes,
/// a contract draft recorded and deleted, and a cancellation after completion.
fn full_tender() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    // A start after the discussion's end moves earlier with the automatic protocol (§5.6).
    let start = working_days_after(w.now, 7);
    w.run(
        &organizer(),
        C::SetAcceptanceDates {
            start,
            end: start + Duration::days(20),
        },
    );
    w.run(&organizer(), C::Publish);
    w.run(
        &org_admin(),
        C::ChangeCreator {
            new_creator_iin: secretary().iin,
            creator_blocked: true,
            new_creator_active: true,
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.apply(2, &[1], 8_500_000);
    w.apply(3, &[1], 8_000_000);
    w.run(
        &supplier(3),
        C::WithdrawApplication {
            application_id: application_id(3),
        },
    );
    w.run(
        &secretary(),
        C::Suspend {
            act: act(
                zakup_domain::kernel::act::Body::Court,
                zakup_domain::kernel::act::ActType::Decision,
            ),
        },
    );
    w.run(
        &secretary(),
        C::Resume {
            act: act(
                zakup_domain::kernel::act::Body::Prosecutor,
                zakup_domain::kernel::act::ActType::Resolution,
            ),
        },
    );
    w.fire(TimedTransition::EndAcceptance);
    w.run(
        &secretary(),
        C::ChangeRepresentatives {
            organizer_representative: person(&organizer_rep()),
            customer_representative: person(&customer()),
        },
    );
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.run(
        &chairman(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    let changed = Commission {
        members: vec![person(&member_a()), person(&member_c())],
        ..commission3()
    };
    w.run(
        &secretary(),
        C::ChangeCommission {
            commission: changed,
            decision: change_decision(),
        },
    );
    for member in [chairman(), member_a(), member_c()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::ReopenVoting);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.run(
        &secretary(),
        C::AttachExpertOpinion {
            kind: ProtocolKind::PreliminaryAdmission,
            file: file("expert"),
        },
    );
    w.sign(&secretary(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    let (version, _) = w.current_version(ProtocolKind::PreliminaryAdmission);
    w.run(
        &secretary(),
        C::RecordSignatureAbsence {
            kind: ProtocolKind::PreliminaryAdmission,
            version,
            member_iin: member_c().iin,
            file: file("leave"),
        },
    );
    w.sign(&chairman(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    w.sign(&member_a(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::PreliminaryAdmission,
        },
    );
    w.run(
        &inspector(),
        C::CameraControl(CC::DeliverNotice {
            notice_id: NoticeId(Uuid::from_u128(31)),
            plan_item_id: plan_item(1),
            direction: Direction::Third,
            remedy: Remedy::RevisePpd,
            text: "Нарушение".to_owned(),
            file: None,
        }),
    );
    w.run(
        &organizer(),
        C::CameraControl(CC::AcknowledgeNotice {
            notice_id: NoticeId(Uuid::from_u128(31)),
        }),
    );
    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: lot.to_vec(),
            documents: vec![file("exp")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    w.run(
        &secretary(),
        C::CameraControl(CC::ContinueWithoutPpdRevision),
    );
    w.run(
        &secretary(),
        C::RecordCommissionQuery {
            query: CommissionQuery {
                plan_item_id: plan_item(1),
                recipient: QueryRecipient::OtherParty {
                    name_kk: "Мекеме".into(),
                    name_ru: "Учреждение".into(),
                },
                info_kk: "Сұрау".into(),
                info_ru: "Запрос сведений об опыте".into(),
                sent_on: date("2026-03-02"),
                answer_kk: None,
                answer_ru: Some("Опыт подтвержден".into()),
            },
        },
    );
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries: vec![
                (application_id(1), discount_form(5)),
                (application_id(2), discount_form(0)),
            ],
        },
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w.run(
        &customer(),
        C::RecordLotContractDraft {
            plan_item_id: plan_item(1),
            contract_id: Uuid::from_u128(99),
        },
    );
    w.run(
        &customer(),
        C::RecordLotContractDeleted {
            plan_item_id: plan_item(1),
        },
    );
    w.run(
        &customer(),
        C::RecordContractEvasion {
            plan_item_id: plan_item(1),
            grounds: "Не подписал договор".into(),
        },
    );
    w.advance(Duration::days(1));
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: lot.to_vec(),
            act: act(
                zakup_domain::kernel::act::Body::StateFinancialControl,
                zakup_domain::kernel::act::ActType::Submission,
            ),
        },
    );
    w.events
}

/// The end of acceptance entered for a discussion protocol published without executing a notice
/// (000-D S17); the whole flow is in camera_control_announcement.rs.
fn acceptance_end_entered() -> Vec<AnnouncementEvent> {
    vec![AnnouncementEvent::AcceptanceEndEntered(
        zakup_domain::announcement::event::AcceptanceEndEntered {
            end: astana("2026-03-20 18:00"),
            entered_by: secretary().iin,
            entered_at: astana("2026-02-20 10:00"),
        },
    )]
}

/// The legacy camera-control hooks: nothing records them any more, but a stream may hold them,
/// so they decode and fold (docs/decisions/0502).
fn notice_during_discussion() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.published_ok(1);
    let notice_id = Uuid::from_u128(11);
    w.events
        .push(AnnouncementEvent::CameraControlNoticeReceived(
            CameraControlNoticeReceived {
                notice_id,
                direction: NoticeDirection::First,
                plan_item_ids: vec![plan_item(1)],
                received_at: w.now,
            },
        ));
    w.events
        .push(AnnouncementEvent::CameraControlNoticeResolved(
            CameraControlNoticeResolved {
                notice_id,
                resolved_at: w.now,
            },
        ));
    w.fire(TimedTransition::EndDiscussion);
    w.events
}

fn inspector() -> zakup_domain::actor::Actor {
    zakup_domain::actor::Actor {
        user_id: "inspector".to_owned(),
        iin: iin(90),
        org: bin(90),
        roles: vec![zakup_domain::actor::Role::Inspector],
    }
}

/// The customer refuses one of two lots after completion.
fn refused_after_completion() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w.run(
        &customer(),
        C::RefuseProcurement {
            plan_item_ids: vec![plan_item(2)],
            reason: "Сокращение расходов".into(),
            document: file("refusal"),
        },
    );
    w.events
}

/// An auction admitted everyone, published its admission protocol, bid and completed.
fn started_auction() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.fire(TimedTransition::EndAcceptance);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission);
    w.fire(TimedTransition::StartAuction);
    let ended = AuctionBiddingEnded {
        round_end: w.now + Duration::minutes(30),
        winner: Some(AuctionWinner {
            supplier_bin: supplier(1).org,
            application_id: application_id(1),
            price: Money::from_tenge(8_500_000),
            offered_at: w.now + Duration::minutes(5),
        }),
        offers: 1,
        ended_at: w.now + Duration::minutes(30),
    };
    w.advance(Duration::minutes(30));
    w.run(&system(), C::CompleteAuction { ended });
    w.events
}

fn entered_results() -> Vec<AnnouncementEvent> {
    use zakup_domain::procedure::entered_results::{
        EnteredResults, EnteredSupplier, PublicationPlaces, SupplierRow,
    };
    let mut w = World::new();
    w.draft(Method::TwoStage, SubjectType::Goods, 1);
    w.run(
        &organizer(),
        C::SetPublicationPlaces {
            places: PublicationPlaces {
                documentation: "г. Астана, ул. Достык 1, каб. 5".into(),
                applications_ru: "г. Астана, ул. Достык 1, каб. 5".into(),
                applications_kk: "Астана қ., Достық к-сі 1, 5 каб.".into(),
            },
        },
    );
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndAcceptance);
    let row = |number: &str, supplier| SupplierRow {
        application_number: number.into(),
        supplier,
        account: "KZ86125KZT5004100100".into(),
        unit_price: Money::from_tenge(950_000),
        conditional_price: Money::from_tenge(950_000),
        submitted_on: date("2026-02-05"),
    };
    let suppliers = vec![
        row(
            "1",
            EnteredSupplier::Resident {
                id: supplier(1).org.into(),
                name: "ТОО «Поставщик»".into(),
            },
        ),
        row(
            "2",
            EnteredSupplier::NonResident {
                tax_number: "190123456".into(),
                name: "ООО «Поставщик»".into(),
            },
        ),
    ];
    w.run(
        &organizer(),
        C::EnterResultsData {
            results: EnteredResults::Held { suppliers },
        },
    );
    w.events
}

fn deleted_draft() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    w.run(
        &system(),
        C::RefreshLotFromPlan {
            source: lot_source(1),
        },
    );
    w.run(&organizer(), C::DeleteDraft);
    w.events
}

fn plan_item_stream() -> Vec<PlanItemEvent> {
    let mut events: Vec<PlanItemEvent> = Vec::new();
    let now = astana("2026-02-02 09:00");
    let mut run = |actor: &zakup_domain::actor::Actor, command: P| {
        let ctx = Context {
            now,
            actor: actor.clone(),
            calendar: calendar(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        };
        let new = PlanItem::fold(&events)
            .decide(command, &ctx)
            .expect("accepted");
        events.extend(new);
    };
    let id = |n| Uuid::from_u128(n);
    let request = P::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Бумага".into(),
        amount: Money::from_tenge(10_000_000),
    };
    run(&customer(), request.clone());
    run(
        &organizer(),
        P::ReturnToCustomer {
            reason: "Уточните количество".into(),
        },
    );
    run(&customer(), request);
    let reserve = |a, t| P::Reserve {
        announcement_id: id(a),
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: t,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    };
    run(&organizer(), reserve(1, ProcurementType::First));
    run(
        &organizer(),
        P::Transfer {
            from_announcement_id: id(1),
            to_announcement_id: id(2),
        },
    );
    run(
        &organizer(),
        P::MarkProcurementFailed {
            announcement_id: id(2),
            article6_rejected_bins: Vec::new(),
        },
    );
    run(&organizer(), reserve(3, ProcurementType::Repeat));
    run(
        &organizer(),
        P::Release {
            announcement_id: id(3),
            reason: ReleaseReason::LotCancelled,
        },
    );
    run(&organizer(), reserve(4, ProcurementType::First));
    run(
        &organizer(),
        P::MarkProcurementHeld {
            announcement_id: id(4),
        },
    );
    // A results revision fails the lot, and a later one holds it again (decision 0603).
    run(
        &organizer(),
        P::MarkProcurementFailed {
            announcement_id: id(4),
            article6_rejected_bins: Vec::new(),
        },
    );
    run(
        &organizer(),
        P::MarkProcurementHeld {
            announcement_id: id(4),
        },
    );
    events
}

// ---- fixtures -----------------------------------------------------------------------------

fn fixture(event_type: &str, version: u32, payload: &Value) -> Value {
    json!({ "event_type": event_type, "schema_version": version, "payload": payload })
}

fn read_fixture(event_type: &str, version: u32) -> Value {
    let path = repo_dir("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing fixture {}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn sample_streams_cover_every_event_type_and_update_fixtures_on_request() {
    let (discussion, copy) = discussion_and_copy();
    let streams = [
        discussion,
        copy,
        full_tender(),
        deleted_draft(),
        notice_during_discussion(),
        refused_after_completion(),
        acceptance_end_entered(),
        started_auction(),
        single_source_samples::refused(),
        single_source_samples::automatic().0,
        single_source_samples::automatic().1,
        entered_results(),
        crate::qualification_selection::sample(),
        crate::technical_failure::schemas::extension_samples(),
    ];
    let mut first: BTreeMap<&str, (u32, Value)> = BTreeMap::new();
    // Camera control's own events have their own schemas and fixtures (camera_control_schemas.rs).
    let own = |e: &&AnnouncementEvent| !matches!(e, AnnouncementEvent::CameraControl(_));
    for event in streams.iter().flatten().filter(own) {
        let (event_type, version, payload) = event.to_stored();
        first.entry(event_type).or_insert((version, payload));
    }
    for event in &plan_item_stream() {
        let (event_type, version, payload) = event.to_stored();
        first.entry(event_type).or_insert((version, payload));
    }
    let missing: Vec<_> = AnnouncementEvent::TYPES
        .iter()
        .filter(|(t, _)| !first.contains_key(t))
        .collect();
    assert!(missing.is_empty(), "sample streams miss {missing:?}");
    assert_eq!(
        first.len(),
        AnnouncementEvent::TYPES.len() + PlanItemEvent::current_schemas().len()
    );

    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let dir = repo_dir("tests/fixtures/events");
        std::fs::create_dir_all(&dir).unwrap();
        // Golden: an existing fixture is never rewritten, only missing ones are added.
        for (event_type, (version, payload)) in &first {
            let path = dir.join(format!("{event_type}.v{version}.json"));
            if !path.exists() {
                let fixture = fixture(event_type, *version, payload);
                std::fs::write(path, serde_json::to_string_pretty(&fixture).unwrap() + "\n")
                    .unwrap();
            }
        }
    }
}

#[test]
fn every_golden_fixture_decodes_re_encodes_and_replays() {
    let mut announcement = Announcement::default();
    for (event_type, version) in AnnouncementEvent::TYPES {
        let fixture = read_fixture(event_type, *version);
        assert_eq!(fixture["event_type"], *event_type);
        assert_eq!(fixture["schema_version"], *version);
        let event = AnnouncementEvent::from_stored(event_type, *version, &fixture["payload"])
            .expect("decodes");
        assert_eq!(
            event.to_stored().2,
            fixture["payload"],
            "{event_type} encodes as its fixture"
        );
        announcement.apply(&event);
    }
    let mut item = PlanItem::default();
    for (event_type, version, _) in PlanItemEvent::current_schemas() {
        let fixture = read_fixture(event_type, version);
        let event =
            PlanItemEvent::from_stored(event_type, version, &fixture["payload"]).expect("decodes");
        assert_eq!(event.to_stored().2, fixture["payload"]);
        item.apply(&event);
    }
}

// Decisions 0209, 0601: a failed lot stored before its reason was recorded is the same optional
// field absent: it decodes with no reason, re-encodes byte for byte, and a new one names it.
#[test]
fn a_failed_outcome_without_its_reason_still_replays() {
    let old = json!({
        "completed_at": "2026-03-05T19:00:00Z",
        "outcomes": [{"outcome": {"outcome": "failed"}, "plan_item_id": "PI-1"}],
    });
    let event = AnnouncementEvent::from_stored("ProcurementCompleted", 1, &old).expect("decodes");
    let AnnouncementEvent::ProcurementCompleted(completed) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(
        completed.outcomes[0].outcome,
        LotOutcome::Failed { reason: None }
    );
    assert_eq!(event.to_stored().2, old);
    let mut new = old.clone();
    new["outcomes"][0]["outcome"]["reason"] = json!("one_application");
    let event = AnnouncementEvent::from_stored("ProcurementCompleted", 1, &new).expect("decodes");
    let AnnouncementEvent::ProcurementCompleted(completed) = &event else {
        panic!("{event:?}");
    };
    assert_eq!(
        completed.outcomes[0].outcome,
        LotOutcome::failed(FailureReason::OneApplication)
    );
}

// Decision 0209: the v1 answer stored an empty string where v2 has no text.
#[test]
fn a_v1_discussion_answer_fixture_upcasts_to_v2_and_replays() {
    let v1 = read_fixture("DiscussionRequestAnswered", 1);
    assert_eq!(v1["payload"]["text"], "");
    let event = AnnouncementEvent::from_stored("DiscussionRequestAnswered", 1, &v1["payload"])
        .expect("upcasts");
    let AnnouncementEvent::DiscussionRequestAnswered(answer) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(answer.text, None);
    assert_eq!(event.schema_version(), 2);

    let mut with_text = v1["payload"].clone();
    with_text["text"] = json!("Разъяснение");
    let event = AnnouncementEvent::from_stored("DiscussionRequestAnswered", 1, &with_text).unwrap();
    let AnnouncementEvent::DiscussionRequestAnswered(answer) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(answer.text.as_deref(), Some("Разъяснение"));

    // Replayed after its request, the upcast answer is folded like a current one.
    let (discussion, _) = discussion_and_copy();
    // The stream up to the request: the discussion is the open tender's, so the draft comes first.
    let until = discussion
        .iter()
        .position(|e| e.event_type() == "DiscussionRequestSubmitted")
        .unwrap();
    let submitted = &discussion[until];
    let mut state = Announcement::fold(&discussion[..=until]);
    let mut answer = v1["payload"].clone();
    answer["request_id"] = submitted.to_stored().2["request_id"].clone();
    state.apply(&AnnouncementEvent::from_stored("DiscussionRequestAnswered", 1, &answer).unwrap());
    assert!(
        !state.discussion_requests().is_empty()
            && state
                .discussion_requests()
                .values()
                .all(|r| r.answer.as_ref().is_some_and(|a| a.text.is_none()))
    );
}

#[test]
fn unknown_types_and_versions_are_decode_errors() {
    use zakup_domain::announcement::DecodeError;
    assert!(matches!(
        AnnouncementEvent::from_stored("Nope", 1, &json!({})),
        Err(DecodeError::UnknownType(_))
    ));
    assert!(matches!(
        AnnouncementEvent::from_stored("AnnouncementPublished", 2, &json!({})),
        Err(DecodeError::UnknownVersion { .. })
    ));
    assert!(matches!(
        AnnouncementEvent::from_stored("AnnouncementPublished", 1, &json!({"published_at": 1})),
        Err(DecodeError::InvalidPayload { .. })
    ));
    assert!(matches!(
        PlanItemEvent::from_stored("PlanItemReserved", 3, &json!({})),
        Err(DecodeError::UnknownVersion { .. })
    ));
}
