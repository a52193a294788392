//! Drafting and publication rules (spec 000-A §2.3–§2.10, §4.2.1, §4.3).

use crate::world;

use chrono::Duration;
use world::*;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::AnnouncementEvent;
use zakup_domain::announcement::header::{Method, SubjectType};
use zakup_domain::lot::{
    DumpingAttribute, LotTerms, TechnicalSpecification, WorkDumping, WorkKind,
};
use zakup_domain::money::Money;
use zakup_domain::status::AnnouncementStatus as S;

fn created(method: Method, subject: SubjectType) -> World {
    let mut w = World::new();
    w.run(
        &organizer(),
        C::CreateDraft {
            announcement_id: w.id,
            number: "N-1".into(),
            header: header(method, subject),
        },
    );
    w
}

fn work(dumping: WorkDumping) -> LotTerms {
    LotTerms::Work { dumping }
}

fn with_dumping(expertise: bool, kind: Option<WorkKind>, experience: Option<&str>) -> LotTerms {
    work(WorkDumping::WorkWithDumping {
        expertise,
        kind,
        dumping_amount: Money::from_tenge(1_000_000),
        work_experience: experience.map(str::to_owned),
    })
}

// spec 000-A §4.2.1 T1, L734–740: only an organizer creates; the draft belongs to their organisation.
#[test]
fn an_organizer_creates_the_draft_for_their_organisation() {
    let mut w = World::new();
    let create = |w: &World| C::CreateDraft {
        announcement_id: w.id,
        number: "N-1".into(),
        header: header(Method::OpenTender, SubjectType::Goods),
    };
    assert_eq!(w.refuse(&supplier(1), create(&w)), "forbidden_role");
    let mut nameless = header(Method::OpenTender, SubjectType::Goods);
    nameless.name_kk = " ".into();
    assert_eq!(
        w.refuse(
            &organizer(),
            C::CreateDraft {
                announcement_id: w.id,
                number: "N-1".into(),
                header: nameless
            }
        ),
        "missing_field"
    );
    w.run(&organizer(), create(&w));
    let state = w.state();
    assert_eq!(
        (state.status, state.organizer_bin, state.creator_iin),
        (Some(S::Draft), Some(organizer_bin()), Some(organizer().iin))
    );
    assert_eq!(w.refuse(&organizer(), create(&w)), "announcement_exists");
    assert_eq!(
        w.refuse(
            &foreign_organizer(),
            C::AddLots {
                lots: vec![lot_source(1)]
            }
        ),
        "foreign_organization"
    );
    assert_eq!(
        w.refuse(
            &customer(),
            C::AddLots {
                lots: vec![lot_source(1)]
            }
        ),
        "forbidden_role"
    );
}

// docs/architecture.md: every command but the creation needs an existing stream.
#[test]
fn commands_on_a_missing_announcement_are_refused() {
    let mut w = World::new();
    assert_eq!(w.refuse(&organizer(), C::Publish), "announcement_not_found");
}

// spec 000-A §4.2.1 T2, L861–879; decision 0201: the events name the plan items.
#[test]
fn lots_are_added_once_and_removed_by_plan_item() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    let events = w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1), lot_source(2)],
        },
    );
    let AnnouncementEvent::LotsAdded(added) = &events[0] else {
        panic!()
    };
    assert_eq!(
        added
            .lots
            .iter()
            .map(|l| l.plan_item_id.clone())
            .collect::<Vec<_>>(),
        [plan_item(1), plan_item(2)]
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::AddLots {
                lots: vec![lot_source(1)]
            }
        ),
        "lot_already_added"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::AddLots {
                lots: vec![lot_source(3), lot_source(3)]
            }
        ),
        "lot_already_added"
    );
    let mut free = lot_source(4);
    free.amount = Money::ZERO;
    assert_eq!(
        w.refuse(&organizer(), C::AddLots { lots: vec![free] }),
        "invalid_amount"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::RemoveLots {
                plan_item_ids: vec![plan_item(9)]
            }
        ),
        "unknown_lot"
    );
    w.run(
        &organizer(),
        C::RemoveLots {
            plan_item_ids: vec![plan_item(1)],
        },
    );
    assert_eq!(
        w.state().lots.keys().cloned().collect::<Vec<_>>(),
        [plan_item(2)]
    );
}

// spec 000-A §2.4, the dumping decision tree L894–1045.
#[test]
fn lot_data_follow_the_subject_type_and_the_dumping_tree() {
    let mut w = created(Method::OpenTender, SubjectType::Work);
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let set = |terms| C::SetLotTerms {
        plan_item_id: plan_item(1),
        terms,
    };
    assert_eq!(
        w.refuse(&organizer(), set(goods_terms())),
        "lot_subject_mismatch"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            set(with_dumping(
                true,
                Some(WorkKind::WithFeasibilityAndDesign),
                None
            ))
        ),
        "field_not_applicable"
    );
    assert_eq!(
        w.refuse(&organizer(), set(with_dumping(false, None, None))),
        "missing_field"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            set(with_dumping(
                false,
                Some(WorkKind::DevelopingFeasibilityOrDesign),
                Some("3 года")
            ))
        ),
        "field_not_applicable",
        "«Опыт работы» is not available for «Работа на разработку ТЭО/ПСД» (L998)"
    );
    w.run(&organizer(), set(with_dumping(true, None, None)));
    w.run(
        &organizer(),
        set(with_dumping(
            false,
            Some(WorkKind::WithFeasibilityAndDesign),
            Some("3 года"),
        )),
    );
    w.run(&organizer(), set(work(WorkDumping::WorkWithoutDumping)));
    let terms = w.state().lots[&plan_item(1)].terms.clone().unwrap();
    assert_eq!(
        terms.dumping_attribute(),
        Some(DumpingAttribute::WorkWithoutDumping)
    );

    let mut goods = created(Method::OpenTender, SubjectType::Goods);
    goods.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    assert_eq!(
        goods.refuse(
            &organizer(),
            C::SetLotTerms {
                plan_item_id: plan_item(1),
                terms: LotTerms::Goods {
                    delivery_conditions: "".into()
                }
            }
        ),
        "missing_field",
        "Incoterms required for goods (L208–212)"
    );

    let mut services = created(Method::OpenTender, SubjectType::Service);
    services.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let service = |engineering, amount: Option<u64>| C::SetLotTerms {
        plan_item_id: plan_item(1),
        terms: LotTerms::Service {
            engineering,
            dumping_amount: amount.map(Money::from_tenge),
        },
    };
    assert_eq!(
        services.refuse(&organizer(), service(true, None)),
        "missing_field",
        "L1023–1029"
    );
    assert_eq!(
        services.refuse(&organizer(), service(false, Some(5))),
        "field_not_applicable"
    );
    services.run(&organizer(), service(true, Some(500_000)));
    let terms = services.state().lots[&plan_item(1)].terms.clone().unwrap();
    assert_eq!(
        terms.dumping_attribute(),
        Some(DumpingAttribute::ServiceWithDumping),
        "fixed for services (L1013–1017)"
    );
}

// spec 000-A §2.9, L224–312.
#[test]
fn technical_specification_form_and_immutability() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let attach = |specification| C::AttachTechnicalSpecification {
        plan_item_id: plan_item(1),
        specification,
    };
    assert_eq!(
        w.refuse(&organizer(), attach(files_spec())),
        "technical_specification_form_mismatch"
    );
    let mut blank = goods_spec();
    if let TechnicalSpecification::Template { description_ru, .. } = &mut blank {
        description_ru.clear();
    }
    assert_eq!(w.refuse(&organizer(), attach(blank)), "missing_field");
    w.run(&organizer(), attach(goods_spec()));
    assert_eq!(
        w.refuse(&organizer(), attach(goods_spec())),
        "technical_specification_exists",
        "delete to change (L262–268)"
    );
    w.run(
        &organizer(),
        C::RemoveTechnicalSpecification {
            plan_item_id: plan_item(1),
        },
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::RemoveTechnicalSpecification {
                plan_item_id: plan_item(1)
            }
        ),
        "technical_specification_missing"
    );
    w.run(&organizer(), attach(goods_spec()));

    let mut services = created(Method::PriceQuotations, SubjectType::Service);
    services.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    let empty = TechnicalSpecification::Files { files: vec![] };
    assert_eq!(
        services.refuse(
            &organizer(),
            C::AttachTechnicalSpecification {
                plan_item_id: plan_item(1),
                specification: empty
            }
        ),
        "missing_field"
    );
}

// spec 000-A §2.10, L357–371, L1476–1494.
#[test]
fn an_approved_contract_draft_is_revoked_before_it_changes() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    assert_eq!(
        w.refuse(&organizer(), C::RevokeContractDraft),
        "contract_draft_missing"
    );
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::ApproveContractDraft {
                contract_draft: contract_draft()
            }
        ),
        "contract_draft_already_approved"
    );
    w.run(&organizer(), C::RevokeContractDraft);
    let mut unsigned = contract_draft();
    unsigned.signed_document.file_id.clear();
    assert_eq!(
        w.refuse(
            &organizer(),
            C::ApproveContractDraft {
                contract_draft: unsigned
            }
        ),
        "missing_field"
    );
}

// spec 000-A §4.3: ЗЦП has no tender commission or tender documentation in this part.
#[test]
fn price_quotations_have_no_commission_or_tender_documentation() {
    let mut w = created(Method::PriceQuotations, SubjectType::Goods);
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetCommission {
                commission: commission3()
            }
        ),
        "not_applicable_to_method"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SignTenderDocumentation {
                documentation: tender_documentation()
            }
        ),
        "not_applicable_to_method"
    );
}

// Decision 0602; 000-A L81–428 (the ЗЦП draft has no representatives step) and L670–700
// («Изменить данные представителя» for the secretary or the creator in «Опубликовано» and
// «Опубликовано (прием ценовых предложений)»). Given a ЗЦП published without representatives,
// when its creator changes them, then the change names them; it stays closed after completion.
// The open tender's representatives, required at its publication, are read the same way.
#[test]
fn price_quotations_publish_without_representatives_and_the_change_names_them() {
    let change = |organizer: &zakup_domain::actor::Actor| C::ChangeRepresentatives {
        organizer_representative: person(organizer),
        customer_representative: person(&customer_rep()),
    };
    let mut w = World::new();
    w.draft(Method::PriceQuotations, SubjectType::Goods, 1);
    w.run(&organizer(), C::Publish);
    assert_eq!(w.state().representative_persons(), None);
    assert_eq!(
        w.refuse(&supplier(1), change(&organizer_rep())),
        "forbidden_role"
    );
    w.run(&organizer(), change(&organizer_rep()));
    let named = |w: &World| {
        w.state()
            .representative_persons()
            .map(|(o, c)| (o.clone(), c.clone()))
    };
    assert_eq!(
        named(&w),
        Some((person(&organizer_rep()), person(&customer_rep())))
    );
    assert!(w.state().representatives.is_none());
    w.fire(zakup_domain::announcement::TimedTransition::StartAcceptance);
    assert_eq!(w.status(), S::PublishedAcceptingPriceOffers);
    w.run(&organizer(), change(&secretary()));
    assert_eq!(
        named(&w),
        Some((person(&secretary()), person(&customer_rep())))
    );
    w.fire(zakup_domain::announcement::TimedTransition::EndAcceptance);
    assert_eq!(
        w.refuse(&organizer(), change(&organizer_rep())),
        "representatives_change_not_allowed"
    );

    let mut ok = World::new();
    ok.draft(Method::OpenTender, SubjectType::Goods, 1);
    ok.run(&organizer(), C::Publish);
    assert_eq!(
        ok.state().representative_persons().map(|(o, _)| o.clone()),
        Some(representatives().organizer_representative)
    );
}

// Decision 0206: ЗЦП dates must lie ahead.
#[test]
fn price_quotation_dates_lie_ahead() {
    let mut w = created(Method::PriceQuotations, SubjectType::Goods);
    let now = w.now;
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    assert_eq!(
        w.refuse(
            &organizer(),
            dates(now - Duration::hours(1), now + Duration::days(3))
        ),
        "invalid_acceptance_dates"
    );
    assert_eq!(
        w.refuse(
            &organizer(),
            dates(now + Duration::days(3), now + Duration::days(3))
        ),
        "invalid_acceptance_dates"
    );
    w.run(&organizer(), dates(now, now + Duration::days(3)));
}

// spec 000-A §4.2.1 T7–T8, L1496–1552: publication checks every step.
#[test]
fn publication_requires_every_step() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    assert_eq!(w.refuse(&organizer(), C::Publish), "no_lots_selected");
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1)],
        },
    );
    assert_eq!(w.refuse(&organizer(), C::Publish), "lot_data_missing");
    w.run(
        &organizer(),
        C::SetLotTerms {
            plan_item_id: plan_item(1),
            terms: goods_terms(),
        },
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "technical_specification_missing"
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    assert_eq!(w.refuse(&organizer(), C::Publish), "contract_draft_missing");
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "representatives_missing"
    );
    w.run(
        &organizer(),
        C::SetRepresentatives {
            representatives: representatives(),
        },
    );
    assert_eq!(w.refuse(&organizer(), C::Publish), "commission_missing");
    w.run(
        &organizer(),
        C::SetCommission {
            commission: commission3(),
        },
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "tender_documentation_missing"
    );
    w.run(
        &organizer(),
        C::SignTenderDocumentation {
            documentation: tender_documentation(),
        },
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "acceptance_dates_missing"
    );
    let (start, end) = w.valid_dates(Method::OpenTender);
    w.run(&organizer(), C::SetAcceptanceDates { start, end });
    assert_eq!(
        w.refuse(&foreign_organizer(), C::Publish),
        "foreign_organization"
    );
    w.run(&organizer(), C::Publish);
    // «Опубликованная закупка не подлежит редактированию» (L418–420).
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetRepresentatives {
                representatives: representatives()
            }
        ),
        "not_a_draft"
    );
    assert_eq!(w.refuse(&organizer(), C::DeleteDraft), "not_a_draft");
}

// spec 000-A §4.2.1 T10, L850–852; decision 0201: deletion names the plan items to release.
#[test]
fn deleting_a_draft_releases_its_plan_items() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    w.run(
        &organizer(),
        C::AddLots {
            lots: vec![lot_source(1), lot_source(2)],
        },
    );
    let events = w.run(&organizer(), C::DeleteDraft);
    let AnnouncementEvent::DraftDeleted(deleted) = &events[0] else {
        panic!()
    };
    assert_eq!(deleted.plan_item_ids, [plan_item(1), plan_item(2)]);
    assert!(!w.state().holds_plan_item(&plan_item(1)));
    assert_eq!(w.refuse(&organizer(), C::Publish), "announcement_not_found");
}

// spec 000-A §2.5, L1070–1192.
#[test]
fn representatives_are_complete() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    let mut no_account = representatives();
    no_account.security_bank_account = "".into();
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetRepresentatives {
                representatives: no_account
            }
        ),
        "missing_field"
    );
    let mut no_order = representatives();
    no_order.approver.order_number = " ".into();
    assert_eq!(
        w.refuse(
            &organizer(),
            C::SetRepresentatives {
                representatives: no_order
            }
        ),
        "missing_field"
    );
}

// spec 000-A §2.6: the secretary is outside the counted composition and nobody sits twice.
#[test]
fn nobody_sits_twice_in_the_commission() {
    let mut w = created(Method::OpenTender, SubjectType::Goods);
    let twice = zakup_domain::commission::Commission {
        members: vec![person(&member_a()), person(&secretary())],
        ..commission3()
    };
    assert_eq!(
        w.refuse(&organizer(), C::SetCommission { commission: twice }),
        "commission_duplicate_person"
    );
}

// spec 000-A §4.2.3 C2, L1864–1880: changed plan items update the draft's lots, and the
// specification, the signed documentation and the contract draft must be done again.
#[test]
fn a_plan_change_refreshes_the_lot_and_requires_the_documents_again() {
    let mut w = World::new();
    w.draft(Method::OpenTender, SubjectType::Goods, 1);
    let mut changed = lot_source(1);
    changed.amount = Money::from_tenge(12_000_000);
    let refresh = |source| C::RefreshLotFromPlan { source };
    assert_eq!(
        w.refuse(&organizer(), refresh(changed.clone())),
        "forbidden_role",
        "relayed by the engine"
    );
    assert_eq!(w.refuse(&system(), refresh(lot_source(5))), "unknown_lot");
    w.run(&system(), refresh(changed));
    let state = w.state();
    assert!(state.plan_lots.plan_changed);
    assert!(
        zakup_domain::announcement::PLAN_CHANGED_WARNING_RU
            .starts_with("Внимание! Изменились сведения в пунктах плана")
    );
    assert_eq!(
        state.lots[&plan_item(1)].source.amount,
        Money::from_tenge(12_000_000)
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "technical_specification_missing"
    );
    w.run(
        &organizer(),
        C::AttachTechnicalSpecification {
            plan_item_id: plan_item(1),
            specification: goods_spec(),
        },
    );
    assert_eq!(w.refuse(&organizer(), C::Publish), "contract_draft_missing");
    w.run(
        &organizer(),
        C::ApproveContractDraft {
            contract_draft: contract_draft(),
        },
    );
    assert_eq!(
        w.refuse(&organizer(), C::Publish),
        "tender_documentation_missing"
    );
    w.run(
        &organizer(),
        C::SignTenderDocumentation {
            documentation: tender_documentation(),
        },
    );
    w.run(&organizer(), C::Publish);
    assert!(!w.state().plan_lots.plan_changed);
    assert_eq!(w.refuse(&system(), refresh(lot_source(1))), "not_a_draft");
}

// Issue 26 item 4 (defects 5 and 10, docs/decisions/0633): names at most 1000 characters,
// numbers at most 64, neither with control characters (NUL, CR/LF) nor bidirectional overrides;
// refused with their code, nothing written.
#[test]
fn names_and_numbers_are_bounded_and_free_of_invisible_characters() {
    let mut w = World::new();
    let create = |w: &World, number: &str, name_ru: &str| {
        let mut header = header(Method::OpenTender, SubjectType::Goods);
        header.name_ru = name_ru.into();
        C::CreateDraft {
            announcement_id: w.id,
            number: number.into(),
            header,
        }
    };
    let huge = "я".repeat(50 * 1024 * 1024 / 2);
    let cases = [
        ("N-1", huge.as_str(), "text_too_long"),
        ("N-1", &*"я".repeat(1001), "text_too_long"),
        (&*"7".repeat(65), "Бумага", "text_too_long"),
        ("N-1", "Бумага\u{0}", "forbidden_characters"),
        ("N-1", "Бумага\nДоп. условия", "forbidden_characters"),
        ("N-1", "Бумага \u{202E}txt.exe", "forbidden_characters"),
        ("N\u{2067}-1", "Бумага", "forbidden_characters"),
    ];
    for (number, name, code) in cases {
        assert_eq!(
            w.refuse(&organizer(), create(&w, number, name)),
            code,
            "{number:.10} {name:.10}"
        );
    }
    w.run(&organizer(), create(&w, &"7".repeat(64), &"я".repeat(1000)));
}

// The limits are the commands': a stored draft with a longer name (written before them) still
// folds as it is.
#[test]
fn an_old_event_with_a_long_name_still_replays() {
    use zakup_domain::announcement::Announcement;
    use zakup_domain::announcement::event::AnnouncementDrafted;
    let mut header = header(Method::OpenTender, SubjectType::Goods);
    header.name_ru = "я".repeat(5000);
    let drafted = AnnouncementEvent::AnnouncementDrafted(AnnouncementDrafted {
        announcement_id: World::new().id,
        number: "N\u{202E}-1".into(),
        header: header.clone(),
        organizer_bin: organizer_bin(),
        creator_iin: organizer().iin,
        drafted_at: astana("2026-02-02 09:00"),
    });
    let state = Announcement::fold([&drafted]);
    assert_eq!(
        state.header.as_ref().map(|h| h.name_ru.len()),
        Some(header.name_ru.len())
    );
}

// Issue 26 item 4 (defect 10, docs/decisions/0635): a window ends within 366 days of the moment
// it is set, whatever the method; a ЗЦП window lasts at least a day. Refused, nothing written.
#[test]
fn acceptance_windows_are_bounded() {
    let mut ok = created(Method::OpenTender, SubjectType::Goods);
    let (start, _) = ok.valid_dates(Method::OpenTender);
    let century = C::SetAcceptanceDates {
        start,
        end: start + Duration::days(100 * 365),
    };
    assert_eq!(
        ok.refuse(&organizer(), century),
        "acceptance_period_too_long"
    );
    let mut zcp = created(Method::PriceQuotations, SubjectType::Goods);
    let now = zcp.now;
    let dates = |start, end| C::SetAcceptanceDates { start, end };
    let second = dates(
        now + Duration::hours(1),
        now + Duration::hours(1) + Duration::seconds(1),
    );
    assert_eq!(zcp.refuse(&organizer(), second), "invalid_acceptance_dates");
    let long = dates(now + Duration::days(1), now + Duration::days(367));
    assert_eq!(zcp.refuse(&organizer(), long), "acceptance_period_too_long");
    zcp.run(
        &organizer(),
        dates(now + Duration::hours(1), now + Duration::hours(25)),
    );
}
