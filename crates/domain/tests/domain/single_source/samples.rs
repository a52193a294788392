//! Sample streams of the single source's events for the schema and golden-fixture tests
//! (`announcement_schemas.rs`, decision 0209).

use uuid::Uuid;

use super::world::*;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::announcement::{AnnouncementCommand as C, AnnouncementEvent, TimedTransition};

/// An ИОИ names its failed procurement and invited supplier, who refuses (spec 000-C M6, O2).
pub fn refused() -> Vec<AnnouncementEvent> {
    let mut w = World::new();
    w.draft(Method::SingleSource, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::StartAcceptance);
    w.run(&supplier(1), C::RefuseParticipation);
    w.events
}

/// A ЗЦП whose one lot had one offer, recorded as followed by the ИОИ the portal created (spec
/// 000-C A1): the ЗЦП's stream and the ИОИ's.
pub fn automatic() -> (Vec<AnnouncementEvent>, Vec<AnnouncementEvent>) {
    let mut source = World::new();
    source.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    source.run(&organizer(), C::Publish);
    source.fire(TimedTransition::StartAcceptance);
    source.apply(1, &[1], 9_000_000);
    source.fire(TimedTransition::EndAcceptance);
    let mut ioi = World {
        id: Uuid::from_u128(0x101),
        now: source.now,
        ..World::new()
    };
    ioi.run(
        &organizer(),
        C::CreateSingleSource {
            announcement_id: ioi.id,
            number: "ИОИ-1".into(),
            source: Box::new(source.state()),
            supplier_bin: supplier(1).org,
        },
    );
    source.run(
        &system(),
        C::RecordSingleSource {
            single_source_announcement_id: ioi.id,
            supplier_bin: supplier(1).org,
        },
    );
    (source.events, ioi.events)
}
