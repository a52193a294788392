//! S1–S8: publication, the commission, dates, the discussion and the index-2 copy.

use super::*;

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
                proof: proof(),
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
