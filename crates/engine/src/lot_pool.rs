//! Announcements and the lot pool: the reserve → append → compensate process of
//! docs/decisions/0201-lot-pool-reservation.md.
//!
//! A plan item's own stream decides who holds it, so "no lot is in two active announcements at
//! once" rests on optimistic concurrency on ONE stream, which both backends guarantee; no
//! multi-stream transaction is needed. Plan-item commands issued here get fresh command ids and
//! rely on the plan item's own idempotence (reserving for the same announcement, or releasing a
//! free item, changes nothing): a reused id could answer "reserved" from a record that a later
//! compensation already undid.

use std::sync::Arc;

use serde::Serialize;
use uuid::Uuid;
use zakup_domain::announcement::{Announcement, AnnouncementCommand, AnnouncementEvent};
use zakup_domain::numbering::AnnouncementNumber;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand, PlanItemId, ReleaseReason};
use zakup_store::{Appended, Position, StoreError, StreamId, StreamRange};

use crate::{CommandMeta, Current, Engine, EngineError, Prepared, decode};

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
        let key = id.to_string();
        let stream = Self::stream::<Announcement>(&key)?;
        // As `execute` (`Engine::unread`), but a decision that reserves plan items is read
        // again too: a retry must not reserve on a fold that may be stale.
        let (mut unread, attempts) = self.unread::<Announcement>(&stream);
        for _ in 0..attempts {
            let (current, read) = match self.attempt(&stream, meta, &mut unread).await? {
                (Prepared::Decide(current), read) => (current, read),
                (Prepared::Done(done), _) => return self.recorded(id, meta, &stream, done).await,
            };
            let (now, events) = match self.decide(current.state.as_ref(), meta, command.clone()) {
                Ok((now, events))
                    if !events.is_empty()
                        && (read || current.state.reservations_for(&events).is_empty()) =>
                {
                    (now, events)
                }
                _ if !read => continue,
                Ok(_) => return Ok(Outcome::unchanged(stream, &current)),
                Err(refused) => return Err(refused),
            };
            self.check_releases(id, meta, &events).await?;
            let reserved = self.reserve(id, &current.state, meta, &events).await?;
            match self
                .append::<Announcement>(&stream, current.version, meta, now, &events)
                .await
            {
                // A retry that raced the original, or was decided on the remembered fold: the
                // reservations are the original's too, and the recorded events are followed up.
                Ok(appended) if appended.duplicate => {
                    return self.recorded(id, meta, &stream, appended).await;
                }
                Ok(appended) => {
                    self.remember_appended(&stream, current, &events, &appended);
                    self.follow_up(id, meta, &events).await?;
                    return Ok(Outcome::from(appended));
                }
                Err(e) => {
                    self.release(id, meta, &reserved, ReleaseReason::AppendFailed)
                        .await?;
                    match e {
                        EngineError::Store(StoreError::Conflict { .. }) => continue,
                        e => return Err(e),
                    }
                }
            }
        }
        Err(EngineError::Contended {
            stream: stream.to_string(),
            attempts,
        })
    }

    /// The answer to a command already recorded. A retry after a crash between the append and
    /// the follow-ups finishes them.
    async fn recorded(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        stream: &StreamId,
        done: Appended,
    ) -> Result<Outcome, EngineError> {
        let range = StreamRange {
            from_version: done.first_version,
            to_version: Some(done.last_version),
            until: None,
        };
        let recorded = self.store.read_stream(stream, range).await?;
        let events = recorded
            .iter()
            .map(decode::<Announcement>)
            .collect::<Result<Vec<_>, _>>()?;
        self.follow_up(id, meta, &events).await?;
        Ok(Outcome::from(done))
    }

    /// Step 2 of the process: reserve every plan item the events name
    /// (`Announcement::reservations_for`). On a refusal the items reserved so far are released
    /// and the refusal is returned.
    async fn reserve(
        &self,
        id: Uuid,
        state: &Announcement,
        meta: &CommandMeta,
        events: &[AnnouncementEvent],
    ) -> Result<Vec<PlanItemId>, EngineError> {
        let mut reserved = Vec::new();
        for (item, reserve) in state.reservations_for(events) {
            match self.plan_item(&item, &sub(meta), reserve).await {
                Ok(_) => reserved.push(item),
                Err(e) => {
                    self.release(id, meta, &reserved, ReleaseReason::AppendFailed)
                        .await?;
                    return Err(e);
                }
            }
        }
        Ok(reserved)
    }

    async fn release(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        items: &[PlanItemId],
        reason: ReleaseReason,
    ) -> Result<(), EngineError> {
        for item in items {
            let release = PlanItemCommand::Release {
                announcement_id: id,
                reason,
            };
            self.plan_item(item, &sub(meta), release).await?;
        }
        Ok(())
    }

    /// Before removals and cancellations are recorded, each plan item must still be releasable:
    /// another procurement may have taken it after this one failed (L496–512, L3239–3255).
    /// Decided without writing, so a refusal leaves nothing behind.
    async fn check_releases(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        events: &[AnnouncementEvent],
    ) -> Result<(), EngineError> {
        for (item, command) in events.iter().flat_map(|e| e.plan_item_followups(id)) {
            if matches!(command, PlanItemCommand::Release { .. }) {
                let stream = Self::stream::<PlanItem>(&item.0)?;
                let current = self.current::<PlanItem>(&stream).await?;
                self.decide(current.state.as_ref(), meta, command)?;
            }
        }
        Ok(())
    }

    /// What must follow once the announcement has recorded its events: the plan items' side
    /// (`AnnouncementEvent::plan_item_followups`), and the index-2 copy when the documentation
    /// changes. Each step is idempotent, so a retry of the command may repeat them.
    async fn follow_up(
        &self,
        id: Uuid,
        meta: &CommandMeta,
        events: &[AnnouncementEvent],
    ) -> Result<(), EngineError> {
        for (item, command) in events.iter().flat_map(|e| e.plan_item_followups(id)) {
            self.plan_item(&item, &sub(meta), command).await?;
        }
        for event in events {
            if let AnnouncementEvent::DocumentationChangeDecided(decided) = event {
                Box::pin(self.create_index_copy(id, decided.copy_announcement_id, meta)).await?;
            }
        }
        Ok(())
    }

    /// «Внести изменения в документацию»: the original becomes «Изменена документация» and a
    /// copy with the next index takes over its lots (spec 000-A §4.2.3, L1746–1760). The copy's
    /// command id derives from the copy's id, so a repeated follow-up finds it already made.
    async fn create_index_copy(
        &self,
        source_id: Uuid,
        copy_id: Uuid,
        meta: &CommandMeta,
    ) -> Result<(), EngineError> {
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
            ..sub(meta)
        };
        self.run_announcement(copy_id, &copy_meta, create)
            .await
            .map(|_| ())
    }
}

/// A plan-item command caused by an announcement command: same actor and correlation, a fresh id.
fn sub(meta: &CommandMeta) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: Some(meta.correlation_id.unwrap_or(meta.command_id)),
        causation_id: Some(meta.command_id),
        actor: meta.actor.clone(),
        unread_notices: meta.unread_notices.clone(),
    }
}
