//! The voting read models: `commission_members`, `votes` and `voting_control`, as
//! [`VotingView`] shows them.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;
use crate::views::VotingView;

/// The voting view of every announcement whose voting the batch changed; none for one with no
/// commission yet.
pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, |id, fold| {
        let view = VotingView::of(&fold.state);
        let empty = view.commission.is_empty() && view.votes.is_empty() && view.control.is_empty();
        if empty { Vec::new() } else { vec![(*id, view)] }
    });
    for table in ["commission_members", "votes", "voting_control"] {
        clear(tx, table, &ids).await?;
    }
    commission(tx, &rows).await?;
    ballots(tx, &rows).await?;
    control(tx, &rows).await
}

async fn commission(
    tx: &mut PgConnection,
    views: &[(Uuid, VotingView)],
) -> Result<(), ProjectionError> {
    let rows: Vec<_> = views
        .iter()
        .flat_map(|(id, v)| v.commission.iter().map(move |m| (*id, m)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO commission_members (announcement_id, iin, full_name, function, active)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[])
         ON CONFLICT DO NOTHING",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.iin.as_str()).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.1.full_name.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.1.function).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.active).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn ballots(
    tx: &mut PgConnection,
    views: &[(Uuid, VotingView)],
) -> Result<(), ProjectionError> {
    let rows: Vec<_> = views
        .iter()
        .flat_map(|(id, v)| v.votes.iter().map(move |vote| (*id, vote)))
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO votes (announcement_id, application_id, member_iin, plan_item_id, decision)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.application_id).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.1.member_iin.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.1.plan_item_id.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.1.decision.id()).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn control(
    tx: &mut PgConnection,
    views: &[(Uuid, VotingView)],
) -> Result<(), ProjectionError> {
    let rows: Vec<_> = views
        .iter()
        .flat_map(|(id, v)| {
            v.control
                .iter()
                .flat_map(move |lot| lot.applications.iter().map(move |t| (*id, lot, t)))
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO voting_control (announcement_id, plan_item_id, status, application_id,
             admitted, not_admitted, not_voted)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[],
             $6::int[], $7::int[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.1.plan_item_id.as_str())
            .collect::<Vec<_>>(),
    )
    .bind(rows.iter().map(|r| r.1.status.id()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.application_id).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.admitted as i32).collect::<Vec<_>>())
    .bind(
        rows.iter()
            .map(|r| r.2.not_admitted as i32)
            .collect::<Vec<_>>(),
    )
    .bind(
        rows.iter()
            .map(|r| r.2.not_voted as i32)
            .collect::<Vec<_>>(),
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
