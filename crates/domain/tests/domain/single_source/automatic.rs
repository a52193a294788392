//! The automatic single source after a ЗЦП with one application (spec 000-C A1–A2, §5.1, §8,
//! §10 S1, S3; seed L6862–6952), as the domain decides it; the engine's workflow across the two
//! streams is tested in crates/engine/tests/single_source.rs.

use chrono::Duration;
use uuid::Uuid;

use super::world::*;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::announcement::{Announcement, AnnouncementCommand as C, TimedTransition};
use zakup_domain::lot::FailureReason;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::AnnouncementStatus as S;

/// A ЗЦП of two lots: supplier 1 alone on lot 1, suppliers 1 and 2 on lot 2; acceptance ended
/// `ended` (Astana), so lot 1 failed with «подана одна заявка».
fn failed_request(ended: &str) -> World {
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 2);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1, 2], 9_000_000);
    w.apply(2, &[2], 8_000_000);
    w.fire(TimedTransition::EndAcceptance);
    w.now = w.now.max(astana(ended));
    assert_eq!(w.status(), S::Completed);
    w
}

/// The ИОИ's world beside the ЗЦП's, at the same instant.
fn single_source_of(source: &World) -> World {
    World {
        id: Uuid::from_u128(0x101),
        now: source.now,
        ..World::new()
    }
}

fn create(
    source: &World,
    ioi: &mut World,
    by: &zakup_domain::actor::Actor,
) -> Option<&'static str> {
    let command = C::CreateSingleSource {
        announcement_id: ioi.id,
        number: "ИОИ-1".into(),
        source: Box::new(source.state()),
        supplier_bin: supplier(1).org,
    };
    ioi.try_run(by, command).err().map(|e| e.code)
}

// S1 (L6868–6952): given lot 1 failed with one application, when the portal creates the single
// source for its creator, then it is published with lot 1 alone, method ИОИ after a ЗЦП «подана
// одна заявка», supplier 1 invited, the contract draft and specification copied, 5 calendar days.
#[test]
fn a_request_failed_with_one_application_is_followed_by_a_published_single_source() {
    let source = failed_request("2026-02-11 10:00"); // Wednesday
    let pending = source.state().one_application_lots();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[&supplier(1).org], vec![plan_item(1)]);
    let mut ioi = single_source_of(&source);
    assert_eq!(create(&source, &mut ioi, &organizer()), None);
    let state = ioi.state();
    assert_eq!(state.status, Some(S::Published));
    assert_eq!(state.method(), Some(Method::SingleSource));
    assert_eq!(
        state.lots.keys().cloned().collect::<Vec<_>>(),
        vec![plan_item(1)]
    );
    let lot = &state.lots[&plan_item(1)];
    assert!(lot.terms.is_some() && lot.technical_specification.is_some());
    assert_eq!(state.contract_draft, source.state().contract_draft);
    let terms = state.procedure.single_source_terms().unwrap();
    assert_eq!(terms.invited_supplier_bin, supplier(1).org);
    assert_eq!(terms.source.failed_method, Method::PriceQuotations);
    assert_eq!(terms.source.failure_reason, FailureReason::OneApplication);
    let window = state.acceptance.unwrap();
    assert_eq!(window.start, astana("2026-02-11 10:00"));
    assert_eq!(window.end - window.start, Duration::days(5));
}

// S3, §8 (L6886–6892): published on Saturday 10:00, acceptance starts on Monday 09:00 and ends
// on Saturday 09:00.
#[test]
fn a_single_source_created_on_a_weekend_starts_on_the_next_working_day_at_nine() {
    let source = failed_request("2026-02-14 10:00"); // Saturday
    let mut ioi = single_source_of(&source);
    assert_eq!(create(&source, &mut ioi, &organizer()), None);
    let window = ioi.state().acceptance.unwrap();
    assert_eq!(window.start, astana("2026-02-16 09:00"));
    assert_eq!(window.end, astana("2026-02-21 09:00"));
}

// A1, L6900–6916: only the ЗЦП's creator stands for the organizer; a single source once recorded
// on the ЗЦП is not created again, and its record is retried without effect.
#[test]
fn the_single_source_is_created_once_for_the_zcp_creator() {
    let mut source = failed_request("2026-02-11 10:00");
    let mut ioi = single_source_of(&source);
    assert_eq!(
        create(&source, &mut ioi, &foreign_organizer()),
        Some("foreign_organization")
    );
    assert_eq!(create(&source, &mut ioi, &organizer()), None);
    let record = || C::RecordSingleSource {
        single_source_announcement_id: Uuid::from_u128(0x101),
        supplier_bin: supplier(1).org,
    };
    assert_eq!(source.refuse(&organizer(), record()), "forbidden_role");
    source.run(&system(), record());
    assert!(source.run(&system(), record()).is_empty());
    assert!(source.state().one_application_lots().is_empty());
    let mut again = World {
        id: Uuid::from_u128(0x102),
        ..single_source_of(&source)
    };
    assert_eq!(
        create(&source, &mut again, &organizer()),
        Some("no_single_source_lots")
    );
}

// A1, L6910–6916, §7.1: the automatic single source's representative is the ЗЦП's creator, who
// reviews the application, forms, signs and publishes the results.
#[test]
fn the_creator_reviews_the_automatic_single_source() {
    let source = failed_request("2026-02-11 10:00");
    let mut ioi = single_source_of(&source);
    create(&source, &mut ioi, &organizer());
    ioi.fire(TimedTransition::StartAcceptance);
    ioi.apply(1, &[1], 9_500_000);
    ioi.fire(TimedTransition::EndAcceptance);
    assert_eq!(ioi.status(), S::ReviewingApplications);
    ioi.vote(&organizer(), 1, admit(&[plan_item(1)]));
    ioi.run(&organizer(), C::FormResultsProtocol);
    ioi.sign(&organizer(), ProtocolKind::Results).unwrap();
    ioi.run(
        &organizer(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
    let state: Announcement = ioi.state();
    assert_eq!(state.status, Some(S::Completed));
}
