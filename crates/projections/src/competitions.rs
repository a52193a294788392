//! The `competitions` read model (spec 002-003 §9.2, decision 0910): «Менің конкурстарым
//! (ұйымдастырушы)», one row per competition folded with the domain's own `evolve`, and the chat's
//! notifications (C4, decision 0915), one row per message and recipient, as
//! `Competition::chat_recipients` names them.

use futures::future::BoxFuture;
use sqlx::PgConnection;
use zakup_domain::competition::{ChatRecipient, Competition, CompetitionEvent};
use zakup_domain::kernel::Decider;
use zakup_store::{EventStore, Filter, RecordedEvent};

use crate::history::{Change, Folds};
use crate::projection::{Projection, ProjectionError};

pub struct Competitions {
    folds: Folds<Competition>,
}

impl Competitions {
    pub fn new() -> Self {
        Competitions {
            folds: Folds::new(step),
        }
    }
}

impl Default for Competitions {
    fn default() -> Self {
        Self::new()
    }
}

const MIGRATIONS: &[&str] = &[include_str!(
    "../../../projections/competitions/0001_competitions.sql"
)];

impl Projection for Competitions {
    fn name(&self) -> &'static str {
        "competitions"
    }

    fn filter(&self) -> Filter {
        Filter::categories([Competition::CATEGORY])
    }

    fn migrations(&self) -> &'static [&'static str] {
        MIGRATIONS
    }

    fn tables(&self) -> &'static [&'static str] {
        &["competitions", "competition_notifications"]
    }

    fn apply<'a>(
        &'a self,
        tx: &'a mut PgConnection,
        store: &'a dyn EventStore,
        events: &'a [&'a RecordedEvent],
    ) -> BoxFuture<'a, Result<(), ProjectionError>> {
        Box::pin(async move {
            let folds = self.folds.fold(store, events).await?;
            for Change { after, last, .. } in folds.values() {
                upsert(tx, after, last).await?;
            }
            for e in events
                .iter()
                .filter(|e| e.event_type == "CompetitionChatMessagePosted")
            {
                let Some(Change { after, .. }) = folds.get(e.stream_id.as_str()) else {
                    continue;
                };
                notify(tx, after, e).await?;
            }
            Ok(())
        })
    }
}

async fn upsert(
    tx: &mut PgConnection,
    c: &Competition,
    last: &RecordedEvent,
) -> Result<(), ProjectionError> {
    let (Some(id), Some(created), Some(general), Some(status)) =
        (c.id, c.created.as_ref(), c.general(), c.status)
    else {
        return Ok(());
    };
    sqlx::query("DELETE FROM competitions WHERE competition_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // A deleted draft leaves the list (W3).
    if c.deleted {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO competitions (competition_id, organizer_bin, created_by, status, method,
             name_kk, name_ru, name_en, created_at, updated_at, version)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(id)
    .bind(created.organizer_bin.to_string())
    .bind(created.created_by.to_string())
    .bind(status.id())
    .bind(general.method.id())
    .bind(&general.name_kk)
    .bind(&general.name_ru)
    .bind(&general.name_en)
    .bind(created.created_at)
    .bind(last.metadata.occurred_at)
    .bind(last.version as i64)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn notify(
    tx: &mut PgConnection,
    c: &Competition,
    e: &RecordedEvent,
) -> Result<(), ProjectionError> {
    let Ok(CompetitionEvent::ChatMessagePosted(m)) =
        CompetitionEvent::from_stored(&e.event_type, e.schema_version, &e.payload)
    else {
        return Ok(());
    };
    let Some(id) = c.id else { return Ok(()) };
    for to in c.chat_recipients(m.message_id) {
        let (kind, recipient, role) = match to {
            ChatRecipient::Organizer(bin) => ("organisation", bin.to_string(), "organizer"),
            ChatRecipient::Initiator(iin) => ("person", iin.to_string(), "initiator"),
            ChatRecipient::StatePartner(iin) => ("person", iin.to_string(), "state_partner"),
            ChatRecipient::Participant(iin) => ("person", iin.to_string(), "chat_participant"),
        };
        sqlx::query(
            "INSERT INTO competition_notifications (message_id, event_id, competition_id,
                 recipient_kind, recipient, recipient_role, text, author_bin, sent_at,
                 position_major, position_minor)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT DO NOTHING",
        )
        .bind(m.message_id)
        .bind(e.event_id)
        .bind(id)
        .bind(kind)
        .bind(recipient)
        .bind(role)
        .bind(&m.text)
        .bind(m.author_bin.to_string())
        .bind(m.sent_at)
        .bind(e.position.major as i64)
        .bind(e.position.minor as i64)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

fn step(c: &mut Competition, e: &RecordedEvent) -> Result<(), ProjectionError> {
    let event = CompetitionEvent::from_stored(&e.event_type, e.schema_version, &e.payload)
        .map_err(|why| ProjectionError::Event {
            event_type: e.event_type.clone(),
            why: why.to_string(),
        })?;
    c.evolve(&event);
    Ok(())
}
