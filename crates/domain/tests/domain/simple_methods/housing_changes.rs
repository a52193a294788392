//! «Закупка жилища»: the representative's change, suspension, cancellation and the change of
//! creator (spec 000-B §4.4 H14–H19; scenarios S26–S28, S22 for the protocol versions).

use super::housing::{reject, reviewing_housing, sign_and_publish_results};
use super::world::*;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AnnouncementStatus as S, LotStatus, ProtocolValidity};

fn replace_representative(w: &mut World, by: &Actor) {
    w.run(
        &organizer(),
        C::ChangeRepresentatives {
            organizer_representative: person(by),
            customer_representative: person(&customer_rep()),
        },
    );
}

// S26, H19b (L6820–6830): in «Формирование протокола итогов» a new representative sends the
// purchase back to review, deletes the protocol and resets the decisions.
#[test]
fn s26_a_new_representative_rolls_the_protocol_back() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    w.sign(&organizer_rep(), ProtocolKind::Results)
        .expect("signs");
    // When the creator names member A as the representative,
    replace_representative(&mut w, &member_a());
    let state = w.state();
    // then the purchase is back in review, with no valid results protocol and no decision;
    assert_eq!(state.status, Some(S::ReviewingApplications));
    assert!(state.valid_protocol(ProtocolKind::Results).is_none());
    assert!(state.voting().votes.is_empty());
    assert!(!state.voting().completed);
    // the former representative may not decide again, the new one may and signs alone.
    let ballot = admit(&[plan_item(1)]);
    let refused = w.refuse(
        &organizer_rep(),
        C::CastVote {
            application_id: application_id(1),
            ballot: ballot.clone(),
        },
    );
    assert_eq!(refused, "excluded_from_commission");
    w.vote(&member_a(), 1, ballot);
    w.run(&organizer(), C::FormResultsProtocol);
    assert_eq!(
        w.sign(&organizer_rep(), ProtocolKind::Results)
            .expect_err("replaced")
            .code,
        "not_a_signer"
    );
    w.sign(&member_a(), ProtocolKind::Results).expect("signs");
    w.run(
        &organizer(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
    assert_eq!(w.status(), S::Completed);
}

// H19a (L6804–6818): in «Рассмотрение заявок» the replaced representative's decisions are reset.
#[test]
fn h19a_a_new_representative_resets_the_decisions_in_review() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, reject("Не соответствует"));
    replace_representative(&mut w, &member_a());
    assert_eq!(w.status(), S::ReviewingApplications);
    assert!(w.state().voting().votes.is_empty());
    // The customer's representative alone changed: the review stays.
    w.vote(&member_a(), 1, admit(&[plan_item(1)]));
    replace_representative(&mut w, &member_a());
    assert_eq!(w.state().voting().votes.len(), 1);
}

// H19 (L6768–6798): by the creator who published, and not after the results.
#[test]
fn h19_the_change_of_representative_window() {
    let mut w = reviewing_housing(&[9_000_000]);
    let change = C::ChangeRepresentatives {
        organizer_representative: person(&member_a()),
        customer_representative: person(&customer_rep()),
    };
    assert_eq!(w.refuse(&secretary(), change.clone()), "not_secretary");
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    assert_eq!(
        w.refuse(&organizer(), change),
        "representatives_change_not_allowed"
    );
}

// S27, H15–H16 (L6548–6706): suspended from «Рассмотрение заявок», resumed to it; not from
// «Формирование протокола итогов».
#[test]
fn s27_housing_suspension() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.run(
        &organizer(),
        C::Suspend {
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Suspended));
    assert_eq!(state.lot_status(&plan_item(1)), Some(LotStatus::Suspended));
    // Suspended, the representative cannot decide.
    let refused = w.refuse(
        &organizer_rep(),
        C::CastVote {
            application_id: application_id(1),
            ballot: admit(&[plan_item(1)]),
        },
    );
    assert_eq!(refused, "suspended");
    w.run(
        &organizer(),
        C::Resume {
            act: act(Body::Prosecutor, ActType::Resolution),
        },
    );
    assert_eq!(w.status(), S::ReviewingApplications);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    assert_eq!(
        w.refuse(
            &organizer(),
            C::Suspend {
                act: act(Body::Court, ActType::Decision)
            }
        ),
        "wrong_status"
    );
}

// S28, H18 (L6710–6760): the organisation's administrator replaces a blocked creator, also
// once completed.
#[test]
fn s28_change_of_creator() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    let change = |blocked| C::ChangeCreator {
        new_creator_iin: secretary().iin,
        creator_blocked: blocked,
        new_creator_active: true,
    };
    assert_eq!(w.refuse(&organizer(), change(true)), "forbidden_role");
    assert_eq!(w.refuse(&org_admin(), change(false)), "creator_not_blocked");
    w.run(&org_admin(), change(true));
    assert_eq!(w.state().creator_iin, Some(secretary().iin));
}

// H14, S22 (L6410–6538): cancelled while the protocol is formed, it is re-formed and signed
// again; cancelled once completed, version 1 «Не действительный», version 2 «Действительный».
#[test]
fn h14_cancellation_and_protocol_versions() {
    let mut w = reviewing_housing(&[9_000_000]);
    w.vote(&organizer_rep(), 1, admit(&[plan_item(1)]));
    w.run(&organizer(), C::FormResultsProtocol);
    sign_and_publish_results(&mut w);
    w.run(
        &organizer(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(Body::Court, ActType::Decision),
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity))
        .collect();
    assert_eq!(
        versions,
        vec![(1, ProtocolValidity::Invalid), (2, ProtocolValidity::Valid)]
    );
}
