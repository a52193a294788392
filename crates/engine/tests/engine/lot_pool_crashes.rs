//! The lot pool's processes survive a crash between any two of their steps
//! (docs/decisions/0503-durable-workflows.md, issue 14 item 4; decision 0201). For each process,
//! on real PostgreSQL: the command runs on an engine that stops after its k-th step as if killed
//! there (`Engine::halting`); the engine is dropped; a new engine's `LotPoolRunner` resumes on
//! the same database, with no client retry. Then no plan item is orphaned (every holder is an
//! announcement that holds its lot, and every lot an announcement holds is held by its plan
//! item), and nothing was done twice (no event type appears on a stream more than once more
//! than before the command). k runs from 1 until the command completes without a stop.

use crate::support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use support::world::*;
use support::*;
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C, TimedTransition};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::plan_item::PlanItem;
use zakup_domain::protocol::ProtocolKind;
use zakup_engine::Engine;
use zakup_engine::{EngineError, Halt, LotPoolRunner, Outcome, ProcessStep};
use zakup_store::{Filter, SharedStore, StreamId, StreamRange};

/// Runs `act` on a fresh database for each crash point k = 1, 2, … and checks the restart; the
/// number of steps the command took without a crash.
async fn at_every_step(
    setup: impl AsyncFn(&SharedStore) -> Scenario,
    act: impl AsyncFn(&Engine, &Scenario) -> Result<Outcome, EngineError>,
) -> usize {
    for k in 1.. {
        let store = postgres().await;
        let scenario = setup(&store).await;
        let before = event_counts(&store, &scenario).await;
        let steps = Arc::new(AtomicUsize::new(0));
        let counted = steps.clone();
        let halt: Halt = Arc::new(move |_| counted.fetch_add(1, Ordering::SeqCst) + 1 == k);
        let crashing = engine_on(&store, &scenario.clock).halting(halt);
        let result = act(&crashing, &scenario).await;
        drop(crashing);
        let halted = steps.load(Ordering::SeqCst) >= k;
        assert_eq!(result.is_err(), halted, "k = {k}: {result:?}");

        readable(&store).await;
        let restarted = engine_on(&store, &scenario.clock);
        let runner = LotPoolRunner::new(restarted.clone(), system()).with_grace(Duration::ZERO);
        for settled in runner.resume().await.unwrap() {
            assert!(settled.result.is_ok(), "k = {k}: {settled:?}");
        }
        assert!(
            runner.resume().await.unwrap().is_empty(),
            "k = {k}: every process ended"
        );
        no_orphan(&restarted, &scenario, k).await;
        every_process_ended(&store, k).await;
        let after = event_counts(&store, &scenario).await;
        for (key, n) in &after {
            let was = before.get(key).copied().unwrap_or(0);
            assert!(n - was <= 1, "k = {k}: {key:?} appended {} times", n - was);
        }
        if !halted {
            return k - 1;
        }
    }
    unreachable!()
}

/// Every process recorded says how it ended, as `zakup replay lot_pool-<id>` shows it.
async fn every_process_ended(store: &SharedStore, k: usize) {
    readable(store).await;
    let filter = Filter::categories(["lot_pool"]);
    let log = store.read_all(None, &filter, 10_000).await.unwrap();
    let streams: std::collections::BTreeSet<StreamId> =
        log.into_iter().map(|e| e.stream_id).collect();
    assert!(!streams.is_empty());
    for stream in streams {
        let events = store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap();
        let view = zakup_engine::replay::state_view(&stream, &events)
            .unwrap()
            .unwrap();
        assert!(
            matches!(view["ending"].as_str(), Some("followed_up" | "compensated")),
            "k = {k}: {stream}: {view}"
        );
    }
}

/// The announcements of a scenario: its own and the index copy it may have made.
async fn announcements(engine: &Engine, scenario: &Scenario) -> Vec<(Uuid, Announcement)> {
    let mut ids = vec![scenario.announcement];
    let mut folded = Vec::new();
    while let Some(id) = ids.pop() {
        let state = engine
            .load::<Announcement>(&id.to_string(), StreamRange::all())
            .await
            .unwrap()
            .state;
        ids.extend(state.copy_announcement_id);
        folded.push((id, state));
    }
    folded
}

async fn no_orphan(engine: &Engine, scenario: &Scenario, k: usize) {
    let folded = announcements(engine, scenario).await;
    for item in &scenario.items {
        let holder = engine
            .load::<PlanItem>(&item.0, StreamRange::all())
            .await
            .unwrap()
            .state
            .holder
            .map(|h| h.announcement_id);
        for (id, state) in &folded {
            let holds = state.holds_plan_item(item);
            assert_eq!(
                holder == Some(*id),
                holds,
                "k = {k}: {item} held by {holder:?}; announcement {id} holds it: {holds}"
            );
        }
    }
}

/// How many events of each type each stream of the scenario has.
async fn event_counts(
    store: &SharedStore,
    scenario: &Scenario,
) -> BTreeMap<(String, String), usize> {
    let engine = engine_on(store, &scenario.clock);
    let mut streams: Vec<StreamId> = announcements(&engine, scenario)
        .await
        .iter()
        .map(|(id, _)| Engine::stream::<Announcement>(&id.to_string()).unwrap())
        .collect();
    streams.extend(
        scenario
            .items
            .iter()
            .map(|i| Engine::stream::<PlanItem>(&i.0).unwrap()),
    );
    let mut counts = BTreeMap::new();
    for stream in streams {
        for e in store
            .read_stream(&stream, StreamRange::all())
            .await
            .unwrap()
        {
            *counts
                .entry((stream.to_string(), e.event_type))
                .or_default() += 1;
        }
    }
    counts
}

/// addLots: record → reserve each → append → follow up → finish; compensated when the append
/// never happened (L138–142).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adding_lots_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| drafted(store, 2, 0).await,
        async |engine, s| {
            let add = C::AddLots {
                lots: vec![lot_source(1), lot_source(2)],
            };
            engine
                .announcement(s.announcement, &meta(&organizer()), add)
                .await
        },
    )
    .await;
    assert_eq!(steps, 5, "started, reserved twice, appended, finished");
}

/// removeLots: record → append → release → finish (L138–142).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn removing_lots_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| drafted(store, 2, 2).await,
        async |engine, s| {
            let remove = C::RemoveLots {
                plan_item_ids: vec![plan_item(1), plan_item(2)],
            };
            engine
                .announcement(s.announcement, &meta(&organizer()), remove)
                .await
        },
    )
    .await;
    assert_eq!(steps, 5, "started, appended, released twice, finished");
}

/// deleteDraft: its plan items go back to the pool even if the engine dies right after the
/// deletion — the permanent orphan of issue 14.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deleting_a_draft_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| drafted(store, 2, 2).await,
        async |engine, s| {
            engine
                .announcement(s.announcement, &meta(&organizer()), C::DeleteDraft)
                .await
        },
    )
    .await;
    assert_eq!(steps, 5, "started, appended, released twice, finished");
}

/// cancelLots by a grounding act (L596, L3339): the cancelled lot goes back to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_lot_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| {
            let mut w = World::new();
            w.published_ok(2);
            stored(store, &w, 2).await
        },
        async |engine, s| {
            let cancel = C::CancelLots {
                plan_item_ids: vec![plan_item(1)],
                act: act(Body::Court, ActType::Decision),
            };
            engine
                .announcement(s.announcement, &meta(&secretary()), cancel)
                .await
        },
    )
    .await;
    assert_eq!(steps, 4, "started, appended, released, finished");
}

/// refuseProcurement by the customer (L1928–1940): the refused lot goes back to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusing_a_procurement_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| {
            let mut w = World::new();
            w.accepting_ok(1);
            stored(store, &w, 1).await
        },
        async |engine, s| {
            let refuse = C::RefuseProcurement {
                plan_item_ids: vec![plan_item(1)],
                reason: "Нет потребности".into(),
                document: file("отказ"),
            };
            engine
                .announcement(s.announcement, &meta(&customer()), refuse)
                .await
        },
    )
    .await;
    assert_eq!(steps, 4, "started, appended, released, finished");
}

/// The end of acceptance with no application completes the procurement as failed (L3167): the
/// plan item is marked failed and goes back to the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_a_procurement_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| {
            let mut w = World::new();
            w.accepting_ok(1);
            let scenario = stored(store, &w, 1).await;
            let end = w
                .state()
                .deadlines()
                .into_iter()
                .find(|d| d.transition == TimedTransition::EndAcceptance)
                .unwrap();
            scenario.clock.set(end.at);
            scenario
        },
        async |engine, s| {
            engine
                .announcement(s.announcement, &meta(&system()), C::EndAcceptance)
                .await
        },
    )
    .await;
    assert_eq!(steps, 4, "started, appended, marked failed, finished");
}

/// The index-2 copy (L1746–1760): the discussion protocol decides to change the documentation;
/// the copy is created and takes over the plan item. Two processes, one inside the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_index_copy_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| {
            let w = discussion_signed();
            stored(store, &w, 1).await
        },
        async |engine, s| {
            let publish = C::PublishProtocol {
                kind: ProtocolKind::Discussion,
            };
            engine
                .announcement(s.announcement, &meta(&secretary()), publish)
                .await
        },
    )
    .await;
    assert_eq!(
        steps, 8,
        "started, appended, [copy: started, appended, transferred, finished], copied, finished"
    );
}

/// Another server on the same store may be running a process it has just started: the runner
/// leaves it for the grace period, and sweeps no orphan while it is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_younger_than_the_grace_period_is_left_to_its_server() {
    let store = postgres().await;
    let s = drafted(&store, 1, 0).await;
    let halt: Halt = Arc::new(|step| step == ProcessStep::Reserved);
    let crashing = engine_on(&store, &s.clock).halting(halt);
    let add = C::AddLots {
        lots: vec![lot_source(1)],
    };
    let halted = crashing
        .announcement(s.announcement, &meta(&organizer()), add)
        .await;
    assert!(halted.is_err());
    drop(crashing);
    readable(&store).await;

    let engine = engine_on(&store, &s.clock);
    let holder = async || {
        engine
            .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
            .await
            .unwrap()
            .state
            .holder
            .map(|h| h.announcement_id)
    };
    let patient = LotPoolRunner::new(engine.clone(), system());
    assert!(patient.resume().await.unwrap().is_empty());
    assert!(patient.release_orphans().await.unwrap().is_empty());
    assert_eq!(holder().await, Some(s.announcement), "still reserved");
    let at_once = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    assert_eq!(at_once.resume().await.unwrap().len(), 1);
    assert_eq!(holder().await, None, "compensated");
}

/// Publishing the results protocol completes the procurement with its lots held (L434–448):
/// each plan item is marked held and stays bound to the announcement for the contract.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completing_a_held_procurement_survives_a_crash_between_any_two_steps() {
    let steps = at_every_step(
        async |store| {
            let mut w = World::new();
            w.reviewing_ok(2, &[(1, &[1, 2])]);
            w.admit_everyone(&[chairman(), member_a()]);
            w.run(&secretary(), C::CompleteVoting);
            w.run(&secretary(), C::FormResultsProtocol);
            for signer in [secretary(), chairman(), member_a()] {
                w.sign(&signer, ProtocolKind::Results).unwrap();
            }
            stored(store, &w, 2).await
        },
        async |engine, s| {
            let publish = C::PublishProtocol {
                kind: ProtocolKind::Results,
            };
            engine
                .announcement(s.announcement, &meta(&secretary()), publish)
                .await
        },
    )
    .await;
    assert_eq!(steps, 5, "started, appended, marked held twice, finished");
}

/// A results revision (spec 000-D §4.1, L10494–10510) that fails the lot the first results held:
/// its publication moves the plan item from held to failed (docs/decisions/0603) in the same
/// durable process, after a crash too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_results_revision_failing_a_held_lot_survives_a_crash_between_any_two_steps() {
    use zakup_domain::actor::{Actor, Role};
    use zakup_domain::camera_control::{CameraControlCommand as CC, Direction, NoticeId, Remedy};
    use zakup_domain::plan_item::PlanItemCommand;
    let steps = at_every_step(
        async |store| {
            let mut w = World::new();
            w.reviewing_ok(1, &[(1, &[1])]);
            let members = [chairman(), member_a(), member_b()];
            w.admit_everyone(&members);
            w.run(&secretary(), C::CompleteVoting);
            w.run(&secretary(), C::FormResultsProtocol);
            w.sign_and_publish(ProtocolKind::Results);
            let notice_id = NoticeId(Uuid::from_u128(0xdead));
            let inspector = Actor {
                user_id: "inspector".to_owned(),
                iin: iin(90),
                org: bin(90),
                roles: vec![Role::Inspector],
            };
            let deliver = CC::DeliverNotice {
                notice_id,
                plan_item_id: plan_item(1),
                direction: Direction::Fourth,
                remedy: Remedy::ReviseResults,
                text: "Нарушение".to_owned(),
                file: None,
            };
            w.run(&inspector, C::CameraControl(deliver));
            let acknowledge = CC::AcknowledgeNotice { notice_id };
            w.run(&organizer(), C::CameraControl(acknowledge));
            let revise = CC::StartResultsRevision {
                plan_item_ids: vec![plan_item(1)],
            };
            w.run(&secretary(), C::CameraControl(revise));
            for member in &members {
                let withdraw = C::WithdrawVote {
                    application_id: application_id(1),
                };
                w.run(member, withdraw);
                w.vote(member, 1, veto_common(&[plan_item(1)]));
            }
            w.run(&secretary(), C::CompleteVoting);
            w.run(&secretary(), C::FormResultsProtocol);
            for signer in [secretary(), chairman(), member_a()] {
                w.sign(&signer, ProtocolKind::Results).unwrap();
            }
            let scenario = stored(store, &w, 1).await;
            let held = PlanItemCommand::MarkProcurementHeld {
                announcement_id: w.id,
            };
            engine_on(store, &scenario.clock)
                .plan_item(&plan_item(1), &meta(&organizer()), held)
                .await
                .unwrap();
            scenario
        },
        async |engine, s| {
            let publish = C::PublishProtocol {
                kind: ProtocolKind::Results,
            };
            engine
                .announcement(s.announcement, &meta(&secretary()), publish)
                .await
        },
    )
    .await;
    assert_eq!(steps, 4, "started, appended, revised to failed, finished");
}

/// While the server runs: a process whose step failed (the connection lost right after the
/// append) is ended by the server's own runner, with no client retry.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_server_ends_a_process_whose_step_failed() {
    let store = postgres().await;
    let s = drafted(&store, 1, 1).await;
    let failures = Arc::new(AtomicUsize::new(0));
    let counted = failures.clone();
    let halt: Halt = Arc::new(move |step| {
        step == ProcessStep::Appended && counted.fetch_add(1, Ordering::SeqCst) == 0
    });
    let engine = engine_on(&store, &s.clock).halting(halt);
    let runner = LotPoolRunner::new(engine.clone(), system()).with_grace(Duration::ZERO);
    let running = tokio::spawn(Arc::new(runner).run(Duration::from_millis(50)));
    let remove = C::RemoveLots {
        plan_item_ids: vec![plan_item(1)],
    };
    let failed = engine
        .announcement(s.announcement, &meta(&organizer()), remove)
        .await;
    assert!(failed.is_err(), "{failed:?}");
    let mut holder = Some(s.announcement);
    for _ in 0..400 {
        holder = engine
            .load::<PlanItem>(&plan_item(1).0, StreamRange::all())
            .await
            .unwrap()
            .state
            .holder
            .map(|h| h.announcement_id);
        if holder.is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    running.abort();
    assert_eq!(holder, None, "released by the runner");
}
