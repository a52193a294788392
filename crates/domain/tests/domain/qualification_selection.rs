//! «Отбор на включение в Реестр квалифицированных поставщиков» (spec 000-C §1.11, seed
//! L9684–10372; §10 S25): the qualification commission's votes in three categories with its
//! quorum, «Сведения о квалификации», the commission's requests and the qualification-selection
//! protocol, on the shared commission, voting and protocol components.

use crate::world;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::commission::{Commission, CommissionQuery, QueryRecipient};
use zakup_domain::method::qualification_selection::info::QualificationRowInput;
use zakup_domain::method::qualification_selection::{
    QualificationInfoStatus, QualificationRowDecision as D, QualificationSection,
};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AdmissionDecision, AnnouncementStatus as S, ApplicationStatus, VotingControlStatus,
};
use zakup_domain::voting::{Article6Verdict, Ballot, BankruptcyVerdict};

const PROTOCOL: ProtocolKind = ProtocolKind::Results;

/// Chairman C, members M1..M4 (member_a..member_d) and the secretary S: five voters (S25).
fn commission5() -> Commission {
    Commission {
        members: [member_a(), member_b(), member_c(), member_d()]
            .iter()
            .map(person)
            .collect(),
        ..commission3()
    }
}

/// Given a selection for lot 1 with the five voters, and applicants A1 and A2 (suppliers 1
/// and 2), acceptance ended: «Рассмотрение заявок».
fn reviewing() -> World {
    let mut w = World::new();
    w.draft(Method::QualificationSelection, SubjectType::Work, 1);
    w.run(
        &organizer(),
        C::SetCommission {
            commission: commission5(),
        },
    );
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 1_000_000);
    w.apply(2, &[1], 1_000_000);
    w.fire(TimedTransition::EndAcceptance);
    assert_eq!(w.status(), S::ReviewingApplications);
    w
}

/// «Допущен» in the three categories.
fn admit_all() -> Ballot {
    let mut ballot = admit(&[plan_item(1)]);
    ballot.lots[0].bankruptcy = Some(BankruptcyVerdict::Admitted);
    ballot
}

/// «Отклонен» on «Процедура банкротства либо ликвидации» with its grounds.
fn reject_bankruptcy() -> Ballot {
    let mut ballot = admit_all();
    ballot.lots[0].bankruptcy = Some(BankruptcyVerdict::Rejected {
        reason: "Идет процедура банкротства".into(),
    });
    ballot
}

fn control_status(w: &World) -> VotingControlStatus {
    w.state().voting_control()[0].status
}

/// S25's votes: M1, M2, M3 and C admit A1; M1, M2 and C reject A2, M3 admits it.
fn s25_votes(w: &mut World) {
    for member in [member_a(), member_b(), member_c()] {
        w.vote(&member, 1, admit_all());
    }
    w.vote(&member_a(), 2, reject_bankruptcy());
    w.vote(&member_b(), 2, reject_bankruptcy());
    w.vote(&member_c(), 2, admit_all());
    w.vote(&chairman(), 1, admit_all());
    w.vote(&chairman(), 2, reject_bankruptcy());
}

fn rows(decision: Option<D>) -> Vec<QualificationRowInput> {
    vec![
        QualificationRowInput {
            section: QualificationSection::WorkExperience,
            description: "Строительство школы, 2024".into(),
            decision: Some(D::Confirmed),
        },
        QualificationRowInput {
            section: QualificationSection::Standards,
            description: "СТ РК ISO 9001".into(),
            decision,
        },
    ]
}

fn fill(application: u32, decision: Option<D>) -> C {
    C::FillQualificationInfo {
        application_id: application_id(application),
        rows: rows(decision),
    }
}

/// S25 up to the completed voting and A1's qualification data filled.
fn filled() -> World {
    let mut w = reviewing();
    s25_votes(&mut w);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), fill(1, Some(D::NotConfirmed)));
    w
}

/// A selection through its qualification data, for the schema and golden-fixture tests.
pub fn sample() -> Vec<zakup_domain::announcement::AnnouncementEvent> {
    filled().events
}

// L9953–9955, L10009–10019: the quorum is a majority of the members with the chairman.
#[test]
fn s25_three_members_without_the_chairman_make_no_quorum() {
    let mut w = reviewing();
    for member in [member_a(), member_b(), member_c()] {
        w.vote(&member, 1, admit_all());
        w.vote(&member, 2, admit_all());
    }
    assert_eq!(control_status(&w), VotingControlStatus::NoQuorum);
    assert_eq!(w.refuse(&secretary(), C::CompleteVoting), "no_quorum");
    w.vote(&chairman(), 1, admit_all());
    w.vote(&chairman(), 2, admit_all());
    assert_eq!(control_status(&w), VotingControlStatus::QuorumReached);
}

// L9846–9905: each of the three categories states its grounds when it rejects.
#[test]
fn s25_a_rejection_needs_its_grounds_in_every_category() {
    let mut w = reviewing();
    let vote = |ballot: Ballot| C::CastVote {
        application_id: application_id(2),
        ballot,
    };
    // Art. 6 without its sub-item (L9898–9900)
    let mut art6 = admit_all();
    art6.lots[0].article6 = Article6Verdict::RejectedNoResubmission {
        subparagraphs: vec![],
        reason: "Аффилированность".into(),
    };
    assert_eq!(
        w.refuse(&member_d(), vote(art6)),
        "article6_subparagraph_required"
    );
    // bankruptcy without grounds (L9876–9886)
    let mut bankruptcy = admit_all();
    bankruptcy.lots[0].bankruptcy = Some(BankruptcyVerdict::Rejected { reason: " ".into() });
    assert_eq!(
        w.refuse(&member_d(), vote(bankruptcy)),
        "rejection_reason_required"
    );
    // qualification without the document category (L9858–9870)
    let mut qualification = reject_qualification(&[plan_item(1)], &plan_item(1));
    qualification.lots[0].bankruptcy = Some(BankruptcyVerdict::Admitted);
    if let zakup_domain::voting::QualificationVerdict::Rejected { documents, .. } =
        &mut qualification.lots[0].qualification
    {
        documents.clear();
    }
    assert_eq!(
        w.refuse(&member_d(), vote(qualification)),
        "rejected_documents_required"
    );
    // the bankruptcy category is not optional, and the documentation is no category here
    assert_eq!(
        w.refuse(&member_d(), vote(admit(&[plan_item(1)]))),
        "bankruptcy_verdict_required"
    );
    let documentation = {
        let mut b = veto_security(&[plan_item(1)], &plan_item(1));
        b.lots[0].bankruptcy = Some(BankruptcyVerdict::Admitted);
        b
    };
    assert_eq!(
        w.refuse(&member_d(), vote(documentation)),
        "category_not_in_method"
    );
}

// A bankruptcy verdict is no category of the other methods: an open tender refuses it.
#[test]
fn the_bankruptcy_category_is_the_qualification_selections_only() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    let refused = w.refuse(
        &member_a(),
        C::CastVote {
            application_id: application_id(1),
            ballot: admit_all(),
        },
    );
    assert_eq!(refused, "category_not_in_method");
}

// L10023–10027, L10300–10304: the majority of the votes cast decides; with a supplier admitted
// the selection goes on to «Заполнение сведений о квалификации».
#[test]
fn s25_completion_admits_by_majority_and_asks_for_the_qualification_data() {
    let mut w = reviewing();
    s25_votes(&mut w);
    assert_eq!(control_status(&w), VotingControlStatus::QuorumReached);
    w.run(&secretary(), C::CompleteVoting);
    let state = w.state();
    let decision = |n| state.voting().decisions[&(application_id(n), plan_item(1))];
    assert_eq!(decision(1), AdmissionDecision::Admitted);
    assert_eq!(decision(2), AdmissionDecision::Rejected);
    let tallies = &state.voting_control()[0].applications;
    let a1 = tallies
        .iter()
        .find(|t| t.application_id == application_id(1));
    let a2 = tallies
        .iter()
        .find(|t| t.application_id == application_id(2));
    assert_eq!(
        a1.map(|t| (t.admitted, t.not_admitted, t.not_voted)),
        Some((4, 0, 1))
    );
    assert_eq!(
        a2.map(|t| (t.admitted, t.not_admitted, t.not_voted)),
        Some((1, 3, 1))
    );
    assert_eq!(w.status(), S::FillingQualificationInfo);
    let parts = state.procedure.qualification_selection().unwrap();
    assert_eq!(
        parts.status(&application_id(1)),
        QualificationInfoStatus::Required
    );
}

// L10042–10110: the data are filled for admitted suppliers only, every row decided.
#[test]
fn s25_qualification_data_of_an_admitted_supplier_every_row_decided() {
    let mut w = reviewing();
    s25_votes(&mut w);
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), fill(2, Some(D::Confirmed))),
        "qualification_info_admitted_only"
    );
    assert_eq!(
        w.refuse(&secretary(), fill(1, None)),
        "qualification_row_undecided"
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            C::FillQualificationInfo {
                application_id: application_id(1),
                rows: vec![]
            }
        ),
        "qualification_rows_missing"
    );
    assert_eq!(
        w.refuse(&member_a(), fill(1, Some(D::Confirmed))),
        "not_secretary"
    );
    w.run(&secretary(), fill(1, Some(D::NotConfirmed)));
    let state = w.state();
    let parts = state.procedure.qualification_selection().unwrap();
    assert_eq!(
        parts.status(&application_id(1)),
        QualificationInfoStatus::Filled
    );
    // only the confirmed row reaches the registry (L10100–10104)
    assert_eq!(parts.confirmed(&application_id(1)).len(), 1);
}

// L10260–10304: formed once the data are filled; deleted before publication it returns to
// «Заполнение сведений о квалификации» with a supplier admitted.
#[test]
fn s25_the_protocol_is_formed_after_the_data_and_deleted_back_to_them() {
    let mut w = reviewing();
    s25_votes(&mut w);
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "qualification_info_not_filled"
    );
    w.run(&secretary(), fill(1, Some(D::Confirmed)));
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingQualificationProtocol);
    assert_eq!(
        w.state().application_status(&application_id(1)),
        Some(ApplicationStatus::FormingQualificationProtocol)
    );
    w.run(&secretary(), C::DeleteResultsProtocol);
    assert_eq!(w.status(), S::FillingQualificationInfo);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingQualificationProtocol);
}

// L10298–10304: with nobody admitted the voting stays in «Рассмотрение заявок», and so does a
// deleted protocol.
#[test]
fn with_nobody_admitted_the_deleted_protocol_returns_to_the_review() {
    let mut w = reviewing();
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, reject_bankruptcy());
        w.vote(&member, 2, reject_bankruptcy());
    }
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(w.status(), S::ReviewingApplications);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingQualificationProtocol);
    w.run(&secretary(), C::DeleteResultsProtocol);
    assert_eq!(w.status(), S::ReviewingApplications);
}

// L10280–10348: the secretary signs first, the members after; published with a quorum of
// signatures, the selection is «Завершено».
#[test]
fn s25_signed_secretary_first_and_published_with_a_signature_quorum() {
    let mut w = filled();
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(
        w.sign(&chairman(), PROTOCOL).unwrap_err().code,
        "secretary_signs_first"
    );
    w.sign(&secretary(), PROTOCOL).unwrap();
    w.sign(&chairman(), PROTOCOL).unwrap();
    w.sign(&member_a(), PROTOCOL).unwrap();
    assert_eq!(
        w.refuse(&secretary(), C::PublishProtocol { kind: PROTOCOL }),
        "no_signature_quorum"
    );
    w.sign(&member_b(), PROTOCOL).unwrap();
    w.run(&secretary(), C::PublishProtocol { kind: PROTOCOL });
    assert_eq!(w.status(), S::Completed);
    assert_eq!(
        w.refuse(&secretary(), C::DeleteResultsProtocol),
        "protocol_already_published"
    );
}

// L9913–9915, L10034–10036: a vote is withdrawn until the completion; the voting may be
// resumed after it, back to the review.
#[test]
fn votes_are_withdrawn_until_completion_and_the_voting_resumed_after_it() {
    let mut w = reviewing();
    s25_votes(&mut w);
    w.run(
        &member_c(),
        C::WithdrawVote {
            application_id: application_id(2),
        },
    );
    w.vote(&member_c(), 2, admit_all());
    w.run(&secretary(), C::CompleteVoting);
    let withdraw = C::WithdrawVote {
        application_id: application_id(2),
    };
    assert_eq!(w.refuse(&member_c(), withdraw), "voting_completed");
    w.run(&secretary(), C::ReopenVoting);
    assert_eq!(w.status(), S::ReviewingApplications);
}

// L9692–9734: the secretary changes the commission with its decision; only the chairman
// changes the secretary; a removed member who voted loses the vote and votes no more.
#[test]
fn commission_changes_during_the_review() {
    let mut w = reviewing();
    w.vote(&member_b(), 1, admit_all());
    let without_b = Commission {
        members: [member_a(), member_c(), member_d(), member_e()]
            .iter()
            .map(person)
            .collect(),
        ..commission5()
    };
    let mut no_number = change_decision();
    no_number.number = String::new();
    let change = |commission: Commission, decision| C::ChangeCommission {
        commission,
        decision,
    };
    assert_eq!(
        w.refuse(&secretary(), change(without_b.clone(), no_number)),
        "missing_field"
    );
    let new_secretary = Commission {
        secretary: person(&member_f()),
        ..commission5()
    };
    assert_eq!(
        w.refuse(&secretary(), change(new_secretary, change_decision())),
        "only_chairman_changes_secretary"
    );
    w.run(&secretary(), change(without_b, change_decision()));
    let state = w.state();
    assert!(
        !state
            .voting()
            .votes
            .contains_key(&(application_id(1), member_b().iin))
    );
    let vote = C::CastVote {
        application_id: application_id(1),
        ballot: admit_all(),
    };
    assert_eq!(w.refuse(&member_b(), vote), "excluded_from_commission");
}

// L10120–10250: the secretary records the commission's requests, to a supplier of the lot or
// another party, repeatedly.
#[test]
fn the_secretary_records_the_commissions_requests() {
    let mut w = reviewing();
    let query = |recipient| C::RecordCommissionQuery {
        query: CommissionQuery {
            plan_item_id: plan_item(1),
            recipient,
            info_kk: "Сұрау".into(),
            info_ru: "Запрос сведений о лицензии".into(),
            sent_on: date("2026-02-10"),
            answer_kk: None,
            answer_ru: None,
        },
    };
    w.run(
        &secretary(),
        query(QueryRecipient::Supplier {
            application_id: application_id(1),
        }),
    );
    w.run(
        &secretary(),
        query(QueryRecipient::OtherParty {
            name_kk: "Комитет".into(),
            name_ru: "Комитет".into(),
        }),
    );
    assert_eq!(w.state().commission_queries().len(), 2);
}

// Spec 000-C §7.1 (L7668–7674): the single source has no commission; its one voter is the
// organizer's representative, so a commission set on its draft is refused, not ignored.
#[test]
fn a_single_source_refuses_a_commission() {
    let mut w = crate::single_source::draft_without_terms();
    let refused = w.refuse(
        &organizer(),
        C::SetCommission {
            commission: commission3(),
        },
    );
    assert_eq!(refused, "single_source_single_voter");
}

// L10044–10046, decision 0653: «Требуется заполнение» is the secretary's available action until
// every admitted supplier's data are saved.
#[test]
fn filling_the_data_is_the_secretarys_action_until_saved() {
    use zakup_domain::announcement::actions::Action;
    let mut w = reviewing();
    s25_votes(&mut w);
    w.run(&secretary(), C::CompleteVoting);
    let actions = |w: &World| w.state().available_actions(&w.ctx(&secretary()));
    assert!(actions(&w).contains(&Action::FillQualificationInfo));
    assert!(!actions(&w).contains(&Action::FormResultsProtocol));
    w.run(&secretary(), fill(1, Some(D::Confirmed)));
    assert!(!actions(&w).contains(&Action::FillQualificationInfo));
    assert!(actions(&w).contains(&Action::FormResultsProtocol));
}
