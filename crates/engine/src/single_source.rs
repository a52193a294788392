//! The automatic single source (spec 000-C A1–A2; docs/decisions/0724): a workflow across two
//! streams. For every completed ЗЦП with lots that failed with «подана одна заявка», per
//! supplier: (1) create and publish the ИОИ on its own stream for the ЗЦП's creator (the lot
//! pool's process reserves the plan items), (2) record it on the ЗЦП. Whether a step is done is
//! what the streams say, and each step's command id derives from the ЗЦП and the supplier, so a
//! step done twice is answered from the record: a crash between the steps is completed by the
//! next tick, after a restart too, with no second ИОИ.

use std::sync::Arc;
use std::time::Duration;

use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::{Announcement, AnnouncementCommand};
use zakup_domain::ident::Bin;

use crate::lot_pool::runner::ProcessStep;
use crate::scheduler::Folded;
use crate::{CommandMeta, Engine, EngineError};

/// What a tick did for one failed ЗЦП and one invited supplier.
#[derive(Debug)]
pub struct SingleSourceAdvanced {
    pub failed_announcement_id: Uuid,
    pub supplier_bin: Bin,
    /// The ИОИ's id, once created and recorded; why it stopped otherwise.
    pub result: Result<Uuid, EngineError>,
}

/// Starts the automatic single sources, beside the scheduler.
pub struct SingleSourceRunner {
    engine: Engine,
    system: Actor,
    folded: tokio::sync::Mutex<Folded>,
}

/// The ИОИ that follows the ЗЦП `failed` for `supplier`: one id whoever computes it.
pub fn single_source_id(failed: Uuid, supplier: &Bin) -> Uuid {
    Uuid::new_v5(&failed, format!("single-source/{supplier}").as_bytes())
}

impl SingleSourceRunner {
    /// `system` acts for the portal (`scheduler::system_actor`).
    pub fn new(engine: Engine, system: Actor) -> Self {
        SingleSourceRunner {
            engine,
            system,
            // A failed ЗЦП is completed: kept while a lot waits for its single source.
            folded: tokio::sync::Mutex::new(Folded::new(|a| !a.one_application_lots().is_empty())),
        }
    }

    /// Starts every single source that waits; what each one did, or why it stopped (one
    /// failure does not hold the others back).
    pub async fn tick(&self) -> Result<Vec<SingleSourceAdvanced>, EngineError> {
        let waiting: Vec<(Uuid, Bin)> = {
            let mut folded = self.folded.lock().await;
            folded.catch_up(&self.engine).await?;
            folded
                .iter()
                .flat_map(|(id, a)| {
                    a.one_application_lots()
                        .into_keys()
                        .map(move |bin| (id, bin))
                })
                .collect()
        };
        let mut started = Vec::with_capacity(waiting.len());
        for (failed_announcement_id, supplier_bin) in waiting {
            let result = self.start(failed_announcement_id, supplier_bin).await;
            started.push(SingleSourceAdvanced {
                failed_announcement_id,
                supplier_bin,
                result,
            });
        }
        Ok(started)
    }

    /// Ticks forever: on every new event, and at least every `interval`.
    pub async fn run(self: Arc<Self>, interval: Duration) {
        let mut changes = self.engine.store().changes();
        loop {
            match self.tick().await {
                Ok(started) => {
                    for s in started.iter().filter(|s| s.result.is_err()) {
                        tracing::warn!(
                            announcement = %s.failed_announcement_id,
                            result = ?s.result,
                            "single source runner: step failed"
                        );
                    }
                }
                Err(e) => tracing::error!(error = %e, "single source runner: tick failed"),
            }
            let _ = tokio::time::timeout(interval, changes.changed()).await;
        }
    }

    /// One ЗЦП and supplier, step after step, each read back from the streams.
    async fn start(&self, failed: Uuid, supplier: Bin) -> Result<Uuid, EngineError> {
        let engine = &self.engine;
        let stream = Engine::stream::<Announcement>(&failed.to_string())?;
        let source = engine.current::<Announcement>(&stream).await?.state;
        if !source.one_application_lots().contains_key(&supplier) {
            // Recorded since the fold was read.
            return Ok(single_source_id(failed, &supplier));
        }
        let id = single_source_id(failed, &supplier);
        let created = engine
            .current::<Announcement>(&Engine::stream::<Announcement>(&id.to_string())?)
            .await?;
        if created.state.status.is_none() {
            let (Some(organizer), Some(creator)) = (source.organizer_bin, source.creator_iin)
            else {
                return Err(EngineError::Refused(
                    zakup_domain::announcement::refusal::announcement_not_found(),
                ));
            };
            // The ЗЦП's creator drafts for its organizer (L6900–6916), through the portal.
            let actor = Actor {
                user_id: self.system.user_id.clone(),
                iin: creator,
                org: organizer,
                roles: vec![Role::Organizer],
            };
            let create = AnnouncementCommand::CreateSingleSource {
                announcement_id: id,
                number: format!("{}-ИОИ", source.number),
                source: Box::new(Announcement::clone(&source)),
                supplier_bin: supplier,
            };
            let meta = self.meta(failed, &supplier, "create", actor);
            engine.run_announcement(id, &meta, create).await?;
        }
        engine.reached(ProcessStep::SingleSourceCreated)?;
        let record = AnnouncementCommand::RecordSingleSource {
            single_source_announcement_id: id,
            supplier_bin: supplier,
        };
        let meta = self.meta(failed, &supplier, "record", self.system.clone());
        engine.run_announcement(failed, &meta, record).await?;
        Ok(id)
    }

    fn meta(&self, failed: Uuid, supplier: &Bin, step: &str, actor: Actor) -> CommandMeta {
        CommandMeta {
            command_id: Uuid::new_v5(
                &failed,
                format!("single-source-{step}/{supplier}").as_bytes(),
            ),
            correlation_id: Some(failed),
            causation_id: None,
            actor,
            unread_notices: Default::default(),
        }
    }
}
