//! Running the lot pool's processes (docs/decisions/0503-durable-workflows.md): the I/O around
//! the plain functions of `process`. A command runs its process inline, and the
//! [`LotPoolRunner`] finishes every process that nobody is running any more: at start-up the ones
//! a crash interrupted, while running the ones whose steps failed. Both end a process the same
//! way ([`Engine::settle`]): the store says whether the command was appended; if it was, its
//! follow-ups are done, if not, its reservations are undone. Every step is idempotent, so doing
//! one again after a crash changes nothing.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::lot::LotOutcome;
use zakup_domain::lot_pool::{
    CATEGORY, Ending, LogMark, LotPoolProcessEvent as ProcessEvent, LotPoolProcessFinished,
    LotPoolProcessStarted as Started, Process,
};
use zakup_domain::plan_item::{PlanItem, PlanItemCommand, PlanItemId, ReleaseReason};
use zakup_store::{
    Appended, ExpectedVersion, Filter, Metadata, NewEvent, Position, StoreError, StreamId,
    StreamRange,
};

use super::checkpoint::{self, decode_record};
use super::process::{Step, compensation, follow_ups};
use crate::{CommandMeta, Decider, Engine, EngineError, decode, store_actor};

/// A write of a process, after which a test may stop it as if the engine died there
/// (`Engine::halting`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProcessStep {
    /// The process's record is written; nothing else yet.
    Started,
    /// One plan item is reserved.
    Reserved,
    /// The announcement command's events are appended.
    Appended,
    /// One follow-up is done: a plan item released, transferred or marked, or the index copy.
    FollowedUp,
    /// The process's ending is recorded.
    Finished,
    /// An auction's bidding stream is opened (`auction::AuctionRunner`).
    BiddingOpened,
    /// An auction's round is ended on its bidding stream, not yet brought to the announcement.
    BiddingEnded,
    /// An automatic single source is created and published, not yet recorded on its failed
    /// ЗЦП (`single_source::SingleSourceRunner`).
    SingleSourceCreated,
    /// A guarantee's request started by the procurement's outcome is appended
    /// (`guarantee::GuaranteeRunner`).
    GuaranteeRequested,
}

/// Decides, after each [`ProcessStep`], whether the engine stops there as a crash would.
pub type Halt = Arc<dyn Fn(ProcessStep) -> bool + Send + Sync>;

/// The processes this engine is running now: the runner leaves them to their command.
#[derive(Default)]
pub(crate) struct Running {
    ids: Mutex<HashSet<Uuid>>,
    /// One turn per announcement: its processes run one after another in this engine, so a
    /// compensation never releases what a concurrent command of the same announcement has just
    /// reserved for a lot it is about to append.
    turns: Mutex<HashMap<Uuid, Weak<tokio::sync::Mutex<()>>>>,
}

/// Announcements whose turn is kept before the ended ones are forgotten.
const TURNS: usize = 1024;

/// A panic while holding one of these locks leaves the data usable: ids and weak pointers.
fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Running {
    fn turn(&self, announcement_id: Uuid) -> Arc<tokio::sync::Mutex<()>> {
        let mut turns = locked(&self.turns);
        if let Some(turn) = turns.get(&announcement_id).and_then(Weak::upgrade) {
            return turn;
        }
        if turns.len() >= TURNS {
            turns.retain(|_, turn| turn.strong_count() > 0);
        }
        let turn = Arc::default();
        turns.insert(announcement_id, Arc::downgrade(&turn));
        turn
    }
}

/// A process id this engine runs, until dropped.
struct Held {
    running: Arc<Running>,
    id: Uuid,
}

impl Drop for Held {
    fn drop(&mut self) {
        locked(&self.running.ids).remove(&self.id);
    }
}

/// A process this engine runs, in its announcement's turn, until the claim is dropped (ended,
/// failed or halted); then the runner may take it over.
pub(crate) struct Claim {
    id: Uuid,
    started: Started,
    _turn: tokio::sync::OwnedMutexGuard<()>,
    _held: Held,
}

impl Claim {
    /// A step's command: on behalf of the command's actor, in its correlation, caused by it, with
    /// a fresh id (decision 0201: the plan item's own idempotence makes repeats safe).
    fn step_meta(&self) -> CommandMeta {
        CommandMeta {
            command_id: Uuid::new_v4(),
            correlation_id: Some(self.started.correlation_id),
            causation_id: Some(self.started.command_id),
            actor: self.started.actor.clone(),
            unread_notices: Default::default(),
        }
    }
}

impl Engine {
    /// Claims process `id` for this engine, unless it runs here already, once its
    /// announcement's turn comes.
    async fn claim(&self, id: Uuid, started: Started) -> Option<Claim> {
        if !locked(&self.running.ids).insert(id) {
            return None;
        }
        let held = Held {
            running: self.running.clone(),
            id,
        };
        let turn = self.running.turn(started.announcement_id);
        Some(Claim {
            id,
            started,
            _turn: turn.lock_owned().await,
            _held: held,
        })
    }

    /// Records a new process for the command `meta` sends to announcement `announcement_id`,
    /// before any of its steps.
    pub(crate) async fn start_process(
        &self,
        announcement_id: Uuid,
        meta: &CommandMeta,
        reserving: Vec<PlanItemId>,
    ) -> Result<Claim, EngineError> {
        let started = Started {
            announcement_id,
            command_id: meta.command_id,
            correlation_id: meta.correlation_id.unwrap_or(meta.command_id),
            actor: meta.actor.clone(),
            reserving,
        };
        let id = Uuid::new_v4();
        let claim = self.claim(id, started).await.ok_or_else(|| {
            EngineError::Store(StoreError::InvalidEvent(format!("process {id} exists")))
        })?;
        let event = ProcessEvent::Started(claim.started.clone());
        self.record(&claim, ExpectedVersion::NoStream, event)
            .await?;
        self.reached(ProcessStep::Started)?;
        Ok(claim)
    }

    /// Reserves the plan items of `LotsAdded` before it is appended (decision 0201, step 2).
    pub(crate) async fn reserve(
        &self,
        claim: &Claim,
        reservations: Vec<(PlanItemId, PlanItemCommand)>,
    ) -> Result<(), EngineError> {
        for (item, reserve) in reservations {
            self.plan_item(&item, &claim.step_meta(), reserve).await?;
            self.reached(ProcessStep::Reserved)?;
        }
        Ok(())
    }

    /// Ends a claimed process by what the store says: if its command was appended, what follows
    /// its events; if not, the release of its reservations. Then records the ending.
    pub(crate) async fn settle(&self, claim: Claim) -> Result<(), EngineError> {
        let id = claim.started.announcement_id;
        let stream = Self::stream::<Announcement>(&id.to_string())?;
        let appended = self
            .store
            .command_outcome(&stream, claim.started.command_id)
            .await?;
        let now = self.current::<Announcement>(&stream).await?.state;
        let (steps, ending) = match appended {
            Some(done) => {
                let recorded = self.recorded_events(&stream, &done).await?;
                (follow_ups(id, &now, &recorded), Ending::FollowedUp)
            }
            None => (
                compensation(id, &now, &claim.started.reserving),
                Ending::Compensated,
            ),
        };
        self.follow(&claim, steps).await?;
        self.finish(claim, ending).await.map(|_| ())
    }

    /// Ends a process whose command's `events` this engine has just appended, folded in `now`.
    /// Answers the global position of the last write it made (a step's or the ending's), so the
    /// command can hand out a read-your-writes position that covers its follow-ups too.
    pub(crate) async fn follow_up(
        &self,
        claim: Claim,
        now: &Announcement,
        events: &[AnnouncementEvent],
    ) -> Result<Option<Position>, EngineError> {
        let steps = follow_ups(claim.started.announcement_id, now, events);
        let stepped = self.follow(&claim, steps).await?;
        let finished = self.finish(claim, Ending::FollowedUp).await?;
        Ok(stepped.max(finished))
    }

    /// Performs the steps in order. The command's own run decided every step before its append
    /// (`check_follow_ups`), so a step the rules refuse here lost a race: the plan item moved on
    /// in between (another procurement took it, say), no retry would change the answer, and the
    /// step is logged and left. Answers the global position of the last step written.
    async fn follow(
        &self,
        claim: &Claim,
        steps: Vec<Step>,
    ) -> Result<Option<Position>, EngineError> {
        let source = claim.started.announcement_id;
        let mut last = None;
        for step in steps {
            let meta = claim.step_meta();
            let done = match &step {
                Step::PlanItem(item, command) => self
                    .plan_item(item, &meta, command.clone())
                    .await
                    .map(|o| o.position),
                Step::IndexCopy { copy_id } => {
                    self.create_index_copy(source, *copy_id, &meta).await
                }
            };
            match done {
                Ok(position) => last = last.max(position),
                Err(EngineError::Refused(why)) => {
                    tracing::warn!(?step, announcement = %source, %why, "lot pool: step refused");
                }
                Err(e) => return Err(e),
            }
            self.reached(ProcessStep::FollowedUp)?;
        }
        Ok(last)
    }

    /// Records the ending; answers its global position, or none when another runner ended the
    /// process first.
    async fn finish(&self, claim: Claim, ending: Ending) -> Result<Option<Position>, EngineError> {
        let event = ProcessEvent::Finished(LotPoolProcessFinished { ending });
        let position = match self.record(&claim, ExpectedVersion::Exact(0), event).await {
            Ok(position) => Some(position),
            // Another runner ended it first, the same way: the steps are idempotent.
            Err(EngineError::Store(StoreError::Conflict { .. })) => None,
            Err(e) => return Err(e),
        };
        self.reached(ProcessStep::Finished)?;
        Ok(position)
    }

    /// Whether process `id` has recorded its ending: the global log may show it only later.
    async fn ended(&self, id: Uuid) -> Result<bool, EngineError> {
        let process = self.process_stream(id)?;
        let history = self.store.read_stream(&process, StreamRange::all()).await?;
        Ok(history.len() > 1)
    }

    fn process_stream(&self, id: Uuid) -> Result<StreamId, EngineError> {
        Ok(StreamId::new(CATEGORY, id.to_string())?)
    }

    async fn record(
        &self,
        claim: &Claim,
        expected: ExpectedVersion,
        event: ProcessEvent,
    ) -> Result<Position, EngineError> {
        let stream = self.process_stream(claim.id)?;
        let (event_type, schema_version, payload) = event.to_stored();
        let command_id = Uuid::new_v5(&claim.id, event_type.as_bytes());
        let started = &claim.started;
        let event = NewEvent {
            event_id: NewEvent::id_for(command_id, &stream, 0),
            event_type: event_type.to_owned(),
            schema_version,
            payload,
            metadata: Metadata {
                command_id,
                correlation_id: started.correlation_id,
                causation_id: Some(started.command_id),
                actor: store_actor(&started.actor),
                occurred_at: self.now(),
                sandbox: self.sandbox(),
            },
        };
        Ok(self
            .store
            .append(&stream, expected, vec![event])
            .await?
            .position)
    }

    /// The events of a command as the announcement's stream recorded them.
    async fn recorded_events(
        &self,
        stream: &StreamId,
        done: &Appended,
    ) -> Result<Vec<AnnouncementEvent>, EngineError> {
        let range = StreamRange {
            from_version: done.first_version,
            to_version: Some(done.last_version),
            until: None,
        };
        let recorded = self.store.read_stream(stream, range).await?;
        recorded.iter().map(decode::<Announcement>).collect()
    }

    /// After a write of a process: stop here if the test's [`Halt`] says so. The error is the
    /// one a lost connection gives, so nothing else runs, as after a crash.
    pub(crate) fn reached(&self, step: ProcessStep) -> Result<(), EngineError> {
        match &self.halt {
            Some(halt) if halt(step) => Err(EngineError::Store(StoreError::Backend(format!(
                "halted after {step:?}"
            )))),
            _ => Ok(()),
        }
    }
}

/// Finishes the lot pool's processes that no command is running: started by the server (and
/// by tests) beside the scheduler.
pub struct LotPoolRunner {
    engine: Engine,
    /// Acts for the portal where no command's actor is at hand (orphans older than processes).
    system: Actor,
    /// How long a process must have been open before the runner takes it over: another server
    /// on the same store may be running it (its steps take milliseconds).
    grace: Duration,
    /// How many process events the runner reads before it records a checkpoint while running;
    /// at start-up it records one whenever it has read any.
    checkpoint_every: usize,
    open: tokio::sync::Mutex<Open>,
}

/// The default [`LotPoolRunner::with_grace`].
const GRACE: Duration = Duration::from_secs(30);

/// The default [`LotPoolRunner::with_checkpoint_every`]: a restart reads at most this many
/// events of ended processes, and the checkpoints add one event per this many.
const CHECKPOINT_EVERY: usize = 256;

/// The processes read so far that have not finished, and where the reading stopped.
#[derive(Default)]
struct Open {
    /// Whether the newest checkpoint was read: once, before the first read of the log.
    restored: bool,
    after: Option<Position>,
    /// Each with when its record was written, by the store's clock.
    processes: BTreeMap<Uuid, (Process, DateTime<Utc>)>,
    /// The last process event read, and how many were read since the last checkpoint.
    mark: Option<LogMark>,
    unsaved: usize,
    /// The version of the newest checkpoint known, which the next one follows.
    saved: Option<u64>,
}

/// A process the runner ended, and how that went.
#[derive(Debug)]
pub struct Settled {
    pub process_id: Uuid,
    pub announcement_id: Uuid,
    pub result: Result<(), EngineError>,
}

impl LotPoolRunner {
    /// `system` acts for the portal; see [`crate::system_actor`].
    pub fn new(engine: Engine, system: Actor) -> Self {
        LotPoolRunner {
            engine,
            system,
            grace: GRACE,
            checkpoint_every: CHECKPOINT_EVERY,
            open: Default::default(),
        }
    }

    /// Records a checkpoint after every `events` process events read (256 by default).
    pub fn with_checkpoint_every(self, events: usize) -> Self {
        LotPoolRunner {
            checkpoint_every: events.max(1),
            ..self
        }
    }

    /// Takes over processes open for `grace` (30 s by default; tests that restart at once use
    /// zero).
    pub fn with_grace(self, grace: Duration) -> Self {
        LotPoolRunner { grace, ..self }
    }

    /// Start-up: ends every process a crash interrupted, then, once per installation, releases
    /// the orphans no process knows of ([`LotPoolRunner::release_orphans`]). Run it before
    /// commands are served. It reads the process log from the newest checkpoint on, and the
    /// processes open there, and records a checkpoint of its own if it read anything.
    pub async fn start_up(&self) -> Result<Vec<Settled>, EngineError> {
        let settled = self.resume_saving(1).await?;
        if !checkpoint::orphans_released(&self.engine).await? {
            self.release_orphans().await?;
        }
        Ok(settled)
    }

    /// Releases every plan item held by an announcement that does not hold it: what a crash
    /// left behind before processes were recorded (issue 14 counted 23 of them, one held by a
    /// deleted draft for good). A reservation whose command is still running looks the same, so
    /// this runs only while no process is open, and belongs at start-up, before commands are
    /// served. A process records itself before it reserves, so one whose reservation is read
    /// here shows in the process log read after it. Answers the items released, and records
    /// that the sweep ran, once the log holds any plan item (then [`LotPoolRunner::start_up`]
    /// does not run it again).
    pub async fn release_orphans(&self) -> Result<Vec<PlanItemId>, EngineError> {
        let mut open = self.open.lock().await;
        let holders = self.holders().await?;
        self.catch_up(&mut open).await?;
        if !open.processes.is_empty() {
            return Ok(Vec::new());
        }
        let Some(holders) = holders else {
            // No plan item yet: nothing to repair, and the sweep costs nothing until there is.
            return Ok(Vec::new());
        };
        let released = self.sweep(holders).await?;
        checkpoint::record_orphans_released(&self.engine, &self.system, released.clone()).await?;
        Ok(released)
    }

    /// Repairs every item of `holders` whose holder does not hold it.
    async fn sweep(
        &self,
        holders: BTreeMap<PlanItemId, Uuid>,
    ) -> Result<Vec<PlanItemId>, EngineError> {
        let mut released = Vec::new();
        for (item, holder) in holders {
            let stream = Engine::stream::<Announcement>(&holder.to_string())?;
            let announcement = self.engine.current::<Announcement>(&stream).await?.state;
            if announcement.holds_plan_item(&item) {
                continue;
            }
            let meta = CommandMeta {
                command_id: Uuid::new_v4(),
                correlation_id: None,
                causation_id: None,
                actor: self.system.clone(),
                unread_notices: Default::default(),
            };
            let repair = self.repair(holder, &announcement, &item).await?;
            let outcome = self.engine.plan_item(&item, &meta, repair).await?;
            if outcome.appended > 0 {
                released.push(item);
            }
        }
        Ok(released)
    }

    /// What the lost follow-up of an orphan was: the transfer to the index copy that holds it,
    /// the failure of its procurement, or else a release.
    async fn repair(
        &self,
        holder: Uuid,
        announcement: &Announcement,
        item: &PlanItemId,
    ) -> Result<PlanItemCommand, EngineError> {
        if let Some(copy) = announcement.copy_announcement_id {
            let stream = Engine::stream::<Announcement>(&copy.to_string())?;
            let copy_state = self.engine.current::<Announcement>(&stream).await?.state;
            if copy_state.holds_plan_item(item) {
                return Ok(PlanItemCommand::Transfer {
                    from_announcement_id: holder,
                    to_announcement_id: copy,
                });
            }
        }
        let failed = announcement
            .lots
            .get(item)
            .is_some_and(|lot| lot.outcome.as_ref().is_some_and(LotOutcome::is_failed));
        Ok(if failed {
            PlanItemCommand::MarkProcurementFailed {
                announcement_id: holder,
                article6_rejected_bins: announcement.article6_rejected_on(item),
            }
        } else {
            PlanItemCommand::Release {
                announcement_id: holder,
                reason: ReleaseReason::AppendFailed,
            }
        })
    }

    /// Every plan item that an announcement holds, by the global log; `None` if the log has no
    /// plan item at all.
    async fn holders(&self) -> Result<Option<BTreeMap<PlanItemId, Uuid>>, EngineError> {
        let filter = Filter::categories([PlanItem::CATEGORY]);
        let mut items: BTreeMap<PlanItemId, PlanItem> = BTreeMap::new();
        let mut after = None;
        loop {
            let batch = self.engine.store().read_all(after, &filter, 1000).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.position);
            for recorded in &batch {
                let Some(id) = recorded.stream_id.as_str().strip_prefix("plan_item-") else {
                    continue;
                };
                let event = decode::<PlanItem>(recorded)?;
                items
                    .entry(PlanItemId(id.to_owned()))
                    .or_default()
                    .apply(&event);
            }
        }
        if items.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            items
                .into_iter()
                .filter_map(|(id, item)| Some((id, item.holder?.announcement_id)))
                .collect(),
        ))
    }

    /// Ends every process recorded as started, not finished, not running in this engine, and
    /// open for the grace period. A process whose step fails stays open and is tried again at
    /// the next call.
    pub async fn resume(&self) -> Result<Vec<Settled>, EngineError> {
        self.resume_saving(self.checkpoint_every).await
    }

    /// [`LotPoolRunner::resume`], recording a checkpoint first if at least `events` process
    /// events were read since the last one. The checkpoint lists the processes about to be
    /// ended as open: it is written before they end, and they may fail.
    async fn resume_saving(&self, events: usize) -> Result<Vec<Settled>, EngineError> {
        let mut open = self.open.lock().await;
        self.catch_up(&mut open).await?;
        if open.unsaved >= events
            && let Some(mark) = open.mark.clone()
        {
            let ids = open.processes.keys().copied().collect();
            let saved = checkpoint::save(&self.engine, &self.system, open.saved, mark, ids).await?;
            open.saved = saved.version;
            if saved.recorded {
                open.unsaved = 0;
            }
        }
        // The wall clock, not the engine's: `recorded_at` is the store's own, and this is a
        // lease between servers, not a procurement deadline.
        let grace = chrono::Duration::from_std(self.grace).unwrap_or(chrono::Duration::MAX);
        let ripe = Utc::now() - grace;
        let ripe: Vec<(Uuid, Started)> = open
            .processes
            .iter()
            .filter(|(_, (_, since))| *since <= ripe)
            .filter_map(|(id, (p, _))| Some((*id, p.unfinished()?.clone())))
            .collect();
        let mut settled = Vec::with_capacity(ripe.len());
        for (process_id, started) in ripe {
            let announcement_id = started.announcement_id;
            let Some(claim) = self.engine.claim(process_id, started).await else {
                continue;
            };
            let result = match self.engine.ended(process_id).await {
                Ok(true) => {
                    open.processes.remove(&process_id);
                    continue;
                }
                Ok(false) => self.engine.settle(claim).await,
                Err(e) => Err(e),
            };
            if result.is_ok() {
                // Ended: its `Finished` may show in the log only later.
                open.processes.remove(&process_id);
            }
            settled.push(Settled {
                process_id,
                announcement_id,
                result,
            });
        }
        Ok(settled)
    }

    /// Resumes at once (start-up), then on every new event and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.resume().await {
                Ok(settled) => {
                    for s in settled.iter().filter(|s| s.result.is_err()) {
                        tracing::error!(
                            process = %s.process_id,
                            announcement = %s.announcement_id,
                            result = ?s.result,
                            "lot pool: process not ended"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "lot pool: resume failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }

    /// Reads the process log on from where the runner stopped: at the first call, from the
    /// newest checkpoint (with the processes open there), or from the start if there is none.
    async fn catch_up(&self, open: &mut Open) -> Result<(), EngineError> {
        if !open.restored {
            if let Some(restored) = checkpoint::restore(&self.engine).await? {
                open.saved = Some(restored.version);
                open.after = Some(restored.after);
                open.mark = Some(restored.mark);
                for (id, process, since) in restored.open {
                    open.processes.insert(id, (process, since));
                }
            }
            open.restored = true;
        }
        let filter = Filter::categories([CATEGORY]);
        loop {
            let batch = self
                .engine
                .store()
                .read_all(open.after, &filter, 1000)
                .await?;
            let Some(last) = batch.last() else {
                return Ok(());
            };
            open.after = Some(last.position);
            for recorded in &batch {
                let Some(id) = recorded
                    .stream_id
                    .as_str()
                    .strip_prefix("lot_pool-")
                    .and_then(|id| Uuid::parse_str(id).ok())
                else {
                    continue;
                };
                let event: ProcessEvent = decode_record(recorded)?;
                open.mark = Some(LogMark {
                    stream_id: recorded.stream_id.to_string(),
                    version: recorded.version,
                });
                open.unsaved += 1;
                let (process, _) = open
                    .processes
                    .entry(id)
                    .or_insert_with(|| (Process::default(), recorded.recorded_at));
                process.evolve(&event);
                if process.unfinished().is_none() {
                    open.processes.remove(&id);
                }
            }
        }
    }
}
