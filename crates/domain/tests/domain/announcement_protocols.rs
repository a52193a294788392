//! Protocols: deterministic content and hashes, signatures in order, quorum of signatures,
//! versions and validity (spec 000-A §6, decisions 0203 and 0208).

use crate::world;

use sha2::{Digest, Sha256};
use uuid::Uuid;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::{AnnouncementEvent, TimedTransition};
use zakup_domain::discussion::{DiscussionDecision, DiscussionRequestId};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::ProtocolValidity;

fn forming_results() -> World {
    let mut w = World::new();
    w.reviewing_ok(1, &[(1, &[1])]);
    w.admit_everyone(&[chairman(), member_a()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormResultsProtocol);
    w
}

// spec 000-A §6: the signed content is the protocol's canonical JSON; its SHA-256 is what
// signers send.
#[test]
fn the_content_hash_is_the_sha256_of_the_canonical_content() {
    let w = forming_results();
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    let expected: String = Sha256::digest(serde_json::to_vec(&protocol.content).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(protocol.content_sha256, expected);
    assert_eq!(protocol.content.sha256_hex(), expected);
    assert_eq!(protocol.content.version, 1);
    assert_eq!(protocol.content.kind, ProtocolKind::Results);

    // Deciding again from the same state and clock forms the same content.
    let mut again = World {
        id: w.id,
        now: w.now,
        events: w.events[..w.events.len() - 1].to_vec(),
        ..World::new()
    };
    again.run(&secretary(), C::FormResultsProtocol);
    assert_eq!(
        again
            .state()
            .valid_protocol(ProtocolKind::Results)
            .unwrap()
            .content_sha256,
        expected
    );
}

// spec 000-A §6, L2545–2601, L3109–3139: secretary first, then members; hash must match.
#[test]
fn signatures_follow_the_order_and_the_hash() {
    let mut w = forming_results();
    let (version, hash) = w.current_version(ProtocolKind::Results);
    let sign = |who: &zakup_domain::actor::Actor, hash: &str| C::SignProtocol {
        kind: ProtocolKind::Results,
        version,
        signer_iin: who.iin,
        content_sha256: hash.to_owned(),
        dissent: None,
        proof: proof(),
    };
    assert_eq!(
        w.refuse(&member_a(), sign(&member_a(), &hash)),
        "secretary_signs_first"
    );
    assert_eq!(
        w.refuse(&secretary(), sign(&secretary(), &"0".repeat(64))),
        "content_hash_mismatch"
    );
    assert_eq!(
        w.refuse(&secretary(), sign(&chairman(), &hash)),
        "signer_mismatch"
    );
    assert_eq!(
        w.refuse(&outsider(), sign(&outsider(), &hash)),
        "not_a_signer"
    );
    w.run(&secretary(), sign(&secretary(), &hash.to_uppercase()));
    assert_eq!(
        w.refuse(&secretary(), sign(&secretary(), &hash)),
        "already_signed"
    );
    let with_dissent = C::SignProtocol {
        kind: ProtocolKind::Results,
        version,
        signer_iin: member_a().iin,
        content_sha256: hash.clone(),
        dissent: Some(file("особое-мнение")),
        proof: proof(),
    };
    w.run(&member_a(), with_dissent);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    assert_eq!(protocol.signatures.len(), 2);
    assert!(
        protocol.signatures.iter().all(|s| s.content_sha256 == hash),
        "the event records the content hash"
    );
    assert!(protocol.signatures[1].dissent.is_some());
    assert_eq!(
        w.refuse(
            &secretary(),
            C::SignProtocol {
                kind: ProtocolKind::Results,
                version: 9,
                signer_iin: secretary().iin,
                content_sha256: hash,
                dissent: None,
                proof: proof(),
            }
        ),
        "protocol_not_found"
    );
}

// spec 000-A §6 AMBIGUOUS, decision 0203: an attached absence reason does not count as a signature.
#[test]
fn an_absence_reason_does_not_make_a_quorum() {
    let mut w = forming_results();
    let (version, _) = w.current_version(ProtocolKind::Results);
    w.sign(&secretary(), ProtocolKind::Results).unwrap();
    w.sign(&chairman(), ProtocolKind::Results).unwrap();
    let absence = |member: &zakup_domain::actor::Actor| C::RecordSignatureAbsence {
        kind: ProtocolKind::Results,
        version,
        member_iin: member.iin,
        file: file("отпуск"),
    };
    assert_eq!(w.refuse(&chairman(), absence(&member_a())), "not_secretary");
    assert_eq!(
        w.refuse(&secretary(), absence(&outsider())),
        "not_a_commission_member"
    );
    assert_eq!(
        w.refuse(&secretary(), absence(&chairman())),
        "already_signed"
    );
    w.run(&secretary(), absence(&member_a()));
    w.run(&secretary(), absence(&member_b()));
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "no_signature_quorum"
    );
    w.sign(&member_b(), ProtocolKind::Results).unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
}

// spec 000-A §6: a quorum of members without the secretary's signature is not enough either.
#[test]
fn the_secretary_must_have_signed_to_publish() {
    let mut w = forming_results();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "no_signature_quorum"
    );
    assert_eq!(
        w.refuse(
            &chairman(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "not_secretary"
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            C::PublishProtocol {
                kind: ProtocolKind::PreliminaryAdmission
            }
        ),
        "protocol_not_found"
    );
}

// Decision 0208: versions and validity are derived by the fold, all versions stay visible.
#[test]
fn every_new_version_invalidates_the_previous_ones() {
    let mut w = forming_results();
    w.sign_and_publish(ProtocolKind::Results);
    w.run(
        &secretary(),
        C::CancelLots {
            plan_item_ids: vec![plan_item(1)],
            act: act(
                zakup_domain::kernel::act::Body::Court,
                zakup_domain::kernel::act::ActType::Decision,
            ),
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity, p.automatic))
        .collect();
    assert_eq!(
        versions,
        [
            (1, ProtocolValidity::Invalid, false),
            (2, ProtocolValidity::Valid, true)
        ]
    );
    assert!(
        state
            .protocol(ProtocolKind::Results, 1)
            .unwrap()
            .published_at
            .is_some(),
        "v1 stays visible"
    );
    assert!(
        !w.events
            .iter()
            .any(|e| serde_json::to_string(&e.to_stored().2)
                .unwrap()
                .contains(r#""validity""#)),
        "never stored"
    );
}

// spec 000-A §4.2.5 R5, L3115–3121: expert opinion only before publication, on ППД or results.
#[test]
fn expert_opinion_only_while_forming() {
    let mut w = forming_results();
    assert_eq!(
        w.refuse(
            &secretary(),
            C::AttachExpertOpinion {
                kind: ProtocolKind::PreliminaryAdmission,
                file: file("x")
            }
        ),
        "expert_opinion_not_allowed"
    );
    assert_eq!(
        w.refuse(
            &secretary(),
            C::AttachExpertOpinion {
                kind: ProtocolKind::Discussion,
                file: file("x")
            }
        ),
        "expert_opinion_not_allowed"
    );
    w.run(
        &secretary(),
        C::AttachExpertOpinion {
            kind: ProtocolKind::Results,
            file: file("x"),
        },
    );
    assert!(
        w.state()
            .valid_protocol(ProtocolKind::Results)
            .unwrap()
            .expert_opinion
            .is_some()
    );
}

// spec 000-A §6 (every formation is a new version), L1706–1708 (the secretary deletes the
// unsigned discussion protocol to edit the answers), decision 0605.
#[test]
fn a_re_formed_discussion_protocol_takes_the_next_number_and_the_deleted_one_stays() {
    // Given a discussion protocol v1 formed on an answered request
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
    let answer = |text: &str| C::EditDiscussionAnswer {
        request_id,
        decision: DiscussionDecision::Clarify,
        text: Some(text.into()),
    };
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id,
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    let (first, first_hash) = w.current_version(ProtocolKind::Discussion);
    assert_eq!(first, 1);

    // When the secretary deletes it, edits the answer and forms it again
    w.run(&secretary(), C::DeleteDiscussionProtocol);
    w.run(&secretary(), answer("Уточнено"));
    w.run(&secretary(), C::FormDiscussionProtocol);

    // Then the new one is version 2, valid; version 1 stays, deleted and invalid
    let (second, second_hash) = w.current_version(ProtocolKind::Discussion);
    assert_eq!(second, 2, "a formation after a deletion is a new version");
    assert_ne!(second_hash, first_hash);
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Discussion)
        .map(|p| (p.version(), p.validity, p.deleted_at.is_some()))
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, ProtocolValidity::Invalid, true),
            (2, ProtocolValidity::Valid, false),
        ]
    );

    // And the deleted version can be neither signed nor deleted again; v2 signs and publishes
    assert_eq!(
        w.try_run(
            &organizer_rep(),
            C::SignProtocol {
                kind: ProtocolKind::Discussion,
                version: 1,
                signer_iin: organizer_rep().iin,
                content_sha256: first_hash,
                dissent: None,
                proof: proof(),
            },
        )
        .unwrap_err()
        .code,
        "protocol_not_found"
    );
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Discussion,
        },
    );
    let state = w.state();
    let published = state.valid_protocol(ProtocolKind::Discussion).unwrap();
    assert_eq!(published.version(), 2);
    assert!(published.published_at.is_some());
}

// Decision 0605: streams written before it re-used a deleted version's number; they replay as
// they did, the later formation being the one their signatures and publication name.
#[test]
fn an_old_stream_that_re_used_a_deleted_number_replays_on_the_later_formation() {
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
    w.run(
        &secretary(),
        C::AnswerDiscussionRequest {
            request_id,
            decision: DiscussionDecision::Clarify,
            text: Some("Разъяснение".into()),
        },
    );
    w.run(
        &secretary(),
        C::CompleteDiscussion {
            signers: vec![person(&organizer_rep())],
        },
    );
    w.run(&secretary(), C::FormDiscussionProtocol);
    let formed = w.events.last().unwrap().clone();
    w.run(&secretary(), C::DeleteDiscussionProtocol);
    // What the engine wrote before decision 0605: the same number again.
    w.events.push(formed);
    let (version, _) = w.current_version(ProtocolKind::Discussion);
    assert_eq!(version, 1);
    w.sign(&organizer_rep(), ProtocolKind::Discussion).unwrap();
    w.run(
        &secretary(),
        C::PublishProtocol {
            kind: ProtocolKind::Discussion,
        },
    );
    let state = w.state();
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Discussion)
        .map(|p| {
            (
                p.version(),
                p.validity,
                p.deleted_at.is_some(),
                p.published_at.is_some(),
                p.signatures.len(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, ProtocolValidity::Invalid, true, false, 0),
            (1, ProtocolValidity::Valid, false, true, 1),
        ]
    );
}

// Decision 0890 (issue 20 item 5): given a results protocol to sign, when a signature reaches
// the aggregate without the signature itself, then it is refused (`signature_required`); when
// it carries it, then `ProtocolSigned` (v2) keeps the signature and its key id.
#[test]
fn a_signature_is_kept_with_its_key_id_and_refused_without_it() {
    let mut w = forming_results();
    let (version, hash) = w.current_version(ProtocolKind::Results);
    let mut bare = C::SignProtocol {
        kind: ProtocolKind::Results,
        version,
        signer_iin: secretary().iin,
        content_sha256: hash,
        dissent: None,
        proof: None,
    };
    assert_eq!(w.refuse(&secretary(), bare.clone()), "signature_required");
    if let C::SignProtocol { proof: p, .. } = &mut bare {
        *p = proof();
    }
    let events = w.run(&secretary(), bare);
    let stored = events[0].to_stored();
    assert_eq!((stored.0, stored.1), ("ProtocolSigned", 2));
    assert_eq!(
        stored.2["signature"]["proof"]["key_id"],
        serde_json::json!("a".repeat(64))
    );
    let state = w.state();
    let signed = &state
        .valid_protocol(ProtocolKind::Results)
        .unwrap()
        .signatures[0];
    assert_eq!(signed.proof, proof());
}

// Decision 0890: given a `ProtocolSigned` v1 (signed before signatures were kept), when it is
// replayed, then it upcasts to v2 with no proof and the signature still counts.
#[test]
fn a_version_1_signature_still_replays_without_its_proof() {
    let mut w = forming_results();
    let (version, hash) = w.current_version(ProtocolKind::Results);
    let v1 = serde_json::json!({
        "kind": "results",
        "version": version,
        "signature": {
            "signer_iin": secretary().iin.to_string(),
            "content_sha256": hash,
            "dissent": null,
            "signed_at": "2026-02-09T19:00:00Z"
        }
    });
    let event = AnnouncementEvent::from_stored("ProtocolSigned", 1, &v1).unwrap();
    w.events.push(event);
    let state = w.state();
    let protocol = state.valid_protocol(ProtocolKind::Results).unwrap();
    assert_eq!(protocol.signatures.len(), 1);
    assert_eq!(protocol.signatures[0].proof, None);
    assert!(protocol.is_signed_by(&secretary().iin));
}
