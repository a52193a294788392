//! The voting read models: the commission (who may vote), each member's decision per
//! application × lot, and «Контроль голосования» (quorum and counters per lot) as the domain
//! computes it.

use sqlx::PgConnection;
use uuid::Uuid;

use zakup_domain::announcement::Announcement;

use crate::announcements::{Folded, clear, rewrite};
use crate::history::Rewrite;
use crate::projection::ProjectionError;

pub(crate) async fn replace(
    tx: &mut PgConnection,
    folded: &[Folded<'_>],
) -> Result<(), ProjectionError> {
    commission(tx, folded).await?;
    ballots(tx, folded).await?;
    control(tx, folded).await
}

type Member<'a> = (Uuid, String, &'a str, &'static str, bool);

fn members<'a>(id: &Uuid, a: &'a Announcement) -> Vec<Member<'a>> {
    let Some(c) = &a.commission else {
        return Vec::new();
    };
    let voter = |function| {
        move |p: &'a zakup_domain::commission::Person| {
            let active = !a.voting.excluded_voters.contains(&p.iin);
            (
                *id,
                p.iin.to_string(),
                p.full_name.as_str(),
                function,
                active,
            )
        }
    };
    let mut rows = vec![voter("chairman")(&c.chairman)];
    rows.extend(c.members.iter().map(voter("member")));
    rows.push((
        *id,
        c.secretary.iin.to_string(),
        c.secretary.full_name.as_str(),
        "secretary",
        true,
    ));
    rows
}

async fn commission(tx: &mut PgConnection, folded: &[Folded<'_>]) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, members);
    clear(tx, "commission_members", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO commission_members (announcement_id, iin, full_name, function, active)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::bool[])
         ON CONFLICT DO NOTHING",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

type Vote<'a> = (Uuid, Uuid, String, &'a str, &'static str);

fn votes<'a>(id: &Uuid, a: &'a Announcement) -> Vec<Vote<'a>> {
    a.voting
        .votes
        .iter()
        .flat_map(|((app, iin), ballot)| {
            ballot.lots.iter().map(move |lot| {
                (
                    *id,
                    app.0,
                    iin.to_string(),
                    lot.plan_item_id.0.as_str(),
                    ballot.decision_for(&lot.plan_item_id).id(),
                )
            })
        })
        .collect()
}

async fn ballots(tx: &mut PgConnection, folded: &[Folded<'_>]) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, votes);
    clear(tx, "votes", &ids).await?;
    if rows.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO votes (announcement_id, application_id, member_iin, plan_item_id, decision)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[])",
    )
    .bind(rows.iter().map(|r| r.0).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.1).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

type Control = (Uuid, String, &'static str, Uuid, i32, i32, i32);

fn tallies(id: &Uuid, a: &Announcement) -> Vec<Control> {
    // Only while the commission reviews: afterwards the final decisions speak.
    if a.voting.round.is_none() || a.voting.completed {
        return Vec::new();
    }
    a.voting_control()
        .into_iter()
        .flat_map(|lot| {
            lot.applications.into_iter().map(move |t| {
                (
                    *id,
                    lot.plan_item_id.0.clone(),
                    lot.status.id(),
                    t.application_id.0,
                    t.admitted as i32,
                    t.not_admitted as i32,
                    t.not_voted as i32,
                )
            })
        })
        .collect()
}

async fn control(tx: &mut PgConnection, folded: &[Folded<'_>]) -> Result<(), ProjectionError> {
    let Rewrite { clear: ids, rows } = rewrite(folded, tallies);
    clear(tx, "voting_control", &ids).await?;
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
    .bind(rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.2).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.3).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.4).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.5).collect::<Vec<_>>())
    .bind(rows.iter().map(|r| r.6).collect::<Vec<_>>())
    .execute(&mut *tx)
    .await?;
    Ok(())
}
