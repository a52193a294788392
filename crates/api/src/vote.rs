//! Commission voting: who sits on the commission, who voted what, and «Контроль голосования»
//! (quorum reached or not, counters per application) for each lot under review.

use async_graphql::{Result, SimpleObject};
use sqlx::Row;
use uuid::Uuid;
use zakup_domain::status::{AdmissionDecision, VotingControlStatus};
use zakup_projections::views::{CommissionMemberView, VoteView, VotingControlView};

use crate::notice::Reader;
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct CommissionMember {
    /// The member's ИИН (it encodes the birth date and sex): for the organizer's staff and the
    /// auditors only, null for everyone else (docs/security.md, issue 26).
    pub iin: Option<String>,
    pub full_name: String,
    /// `chairman`, `member` or `secretary` (the secretary does not vote).
    pub function: String,
    /// False once excluded by a change of commission.
    pub active: bool,
}

#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Vote {
    pub application_id: Uuid,
    /// The member's ИИН: for the organizer's staff and the auditors only, like
    /// `CommissionMember.iin`.
    pub member_iin: Option<String>,
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
            iin: Some(iin),
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
            member_iin: Some(member_iin),
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

/// Whether the viewer reads the commission members' personal data (their ИИН) on an announcement
/// of `organizer_bin`: the organizer's staff and the auditors, as for camera control.
pub fn reads_personal_data(reader: &Reader, organizer_bin: Option<&str>) -> bool {
    organizer_bin.is_some_and(|org| reader.reads(org))
}

/// The members and votes as `reader` may see them: without the ИИН unless it reads personal data.
pub fn for_reader(
    mut members: Vec<CommissionMember>,
    mut votes: Vec<Vote>,
    reads: bool,
) -> (Vec<CommissionMember>, Vec<Vote>) {
    if !reads {
        members.iter_mut().for_each(|m| m.iin = None);
        votes.iter_mut().for_each(|v| v.member_iin = None);
    }
    (members, votes)
}

/// Whether the viewer reads the members' votes (decision 0672): the organizer's staff and the
/// auditors (`reads`, as for personal data) always; anyone else once a protocol published after
/// the voting has fixed them (`fixed`). Until then the votes, their counters in «Контроль
/// голосования» and the ballots are the commission's working data (L2313–2365).
pub fn reads_votes(reads: bool, fixed: bool) -> bool {
    reads || fixed
}

/// The details without the ballots, for a viewer who may not read the votes.
pub fn details_for_reader(
    mut d: crate::screen::AnnouncementDetails,
    reads: bool,
    fixed: bool,
) -> crate::screen::AnnouncementDetails {
    if !reads_votes(reads, fixed) {
        d.voting.ballots.clear();
    }
    d
}

// The views of the voting as the auditors' replay shows them.

impl From<CommissionMemberView> for CommissionMember {
    fn from(v: CommissionMemberView) -> Self {
        CommissionMember {
            iin: Some(v.iin),
            full_name: v.full_name,
            function: v.function.to_owned(),
            active: v.active,
        }
    }
}

impl From<VoteView> for Vote {
    fn from(v: VoteView) -> Self {
        Vote {
            application_id: v.application_id,
            member_iin: Some(v.member_iin),
            plan_item_id: v.plan_item_id,
            decision: Term::of(v.decision),
        }
    }
}

impl From<VotingControlView> for VotingControlLot {
    fn from(v: VotingControlView) -> Self {
        let count = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
        VotingControlLot {
            plan_item_id: v.plan_item_id,
            status: Term::of(v.status),
            applications: v
                .applications
                .into_iter()
                .map(|t| Tally {
                    application_id: t.application_id,
                    admitted: count(t.admitted),
                    not_admitted: count(t.not_admitted),
                    not_voted: count(t.not_voted),
                })
                .collect(),
        }
    }
}
