//! Announcements and the lot pool: the reserve → append → compensate process of
//! docs/decisions/0201-lot-pool-reservation.md, run as a durable process
//! (docs/decisions/0503-durable-workflows.md).
//!
//! A plan item's own stream decides who holds it, so "no lot is in two active announcements at
//! once" rests on optimistic concurrency on ONE stream, which both backends guarantee; no
//! multi-stream transaction is needed. Plan-item commands issued here get fresh command ids and
//! rely on the plan item's own idempotence (reserving for the same announcement, or releasing a
//! free item, changes nothing): a reused id could answer "reserved" from a record that a later
//! compensation already undid.

pub(crate) mod checkpoint;
pub(crate) mod process;
pub mod runner;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde::Serialize;
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent};
use zakup_domain::numbering::AnnouncementNumber;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand, PlanItemId};
use zakup_store::{Appended, Position, StoreError, StreamId};

use crate::{CommandMeta, Current, Effects, Engine, EngineError};

/// What a command left behind: the stream's version and global position after it (for
/// read-your-writes), how many events it appended, and whether this was a retry answered from
/// the record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub stream_id: String,
    pub version: Option<u64>,
    pub position: Option<Position>,
    pub appended: u64,
    pub duplicate: bool,
}

impl From<Appended> for Outcome {
    fn from(a: Appended) -> Self {
        Outcome {
            stream_id: a.stream_id.to_string(),
            version: Some(a.last_version),
            position: Some(a.position),
            appended: if a.duplicate {
                0
            } else {
                a.last_version - a.first_version + 1
            },
            duplicate: a.duplicate,
        }
    }
}

impl Outcome {
    pub(crate) fn unchanged<A>(stream: StreamId, current: &Current<A>) -> Self {
        Outcome {
            stream_id: stream.to_string(),
            version: current.version,
            position: current.position,
            appended: 0,
            duplicate: false,
        }
    }
}

impl Engine {
    pub async fn plan_item(
        &self,
        id: &PlanItemId,
        meta: &CommandMeta,
        command: PlanItemCommand,
    ) -> Result<Outcome, EngineError> {
        self.execute::<PlanItem>(&id.0, meta, command).await
    }

    /// Runs an announcement command, keeping the lot pool consistent: plan items named by
    /// `LotsAdded` are reserved before the announcement records them (and released again if the
    /// append fails); items removed, cancelled, transferred or completed follow after it.
    /// A protocol signature goes through [`Engine::sign_protocol`], which verifies it first.
    pub async fn announcement(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        command: AnnouncementCommand,
    ) -> Result<Outcome, EngineError> {
        if matches!(command, AnnouncementCommand::SignProtocol { .. }) {
            return Err(EngineError::Refused(zakup_domain::refusal!(
                signature_required,
                "Подпись протокола требует ЭЦП",
                "signing a protocol needs the signature itself (use sign_protocol)"
            )));
        }
        self.run_announcement(id, meta, command).await
    }

    pub(crate) async fn run_announcement(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        command: AnnouncementCommand,
    ) -> Result<Outcome, EngineError> {
        self.run::<Announcement, _>(&id.to_string(), meta, command, &LotPool { id })
            .await
    }

    /// Before the events are recorded, every plan item must accept the step that follows them:
    /// a removal or cancellation must find the item still releasable (another procurement may
    /// have taken it after this one failed, L496–512, L3239–3255), and a results revision's new
    /// outcome must find the item where the revision can move it (docs/decisions/0603).
    /// Decided without writing, so a refusal leaves nothing behind; the durable process then
    /// performs the steps the rules have just accepted.
    async fn check_follow_ups(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        events: &[AnnouncementEvent],
    ) -> Result<(), EngineError> {
        for (item, command) in events.iter().flat_map(|e| e.plan_item_followups(id)) {
            let stream = Self::stream::<PlanItem>(&item.0)?;
            let current = self.current::<PlanItem>(&stream).await?;
            self.decide(current.state.as_ref(), meta, command)?;
        }
        Ok(())
    }

    /// The reservations decided on the plan items as they stand, before the process writes
    /// anything: a lot that is not its request (decision 0634) is refused with nothing written.
    /// A race after this check still ends in the process's compensation.
    async fn check_reservations(
        &self,
        meta: &CommandMeta,
        reservations: &[(PlanItemId, PlanItemCommand)],
    ) -> Result<(), EngineError> {
        for (item, command) in reservations {
            let stream = Self::stream::<PlanItem>(&item.0)?;
            let current = self.current::<PlanItem>(&stream).await?;
            self.decide(current.state.as_ref(), meta, command.clone())?;
        }
        Ok(())
    }

    /// «Внести изменения в документацию»: the original becomes «Изменена документация» and a
    /// copy with the next index takes over its lots (spec 000-A §4.2.3, L1746–1760). The copy's
    /// command id derives from the copy's id, so a repeated follow-up finds it already made.
    ///
    /// The copy's command runs a process of its own, inside this one's: the boxed future, of a
    /// type named here, ends the recursion of the two. Answers the position of the copy's last
    /// write, its own follow-ups included.
    pub(crate) fn create_index_copy<'a>(
        &'a self,
        source_id: Uuid,
        copy_id: Uuid,
        meta: &'a CommandMeta,
    ) -> Pin<Box<dyn Future<Output = Result<Option<Position>, EngineError>> + Send + 'a>> {
        Box::pin(async move {
            let stream = Self::stream::<Announcement>(&source_id.to_string())?;
            let source = Arc::unwrap_or_clone(self.current::<Announcement>(&stream).await?.state);
            let number = source
                .number
                .parse::<AnnouncementNumber>()
                .and_then(AnnouncementNumber::next_index)
                .map_err(|e| EngineError::Refused(e.into()))?;
            let create = AnnouncementCommand::CreateIndexCopy {
                announcement_id: copy_id,
                number: number.to_string(),
                source: Box::new(source),
            };
            let copy_meta = CommandMeta {
                command_id: Uuid::new_v5(&copy_id, b"index-copy"),
                ..meta.clone()
            };
            self.run_announcement(copy_id, &copy_meta, create)
                .await
                .map(|o| o.position)
        })
    }
}

/// An announcement command's writes: its events, inside a process when they touch the lot pool
/// (`process::needed`). The process is recorded first; then the reservations, the append, and
/// the follow-ups. A refused reservation or a lost race undoes the reservations at once; any
/// other failure leaves the process to the runner, which asks the store what happened.
///
/// The position it answers is the last of everything the command caused (the copy, the plan
/// items, the process's ending), so a client waiting for it with `minPosition` reads them all.
struct LotPool {
    id: Uuid,
}

impl Effects<Announcement> for LotPool {
    /// A retry must not reserve on a fold that may be stale.
    fn needs_read(&self, state: &Announcement, events: &[AnnouncementEvent]) -> bool {
        !state.reservations_for(events).is_empty()
    }

    async fn append(
        &self,
        engine: &Engine,
        stream: &StreamId,
        current: &Current<Announcement>,
        (meta, fingerprint): (&CommandMeta, Uuid),
        now: chrono::DateTime<chrono::Utc>,
        events: &[AnnouncementEvent],
    ) -> Result<Appended, EngineError> {
        let reservations = current.state.reservations_for(events);
        let reserving: Vec<PlanItemId> = reservations.iter().map(|(i, _)| i.clone()).collect();
        if !process::needed(self.id, &reserving, events) {
            return engine
                .append::<Announcement>(stream, current.version, (meta, fingerprint), now, events)
                .await;
        }
        engine.check_follow_ups(self.id, meta, events).await?;
        engine.check_reservations(meta, &reservations).await?;
        let claim = engine.start_process(self.id, meta, reserving).await?;
        if let Err(e) = engine.reserve(&claim, reservations).await {
            // Refused, or lost every race on a plan item: the store answers, so undo at once.
            if matches!(e, EngineError::Refused(_) | EngineError::Contended { .. }) {
                engine.settle(claim).await?;
            }
            return Err(e);
        }
        let appended = engine
            .append::<Announcement>(stream, current.version, (meta, fingerprint), now, events)
            .await;
        let mut appended = match appended {
            Ok(appended) => appended,
            Err(e @ EngineError::Store(StoreError::Conflict { .. })) => {
                engine.settle(claim).await?;
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        engine.reached(runner::ProcessStep::Appended)?;
        if appended.duplicate {
            // A retry that raced the original: follow up what the record says.
            engine.settle(claim).await?;
        } else {
            let mut after = Announcement::clone(&current.state);
            events.iter().for_each(|e| after.apply(e));
            let followed = engine.follow_up(claim, &after, events).await?;
            if let Some(followed) = followed {
                appended.position = appended.position.max(followed);
            }
        }
        Ok(appended)
    }
}
