//! The sandbox (docs/decisions/0661): a clock moved by calls, so that a frontend team walks a
//! procedure's weeks in minutes. Its time is the domain's `SandboxClock` stream folded (a
//! restart keeps it), read against the real clock: `at + (real now − real_at) × acceleration`.
//!
//! [`advance`] moves it forward and fires every timed transition that falls due on the way, each
//! at its own instant and in order: the clock stands at a deadline while the scheduler fires
//! what is due there, so that the transitions' `occurred_at` (what "as of an instant" reads,
//! decision 0660) are their deadlines, not the instant moved to.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::error::DomainError;
use zakup_domain::refusal;
use zakup_domain::sandbox_clock::{self, Anchor, SandboxClock, SandboxClockCommand};
use zakup_store::{Filter, Position, SharedStore, StreamRange};

use crate::auction::AuctionRunner;
use crate::scheduler::{Fired, Scheduler, Sent};
use crate::{Clock, CommandMeta, Engine, EngineError};

/// The sandbox's clock, and who fires its timed transitions.
pub struct Sandbox {
    real: Arc<dyn Clock>,
    anchor: Mutex<Anchor>,
    /// One move at a time: a move holds the clock at each deadline it passes.
    moving: tokio::sync::Mutex<()>,
    /// The portal's identity for the timed transitions a move fires.
    system: Actor,
}

/// Where to move the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    At(DateTime<Utc>),
    By(Duration),
}

/// What a move did.
#[derive(Debug)]
pub struct Advanced {
    /// The sandbox's time after the move.
    pub now: DateTime<Utc>,
    /// Where the move's own event and every transition it fired are appended: pass it as
    /// `minPosition` to read them.
    pub position: Option<Position>,
    /// The timed transitions sent, in the order they fell due.
    pub fired: Vec<Fired>,
    /// A retried move (same command id): answered from the record, nothing fired again.
    pub duplicate: bool,
}

impl Sandbox {
    /// A sandbox whose time starts at `start` (when [`Sandbox::open`] finds no clock recorded
    /// yet), read against `real`.
    pub fn new(
        real: Arc<dyn Clock>,
        start: DateTime<Utc>,
        acceleration: u32,
        system: Actor,
    ) -> Self {
        let anchor = Anchor {
            at: start,
            real_at: real.now(),
            acceleration,
        };
        Sandbox {
            real,
            anchor: Mutex::new(anchor),
            moving: tokio::sync::Mutex::default(),
            system,
        }
    }

    pub fn anchor(&self) -> Anchor {
        *self.anchor.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn set(&self, anchor: Anchor) {
        *self.anchor.lock().unwrap_or_else(|p| p.into_inner()) = anchor;
    }

    /// Holds the clock still at `at` (never back).
    fn hold(&self, at: DateTime<Utc>) {
        let now = self.now();
        self.set(Anchor {
            at: at.max(now),
            real_at: self.real.now(),
            acceleration: 0,
        });
    }
}

impl Clock for Sandbox {
    fn now(&self) -> DateTime<Utc> {
        self.anchor().now(self.real.now())
    }

    fn sandbox(&self) -> Option<&Sandbox> {
        Some(self)
    }
}

fn sandbox(engine: &Engine) -> Result<&Sandbox, EngineError> {
    engine.clock().sandbox().ok_or_else(|| {
        EngineError::Refused(refusal!(
            sandbox_disabled,
            "Управление временем доступно только в песочнице",
            "the clock can be moved only on a sandbox server (zakup serve --sandbox)"
        ))
    })
}

fn mismatch(ru: &str, en: &str) -> EngineError {
    EngineError::Refused(DomainError::new("sandbox_database_mismatch", ru, en))
}

/// Opens the sandbox of `engine` (whose clock must be a [`Sandbox`]) on its store: the clock
/// recorded there, or a new one started at the sandbox's start if the store is empty. A store
/// holding records but no sandbox clock is a production database: refused, nothing written.
pub async fn open(engine: &Engine) -> Result<Anchor, EngineError> {
    let sandbox = sandbox(engine)?;
    let loaded = engine
        .load::<SandboxClock>(sandbox_clock::STREAM_ID, StreamRange::all())
        .await?;
    if let Some(anchor) = loaded.state.anchor {
        sandbox.set(anchor);
        return Ok(anchor);
    }
    let any = engine.store().read_all(None, &Filter::all(), 1).await?;
    if !any.is_empty() {
        return Err(mismatch(
            "База данных содержит рабочие записи портала: песочница не запускается на ней. Укажите другой каталог данных",
            "this database holds production records and no sandbox clock: a sandbox server refuses it; start the sandbox on another data directory or database",
        ));
    }
    let anchor = sandbox.anchor();
    let command = SandboxClockCommand::Start {
        at: anchor.at,
        real_at: anchor.real_at,
        acceleration: anchor.acceleration,
    };
    let meta = portal_meta(sandbox, Uuid::new_v4());
    engine
        .execute::<SandboxClock>(sandbox_clock::STREAM_ID, &meta, command)
        .await?;
    Ok(anchor)
}

/// Brings the clock up to the moves another process recorded (`zakup demo` moving the clock of
/// a running sandbox server), never back. A move of this process in progress is left alone.
pub async fn follow(engine: &Engine) -> Result<(), EngineError> {
    let sandbox = sandbox(engine)?;
    let Ok(_moving) = sandbox.moving.try_lock() else {
        return Ok(());
    };
    let loaded = engine
        .load::<SandboxClock>(sandbox_clock::STREAM_ID, StreamRange::all())
        .await?;
    if let Some(recorded) = loaded.state.anchor {
        let real_now = sandbox.real.now();
        if recorded != sandbox.anchor() && recorded.now(real_now) >= sandbox.now() {
            sandbox.set(recorded);
        }
    }
    Ok(())
}

/// A production server's guard: refused when the store holds a sandbox clock, whose records
/// are not real.
pub async fn refuse_sandbox_database(store: &SharedStore) -> Result<(), EngineError> {
    let filter = Filter::categories([sandbox_clock::CATEGORY]);
    if store.read_all(None, &filter, 1).await?.is_empty() {
        return Ok(());
    }
    Err(mismatch(
        "База данных принадлежит песочнице (её время сдвигалось вручную): рабочий сервер на ней не запускается. Запустите zakup serve --sandbox или укажите другую базу",
        "this database belongs to a sandbox (its clock was moved by hand): a production server refuses it; run zakup serve --sandbox, or use another database",
    ))
}

fn portal_meta(sandbox: &Sandbox, command_id: Uuid) -> CommandMeta {
    CommandMeta {
        command_id,
        correlation_id: None,
        causation_id: None,
        actor: sandbox.system.clone(),
        unread_notices: BTreeSet::new(),
    }
}

/// Moves the sandbox's clock to `target` as `meta`'s actor (the operator), at `acceleration`
/// from there (unchanged when `None`), firing every timed transition that falls due on the way.
pub async fn advance(
    engine: &Engine,
    meta: &CommandMeta,
    target: Target,
    acceleration: Option<u32>,
) -> Result<Advanced, EngineError> {
    let sandbox = sandbox(engine)?;
    let _moving = sandbox.moving.lock().await;
    let anchor = sandbox.anchor();
    // The clock stands still while it is moved: a running clock would pass `to` between the
    // instant computed here and the one the move is decided at.
    sandbox.hold(sandbox.now());
    let outcome = move_clock(
        engine,
        sandbox,
        meta,
        target,
        acceleration.unwrap_or(anchor.acceleration),
    )
    .await;
    let outcome = match outcome {
        Ok(outcome) if !outcome.duplicate => outcome,
        other => {
            sandbox.set(anchor);
            let outcome = other?;
            return Ok(Advanced {
                now: sandbox.now(),
                position: outcome.position,
                fired: Vec::new(),
                duplicate: true,
            });
        }
    };
    let moved = engine
        .load::<SandboxClock>(sandbox_clock::STREAM_ID, StreamRange::all())
        .await
        .map(|loaded| loaded.state.anchor.unwrap_or(anchor));
    let moved = match moved {
        Ok(moved) => moved,
        Err(e) => {
            sandbox.set(anchor);
            return Err(e);
        }
    };
    let to = moved.at;
    let scheduler = Scheduler::new(engine.clone(), sandbox.system.clone());
    // Everything written before the move (the caller's own writes among them) is folded first.
    let stepped = match outcome.position {
        Some(position) => scheduler.caught_up_to(position).await,
        None => Ok(()),
    };
    let stepped = match stepped {
        Ok(()) => step(engine, sandbox, &scheduler, to).await,
        Err(e) => Err(e),
    };
    // Wherever the steps stopped, the clock stands where its record says: as after a restart.
    sandbox.set(moved);
    let Stepped { fired, auctions } = stepped?;
    let position = fired
        .iter()
        .filter_map(|f| f.position)
        .chain(outcome.position)
        .chain(auctions)
        .max();
    Ok(Advanced {
        now: sandbox.now(),
        position,
        fired,
        duplicate: false,
    })
}

/// Records the move of the held clock to `target`.
async fn move_clock(
    engine: &Engine,
    sandbox: &Sandbox,
    meta: &CommandMeta,
    target: Target,
    acceleration: u32,
) -> Result<crate::Outcome, EngineError> {
    // A retry of a move is known by its command id alone: the move it asks for (`by` a duration,
    // from a clock that has since moved) and the real instant it is made at both differ, so the
    // engine's digest of the command would take it for another command under the same id.
    let stream = Engine::stream::<SandboxClock>(sandbox_clock::STREAM_ID)?;
    let recorded = engine
        .store()
        .read_stream(&stream, StreamRange::all())
        .await?;
    if let Some(done) = recorded
        .iter()
        .find(|e| e.metadata.command_id == meta.command_id)
    {
        return Ok(crate::Outcome {
            stream_id: stream.to_string(),
            version: Some(done.version),
            position: Some(done.position),
            appended: 0,
            duplicate: true,
        });
    }
    let to = match target {
        Target::At(at) => at,
        Target::By(by) => sandbox.now().checked_add_signed(by).ok_or_else(|| {
            EngineError::Refused(refusal!(
                invalid_input,
                "Сдвиг времени слишком велик",
                "the clock cannot be moved that far"
            ))
        })?,
    };
    let command = SandboxClockCommand::Move {
        to,
        real_at: sandbox.real.now(),
        acceleration,
    };
    engine
        .execute::<SandboxClock>(sandbox_clock::STREAM_ID, meta, command)
        .await
}

/// What a move's steps did: the timed transitions fired, and where the auctions' results
/// workflow last appended.
struct Stepped {
    fired: Vec<Fired>,
    auctions: Option<Position>,
}

/// Holds the clock at each deadline up to `to` in turn and fires what is due there, until none
/// is left: the scheduler's timed transitions and the auctions' results workflow (opening the
/// bidding, ending a round at its end, completing), decision 0712. A transition the rules refuse
/// is reported once and not sent again by this move; an auction step that does nothing or fails
/// is not tried again at the same instant (the running `AuctionRunner` retries it).
async fn step(
    engine: &Engine,
    sandbox: &Sandbox,
    scheduler: &Scheduler,
    to: DateTime<Utc>,
) -> Result<Stepped, EngineError> {
    let runner = AuctionRunner::new(engine.clone(), sandbox.system.clone());
    let mut fired: Vec<Fired> = Vec::new();
    let mut sent = Sent::new();
    let mut tried: BTreeSet<(Uuid, DateTime<Utc>)> = BTreeSet::new();
    let mut auctions: Option<Position> = None;
    loop {
        let timed = scheduler.next_due(to, &sent).await?;
        let auction = next_auction(scheduler, &runner, to, &tried).await?;
        match (timed, auction) {
            (None, None) => break,
            (Some(at), a) if a.is_none_or(|(_, b)| at <= b) => {
                sandbox.hold(at);
                for f in scheduler.tick().await? {
                    if sent.insert((f.announcement_id, f.transition, f.at)) {
                        if let Some(position) = f.position {
                            scheduler.caught_up_to(position).await?;
                        }
                        fired.push(f);
                    }
                }
            }
            (_, Some((id, at))) => {
                sandbox.hold(at);
                tried.insert((id, at));
                if let Ok((_, Some(position))) = runner.advance(id).await {
                    scheduler.caught_up_to(position).await?;
                    auctions = auctions.max(Some(position));
                }
            }
            (Some(_), None) => unreachable!("the first arm takes a deadline without an auction"),
        }
    }
    // The competitions' discussion starts (C3) due by `to`: each records its own start instant.
    sandbox.hold(to);
    scheduler.tick_competitions().await?;
    Ok(Stepped { fired, auctions })
}

/// The auction whose results workflow falls due first, at or before `to`, and when.
async fn next_auction(
    scheduler: &Scheduler,
    runner: &AuctionRunner,
    to: DateTime<Utc>,
    tried: &BTreeSet<(Uuid, DateTime<Utc>)>,
) -> Result<Option<(Uuid, DateTime<Utc>)>, EngineError> {
    let mut next: Option<(Uuid, DateTime<Utc>)> = None;
    for id in scheduler.auctions_in_bidding().await? {
        if let Some(at) = runner.due(id, to).await?
            && !tried.contains(&(id, at))
            && next.is_none_or(|(_, n)| at < n)
        {
            next = Some((id, at));
        }
    }
    Ok(next)
}
