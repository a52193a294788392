//! «Государственные закупки услуг, предусмотренные государственным социальным заказом» (ГСЗ,
//! spec 000-C §1.8, §4.7, §5.3, §10 S19, S21, S22; seed L8066–8744).

use super::world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::status::AnnouncementStatus as S;

/// A ГСЗ draft of one service lot, with representatives, commission and documentation, its
/// dates not yet set (world: Monday 2 February 2026, 09:00 Astana).
fn draft() -> World {
    let mut w = World::new();
    w.draft(Method::StateSocialOrder, SubjectType::Service, 1);
    w
}

fn dates(w: &mut World, start: &str, end: &str) -> Option<&'static str> {
    let command = C::SetAcceptanceDates {
        start: astana(start),
        end: astana(end),
    };
    w.try_run(&organizer(), command).err().map(|e| e.code)
}

// S19 (L8110–8116): only «Услуга».
#[test]
fn a_social_order_procures_services_only() {
    let mut w = World::new();
    let command = C::CreateDraft {
        announcement_id: w.id,
        number: "ГСЗ-1".into(),
        header: header(Method::StateSocialOrder, SubjectType::Goods),
    };
    assert_eq!(w.refuse(&organizer(), command), "services_only");
    assert_eq!(Method::StateSocialOrder.id(), "state_social_order");
}

// S19 (L8362–8364): chairman and two members; an even composition is refused.
#[test]
fn the_commission_has_at_least_three_members_and_an_odd_number() {
    let mut w = draft();
    let mut commission = commission3();
    commission.members.pop();
    let set = |commission| C::SetCommission { commission };
    assert_eq!(
        w.refuse(&organizer(), set(commission.clone())),
        "commission_too_small"
    );
    commission.members.push(person(&member_b()));
    commission.members.push(person(&member_c()));
    assert_eq!(
        w.refuse(&organizer(), set(commission.clone())),
        "commission_size_even"
    );
    commission.members.pop();
    w.run(&organizer(), set(commission));
}

// S21 (L8611–8625): a start on Saturday or after 18:00 is refused, 18:00 is accepted; 19 days are
// refused, 20 days publish: «Опубликовано», the lot «Опубликован».
#[test]
fn acceptance_starts_on_a_working_day_by_six_and_lasts_twenty_days() {
    let mut w = draft();
    assert_eq!(
        dates(&mut w, "2026-02-07 10:00", "2026-02-27 10:00"),
        Some("acceptance_start_not_working_day")
    );
    assert_eq!(
        dates(&mut w, "2026-02-02 18:30", "2026-02-22 18:30"),
        Some("acceptance_start_after_working_hours")
    );
    assert_eq!(
        dates(&mut w, "2026-02-02 18:00", "2026-02-21 18:00"),
        Some("social_order_acceptance_too_short")
    );
    assert_eq!(dates(&mut w, "2026-02-02 18:00", "2026-02-22 18:00"), None);
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(zakup_domain::status::LotStatus::Published)
    );
}

// S22 (L8692–8700): the secretary or the creator changes the representatives in «Рассмотрение
// заявок»; a commission member may not; nobody does once «Завершено».
#[test]
fn the_secretary_or_the_creator_changes_the_representatives() {
    let mut w = draft();
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w.apply(1, &[1], 9_000_000);
    w.fire(TimedTransition::EndAcceptance);
    assert_eq!(w.status(), S::ReviewingApplications);
    let change = || C::ChangeRepresentatives {
        organizer_representative: person(&member_d()),
        customer_representative: person(&customer_rep()),
    };
    assert_eq!(w.refuse(&member_a(), change()), "not_secretary");
    w.run(&secretary(), change());
    w.run(&organizer(), change());
}

// G8 (L8648–8682): cancellation by the secretary, as in the open tender, the lot «Отменено».
#[test]
fn a_social_order_is_cancelled_by_the_secretary() {
    let mut w = draft();
    w.run(&organizer(), C::Publish);
    let cancel = C::CancelLots {
        plan_item_ids: vec![plan_item(1)],
        act: act(Body::Court, ActType::Decision),
    };
    assert_eq!(w.refuse(&organizer(), cancel.clone()), "not_secretary");
    w.run(&secretary(), cancel);
    assert_eq!(w.status(), S::Cancelled);
}
