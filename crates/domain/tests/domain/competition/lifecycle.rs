//! The discussion, conclusions, the contract counter and completion: C3–C10 (spec 002-003
//! §4.B.2; scenarios S21–S25).

use chrono::TimeDelta;
use uuid::Uuid;
use zakup_domain::competition::{
    ChatRecipient, CompetitionCommand as C, CompetitionStatus as S, ConclusionKind,
};

use super::*;

fn post(n: u128) -> C {
    C::PostMessage {
        message_id: Uuid::from_u128(0x3000 + n),
        text: format!("Сұрақ {n}"),
        warning_acknowledged: true,
    }
}

fn conclusion(n: u128, kind: ConclusionKind) -> C {
    C::InitiateConclusion {
        conclusion_id: Uuid::from_u128(0x4000 + n),
        kind,
        justification: "Негіздеме".into(),
        attachment: Some(file("conclusion")),
    }
}

fn complete() -> C {
    C::Complete {
        justification: "Нәтижелер".into(),
        attachment: Some(file("results")),
    }
}

/// The discussion's end in `ready()`.
fn end() -> chrono::DateTime<chrono::Utc> {
    astana("2026-02-08 09:00")
}

/// C3, S21 (L419–421): the portal opens the discussion at its start, not before, only itself.
#[test]
fn c3_the_discussion_opens_at_its_start() {
    let mut w = ready();
    w.ok(&organizer(), C::Publish);
    assert_eq!(
        w.refused(&system(), C::StartDiscussion),
        "discussion_not_due"
    );
    w.at(astana("2026-02-03 09:00"));
    assert_eq!(w.refused(&organizer(), C::StartDiscussion), "not_portal");
    w.ok(&system(), C::StartDiscussion);
    assert_eq!(w.state().status, Some(S::PublishedDiscussion));
    assert_eq!(
        w.refused(&system(), C::StartDiscussion),
        "discussion_not_due"
    );
}

/// C4, S22 (L420–445): any signed-in user posts during the discussion, after the warning.
#[test]
fn c4_any_user_posts_after_the_warning() {
    let mut w = discussing();
    let unwarned = C::PostMessage {
        message_id: Uuid::from_u128(1),
        text: "Сұрақ".into(),
        warning_acknowledged: false,
    };
    assert_eq!(
        w.refused(&citizen(5), unwarned),
        "chat_warning_not_acknowledged"
    );
    w.ok(&citizen(5), post(1));
    w.ok(&organizer(), post(2));
    let c = w.state();
    assert_eq!(c.chat.len(), 2);
    assert_eq!(c.chat[0].author_bin, citizen(5).org);
}

/// C4, S22: before the start and from the end, «Хабарлама жіберу» is refused.
#[test]
fn c4_no_message_outside_the_discussion() {
    let mut w = ready();
    w.ok(&organizer(), C::Publish);
    assert_eq!(w.refused(&citizen(1), post(1)), "discussion_not_started");
    let mut w = discussing();
    w.at(end());
    assert_eq!(w.refused(&citizen(1), post(1)), "discussion_ended");
}

/// C4 (L420–445): the organizer, the initiators, the state partner and the earlier authors are
/// notified; the author is not.
#[test]
fn c4_who_is_notified() {
    let mut w = discussing();
    w.ok(&citizen(7), post(1));
    w.ok(&citizen(8), post(2));
    let to = w.state().chat_recipients(Uuid::from_u128(0x3002));
    assert!(to.contains(&ChatRecipient::Organizer(organizer().org)));
    assert!(to.contains(&ChatRecipient::Initiator(citizen(1).iin)));
    assert!(to.contains(&ChatRecipient::StatePartner(head().iin)));
    assert!(to.contains(&ChatRecipient::Participant(citizen(7).iin)));
    assert!(!to.contains(&ChatRecipient::Participant(citizen(8).iin)));
}

/// C5, S22 (L442–445): an edit or a delete is refused, for the author too; the message stays.
#[test]
fn c5_messages_are_immutable() {
    let mut w = discussing();
    w.ok(&citizen(5), post(1));
    let id = Uuid::from_u128(0x3001);
    let edit = C::EditMessage {
        message_id: id,
        text: "Өзгертілген".into(),
    };
    assert_eq!(w.refused(&citizen(5), edit), "message_immutable");
    assert_eq!(
        w.refused(&organizer(), C::DeleteMessage { message_id: id }),
        "message_immutable"
    );
    // A second post under the same id would replace it: refused the same way.
    assert_eq!(w.refused(&citizen(5), post(1)), "message_immutable");
    assert_eq!(w.state().chat[0].text, "Сұрақ 1");
}

/// C6, S23 (L449–482): negative conclusions, repeatable, before and after the end; the status
/// stays; without an attachment refused.
#[test]
fn c6_negative_conclusions_repeat() {
    let mut w = discussing();
    w.ok(&organizer(), conclusion(1, ConclusionKind::Negative));
    w.ok(&organizer(), conclusion(2, ConclusionKind::Negative));
    w.at(end() + TimeDelta::hours(1));
    w.ok(&organizer(), conclusion(3, ConclusionKind::Negative));
    let c = w.state();
    assert_eq!(c.conclusions.len(), 3);
    assert_eq!(c.status, Some(S::PublishedDiscussion));
    let bare = C::InitiateConclusion {
        conclusion_id: Uuid::from_u128(9),
        kind: ConclusionKind::Negative,
        justification: "Негіздеме".into(),
        attachment: None,
    };
    assert_eq!(
        w.refused(&organizer(), bare),
        "justification_and_attachment_required"
    );
    assert_eq!(
        w.refused(&citizen(1), conclusion(4, ConclusionKind::Negative)),
        "not_organizer"
    );
}

/// C7, S23 (L456–488): positive only from the end; then «УО шартының жобасын келісу», and no
/// further conclusion.
#[test]
fn c7_positive_only_from_the_end() {
    let mut w = discussing();
    assert_eq!(
        w.refused(&organizer(), conclusion(1, ConclusionKind::Positive)),
        "positive_before_discussion_end"
    );
    w.at(end());
    w.ok(&organizer(), conclusion(1, ConclusionKind::Positive));
    assert_eq!(w.state().status, Some(S::DraftContractApproval));
    assert_eq!(
        S::DraftContractApproval.name_kk(),
        "УО шартының жобасын келісу"
    );
    for kind in [ConclusionKind::Negative, ConclusionKind::Positive] {
        assert_eq!(
            w.refused(&organizer(), conclusion(2, kind)),
            "conclusion_after_positive"
        );
    }
}

/// C6: no conclusion while only «Жарияланды» (decision 0914).
#[test]
fn c6_no_conclusion_before_the_discussion() {
    let mut w = ready();
    w.ok(&organizer(), C::Publish);
    assert_eq!(
        w.refused(&organizer(), conclusion(1, ConclusionKind::Negative)),
        "conclusion_not_allowed"
    );
}

/// C8, S24 (L487–491, §8.4): the agreement starts a 90-calendar-day counter.
#[test]
fn c8_the_contract_counter_runs_90_calendar_days() {
    let mut w = discussing();
    let agree = C::AgreeContract {
        info: "Шарт жобасы келісілді".into(),
    };
    assert_eq!(
        w.refused(&organizer(), agree.clone()),
        "contract_agreement_not_allowed"
    );
    w.at(end());
    w.ok(&organizer(), conclusion(1, ConclusionKind::Positive));
    w.at(end() + TimeDelta::hours(2));
    w.ok(&organizer(), agree.clone());
    let c = w.state();
    let contract = c.contract.clone().unwrap();
    assert_eq!(contract.deadline, contract.agreed_at + TimeDelta::days(90));
    assert_eq!(c.contract_days_left(contract.agreed_at), Some(90));
    assert_eq!(
        c.contract_days_left(contract.agreed_at + TimeDelta::days(30) + TimeDelta::hours(1)),
        Some(60)
    );
    assert_eq!(
        c.contract_days_left(contract.deadline + TimeDelta::days(1)),
        Some(0)
    );
    assert_eq!(c.status, Some(S::DraftContractApproval));
    assert_eq!(
        w.refused(&organizer(), agree),
        "contract_agreement_not_allowed"
    );
}

/// C9, S24 (L499–527): completion needs a justification and a file, forms the results protocol,
/// and is «Аяқталды».
#[test]
fn c9_completion_with_its_results_protocol() {
    let mut w = discussing();
    w.at(end());
    w.ok(&organizer(), conclusion(1, ConclusionKind::Positive));
    let bare = C::Complete {
        justification: "".into(),
        attachment: Some(file("results")),
    };
    assert_eq!(
        w.refused(&organizer(), bare),
        "justification_and_attachment_required"
    );
    w.ok(&organizer(), complete());
    let c = w.state();
    assert_eq!(c.status, Some(S::Completed));
    assert_eq!(S::Completed.name_kk(), "Аяқталды");
    assert!(c.completion.is_some());
}

/// C10, S25 (L504–506, decision 0914): from «Жарияланды (Талқылау)» and from «Жарияланды»
/// without any conclusion; completing again, or a draft, refused; the chat closes.
#[test]
fn c10_early_completion_from_any_stage() {
    let mut w = discussing();
    w.ok(&organizer(), complete());
    assert_eq!(w.state().status, Some(S::Completed));
    assert_eq!(w.refused(&organizer(), complete()), "complete_not_allowed");
    assert_eq!(w.refused(&citizen(1), post(1)), "discussion_ended");
    let mut w = ready();
    assert_eq!(w.refused(&organizer(), complete()), "complete_not_allowed");
    w.ok(&organizer(), C::Publish);
    w.ok(&organizer(), complete());
    assert_eq!(w.state().status, Some(S::Completed));
}

/// Every status has its snake_case id and its Kazakh term (spec §3.B).
#[test]
fn statuses_keep_the_seeds_terms() {
    let ids: Vec<_> = S::ALL.iter().map(|s| s.id()).collect();
    assert_eq!(
        ids,
        [
            "draft",
            "published",
            "published_discussion",
            "draft_contract_approval",
            "completed"
        ]
    );
    let kk: Vec<_> = S::ALL.iter().map(|s| s.name_kk()).collect();
    assert_eq!(
        kk,
        [
            "Жоба",
            "Жарияланды",
            "Жарияланды (Талқылау)",
            "УО шартының жобасын келісу",
            "Аяқталды"
        ]
    );
}

/// Every fixed refusal code is snake_case, unique, and reads in Kazakh and Russian.
#[test]
fn refusal_codes_are_unique_and_bilingual() {
    use zakup_domain::competition::refusal::CODES;
    let mut codes = CODES.to_vec();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), CODES.len());
}
