//! Registration and access as the participant's own stream (spec 002 §4.A.5–§4.A.8, acceptance
//! scenarios S11–S17; the bank-registration request §4.A.7, S15). Given/when/then on the pure
//! deciders.

use crate::world;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use world::*;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::bank_request::{
    BankRequest, BankRequestCommand as B, BankRequestEvent, BankRequestStatus,
};
use zakup_domain::ident::{Bin, ParticipantId};
use zakup_domain::participant::{
    AdminCommand as A, Attributes, BankAccount, Contacts, Head, Participant,
    ParticipantCommand as P, ParticipantEvent, ParticipantKind, Registration, RowSource,
};
use zakup_domain::sign_in::{SignIn, SignInCommand as S, SignInEvent};

fn user(n: u32, org: Bin) -> Actor {
    Actor {
        user_id: format!("user{n}"),
        iin: iin(n),
        org,
        roles: vec![],
    }
}

fn operator() -> Actor {
    Actor {
        user_id: "operator".into(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Operator],
    }
}

fn attributes() -> Attributes {
    Attributes {
        kopf: "1150".into(),
        kse: 7,
        kfs: Some("16".into()),
        resident: true,
        small_business: false,
        medium_business: true,
    }
}

fn form(org: Bin, kind: ParticipantKind) -> Registration {
    Registration {
        participant: ParticipantId::Bin(org),
        kind,
        name: "ТОО «Ромашка»".into(),
        attributes: attributes(),
        contacts: Contacts {
            email: Some("info@romashka.kz".into()),
            ..Contacts::default()
        },
        head: Some(Head {
            iin: iin(41),
            last_name: "Иванов".into(),
            first_name: "Иван".into(),
            patronymic: None,
            position: "Директор".into(),
        }),
        supplier: true,
        agreement_signed: true,
        full_name: "Петров Пётр".into(),
    }
}

fn run(state: &mut Participant, actor: &Actor, command: P) -> Result<(), &'static str> {
    let events = state
        .decide(command, &World::new().ctx(actor))
        .map_err(|e| e.code)?;
    for e in &events {
        state.apply(e);
    }
    Ok(())
}

fn admin(n: u32, command: A) -> impl FnOnce(&mut Participant) -> Result<(), &'static str> {
    move |p| run(p, &user(n, bin(40)), P::Admin(command))
}

/// A supplier ТОО registered by user 40 (its administrator) with BIN `bin(40)`.
fn registered() -> Participant {
    let mut p = Participant::default();
    run(
        &mut p,
        &user(40, bin(40)),
        P::Register(Box::new(form(bin(40), ParticipantKind::LegalEntity))),
    )
    .unwrap();
    p
}

fn powers(roles: &[Role]) -> BTreeSet<Role> {
    roles.iter().copied().collect()
}

/// S11 (L3233–3332): the ИИН/БИН is the certificate's; without the agreement, or with КОПФ empty,
/// nothing is saved; confirmed, the participant is registered and the registering user is its
/// administrator with the roles chosen.
#[test]
fn s11_legal_entity_registration() {
    let mut p = Participant::default();
    let someone_else = P::Register(Box::new(form(bin(41), ParticipantKind::LegalEntity)));
    assert_eq!(
        run(&mut p, &user(40, bin(40)), someone_else),
        Err("participant_id_not_in_certificate")
    );
    let mut unsigned = form(bin(40), ParticipantKind::LegalEntity);
    unsigned.agreement_signed = false;
    assert_eq!(
        run(&mut p, &user(40, bin(40)), P::Register(Box::new(unsigned))),
        Err("participant_agreement_not_signed")
    );
    let mut no_kopf = form(bin(40), ParticipantKind::LegalEntity);
    no_kopf.attributes.kopf = " ".into();
    assert_eq!(
        run(&mut p, &user(40, bin(40)), P::Register(Box::new(no_kopf))),
        Err("missing_field")
    );
    assert_eq!(p, Participant::default(), "nothing saved");

    let p = registered();
    assert_eq!(p.roles, powers(&[Role::Supplier]));
    assert_eq!(
        p.powers_of(&iin(40)),
        powers(&[Role::OrgAdmin, Role::Supplier])
    );
    let mut again = p.clone();
    let twice = P::Register(Box::new(form(bin(40), ParticipantKind::LegalEntity)));
    assert_eq!(
        run(&mut again, &user(40, bin(40)), twice),
        Err("participant_already_registered"),
        "one participant per ИИН/БИН (spec §2.3, best reading)"
    );
}

/// S12 (L3294–3306): an ИП registers by its ИИН without the applicant and head fields; a legal
/// entity without its head is refused.
#[test]
fn s12_individual_entrepreneur_needs_no_head() {
    let mut form_ip = form(bin(40), ParticipantKind::IndividualEntrepreneur);
    form_ip.participant = ParticipantId::Iin(iin(40));
    form_ip.head = None;
    let mut p = Participant::default();
    run(&mut p, &user(40, bin(40)), P::Register(Box::new(form_ip))).unwrap();
    assert!(p.registered());

    let mut no_head = form(bin(40), ParticipantKind::LegalEntity);
    no_head.head = None;
    let mut q = Participant::default();
    assert_eq!(
        run(&mut q, &user(40, bin(40)), P::Register(Box::new(no_head))),
        Err("head_required")
    );
}

/// S13 (L3265–3271): «Поставщик» is ticked by the user; «Организатор» is not self-assignable,
/// the portal operator assigns it (decision 0821); a power needs the participant's role.
#[test]
fn s13_organizer_role_is_reserved() {
    let mut p = registered();
    let organizer = P::AssignRoles {
        roles: powers(&[Role::Organizer, Role::Supplier]),
    };
    assert_eq!(
        run(&mut p, &user(40, bin(40)), organizer.clone()),
        Err("role_not_self_assignable")
    );
    let grant = A::ChangePowers {
        iin: iin(40),
        powers: powers(&[Role::OrgAdmin, Role::Organizer]),
    };
    assert_eq!(
        admin(40, grant.clone())(&mut p),
        Err("power_not_held_by_participant")
    );
    run(&mut p, &operator(), organizer).unwrap();
    admin(40, grant)(&mut p).unwrap();
    assert!(p.powers_of(&iin(40)).contains(&Role::Organizer));
    let system = P::AssignRoles {
        roles: powers(&[Role::System]),
    };
    assert_eq!(
        run(&mut p, &operator(), system),
        Err("not_a_participant_role")
    );
}

fn account(number: &str) -> BankAccount {
    BankAccount {
        account_number: number.into(),
        old_format: false,
        bank: "HSBKKZKX".into(),
        account_type: "Текущий".into(),
        guarantee_deposit: true,
        default: true,
        source: RowSource::Manual,
    }
}

/// S14 (L3338–3394, spec §8.1): a 35-character number is refused; КБе is derived from residency
/// and КСЕ; the flags are stored; a manual account is deleted, an ИНИС one is not.
#[test]
fn s14_bank_account_rules() {
    let mut p = registered();
    let long = "K".repeat(35);
    assert_eq!(
        admin(40, A::AddBankAccount(account(&long)))(&mut p),
        Err("account_number_too_long")
    );
    let number = "KZ12345678901234567890123456789012";
    assert_eq!(number.len(), 34);
    admin(40, A::AddBankAccount(account(number)))(&mut p).unwrap();
    assert_eq!(p.kbe().as_deref(), Some("17"), "resident, КСЕ 7");
    assert!(p.bank_accounts[0].guarantee_deposit && p.bank_accounts[0].default);
    let mut non_resident = attributes();
    non_resident.resident = false;
    admin(40, A::EditAttributes(non_resident))(&mut p).unwrap();
    assert_eq!(p.kbe().as_deref(), Some("27"), "recomputed on a change");

    let mut inis = account("KZ000INIS");
    inis.source = RowSource::Inis;
    admin(40, A::AddBankAccount(inis))(&mut p).unwrap();
    let delete = |n: &str| A::DeleteBankAccount {
        account_number: n.into(),
    };
    assert_eq!(
        admin(40, delete("KZ000INIS"))(&mut p),
        Err("bank_account_not_manual")
    );
    admin(40, delete(number))(&mut p).unwrap();
    assert_eq!(p.bank_accounts.len(), 1);
}

/// S16 (L3491–3535): the administrator adds an employee and changes its powers; blocking needs a
/// reason and leaves the employee no power; a non-admin employee is refused.
#[test]
fn s16_employee_powers_and_blocking() {
    let mut p = registered();
    admin(
        40,
        A::AddEmployee {
            iin: iin(42),
            full_name: "Сидоров Сидор".into(),
            powers: powers(&[Role::Supplier]),
        },
    )(&mut p)
    .unwrap();
    assert_eq!(p.powers_of(&iin(42)), powers(&[Role::Supplier]));
    let by_c = A::ChangePowers {
        iin: iin(40),
        powers: powers(&[]),
    };
    assert_eq!(admin(42, by_c)(&mut p), Err("not_org_admin"));

    let block = |reason: &str| A::BlockEmployee {
        iin: iin(42),
        reason: reason.into(),
    };
    assert_eq!(admin(40, block(""))(&mut p), Err("block_reason_required"));
    admin(40, block("уволен"))(&mut p).unwrap();
    assert_eq!(p.powers_of(&iin(42)), powers(&[]));
    assert_eq!(
        p.employee(&iin(42)).unwrap().blocked.as_deref(),
        Some("уволен")
    );
    assert_eq!(admin(40, block("ещё раз"))(&mut p), Err("employee_blocked"));
    admin(40, A::UnblockEmployee { iin: iin(42) })(&mut p).unwrap();
    assert_eq!(p.powers_of(&iin(42)), powers(&[Role::Supplier]));

    // E4: the administrator's power is transferable, several holders at once.
    admin(
        40,
        A::ChangePowers {
            iin: iin(42),
            powers: powers(&[Role::OrgAdmin]),
        },
    )(&mut p)
    .unwrap();
    admin(
        42,
        A::BlockEmployee {
            iin: iin(40),
            reason: "в отпуске".into(),
        },
    )(&mut p)
    .unwrap();
    assert_eq!(
        admin(40, A::UnblockEmployee { iin: iin(40) })(&mut p),
        Err("not_org_admin"),
        "a blocked administrator has no power"
    );
}

/// S17 (L3548–3576): only the administrator edits the contacts; another organisation's
/// administrator is refused.
#[test]
fn s17_profile_editing_is_restricted() {
    let mut p = registered();
    let contacts = Contacts {
        email: Some("new@romashka.kz".into()),
        website: Some("romashka.kz".into()),
        phones: Some("+7 727 000 00 00".into()),
        address: None,
    };
    let outsider = Actor {
        roles: vec![Role::OrgAdmin],
        ..user(43, bin(41))
    };
    assert_eq!(
        run(
            &mut p,
            &outsider,
            P::Admin(A::EditContacts(contacts.clone()))
        ),
        Err("not_org_admin")
    );
    admin(40, A::EditContacts(contacts.clone()))(&mut p).unwrap();
    assert_eq!(p.contacts, contacts);
    assert_eq!(p.registration.as_ref().unwrap().name, "ТОО «Ромашка»");
}

fn bank_run(state: &mut BankRequest, actor: &Actor, command: B) -> Result<(), &'static str> {
    let events = state
        .decide(command, &World::new().ctx(actor))
        .map_err(|e| e.code)?;
    for e in &events {
        state.apply(e);
    }
    Ok(())
}

fn submitted() -> BankRequest {
    let mut r = BankRequest::default();
    let submit = B::Submit {
        bank_name: "АО «Новый банк»".into(),
        bic: "NEWBKZKA".into(),
    };
    bank_run(&mut r, &user(40, bin(40)), submit).unwrap();
    r
}

/// S15 (L3410–3480): a request is «На утверждении»; the Administrator approves («Утверждено») or
/// rejects with a reason («Отклонено»); nothing leaves a terminal status; a participant's user
/// cannot approve.
#[test]
fn s15_bank_registration_request_lifecycle() {
    let mut r = submitted();
    assert_eq!(r.status, Some(BankRequestStatus::PendingApproval));
    assert_eq!(
        bank_run(&mut r, &user(40, bin(40)), B::Approve),
        Err("not_portal_administrator")
    );
    bank_run(&mut r, &operator(), B::Approve).unwrap();
    assert_eq!(r.status, Some(BankRequestStatus::Approved));

    let mut second = submitted();
    let reject = |reason: &str| B::Reject {
        reason: reason.into(),
    };
    assert_eq!(
        bank_run(&mut second, &operator(), reject(" ")),
        Err("rejection_reason_required")
    );
    bank_run(&mut second, &operator(), reject("R")).unwrap();
    assert_eq!(second.status, Some(BankRequestStatus::Rejected));
    assert_eq!(second.rejection_reason.as_deref(), Some("R"));
    assert_eq!(
        bank_run(&mut second, &operator(), B::Approve),
        Err("bank_request_not_pending")
    );
}

fn repo(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(relative)
}

/// Writes (with `UPDATE_SCHEMAS=1`) and checks the schemas, and checks every sample against its
/// golden fixture (written once with `UPDATE_FIXTURES=1`).
fn schemas_and_fixtures(
    schemas: Vec<(&'static str, u32, schemars::Schema)>,
    samples: Vec<(&'static str, u32, Value)>,
) {
    for (event_type, version, schema) in schemas {
        let path = repo("schemas/events").join(format!("{event_type}.v{version}.json"));
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if std::env::var_os("UPDATE_SCHEMAS").is_some() {
            std::fs::write(&path, &text).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(&path).ok().as_deref(),
            Some(text.as_str()),
            "{event_type}: run with UPDATE_SCHEMAS=1"
        );
    }
    for (event_type, version, payload) in samples {
        let path = repo("tests/fixtures/events").join(format!("{event_type}.v{version}.json"));
        if std::env::var_os("UPDATE_FIXTURES").is_some() && !path.exists() {
            let fixture =
                json!({"event_type": event_type, "schema_version": version, "payload": payload});
            std::fs::write(
                &path,
                serde_json::to_string_pretty(&fixture).unwrap() + "\n",
            )
            .unwrap();
        }
        let fixture: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).unwrap();
        assert_eq!(fixture["payload"], payload, "{event_type}: golden fixture");
    }
}

/// Every participant and bank-request event has its schema and a golden fixture that replays.
#[test]
fn schemas_and_golden_fixtures_of_registration_events() {
    let mut p = Participant::default();
    let mut events = Vec::new();
    let mut record = |p: &mut Participant, actor: &Actor, command: P| {
        let new = p.decide(command, &World::new().ctx(actor)).unwrap();
        for e in &new {
            p.apply(e);
        }
        events.extend(new);
    };
    let admin40 = user(40, bin(40));
    record(
        &mut p,
        &admin40,
        P::Register(Box::new(form(bin(40), ParticipantKind::LegalEntity))),
    );
    record(
        &mut p,
        &operator(),
        P::AssignRoles {
            roles: powers(&[Role::Organizer, Role::Supplier]),
        },
    );
    let employee = A::AddEmployee {
        iin: iin(42),
        full_name: "Сидоров Сидор".into(),
        powers: powers(&[Role::Organizer]),
    };
    for command in [
        employee,
        A::ChangePowers {
            iin: iin(42),
            powers: powers(&[Role::Organizer, Role::OrgAdmin]),
        },
        A::BlockEmployee {
            iin: iin(42),
            reason: "уволен".into(),
        },
        A::UnblockEmployee { iin: iin(42) },
        A::EditContacts(Contacts::default()),
        A::EditAttributes(attributes()),
        A::AddBankAccount(account("KZ0001")),
        A::DeleteBankAccount {
            account_number: "KZ0001".into(),
        },
    ] {
        record(&mut p, &admin40, P::Admin(command));
    }
    let types: BTreeSet<_> = events.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        types.len(),
        ParticipantEvent::TYPES.len(),
        "every type sampled"
    );
    let mut replayed = Participant::default();
    for e in &events {
        let (t, v, payload) = e.to_stored();
        replayed.apply(&ParticipantEvent::from_stored(t, v, &payload).unwrap());
    }
    assert_eq!(replayed, p);
    // One sample per type: the first of each.
    let mut seen = BTreeSet::new();
    let mut samples: Vec<_> = events
        .iter()
        .filter(|e| seen.insert(e.event_type()))
        .map(|e| e.to_stored())
        .collect();

    let mut r = submitted();
    let approved = r
        .decide(B::Approve, &World::new().ctx(&operator()))
        .unwrap();
    let rejected = r
        .decide(
            B::Reject { reason: "R".into() },
            &World::new().ctx(&operator()),
        )
        .unwrap();
    let requested = submitted()
        .request
        .map(BankRequestEvent::Requested)
        .unwrap();
    for e in [requested, approved[0].clone(), rejected[0].clone()] {
        samples.push(e.to_stored());
        r.apply(&e);
    }
    let mut sign_in = SignIn::default();
    let ctx = World::new().ctx(&admin40);
    let issue = S::IssueChallenge {
        nonce: "9f86d081884c7d65".into(),
        org: bin(40),
    };
    for command in [
        issue.clone(),
        S::Complete {
            nonce: "9f86d081884c7d65".into(),
            signature_valid: true,
        },
        issue,
    ] {
        for e in sign_in.decide(command, &ctx).unwrap() {
            sign_in.apply(&e);
            samples.push(e.to_stored());
        }
    }
    sign_in.consecutive_failures = 4;
    let failed = sign_in
        .decide(
            S::Complete {
                nonce: "9f86d081884c7d65".into(),
                signature_valid: false,
            },
            &ctx,
        )
        .unwrap();
    samples.extend(failed.iter().map(|e| e.to_stored()));
    let mut seen = BTreeSet::new();
    samples.retain(|(t, _, _)| seen.insert(*t));
    let mut schemas = ParticipantEvent::current_schemas();
    schemas.extend(BankRequestEvent::current_schemas());
    schemas.extend(SignInEvent::current_schemas());
    schemas_and_fixtures(schemas, samples);
}
