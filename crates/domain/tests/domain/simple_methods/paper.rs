//! Procurements run off the portal, their results entered by hand: «Бумажные закупки» and
//! «Закупки для не субъектов ГЗ» (spec 000-C §2.18–2.22, §4.8, §5.4, §6.3; scenarios S23, S24).

use chrono::Duration;

use super::world::*;
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::TimedTransition;
use zakup_domain::announcement::actions::Action;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::ident::ParticipantId;
use zakup_domain::lot::LotOutcome;
use zakup_domain::money::Money;
use zakup_domain::procedure::entered_results::{
    EnteredFailureReason, EnteredResults, EnteredSupplier, PublicationPlaces, SupplierRow,
    application_id,
};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{AnnouncementStatus as S, LotStatus, ProtocolValidity};

/// A draft of `method` with one goods lot and its delivery terms, acceptance tomorrow for a week.
fn drafted(method: Method) -> World {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "B-1".into(),
            header: header(method, SubjectType::Goods),
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
    let start = w.now + Duration::days(1);
    w.run(
        &organizer(),
        C::SetAcceptanceDates {
            start,
            end: start + Duration::days(7),
        },
    );
    w
}

/// «Публикация объявления»: where the documentation is obtained and the applications submitted.
fn places() -> PublicationPlaces {
    PublicationPlaces {
        documentation: "г. Астана, ул. Достык 1, каб. 5; лично или по почте".into(),
        applications_ru: "г. Астана, ул. Достык 1, каб. 5".into(),
        applications_kk: "Астана қ., Достық к-сі 1, 5 каб.".into(),
    }
}

/// Published with its places, and acceptance ended: «Формирование протокола итогов».
fn forming(method: Method) -> World {
    let mut w = drafted(method);
    w.run(&organizer(), C::SetPublicationPlaces { places: places() });
    w.run(&organizer(), C::Publish);
    w.fire(TimedTransition::EndAcceptance);
    w
}

fn row(number: &str, supplier: EnteredSupplier, price: u64) -> SupplierRow {
    SupplierRow {
        application_number: number.into(),
        supplier,
        account: "KZ86125KZT5004100100".into(),
        unit_price: Money::from_tenge(price),
        conditional_price: Money::from_tenge(price),
        submitted_on: date("2026-02-05"),
    }
}

fn resident(n: u32) -> EnteredSupplier {
    EnteredSupplier::Resident {
        id: ParticipantId::Bin(bin(n)),
        name: format!("ТОО «Поставщик {n}»"),
    }
}

fn non_resident() -> EnteredSupplier {
    EnteredSupplier::NonResident {
        tax_number: "190123456".into(),
        name: "ООО «Минский поставщик»".into(),
    }
}

fn enter(results: EnteredResults) -> C {
    C::EnterResultsData { results }
}

// S23, B2 (L8864–8866): the lot of a paper draft is «Проект лота»; no technical specification
// or contract draft is asked for; a supplier cannot apply on the portal.
#[test]
fn s23_paper_draft_lots_and_publication() {
    let mut w = drafted(Method::Prequalification);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::LotDraft)
    );
    assert_eq!(LotStatus::LotDraft.original(), "Проект лота");
    w.run(&organizer(), C::SetPublicationPlaces { places: places() });
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    assert_eq!(
        w.state().lot_status(&plan_item(1)),
        Some(LotStatus::Published)
    );
    w.advance(Duration::days(2));
    let refused = w.refuse(
        &supplier(1),
        C::SubmitApplication {
            application_id: application_id(w.id, "1"),
            offers: Vec::new(),
        },
    );
    assert_eq!(refused, "not_applicable_to_method");
}

// S23, §2.20, B4 (L8938–8946, L9391–9399): the publication form's three places are required;
// without the Kazakh place of the applications, publication is refused.
#[test]
fn s23_publication_needs_the_places() {
    let mut w = drafted(Method::Prequalification);
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "publication_places_missing"
    );
    let without_kazakh = PublicationPlaces {
        applications_kk: " ".into(),
        ..places()
    };
    let refused = w.refuse(
        &organizer(),
        C::SetPublicationPlaces {
            places: without_kazakh,
        },
    );
    assert_eq!(refused, "missing_field");
    assert_eq!(w.status(), S::Draft);
    w.run(&organizer(), C::SetPublicationPlaces { places: places() });
    assert_eq!(
        w.state().procedure.entered_data().unwrap().places,
        Some(places())
    );
    w.run(&organizer(), C::Publish);
    assert_eq!(w.status(), S::Published);
    // A published procurement is not edited (B4).
    let refused = w.refuse(&organizer(), C::SetPublicationPlaces { places: places() });
    assert_eq!(refused, "not_a_draft");
}

// §2.20 (L9391–9399): the non-GZ form has the same places; other methods have none of them.
#[test]
fn publication_places_only_off_the_portal() {
    let mut w = drafted(Method::PriceQuotationsNonGz);
    w.run(&organizer(), C::SetPublicationPlaces { places: places() });
    let mut w = drafted(Method::PriceQuotations);
    let refused = w.refuse(&organizer(), C::SetPublicationPlaces { places: places() });
    assert_eq!(refused, "not_applicable_to_method");
}

// B2 (L8868–8870, L9379–9381): a goods lot needs its delivery conditions before publication.
#[test]
fn b2_goods_lot_needs_delivery_terms() {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "B-2".into(),
            header: header(Method::TwoStage, SubjectType::Goods),
        },
    );
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let start = w.now + Duration::days(1);
    w.run(
        &organizer(),
        C::SetAcceptanceDates {
            start,
            end: start + Duration::days(7),
        },
    );
    w.run(&organizer(), C::SetPublicationPlaces { places: places() });
    assert_eq!(w.refuse(&organizer(), C::Publish), "lot_data_missing");
}

// B5, B7 (L8997–9001, L9225–9227): at the end of acceptance «Внести данные» is the creator's
// action, and nobody else's; once the protocol is formed it is gone until it is deleted.
#[test]
fn b5_entering_the_data_is_the_creators_action() {
    let mut w = forming(Method::TenderNonGz);
    let actions = |w: &World, who: &Actor| w.state().available_actions(&w.ctx(who));
    assert!(actions(&w, &organizer()).contains(&Action::EnterResultsData));
    assert!(!actions(&w, &organizer_rep()).contains(&Action::EnterResultsData));
    let failed = EnteredResults::Failed {
        reason: EnteredFailureReason::Other,
        other_reason: Some("Заказчик отказался от закупки".into()),
        suppliers: Vec::new(),
    };
    w.run(&organizer(), enter(failed));
    w.run(&organizer(), C::FormResultsProtocol);
    assert!(!actions(&w, &organizer()).contains(&Action::EnterResultsData));
    w.run(&organizer(), C::DeleteResultsProtocol);
    assert!(actions(&w, &organizer()).contains(&Action::EnterResultsData));
}

// B3 (L8880–8976; spec §2.19): the paper draft has the representatives step, the procurement for
// non-subjects does not.
#[test]
fn b3_representatives_only_for_paper() {
    let mut w = drafted(Method::TwoStage);
    w.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    let mut w = drafted(Method::TenderNonGz);
    let refused = w.refuse(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    assert_eq!(refused, "not_applicable_to_method");
}

// S23, B5–B11, §6.3 (L8997–9251): the end of acceptance leads to forming the results; at least
// two applications for a procurement that took place; the creator forms, signs alone, may delete
// before publication, and publishes.
#[test]
fn s23_paper_results_entered_formed_signed_published() {
    let mut w = forming(Method::Prequalification);
    assert_eq!(w.status(), S::FormingResultsProtocol);
    // Nothing entered: nothing to form.
    assert_eq!(
        w.refuse(&organizer(), C::FormResultsProtocol),
        "results_data_missing"
    );
    let one = EnteredResults::Held {
        suppliers: vec![row("1", resident(101), 950_000)],
    };
    assert_eq!(
        w.refuse(&organizer(), enter(one)),
        "two_applications_required"
    );
    let two = EnteredResults::Held {
        suppliers: vec![
            row("1", resident(101), 950_000),
            row("2", non_resident(), 900_000),
        ],
    };
    // Only the creator enters them.
    assert_eq!(w.refuse(&secretary(), enter(two.clone())), "not_secretary");
    w.run(&organizer(), enter(two.clone()));
    w.run(&organizer(), C::FormResultsProtocol);
    // Formed: no more editing until it is deleted (B7, B10).
    assert_eq!(
        w.refuse(&organizer(), enter(two.clone())),
        "protocol_already_formed"
    );
    w.run(&organizer(), C::DeleteResultsProtocol);
    assert_eq!(w.status(), S::FormingResultsProtocol);
    w.run(&organizer(), enter(two));
    w.run(&organizer(), C::FormResultsProtocol);
    // B9: the creator alone signs; publication waits for his signature.
    assert_eq!(
        w.sign(&secretary(), ProtocolKind::Results)
            .expect_err("not the creator")
            .code,
        "not_a_signer"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::PublishProtocol {
                kind: ProtocolKind::Results
            }
        ),
        "signatures_missing"
    );
    w.sign(&organizer(), ProtocolKind::Results).expect("signs");
    w.run(
        &organizer(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    // The lower conditional price, the non-resident's, wins (docs/decisions/0748).
    assert_eq!(
        state.lots[&plan_item(1)].outcome,
        Some(LotOutcome::Held {
            winner: application_id(w.id, "2")
        })
    );
    // Versions by replay: the deleted version 1 is not valid, version 2 is.
    let versions: Vec<_> = state
        .protocol_versions(ProtocolKind::Results)
        .map(|p| (p.version(), p.validity, p.content.entered_results.is_some()))
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, ProtocolValidity::Invalid, true),
            (2, ProtocolValidity::Valid, true)
        ]
    );
}

// S24, §2.21 (L9192–9212, L9608–9643): a non-GZ procurement that did not take place: another
// reason needs no application, the two named reasons need at least one.
#[test]
fn s24_non_gz_failed_procurement() {
    let mut w = forming(Method::TenderNonGz);
    let failed = |reason, other: Option<&str>, suppliers| EnteredResults::Failed {
        reason,
        other_reason: other.map(str::to_owned),
        suppliers,
    };
    let refused = w.refuse(
        &organizer(),
        enter(failed(EnteredFailureReason::Other, None, Vec::new())),
    );
    assert_eq!(refused, "missing_field");
    let refused = w.refuse(
        &organizer(),
        enter(failed(
            EnteredFailureReason::FewerThanTwoApplications,
            None,
            Vec::new(),
        )),
    );
    assert_eq!(refused, "missing_field");
    w.run(
        &organizer(),
        enter(failed(
            EnteredFailureReason::FewerThanTwoApplications,
            None,
            vec![row("1", resident(101), 950_000)],
        )),
    );
    w.run(
        &organizer(),
        enter(failed(
            EnteredFailureReason::Other,
            Some("Закупка отменена заказчиком"),
            Vec::new(),
        )),
    );
    w.run(&organizer(), C::FormResultsProtocol);
    w.sign(&organizer(), ProtocolKind::Results).expect("signs");
    w.run(
        &organizer(),
        C::PublishProtocol {
            kind: ProtocolKind::Results,
        },
    );
    let state = w.state();
    assert_eq!(state.status, Some(S::Completed));
    assert!(
        state.lots[&plan_item(1)]
            .outcome
            .as_ref()
            .is_some_and(LotOutcome::is_failed)
    );
}

// §2.20 (best reading, docs/decisions/0748): no interval rule, but the window lies ahead.
#[test]
fn paper_acceptance_window_lies_ahead() {
    let mut w = drafted(Method::PriceQuotationsNonGz);
    let now = w.now;
    let refused = w.refuse(
        &organizer(),
        C::SetAcceptanceDates {
            start: now + Duration::hours(2),
            end: now + Duration::hours(1),
        },
    );
    assert_eq!(refused, "invalid_acceptance_dates");
}
