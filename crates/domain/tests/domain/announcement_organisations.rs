//! Issue 26 item 3 (docs/decisions/0674): every command names, besides the portal roles that may
//! issue it (decision 0630), the organisation the actor must belong to. A token of the right
//! role carrying the secretary's, a representative's or the creator's ИИН acts on no other
//! organisation's procurement; only a commission member (chairman, member) may come from
//! another organisation (seed 000 L13066–13068).

use crate::world;

use uuid::Uuid;
use world::*;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::announcement::ActingOrganisation as O;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::protocol::ProtocolKind;

/// `named`'s ИИН, with every role the command permits, in `org`.
fn as_of(named: &Actor, command: &C, org: zakup_domain::ident::Bin) -> Actor {
    Actor {
        org,
        roles: command.permitted_roles().to_vec(),
        ..named.clone()
    }
}

fn commands() -> Vec<C> {
    let pi = plan_item(1);
    vec![
        C::CompleteVoting,
        C::ReopenVoting,
        C::FormPreliminaryAdmissionProtocol,
        C::FormResultsProtocol,
        C::DeleteResultsProtocol,
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
        C::CompleteConditionalDiscounts,
        C::Publish,
        C::DeleteDraft,
        C::RevokeContractDraft,
        C::FormDiscussionProtocol,
        C::DeleteDiscussionProtocol,
        C::ChangeRepresentatives {
            organizer_representative: person(&organizer_rep()),
            customer_representative: person(&customer_rep()),
        },
        C::ChangeCreator {
            new_creator_iin: secretary().iin,
            creator_blocked: true,
            new_creator_active: true,
        },
        C::AnswerDiscussionRequest {
            request_id: DiscussionRequestId(Uuid::from_u128(1)),
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
        C::RecordLotContractDeleted {
            plan_item_id: pi.clone(),
        },
        C::RecordContractEvasion {
            plan_item_id: pi.clone(),
            grounds: "Уклонение".into(),
        },
        C::RecordLotContractDraft {
            plan_item_id: pi,
            contract_id: Uuid::from_u128(2),
        },
    ]
}

// Decision 0674: whatever ИИН a token carries (the secretary's, the creator's, a
// representative's), a command of the organizer's or of a lot's customer is refused with
// `foreign_organization` to a token of another organisation, before anything else is checked.
#[test]
fn every_command_of_the_organizer_or_customer_is_refused_to_another_organisation() {
    // Given an open tender under review, its representatives and commission named by ИИН
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    let stranger = bin(3);
    for command in commands() {
        let who = command.acting_organisation();
        assert!(
            matches!(who, O::Organizer | O::OrganizerOrCustomer | O::Customer),
            "{command:?}"
        );
        for named in [organizer(), secretary(), organizer_rep(), customer_rep()] {
            // When a token of another organisation issues it with every permitted role
            let actor = as_of(&named, &command, stranger);
            // Then it is refused for the organisation, and nothing is written
            assert_eq!(
                w.refuse(&actor, command.clone()),
                "foreign_organization",
                "{} issuing {command:?}",
                named.user_id
            );
        }
    }
}

// Spec 000-A §4.2.2, L1614–1616 (the secretary, the organizer's or the customer's
// representative answers), decision 0674: each answers from its own organisation; the
// secretary's ИИН in the customer's token, or the customer representative's in the
// organizer's, answers nothing.
#[test]
fn a_discussion_request_is_answered_from_the_responders_own_organisation() {
    // Given a published tender with a request, after the discussion's end
    let mut w = World::new();
    w.published_ok(1);
    let request_id = DiscussionRequestId(Uuid::from_u128(1));
    w.run(
        &supplier(1),
        C::SubmitDiscussionRequest {
            request_id,
            subject: "Тема".into(),
            text: "Замечание".into(),
        },
    );
    w.fire(TimedTransition::EndDiscussion);
    let answer = C::AnswerDiscussionRequest {
        request_id,
        decision: DiscussionDecision::Clarify,
        text: Some("Разъяснение".into()),
    };
    // When the secretary's ИИН comes in the customer's token, or the customer representative's
    // in the organizer's, then it is refused
    let swapped = [
        as_of(&secretary(), &answer, customer_bin()),
        as_of(&organizer_rep(), &answer, customer_bin()),
        as_of(&customer_rep(), &answer, organizer_bin()),
    ];
    for actor in swapped {
        assert_eq!(
            w.refuse(&actor, answer.clone()),
            "foreign_organization",
            "{}",
            actor.user_id
        );
    }
    // And the customer's representative, from the customer's organisation, answers
    w.run(&customer_rep(), answer);
}

// Seed 000 L13066–13068 (members from another organisation keep working), L1974–1976 (only
// the chairman changes the secretary), decision 0674: the secretary changes the commission from
// the organizer's organisation only; the chairman may come from another.
#[test]
fn the_secretary_changes_the_commission_from_the_organizers_organisation() {
    // Given an open tender under review
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    let change = C::ChangeCommission {
        commission: zakup_domain::commission::Commission {
            members: vec![person(&member_a()), person(&member_c())],
            ..commission3()
        },
        decision: change_decision(),
    };
    // When the secretary's ИИН comes with another organisation's organizer token, it is refused
    let mut impostor = secretary();
    impostor.org = bin(3);
    assert_eq!(w.refuse(&impostor, change.clone()), "foreign_organization");
    // And a chairman employed elsewhere still changes it
    let mut chairman = chairman();
    chairman.org = bin(3);
    chairman.roles = vec![Role::Customer];
    w.run(&chairman, change);
    assert!(w.has("CommissionChanged"));
}
