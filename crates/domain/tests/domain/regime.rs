//! The legal regime pinned per announcement (issue 20 item 3, decision 0891): the rule set in
//! force on the drafting date is recorded in the stream, and the announcement's deadlines are
//! looked up in it, now and in any replay. Spec 001-004 §5 rows T9, T13/T14 and §9.8 rows
//! 64–65 (the periods seed 004 amends: 004 L577 vs L600, L607–608, L725–726).

use std::sync::Arc;

use chrono::Duration;
use zakup_domain::actor::Context;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementEvent};
use zakup_domain::regime::RuleBook;

use crate::world::*;

/// The shipped rule book with the 004 amendment dated: in force from 1 March 2026.
fn dated_book() -> Arc<RuleBook> {
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../../data/regimes.json")).unwrap();
    json["rule_sets"][0]["effective_to"] = "2026-02-28".into();
    json["rule_sets"][1]["effective_from"] = "2026-03-01".into();
    Arc::new(RuleBook::from_json(&json.to_string()).unwrap())
}

fn drafted(book: &Arc<RuleBook>, at: &str, id: u128) -> (Vec<AnnouncementEvent>, Announcement) {
    let ctx = Context {
        now: astana(at),
        actor: organizer(),
        calendar: calendar(),
        rules: book.clone(),
        unread_notices: Default::default(),
    };
    let events = Announcement::default()
        .decide(
            C::CreateDraft {
                announcement_id: uuid::Uuid::from_u128(id),
                number: format!("{id}-1"),
                header: header(Method::OpenTender, SubjectType::Goods),
            },
            &ctx,
        )
        .unwrap();
    let state = Announcement::fold(&events);
    (events, state)
}

// R (T9, T13/T14): given a rule book where order 692 ends on 28.02.2026 and its 004 amendment
// is in force from 01.03.2026, when one announcement is drafted on 02.02.2026 and another on
// 02.03.2026, then each pins its own regime, and the same failure gives them different
// deadlines: the medium failure's main-page notice 30 minutes vs 1 hour after confirmation
// (004 L577 vs L600); a contract-signing deadline caught by a 2-hour failure +2 hours vs
// +1 calendar day (004 L607, spec S8).
#[test]
fn two_announcements_under_different_regimes_get_different_deadlines() {
    let book = dated_book();
    let (_, old) = drafted(&book, "2026-02-02 09:00", 1);
    let (events, new) = drafted(&book, "2026-03-02 09:00", 2);
    assert_eq!(old.regime.as_ref().unwrap().id, "order-692-2015");
    assert_eq!(
        new.regime.as_ref().unwrap().id,
        "order-692-2015-amended-004"
    );
    assert!(matches!(events[1], AnnouncementEvent::LegalRegimePinned(_)));

    let confirmed = astana("2026-04-15 08:30");
    assert_eq!(
        old.medium_failure_notice_due(&book, confirmed),
        astana("2026-04-15 09:00")
    );
    assert_eq!(
        new.medium_failure_notice_due(&book, confirmed),
        astana("2026-04-15 09:30")
    );
    let signing = astana("2026-04-16 18:00");
    assert_eq!(
        old.failure_extended_deadline(&book, signing, Duration::hours(2)),
        astana("2026-04-16 20:00")
    );
    assert_eq!(
        new.failure_extended_deadline(&book, signing, Duration::hours(2)),
        astana("2026-04-17 18:00")
    );
    // Spec S9: 47 hours are 2 calendar days under the amendment.
    assert_eq!(
        new.failure_extended_deadline(&book, signing, Duration::hours(47)),
        astana("2026-04-18 18:00")
    );

    // Replayed later under the shipped book (the amendment undated there), each keeps its own.
    let shipped = RuleBook::embedded();
    let replayed = Announcement::fold(&events);
    assert_eq!(
        replayed.medium_failure_notice_due(&shipped, confirmed),
        astana("2026-04-15 09:30")
    );
}

// Decision 0891: given the shipped rule book, where the 004 amendment is a draft with no date,
// when an announcement is drafted, then it pins order 692; a stream recorded before regimes
// were pinned (no `LegalRegimePinned`) reads the default.
#[test]
fn the_shipped_book_pins_order_692_and_old_streams_read_the_default() {
    let shipped = RuleBook::embedded();
    let (events, state) = drafted(&shipped, "2026-02-02 09:00", 3);
    assert_eq!(state.regime.as_ref().unwrap().id, "order-692-2015");
    let legacy = Announcement::fold(&events[..1]);
    assert_eq!(legacy.regime, None);
    assert_eq!(legacy.rule_set(&shipped).id, "order-692-2015");
}

// Decision 0891: a rule book where two rule sets are in force on the same day is refused.
#[test]
fn overlapping_rule_sets_are_refused() {
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../../data/regimes.json")).unwrap();
    json["rule_sets"][1]["effective_from"] = "2026-03-01".into();
    assert!(RuleBook::from_json(&json.to_string()).is_err());
}
