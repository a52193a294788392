//! The announcement and customer-request read models on real PostgreSQL, fed by a real
//! procedure run through the engine: what they say, and that they say the same whether the
//! events come one at a time (folds continued from memory, or read back from the event store
//! after a restart) or in large batches from a rebuild (of each, or of all in one pass).

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sqlx::PgPool;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::application::{ApplicationId, LotOffer};
use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::kernel::act::{ActType, Body, GroundingAct};
use zakup_domain::lot::{LotSource, LotTerms, TechnicalSpecification};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItemCommand, PlanItemId};
use zakup_engine::{CommandMeta, Engine, ManualClock, system_actor};
use zakup_projections::{Projection, advance, ensure_live, rebuild, rebuild_together};
use zakup_store::{Filter, SharedStore};

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

fn actor(n: u32, org: Bin, role: Role) -> Actor {
    Actor {
        user_id: format!("user-{n}"),
        iin: iin(n),
        org,
        roles: vec![role],
    }
}

struct World {
    engine: Engine,
    clock: ManualClock,
}

impl World {
    async fn run(&self, who: &Actor, id: Uuid, command: C) {
        let meta = CommandMeta {
            command_id: Uuid::new_v4(),
            correlation_id: None,
            causation_id: None,
            actor: who.clone(),
            unread_notices: Default::default(),
        };
        self.engine
            .announcement(id, &meta, command)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
    }

    fn now(&self) -> DateTime<Utc> {
        zakup_engine::Clock::now(&self.clock)
    }
}

/// How the procedure of [`procedure`] ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    /// The automatic results at the end of acceptance.
    Results,
    /// «Отменить закупку» on its only lot during acceptance, by a court's act.
    Cancelled,
}

/// A request for price quotations, from the customer's requests to its end with two
/// applications; and a second plan item returned to the customer.
async fn procedure(store: SharedStore, end: End) -> Uuid {
    let clock = ManualClock::at("2026-02-02T04:00:00Z".parse().unwrap());
    let calendar = Arc::new(Calendar::embedded().unwrap());
    let w = World {
        engine: Engine::new(store, Arc::new(clock.clone()), calendar),
        clock,
    };
    let organizer = actor(1, bin(1), Role::Organizer);
    let customer = actor(2, bin(2), Role::Customer);
    let suppliers = [
        actor(3, bin(3), Role::Supplier),
        actor(4, bin(4), Role::Supplier),
    ];
    let system = system_actor(bin(9), iin(9));
    let meta = |who: &Actor| CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor: who.clone(),
        unread_notices: Default::default(),
    };
    for (n, amount) in [(1, 900_000), (2, 500_000)] {
        let id = PlanItemId::parse(&format!("PI-{n}")).unwrap();
        let request = PlanItemCommand::RequestProcurement {
            plan_item_id: id.clone(),
            organizer_bin: organizer.org,
            subject_type: SubjectType::Goods,
            name_ru: format!("Бумага {n}"),
            amount: Money::from_tenge(amount),
        };
        w.engine
            .plan_item(&id, &meta(&customer), request)
            .await
            .unwrap();
    }
    let returned = PlanItemCommand::ReturnToCustomer {
        reason: "Нет спецификации".into(),
    };
    let pi2 = PlanItemId::parse("PI-2").unwrap();
    w.engine
        .plan_item(&pi2, &meta(&organizer), returned)
        .await
        .unwrap();

    let id = Uuid::new_v4();
    let header = Header {
        method: Method::PriceQuotations,
        procurement_type: ProcurementType::First,
        subject_type: SubjectType::Goods,
        name_kk: "Қағаз сатып алу".into(),
        name_ru: "Закуп бумаги".into(),
        among_disabled_organizations: false,
        single_organizer: false,
    };
    w.run(
        &organizer,
        id,
        C::CreateDraft {
            announcement_id: id,
            number: "16776705-1".into(),
            header,
        },
    )
    .await;
    let pi1 = PlanItemId::parse("PI-1").unwrap();
    let lot = LotSource {
        plan_item_id: pi1.clone(),
        lot_number: "87491617-ЗЦП1".into(),
        customer_bin: customer.org,
        name_ru: "Бумага А4".into(),
        name_kk: "А4 қағазы".into(),
        amount: Money::from_tenge(900_000),
        ktru: None,
    };
    w.run(&organizer, id, C::AddLots { lots: vec![lot] }).await;
    w.run(
        &organizer,
        id,
        C::SetLotTerms {
            plan_item_id: pi1.clone(),
            terms: LotTerms::Goods {
                delivery_conditions: "DDP".into(),
            },
        },
    )
    .await;
    let file = |n: &str| zakup_domain::kernel::file::FileRef {
        file_id: n.into(),
        name: format!("{n}.pdf"),
    };
    let spec = TechnicalSpecification::Template {
        description_kk: "Сипаттама".into(),
        description_ru: "Описание".into(),
        characteristics_kk: "Сипаттамалар".into(),
        characteristics_ru: "Характеристики".into(),
        signed_document: file("spec"),
    };
    w.run(
        &organizer,
        id,
        C::AttachTechnicalSpecification {
            plan_item_id: pi1.clone(),
            specification: spec,
        },
    )
    .await;
    let contract = zakup_domain::announcement::documents::ContractDraft {
        template: "typical-goods".into(),
        added_clauses: vec![],
        signed_document: file("contract"),
    };
    w.run(
        &organizer,
        id,
        C::ApproveContractDraft {
            contract_draft: contract,
        },
    )
    .await;
    let start = w.now() + Duration::days(1);
    w.run(
        &organizer,
        id,
        C::SetAcceptanceDates {
            start,
            end: start + Duration::days(7),
        },
    )
    .await;
    w.run(&organizer, id, C::Publish).await;
    w.clock.set(start);
    w.run(&system, id, C::StartAcceptance).await;
    for (supplier, price) in suppliers.iter().zip([850_000, 820_000]) {
        let offers = vec![LotOffer {
            plan_item_id: pi1.clone(),
            price: Money::from_tenge(price),
        }];
        w.run(
            supplier,
            id,
            C::SubmitApplication {
                application_id: ApplicationId(Uuid::new_v4()),
                offers,
            },
        )
        .await;
    }
    if end == End::Cancelled {
        let act = GroundingAct {
            body: Body::Court,
            body_name: "Суд города Астаны".into(),
            act_type: ActType::Decision,
            number: "2-1234/26".into(),
            date: "2026-02-02".parse().unwrap(),
            file: file("act"),
        };
        let cancel = C::CancelLots {
            plan_item_ids: vec![pi1],
            act,
        };
        w.run(&organizer, id, cancel).await;
        return id;
    }
    w.clock.set(start + Duration::days(7));
    w.run(&system, id, C::EndAcceptance).await;
    id
}

/// What the engine wrote before decision 0605 when a discussion protocol was deleted and formed
/// again: the same number twice. Appended to the announcement's stream as stored facts, as an old
/// stream holds them (the fold never validates a fact).
async fn old_re_formed_protocol(store: &SharedStore, id: Uuid, at: DateTime<Utc>) {
    use zakup_domain::announcement::AnnouncementEvent as E;
    use zakup_domain::protocol::{ProtocolContent, ProtocolDeleted, ProtocolFormed, ProtocolKind};
    let formed = |text: &str, formed_at: DateTime<Utc>| {
        let content = ProtocolContent {
            announcement_id: id,
            announcement_number: text.to_owned(),
            kind: ProtocolKind::Discussion,
            version: 1,
            formed_at,
            lots: vec![],
            discussion: vec![],
            bidding: None,
            entered_results: None,
        };
        E::ProtocolFormed(ProtocolFormed {
            automatic: false,
            content_sha256: content.sha256_hex(),
            content,
        })
    };
    let events = [
        formed("before the deletion", at),
        E::ProtocolDeleted(ProtocolDeleted {
            kind: ProtocolKind::Discussion,
            version: 1,
            deleted_at: at + Duration::minutes(1),
        }),
        formed("formed again", at + Duration::minutes(2)),
    ];
    let stream = zakup_store::StreamId::new("announcement", id).unwrap();
    let last = store
        .read_stream(&stream, zakup_store::StreamRange::all())
        .await
        .unwrap()
        .len() as u64
        - 1;
    for (n, event) in events.iter().enumerate() {
        let expected = zakup_store::ExpectedVersion::Exact(last + n as u64);
        let (event_type, schema_version, payload) = event.to_stored();
        let command_id = Uuid::new_v4();
        let metadata = zakup_store::Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: zakup_store::Actor {
                user_id: "user-1".into(),
                iin: iin(1).to_string(),
                org_bin: bin(1).to_string(),
                role: "organizer".into(),
            },
            occurred_at: at + Duration::minutes(n as i64),
            sandbox: false,
        };
        let new = zakup_store::NewEvent {
            event_id: zakup_store::NewEvent::id_for(command_id, &stream, 0),
            event_type: event_type.to_owned(),
            schema_version,
            payload,
            metadata,
        };
        store.append(&stream, expected, vec![new]).await.unwrap();
    }
}

/// Every row of every read model, as text, in a fixed order.
async fn dump(pool: &PgPool) -> Vec<String> {
    let mut out = Vec::new();
    for p in zakup_projections::all() {
        for table in p.tables() {
            let rows: Vec<String> = sqlx::query_scalar(&format!(
                "SELECT t::text FROM rm.{table} t ORDER BY t::text"
            ))
            .fetch_all(pool)
            .await
            .unwrap();
            out.push(format!("{table}: {}", rows.join("\n")));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_models_say_what_the_domain_says_one_event_at_a_time_or_rebuilt() {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = db.pool().await.unwrap();
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .unwrap();
    zakup_projections::migrate(&pool).await.unwrap();
    let id = procedure(store.clone(), End::Results).await;
    old_re_formed_protocol(&store, id, "2026-03-03T04:00:00Z".parse().unwrap()).await;
    // Every committed event, whether or not the log's horizon has passed it yet.
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM es_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    let total = total as u64;
    zakup_store::contract::settled(&store, &Filter::all(), total).await;

    // One event per batch: every fold continues from memory, except after the restart half-way
    // (fresh projectors, as after a crash): those fold their streams back from the event store.
    let (before, after) = (zakup_projections::all(), zakup_projections::all());
    for (p, restarted) in before.iter().zip(&after) {
        let g = ensure_live(&pool, p.as_ref()).await.unwrap();
        for _ in 0..total / 2 {
            advance(&pool, store.as_ref(), p.as_ref(), &g, 1)
                .await
                .unwrap();
        }
        while !advance(&pool, store.as_ref(), restarted.as_ref(), &g, 1)
            .await
            .unwrap()
            .is_empty()
        {}
    }
    let status: String =
        sqlx::query_scalar("SELECT status FROM rm.announcements WHERE announcement_id = $1")
            .bind(id)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(status, "completed");
    let (outcome, protocol): (String, String) = sqlx::query_as(
        "SELECT l.outcome, p.validity FROM rm.lots l JOIN rm.protocols p USING (announcement_id)
          WHERE l.announcement_id = $1 AND p.kind = 'results'",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((outcome.as_str(), protocol.as_str()), ("held", "valid"));
    // Decision 0605: the deleted version stays beside the one that re-used its number.
    let versions: Vec<(i32, i32, String, bool)> = sqlx::query_as(
        "SELECT formation, version, validity, deleted_at IS NOT NULL FROM rm.protocols
          WHERE announcement_id = $1 AND kind = 'discussion' ORDER BY formation",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        versions,
        vec![
            (2, 1, "invalid".into(), true),
            (3, 1, "valid".into(), false)
        ]
    );
    let opened: Vec<bool> =
        sqlx::query_scalar("SELECT opened FROM rm.applications WHERE announcement_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(opened, vec![true, true]);
    let requests: Vec<(String, String, Option<String>)> = sqlx::query_as(
        "SELECT plan_item_id, state, return_reason FROM rm.customer_requests ORDER BY plan_item_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(
        requests,
        vec![
            ("PI-1".into(), "procurement_held".into(), None),
            (
                "PI-2".into(),
                "returned".into(),
                Some("Нет спецификации".into())
            ),
        ]
    );
    // The OCDS read model (issue 23) is among them: a release per public change, from the
    // publication (`tender`) to the results (`award`), so its rows below are compared too.
    let tags: Vec<serde_json::Value> = sqlx::query_scalar(
        "SELECT release->'tag' FROM rm.ocds_releases WHERE announcement_id = $1
          ORDER BY position_major, position_minor",
    )
    .bind(id)
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(tags.first(), Some(&serde_json::json!(["tender"])));
    assert!(
        tags.iter().any(|t| t
            .as_array()
            .is_some_and(|t| t.contains(&serde_json::json!("award")))),
        "{tags:?}"
    );
    let one_at_a_time = dump(&pool).await;

    // A rebuild of each: fresh projectors, every stream folded from its first event in a batch.
    for p in zakup_projections::all() {
        rebuild(&pool, store.as_ref(), p.as_ref(), |_, _| {})
            .await
            .unwrap();
    }
    assert_eq!(dump(&pool).await, one_at_a_time);

    // A rebuild of all of them from one pass over the log: the same rows again.
    let all = zakup_projections::all();
    let each: Vec<&dyn Projection> = all.iter().map(|p| p.as_ref()).collect();
    rebuild_together(&pool, store.as_ref(), &each, |_, _| {})
        .await
        .unwrap();
    assert_eq!(dump(&pool).await, one_at_a_time);
}

/// Issue 27 item 8, decision 0608: every lot cancelled, the read models show the announcement, its
/// lot, both applications and the customer's request «Отменено» (spec 000-D §2.3–2.4, S15,
/// L12131–12135), the same one event at a time as rebuilt.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_procedure_shows_its_applications_and_requests_cancelled() {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = db.pool().await.unwrap();
    let store: SharedStore = zakup_store_pg::PgStore::connect(pool.clone())
        .await
        .unwrap();
    zakup_projections::migrate(&pool).await.unwrap();
    let id = procedure(store.clone(), End::Cancelled).await;
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM es_events")
        .fetch_one(&pool)
        .await
        .unwrap();
    zakup_store::contract::settled(&store, &Filter::all(), total as u64).await;
    for p in zakup_projections::all() {
        let g = ensure_live(&pool, p.as_ref()).await.unwrap();
        while !advance(&pool, store.as_ref(), p.as_ref(), &g, 1)
            .await
            .unwrap()
            .is_empty()
        {}
    }
    let (status, lot): (String, Option<String>) = sqlx::query_as(
        "SELECT a.status, l.status FROM rm.announcements a JOIN rm.lots l USING (announcement_id)
          WHERE announcement_id = $1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(
        (status.as_str(), lot.as_deref()),
        ("cancelled", Some("cancelled"))
    );
    let applications: Vec<Option<String>> =
        sqlx::query_scalar("SELECT status FROM rm.applications WHERE announcement_id = $1")
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
    assert_eq!(applications, vec![Some("cancelled".to_owned()); 2]);
    let requests: Vec<(String, String, Option<Uuid>)> = sqlx::query_as(
        "SELECT plan_item_id, state, announcement_id FROM rm.customer_requests
          ORDER BY plan_item_id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    // Back in the pool: no announcement holds it.
    assert_eq!(requests[0], ("PI-1".into(), "cancelled".into(), None));
    let one_at_a_time = dump(&pool).await;
    for p in zakup_projections::all() {
        rebuild(&pool, store.as_ref(), p.as_ref(), |_, _| {})
            .await
            .unwrap();
    }
    assert_eq!(dump(&pool).await, one_at_a_time);
}
