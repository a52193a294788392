//! `myMessages` and `messageReceived` in process over a real PostgreSQL (spec 000-D §9.1,
//! docs/decisions/0350, 0351): the announcement's events go straight into the store, the daemon
//! projects them, and each caller is answered with the messages addressed to their ИИН or their
//! organisation's БИН, and nothing else.

use std::sync::Arc;

use async_graphql::{Request, Response, Variables};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use futures::{Stream, StreamExt};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_api::{AppState, Principal, Viewer, ZakupSchema};
use zakup_domain::announcement::AnnouncementEvent as E;
use zakup_domain::announcement::documents::{Approver, Representatives};
use zakup_domain::announcement::event::*;
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::application::{ApplicationId, LotOffer};
use zakup_domain::calendar::Calendar;
use zakup_domain::camera_control::event::{
    LotsCancelledByNotices, NoticeAcknowledged, NoticeDelivered,
};
use zakup_domain::camera_control::{CameraControlEvent as CC, Direction, NoticeId, Remedy};
use zakup_domain::commission::{Commission, Person};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::lot::LotSource;
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_engine::{Engine, ManualClock};
use zakup_store::{ExpectedVersion, Metadata, NewEvent, SharedStore, StreamId};

fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("a БИН")
}

fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .expect("an ИИН")
}

fn at(minutes: i64) -> DateTime<Utc> {
    "2026-02-02T04:00:00Z"
        .parse::<DateTime<Utc>>()
        .expect("instant")
        + Duration::minutes(minutes)
}

// Who is who: the organizer's organisation bin(1), its Secretary iin(1), an employee who is on
// no commission iin(20); the representatives iin(2) (organizer) and iin(3) (customer, bin(2));
// the chairman iin(4), the members iin(5), iin(6); applying suppliers bin(8), bin(9); a supplier
// that did not apply bin(10); the inspector iin(11), bin(60).
fn who(user: &str, person: u32, org: u32, role: &str) -> Principal {
    Principal {
        user_id: user.into(),
        iin: iin(person).to_string(),
        org_bin: bin(org).to_string(),
        roles: vec![role.into()],
    }
}

fn employee() -> Principal {
    who("employee", 20, 1, "organizer")
}

fn chairman() -> Principal {
    who("chairman", 4, 1, "organizer")
}

fn supplier(org: u32) -> Principal {
    who("supplier", 30 + org, org, "supplier")
}

fn person(n: u32) -> Person {
    Person {
        iin: iin(n),
        full_name: format!("Лицо {n}"),
    }
}

const NOTICE: NoticeId = NoticeId(Uuid::from_u128(1));

/// An open tender with two applications on its lot: the steps before camera control.
fn tender(id: Uuid) -> Vec<E> {
    let lot = PlanItemId::parse("PI-1").expect("a plan item");
    let apply = |n: u32| {
        E::ApplicationSubmitted(ApplicationSubmitted {
            application_id: ApplicationId(Uuid::from_u128(100 + n as u128)),
            supplier_bin: bin(n),
            offers: vec![LotOffer {
                plan_item_id: lot.clone(),
                price: Money::from_tenge(800_000),
            }],
            submitted_at: at(10 + n as i64),
        })
    };
    vec![
        E::AnnouncementDrafted(AnnouncementDrafted {
            announcement_id: id,
            number: "16776705-1".into(),
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
            creator_iin: iin(1),
            drafted_at: at(0),
        }),
        E::LotsAdded(LotsAdded {
            lots: vec![LotSource {
                plan_item_id: lot.clone(),
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
                organizer_representative: person(2),
                customer_representative: person(3),
                organizer_bank_account: "KZ1".into(),
                security_bank_account: "KZ2".into(),
                customer_bank_account: "KZ3".into(),
                approver: Approver {
                    full_name: "Утверждающий".into(),
                    order_number: "1".into(),
                    order_date: NaiveDate::from_ymd_opt(2026, 1, 5).expect("a date"),
                },
            },
            set_at: at(2),
        }),
        E::CommissionSet(CommissionSet {
            commission: Commission {
                chairman: person(4),
                members: vec![person(5), person(6)],
                secretary: person(1),
            },
            set_at: at(3),
        }),
        apply(8),
        apply(9),
    ]
}

/// L10928–10932: the inspector's notice on the lot.
fn delivered() -> E {
    E::CameraControl(CC::NoticeDelivered(NoticeDelivered {
        notice_id: NOTICE,
        plan_item_id: PlanItemId::parse("PI-1").expect("a plan item"),
        direction: Direction::Second,
        remedy: Remedy::CancelProcurement,
        text: "Нарушение пункта 12 Правил".into(),
        file: None,
        inspector_iin: iin(11),
        organizer_bin: bin(1),
        announcement_status_at_delivery: "published_accepting_applications".into(),
        delivered_at: at(30),
        execution_deadline: NaiveDate::from_ymd_opt(2026, 2, 16).expect("a date"),
        expires_at: at(60 * 24 * 14),
        objection_deadline: NaiveDate::from_ymd_opt(2026, 2, 6).expect("a date"),
    }))
}

/// L11101–11103, then L12143–12149: «Ознакомлен», and the procurement cancelled by the notice.
fn acknowledged_and_cancelled() -> Vec<E> {
    vec![
        E::CameraControl(CC::NoticeAcknowledged(NoticeAcknowledged {
            notice_id: NOTICE,
            acknowledged_by: iin(20),
            acknowledged_at: at(40),
        })),
        E::CameraControl(CC::LotsCancelledByNotices(LotsCancelledByNotices {
            notice_ids: vec![NOTICE],
            plan_item_ids: vec![PlanItemId::parse("PI-1").expect("a plan item")],
            whole_announcement: true,
            back_to_completed: false,
            reason_ru: "Отмена по результатам камерального контроля".into(),
            inspector_iins: vec![iin(11)],
            cancelled_by: iin(1),
            cancelled_at: at(50),
        })),
    ]
}

struct Setup {
    _db: zakup_pgcluster::TestDatabase,
    schema: ZakupSchema,
    store: SharedStore,
    id: Uuid,
    version: u64,
}

async fn setup() -> Setup {
    let db = zakup_pgcluster::test_database()
        .await
        .expect("test database");
    let pool = db.pool().await.expect("pool");
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .expect("event store");
    zakup_projections::migrate(&pool).await.expect("registry");
    let daemon =
        zakup_projections::Daemon::start(store.clone(), pool.clone(), zakup_projections::all())
            .await
            .expect("daemon");
    let calendar = Arc::new(Calendar::embedded().expect("calendar"));
    let clock = ManualClock::at(at(0));
    let schema = zakup_api::schema(AppState {
        engine: Engine::new(store.clone(), Arc::new(clock), calendar),
        store: store.clone(),
        pool,
        daemon: Arc::new(daemon),
        keys: Arc::new(zakup_api::TokenKeys::hmac(&[9; 32]).expect("keys")),
        registry: zakup_api::RegistryMode::Development,
    });
    Setup {
        _db: db,
        schema,
        store,
        id: Uuid::new_v4(),
        version: 0,
    }
}

impl Setup {
    /// Appends each event as its own command, as the engine does; the last one's position.
    async fn append(&mut self, events: Vec<E>) -> String {
        let stream = StreamId::new("announcement", self.id).expect("a stream");
        let mut position = String::new();
        for event in events {
            let (event_type, schema_version, payload) = event.to_stored();
            let command_id = Uuid::new_v4();
            let expected = match self.version {
                0 => ExpectedVersion::NoStream,
                v => ExpectedVersion::Exact(v - 1),
            };
            let appended = self
                .store
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
                                user_id: "secretary".into(),
                                iin: iin(1).to_string(),
                                org_bin: bin(1).to_string(),
                                role: "organizer".into(),
                            },
                            occurred_at: at(0),
                            sandbox: false,
                        },
                    }],
                )
                .await
                .expect("append");
            self.version += 1;
            position = appended.position.to_string();
        }
        position
    }

    async fn run(&self, who: Option<Principal>, query: &str, variables: Value) -> Response {
        let request = Request::new(query).variables(Variables::from_json(variables));
        let request = match who {
            Some(p) => request.data(Viewer::trusted(p)),
            None => request,
        };
        self.schema.execute(request).await
    }

    /// `myMessages` as `who` sees it once the read models hold `position`: (kind, role, unread).
    async fn inbox(&self, who: Principal, unread: Option<bool>, position: &str) -> Vec<Value> {
        let r = self
            .run(
                Some(who),
                "query($u: Boolean, $p: String) { myMessages(unread: $u, minPosition: $p) {
                   edges { node { kind recipientRole unread readAt noticeId text source } } } }",
                json!({"u": unread, "p": position}),
            )
            .await;
        assert!(r.errors.is_empty(), "{:?}", r.errors);
        let data = r.data.into_json().expect("JSON");
        data["myMessages"]["edges"]
            .as_array()
            .map(|edges| edges.iter().map(|e| e["node"].clone()).collect())
            .unwrap_or_default()
    }
}

fn kinds(messages: &[Value]) -> Vec<&str> {
    messages
        .iter()
        .map(|m| m["kind"].as_str().unwrap_or_default())
        .collect()
}

fn code(r: &Response) -> String {
    r.errors
        .first()
        .and_then(|e| e.extensions.as_ref())
        .and_then(|x| x.get("code"))
        .map(|c| c.to_string().trim_matches('"').to_owned())
        .unwrap_or_default()
}

/// Given a tender with two applications, when the inspector delivers a notice (L10928–10932),
/// then every employee of the organizer's organisation has it, unread until «Ознакомлен»
/// (L10934–10944), and no supplier, customer or inspector has it; when the procurement is then
/// cancelled by the notice (L12143–12149), the chairman and the applying suppliers hear of it,
/// the supplier that did not apply does not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_caller_reads_only_the_messages_addressed_to_them() {
    let mut s = setup().await;
    let id = s.id;
    s.append(tender(id)).await;
    let p = s.append(vec![delivered()]).await;

    let mine = s.inbox(employee(), None, &p).await;
    assert_eq!(kinds(&mine), ["notice_delivered"]);
    assert_eq!(mine[0]["recipientRole"], "organizer");
    assert_eq!(mine[0]["unread"], true);
    assert_eq!(mine[0]["noticeId"], json!(NOTICE.0));
    assert!(
        mine[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("16776705-1") && t.contains("Нарушение пункта 12")),
        "{mine:?}"
    );
    assert_eq!(mine[0]["source"], "L10928–10932");
    assert_eq!(
        kinds(&s.inbox(employee(), Some(true), &p).await),
        ["notice_delivered"]
    );
    assert!(s.inbox(employee(), Some(false), &p).await.is_empty());
    for other in [
        supplier(8),
        supplier(10),
        who("customer", 3, 2, "customer"),
        who("inspector", 11, 60, "inspector"),
    ] {
        assert!(
            s.inbox(other.clone(), None, &p).await.is_empty(),
            "{other:?}"
        );
    }

    let p = s.append(acknowledged_and_cancelled()).await;
    // Read by one employee, read for all of them (L10942–10944).
    let mine = s.inbox(employee(), None, &p).await;
    assert_eq!(kinds(&mine), ["notice_delivered"]);
    assert_eq!(mine[0]["unread"], false);
    let read_at = mine[0]["readAt"].as_str().and_then(|t| t.parse().ok());
    assert_eq!(read_at, Some(at(40)));
    assert!(s.inbox(employee(), Some(true), &p).await.is_empty());

    // The chairman: the cancellation to him by ИИН, the notice to his organisation; newest first.
    let theirs = s.inbox(chairman(), None, &p).await;
    assert_eq!(kinds(&theirs), ["cancelled_by_notices", "notice_delivered"]);
    assert_eq!(theirs[0]["recipientRole"], "commission_member");
    for applicant in [supplier(8), supplier(9)] {
        let theirs = s.inbox(applicant, None, &p).await;
        assert_eq!(kinds(&theirs), ["cancelled_by_notices"]);
        assert_eq!(theirs[0]["recipientRole"], "applicant");
    }
    assert!(s.inbox(supplier(10), None, &p).await.is_empty());
    assert_eq!(
        kinds(
            &s.inbox(who("inspector", 11, 60, "inspector"), None, &p)
                .await
        ),
        ["cancelled_by_notices"]
    );

    // Paginated like every list: one at a time, with a cursor.
    let page = |after: Value| {
        s.run(
            Some(chairman()),
            "query($a: String) { myMessages(first: 1, after: $a) {
               pageInfo { hasNextPage endCursor } edges { node { kind } } } }",
            json!({"a": after}),
        )
    };
    let first = page(Value::Null).await.data.into_json().expect("JSON");
    assert_eq!(first["myMessages"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        first["myMessages"]["edges"][0]["node"]["kind"],
        "cancelled_by_notices"
    );
    let second = page(first["myMessages"]["pageInfo"]["endCursor"].clone())
        .await
        .data
        .into_json()
        .expect("JSON");
    assert_eq!(second["myMessages"]["pageInfo"]["hasNextPage"], false);
    assert_eq!(
        second["myMessages"]["edges"][0]["node"]["kind"],
        "notice_delivered"
    );
}

/// Without a token, with a token whose ИИН the domain refuses, or with a page too large, the
/// caller is refused with a code in `extensions`, never answered with an empty inbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_who_cannot_be_addressed_is_refused_with_a_code() {
    let s = setup().await;
    let query = "query($f: Int) { myMessages(first: $f) { edges { node { id } } } }";
    let anonymous = s.run(None, query, json!({})).await;
    assert_eq!(code(&anonymous), "unauthenticated");
    let mut malformed = employee();
    malformed.iin = "123".into();
    assert_eq!(
        code(&s.run(Some(malformed), query, json!({})).await),
        "invalid_iin"
    );
    let too_many = s.run(Some(employee()), query, json!({"f": 1000})).await;
    assert_eq!(code(&too_many), "invalid_input");
    let subscription = s
        .schema
        .execute_stream(Request::new("subscription { messageReceived { id } }"))
        .next()
        .await
        .expect("a response");
    assert_eq!(code(&subscription), "unauthenticated");
}

/// Polls the subscription until it listens to the daemon: it hears nothing before that.
async fn listening(stream: &mut (impl Stream<Item = Response> + Unpin)) {
    let quiet = tokio::time::timeout(std::time::Duration::from_millis(300), stream.next()).await;
    assert!(quiet.is_err(), "nothing to hear yet");
}

async fn heard(stream: &mut (impl Stream<Item = Response> + Unpin)) -> Value {
    let r = stream.next().await.expect("a message");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    r.data.into_json().expect("JSON")["messageReceived"].clone()
}

/// Given subscribers of the organizer and of an applying supplier, when the notice is delivered
/// (L10928–10932), then the organizer's employee hears of it; the supplier's first message is the
/// cancellation that names them (L12143–12149), so the notice never reached them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subscriber_hears_only_of_the_new_messages_addressed_to_them() {
    let mut s = setup().await;
    let query = "subscription { messageReceived { kind recipientRole unread position } }";
    let mut organizer = s
        .schema
        .execute_stream(Request::new(query).data(Viewer::trusted(employee())));
    let mut applicant = s
        .schema
        .execute_stream(Request::new(query).data(Viewer::trusted(supplier(8))));
    listening(&mut organizer).await;
    listening(&mut applicant).await;
    let id = s.id;
    s.append(tender(id)).await;
    let p = s.append(vec![delivered()]).await;
    let told = heard(&mut organizer).await;
    assert_eq!(told["kind"], "notice_delivered");
    assert_eq!(told["unread"], true);
    assert_eq!(told["position"], p);

    let p = s.append(acknowledged_and_cancelled()).await;
    let told = heard(&mut applicant).await;
    assert_eq!(told["kind"], "cancelled_by_notices", "{told}");
    assert_eq!(told["recipientRole"], "applicant");
    assert_eq!(told["position"], p);
}
