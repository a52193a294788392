//! The voting read models: the commission (who may vote), each member's decision per
//! application × lot, and «Контроль голосования» (quorum and counters per lot) as the domain
//! computes it.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::announcements::{Folded, clear};
use crate::projection::ProjectionError;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    commission(tx, ids, folded).await?;
    ballots(tx, ids, folded).await?;
    control(tx, ids, folded).await
}

async fn commission(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    clear(tx, "commission_members", ids).await?;
    let mut rows: Vec<(Uuid, String, String, &str, bool)> = Vec::new();
    for f in folded {
        let Some(c) = &f.state.commission else {
            continue;
        };
        let voter = |function| {
            move |p: &zakup_domain::commission::Person| {
                let active = !f.state.excluded_voters.contains(&p.iin);
                (
                    f.id,
                    p.iin.to_string(),
                    p.full_name.clone(),
                    function,
                    active,
                )
            }
        };
        rows.push(voter("chairman")(&c.chairman));
        rows.extend(c.members.iter().map(voter("member")));
        rows.push((
            f.id,
            c.secretary.iin.to_string(),
            c.secretary.full_name.clone(),
            "secretary",
            true,
        ));
    }
    sqlx::query(
        "INSERT INTO commission_members (announcement_id, iin, full_name, function, active)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[])
         ON CONFLICT DO NOTHING",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn ballots(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    clear(tx, "votes", ids).await?;
    let rows: Vec<_> = folded
        .iter()
        .flat_map(|f| {
            f.state.votes.iter().flat_map(move |((app, iin), ballot)| {
                ballot.lots.iter().map(move |lot| {
                    (
                        f.id,
                        app.0,
                        iin.to_string(),
                        lot.plan_item_id.0.clone(),
                        ballot.decision_for(&lot.plan_item_id).id(),
                    )
                })
            })
        })
        .collect();
    sqlx::query(
        "INSERT INTO votes (announcement_id, application_id, member_iin, plan_item_id, decision)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn control(
    tx: &mut PgConnection,
    ids: &[Uuid],
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    clear(tx, "voting_control", ids).await?;
    // Only while the commission reviews: afterwards the final decisions speak.
    let rows: Vec<_> = folded
        .iter()
        .filter(|f| f.state.round.is_some() && !f.state.voting_completed)
        .flat_map(|f| {
            f.state.voting_control().into_iter().flat_map(move |lot| {
                lot.applications.into_iter().map(move |t| {
                    (
                        f.id,
                        lot.plan_item_id.0.clone(),
                        lot.status.id(),
                        t.application_id.0,
                        t.admitted as i32,
                        t.not_admitted as i32,
                        t.not_voted as i32,
                    )
                })
            })
        })
        .collect();
    sqlx::query(
        "INSERT INTO voting_control (announcement_id, plan_item_id, status, application_id,
             admitted, not_admitted, not_voted)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::int[],
             $6::int[], $7::int[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.clone()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.6).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
