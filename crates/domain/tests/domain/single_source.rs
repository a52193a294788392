//! The methods of issue 16 on the shared components: «Из одного источника по несостоявшимся
//! закупкам» (ИОИ, spec 000-C §1.7, seed L6858–8060) and the state social order (ГСЗ, §1.8).
//! Its parts live in `tests/domain/single_source/`.

use crate::world;

#[path = "single_source/article6.rs"]
mod article6;
#[path = "single_source/automatic.rs"]
mod automatic;
#[path = "single_source/manual.rs"]
mod manual;
#[path = "single_source/plan_items.rs"]
mod plan_items;
#[path = "single_source/review.rs"]
mod review;
#[path = "single_source/social_order.rs"]
mod social_order;

use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::lot::FailureReason;

/// An ИОИ draft with one goods lot, everything but its terms and dates (world: Monday
/// 2 February 2026, 09:00 Astana).
pub fn draft_without_terms() -> World {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "ИОИ-1".into(),
            header: header(Method::SingleSource, SubjectType::Goods),
        },
    );
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    w.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(1),
            terms: goods_terms(),
        },
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    w.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    w
}

/// The draft with its terms: a failed `failed_method` for `reason`, supplier 1 invited.
pub fn draft_after(failed_method: Method, reason: FailureReason) -> World {
    let mut w = draft_without_terms();
    w.run(
        &organizer(),
        C::SetSingleSourceTerms {
            terms: single_source_terms(failed_method, reason),
        },
    );
    w
}
