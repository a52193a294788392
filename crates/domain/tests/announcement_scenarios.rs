//! The acceptance scenarios of spec 000-A §10 (S1–S25), one test or more each.

#[path = "announcement_world.rs"]
mod world;

use chrono::Duration;
use rust_decimal::Decimal;
use uuid::Uuid;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::application::DiscountForm;
use zakup_domain::commission::ChangeDecision;
use zakup_domain::commission::Commission;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{LotOutcome, LotTerms, WorkDumping, WorkKind};
use zakup_domain::money::Money;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AdmissionDecision as D, AnnouncementStatus as S, ApplicationStatus, LotStatus,
    ProtocolValidity, VotingControlStatus,
};

fn zeros() -> DiscountForm {
    let z = Some(Decimal::ZERO);
    DiscountForm {
        experience_years: Some(0),
        experience_months: Some(0),
        experience_pct: z,
        qms_pct: z,
        ems_pct: z,
        sechp_pct: z,
        voluntary_conformity_pct: z,
        functional_pct: z,
        technical_pct: z,
        quality_pct: z,
        operational_pct: z,
    }
}

fn request(n: u128) -> DiscussionRequestId {
    DiscussionRequestId(Uuid::from_u128(n))
}

fn ask(w: &mut World, n: u128) -> Result<(), &'static str> {
    w.try_run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id: request(n),
            subject: "Тема".into(),
            text: "Замечание".into(),
        },
    )
    .map(|_| ())
    .map_err(|e| e.code)
}

/// Reviewing, everybody admitted on every lot by the chairman and member A, voting completed.
fn voted_all_admitted(lots: u32, applications: &[(u32, &[u32])]) -> World {
    let mut w = World::new();
    w.reviewing_ok(lots, applications);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w
}

/// A completed OK: one lot, one admitted supplier, results published.
fn completed_ok() -> World {
    let mut w = voted_all_admitted(1, &[(1, &[1])]);
    w.run(&secretary(), C::FormResultsProtocol);
    w.sign_and_publish(ProtocolKind::Results);
    w
}

// S1 — spec 000-A §10 S1, L734–1552.
#[test]
fn s1_open_tender_publication_happy_path() {
    let mut w = World::new();
    w.published_ok(1);
    let state = w.state();
    assert_eq!(state.status, Some(S::Published));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Published));
    assert!(state.discussion_end().is_some());
}

// S2 — L1199–1207.
#[test]
fn s2_commission_composition() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let two = Commission {
        members: vec![person(&member_a())],
        ..commission3()
    };
    assert_eq!(
        w.refuse(&organizer(), C::SetCommission { commission: two }),
        "commission_too_small"
    );
    let four = Commission {
        members: vec![
            person(&member_a()),
            person(&member_b()),
            person(&member_c()),
        ],
        ..commission3()
    };
    assert_eq!(
        w.refuse(&organizer(), C::SetCommission { commission: four }),
        "commission_size_even"
    );

    // A single organizer needs 5; the commission of 3 set earlier no longer passes publication.
    let mut single = header(Method::OpenTender, SubjectType::Goods);
    single.single_organizer = true;
    w.run(&organizer(), C::UpdateHeader { header: single });
    assert_eq!(w.refuse(&organizer(), C::Publish), "commission_too_small");
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: commission3()
            }
        ),
        "commission_too_small"
    );
    let five = Commission {
        members: vec![
            person(&member_a()),
            person(&member_b()),
            person(&member_c()),
            person(&member_d()),
        ],
        ..commission3()
    };
    w.run(&organizer(), C::SetCommission { commission: five });
    w.run(&organizer(), C::Publish);
}

// S3 — L1519–1525, L1074–1076.
#[test]
fn s3_date_and_validity_validation() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    let four = working_days_after(w.now, 4);
    assert_eq!(
        w.refuse(&organizer(), dates(four, four + Duration::days(15))),
        "acceptance_start_too_early"
    );
    let saturday = astana("2026-02-14 10:00");
    assert_eq!(
        w.refuse(&organizer(), dates(saturday, saturday + Duration::days(15))),
        "acceptance_start_not_working_day"
    );
    let five = working_days_after(w.now, 5);
    assert_eq!(
        w.refuse(&organizer(), dates(five, five + Duration::days(14))),
        "acceptance_period_too_short"
    );
    let mut short = representatives();
    short.application_validity_days = 59;
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetRepresentatives {
                representatives: short
            }
        ),
        "application_validity_too_short"
    );
    w.run(&organizer(), dates(five, five + Duration::days(15)));
    w.run(&organizer(), C::Publish);

    // The dates are checked again against the instant of publication.
    let mut late = World::new();
    late.draft(Method::OpenTender, SubjectType::Goods, 1);
    late.advance(Duration::days(1));
    assert_eq!(
        late.refuse(&organizer(), C::Publish),
        "acceptance_start_too_early"
    );
}

// S4 — L1884–1926, §5.6.
#[test]
fn s4_discussion_without_requests_publishes_the_protocol_and_moves_acceptance() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let start = working_days_after(w.now, 7);
    let end = start + Duration::days(20);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    w.run(&organizer(), C::Publish);

    let discussion_end = w.state().discussion_end().unwrap();
    assert_eq!(
        discussion_end,
        astana("2026-02-10 00:00"),
        "end of the 5th working day (Mon 9 Feb)"
    );
    assert_eq!(w.refuse(&system(), C::EndDiscussion), "too_early");
    w.fire(TimedTransition::EndDiscussion);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Discussion).unwrap();
    assert!(protocol.automatic && protocol.signatures.is_empty());
    assert_eq!(protocol.published_at, Some(discussion_end));
    let moved = state.acceptance.unwrap();
    assert_eq!(moved.start, discussion_end + Duration::minutes(30));
    assert_eq!(
        moved.end - moved.start,
        end - start,
        "the entered duration is kept"
    );
    assert_eq!(
        w.refuse(
            &organizer_rep(),
            C::SignProtocol {
                kind: ProtocolKind::Discussion,
                version: 1,
                signer_iin: organizer_rep().iin,
                content_sha256: protocol.content_sha256.clone(),
                dissent: None,
            }
        ),
        "protocol_not_signable"
    );

    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.now, moved.start);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
}

// S5 — L1580–1648.
#[test]
fn s5_discussion_requests_and_answers() {
    let mut w = World::new();
    w.published_ok(1);
    let published = w.now;
    w.now = working_days_after(published, 3);
    ask(&mut w, 1).unwrap();
    let answer = |id, decision, text: Option<&str>| C::AnswerDiscussionRequest {
        request_id: request(id),
        decision,
        text: text.map(str::to_owned),
    };
    assert_eq!(
        w.refuse(
            &customer_rep(),
            answer(1, DiscussionDecision::RejectRemarks, Some("x"))
        ),
        "discussion_not_ended"
    );
    w.now = working_days_after(published, 6);
    assert_eq!(ask(&mut w, 2), Err("discussion_period_over"));

    assert_eq!(
        w.refuse(
            &customer_rep(),
            answer(1, DiscussionDecision::RejectRemarks, None)
        ),
        "missing_field"
    );
    assert_eq!(
        w.refuse(
            &outsider(),
            answer(1, DiscussionDecision::Clarify, Some("x"))
        ),
        "not_a_discussion_responder"
    );
    w.run(
        &customer_rep(),
        answer(1, DiscussionDecision::RejectRemarks, Some("Не обосновано")),
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            answer(1, DiscussionDecision::Clarify, Some("Разъяснение"))
        ),
        "discussion_request_already_answered"
    );
    w.run(
        &secretary(),
        C::EditDiscussionAnswer {
            request_id: request(1),
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
    let state = w.state();
    assert_eq!(
        state.discussion_requests()[&request(1)]
            .answer
            .as_ref()
            .unwrap()
            .decision,
        DiscussionDecision::Clarify
    );
}

// S6 — L1664–1738.
#[test]
fn s6_discussion_protocol_lifecycle() {
    let mut w = World::new();
    w.published_ok(1);
    ask(&mut w, 1).unwrap();
    ask(&mut w, 2).unwrap();
    w.fire(TimedTransition::EndDiscussion);
    assert!(
        w.state().valid_protocol(ProtocolKind::Discussion).is_none(),
        "no automatic protocol with requests"
    );
    let signers = || C::CompleteDiscussion {
        signers: vec![person(&organizer_rep())],
    };
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id: request(1),
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
    assert_eq!(
        w.refuse(&secretary(), signers()),
        "discussion_requests_unanswered"
    );
    w.run(
        &organizer_rep(),
        C::AnswerDiscussionRequest {
            request_id: request(2),
            decision: DiscussionDecision::RejectRemarks,
            text: Some("Отклонено".into()),
        },
    );
    assert_eq!(w.refuse(&organizer_rep(), signers()), "not_secretary");
    w.run(&secretary(), signers());
    w.run(&secretary(), C::FormDiscussionProtocol);
    let edit = || C::EditDiscussionAnswer {
        request_id: request(2),
        decision: DiscussionDecision::Clarify,
        text: Some("Уточнено".into()),
    };
    assert_eq!(w.refuse(&secretary(), edit()), "protocol_already_formed");
    w.run(&secretary(), C::DeleteDiscussionProtocol);
    w.run(&secretary(), edit());
    w.run(&secretary(), C::FormDiscussionProtocol);
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Discussion
            }
        ),
        "signatures_missing"
    );
    assert_eq!(
        w.sign(&chairman(), ProtocolKind::Discussion)
            .unwrap_err()
            .code,
        "not_a_signer"
    );
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    assert_eq!(
        w.refuse(&secretary(), C::DeleteDiscussionProtocol),
        "protocol_already_signed"
    );
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Discussion,
        },
    );
    assert_eq!(
        w.status(),
        S::Published,
        "no amend decision: the procurement goes on"
    );
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
}

// S7 — L1746–1860.
#[test]
fn s7_documentation_change_creates_the_index_2_copy() {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "2026-1".into(),
            header: header(Method::OpenTender, SubjectType::Work),
        },
    );
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1), lot_source(2)],
        },
    );
    let with_design = LotTerms::Work {
        dumping: WorkDumping::WorkWithDumping {
            expertise: false,
            kind: Some(WorkKind::WithFeasibilityAndDesign),
            dumping_amount: Money::from_tenge(9_000_000),
            work_experience: None,
        },
    };
    w.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(1),
            terms: with_design.clone(),
        },
    );
    w.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(2),
            terms: LotTerms::Work {
                dumping: WorkDumping::WorkWithoutDumping,
            },
        },
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(2),
            specification: files_spec(),
        },
    );
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    w.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    w.run(
        &organizer(),
        C::SetCommission {
            commission: commission3(),
        },
    );
    w.run(
        &organizer(),
        C::SignTenderDocumentation {
            documentation: tender_documentation(),
        },
    );
    let (start, end) = w.valid_dates(Method::OpenTender);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    w.run(&organizer(), C::Publish);
    ask(&mut w, 1).unwrap();
    w.fire(TimedTransition::EndDiscussion);
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id: request(1),
            decision: DiscussionDecision::AmendDocumentation,
            text: None,
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Discussion,
        },
    );
    let original = w.state();
    assert_eq!(original.status, Some(S::DocumentationChanged));
    let copy_id = original.copy_announcement_id.unwrap();
    assert!(original.deadlines().is_empty());

    let mut copy = World {
        id: copy_id,
        now: w.now + Duration::hours(1),
        events: Vec::new(),
        ..World::new()
    };
    let wrong_id = C::CreateIndexCopy {
        announcement_id: Uuid::from_u128(1),
        number: "x".into(),
        source: Box::new(original.clone()),
    };
    assert_eq!(
        copy.refuse(&secretary(), wrong_id),
        "not_a_documentation_change_copy"
    );
    copy.run(
        &secretary(),
        C::CreateIndexCopy {
            announcement_id: copy_id,
            number: "2026-1-2".into(),
            source: Box::new(original),
        },
    );
    // Decision 0201: the engine moves the plan items to the copy.
    let transfers = copy.events[0].plan_item_followups(copy_id);
    assert_eq!(transfers.len(), 2);
    assert!(matches!(
        &transfers[0].1,
        zakup_domain::plan_item::PlanItemCommand::Transfer { from_announcement_id, to_announcement_id }
            if *from_announcement_id == w.id && *to_announcement_id == copy_id
    ));
    // The copy is «Проект. Изменение документации» until published (000-D L12039–12041).
    let state = copy.state();
    assert_eq!(
        (state.index, state.status, state.source_announcement_id),
        (2, Some(S::DraftDocumentationChange), Some(w.id))
    );

    let mut renamed = header(Method::OpenTender, SubjectType::Work);
    renamed.name_ru = "Другое".into();
    assert_eq!(
        copy.refuse(&secretary(), C::UpdateHeader { header: renamed }),
        "not_editable_in_copy"
    );
    let mut goods = header(Method::OpenTender, SubjectType::Goods);
    goods.subject_type = SubjectType::Goods;
    assert_eq!(
        copy.refuse(&secretary(), C::UpdateHeader { header: goods }),
        "not_editable_in_copy"
    );
    assert_eq!(
        copy.refuse(
            &secretary(),
            C::SetLotTerms {
                plan_item_id: plan_item(1),
                terms: with_design
            }
        ),
        "not_editable_in_copy"
    );
    assert_eq!(
        copy.refuse(
            &secretary(),
            C::AddLots {
                lots: vec![lot_source(3)]
            }
        ),
        "not_editable_in_copy"
    );
    // without → with dumping only towards «Работа на разработку ТЭО/ПСД» (L1818–1852).
    let developing = |kind| LotTerms::Work {
        dumping: WorkDumping::WorkWithDumping {
            expertise: false,
            kind: Some(kind),
            dumping_amount: Money::from_tenge(9_000_000),
            work_experience: None,
        },
    };
    assert_eq!(
        copy.refuse(
            &secretary(),
            C::SetLotTerms {
                plan_item_id: plan_item(2),
                terms: developing(WorkKind::WithFeasibilityAndDesign)
            }
        ),
        "lot_change_not_allowed"
    );
    copy.run(
        &secretary(),
        C::SetLotTerms {
            plan_item_id: plan_item(2),
            terms: developing(WorkKind::DevelopingFeasibilityOrDesign),
        },
    );
    let changed = Commission {
        members: vec![person(&member_a()), person(&member_c())],
        ..commission3()
    };
    copy.run(
        &secretary(),
        C::SetCommission {
            commission: changed,
        },
    );
    let new_end = copy.now + Duration::days(20);
    copy.run(
        &secretary(),
        C::SetAcceptanceDates {
            start: copy.now + Duration::days(3),
            end: new_end,
        },
    );
    copy.advance(Duration::hours(2));
    copy.run(&secretary(), C::Publish);
    let state = copy.state();
    assert_eq!(state.status, Some(S::PublishedAcceptingApplications));
    assert_eq!(
        state.acceptance.unwrap().start,
        copy.now,
        "acceptance starts at publication"
    );
    assert_eq!(state.acceptance.unwrap().end, new_end);
    assert_eq!(state.discussion_end(), None);
}

// S8 — L1527–1533, L1586–1592.
#[test]
fn s8_no_discussion_for_a_repeat_tender_or_all_design_documentation_lots() {
    let mut w = World::new();
    let mut repeat = header(Method::OpenTender, SubjectType::Goods);
    repeat.procurement_type = ProcurementType::Repeat;
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    w.run(&organizer(), C::UpdateHeader { header: repeat });
    w.run(&organizer(), C::Publish);
    assert_eq!(w.state().discussion_end(), None);
    assert_eq!(ask(&mut w, 1), Err("discussion_not_available"));
    assert_eq!(
        w.state().deadlines()[0].transition,
        TimedTransition::StartAcceptance
    );
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);

    let mut works = World::new();
    works.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: works.id,
            number: "2026-9".into(),
            header: header(Method::OpenTender, SubjectType::Work),
        },
    );
    works.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    works.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(1),
            terms: LotTerms::Work {
                dumping: WorkDumping::WorkWithDumping {
                    expertise: false,
                    kind: Some(WorkKind::WithFeasibilityAndDesign),
                    dumping_amount: Money::from_tenge(1_000_000),
                    work_experience: Some("5 лет".into()),
                },
            },
        },
    );
    works.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    works.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    works.run(
        &organizer(),
        C::SetCommission {
            commission: commission3(),
        },
    );
    works.run(
        &organizer(),
        C::SignTenderDocumentation {
            documentation: tender_documentation(),
        },
    );
    let (start, end) = works.valid_dates(Method::OpenTender);
    works.run(&organizer(), C::SetAcceptanceDates { start, end });
    works.run(&organizer(), C::Publish);
    assert_eq!(
        works.state().discussion_end(),
        None,
        "no technical specification needed, no discussion"
    );
    assert_eq!(ask(&mut works, 1), Err("discussion_not_available"));
}

// S9 — L3123–3129, L3171–3177.
#[test]
fn s9_no_applications_fails_the_procurement_automatically() {
    let mut w = World::new();
    w.accepting_ok(2);
    let events = w.fire(TimedTransition::EndAcceptance);
    let types: Vec<_> = events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types,
        [
            "AcceptanceEnded",
            "ProtocolFormed",
            "ProtocolPublished",
            "ProcurementCompleted"
        ]
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert!(
        state
            .lots
            .values()
            .all(|l| l.outcome.as_ref().is_some_and(LotOutcome::is_failed))
    );
    for signer in [secretary(), chairman()] {
        assert_eq!(
            w.sign(&signer, ProtocolKind::Results).unwrap_err().code,
            "protocol_not_signable"
        );
    }
}

// S10 — L2345–2347, L2441–2451.
#[test]
fn s10_quorum_needs_a_majority_including_the_chairman() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1]), (2, &[1])]);
    let lot = [plan_item(1)];
    for member in [member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, admit(&lot));
    }
    assert_eq!(
        w.state().voting_control()[0].status,
        VotingControlStatus::NoQuorum
    );
    assert_eq!(w.refuse(&secretary(), C::CompleteVoting), "no_quorum");
    w.run(
        &member_b(),
        C::WithdrawVote {
            application_id: application_id(1),
        },
    );
    w.run(
        &member_b(),
        C::WithdrawVote {
            application_id: application_id(2),
        },
    );
    w.vote(&chairman(), 1, admit(&lot));
    w.vote(&chairman(), 2, admit(&lot));
    let control = w.state().voting_control();
    assert_eq!(control[0].status, VotingControlStatus::QuorumReached);
    assert_eq!(
        (
            control[0].applications[0].admitted,
            control[0].applications[0].not_voted
        ),
        (2, 1)
    );
    w.run(&secretary(), C::CompleteVoting);
}

// S11 — L2118–2128, L2471–2477.
#[test]
fn s11_article_6_veto_in_the_common_section_covers_every_lot() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2]), (2, &[1])]);
    let both = [plan_item(1), plan_item(2)];
    w.vote(&chairman(), 1, admit(&both));
    w.vote(&member_a(), 1, admit(&both));
    w.vote(&member_b(), 1, veto_common(&both));
    // Supplier 2 rejected by the majority, so a ППД follows.
    let one = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 2, reject_qualification(&one, &one[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    let state = w.state();
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(1))],
        D::RejectedNoResubmission
    );
    assert_eq!(
        state.voting().decisions[&(application_id(1), plan_item(2))],
        D::RejectedNoResubmission
    );
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    let supplement = |n, lots: Vec<_>| C::SupplementApplication {
        application_id: application_id(n),
        plan_item_ids: lots,
        documents: vec![file("more")],
    };
    assert_eq!(
        w.refuse(&supplier(1), supplement(1, vec![plan_item(1)])),
        "no_right_to_supplement"
    );
    assert_eq!(
        w.refuse(&supplier(1), supplement(1, vec![plan_item(2)])),
        "no_right_to_supplement"
    );
    assert_eq!(
        w.refuse(&supplier(2), supplement(1, vec![plan_item(1)])),
        "not_own_application"
    );
    w.run(&supplier(2), supplement(2, vec![plan_item(1)]));
}

// S12 — L2188–2213, L2479–2485.
#[test]
fn s12_application_security_veto_is_per_lot() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    let both = [plan_item(1), plan_item(2)];
    w.vote(&chairman(), 1, admit(&both));
    w.vote(&member_a(), 1, admit(&both));
    w.vote(&member_b(), 1, veto_security(&both, &both[0]));
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
    assert!(!state.preliminary_admission_required());
}

// S13 — L2457–2461, L2511–2689.
#[test]
fn s13_majority_rejection_leads_to_ppd_and_supplements() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2]), (2, &[1])]);
    let both = [plan_item(1), plan_item(2)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 2, admit(&both[..1]));
    }
    w.vote(&chairman(), 1, reject_qualification(&both, &both[0]));
    w.vote(&member_a(), 1, reject_qualification(&both, &both[0]));
    w.vote(&member_b(), 1, admit(&both));
    assert_eq!(
        w.refuse(&secretary(), C::FormPreliminaryAdmissionProtocol),
        "voting_not_completed"
    );
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "preliminary_admission_protocol_required"
    );
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    let state = w.state();
    assert_eq!(state.status, Some(S::FormingPreliminaryAdmissionProtocol));
    assert_eq!(
        state.lot_status(&plan_item(1)),
        Some(LotStatus::FormingPreliminaryAdmissionProtocol)
    );
    assert_eq!(
        state.application_status(&application_id(1)),
        Some(ApplicationStatus::FormingPreliminaryAdmissionProtocol)
    );

    assert_eq!(
        w.sign(&chairman(), ProtocolKind::PreliminaryAdmission)
            .unwrap_err()
            .code,
        "secretary_signs_first"
    );
    w.sign(&secretary(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    w.sign(&member_b(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    w.sign(&member_a(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::PreliminaryAdmission
            }
        ),
        "no_signature_quorum",
        "two members without the chairman"
    );
    w.sign(&chairman(), ProtocolKind::PreliminaryAdmission)
        .unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::PreliminaryAdmission,
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::PublishedSupplementingApplications));
    let supplement = state.offers.supplement.unwrap();
    assert_eq!(supplement.start, w.now);
    // Published Tue 24 Feb at the end of acceptance: 25, 26, 27 February.
    assert_eq!(supplement.start, astana("2026-02-24 10:00"));
    assert_eq!(
        supplement.end,
        astana("2026-02-28 00:00"),
        "end of the 3rd working day"
    );

    w.run(
        &supplier(1),
        C::SupplementApplication {
            application_id: application_id(1),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("licence")],
        },
    );
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SupplementApplication {
                application_id: application_id(1),
                plan_item_ids: vec![plan_item(2)],
                documents: vec![file("licence")],
            }
        ),
        "lot_not_rejected"
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    let state = w.state();
    assert_eq!(state.status, Some(S::ReviewingSupplements));
    assert_eq!(
        state.application_status(&application_id(1)),
        Some(ApplicationStatus::ReviewingSupplement)
    );
    assert_eq!(
        state
            .review_lots(&application_id(1))
            .into_iter()
            .collect::<Vec<_>>(),
        vec![plan_item(1)]
    );
    assert!(state.review_lots(&application_id(2)).is_empty());
    assert_eq!(
        w.refuse(
            &chairman(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&both)
            }
        ),
        "ballot_lots_mismatch"
    );
}

// S14 — L2497–2503.
#[test]
fn s14_no_ppd_when_nobody_can_supplement() {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1]), (2, &[1])]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, admit(&lot));
    }
    w.vote(&member_b(), 1, admit(&lot));
    w.vote(&member_b(), 2, veto_common(&lot));
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.refuse(&secretary(), C::FormPreliminaryAdmissionProtocol),
        "no_rejected_applications"
    );
    w.run(
        &secretary(),
        C::FillConditionalDiscounts {
            plan_item_id: plan_item(1),
            entries: vec![(application_id(1), zeros()), (application_id(2), zeros())],
        },
    );
}

// S15 — L2507–2509, L2751–2755, L2919–2933, L3093–3097.
#[test]
fn s15_conditional_discounts_gating_and_validation() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2]), (2, &[1])]);
    let both = [plan_item(1), plan_item(2)];
    for member in [chairman(), member_a()] {
        w.vote(&member, 1, admit(&both));
        w.vote(&member, 2, veto_security(&both[..1], &both[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    assert_eq!(
        w.state().discount_lots().cloned().collect::<Vec<_>>(),
        vec![plan_item(1)]
    );
    let fill = |lot, entries| C::FillConditionalDiscounts {
        plan_item_id: lot,
        entries,
    };
    assert_eq!(
        w.refuse(
            &secretary(),
            fill(plan_item(2), vec![(application_id(1), zeros())])
        ),
        "discounts_not_required_for_lot"
    );
    assert_eq!(
        w.refuse(&secretary(), C::FormResultsProtocol),
        "conditional_discounts_not_completed"
    );
    assert_eq!(
        w.refuse(&secretary(), C::CompleteConditionalDiscounts),
        "discounts_incomplete"
    );

    let empty = DiscountForm {
        qms_pct: None,
        ..zeros()
    };
    assert_eq!(
        w.refuse(
            &secretary(),
            fill(
                plan_item(1),
                vec![(application_id(1), empty), (application_id(2), zeros())]
            )
        ),
        "discount_field_empty"
    );
    let quality3 = DiscountForm {
        quality_pct: Some(Decimal::from(3)),
        ..zeros()
    };
    assert_eq!(
        w.refuse(
            &secretary(),
            fill(
                plan_item(1),
                vec![(application_id(1), quality3), (application_id(2), zeros())]
            )
        ),
        "discount_out_of_range"
    );
    let experience7 = DiscountForm {
        experience_pct: Some(Decimal::from(7)),
        ..zeros()
    };
    assert_eq!(
        w.refuse(
            &secretary(),
            fill(
                plan_item(1),
                vec![
                    (application_id(1), experience7.clone()),
                    (application_id(2), zeros())
                ]
            )
        ),
        "discount_out_of_range"
    );
    assert_eq!(
        experience7.validate(SubjectType::Work).unwrap().total_pct(),
        Decimal::from(7),
        "up to 10 % for works"
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            fill(plan_item(1), vec![(application_id(1), zeros())])
        ),
        "discount_entries_mismatch"
    );

    let some = DiscountForm {
        quality_pct: Some(Decimal::from(5)),
        qms_pct: Some(Decimal::from(2)),
        ..zeros()
    };
    w.run(
        &secretary(),
        fill(
            plan_item(1),
            vec![(application_id(1), some), (application_id(2), zeros())],
        ),
    );
    assert_eq!(
        w.state().discounts().unwrap().by_lot[&plan_item(1)][&application_id(1)].total_pct(),
        Decimal::from(7)
    );
    assert_eq!(
        w.state().discounts_status(),
        Some(zakup_domain::status::DiscountsStatus::FillingRequired)
    );
    w.run(&secretary(), C::CompleteConditionalDiscounts);
    assert_eq!(
        w.state().discounts_status(),
        Some(zakup_domain::status::DiscountsStatus::Filled)
    );
    w.run(&secretary(), C::FormResultsProtocol);
}

// S16 — L2507–2509.
#[test]
fn s16_a_single_supplier_needs_no_discounts() {
    let mut w = voted_all_admitted(1, &[(1, &[1])]);
    assert_eq!(w.state().discount_lots().count(), 0);
    assert_eq!(w.state().discounts_status(), None);
    w.run(&secretary(), C::FormResultsProtocol);
}

// S17 — L3083–3169.
#[test]
fn s17_results_protocol_to_completion() {
    let mut w = voted_all_admitted(1, &[(1, &[1])]);
    w.run(&secretary(), C::FormResultsProtocol);
    let state = w.state();
    assert_eq!(state.status, Some(S::FormingResultsProtocol));
    assert_eq!(
        state.lot_status(&plan_item(1)),
        Some(LotStatus::FormingResultsProtocol)
    );
    assert_eq!(
        state.application_status(&application_id(1)),
        Some(ApplicationStatus::FormingResultsProtocol)
    );
    w.run(
        &secretary(),
        C::AttachExpertOpinion {
            kind: ProtocolKind::Results,
            file: file("expert"),
        },
    );
    w.sign_and_publish(ProtocolKind::Results);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            C::AttachExpertOpinion {
                kind: ProtocolKind::Results,
                file: file("late")
            }
        ),
        "expert_opinion_not_allowed"
    );
    assert!(w.has("ProcurementCompleted"));
    w.run(
        &customer(),
        C::RecordLotContractDraft {
            plan_item_id: plan_item(1),
            contract_id: Uuid::from_u128(5),
        },
    );
}

// S18 — L1978–1996.
#[test]
fn s18_commission_change_during_voting() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let five = Commission {
        members: vec![
            person(&member_a()),
            person(&member_b()),
            person(&member_c()),
            person(&member_e()),
        ],
        ..commission3()
    };
    w.run(&organizer(), C::SetCommission { commission: five });
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndDiscussion);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.fire(TimedTransition::EndAcceptance);
    let lot = [plan_item(1)];
    w.vote(&member_b(), 1, admit(&lot));

    let changed = Commission {
        members: vec![
            person(&member_a()),
            person(&member_e()),
            person(&member_d()),
            person(&member_f()),
        ],
        ..commission3()
    };
    let change = |decision| C::ChangeCommission {
        commission: changed.clone(),
        decision,
    };
    let no_number = ChangeDecision {
        number: " ".into(),
        ..change_decision()
    };
    assert_eq!(w.refuse(&secretary(), change(no_number)), "missing_field");
    let no_file = ChangeDecision {
        file: FileRef {
            file_id: String::new(),
            name: String::new(),
        },
        ..change_decision()
    };
    assert_eq!(w.refuse(&secretary(), change(no_file)), "missing_field");
    assert_eq!(
        w.refuse(&member_a(), change(change_decision())),
        "not_secretary"
    );
    w.run(&secretary(), change(change_decision()));

    let state = w.state();
    assert!(
        state
            .voting()
            .votes
            .keys()
            .all(|(_, iin)| *iin != member_b().iin),
        "B's votes are reset"
    );
    let vote = |w: &mut World, m: &zakup_domain::actor::Actor| {
        w.try_run(
            m,
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&lot),
            },
        )
        .map(|_| ())
        .map_err(|e| e.code)
    };
    assert_eq!(vote(&mut w, &member_b()), Err("excluded_from_commission"));
    assert_eq!(vote(&mut w, &member_c()), Err("excluded_from_commission"));
    assert_eq!(vote(&mut w, &outsider()), Err("not_a_commission_member"));
    assert_eq!(vote(&mut w, &member_d()), Ok(()));

    let new_secretary = Commission {
        secretary: person(&member_c()),
        ..changed.clone()
    };
    let replace = C::ChangeCommission {
        commission: new_secretary,
        decision: change_decision(),
    };
    assert_eq!(
        w.refuse(&secretary(), replace.clone()),
        "only_chairman_changes_secretary"
    );
    w.run(&chairman(), replace);
    assert!(w.state().is_secretary(&member_c().iin));
}

// S19 — L3391–3597.
#[test]
fn s19_suspend_and_resume() {
    let mut w = World::new();
    w.accepting_ok(1);
    w.run(
        &secretary(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Suspended));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Suspended));
    assert!(state.deadlines().is_empty(), "timers are frozen");
    assert_eq!(w.refuse(&system(), C::EndAcceptance), "suspended");
    assert_eq!(
        w.refuse(
            &secretary(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "suspended"
    );
    w.run(
        &secretary(),
        C::Resume {
            act: act(Body::Prosecutor, ActType::Resolution),
        },
    );
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
    assert_eq!(
        w.state().deadlines()[0].transition,
        TimedTransition::EndAcceptance
    );

    let mut forming = voted_all_admitted(1, &[(1, &[1])]);
    forming.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(
        forming.refuse(
            &secretary(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
    let mut done = completed_ok();
    assert_eq!(
        done.refuse(
            &secretary(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
}

// S20 — L3201–3347.
#[test]
fn s20_partial_cancellation_during_review() {
    let mut w = World::new();
    w.reviewing_ok(2, &[(1, &[1, 2])]);
    let mut no_file = act(Body::StateFinancialControl, ActType::Submission);
    no_file.file.file_id.clear();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::CancelLots {
                plan_item_ids: vec![plan_item(2)],
                act: no_file
            }
        ),
        "missing_field"
    );
    let events = w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(2)],
            act: act(Body::StateFinancialControl, ActType::Submission),
        },
    );
    assert_eq!(events.len(), 1, "the procurement goes on");
    let state = w.state();
    assert_eq!(state.lot_status(&plan_item(2)), Some(LotStatus::Cancelled));
    assert!(!state.holds_plan_item(&plan_item(2)), "back to the pool");
    assert_eq!(state.status, Some(S::ReviewingApplications));
    assert_eq!(
        state
            .review_lots(&application_id(1))
            .into_iter()
            .collect::<Vec<_>>(),
        vec![plan_item(1)]
    );
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let lot2 = protocol
        .content
        .lots
        .iter()
        .find(|l| l.plan_item_id == plan_item(2))
        .unwrap();
    assert_eq!(
        lot2.cancellation.as_ref().unwrap().act_type,
        ActType::Submission
    );
    assert_eq!(lot2.outcome, Some(LotOutcome::Cancelled));
}

// S21 — L3369–3387, L608–612.
#[test]
fn s21_cancellation_after_completion_makes_a_new_valid_version() {
    let mut w = completed_ok();
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Ruling),
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity))
        .collect();
    assert_eq!(
        versions,
        [(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
    assert_eq!(state.status, Some(S::Completed));
    assert!(
        state
            .valid_protocol(ProtocolKind::Results)
            .unwrap()
            .content
            .lots[0]
            .cancellation
            .is_some()
    );

    let mut zcp = World::new();
    zcp.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    zcp.run(&organizer(), C::Publish);
    zcp.fire(TimedTransition::StartAcceptance);
    zcp.apply(1, &[1], 5_000_000);
    zcp.fire(TimedTransition::EndAcceptance);
    // ЗЦП has no commission: its creator acts as secretary (decision 0206).
    zcp.run(
        &organizer(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    let versions: Vec<_> = zcp
        .state()
        .protocol_versions(ProtocolKind::Results)
        .map(|p| p.validity)
        .collect();
    assert_eq!(
        versions,
        [ProtocolValidity::Invalid, ProtocolValidity::Valid]
    );
}

// S22 — L3353–3367.
#[test]
fn s22_cancellation_while_forming_results_requires_new_signatures() {
    let mut w = voted_all_admitted(2, &[(1, &[1, 2])]);
    w.run(&secretary(), C::FormResultsProtocol);
    for signer in [secretary(), chairman(), member_a()] {
        w.sign(&signer, ProtocolKind::Results).unwrap();
    }
    let (old_version, old_hash) = w.current_version(ProtocolKind::Results);
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(2)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::FormingResultsProtocol));
    let current = state.valid_protocol(ProtocolKind::Results).unwrap();
    assert_eq!(current.version(), old_version + 1);
    assert!(current.signatures.is_empty());
    assert_ne!(current.content_sha256, old_hash);
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "no_signature_quorum"
    );
    let stale = C::SignProtocol {
        kind: ProtocolKind::Results,
        version: old_version,
        signer_iin: member_b().iin,
        content_sha256: old_hash.clone(),
        dissent: None,
    };
    assert_eq!(w.refuse(&member_b(), stale), "protocol_superseded");
    let wrong_hash = C::SignProtocol {
        kind: ProtocolKind::Results,
        version: old_version + 1,
        signer_iin: secretary().iin,
        content_sha256: old_hash,
        dissent: None,
    };
    assert_eq!(w.refuse(&secretary(), wrong_hash), "content_hash_mismatch");
    w.sign_and_publish(ProtocolKind::Results);
    assert_eq!(w.status(), S::Completed);
}

// S23 — L598–600, L3341–3343 (the plan-item blocker (a) is in plan_item_rules.rs).
#[test]
fn s23_a_contract_draft_blocks_cancellation_until_deleted() {
    let mut w = completed_ok();
    w.run(
        &customer(),
        C::RecordLotContractDraft {
            plan_item_id: plan_item(1),
            contract_id: Uuid::from_u128(5),
        },
    );
    let cancel = || C::CancelLots {
        plan_item_ids: vec![plan_item(1)],
        act: act(Body::Court, ActType::Decision),
    };
    assert_eq!(w.refuse(&secretary(), cancel()), "contract_draft_exists");
    w.run(
        &customer(),
        C::RecordLotContractDeleted {
            plan_item_id: plan_item(1),
        },
    );
    w.run(&secretary(), cancel());
}

// S24 — L614–700, L3643–3675.
#[test]
fn s24_change_of_representatives_and_creator() {
    let change = || C::ChangeRepresentatives {
        organizer_representative: person(&organizer_rep()),
        customer_representative: person(&customer()),
    };
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    w.run(&secretary(), change());
    assert_eq!(
        w.state()
            .representatives
            .unwrap()
            .customer_representative
            .iin,
        customer().iin
    );
    assert_eq!(w.refuse(&supplier(1), change()), "forbidden_role");
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(
        w.refuse(&secretary(), change()),
        "representatives_change_not_allowed"
    );

    let mut zcp = World::new();
    zcp.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    zcp.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    zcp.run(&organizer(), C::Publish);
    zcp.run(&organizer(), change());
    zcp.fire(TimedTransition::StartAcceptance);
    zcp.fire(TimedTransition::EndAcceptance);
    assert_eq!(zcp.status(), S::Completed);
    assert_eq!(
        zcp.refuse(&organizer(), change()),
        "representatives_change_not_allowed"
    );

    let creator = |blocked, new_blocked, who: &zakup_domain::actor::Actor| C::ChangeCreator {
        new_creator_iin: who.iin,
        creator_blocked: blocked,
        new_creator_blocked: new_blocked,
    };
    assert_eq!(
        zcp.refuse(&org_admin(), creator(true, true, &secretary())),
        "new_creator_blocked"
    );
    assert_eq!(
        zcp.refuse(&organizer(), creator(true, false, &secretary())),
        "forbidden_role"
    );
    assert_eq!(
        zcp.refuse(&org_admin(), creator(false, false, &secretary())),
        "creator_not_blocked"
    );
    zcp.run(&org_admin(), creator(true, false, &secretary()));
    assert_eq!(zcp.state().creator_iin, Some(secretary().iin));
}

// S25 — L414–448.
#[test]
fn s25_price_quotations_results_are_automatic() {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    assert_eq!(
        w.refuse(
            &organizer(),
            C::ApproveContractDraft {
                contract_draft: contract_draft()
            }
        ),
        "not_a_draft"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: commission3()
            }
        ),
        "not_a_draft"
    );
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SubmitApplication {
                application_id: application_id(1),
                offers: vec![]
            }
        ),
        "wrong_status"
    );
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 7_000_000);
    w.apply(2, &[1], 7_000_000);
    assert_eq!(
        w.refuse(
            &chairman(),
            C::CastVote {
                application_id: application_id(1),
                ballot: admit(&[plan_item(1)])
            }
        ),
        "wrong_status"
    );
    w.fire(TimedTransition::EndAcceptance);
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(1)
        }),
        "equal prices: the earlier offer wins"
    );
    assert!(state.voting().votes.is_empty());
}
