//! The commission's voting: who sits on the commission (who may vote), each member's decision
//! per application × lot, and «Контроль голосования» (quorum and counters per lot) as the domain
//! computes it.

use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::commission::Person;
use zakup_domain::status::{AdmissionDecision, VotingControlStatus};

#[derive(Debug, Clone, PartialEq)]
pub struct VotingView {
    /// Chairman, members by ИИН, secretary.
    pub commission: Vec<CommissionMemberView>,
    /// By application, member, lot.
    pub votes: Vec<VoteView>,
    /// By lot; only while the commission reviews (afterwards the final decisions speak).
    pub control: Vec<VotingControlView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CommissionMemberView {
    pub iin: String,
    pub full_name: String,
    /// `chairman`, `member` or `secretary` (the secretary does not vote).
    pub function: &'static str,
    /// False once excluded by a change of commission.
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VoteView {
    pub application_id: Uuid,
    pub member_iin: String,
    pub plan_item_id: String,
    pub decision: AdmissionDecision,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VotingControlView {
    pub plan_item_id: String,
    /// «Кворум достигнут» / «Нет кворума».
    pub status: VotingControlStatus,
    /// By application.
    pub applications: Vec<TallyView>,
}

/// «За» / «Против» / «Не голосовал» for one application on one lot.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyView {
    pub application_id: Uuid,
    pub admitted: u32,
    pub not_admitted: u32,
    pub not_voted: u32,
}

impl VotingView {
    pub fn of(a: &Announcement) -> VotingView {
        VotingView {
            commission: commission(a),
            votes: votes(a),
            control: control(a),
        }
    }
}

fn commission(a: &Announcement) -> Vec<CommissionMemberView> {
    let Some(c) = a.commission() else {
        return Vec::new();
    };
    let member = |p: &Person, function, active| CommissionMemberView {
        iin: p.iin.to_string(),
        full_name: p.full_name.clone(),
        function,
        active,
    };
    let active = |p: &Person| !a.voting().excluded_voters.contains(&p.iin);
    let mut members: Vec<_> = c
        .members
        .iter()
        .map(|p| member(p, "member", active(p)))
        .collect();
    members.sort_by(|x, y| x.iin.cmp(&y.iin));
    let mut out = vec![member(&c.chairman, "chairman", active(&c.chairman))];
    out.extend(members);
    out.push(member(&c.secretary, "secretary", true));
    out
}

fn votes(a: &Announcement) -> Vec<VoteView> {
    let mut out: Vec<VoteView> = a
        .voting()
        .votes
        .iter()
        .flat_map(|((app, iin), ballot)| {
            ballot.lots.iter().map(move |lot| VoteView {
                application_id: app.0,
                member_iin: iin.to_string(),
                plan_item_id: lot.plan_item_id.0.clone(),
                decision: ballot.decision_for(&lot.plan_item_id),
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

fn control(a: &Announcement) -> Vec<VotingControlView> {
    if a.voting().round.is_none() || a.voting().completed {
        return Vec::new();
    }
    let mut out: Vec<VotingControlView> = a
        .voting_control()
        .into_iter()
        .map(|lot| {
            let mut applications: Vec<TallyView> = lot
                .applications
                .iter()
                .map(|t| TallyView {
                    application_id: t.application_id.0,
                    admitted: t.admitted,
                    not_admitted: t.not_admitted,
                    not_voted: t.not_voted,
                })
                .collect();
            applications.sort_by_key(|t| t.application_id);
            VotingControlView {
                plan_item_id: lot.plan_item_id.0,
                status: lot.status,
                applications,
            }
        })
        .collect();
    out.sort_by(|x, y| x.plan_item_id.cmp(&y.plan_item_id));
    out
}

/// The events that carry a member's vote: shown by type and instant only while the votes are
/// not fixed, to who may not read them (decision 0672).
pub const VOTE_EVENTS: &[&str] = &["VoteCast", "VoteWithdrawn"];

/// Whether the members' votes are fixed by a published protocol (decision 0672): until then they
/// are the commission's working data («Контроль голосования» is the secretary's tab, L2313–2365),
/// read by the organizer's staff and the auditors only. A vote, its withdrawal, the completion
/// and the reopening of the voting unfix them; the first protocol published after the completion
/// fixes them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VotesFixed {
    completed: bool,
    pub fixed: bool,
}

impl VotesFixed {
    /// After `event_type`, the next event of the announcement.
    pub fn step(&mut self, event_type: &str) {
        match event_type {
            "VoteCast" | "VoteWithdrawn" | "VotingReopened" => *self = VotesFixed::default(),
            "VotingCompleted" => {
                self.completed = true;
                self.fixed = false;
            }
            "ProtocolPublished" if self.completed => self.fixed = true,
            _ => {}
        }
    }

    /// After every one of `event_types`, oldest first.
    pub fn of<'t>(event_types: impl IntoIterator<Item = &'t str>) -> VotesFixed {
        let mut v = VotesFixed::default();
        event_types.into_iter().for_each(|t| v.step(t));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::VotesFixed;

    /// Decision 0672: votes in progress are fixed only by a protocol published after the voting
    /// completed; a reopened voting (results revision, L12534–12536) unfixes them again.
    #[test]
    fn votes_are_fixed_by_the_protocol_published_after_the_voting() {
        let fixed = |types: &[&str]| VotesFixed::of(types.iter().copied()).fixed;
        assert!(!fixed(&["VoteCast"]));
        assert!(!fixed(&["ProtocolPublished", "VoteCast"]));
        assert!(!fixed(&["VoteCast", "VotingCompleted"]));
        assert!(!fixed(&["VoteCast", "VotingCompleted", "ProtocolFormed"]));
        assert!(fixed(&[
            "VoteCast",
            "VotingCompleted",
            "ProtocolFormed",
            "ProtocolPublished"
        ]));
        assert!(!fixed(&[
            "VoteCast",
            "VotingCompleted",
            "ProtocolPublished",
            "VotingReopened",
            "VoteWithdrawn",
        ]));
        assert!(!fixed(&[
            "VotingCompleted",
            "ProtocolPublished",
            "VoteCast",
            "VotingCompleted",
        ]));
    }
}
