//! Drafting an auction (spec 000-B §4.1.1–§4.1.2, §5 D-1..D-5; scenarios S1, S3, S5, S6, S11).

use chrono::Duration;

use super::world::*;
use super::{C, Method, SubjectType, TimedTransition};
use zakup_domain::announcement::header::ProcurementType;
use zakup_domain::discussion::DiscussionRequestId;
use zakup_domain::lot::LotTerms;
use zakup_domain::status::AnnouncementStatus as S;

fn auction_draft(subject: SubjectType) -> C {
    C::CreateDraft {
        announcement_id: World::new().id,
        number: "A-1".into(),
        header: header(Method::Auction, subject),
    }
}

// S1, A4 (L3743–3745, L3783–3789, L3840–3842): goods only, exactly one lot.
#[test]
fn s1_an_auction_takes_goods_only_and_exactly_one_lot() {
    let mut w = World::new();
    // Given an organizer, when the auction is for services or works, then it is refused;
    for subject in [SubjectType::Service, SubjectType::Work] {
        assert_eq!(w.refuse(&organizer(), auction_draft(subject)), "goods_only");
    }
    // when it is for goods, it is drafted.
    w.run(&organizer(), auction_draft(SubjectType::Goods));
    // Two lots at once are refused, one is added, a second one is refused.
    assert_eq!(
        w.refuse(
            &organizer(),
            C::AddLots {
                lots: vec![lot_source(1), lot_source(2)]
            }
        ),
        "single_lot_only"
    );
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::AddLots {
                lots: vec![lot_source(2)]
            }
        ),
        "single_lot_only"
    );
    // The subject type cannot be changed afterwards either.
    let mut services = header(Method::Auction, SubjectType::Service);
    services.name_ru = "Услуги".into();
    assert_eq!(
        w.refuse(&organizer(), C::UpdateHeader { header: services }),
        "goods_only"
    );
    assert_eq!(w.status(), S::Draft);
}

// A5 (L3848–3856): a removed lot frees the one place.
#[test]
fn a5_the_lot_can_be_replaced_after_removal() {
    let mut w = World::new();
    w.run(&organizer(), auction_draft(SubjectType::Goods));
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    w.run(
        &organizer(),
        C::RemoveLots {
            plan_item_ids: vec![plan_item(1)],
        },
    );
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(2)],
        },
    );
    assert_eq!(w.state().lots.len(), 1);
}

// A6 (L3858–3872): «условия поставки» are required.
#[test]
fn a6_delivery_terms_are_required() {
    let mut w = World::new();
    w.run(&organizer(), auction_draft(SubjectType::Goods));
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let terms = |delivery: &str| C::SetLotTerms {
        plan_item_id: plan_item(1),
        terms: LotTerms::Goods {
            delivery_conditions: delivery.into(),
        },
    };
    assert_eq!(w.refuse(&organizer(), terms(" ")), "missing_field");
    w.run(&organizer(), terms("DDP"));
}

// S3, D-5 (L3897–3903): «Срок действия заявки» at least 60 days.
#[test]
fn s3_application_validity_is_at_least_60_days() {
    let mut w = World::new();
    w.run(&organizer(), auction_draft(SubjectType::Goods));
    let with_days = |days| {
        let mut representatives = representatives();
        representatives.application_validity_days = days;
        C::SetRepresentatives { representatives }
    };
    assert_eq!(
        w.refuse(&organizer(), with_days(59)),
        "application_validity_too_short"
    );
    w.run(&organizer(), with_days(60));
}

// S5, D-1..D-3 (L4299–4315): 5 working days, a working day, 15 calendar days.
#[test]
fn s5_the_preliminary_acceptance_dates() {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    // Monday 2 February 2026: the 4th working day after is Friday the 6th, the 5th Monday the 9th.
    let fourth = astana("2026-02-06 09:00");
    let fifth = astana("2026-02-09 09:00");
    assert_eq!(
        w.refuse(&organizer(), dates(fourth, fourth + Duration::days(20))),
        "acceptance_start_too_early"
    );
    let saturday = astana("2026-02-14 09:00");
    assert_eq!(
        w.refuse(&organizer(), dates(saturday, saturday + Duration::days(20))),
        "acceptance_start_not_working_day"
    );
    assert_eq!(
        w.refuse(&organizer(), dates(fifth, fifth + Duration::days(14))),
        "acceptance_period_too_short"
    );
    w.run(&organizer(), dates(fifth, fifth + Duration::days(15)));
    // S6: a complete draft is published.
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
}

// S5, S11, D-4 (L4319–4325, L4375–4377): a repeat auction has no discussion and no 5-day rule.
#[test]
fn s11_a_repeat_auction_starts_acceptance_without_discussion() {
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    let mut repeat = header(Method::Auction, SubjectType::Goods);
    repeat.procurement_type = ProcurementType::Repeat;
    w.run(&organizer(), C::UpdateHeader { header: repeat });
    let start = w.now + Duration::days(1);
    // Still not in the past, and still 15 calendar days long (D-2).
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetAcceptanceDates {
                start: w.now - Duration::hours(1),
                end: start + Duration::days(15),
            }
        ),
        "invalid_acceptance_dates"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetAcceptanceDates {
                start,
                end: start + Duration::days(14),
            }
        ),
        "acceptance_period_too_short"
    );
    w.run(
        &organizer(),
        C::SetAcceptanceDates {
            start,
            end: start + Duration::days(15),
        },
    );
    w.run(&organizer(), C::Publish);
    let state = w.state();
    assert_eq!(state.discussion_end(), None, "no discussion dates shown");
    assert_eq!(
        w.refuse(
            &supplier(1),
            C::SubmitDiscussionRequest {
                request_id: DiscussionRequestId(uuid::Uuid::from_u128(1)),
                subject: "Тема".into(),
                text: "Вопрос".into(),
            }
        ),
        "discussion_not_available"
    );
    w.fire(TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingApplications);
}

// D-3, D-4 (L4315, L4323–4325; docs/decisions/0717): a repeat auction is exempt from the
// 5-working-day interval only; its acceptance still starts on a working day.
#[test]
fn d3_a_repeat_auction_still_starts_acceptance_on_a_working_day() {
    // Given a repeat auction drafted on Monday 2 February 2026,
    let mut w = World::new();
    w.draft(Method::Auction, SubjectType::Goods, 1);
    let mut repeat = header(Method::Auction, SubjectType::Goods);
    repeat.procurement_type = ProcurementType::Repeat;
    w.run(&organizer(), C::UpdateHeader { header: repeat });
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    // a start on Saturday the 7th is refused,
    let saturday = astana("2026-02-07 09:00");
    assert_eq!(
        w.refuse(&organizer(), dates(saturday, saturday + Duration::days(20))),
        "acceptance_start_not_working_day"
    );
    // and one on Tuesday the 3rd, a working day one day ahead, is taken (no 5-day interval).
    let tuesday = astana("2026-02-03 09:00");
    w.run(&organizer(), dates(tuesday, tuesday + Duration::days(15)));
}
