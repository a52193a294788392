//! S19–S25: suspension, cancellation, contract drafts, representatives, ЗЦП results.

use super::*;

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
        proof: proof(),
    };
    assert_eq!(w.refuse(&member_b(), stale), "protocol_superseded");
    let wrong_hash = C::SignProtocol {
        kind: ProtocolKind::Results,
        version: old_version + 1,
        signer_iin: secretary().iin,
        content_sha256: old_hash,
        dissent: None,
        proof: proof(),
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

    let creator = |blocked, new_blocked: bool, who: &zakup_domain::actor::Actor| C::ChangeCreator {
        new_creator_iin: who.iin,
        creator_blocked: blocked,
        new_creator_active: !new_blocked,
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
