//! The guarantees' workflow (docs/decisions/0853): the procurement's outcome (a cancellation, a
//! completed procedure, a winner who evades the contract) asks the bank to return or hold the
//! application securities on it. Each step is one write to the guarantee's stream, computed from
//! the guarantee and its announcement as the streams say now (`Guarantee::outcome_request`), its
//! command id derived from the guarantee and the request: a crash after the write is answered from
//! the record on the next tick, after a restart too, and nothing is asked twice.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::Announcement;
use zakup_domain::guarantee::{Guarantee, GuaranteeCommand, ProcedureFacts, RequestKind};
use zakup_domain::kernel::file::FileRef;
use zakup_domain::plan_item::PlanItemId;
use zakup_store::{Filter, Position};

use crate::lot_pool::runner::ProcessStep;
use crate::{CommandMeta, Decider, Engine, EngineError, Outcome, decode};

/// What a tick asked for one guarantee, or why it stopped.
#[derive(Debug)]
pub struct GuaranteeRequested {
    pub guarantee_id: Uuid,
    pub command: GuaranteeCommand,
    pub result: Result<(), EngineError>,
}

/// Sends the requests the procurements' outcomes start, beside the scheduler.
pub struct GuaranteeRunner {
    engine: Engine,
    system: Actor,
    folded: tokio::sync::Mutex<Folded>,
}

#[derive(Default)]
struct Folded {
    after: Option<Position>,
    guarantees: HashMap<Uuid, Guarantee>,
}

impl GuaranteeRunner {
    /// `system` acts for the portal (`scheduler::system_actor`).
    pub fn new(engine: Engine, system: Actor) -> Self {
        GuaranteeRunner {
            engine,
            system,
            folded: Default::default(),
        }
    }

    /// Sends every request due; what each one did (one failure does not hold the others back).
    pub async fn tick(&self) -> Result<Vec<GuaranteeRequested>, EngineError> {
        let waiting: Vec<(Uuid, Uuid)> = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            folded
                .guarantees
                .iter()
                .filter(|(_, g)| g.request.is_none() && g.active_lots().next().is_some())
                .filter_map(|(id, g)| Some((*id, g.issued.as_ref()?.announcement_id)))
                .collect()
        };
        let mut announcements: HashMap<Uuid, Arc<Announcement>> = HashMap::new();
        let mut requested = Vec::new();
        for (guarantee_id, announcement_id) in waiting {
            let announcement = match announcements.get(&announcement_id) {
                Some(a) => a.clone(),
                None => {
                    let stream = Engine::stream::<Announcement>(&announcement_id.to_string())?;
                    let a = self.engine.current::<Announcement>(&stream).await?.state;
                    announcements.insert(announcement_id, a.clone());
                    a
                }
            };
            let stream = Engine::stream::<Guarantee>(&guarantee_id.to_string())?;
            // The fold may lag a request just written: read the guarantee as it is now.
            let guarantee = self.engine.current::<Guarantee>(&stream).await?.state;
            let Some(command) = guarantee.outcome_request(&announcement) else {
                continue;
            };
            let result = self.request(guarantee_id, command.clone()).await;
            requested.push(GuaranteeRequested {
                guarantee_id,
                command,
                result,
            });
        }
        Ok(requested)
    }

    /// Ticks forever: on every new event, and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.tick().await {
                Ok(requested) => {
                    for r in requested.iter().filter(|r| r.result.is_err()) {
                        tracing::warn!(
                            guarantee = %r.guarantee_id,
                            result = ?r.result,
                            "guarantee runner: request failed"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "guarantee runner: tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }

    async fn request(
        &self,
        guarantee_id: Uuid,
        command: GuaranteeCommand,
    ) -> Result<(), EngineError> {
        let GuaranteeCommand::RequestByProcedure {
            request,
            plan_item_ids,
            cause,
            ..
        } = &command
        else {
            unreachable!("outcome_request answers RequestByProcedure only");
        };
        let lots: Vec<&str> = plan_item_ids.iter().map(|id| id.0.as_str()).collect();
        // The same request on the same lots for the same cause is one command: asked again after
        // a crash (or after the bank refused it), it is answered from the record.
        let step = format!(
            "guarantee/{}/{}/{}",
            request.id(),
            cause.id(),
            lots.join(",")
        );
        let meta = CommandMeta {
            command_id: Uuid::new_v5(&guarantee_id, step.as_bytes()),
            correlation_id: Some(guarantee_id),
            causation_id: None,
            actor: self.system.clone(),
            unread_notices: Default::default(),
        };
        self.engine
            .execute::<Guarantee>(&guarantee_id.to_string(), &meta, command)
            .await?;
        self.engine.reached(ProcessStep::GuaranteeRequested)
    }
}

impl Folded {
    /// Folds the guarantees' events after where it last read.
    async fn catch_up(&mut self, engine: &Engine) -> Result<(), EngineError> {
        let filter = Filter::categories([Guarantee::CATEGORY]);
        loop {
            let page = engine
                .store()
                .read_all_through(self.after, &filter, 1000)
                .await?;
            for recorded in &page.events {
                let Some(id) = recorded
                    .stream_id
                    .as_str()
                    .strip_prefix("guarantee-")
                    .and_then(|id| Uuid::parse_str(id).ok())
                else {
                    continue;
                };
                let event = decode::<Guarantee>(recorded)?;
                self.guarantees.entry(id).or_default().apply(&event);
            }
            let through = page.through.or(page.events.last().map(|e| e.position));
            if let Some(through) = through {
                self.after = Some(self.after.map_or(through, |a| a.max(through)));
            }
            if page.events.is_empty() {
                return Ok(());
            }
        }
    }
}

impl Engine {
    /// «Сформировать форму удержания / аннулирования» (G2, G8): the beneficiary's form, decided on
    /// the facts of the guarantee's announcement as its stream says now (decision 0852).
    pub async fn generate_guarantee_form(
        &self,
        guarantee_id: Uuid,
        meta: &CommandMeta,
        request: RequestKind,
        plan_item_ids: Vec<PlanItemId>,
        grounds: String,
        documents: Vec<FileRef>,
    ) -> Result<Outcome, EngineError> {
        let stream = Engine::stream::<Guarantee>(&guarantee_id.to_string())?;
        let guarantee = self.current::<Guarantee>(&stream).await?.state;
        let facts = match &guarantee.issued {
            Some(issued) => {
                let id = issued.announcement_id.to_string();
                let announcement = self
                    .current::<Announcement>(&Engine::stream::<Announcement>(&id)?)
                    .await?
                    .state;
                ProcedureFacts::of(&announcement, &plan_item_ids)
            }
            // Refused as not found by the decision.
            None => ProcedureFacts::default(),
        };
        let command = GuaranteeCommand::GenerateForm {
            request,
            plan_item_ids,
            grounds,
            documents,
            facts,
        };
        self.execute::<Guarantee>(&guarantee_id.to_string(), meta, command)
            .await
    }
}
