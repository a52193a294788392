//! Commission voting (spec 000-A §7, §4.2.4 A4–A7, §4.8) and decision 0203.

use crate::world;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::status::{AdmissionDecision as D, AnnouncementStatus as S, VotingControlStatus};
use zakup_domain::voting::{
    Article6Verdict, DocumentationVerdict, QualificationVerdict, final_decision,
};

fn reviewing_one_supplier() -> World {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    w
}

// spec 000-A §7.4 AMBIGUOUS (ties), decision 0203: a tie is not a majority for admission.
#[test]
fn a_tie_rejects() {
    let mut w = reviewing_one_supplier();
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, reject_qualification(&lot, &lot[0]));
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.state().voting().decisions[&(application_id(1), plan_item(1))],
        D::Rejected
    );
    assert_eq!(
        final_decision([D::Admitted, D::Rejected, D::NotVoted]),
        D::Rejected
    );
    assert_eq!(
        final_decision([D::Admitted, D::Admitted, D::Rejected]),
        D::Admitted
    );
    assert_eq!(
        final_decision([D::Admitted, D::Admitted, D::RejectedNoResubmission]),
        D::RejectedNoResubmission
    );
}

// spec 000-A §7.1, L2345–2347: the secretary and outsiders do not vote; members vote by ИИН.
#[test]
fn only_commission_members_vote() {
    let mut w = reviewing_one_supplier();
    let vote = C::CastVote {
        application_id: application_id(1),
        ballot: admit(&[plan_item(1)]),
    };
    assert_eq!(
        w.refuse(&secretary(), vote.clone()),
        "not_a_commission_member"
    );
    assert_eq!(
        w.refuse(&outsider(), vote.clone()),
        "not_a_commission_member"
    );
    // Issue 26 item 3: a supplier's token carrying a member's ИИН is refused by its role.
    let mut impostor = supplier(1);
    impostor.iin = member_a().iin;
    assert_eq!(w.refuse(&impostor, vote.clone()), "forbidden_role");
    w.run(&member_a(), vote.clone());
    assert_eq!(w.refuse(&member_a(), vote), "already_voted");
}

// spec 000-A §4.2.4 A5, L2301–2303: a vote can be withdrawn while voting is open.
#[test]
fn votes_are_withdrawn_until_completion() {
    let mut w = reviewing_one_supplier();
    let lot = [plan_item(1)];
    assert_eq!(
        w.refuse(
            &chairman(),
            C::WithdrawVote {
                application_id: application_id(1)
            }
        ),
        "no_vote_to_withdraw"
    );
    w.vote(&chairman(), 1, reject_qualification(&lot, &lot[0]));
    w.run(
        &chairman(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, admit(&lot));
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(
            &chairman(),
            C::WithdrawVote {
                application_id: application_id(1)
            }
        ),
        "voting_completed"
    );
    assert_eq!(
        w.refuse(
            &member_b(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&lot)
            }
        ),
        "voting_completed"
    );
}

// spec 000-A §4.2.4 A6–A7, L2423–2491, L2631–2633: the secretary completes and may reopen.
#[test]
fn the_secretary_completes_and_reopens_voting() {
    let mut w = reviewing_one_supplier();
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, admit(&lot));
    assert_eq!(w.refuse(&chairman(), C::CompleteVoting), "not_secretary");
    assert_eq!(
        w.refuse(&secretary(), C::ReopenVoting),
        "voting_not_completed"
    );
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), C::CompleteVoting),
        "voting_completed"
    );
    w.run(&secretary(), C::ReopenVoting);
    w.run(
        &member_a(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.vote(&member_a(), 1, reject_qualification(&lot, &lot[0]));
    w.vote(&member_b(), 1, reject_qualification(&lot, &lot[0]));
    let events = w.run(&secretary(), C::CompleteVoting);
    let AnnouncementEvent::VotingCompleted(completed) = &events[0] else {
        panic!()
    };
    assert_eq!(
        completed.decisions[0].decision,
        D::Rejected,
        "recounted after reopening"
    );
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    assert_eq!(
        w.refuse(&secretary(), C::ReopenVoting),
        "wrong_status",
        "not after the ППД is formed"
    );
}

// spec 000-A §2.13, L2102–2106, L2179–2194, L2263–2265: rejections carry reasons and grounds.
#[test]
fn rejections_carry_reasons_and_grounds() {
    let mut w = reviewing_one_supplier();
    let lot = [plan_item(1)];
    let cast = |ballot| C::CastVote {
        application_id: application_id(1),
        ballot,
    };
    let mut no_reason = reject_qualification(&lot, &lot[0]);
    no_reason.lots[0].qualification = QualificationVerdict::Rejected {
        documents: vec!["Приложение 6".into()],
        reason: " ".into(),
    };
    assert_eq!(
        w.refuse(&chairman(), cast(no_reason)),
        "rejection_reason_required"
    );
    let mut no_documents = admit(&lot);
    no_documents.lots[0].documentation = DocumentationVerdict::Rejected {
        documents: vec![],
        reason: "Нет".into(),
        security_no_resubmission: false,
    };
    assert_eq!(
        w.refuse(&chairman(), cast(no_documents)),
        "rejected_documents_required"
    );
    let mut no_subparagraph = admit(&lot);
    no_subparagraph.common_article6 = Article6Verdict::RejectedNoResubmission {
        subparagraphs: vec![],
        reason: "Аффилированность".into(),
    };
    assert_eq!(
        w.refuse(&chairman(), cast(no_subparagraph)),
        "article6_subparagraph_required"
    );
    assert_eq!(
        w.refuse(&chairman(), cast(admit(&[plan_item(1), plan_item(2)]))),
        "ballot_lots_mismatch"
    );
}

// spec 000-A §7.2 best reading: the member's per-lot decision and the per-lot art. 6 veto.
#[test]
fn article_6_on_one_lot_vetoes_only_that_lot() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    let both = [plan_item(1), plan_item(2)];
    let mut ballot = admit(&both);
    ballot.lots[1].article6 = Article6Verdict::RejectedNoResubmission {
        subparagraphs: vec!["5".into()],
        reason: "Ограничение".into(),
    };
    w.vote(&member_b(), 1, ballot);
    w.vote(&chairman(), 1, admit(&both));
    w.vote(&member_a(), 1, admit(&both));
    let state = w.state();
    assert_eq!(
        state.member_decision(&member_b().iin, &application_id(1), &plan_item(2)),
        D::RejectedNoResubmission
    );
    assert_eq!(
        state.member_decision(&member_b().iin, &application_id(1), &plan_item(1)),
        D::Admitted
    );
    assert_eq!(
        state.member_decision(&member_c().iin, &application_id(1), &plan_item(1)),
        D::NotVoted
    );
    w.run(&secretary(), C::CompleteVoting);
    let state = w.state();
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(1))],
        D::Admitted
    );
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(2))],
        D::RejectedNoResubmission
    );
}

// spec 000-A §7.3, L2331–2365: «Контроль голосования» counters per lot.
#[test]
fn voting_control_counts_for_against_and_not_voted() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1]), (2, &[1])]);
    let lot = [plan_item(1)];
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&member_a(), 1, reject_qualification(&lot, &lot[0]));
    let control = w.state().voting_control();
    assert_eq!(control.len(), 1);
    assert_eq!(
        control[0].status,
        VotingControlStatus::NoQuorum,
        "nobody voted on every application yet"
    );
    let tally = &control[0].applications[0];
    assert_eq!(
        (tally.admitted, tally.not_admitted, tally.not_voted),
        (1, 1, 1)
    );
    w.vote(&chairman(), 2, admit(&lot));
    w.vote(&member_a(), 2, admit(&lot));
    assert_eq!(
        w.state().voting_control()[0].status,
        VotingControlStatus::QuorumReached
    );
}

// spec 000-A §4.8, L1978–1992: no commission change once voting is completed.
#[test]
fn the_commission_cannot_change_after_voting_is_completed() {
    let mut w = reviewing_one_supplier();
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    let commission = zakup_domain::commission::Commission {
        members: vec![person(&member_a()), person(&member_c())],
        ..commission3()
    };
    assert_eq!(
        w.refuse(
            &secretary(),
            C::ChangeCommission {
                commission,
                decision: change_decision()
            }
        ),
        "commission_change_not_allowed"
    );
    assert_eq!(
        w.status(),
        S::ReviewingApplications,
        "completion does not change the status (§4.12)"
    );
}

// spec 000-A §7.5, L2727–2739: the re-review covers only the supplemented lots; a veto there
// cannot reach the lots already admitted.
#[test]
fn a_veto_in_the_re_review_reaches_only_the_lots_under_review() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    let both = [plan_item(1), plan_item(2)];
    for member in [chairman(), member_a()] {
        w.vote(&member, 1, reject_qualification(&both, &both[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(zakup_domain::protocol::ProtocolKind::PreliminaryAdmission);
    w.run(
        &supplier(1),
        C::SupplementApplication {
            application_id: application_id(1),
            plan_item_ids: both[..1].to_vec(),
            documents: vec![file("x")],
        },
    );
    w.fire(zakup_domain::announcement::TimedTransition::EndSupplementPeriod);
    w.vote(&chairman(), 1, veto_common(&both[..1]));
    w.vote(&member_a(), 1, admit(&both[..1]));
    w.run(&secretary(), C::CompleteVoting);
    let state = w.state();
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(1))],
        D::RejectedNoResubmission
    );
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(2))],
        D::Admitted
    );
}

// Spec 000-D §4.1 R3, L10420–10436: the secretary's first step of a results revision is
// «Возобновить голосование»; entering the revision by a direction-4 notice already opened the
// voting (L12775–12777), so pressing it is accepted and changes nothing (docs/decisions/0604).
// Once the revision's voting is completed, it reopens the voting as anywhere else.
#[test]
fn reopening_the_voting_in_a_results_revision_is_accepted_when_it_is_open() {
    use uuid::Uuid;
    use zakup_domain::actor::{Actor, Role};
    use zakup_domain::camera_control::{CameraControlCommand as CC, Direction, NoticeId, Remedy};
    use zakup_domain::protocol::ProtocolKind;
    let mut w = reviewing_one_supplier();
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    let notice_id = NoticeId(Uuid::from_u128(0xdead));
    let inspector = Actor {
        user_id: "inspector".to_owned(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Inspector],
    };
    w.run(
        &inspector,
        C::CameraControl(CC::DeliverNotice {
            notice_id,
            plan_item_id: plan_item(1),
            direction: Direction::Fourth,
            remedy: Remedy::ReviseResults,
            text: "Нарушение".to_owned(),
            file: None,
        }),
    );
    w.run(
        &organizer(),
        C::CameraControl(CC::AcknowledgeNotice { notice_id }),
    );
    w.run(
        &secretary(),
        C::CameraControl(CC::StartResultsRevision {
            plan_item_ids: vec![plan_item(1)],
        }),
    );
    assert_eq!(w.status(), S::ResultsRevision);
    assert!(!w.state().voting().completed);

    assert_eq!(w.refuse(&member_a(), C::ReopenVoting), "not_secretary");
    assert_eq!(w.run(&secretary(), C::ReopenVoting), vec![]);
    assert_eq!(w.status(), S::ResultsRevision);
    assert!(!w.state().voting().completed);

    w.run(&secretary(), C::CompleteVoting);
    let reopened = w.run(&secretary(), C::ReopenVoting);
    assert!(matches!(
        &reopened[..],
        [AnnouncementEvent::VotingReopened(_)]
    ));
    assert!(!w.state().voting().completed);
}

// Issue 26 item 3 (docs/decisions/0630): every command names the portal roles that may issue
// it, checked before any match by ИИН; a token of another role is refused with `forbidden_role`
// and writes nothing, even when it carries the ИИН of a member, the secretary or a
// representative.
#[test]
fn every_command_is_refused_to_a_role_it_does_not_name() {
    use zakup_domain::actor::Role;
    use zakup_domain::protocol::ProtocolKind;
    let commands = [
        C::CastVote {
            application_id: application_id(1),
            ballot: admit(&[plan_item(1)]),
        },
        C::WithdrawVote {
            application_id: application_id(1),
        },
        C::SignProtocol {
            kind: ProtocolKind::Results,
            version: 1,
            signer_iin: member_a().iin,
            content_sha256: "0".repeat(64),
            dissent: None,
            proof: proof(),
        },
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
        C::CompleteVoting,
        C::ReopenVoting,
        C::FormPreliminaryAdmissionProtocol,
        C::FormResultsProtocol,
        C::DeleteResultsProtocol,
        C::CompleteConditionalDiscounts,
        C::Publish,
        C::DeleteDraft,
        C::RevokeContractDraft,
        C::FormDiscussionProtocol,
        C::DeleteDiscussionProtocol,
        C::EndDiscussion,
        C::StartAcceptance,
        C::EndAcceptance,
        C::EndSupplementPeriod,
    ];
    let mut w = reviewing_one_supplier();
    for command in commands {
        for role in Role::ALL {
            if command.permitted_roles().contains(&role) {
                continue;
            }
            // The member's, the secretary's ИИН: a name on the announcement is not a role.
            for named in [member_a(), secretary()] {
                let mut actor = named.clone();
                actor.roles = vec![role];
                assert_eq!(
                    w.refuse(&actor, command.clone()),
                    "forbidden_role",
                    "{role} as {} issuing {command:?}",
                    named.user_id
                );
            }
        }
    }
}
