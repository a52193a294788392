//! The portal-wide block of an unread notice (seed 000 L10934–10944, L11082–11088: «Система не
//! позволит выполнять дальнейшие действия на Портале»; docs/decisions/0310): the organisation's
//! unread notices elsewhere come in through `Context::unread_notices`, as the notices read model
//! reports them for the actor's БИН, and every aggregate taking its users' commands refuses.

use crate::world;

use std::collections::BTreeSet;

use uuid::Uuid;
use world::*;
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{AnnouncementCommand as C, TimedTransition};
use zakup_domain::camera_control::{CameraControlCommand as CC, Direction, NoticeId, Remedy};
use zakup_domain::certificate::{Certificate, CertificateCommand as K};
use zakup_domain::discussion::DiscussionRequestId;
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::money::Money;
use zakup_domain::plan_item::{PlanItem, PlanItemCommand as P};
use zakup_domain::status::AnnouncementStatus as S;

const KEY: &str = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";

/// Announcement A, elsewhere on the portal, where the inspector delivered a notice.
fn elsewhere() -> Uuid {
    Uuid::from_u128(0xa)
}

fn unread(ids: &[Uuid]) -> BTreeSet<Uuid> {
    ids.iter().copied().collect()
}

fn inspector() -> Actor {
    Actor {
        user_id: "inspector".to_owned(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Inspector],
    }
}

fn notice(n: u128) -> NoticeId {
    NoticeId(Uuid::from_u128(0xdead + n))
}

fn suspend() -> C {
    C::Suspend {
        act: act(Body::Court, ActType::Decision),
    }
}

fn discussion_request(n: u128) -> C {
    C::SubmitDiscussionRequest {
        request_id: DiscussionRequestId(Uuid::from_u128(n)),
        subject: "Пункт 3".to_owned(),
        text: "Уточните".to_owned(),
    }
}

#[test]
fn an_unread_notice_on_one_announcement_blocks_the_organisation_on_the_others() {
    // Given announcement B published, and a notice delivered to the organizer's organisation on
    // announcement A and not acknowledged (the read model reports A for its БИН).
    let mut w = World::new();
    w.published_ok(2);
    w.unread_notices
        .insert(organizer_bin(), unread(&[elsewhere()]));
    // Then none of the organisation's users may act on B, whatever the role (L11082–11088) …
    assert_eq!(w.refuse(&secretary(), suspend()), "unread_notice_block");
    assert_eq!(w.refuse(&org_admin(), suspend()), "unread_notice_block");
    // … nor start a new announcement.
    let mut other = World::new();
    other.id = Uuid::from_u128(0xb2);
    other.unread_notices = w.unread_notices.clone();
    assert_eq!(
        other.refuse(
            &organizer(),
            C::CreateDraft {
                announcement_id: other.id,
                number: "1-1".to_owned(),
                header: header(Method::OpenTender, SubjectType::Goods),
            },
        ),
        "unread_notice_block"
    );
    // Suppliers, other organisations and the scheduler go on: the block is the addressee's.
    w.run(&supplier(1), discussion_request(7));
    w.fire(TimedTransition::EndDiscussion);
    // Once «Ознакомлен» is pressed on A and the read model has it, B is open again.
    w.unread_notices.clear();
    w.run(&secretary(), suspend());
    assert_eq!(w.status(), S::Suspended);
}

#[test]
fn acknowledging_stays_open_and_the_own_stream_decides_for_its_own_notices() {
    // Given a notice delivered on B itself, and another unread one on A.
    let mut w = World::new();
    w.published_ok(2);
    w.run(
        &inspector(),
        C::CameraControl(CC::DeliverNotice {
            notice_id: notice(1),
            plan_item_id: plan_item(1),
            direction: Direction::First,
            remedy: Remedy::CancelProcurement,
            text: "Нарушение".to_owned(),
            file: None,
        }),
    );
    w.unread_notices
        .insert(organizer_bin(), unread(&[w.id, elsewhere()]));
    // «Ознакомлен» on B is never blocked: it is what unblocks.
    w.run(
        &organizer(),
        C::CameraControl(CC::AcknowledgeNotice {
            notice_id: notice(1),
        }),
    );
    // The notice on A still blocks B's own commands, camera control included.
    assert_eq!(w.refuse(&secretary(), suspend()), "unread_notice_block");
    assert_eq!(
        w.refuse(
            &secretary(),
            C::CameraControl(CC::SelectLotsForCancellation {
                plan_item_ids: vec![plan_item(1)],
            }),
        ),
        "unread_notice_block"
    );
    // A acknowledged; the read model has not yet applied B's acknowledgement: B's stream knows
    // its notice is read, so B is open (strictly consistent on its own notices).
    w.unread_notices.insert(organizer_bin(), unread(&[w.id]));
    w.run(&secretary(), suspend());
    assert_eq!(w.status(), S::Suspended);
}

#[test]
fn plan_items_and_signing_keys_follow_the_portal_block() {
    let w = World::new();
    let blocked = |actor: &Actor| Context {
        unread_notices: unread(&[elsewhere()]),
        ..w.ctx(actor)
    };
    let request = P::RequestProcurement {
        plan_item_id: plan_item(1),
        organizer_bin: organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Бумага".into(),
        amount: Money::from_tenge(1_000_000),
    };
    // A customer organisation with an unread notice (it organizes procurements too) cannot ask
    // for a procurement; without one it can.
    let refused = PlanItem::default().decide(request.clone(), &blocked(&customer()));
    assert_eq!(refused.unwrap_err().code, "unread_notice_block");
    let item = PlanItem::fold(
        &PlanItem::default()
            .decide(request, &w.ctx(&customer()))
            .unwrap(),
    );
    // The organizer cannot return the item to the customer …
    let back = P::ReturnToCustomer {
        reason: "Неверная сумма".into(),
    };
    let refused = item.decide(back, &blocked(&organizer()));
    assert_eq!(refused.unwrap_err().code, "unread_notice_block");
    // … but the lot pool's steps for a command an announcement already allowed go through.
    let reserve = P::Reserve {
        announcement_id: w.id,
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        customer_bin: customer_bin(),
        amount: Money::from_tenge(1_000_000),
    };
    assert!(item.decide(reserve, &blocked(&organizer())).is_ok());
    // Registering a signing key is refused; revoking one stays open (a compromised key).
    let register = K::Register {
        iin: member_a().iin,
        public_key_hex: KEY.into(),
    };
    let refused = Certificate::default().decide(register.clone(), &blocked(&member_a()));
    assert_eq!(refused.unwrap_err().code, "unread_notice_block");
    let mut key = Certificate::default();
    for e in key.decide(register, &w.ctx(&member_a())).unwrap() {
        key.apply(&e);
    }
    let revoke = K::Revoke {
        reason: "Утеря носителя".into(),
    };
    assert!(key.decide(revoke, &blocked(&member_a())).is_ok());
}

#[test]
fn the_scheduler_and_the_auditors_are_never_blocked() {
    let w = World::new();
    let audit_committee = Actor {
        roles: vec![Role::AuditCommittee],
        ..inspector()
    };
    for (actor, is_blocked) in [
        (organizer(), true),
        (system(), false),
        (inspector(), false),
        (audit_committee, false),
    ] {
        let ctx = Context {
            unread_notices: unread(&[elsewhere()]),
            ..w.ctx(&actor)
        };
        assert_eq!(
            ctx.require_portal_unblocked(None).is_err(),
            is_blocked,
            "{}",
            actor.user_id
        );
    }
}
