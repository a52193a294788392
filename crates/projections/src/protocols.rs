//! The `protocols` read model: every version of every protocol, as [`ProtocolView`] shows it.

use sqlx::PgConnection;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::ProtocolView;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        ProtocolView::all(&fold.state)
            .into_iter()
            .map(|p| (*id, p))
            .collect()
    });
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
             content_sha256, formed_at, published_at, signer_iins, content, deleted_at,
             formation)
         SELECT p.id, p.kind, p.version, p.validity, p.automatic, p.sha, p.formed_at,
                p.published_at, string_to_array(p.signers, ','), p.content, p.deleted_at,
                p.formation
           FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::bool[], $6::text[],
                       $7::timestamptz[], $8::timestamptz[], $9::text[], $10::jsonb[],
                       $11::timestamptz[], $12::int[])
             AS p(id, kind, version, validity, automatic, sha, formed_at, published_at,
                  signers, content, deleted_at, formation)",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, p)| p.kind.id()).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| p.version as i32)
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
            .map(|(_, p)| p.content_sha256.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|(_, p)| p.formed_at).collect::<Vec<_>>())
    .bind(rows.iter().map(|(_, p)| p.published_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| p.signer_iins.join(","))
            .collect::<Vec<_>>(),
    )
    .bind(contents)
    .bind(rows.iter().map(|(_, p)| p.deleted_at).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|(_, p)| p.formation as i32)
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
