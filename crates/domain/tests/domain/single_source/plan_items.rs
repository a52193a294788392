//! Which plan items a single source takes (spec 000-C L6960–6964, §10 S4) and the ban after a
//! failed open tender, one rule on the plan item (seed L3179–3199; docs/decisions/0722).

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::world::*;
use zakup_domain::actor::{Actor, Context};
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::ident::Bin;
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand as P, PlanItemEvent};

struct Item {
    now: DateTime<Utc>,
    events: Vec<PlanItemEvent>,
}

impl Item {
    /// Requested, reserved by announcement 1 of `method`, whose procurement then fails on
    /// Thursday 5 February 2026, 15:00.
    fn failed_in(method: Method) -> Item {
        Item::failed_with(method, Vec::new())
    }

    /// As [`Item::failed_in`], the failed procurement having rejected `article6` under article 6.
    fn failed_with(method: Method, article6: Vec<Bin>) -> Item {
        let mut item = Item {
            now: astana("2026-02-02 09:00"),
            events: Vec::new(),
        };
        item.run(
            &customer(),
            P::RequestProcurement {
                plan_item_id: plan_item(1),
                organizer_bin: organizer_bin(),
                subject_type: SubjectType::Goods,
                name_ru: "Бумага".into(),
                amount: Money::from_tenge(10_000_000),
            },
        )
        .unwrap();
        item.run(&organizer(), reserve(1, method)).unwrap();
        item.now = astana("2026-02-05 15:00");
        item.run(
            &organizer(),
            P::MarkProcurementFailed {
                announcement_id: Uuid::from_u128(1),
                article6_rejected_bins: article6,
            },
        )
        .unwrap();
        item
    }

    fn run(&mut self, actor: &Actor, command: P) -> Result<Vec<PlanItemEvent>, &'static str> {
        let ctx = Context {
            now: self.now,
            actor: actor.clone(),
            calendar: calendar(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        };
        let state = PlanItem::fold(&self.events);
        let events = state.decide(command, &ctx).map_err(|e| e.code)?;
        self.events.extend(events.iter().cloned());
        Ok(events)
    }
}

fn reserve(n: u128, method: Method) -> P {
    P::Reserve {
        announcement_id: Uuid::from_u128(n),
        lot_number: "L-1".into(),
        method,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(10_000_000),
    }
}

// L6960–6964, S4: given a plan item never procured, when a single source reserves it, then it is
// refused: only «Закупка не состоялась» items are offered.
#[test]
fn a_single_source_takes_only_failed_plan_items() {
    let mut item = Item::failed_in(Method::PriceQuotations);
    // Another procurement takes it back from the pool, so it is no longer failed.
    item.run(&organizer(), reserve(2, Method::PriceQuotations))
        .unwrap();
    item.run(
        &organizer(),
        P::Release {
            announcement_id: Uuid::from_u128(2),
            reason: zakup_domain::plan_item::ReleaseReason::RemovedFromDraft,
        },
    )
    .unwrap();
    assert_eq!(
        item.run(&organizer(), reserve(3, Method::SingleSource)),
        Err("plan_item_not_failed_for_single_source")
    );
}

// L6866–6874: after a failed ЗЦП the single source follows at once (the automatic path).
#[test]
fn after_a_failed_request_for_price_quotations_a_single_source_follows_at_once() {
    let mut item = Item::failed_in(Method::PriceQuotations);
    item.run(&organizer(), reserve(2, Method::SingleSource))
        .unwrap();
}

// L3179–3199: given an open tender failed on Thursday 5 February, when a single source reserves
// the item before the 5 working days (Fri 6 … Thu 12) end, then it is refused; from Friday 13
// February 00:00 it is taken.
#[test]
fn after_a_failed_open_tender_a_single_source_waits_five_working_days() {
    let mut item = Item::failed_in(Method::OpenTender);
    item.now = astana("2026-02-12 23:59");
    assert_eq!(
        item.run(&organizer(), reserve(2, Method::SingleSource)),
        Err("single_source_banned")
    );
    item.now = astana("2026-02-13 00:00");
    item.run(&organizer(), reserve(2, Method::SingleSource))
        .unwrap();
}
