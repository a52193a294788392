//! The manual ИОИ: draft, terms, acceptance interval, publication and who may apply
//! (spec 000-C §4.2, §5.1, §10 S4, S7).

use chrono::Duration;

use super::world::*;
use super::{draft_after, draft_without_terms};
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::lot::FailureReason;
use zakup_domain::status::AnnouncementStatus as S;

// §3.6, L6874: the method's stored id and the portal's words.
#[test]
fn the_method_is_named_in_the_portals_words() {
    assert_eq!(Method::SingleSource.id(), "single_source");
    assert_eq!(
        Method::SingleSource.original(),
        "Из одного источника по несостоявшимся закупкам"
    );
    assert_eq!(
        FailureReason::FewerThanTwoAdmitted.id(),
        "fewer_than_two_admitted"
    );
}

// M1 (L7104–7108): given the creation form, when it is saved, then the draft is «Проект».
#[test]
fn a_manual_draft_starts_in_draft() {
    let w = draft_without_terms();
    assert_eq!(w.status(), S::Draft);
}

// M6: given an open tender's draft, when it names single-source terms, then it is refused; and a
// single source never follows a single source (L7062–7068).
#[test]
fn only_a_single_source_draft_names_a_failed_procurement() {
    let mut tender = World::new();
    tender.draft(Method::OpenTender, SubjectType::Goods, 1);
    let terms = single_source_terms(Method::OpenTender, FailureReason::NoApplications);
    assert_eq!(
        tender.refuse(&organizer(), C::SetSingleSourceTerms { terms }),
        "not_applicable_to_method"
    );
    let mut w = draft_without_terms();
    let terms = single_source_terms(Method::SingleSource, FailureReason::NoApplications);
    assert_eq!(
        w.refuse(&organizer(), C::SetSingleSourceTerms { terms }),
        "single_source_source_invalid"
    );
}

// S6 (best reading: required): given no invited supplier, when the organizer sets the dates or
// publishes, then both are refused.
#[test]
fn publication_needs_the_invited_supplier() {
    let mut w = draft_without_terms();
    let start = w.now + Duration::hours(1);
    let dates = C::SetAcceptanceDates {
        start,
        end: start + Duration::days(10),
    };
    assert_eq!(w.refuse(&organizer(), dates), "single_source_terms_missing");
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "single_source_terms_missing"
    );
}

/// Sets the window and returns the refusal code, if any.
fn dates(w: &mut World, start: &str, end: &str) -> Option<&'static str> {
    let command = C::SetAcceptanceDates {
        start: astana(start),
        end: astana(end),
    };
    w.try_run(&organizer(), command).err().map(|e| e.code)
}

// S7, §5.1 (L7464–7470): a failed ЗЦП gives 5 calendar days.
#[test]
fn after_a_failed_request_for_price_quotations_acceptance_lasts_five_calendar_days() {
    let mut w = draft_after(Method::PriceQuotations, FailureReason::NoAdmitted);
    assert_eq!(
        dates(&mut w, "2026-02-02 10:00", "2026-02-06 10:00"),
        Some("single_source_interval_too_short")
    );
    assert_eq!(dates(&mut w, "2026-02-02 10:00", "2026-02-07 10:00"), None);
}

// S7, §5.1 (L7472–7476): a failed open tender without applications gives 10 calendar days.
#[test]
fn after_a_tender_without_applications_acceptance_lasts_ten_calendar_days() {
    let mut w = draft_after(Method::OpenTender, FailureReason::NoApplications);
    assert_eq!(
        dates(&mut w, "2026-02-02 10:00", "2026-02-07 10:00"),
        Some("single_source_interval_too_short")
    );
    assert_eq!(dates(&mut w, "2026-02-02 10:00", "2026-02-12 10:00"), None);
}

// S7, §5.1 (L7478–7484), §8: a failed auction with one application gives 5 working days: from
// Monday 10:00, Friday 10:00 is 4 and next Monday 10:00 is 5.
#[test]
fn after_an_auction_with_one_application_acceptance_lasts_five_working_days() {
    let mut w = draft_after(Method::Auction, FailureReason::OneApplication);
    assert_eq!(
        dates(&mut w, "2026-02-02 10:00", "2026-02-06 10:00"),
        Some("single_source_interval_too_short")
    );
    assert_eq!(dates(&mut w, "2026-02-02 10:00", "2026-02-09 10:00"), None);
}

// S7, L7486–7488: the start is not before the moment of publication.
#[test]
fn acceptance_does_not_start_in_the_past() {
    let mut w = draft_after(Method::PriceQuotations, FailureReason::NoApplications);
    assert_eq!(
        dates(&mut w, "2026-02-02 08:00", "2026-02-09 08:00"),
        Some("invalid_acceptance_dates")
    );
}

/// Published with acceptance from 10:00 for 14 days.
fn published() -> World {
    let mut w = draft_after(Method::OpenTender, FailureReason::NoAdmitted);
    assert_eq!(dates(&mut w, "2026-02-02 10:00", "2026-02-16 10:00"), None);
    w.run(&organizer(), C::Publish);
    w
}

// M13 (L7512–7526): given a complete draft, when published, then «Опубликовано», and a published
// procurement cannot be edited.
#[test]
fn a_published_single_source_is_not_edited() {
    let mut w = published();
    assert_eq!(w.status(), S::Published);
    let terms = single_source_terms(Method::Auction, FailureReason::NoAdmitted);
    assert_eq!(
        w.refuse(&organizer(), C::SetSingleSourceTerms { terms }),
        "not_a_draft"
    );
}

// O1, L6908: given acceptance open, when a supplier other than the invited one applies, then it
// is refused; the invited supplier's application is accepted.
#[test]
fn only_the_invited_supplier_applies() {
    let mut w = published();
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
    let offers = |n| C::SubmitApplication {
        application_id: application_id(n),
        offers: vec![zakup_domain::application::LotOffer {
            plan_item_id: plan_item(1),
            price: zakup_domain::money::Money::from_tenge(9_000_000),
        }],
    };
    assert_eq!(w.refuse(&supplier(2), offers(2)), "supplier_not_invited");
    w.run(&supplier(1), offers(1));
}

// §9.6: after publication only the representatives, the creator and cancellation change; the
// procurement is not suspended (no suspension in §1.7).
#[test]
fn a_single_source_is_not_suspended() {
    let mut w = published();
    let suspend = C::Suspend {
        act: act(
            zakup_domain::kernel::act::Body::Court,
            zakup_domain::kernel::act::ActType::Decision,
        ),
    };
    assert_eq!(w.refuse(&organizer(), suspend), "wrong_status");
}
