//! The `protocols` read model: every version of every protocol, with the validity the domain's
//! fold gives it (a new version makes the previous one «Не действительный»), its signatures and
//! its signed content.

use sqlx::PgConnection;
use uuid::Uuid;

use zakup_domain::announcement::Announcement;
use zakup_domain::protocol::ProtocolVersion;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;

type Row<'a> = (Uuid, &'a ProtocolVersion);

fn rows<'a>(id: &Uuid, a: &'a Announcement) -> Vec<Row<'a>> {
    a.protocols.iter().map(|p| (*id, p)).collect()
}

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, rows);
    clear(tx, "protocols", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let contents = rows
        .iter()
        .map(|(_, p)| serde_json::to_value(&p.content))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectionError::Event {
            event_type: "ProtocolFormed".into(),
            why: e.to_string(),
        })?;
    sqlx::query(
        "INSERT INTO protocols (announcement_id, kind, version, validity, automatic,
             content_sha256, formed_at, published_at, signer_iins, content)
         SELECT p.id, p.kind, p.version, p.validity, p.automatic, p.sha, p.formed_at,
                p.published_at, string_to_array(p.signers, ','), p.content
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::bool[], $6::text[],
                       $7::timestamptz[], $8::timestamptz[], $9::text[], $10::jsonb[])
             AS p(id, kind, version, validity, automatic, sha, formed_at, published_at,
                  signers, content)",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, p)| p.kind().id()).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| p.version() as i32)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| p.validity.id())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, p)| p.automatic).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| p.content_sha256.clone())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|(_, p)| p.content.formed_at)
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, p)| p.published_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| {
                p.signers()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect::<Vec<_>>(),
    )
    .bind(contents)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
