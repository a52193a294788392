//! The portal messages read model on real PostgreSQL (spec 000-D §9.1, 000-A §9.3): each trigger
//! of the catalog writes one row per recipient, named as the seed names them, from the
//! announcement's folded state; a replayed batch writes nothing twice; a rebuild gives the same
//! rows.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementEvent as E;
use zakup_domain::announcement::documents::{Approver, Representatives};
use zakup_domain::announcement::event::*;
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::application::{ApplicationId, LotOffer};
use zakup_domain::camera_control::event::{
    DiscussionOutcome, DiscussionProtocolWithoutExecutionChosen, LotsCancelledByNotices,
    NoticeAcknowledged, NoticeDelivered, ObjectionSaved, ObjectionSubmittedForApproval,
    PpdRevisionStarted, ResultsRevisionStarted,
};
use zakup_domain::camera_control::{
    CameraControlEvent as CC, Direction, NoticeId, ObjectionId, Remedy,
};
use zakup_domain::commission::{Commission, Person};
use zakup_domain::discussion::DiscussionRequestId;
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::lot::LotSource;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::{ProtocolContent, ProtocolKind, Signature};
use zakup_domain::status::AdmissionDecision;
use zakup_domain::voting::{FinalDecision, ReviewRound};
use zakup_projections::messages::Messages;
use zakup_projections::{Projection, advance, ensure_live, rebuild};
use zakup_store::{
    ExpectedVersion, Filter, Metadata, NewEvent, RecordedEvent, SharedStore, StreamId,
};

fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .unwrap()
}

fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .unwrap()
}

fn person(n: u32) -> Person {
    Person {
        iin: iin(n),
        full_name: format!("Лицо {n}"),
    }
}

fn at(minutes: i64) -> DateTime<Utc> {
    "2026-02-02T04:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minutes)
}

const NUMBER: &str = "16776705-1";

// Who is who: the organizer's organisation bin(1); its creator and Secretary iin(1); the
// organizer's representative iin(2), the customer's iin(3); chairman iin(4), members iin(5),
// iin(6); a supplier that took part in the discussion bin(7); suppliers that applied bin(8),
// bin(9); the objection's approver iin(10); the inspector iin(11).
const SECRETARY: u32 = 1;
const ORGANIZER_REP: u32 = 2;
const CUSTOMER_REP: u32 = 3;
const MEMBERS: [u32; 3] = [4, 5, 6];

fn protocol(id: Uuid, kind: ProtocolKind, minutes: i64) -> ProtocolFormed {
    let content = ProtocolContent {
        announcement_id: id,
        announcement_number: NUMBER.into(),
        kind,
        version: 1,
        formed_at: at(minutes),
        lots: vec![],
        discussion: vec![],
        bidding: None,
        entered_results: None,
    };
    ProtocolFormed {
        automatic: false,
        content_sha256: content.sha256_hex(),
        content,
    }
}

fn signed(kind: ProtocolKind, by: u32, minutes: i64) -> E {
    E::ProtocolSigned(ProtocolSigned {
        kind,
        version: 1,
        signature: Signature {
            signer_iin: iin(by),
            content_sha256: String::new(),
            dissent: None,
            signed_at: at(minutes),
            proof: None,
        },
    })
}

/// An open tender through every trigger of the catalog the engine has events for, in the order
/// the seed tells them (not a run the domain would decide: the projector only folds).
fn history(id: Uuid) -> Vec<E> {
    let lot = |n: u32| PlanItemId::parse(&format!("PI-{n}")).unwrap();
    let notice = NoticeId(Uuid::from_u128(1));
    let objection = ObjectionId(Uuid::from_u128(2));
    let apply = |n: u32, minutes: i64| {
        E::ApplicationSubmitted(ApplicationSubmitted {
            application_id: ApplicationId(Uuid::from_u128(100 + n as u128)),
            supplier_bin: bin(n),
            offers: vec![LotOffer {
                plan_item_id: lot(1),
                price: Money::from_tenge(800_000),
            }],
            submitted_at: at(minutes),
        })
    };
    vec![
        E::AnnouncementDrafted(AnnouncementDrafted {
            announcement_id: id,
            number: NUMBER.into(),
            header: Header {
                method: Method::OpenTender,
                procurement_type: ProcurementType::First,
                subject_type: SubjectType::Goods,
                name_kk: "Қағаз".into(),
                name_ru: "Бумага".into(),
                among_disabled_organizations: false,
                single_organizer: false,
            },
            organizer_bin: bin(1),
            creator_iin: iin(SECRETARY),
            drafted_at: at(0),
        }),
        E::LotsAdded(LotsAdded {
            lots: vec![LotSource {
                plan_item_id: lot(1),
                lot_number: "77-ОК1".into(),
                customer_bin: bin(2),
                name_ru: "Бумага".into(),
                name_kk: "Қағаз".into(),
                amount: Money::from_tenge(900_000),
                ktru: None,
            }],
            added_at: at(1),
        }),
        E::RepresentativesSet(RepresentativesSet {
            representatives: Representatives {
                application_validity_days: 60,
                organizer_representative: person(ORGANIZER_REP),
                customer_representative: person(CUSTOMER_REP),
                organizer_bank_account: "KZ1".into(),
                security_bank_account: "KZ2".into(),
                customer_bank_account: "KZ3".into(),
                approver: Approver {
                    full_name: "Утверждающий".into(),
                    order_number: "1".into(),
                    order_date: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
                },
            },
            set_at: at(2),
        }),
        E::CommissionSet(CommissionSet {
            commission: Commission {
                chairman: person(MEMBERS[0]),
                members: vec![person(MEMBERS[1]), person(MEMBERS[2])],
                secretary: person(SECRETARY),
            },
            set_at: at(3),
        }),
        // 000-A L1594–1596
        E::DiscussionRequestSubmitted(DiscussionRequestSubmitted {
            request_id: DiscussionRequestId(Uuid::from_u128(3)),
            supplier_bin: bin(7),
            subject: "Сроки".into(),
            text: "Просим продлить сроки".into(),
            submitted_at: at(10),
        }),
        // L10928–10932
        E::CameraControl(CC::NoticeDelivered(NoticeDelivered {
            notice_id: notice,
            plan_item_id: lot(1),
            direction: Direction::First,
            remedy: Remedy::ChangeDocumentation,
            text: "Устранить нарушение в техспецификации".into(),
            file: None,
            inspector_iin: iin(11),
            organizer_bin: bin(1),
            announcement_status_at_delivery: "published".into(),
            delivered_at: at(20),
            execution_deadline: NaiveDate::from_ymd_opt(2026, 2, 20).unwrap(),
            expires_at: at(60 * 24 * 18),
            objection_deadline: NaiveDate::from_ymd_opt(2026, 2, 9).unwrap(),
        })),
        // L11101–11103: «Ознакомлен» by an employee of the organizer reads the notice.
        E::CameraControl(CC::NoticeAcknowledged(NoticeAcknowledged {
            notice_id: notice,
            acknowledged_by: iin(ORGANIZER_REP),
            acknowledged_at: at(21),
        })),
        // L11240–11242
        E::CameraControl(CC::ObjectionSaved(ObjectionSaved {
            objection_id: objection,
            notice_id: notice,
            number: 1,
            creator_iin: iin(SECRETARY),
            description_ru: Some("Не согласны".into()),
            description_kz: None,
            approver_iin: iin(10),
            saved_by: iin(SECRETARY),
            saved_at: at(25),
        })),
        E::CameraControl(CC::ObjectionSubmittedForApproval(
            ObjectionSubmittedForApproval {
                objection_id: objection,
                approver_iin: iin(10),
                submitted_at: at(26),
            },
        )),
        E::CameraControl(CC::DiscussionProtocolWithoutExecutionChosen(
            DiscussionProtocolWithoutExecutionChosen {
                restricted_notice_ids: vec![notice],
                outcome: DiscussionOutcome::AcceptanceEndDateRequired,
                chosen_by: iin(SECRETARY),
                chosen_at: at(30),
            },
        )),
        E::DiscussionCompleted(DiscussionCompleted {
            signers: vec![person(ORGANIZER_REP)],
            completed_at: at(31),
        }),
        // L12235–12239
        E::ProtocolFormed(protocol(id, ProtocolKind::Discussion, 32)),
        // L12287–12289
        signed(ProtocolKind::Discussion, ORGANIZER_REP, 33),
        // L12307–12311
        E::ProtocolPublished(ProtocolPublished {
            kind: ProtocolKind::Discussion,
            version: 1,
            published_at: at(34),
        }),
        E::AcceptanceStarted(AcceptanceStarted { started_at: at(35) }),
        apply(8, 40),
        apply(9, 41),
        // 000-A L2004–2008
        E::AcceptanceEnded(AcceptanceEnded { ended_at: at(50) }),
        E::VotingCompleted(VotingCompleted {
            round: ReviewRound::Initial,
            decisions: vec![FinalDecision {
                application_id: ApplicationId(Uuid::from_u128(109)),
                plan_item_id: lot(1),
                decision: AdmissionDecision::Rejected,
            }],
            completed_at: at(55),
        }),
        E::ProtocolFormed(protocol(id, ProtocolKind::PreliminaryAdmission, 60)),
        // 000-A L2577–2581: the Secretary's signature asks the members for theirs; a member's
        // does not.
        signed(ProtocolKind::PreliminaryAdmission, SECRETARY, 61),
        signed(ProtocolKind::PreliminaryAdmission, MEMBERS[0], 62),
        // No invitation: the open tender's seed names none (docs/decisions/0718).
        E::SupplementPeriodStarted(SupplementPeriodStarted {
            start: at(63),
            end: at(63 + 60 * 24 * 3),
        }),
        // 000-A L2685–2689
        E::SupplementPeriodEnded(SupplementPeriodEnded { ended_at: at(70) }),
        // L12508–12512
        E::CameraControl(CC::PpdRevisionStarted(PpdRevisionStarted {
            notice_ids: vec![notice],
            plan_item_ids: vec![lot(1)],
            started_by: iin(SECRETARY),
            started_at: at(80),
        })),
        // L12769–12773
        E::CameraControl(CC::ResultsRevisionStarted(ResultsRevisionStarted {
            notice_ids: vec![notice],
            plan_item_ids: vec![lot(1)],
            started_by: iin(SECRETARY),
            started_at: at(90),
        })),
        // L12143–12149
        E::CameraControl(CC::LotsCancelledByNotices(LotsCancelledByNotices {
            notice_ids: vec![notice],
            plan_item_ids: vec![lot(1)],
            whole_announcement: true,
            back_to_completed: false,
            reason_ru: "Отмена по результатам камерального контроля".into(),
            inspector_iins: vec![iin(11)],
            cancelled_by: iin(SECRETARY),
            cancelled_at: at(100),
        })),
    ]
}

/// An auction from its commission to the admission protocol signed by the Secretary and a
/// member (000-B L5104–5530): bin(8) admitted, bin(9) rejected with the right to supplement,
/// bin(10) rejected without it.
fn auction_history(id: Uuid) -> Vec<E> {
    let lot = PlanItemId::parse("PI-1").unwrap();
    let mut events: Vec<E> = history(id).into_iter().take(4).collect();
    let E::AnnouncementDrafted(drafted) = &mut events[0] else {
        panic!("the history starts with the draft")
    };
    drafted.header.method = Method::Auction;
    let application = |n: u32| ApplicationId(Uuid::from_u128(100 + n as u128));
    events.extend([8, 9, 10].map(|n| {
        E::ApplicationSubmitted(ApplicationSubmitted {
            application_id: application(n),
            supplier_bin: bin(n),
            offers: vec![LotOffer {
                plan_item_id: lot.clone(),
                price: Money::from_tenge(800_000),
            }],
            submitted_at: at(40 + i64::from(n)),
        })
    }));
    let decision = |n: u32, decision| FinalDecision {
        application_id: application(n),
        plan_item_id: lot.clone(),
        decision,
    };
    events.extend([
        E::AcceptanceEnded(AcceptanceEnded { ended_at: at(50) }),
        E::VotingCompleted(VotingCompleted {
            round: ReviewRound::Initial,
            decisions: vec![
                decision(8, AdmissionDecision::Admitted),
                decision(9, AdmissionDecision::Rejected),
                decision(10, AdmissionDecision::RejectedNoResubmission),
            ],
            completed_at: at(55),
        }),
        E::ProtocolFormed(protocol(id, ProtocolKind::PreliminaryAdmission, 60)),
        signed(ProtocolKind::PreliminaryAdmission, SECRETARY, 61),
        E::ProtocolPublished(ProtocolPublished {
            kind: ProtocolKind::PreliminaryAdmission,
            version: 1,
            published_at: at(63),
        }),
        // 000-B L5192–5196
        E::SupplementPeriodStarted(SupplementPeriodStarted {
            start: at(63),
            end: at(63 + 60 * 24 * 3),
        }),
        E::SupplementPeriodEnded(SupplementPeriodEnded { ended_at: at(70) }),
        E::ProtocolFormed(protocol(id, ProtocolKind::Admission, 80)),
        // 000-B L5522–5526: the Secretary's signature asks the others for theirs.
        signed(ProtocolKind::Admission, SECRETARY, 81),
        signed(ProtocolKind::Admission, MEMBERS[0], 82),
    ]);
    events
}

/// Each event as its own command, as the engine appends them.
async fn append(store: &SharedStore, id: Uuid, events: Vec<E>) {
    let stream = StreamId::new("announcement", id).unwrap();
    for (version, event) in events.into_iter().enumerate() {
        let (event_type, schema_version, payload) = event.to_stored();
        let command_id = Uuid::new_v4();
        let expected = match version {
            0 => ExpectedVersion::NoStream,
            v => ExpectedVersion::Exact(v as u64 - 1),
        };
        store
            .append(
                &stream,
                expected,
                vec![NewEvent {
                    event_id: NewEvent::id_for(command_id, &stream, 0),
                    event_type: event_type.to_owned(),
                    schema_version,
                    payload,
                    metadata: Metadata {
                        command_id,
                        correlation_id: command_id,
                        causation_id: None,
                        actor: zakup_store::Actor {
                            user_id: "user-1".into(),
                            iin: iin(SECRETARY).to_string(),
                            org_bin: bin(1).to_string(),
                            role: "organizer".into(),
                        },
                        occurred_at: at(0),
                        sandbox: false,
                    },
                }],
            )
            .await
            .unwrap();
    }
}

type Row = (String, String, String, String);

/// (kind, recipient_kind, recipient, role) of every row, in a fixed order.
async fn rows(pool: &PgPool) -> Vec<Row> {
    sqlx::query_as(
        "SELECT kind, recipient_kind, recipient, recipient_role FROM rm.messages
          ORDER BY position_major, position_minor, kind, recipient",
    )
    .fetch_all(pool)
    .await
    .unwrap()
}

/// (kind, read_at) of the messages read: only the acknowledged notice's (docs/decisions/0351).
async fn read(pool: &PgPool) -> Vec<(String, DateTime<Utc>)> {
    sqlx::query_as("SELECT DISTINCT kind, read_at FROM rm.messages WHERE read_at IS NOT NULL")
        .fetch_all(pool)
        .await
        .unwrap()
}

async fn dump(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar("SELECT t::text FROM rm.messages t ORDER BY t::text")
        .fetch_all(pool)
        .await
        .unwrap()
}

fn to(kind: &str, people: &[(u32, &str)], orgs: &[(u32, &str)]) -> Vec<Row> {
    let mut out: Vec<Row> = people
        .iter()
        .map(|(n, role)| {
            (
                kind.to_owned(),
                "person".to_owned(),
                iin(*n).to_string(),
                (*role).to_owned(),
            )
        })
        .chain(orgs.iter().map(|(n, role)| {
            (
                kind.to_owned(),
                "organisation".to_owned(),
                bin(*n).to_string(),
                (*role).to_owned(),
            )
        }))
        .collect();
    out.sort_by(|a, b| a.2.cmp(&b.2));
    out
}

async fn setup() -> (zakup_pgcluster::TestDatabase, PgPool, SharedStore, Uuid) {
    setup_with(history).await
}

async fn setup_with(
    history: fn(Uuid) -> Vec<E>,
) -> (zakup_pgcluster::TestDatabase, PgPool, SharedStore, Uuid) {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = db.pool().await.unwrap();
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .unwrap();
    zakup_projections::migrate(&pool).await.unwrap();
    let id = Uuid::new_v4();
    let events = history(id);
    let n = events.len() as u64;
    append(&store, id, events).await;
    zakup_store::contract::settled(&store, &Filter::all(), n).await;
    (db, pool, store, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_trigger_messages_the_recipients_the_seed_names() {
    let (_db, pool, store, id) = setup().await;
    let p = Messages::new();
    let g = ensure_live(&pool, &p).await.unwrap();
    // One event per batch: every fold after the first continues from memory.
    while !advance(&pool, store.as_ref(), &p, &g, 1)
        .await
        .unwrap()
        .is_empty()
    {}

    let members: Vec<(u32, &str)> = MEMBERS.iter().map(|m| (*m, "commission_member")).collect();
    let reps = [
        (ORGANIZER_REP, "organizer_representative"),
        (CUSTOMER_REP, "customer_representative"),
    ];
    let reps_and_members: Vec<(u32, &str)> = reps.iter().chain(&members).copied().collect();
    let mut expected = Vec::new();
    // 000-A L1594–1596: the Secretary and both representatives.
    expected.extend(to(
        "discussion_request_received",
        &[(SECRETARY, "secretary")]
            .iter()
            .chain(&reps)
            .copied()
            .collect::<Vec<_>>(),
        &[],
    ));
    // L10928–10932: the organizer's organisation.
    expected.extend(to("notice_delivered", &[], &[(1, "organizer")]));
    // L11240–11242: the approver.
    expected.extend(to("objection_approval_required", &[(10, "approver")], &[]));
    // L12235–12239: the added signer.
    expected.extend(to(
        "discussion_protocol_signing_required",
        &[(ORGANIZER_REP, "signer")],
        &[],
    ));
    // L12287–12289: the Secretary.
    expected.extend(to(
        "discussion_protocol_signed",
        &[(SECRETARY, "secretary")],
        &[],
    ));
    // L12307–12311: both representatives and the suppliers of the discussion.
    expected.extend(to(
        "acceptance_started_after_discussion_protocol",
        &reps,
        &[(7, "discussion_participant")],
    ));
    // 000-A L2004–2008, L2577–2581, L2685–2689: the chairman and the members.
    expected.extend(to("applications_review_required", &members, &[]));
    expected.extend(to("ppd_signing_required", &members, &[]));
    expected.extend(to("supplements_review_required", &members, &[]));
    // L12508–12512, L12769–12773: representatives, members, the applying suppliers' employees.
    let applicants = [(8, "applicant"), (9, "applicant")];
    expected.extend(to("ppd_revision_started", &reps_and_members, &applicants));
    expected.extend(to(
        "results_revision_started",
        &reps_and_members,
        &applicants,
    ));
    // L12143–12149: and the inspector who sent the notices.
    expected.extend(to(
        "cancelled_by_notices",
        &reps_and_members
            .iter()
            .chain(&[(11, "inspector")])
            .copied()
            .collect::<Vec<_>>(),
        &applicants,
    ));
    let mut got = rows(&pool).await;
    // Within one event, by recipient.
    let order: Vec<String> = got.iter().map(|r| r.0.clone()).collect();
    let mut kinds = order.clone();
    kinds.dedup();
    got.sort_by(|a, b| {
        let k = |r: &Row| kinds.iter().position(|k| k == &r.0);
        k(a).cmp(&k(b)).then(a.2.cmp(&b.2))
    });
    assert_eq!(got, expected);
    // Acknowledged in a later batch than delivered: the notice's message is read, no other.
    assert_eq!(read(&pool).await, [("notice_delivered".to_owned(), at(21))]);

    // The texts quote the seed and name the announcement.
    let texts: Vec<(String, String)> =
        sqlx::query_as("SELECT DISTINCT kind, text FROM rm.messages WHERE announcement_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    let text = |kind: &str| {
        texts
            .iter()
            .find(|(k, _)| k == kind)
            .map(|(_, t)| t.clone())
            .unwrap()
    };
    assert!(texts.iter().all(|(_, t)| t.contains(NUMBER)), "{texts:?}");
    assert!(text("ppd_revision_started").contains("пересмотр протокола предварительного допуска"));
    assert!(text("results_revision_started").contains("пересмотр протокола итогов"));
    assert!(text("discussion_protocol_signing_required").contains("подписать протокол обсуждения"));
    assert!(text("notice_delivered").contains("Устранить нарушение в техспецификации"));
    // No message to a supplier names another supplier.
    let to_suppliers: Vec<String> = sqlx::query_scalar(
        "SELECT text FROM rm.messages WHERE recipient_kind = 'organisation' AND recipient <> $1",
    )
    .bind(bin(1).to_string())
    .fetch_all(&pool)
    .await
    .unwrap();
    for t in &to_suppliers {
        for n in [7, 8, 9] {
            assert!(!t.contains(&bin(n).to_string()), "{t}");
        }
    }
}

// 000-B L5192–5196, L5522–5526 (docs/decisions/0718): an auction's ППД invites only the
// supplier rejected with the right to supplement; the Secretary's signature of the admission
// protocol asks the chairman and the members for theirs. (The open tender's history, whose seed
// names no invitation, sends none: `every_trigger_messages_the_recipients_the_seed_names`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_auction_invites_the_rejected_and_asks_for_the_admission_protocol() {
    let (_db, pool, store, id) = setup_with(auction_history).await;
    let p = Messages::new();
    let g = ensure_live(&pool, &p).await.unwrap();
    while !advance(&pool, store.as_ref(), &p, &g, 1)
        .await
        .unwrap()
        .is_empty()
    {}
    let members: Vec<(u32, &str)> = MEMBERS.iter().map(|m| (*m, "commission_member")).collect();
    let mut expected = Vec::new();
    expected.extend(to("applications_review_required", &members, &[]));
    expected.extend(to("ppd_signing_required", &members, &[]));
    expected.extend(to("supplement_invitation", &[], &[(9, "not_admitted")]));
    expected.extend(to("supplements_review_required", &members, &[]));
    expected.extend(to("admission_protocol_signing_required", &members, &[]));
    assert_eq!(rows(&pool).await, expected);
    let texts: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT text FROM rm.messages WHERE announcement_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert!(texts.iter().all(|t| t.contains(NUMBER)), "{texts:?}");
    assert!(
        texts
            .iter()
            .any(|t| t.contains("добавить недостающие документы")),
        "{texts:?}"
    );
    assert!(texts.iter().all(|t| !t.contains(&bin(8).to_string())));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replayed_batch_writes_once_and_a_rebuild_writes_the_same_rows() {
    let (_db, pool, store, _) = setup().await;
    let p = Messages::new();
    let g = ensure_live(&pool, &p).await.unwrap();
    while !advance(&pool, store.as_ref(), &p, &g, 5)
        .await
        .unwrap()
        .is_empty()
    {}
    let once = dump(&pool).await;
    assert_eq!(once.len(), 41, "{once:#?}");
    // Delivered and acknowledged in one batch: read as well.
    assert_eq!(read(&pool).await, [("notice_delivered".to_owned(), at(21))]);

    // The same events applied again, by a projector that remembers nothing, in one batch: every
    // message is already there and must not be written twice.
    let events = store
        .read_all(None, &Filter::categories(["announcement"]), 1000)
        .await
        .unwrap();
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(&format!("SET LOCAL search_path TO {}", g.schema_name))
        .execute(&mut *tx)
        .await
        .unwrap();
    let events: Vec<&RecordedEvent> = events.iter().collect();
    Messages::new()
        .apply(&mut tx, store.as_ref(), &events)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(dump(&pool).await, once);

    // A rebuild: fresh projector, batches of a thousand, every stream folded from its start.
    rebuild(&pool, store.as_ref(), &p, |_, _| {}).await.unwrap();
    assert_eq!(dump(&pool).await, once);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fresh_projector_folds_the_older_events_back_from_the_store() {
    let (_db, pool, store, _) = setup().await;
    let p = Messages::new();
    let g = ensure_live(&pool, &p).await.unwrap();
    while !advance(&pool, store.as_ref(), &p, &g, 5)
        .await
        .unwrap()
        .is_empty()
    {}
    let once = dump(&pool).await;

    // The read model emptied and rebuilt in two halves, the second by a projector that has never
    // seen the first (as after a restart): its batch starts in the middle of the stream, so it
    // must fold the stream's older events back from the store to name the same recipients.
    let events = store
        .read_all(None, &Filter::categories(["announcement"]), 1000)
        .await
        .unwrap();
    let events: Vec<&RecordedEvent> = events.iter().collect();
    let (older, newer) = events.split_at(events.len() / 2);
    assert!(newer[0].version > 0);
    let mut tx = pool.begin().await.unwrap();
    sqlx::query(&format!("SET LOCAL search_path TO {}", g.schema_name))
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query("DELETE FROM messages")
        .execute(&mut *tx)
        .await
        .unwrap();
    Messages::new()
        .apply(&mut tx, store.as_ref(), older)
        .await
        .unwrap();
    Messages::new()
        .apply(&mut tx, store.as_ref(), newer)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(dump(&pool).await, once);
}

/// The notices and announcement read models rewrite only the rows a batch changes (a batch
/// continues from the rows the previous one left): one event at a time they hold exactly the
/// rows a rebuild writes from whole streams, notices and objections included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewriting_only_changed_rows_one_event_at_a_time_equals_a_rebuild() {
    let (_db, pool, store, _) = setup().await;
    let tables = |p: &dyn Projection| p.tables().to_vec();
    let projections: Vec<Box<dyn Projection>> = vec![
        Box::new(zakup_projections::notices::Notices::new()),
        Box::new(zakup_projections::announcements::Announcements::new()),
    ];
    let mut one_at_a_time = Vec::new();
    for p in &projections {
        let g = ensure_live(&pool, p.as_ref()).await.unwrap();
        while !advance(&pool, store.as_ref(), p.as_ref(), &g, 1)
            .await
            .unwrap()
            .is_empty()
        {}
        for table in tables(p.as_ref()) {
            one_at_a_time.push(table_dump(&pool, table).await);
        }
    }
    assert!(
        !one_at_a_time[0].is_empty() && !one_at_a_time[1].is_empty(),
        "the history has notices and objections: {one_at_a_time:#?}"
    );
    let mut rebuilt = Vec::new();
    for p in &projections {
        rebuild(&pool, store.as_ref(), p.as_ref(), |_, _| {})
            .await
            .unwrap();
        for table in tables(p.as_ref()) {
            rebuilt.push(table_dump(&pool, table).await);
        }
    }
    assert_eq!(rebuilt, one_at_a_time);
}

async fn table_dump(pool: &PgPool, table: &str) -> Vec<String> {
    sqlx::query_scalar(&format!(
        "SELECT t::text FROM rm.{table} t ORDER BY t::text"
    ))
    .fetch_all(pool)
    .await
    .unwrap()
}
