//! Commission voting: who sits on the commission, who voted what, and «Контроль голосования»
//! (quorum reached or not, counters per application) for each lot under review.

use async_graphql::{Result, SimpleObject};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::status::{AdmissionDecision, VotingControlStatus};

use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct CommissionMember {
    pub iin: String,
    pub full_name: String,
    /// `chairman`, `member` or `secretary` (the secretary does not vote).
    pub function: String,
    /// False once excluded by a change of commission.
    pub active: bool,
}

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Vote {
    pub application_id: Uuid,
    pub member_iin: String,
    pub plan_item_id: String,
    pub decision: Term,
}

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct VotingControlLot {
    pub plan_item_id: String,
    /// «Кворум достигнут» / «Нет кворума».
    pub status: Term,
    pub applications: Vec<Tally>,
}

/// «За» / «Против» / «Не голосовал» for one application on one lot.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Tally {
    pub application_id: Uuid,
    pub admitted: i32,
    pub not_admitted: i32,
    pub not_voted: i32,
}

pub async fn commission(pool: &sqlx::PgPool, id: Uuid) -> Result<Vec<CommissionMember>> {
    let rows: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT iin, full_name, function, active FROM rm.commission_members
          WHERE announcement_id = $1
          ORDER BY CASE function WHEN 'chairman' THEN 0 WHEN 'member' THEN 1 ELSE 2 END, iin",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    Ok(rows
        .into_iter()
        .map(|(iin, full_name, function, active)| CommissionMember {
            iin,
            full_name,
            function,
            active,
        })
        .collect())
}

pub async fn votes(pool: &sqlx::PgPool, id: Uuid) -> Result<Vec<Vote>> {
    let rows: Vec<(Uuid, String, String, String)> = sqlx::query_as(
        "SELECT application_id, member_iin, plan_item_id, decision FROM rm.votes
          WHERE announcement_id = $1 ORDER BY application_id, member_iin, plan_item_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    Ok(rows
        .into_iter()
        .map(|(application_id, member_iin, plan_item_id, d)| Vote {
            application_id,
            member_iin,
            plan_item_id,
            decision: Term::stored::<AdmissionDecision>(&d),
        })
        .collect())
}

pub async fn control(pool: &sqlx::PgPool, id: Uuid) -> Result<Vec<VotingControlLot>> {
    let rows = sqlx::query(
        "SELECT plan_item_id, status, application_id, admitted, not_admitted, not_voted
           FROM rm.voting_control WHERE announcement_id = $1
          ORDER BY plan_item_id, application_id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(refusal::read_models)?;
    let mut out: Vec<VotingControlLot> = Vec::new();
    for r in &rows {
        let read = || -> Result<(String, String, Tally), sqlx::Error> {
            Ok((
                r.try_get("plan_item_id")?,
                r.try_get("status")?,
                Tally {
                    application_id: r.try_get("application_id")?,
                    admitted: r.try_get("admitted")?,
                    not_admitted: r.try_get("not_admitted")?,
                    not_voted: r.try_get("not_voted")?,
                },
            ))
        };
        let (lot, status, tally) = read().map_err(refusal::read_models)?;
        match out.last_mut() {
            Some(last) if last.plan_item_id == lot => last.applications.push(tally),
            _ => out.push(VotingControlLot {
                plan_item_id: lot,
                status: Term::stored::<VotingControlStatus>(&status),
                applications: vec![tally],
            }),
        }
    }
    Ok(out)
}

/// The commission of a folded announcement.
pub fn commission_from_domain(a: &Announcement) -> Vec<CommissionMember> {
    let Some(c) = &a.commission else {
        return Vec::new();
    };
    let member =
        |p: &zakup_domain::commission::Person, function: &str, active: bool| CommissionMember {
            iin: p.iin.to_string(),
            full_name: p.full_name.clone(),
            function: function.to_owned(),
            active,
        };
    let voter = |p| member(p, "", !a.voting.excluded_voters.contains(&p.iin));
    let mut out = vec![CommissionMember {
        function: "chairman".into(),
        ..voter(&c.chairman)
    }];
    let mut members: Vec<_> = c
        .members
        .iter()
        .map(|p| CommissionMember {
            function: "member".into(),
            ..voter(p)
        })
        .collect();
    members.sort_by(|x, y| x.iin.cmp(&y.iin));
    out.extend(members);
    out.push(member(&c.secretary, "secretary", true));
    out
}

/// The votes of a folded announcement.
pub fn votes_from_domain(a: &Announcement) -> Vec<Vote> {
    let mut out: Vec<Vote> = a
        .voting
        .votes
        .iter()
        .flat_map(|((app, iin), ballot)| {
            ballot.lots.iter().map(move |lot| Vote {
                application_id: app.0,
                member_iin: iin.to_string(),
                plan_item_id: lot.plan_item_id.0.clone(),
                decision: Term::of(ballot.decision_for(&lot.plan_item_id)),
            })
        })
        .collect();
    out.sort_by(|x, y| {
        (x.application_id, &x.member_iin, &x.plan_item_id).cmp(&(
            y.application_id,
            &y.member_iin,
            &y.plan_item_id,
        ))
    });
    out
}

/// Voting control of a folded announcement, while the commission reviews.
pub fn control_from_domain(a: &Announcement) -> Vec<VotingControlLot> {
    if a.voting.round.is_none() || a.voting.completed {
        return Vec::new();
    }
    let mut out: Vec<VotingControlLot> = a
        .voting_control()
        .into_iter()
        .map(|lot| {
            let mut applications: Vec<Tally> = lot
                .applications
                .iter()
                .map(|t| Tally {
                    application_id: t.application_id.0,
                    admitted: t.admitted as i32,
                    not_admitted: t.not_admitted as i32,
                    not_voted: t.not_voted as i32,
                })
                .collect();
            applications.sort_by_key(|t| t.application_id);
            VotingControlLot {
                plan_item_id: lot.plan_item_id.0,
                status: Term::of(lot.status),
                applications,
            }
        })
        .collect();
    out.sort_by(|x, y| x.plan_item_id.cmp(&y.plan_item_id));
    out
}
