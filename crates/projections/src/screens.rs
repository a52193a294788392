//! The `announcement_screens` read model: each announcement's [`ScreenView`] as one document.

use sqlx::PgConnection;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::ScreenView;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        // A stream without a header shows no announcement, and so no screen.
        if fold.state.header.is_none() {
            return Vec::new();
        }
        vec![(*id, ScreenView::of(&fold.state))]
    });
    clear(tx, "announcement_screens", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    let screens = rows
        .iter()
        .map(|(_, s)| s.to_json())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| ProjectionError::Event {
            event_type: "announcement".into(),
            why: e.to_string(),
        })?;
    sqlx::query(
        "INSERT INTO announcement_screens (announcement_id, screen)
         SELECT * FROM unnest($1::uuid[], $2::jsonb[])",
    )
    .bind(rows.iter().map(|(id, _)| *id).collect::<Vec<_>>())
    .bind(screens)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
