//! S9–S18: acceptance, review with quorum and vetoes, the ППД, discounts, results.

use super::*;

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
    // Issue 24, decision 0640: where §3.2/§3.3 name no status the lot and the application
    // mirror the announcement («Завершено», L448, L622, L3159) instead of showing none.
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Completed));
    assert_eq!(
        state.application_status(&application_id(1)),
        Some(ApplicationStatus::Completed)
    );
    assert_eq!(LotStatus::Completed.original(), "Завершено");
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
