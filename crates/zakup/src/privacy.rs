//! `zakup forget` and `zakup seal-personal-data` (issue 18 item 5, decisions 0840–0842).

use std::process::ExitCode;

use uuid::Uuid;
use zakup_domain::ident::Iin;
use zakup_domain::privacy::{
    CATEGORY, PersonForgotten, PersonalDataSealed, PrivacyEvent, is_person,
};
use zakup_store::shred::{Sealer, fields::erased};
use zakup_store::{ExpectedVersion, Metadata, NewEvent, StoreError, StreamId};
use zakup_store_pg::sealing::SealedStream;

use crate::Error;
use crate::config::Config;
use crate::connect::Environment;

/// A record of the privacy stream, in the operator's name.
fn record(
    config: &Config,
    stream: StreamId,
    event: PrivacyEvent,
) -> Result<(StreamId, NewEvent), StoreError> {
    let operator = config
        .operator()
        .map_err(|e| StoreError::InvalidEvent(e.to_string()))?;
    let (event_type, schema_version, payload) = event.to_stored();
    let command_id = Uuid::new_v4();
    let event = NewEvent {
        event_id: NewEvent::id_for(command_id, &stream, 0),
        event_type: event_type.to_owned(),
        schema_version,
        payload,
        metadata: Metadata {
            command_id,
            correlation_id: command_id,
            causation_id: None,
            actor: zakup_engine::store_actor(&operator),
            occurred_at: chrono::Utc::now(),
            sandbox: false,
        },
    };
    Ok((stream, event))
}

/// Destroys the person's key, records it, and rebuilds every read model from the log, in which
/// the person now reads as erased; the old generations, which held them in clear, are dropped.
pub async fn forget(config: &Config, env: &Environment, iin: &str) -> Result<ExitCode, Error> {
    let iin: Iin = iin
        .parse()
        .map_err(|e| format!("{iin:?} is not an ИИН: {e:?}"))?;
    let iin = iin.to_string();
    // A running server keeps the person in its folds and caches (decision 0843).
    let serving: Vec<_> = zakup_projections::lease::holders(&env.pool)
        .await?
        .into_iter()
        .filter(|l| l.valid)
        .collect();
    if let Some(l) = serving.first() {
        return Err(format!(
            "a server ({}) holds the {} lease until {}: stop every `zakup serve` first, it keeps \
             the person in memory (decision 0843)",
            l.holder,
            l.name,
            l.expires_at.to_rfc3339()
        )
        .into());
    }
    let sealer = Sealer::new(env.keyring.clone(), is_person);
    let forgotten = |id: Uuid| {
        let stream = StreamId::new(CATEGORY, id)?;
        let event = PrivacyEvent::Forgotten(PersonForgotten {
            key_id: id,
            erased_as: erased(id),
        });
        record(config, stream, event)
    };
    let id = match &env.pg {
        Some(pg) => env.keyring.forget(pg, &sealer, &iin, forgotten).await?,
        None => forget_elsewhere(env, &sealer, &iin, forgotten).await?,
    };
    let Some(id) = id else {
        println!("zakup: no key for this ИИН: never named since sealing began, or forgotten");
        return Ok(ExitCode::SUCCESS);
    };
    println!(
        "zakup: key {id} destroyed; the person now reads as {}",
        erased(id)
    );
    let all = zakup_projections::all();
    let projections: Vec<_> = all.iter().map(|p| p.as_ref()).collect();
    let reports =
        zakup_projections::rebuild_together(&env.pool, env.store.as_ref(), &projections, |_, _| {})
            .await?;
    println!("zakup: {} read models rebuilt without them", reports.len());
    Ok(ExitCode::SUCCESS)
}

/// On a backend whose log is not in PostgreSQL: the record first, then the key. A crash between
/// the two leaves the record, and running the command again destroys the key.
async fn forget_elsewhere(
    env: &Environment,
    sealer: &Sealer,
    iin: &str,
    record: impl FnOnce(Uuid) -> Result<(StreamId, NewEvent), StoreError>,
) -> Result<Option<Uuid>, Error> {
    let Some(id) = env.keyring.key_id(iin).await? else {
        return Ok(None);
    };
    let (stream, event) = record(id)?;
    let mut event = vec![event];
    sealer.seal(&mut event).await?;
    match env
        .raw
        .append(&stream, ExpectedVersion::NoStream, event)
        .await
    {
        Ok(_) | Err(StoreError::Conflict { .. }) => {}
        Err(e) => return Err(e.into()),
    }
    env.keyring.destroy(iin, id).await?;
    Ok(Some(id))
}

/// Seals the personal values of the events written before sealing began (PostgreSQL only).
pub async fn seal(config: &Config, env: &Environment) -> Result<ExitCode, Error> {
    let Some(pg) = &env.pg else {
        return Err(
            "events on KurrentDB cannot be rewritten: seal-personal-data runs on the \
                    PostgreSQL event store only (decision 0842)"
                .into(),
        );
    };
    let sealer = Sealer::new(env.keyring.clone(), is_person);
    let run = Uuid::new_v4();
    let mut n = 0;
    let record_of = |done: &SealedStream| {
        n += 1;
        let stream = StreamId::new(CATEGORY, format!("sealed-{run}-{n}"))?;
        let event = PrivacyEvent::Sealed(PersonalDataSealed {
            stream_id: done.stream.to_string(),
            events: done.events,
            values: done.values,
            previous_head: done.previous_head.clone(),
            head: done.head.clone(),
        });
        record(config, stream, event)
    };
    let sealed = zakup_store_pg::sealing::seal_plaintext(pg, &sealer, CATEGORY, record_of).await?;
    for s in &sealed {
        println!(
            "sealed {}: {} values in {} events; head {} -> {}",
            s.stream, s.values, s.events, s.previous_head, s.head
        );
    }
    println!(
        "zakup: {} streams sealed and re-chained, each recorded on a {CATEGORY}- stream",
        sealed.len()
    );
    Ok(ExitCode::SUCCESS)
}
