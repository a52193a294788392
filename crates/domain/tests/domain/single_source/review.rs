//! The single source's opening, its one voter and its results (spec 000-C §4.3, §6.1, §7.1,
//! §10 S8–S12): the voting, protocol and acts components with the organizer's representative as
//! a commission of one (docs/decisions/0723).

use super::draft_after;
use super::world::*;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::Method;
use zakup_domain::application::LotOffer;
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::{FailureReason, LotOutcome};
use zakup_domain::money::Money;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AnnouncementStatus as S, ProtocolValidity};

const RESULTS: ProtocolKind = ProtocolKind::Results;

/// Published after a failed open tender, acceptance open (Monday 2 February 2026, 10:00 for
/// 14 days).
fn accepting() -> World {
    let mut w = draft_after(Method::OpenTender, FailureReason::NoAdmitted);
    let (start, end) = w.valid_dates(Method::SingleSource);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w
}

fn apply_invited(w: &mut World) {
    w.run(
        &supplier(1),
        C::SubmitApplication {
            application_id: application_id(1),
            offers: vec![LotOffer {
                plan_item_id: plan_item(1),
                price: Money::from_tenge(9_000_000),
            }],
        },
    );
}

/// The invited supplier applied and the creator opened the procurement.
fn reviewing() -> World {
    let mut w = accepting();
    apply_invited(&mut w);
    w.run(&organizer(), C::OpenApplications);
    w
}

fn vote(w: &mut World, voter: &Actor) -> Result<(), &'static str> {
    let ballot = admit(&[plan_item(1)]);
    w.try_run(
        voter,
        C::CastVote {
            application_id: application_id(1),
            ballot,
        },
    )
    .map(|_| ())
    .map_err(|e| e.code)
}

fn outcome(w: &World) -> Option<LotOutcome> {
    w.state().lots[&plan_item(1)].outcome.clone()
}

// O3 (L7538–7544, L7594–7616): given an application, when the creator opens before the end,
// then «Рассмотрение заявок»; another organizer, or no application, is refused.
#[test]
fn the_creator_opens_the_procurement_manually() {
    let mut w = accepting();
    assert_eq!(
        w.refuse(&organizer(), C::OpenApplications),
        "nothing_to_review"
    );
    apply_invited(&mut w);
    assert_eq!(w.refuse(&secretary(), C::OpenApplications), "not_secretary");
    w.run(&organizer(), C::OpenApplications);
    assert_eq!(w.status(), S::ReviewingApplications);
    assert_eq!(w.refuse(&organizer(), C::OpenApplications), "wrong_status");
}

// O4 (L7546–7564): given an application not opened, when acceptance ends, then the system opens.
#[test]
fn the_end_of_acceptance_opens_the_application() {
    let mut w = accepting();
    apply_invited(&mut w);
    w.fire(TimedTransition::EndAcceptance);
    assert_eq!(w.status(), S::ReviewingApplications);
}

// O5 (L7580–7592), §4.3 AMBIGUOUS: given nothing received, when acceptance ends, then the results
// protocol is formed, signed by the representative and published by the creator; the lot fails.
#[test]
fn with_nothing_received_the_results_protocol_is_formed_at_the_end() {
    let mut w = accepting();
    w.fire(TimedTransition::EndAcceptance);
    assert_eq!(w.status(), S::FormingResultsProtocol);
    assert_eq!(
        w.refuse(&organizer(), C::PublishProtocol { kind: RESULTS }),
        "signatures_missing"
    );
    w.sign(&organizer_rep(), RESULTS).unwrap();
    w.run(&organizer(), C::PublishProtocol { kind: RESULTS });
    assert_eq!(w.status(), S::Completed);
    assert_eq!(
        outcome(&w),
        Some(LotOutcome::failed(FailureReason::NoApplications))
    );
}

// O2 (L7566–7576): given acceptance open, when the invited supplier refuses, then the procurement
// opens at once with the results protocol formed; nobody else refuses for it.
#[test]
fn the_invited_suppliers_refusal_opens_at_once() {
    let mut w = accepting();
    assert_eq!(
        w.refuse(&supplier(2), C::RefuseParticipation),
        "supplier_not_invited"
    );
    w.run(&supplier(1), C::RefuseParticipation);
    assert!(w.has("ParticipationRefused"));
    assert_eq!(w.status(), S::FormingResultsProtocol);
    assert!(w.state().valid_protocol(RESULTS).is_some());
}

// V1–V2, P1–P3 (L7664–7804): only the organizer's representative votes; the creator forms the
// protocol, the representative alone signs, the creator publishes: the supplier wins the lot
// («Победитель»), «Завершено».
#[test]
fn the_representative_alone_admits_and_the_supplier_wins() {
    let mut w = reviewing();
    assert_eq!(vote(&mut w, &organizer()), Err("not_a_commission_member"));
    assert_eq!(vote(&mut w, &chairman()), Err("not_a_commission_member"));
    // P1 needs the representative's vote.
    assert_eq!(w.refuse(&organizer(), C::FormResultsProtocol), "no_quorum");
    vote(&mut w, &organizer_rep()).unwrap();
    assert_eq!(
        w.refuse(&organizer_rep(), C::FormResultsProtocol),
        "not_secretary"
    );
    w.run(&organizer(), C::FormResultsProtocol);
    assert_eq!(w.status(), S::FormingResultsProtocol);
    assert_eq!(
        w.sign(&organizer(), RESULTS).map(|_| ()).unwrap_err().code,
        "not_a_signer"
    );
    w.sign(&organizer_rep(), RESULTS).unwrap();
    w.run(&organizer(), C::PublishProtocol { kind: RESULTS });
    assert_eq!(w.status(), S::Completed);
    assert_eq!(
        outcome(&w),
        Some(LotOutcome::Held {
            winner: application_id(1)
        })
    );
}

// V3 (L7734–7736): the vote is withdrawn while the protocol is not formed, and not after.
#[test]
fn the_vote_is_withdrawn_until_the_protocol_is_formed() {
    let mut w = reviewing();
    vote(&mut w, &organizer_rep()).unwrap();
    let withdraw = || C::WithdrawVote {
        application_id: application_id(1),
    };
    w.run(&organizer_rep(), withdraw());
    vote(&mut w, &organizer_rep()).unwrap();
    w.run(&organizer(), C::FormResultsProtocol);
    assert_eq!(w.refuse(&organizer_rep(), withdraw()), "wrong_status");
}

// R2a–R2c (L8028–8040): given the representative voted, when the creator replaces them, then the
// vote is reset, the removed one votes no more and the new one votes.
#[test]
fn a_new_representative_votes_and_the_removed_ones_vote_is_reset() {
    let mut w = reviewing();
    vote(&mut w, &organizer_rep()).unwrap();
    w.run(
        &organizer(),
        C::ChangeRepresentatives {
            organizer_representative: person(&member_a()),
            customer_representative: person(&customer_rep()),
        },
    );
    assert_eq!(w.refuse(&organizer(), C::FormResultsProtocol), "no_quorum");
    assert!(vote(&mut w, &organizer_rep()).is_err());
    vote(&mut w, &member_a()).unwrap();
    w.run(&organizer(), C::FormResultsProtocol);
    w.sign(&member_a(), RESULTS).unwrap();
}

// C1–C5, §6.2 (L7810–7926): given a completed procurement without a contract, when the creator
// cancels the lot, then the protocol's first version is «Не действительный» and the re-formed one
// «Действительный»; the lot is «Отменено».
#[test]
fn cancellation_after_completion_keeps_both_protocol_versions() {
    let mut w = reviewing();
    vote(&mut w, &organizer_rep()).unwrap();
    w.run(&organizer(), C::FormResultsProtocol);
    w.sign(&organizer_rep(), RESULTS).unwrap();
    w.run(&organizer(), C::PublishProtocol { kind: RESULTS });
    w.run(
        &organizer(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(RESULTS)
        .map(|p| (p.version(), p.validity))
        .collect();
    assert_eq!(
        versions,
        vec![(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
    assert_eq!(outcome(&w), Some(LotOutcome::Cancelled));
}

// R1 (L7934–7982): the organisation's administrator replaces a blocked creator, also once
// completed; the new creator then acts as the creator.
#[test]
fn the_administrator_replaces_a_blocked_creator() {
    let mut w = reviewing();
    w.run(
        &org_admin(),
        C::ChangeCreator {
            new_creator_iin: secretary().iin,
            creator_blocked: true,
            new_creator_active: true,
        },
    );
    vote(&mut w, &organizer_rep()).unwrap();
    assert_eq!(
        w.refuse(&organizer(), C::FormResultsProtocol),
        "not_secretary"
    );
    w.run(&secretary(), C::FormResultsProtocol);
}
