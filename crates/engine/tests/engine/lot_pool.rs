//! The lot pool process (docs/decisions/0201-lot-pool-reservation.md; spec 000-A §9.2, L138–142,
//! L596, L3339): no plan item is ever in two active announcements, under concurrency, with no
//! multi-stream transaction. In-memory store: this tests the engine's process, not a backend.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C};
use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::lot::LotSource;
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand as P, PlanItemId};
use zakup_engine::{CommandMeta, Engine, EngineError, ManualClock};
use zakup_store::{MemoryStore, StreamRange};

fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .unwrap()
}
fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .unwrap()
}
fn organizer() -> Actor {
    Actor {
        user_id: "organizer".into(),
        iin: iin(1),
        org: bin(1),
        roles: vec![Role::Organizer],
    }
}
fn customer() -> Actor {
    Actor {
        user_id: "customer".into(),
        iin: iin(10),
        org: bin(2),
        roles: vec![Role::Customer],
    }
}
fn meta(actor: Actor) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    }
}

fn engine_on(store: zakup_store::SharedStore) -> Engine {
    let clock = ManualClock::at(Utc.with_ymd_and_hms(2026, 2, 2, 4, 0, 0).unwrap());
    Engine::new(
        store,
        Arc::new(clock),
        Arc::new(Calendar::embedded().unwrap()),
    )
}

fn engine() -> Engine {
    engine_on(Arc::new(MemoryStore::new()))
}

async fn engine_on_postgres() -> Engine {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(8)
        .connect(&db.url)
        .await
        .unwrap();
    engine_on(zakup_store_pg::PgStore::connect(pool).await.unwrap())
}

fn item(n: u32) -> PlanItemId {
    PlanItemId::parse(&format!("PI-{n}")).unwrap()
}

fn lot(n: u32) -> LotSource {
    LotSource {
        plan_item_id: item(n),
        lot_number: format!("L-{n}"),
        customer_bin: bin(2),
        name_ru: format!("Лот {n}"),
        name_kk: format!("Лот {n}"),
        amount: Money::from_tenge(1_000_000),
        ktru: None,
    }
}

async fn requested(engine: &Engine, n: u32) {
    let request = P::RequestProcurement {
        plan_item_id: item(n),
        organizer_bin: bin(1),
        subject_type: SubjectType::Goods,
        name_ru: "Бумага офисная".into(),
        amount: Money::from_tenge(1_000_000),
    };
    engine
        .plan_item(&item(n), &meta(customer()), request)
        .await
        .unwrap();
}

async fn draft(engine: &Engine) -> Uuid {
    let id = Uuid::new_v4();
    let header = Header {
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        subject_type: SubjectType::Goods,
        name_kk: "Тауарларды сатып алу".into(),
        name_ru: "Закупка товаров".into(),
        among_disabled_organizations: false,
        single_organizer: false,
    };
    let create = C::CreateDraft {
        announcement_id: id,
        number: format!("{}-1", id.as_u128() % 100_000_000),
        header,
    };
    engine
        .announcement(id, &meta(organizer()), create)
        .await
        .unwrap();
    id
}

async fn holder(engine: &Engine, n: u32) -> Option<Uuid> {
    let loaded = engine
        .load::<PlanItem>(&item(n).0, StreamRange::all())
        .await
        .unwrap();
    loaded.state.holder.map(|h| h.announcement_id)
}

/// Spec 000-A §9.2: a lot taken into one announcement is not available to another.
#[tokio::test]
async fn a_plan_item_in_one_announcement_is_refused_to_another() {
    let engine = engine();
    requested(&engine, 1).await;
    let (a, b) = (draft(&engine).await, draft(&engine).await);
    engine
        .announcement(a, &meta(organizer()), C::AddLots { lots: vec![lot(1)] })
        .await
        .unwrap();
    let refused = engine
        .announcement(b, &meta(organizer()), C::AddLots { lots: vec![lot(1)] })
        .await;
    match refused {
        Err(EngineError::Refused(e)) => assert_eq!(e.code, "plan_item_reserved"),
        other => panic!("expected plan_item_reserved, got {other:?}"),
    }
    assert_eq!(holder(&engine, 1).await, Some(a));
    let b_state = engine
        .load::<Announcement>(&b.to_string(), StreamRange::all())
        .await
        .unwrap()
        .state;
    assert!(
        b_state.lots.is_empty(),
        "the refused announcement records no lot"
    );
}

/// The invariant under concurrency: many announcements race for the same plan items; each item
/// ends up in exactly one announcement, and every announcement lot is held by its plan item.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_announcements_never_share_a_plan_item() {
    racing_announcements(engine()).await;
}

/// The same race on PostgreSQL, where the writers really interleave.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_announcements_never_share_a_plan_item_on_postgres() {
    racing_announcements(engine_on_postgres().await).await;
}

async fn racing_announcements(engine: Engine) {
    for n in 1..=3 {
        requested(&engine, n).await;
    }
    let mut drafts = Vec::new();
    for _ in 0..6 {
        drafts.push(draft(&engine).await);
    }
    let tasks: Vec<_> = drafts
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let engine = engine.clone();
            // Overlapping pairs of items, so partial reservations must be compensated.
            let lots = vec![lot(1 + (i as u32 % 3)), lot(1 + ((i as u32 + 1) % 3))];
            tokio::spawn(async move {
                engine
                    .announcement(id, &meta(organizer()), C::AddLots { lots })
                    .await
            })
        })
        .collect();
    for t in tasks {
        let _ = t.await.unwrap();
    }
    let mut owners = std::collections::HashMap::new();
    for &id in &drafts {
        let state = engine
            .load::<Announcement>(&id.to_string(), StreamRange::all())
            .await
            .unwrap()
            .state;
        for item_id in state.lots.keys() {
            assert!(
                owners.insert(item_id.clone(), id).is_none(),
                "{item_id} in two announcements"
            );
        }
    }
    for n in 1..=3 {
        assert_eq!(
            holder(&engine, n).await,
            owners.get(&item(n)).copied(),
            "PI-{n}: holder and lots agree"
        );
    }
}

/// Removing a lot from a draft returns it to the pool (L138–142), and another announcement may
/// take it.
#[tokio::test]
async fn a_removed_lot_goes_back_to_the_pool() {
    let engine = engine();
    requested(&engine, 1).await;
    let (a, b) = (draft(&engine).await, draft(&engine).await);
    engine
        .announcement(a, &meta(organizer()), C::AddLots { lots: vec![lot(1)] })
        .await
        .unwrap();
    engine
        .announcement(
            a,
            &meta(organizer()),
            C::RemoveLots {
                plan_item_ids: vec![item(1)],
            },
        )
        .await
        .unwrap();
    assert_eq!(holder(&engine, 1).await, None);
    engine
        .announcement(b, &meta(organizer()), C::AddLots { lots: vec![lot(1)] })
        .await
        .unwrap();
    assert_eq!(holder(&engine, 1).await, Some(b));
}

/// A retried command (same command id) is answered from the record: nothing is decided or
/// reserved twice.
#[tokio::test]
async fn a_retried_command_returns_the_original_outcome() {
    let engine = engine();
    requested(&engine, 1).await;
    let a = draft(&engine).await;
    let m = meta(organizer());
    let first = engine
        .announcement(a, &m, C::AddLots { lots: vec![lot(1)] })
        .await
        .unwrap();
    let retry = engine
        .announcement(a, &m, C::AddLots { lots: vec![lot(1)] })
        .await
        .unwrap();
    assert!(retry.duplicate);
    // The retry answers the recorded append; the first answer also covered the follow-ups
    // (docs/decisions/0652), so it is at or past it.
    assert_eq!(retry.version, first.version);
    assert!(retry.position <= first.position);
    let events = engine
        .load::<Announcement>(&a.to_string(), StreamRange::all())
        .await
        .unwrap()
        .events;
    assert_eq!(
        events.len(),
        3,
        "drafted (with its legal regime, decision 0891), lots added: once"
    );
}

/// Refusals of the rules come back typed, with their code and both languages.
#[tokio::test]
async fn a_customer_cannot_draft_an_announcement() {
    let engine = engine();
    let id = Uuid::new_v4();
    let header = Header {
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        subject_type: SubjectType::Goods,
        name_kk: "Тауарлар".into(),
        name_ru: "Товары".into(),
        among_disabled_organizations: false,
        single_organizer: false,
    };
    let err = engine
        .announcement(
            id,
            &meta(customer()),
            C::CreateDraft {
                announcement_id: id,
                number: "1-1".into(),
                header,
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "forbidden_role");
    assert!(!err.message_ru().is_empty());
}

/// Each engine remembers the states it folded; another engine (another process) writing the same
/// streams must never make it decide on an old one. Engine `a` folds the announcement with the lot,
/// engine `b` removes the lot, then `a` adds it again: `a` reads what `b` wrote and appends after
/// it, and its own fold of the plan item follows `b`'s release.
#[tokio::test]
async fn an_engine_never_decides_on_a_fold_another_engine_made_old() {
    let store: zakup_store::SharedStore = Arc::new(MemoryStore::new());
    stale_folds(engine_on(store.clone()), engine_on(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_engine_never_decides_on_a_fold_another_engine_made_old_on_postgres() {
    let a = engine_on_postgres().await;
    let b = engine_on(a.store().clone());
    stale_folds(a, b).await;
}

async fn stale_folds(a: Engine, b: Engine) {
    requested(&a, 1).await;
    let id = draft(&a).await;
    let add = || C::AddLots { lots: vec![lot(1)] };
    a.announcement(id, &meta(organizer()), add()).await.unwrap();
    let remove = C::RemoveLots {
        plan_item_ids: vec![item(1)],
    };
    b.announcement(id, &meta(organizer()), remove)
        .await
        .unwrap();
    assert_eq!(holder(&b, 1).await, None);
    let again = a.announcement(id, &meta(organizer()), add()).await.unwrap();
    assert_eq!((again.version, again.appended), (Some(4), 1));
    assert_eq!(holder(&a, 1).await, Some(id));
    let folded = a
        .load::<Announcement>(&id.to_string(), StreamRange::all())
        .await
        .unwrap();
    assert_eq!(
        folded.events.len(),
        5,
        "drafted (and its regime pinned), added, removed, added"
    );
    assert!(folded.state.lots.contains_key(&item(1)));
}

/// Commands racing on ONE announcement for the same plan item (adding it, removing it, adding it
/// again, each losing races and compensating): whatever order wins, the item's holder and the
/// announcement's lots agree (decision 0503: an announcement's processes take turns).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn commands_racing_on_one_announcement_leave_holder_and_lots_agreeing_on_postgres() {
    let engine = engine_on_postgres().await;
    requested(&engine, 1).await;
    let id = draft(&engine).await;
    for round in 0..5 {
        let tasks: Vec<_> = (0..4)
            .map(|i| {
                let engine = engine.clone();
                let command = if (i + round) % 2 == 0 {
                    C::AddLots { lots: vec![lot(1)] }
                } else {
                    C::RemoveLots {
                        plan_item_ids: vec![item(1)],
                    }
                };
                tokio::spawn(
                    async move { engine.announcement(id, &meta(organizer()), command).await },
                )
            })
            .collect();
        for t in tasks {
            let _ = t.await.unwrap();
        }
        let state = engine
            .load::<Announcement>(&id.to_string(), StreamRange::all())
            .await
            .unwrap()
            .state;
        let expected = state.holds_plan_item(&item(1)).then_some(id);
        assert_eq!(holder(&engine, 1).await, expected, "round {round}");
    }
}
