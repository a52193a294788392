//! R14 on an auction (spec 000-B §4.1.4, seed L5354–5488): the secretary records the
//! commission's requests only once the ППД is published and suppliers supplemented their
//! applications; «в противном случае функция недоступна».

use super::world::*;
use super::{C, ProtocolKind, TimedTransition, reviewing_auction};
use zakup_domain::announcement::AnnouncementCommand;
use zakup_domain::commission::{CommissionQuery, QueryRecipient};
use zakup_domain::status::AnnouncementStatus as S;

fn query(recipient: QueryRecipient) -> AnnouncementCommand {
    C::RecordCommissionQuery {
        query: CommissionQuery {
            plan_item_id: plan_item(1),
            recipient,
            info_kk: "Сұрау".into(),
            info_ru: "Запрос сведений об опыте".into(),
            sent_on: date("2026-03-02"),
            answer_kk: None,
            answer_ru: Some("Опыт подтвержден".into()),
        },
    }
}

fn to_other_party() -> AnnouncementCommand {
    query(QueryRecipient::OtherParty {
        name_kk: "Мекеме".into(),
        name_ru: "Учреждение".into(),
    })
}

/// Supplier 2 rejected on qualification, supplier 1 admitted: the ППД formed, signed and
/// published, the supplement period open.
fn supplementing() -> World {
    let mut w = reviewing_auction(&[1, 2]);
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::PreliminaryAdmission);
    assert_eq!(w.status(), S::PublishedSupplementingApplications);
    w
}

// R14 (L5354–5356): before the ППД, while it is formed, and while suppliers supplement, the
// function is unavailable; after the supplements only the secretary records a request, to a
// supplier of the lot or to another party; after the admission protocol it is closed again.
#[test]
fn r14_commission_requests_only_after_the_ppd_and_the_supplements() {
    // Given the first review,
    let mut w = reviewing_auction(&[1, 2]);
    assert_eq!(w.refuse(&secretary(), to_other_party()), "wrong_status");
    let lot = [plan_item(1)];
    for member in [chairman(), member_a(), member_b()] {
        w.vote(&member, 1, admit(&lot));
        w.vote(&member, 2, reject_qualification(&lot, &lot[0]));
    }
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
    // the ППД being formed,
    assert_eq!(w.refuse(&secretary(), to_other_party()), "wrong_status");
    // and the supplement period,
    let mut w = supplementing();
    assert_eq!(w.refuse(&secretary(), to_other_party()), "wrong_status");
    w.run(
        &supplier(2),
        C::SupplementApplication {
            application_id: application_id(2),
            plan_item_ids: vec![plan_item(1)],
            documents: vec![file("experience")],
        },
    );
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    // when the supplements are under review, a member may not record a request,
    assert_eq!(w.refuse(&chairman(), to_other_party()), "not_secretary");
    // nor the secretary one to an application the lot does not hold,
    assert_eq!(
        w.refuse(
            &secretary(),
            query(QueryRecipient::Supplier {
                application_id: application_id(9)
            })
        ),
        "application_not_found"
    );
    // but the secretary records one to the supplier and one to another party.
    w.run(
        &secretary(),
        query(QueryRecipient::Supplier {
            application_id: application_id(2),
        }),
    );
    w.run(&secretary(), to_other_party());
    let queries = w
        .state()
        .procedure
        .open_tender()
        .map(|p| p.commission_queries.len());
    assert_eq!(queries, Some(2));
    // After the admission protocol there is nothing left to ask.
    w.admit_everyone(&[chairman(), member_a(), member_b()]);
    w.run(&secretary(), C::CompleteVoting);
    w.run(&secretary(), C::FormAdmissionProtocol);
    w.sign_and_publish(ProtocolKind::Admission);
    assert_eq!(w.status(), S::PublishedAwaitingAuction);
    assert_eq!(w.refuse(&secretary(), to_other_party()), "wrong_status");
}

// R10, R14 (L5240–5246, L5354–5356): a supplement period that ends with no application
// supplemented still leads to «Рассмотрение дополнений заявок», yet with nothing supplemented
// there is nothing to ask about.
#[test]
fn r14_no_request_without_a_supplemented_application() {
    let mut w = supplementing();
    w.fire(TimedTransition::EndSupplementPeriod);
    assert_eq!(w.status(), S::ReviewingSupplements);
    assert_eq!(
        w.refuse(&secretary(), to_other_party()),
        "no_supplemented_applications"
    );
}
