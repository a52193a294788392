//! The auction's bidding and its results workflow (spec 000-B P5–P7; docs/decisions/0703–0705).
//!
//! Bidding runs on its own stream `auction-<announcement id>` ([`Engine::bidding`]). The
//! [`AuctionRunner`] takes every auction in «Опубликовано (проведение аукциона)» through three
//! steps: open the bidding for the admitted suppliers, end the round once its end has passed,
//! and bring the end to the announcement (`CompleteAuction`), which forms the results protocol and
//! completes through the lot pool's process. Whether a step is done is what the two streams say,
//! and each step's command id derives from the announcement, so a step done twice is answered from
//! the record: a crash between steps is completed by the next tick, after a restart too.
//! An auction cancelled during bidding takes one step instead: its bidding is closed, so that no
//! offer is taken any more (docs/decisions/0715).

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::{Announcement, AnnouncementCommand};
use zakup_domain::bidding::{Bidding, BiddingCommand};
use zakup_domain::status::AnnouncementStatus;

use crate::lot_pool::runner::ProcessStep;
use crate::scheduler::Folded;
use zakup_store::Position;

use crate::{CommandMeta, Engine, EngineError, Outcome};

impl Engine {
    /// A command on the bidding stream of the auction `announcement_id`: offers contend only
    /// with offers.
    pub async fn bidding(
        &self,
        announcement_id: Uuid,
        meta: &CommandMeta,
        command: BiddingCommand,
    ) -> Result<Outcome, EngineError> {
        self.execute::<Bidding>(&announcement_id.to_string(), meta, command)
            .await
    }

    pub async fn current_bidding(&self, announcement_id: Uuid) -> Result<Bidding, EngineError> {
        let stream = Self::stream::<Bidding>(&announcement_id.to_string())?;
        Ok(Bidding::clone(
            &self.current::<Bidding>(&stream).await?.state,
        ))
    }
}

/// A step of an auction's results workflow that a tick performed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuctionStep {
    Opened,
    Ended,
    Completed,
    /// The announcement was cancelled during bidding: its bidding is closed.
    Closed,
}

/// What a tick did for one auction.
#[derive(Debug)]
pub struct AuctionAdvanced {
    pub announcement_id: Uuid,
    pub result: Result<Vec<AuctionStep>, EngineError>,
}

/// Drives the auctions in bidding, beside the scheduler.
pub struct AuctionRunner {
    engine: Engine,
    system: Actor,
    folded: tokio::sync::Mutex<Folded>,
}

impl AuctionRunner {
    /// `system` acts for the portal (`scheduler::system_actor`).
    pub fn new(engine: Engine, system: Actor) -> Self {
        AuctionRunner {
            engine,
            system,
            folded: tokio::sync::Mutex::new(Folded::new(crate::scheduler::in_bidding)),
        }
    }

    /// Takes every auction in bidding as far as the clock allows; what each one did, or why it
    /// stopped (one auction's failure does not hold the others back).
    pub async fn tick(&self) -> Result<Vec<AuctionAdvanced>, EngineError> {
        let bidding: Vec<Uuid> = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            folded.in_bidding()
        };
        let mut advanced = Vec::with_capacity(bidding.len());
        for announcement_id in bidding {
            let result = self.advance(announcement_id).await.map(|(done, _)| done);
            advanced.push(AuctionAdvanced {
                announcement_id,
                result,
            });
        }
        Ok(advanced)
    }

    /// Ticks forever: on every new event, and at least every `interval` (a round ends by the
    /// clock, with no event to wake the runner).
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.tick().await {
                Ok(advanced) => {
                    for a in advanced.iter().filter(|a| a.result.is_err()) {
                        tracing::warn!(
                            announcement = %a.announcement_id,
                            result = ?a.result,
                            "auction runner: step failed"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "auction runner: tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }

    /// When auction `id`'s next step falls due, if at or before `until`: opening and
    /// completion as soon as they can be done (now), the end at the round's end. A sandbox move
    /// holds its clock there and [`AuctionRunner::advance`]s it (decision 0712).
    pub(crate) async fn due(
        &self,
        id: Uuid,
        until: DateTime<Utc>,
    ) -> Result<Option<DateTime<Utc>>, EngineError> {
        let bidding = self.engine.current_bidding(id).await?;
        let now = self.engine.clock().now();
        if self.cancelled(id).await? {
            let open = bidding.round.is_some() && bidding.over_at().is_none();
            return Ok(open.then_some(now));
        }
        let at = match (&bidding.ended, bidding.round) {
            (Some(_), _) | (None, None) => now,
            (None, Some(round)) => round.end().max(now),
        };
        Ok((at <= until).then_some(at))
    }

    /// One auction, step after step, each read back from the streams; the steps done and where
    /// the last one's events were appended.
    pub(crate) async fn advance(
        &self,
        id: Uuid,
    ) -> Result<(Vec<AuctionStep>, Option<Position>), EngineError> {
        let engine = &self.engine;
        let mut done = Vec::new();
        let mut position = None;
        let bidding = engine.current_bidding(id).await?;
        if self.cancelled(id).await? {
            if bidding.round.is_some() && bidding.over_at().is_none() {
                position = engine
                    .bidding(id, &self.meta(id, "close"), BiddingCommand::Close)
                    .await?
                    .position;
                done.push(AuctionStep::Closed);
            }
            return Ok((done, position));
        }
        if bidding.opened.is_none() {
            let stream = Engine::stream::<Announcement>(&id.to_string())?;
            let announcement = engine.current::<Announcement>(&stream).await?.state;
            let Some(open) = announcement.bidding_opening() else {
                return Ok((done, position));
            };
            position = engine
                .bidding(id, &self.meta(id, "open"), open)
                .await?
                .position;
            engine.reached(ProcessStep::BiddingOpened)?;
            done.push(AuctionStep::Opened);
        }
        let mut bidding = engine.current_bidding(id).await?;
        let now: DateTime<Utc> = engine.clock().now();
        if bidding.ended.is_none() && bidding.round.is_some_and(|r| now >= r.end()) {
            position = engine
                .bidding(id, &self.meta(id, "end"), BiddingCommand::End)
                .await?
                .position;
            engine.reached(ProcessStep::BiddingEnded)?;
            done.push(AuctionStep::Ended);
            bidding = engine.current_bidding(id).await?;
        }
        if let Some(ended) = bidding.ended {
            let complete = AnnouncementCommand::CompleteAuction { ended };
            position = engine
                .run_announcement(id, &self.meta(id, "results"), complete)
                .await?
                .position
                .or(position);
            done.push(AuctionStep::Completed);
        }
        Ok((done, position))
    }

    async fn cancelled(&self, id: Uuid) -> Result<bool, EngineError> {
        let stream = Engine::stream::<Announcement>(&id.to_string())?;
        let announcement = self.engine.current::<Announcement>(&stream).await?;
        Ok(announcement.state.status == Some(AnnouncementStatus::Cancelled))
    }

    fn meta(&self, id: Uuid, step: &str) -> CommandMeta {
        CommandMeta {
            command_id: Uuid::new_v5(&id, format!("auction-{step}").as_bytes()),
            correlation_id: Some(id),
            causation_id: None,
            actor: self.system.clone(),
            unread_notices: Default::default(),
        }
    }
}
