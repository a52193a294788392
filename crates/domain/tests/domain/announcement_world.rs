//! Shared given/when/then helpers for the announcement tests: people, a clock on the Astana
//! calendar, and a `World` that decides commands against the folded stream and appends the
//! events (each one round-tripped through `to_stored`/`from_stored`). Loaded once as
//! `crate::world` by `main.rs` (the engine's tests include it with `#[path]`).
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::announcement::documents::{
    Approver, ContractDraft, Representatives, RequiredDocument, TenderDocumentation,
};
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{
    Announcement, AnnouncementCommand as C, AnnouncementEvent, TimedTransition,
};
use zakup_domain::application::{ApplicationId, LotOffer};
use zakup_domain::calendar::Calendar;
use zakup_domain::commission::ChangeDecision;
use zakup_domain::commission::{Commission, Person};
use zakup_domain::error::DomainError;
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::kernel::act::{ActType, Body, GroundingAct};
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{FailureReason, LotSource, LotTerms, TechnicalSpecification};
use zakup_domain::method::single_source::{SingleSourceTerms, SourceFailure};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::{ProtocolKind, SignatureProof};
use zakup_domain::status::AnnouncementStatus;
use zakup_domain::voting::{
    Article6Verdict, Ballot, DocumentationVerdict, LotBallot, QualificationVerdict,
};

// ---- people -------------------------------------------------------------------------------

/// A valid ИИН: a fixed birth date, a serial from `n`, the first serial with a check digit.
pub fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
}

/// A valid БИН of a resident legal entity (head office).
pub fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
}

pub fn organizer_bin() -> Bin {
    bin(1)
}

pub fn customer_bin() -> Bin {
    bin(2)
}

fn actor(user: &str, iin_n: u32, org: Bin, role: Role) -> Actor {
    Actor {
        user_id: user.to_owned(),
        iin: iin(iin_n),
        org,
        roles: vec![role],
    }
}

pub fn organizer() -> Actor {
    actor("organizer", 1, organizer_bin(), Role::Organizer)
}
pub fn secretary() -> Actor {
    actor("secretary", 2, organizer_bin(), Role::Organizer)
}
pub fn chairman() -> Actor {
    actor("chairman", 3, organizer_bin(), Role::Organizer)
}
pub fn member_a() -> Actor {
    actor("member_a", 4, organizer_bin(), Role::Organizer)
}
pub fn member_b() -> Actor {
    actor("member_b", 5, organizer_bin(), Role::Organizer)
}
pub fn member_c() -> Actor {
    actor("member_c", 6, organizer_bin(), Role::Organizer)
}
pub fn member_d() -> Actor {
    actor("member_d", 7, organizer_bin(), Role::Organizer)
}
pub fn member_e() -> Actor {
    actor("member_e", 15, organizer_bin(), Role::Organizer)
}
pub fn member_f() -> Actor {
    actor("member_f", 16, organizer_bin(), Role::Organizer)
}
pub fn organizer_rep() -> Actor {
    actor("organizer_rep", 8, organizer_bin(), Role::Organizer)
}
pub fn customer_rep() -> Actor {
    actor("customer_rep", 9, customer_bin(), Role::Customer)
}
pub fn customer() -> Actor {
    actor("customer", 10, customer_bin(), Role::Customer)
}
pub fn org_admin() -> Actor {
    actor("org_admin", 11, organizer_bin(), Role::OrgAdmin)
}
pub fn system() -> Actor {
    actor("system", 12, organizer_bin(), Role::System)
}
pub fn outsider() -> Actor {
    actor("outsider", 13, organizer_bin(), Role::Organizer)
}
pub fn foreign_organizer() -> Actor {
    actor("foreign", 14, bin(3), Role::Organizer)
}
pub fn supplier(n: u32) -> Actor {
    actor(
        &format!("supplier{n}"),
        100 + n,
        bin(100 + n),
        Role::Supplier,
    )
}

pub fn person(a: &Actor) -> Person {
    Person {
        iin: a.iin,
        full_name: format!("{} full name", a.user_id),
    }
}

// ---- time ---------------------------------------------------------------------------------

pub fn calendar() -> Arc<Calendar> {
    static CALENDAR: OnceLock<Arc<Calendar>> = OnceLock::new();
    CALENDAR
        .get_or_init(|| Arc::new(Calendar::embedded().expect("embedded calendar")))
        .clone()
}

/// An Astana wall-clock time, e.g. `"2026-02-02 09:00"`.
pub fn astana(local: &str) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("yyyy-mm-dd hh:mm");
    calendar().to_utc(local).expect("covered by the calendar")
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("yyyy-mm-dd")
}

/// 10:00 Astana on the `n`-th working day after the day of `at`.
pub fn working_days_after(at: DateTime<Utc>, n: u32) -> DateTime<Utc> {
    let c = calendar();
    let day = c.add_working_days(c.to_local_date(at).unwrap(), n).unwrap();
    c.to_utc(day.and_hms_opt(10, 0, 0).unwrap()).unwrap()
}

// ---- documents ----------------------------------------------------------------------------

/// What the engine adds to a signature it verified (decision 0890); the domain does not verify
/// the bytes, so any will do here.
pub fn proof() -> Option<SignatureProof> {
    Some(SignatureProof {
        key_id: "a".repeat(64),
        signature_hex: "b".repeat(128),
    })
}

pub fn file(name: &str) -> FileRef {
    FileRef {
        file_id: format!("file-{name}"),
        name: format!("{name}.pdf"),
    }
}

pub fn act(body: Body, act_type: ActType) -> GroundingAct {
    GroundingAct {
        body,
        body_name: "Суд города Астаны".into(),
        act_type,
        number: "2-1234/26".into(),
        date: date("2026-02-01"),
        file: file("act"),
    }
}

pub fn change_decision() -> ChangeDecision {
    ChangeDecision {
        number: "17".into(),
        date: date("2026-02-01"),
        file: file("decision"),
    }
}

pub fn header(method: Method, subject: SubjectType) -> Header {
    Header {
        method,
        procurement_type: ProcurementType::First,
        subject_type: subject,
        name_kk: "Тауарларды сатып алу".into(),
        name_ru: "Закупка товаров".into(),
        among_disabled_organizations: false,
        single_organizer: false,
    }
}

pub fn plan_item(n: u32) -> PlanItemId {
    PlanItemId::parse(&format!("PI-{n}")).unwrap()
}

pub fn lot_source(n: u32) -> LotSource {
    LotSource {
        plan_item_id: plan_item(n),
        lot_number: format!("L-{n}"),
        customer_bin: customer_bin(),
        name_ru: format!("Лот {n}"),
        name_kk: format!("Лот {n}"),
        amount: Money::from_tenge(10_000_000),
        ktru: None,
    }
}

pub fn goods_terms() -> LotTerms {
    LotTerms::Goods {
        delivery_conditions: "DDP".into(),
    }
}

pub fn goods_spec() -> TechnicalSpecification {
    TechnicalSpecification::Template {
        description_kk: "Сипаттама".into(),
        description_ru: "Описание".into(),
        characteristics_kk: "Сипаттамалар".into(),
        characteristics_ru: "Характеристики".into(),
        signed_document: file("spec"),
    }
}

pub fn files_spec() -> TechnicalSpecification {
    TechnicalSpecification::Files {
        files: vec![file("spec")],
    }
}

pub fn representatives() -> Representatives {
    Representatives {
        application_validity_days: 60,
        organizer_representative: person(&organizer_rep()),
        customer_representative: person(&customer_rep()),
        organizer_bank_account: "KZ000000000000000001".into(),
        security_bank_account: "KZ000000000000000002".into(),
        customer_bank_account: "KZ000000000000000003".into(),
        approver: Approver {
            full_name: "Утверждающее лицо".into(),
            order_number: "5".into(),
            order_date: date("2026-01-30"),
        },
    }
}

/// An ИОИ's terms: supplier 1 invited after a failed procurement (spec 000-C M6).
pub fn single_source_terms(
    failed_method: Method,
    failure_reason: FailureReason,
) -> SingleSourceTerms {
    SingleSourceTerms {
        source: SourceFailure {
            failed_method,
            failure_reason,
        },
        invited_supplier_bin: supplier(1).org,
    }
}

pub fn commission3() -> Commission {
    Commission {
        chairman: person(&chairman()),
        members: vec![person(&member_a()), person(&member_b())],
        secretary: person(&secretary()),
    }
}

pub fn tender_documentation() -> TenderDocumentation {
    TenderDocumentation {
        documents: vec![RequiredDocument {
            name: "Приложение 8".into(),
            obligatory_for_supplier: true,
        }],
        licences: vec![],
        permits: vec![],
        signed_documentation: file("tender-documentation"),
        signed_appendix1: file("appendix-1"),
    }
}

pub fn contract_draft() -> ContractDraft {
    ContractDraft {
        template: "typical-goods".into(),
        added_clauses: vec![],
        signed_document: file("contract"),
    }
}

// ---- ballots ------------------------------------------------------------------------------

fn lot_ballot(lot: &PlanItemId) -> LotBallot {
    LotBallot {
        plan_item_id: lot.clone(),
        documentation: DocumentationVerdict::Admitted,
        qualification: QualificationVerdict::Admitted,
        article6: Article6Verdict::Admitted,
        bankruptcy: None,
        file: None,
    }
}

pub fn admit(lots: &[PlanItemId]) -> Ballot {
    Ballot {
        common_article6: Article6Verdict::Admitted,
        lots: lots.iter().map(lot_ballot).collect(),
    }
}

/// «Отклонен» on `rejected` by qualification, admitted on the others.
pub fn reject_qualification(lots: &[PlanItemId], rejected: &PlanItemId) -> Ballot {
    let mut ballot = admit(lots);
    for b in ballot
        .lots
        .iter_mut()
        .filter(|b| &b.plan_item_id == rejected)
    {
        b.qualification = QualificationVerdict::Rejected {
            documents: vec!["Приложение 6".into()],
            reason: "Нет опыта работы".into(),
        };
    }
    ballot
}

/// «Отклонен без права переподачи» under art. 6 in the common section.
pub fn veto_common(lots: &[PlanItemId]) -> Ballot {
    let mut ballot = admit(lots);
    ballot.common_article6 = Article6Verdict::RejectedNoResubmission {
        subparagraphs: vec!["3".into()],
        reason: "Состоит в реестре недобросовестных поставщиков".into(),
    };
    ballot
}

/// Appendix 8 (application security) «без права переподачи» on `vetoed`.
pub fn veto_security(lots: &[PlanItemId], vetoed: &PlanItemId) -> Ballot {
    let mut ballot = admit(lots);
    for b in ballot.lots.iter_mut().filter(|b| &b.plan_item_id == vetoed) {
        b.documentation = DocumentationVerdict::Rejected {
            documents: vec!["Приложение 8".into()],
            reason: "Обеспечение заявки не внесено".into(),
            security_no_resubmission: true,
        };
    }
    ballot
}

pub fn application_id(supplier_n: u32) -> ApplicationId {
    ApplicationId(Uuid::from_u128(0xA000 + u128::from(supplier_n)))
}

// ---- the world ----------------------------------------------------------------------------

pub struct World {
    pub id: Uuid,
    pub now: DateTime<Utc>,
    pub events: Vec<AnnouncementEvent>,
    /// What the notices read model reports per organisation: the announcements with a notice
    /// its users have not acknowledged (`Context::unread_notices` of an actor of that БИН).
    pub unread_notices: BTreeMap<Bin, BTreeSet<Uuid>>,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

impl World {
    /// Monday 2 February 2026, 09:00 Astana.
    pub fn new() -> Self {
        World {
            id: Uuid::from_u128(0x2026),
            now: astana("2026-02-02 09:00"),
            events: Vec::new(),
            unread_notices: BTreeMap::new(),
        }
    }

    pub fn state(&self) -> Announcement {
        Announcement::fold(&self.events)
    }

    pub fn status(&self) -> AnnouncementStatus {
        self.state().status.expect("announcement exists")
    }

    pub fn ctx(&self, actor: &Actor) -> Context {
        Context {
            now: self.now,
            actor: actor.clone(),
            calendar: calendar(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: self
                .unread_notices
                .get(&actor.org)
                .cloned()
                .unwrap_or_default(),
        }
    }

    pub fn try_run(
        &mut self,
        actor: &Actor,
        command: C,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        let events = self.state().decide(command, &self.ctx(actor))?;
        for event in &events {
            let (event_type, version, payload) = event.to_stored();
            let decoded =
                AnnouncementEvent::from_stored(event_type, version, &payload).expect("decodes");
            assert_eq!(&decoded, event, "{event_type} round-trips");
            self.events.push(decoded);
        }
        Ok(events)
    }

    #[track_caller]
    pub fn run(&mut self, actor: &Actor, command: C) -> Vec<AnnouncementEvent> {
        let shown = format!("{command:?}");
        self.try_run(actor, command)
            .unwrap_or_else(|e| panic!("refused {shown}: {e}"))
    }

    /// The refusal code; the stream is unchanged.
    #[track_caller]
    pub fn refuse(&mut self, actor: &Actor, command: C) -> &'static str {
        let before = self.events.len();
        let shown = format!("{command:?}");
        let code = match self.try_run(actor, command) {
            Err(e) => e.code,
            Ok(events) => panic!("accepted {shown}: {events:?}"),
        };
        assert_eq!(self.events.len(), before);
        code
    }

    pub fn advance(&mut self, by: Duration) {
        self.now += by;
    }

    /// Moves the clock to the transition's deadline and fires it.
    #[track_caller]
    pub fn fire(&mut self, transition: TimedTransition) -> Vec<AnnouncementEvent> {
        let deadline = self
            .state()
            .deadlines()
            .into_iter()
            .find(|d| d.transition == transition)
            .unwrap_or_else(|| {
                panic!(
                    "no {transition:?} deadline in {:?}",
                    self.state().deadlines()
                )
            });
        self.now = self.now.max(deadline.at);
        self.run(&system(), transition.command())
    }

    pub fn has(&self, event_type: &str) -> bool {
        self.events.iter().any(|e| e.event_type() == event_type)
    }

    // ---- givens ---------------------------------------------------------------------------

    pub fn draft(&mut self, method: Method, subject: SubjectType, lots: u32) {
        let number = format!("{}-1", self.id.as_u128());
        self.run(
            &organizer(),
            C::CreateDraft {
                announcement_id: self.id,
                number,
                header: header(method, subject),
            },
        );
        self.run(
            &organizer(),
            C::AddLots {
                lots: (1..=lots).map(lot_source).collect(),
            },
        );
        for n in 1..=lots {
            let (terms, spec) = match subject {
                SubjectType::Goods => (goods_terms(), goods_spec()),
                SubjectType::Service => (
                    LotTerms::Service {
                        engineering: false,
                        dumping_amount: None,
                    },
                    files_spec(),
                ),
                SubjectType::Work => (
                    LotTerms::Work {
                        dumping: zakup_domain::lot::WorkDumping::WorkWithoutDumping,
                    },
                    files_spec(),
                ),
            };
            self.run(
                &organizer(),
                C::SetLotTerms {
                    plan_item_id: plan_item(n),
                    terms,
                },
            );
            self.run(
                &organizer(),
                C::AttachTechnicalSpecification {
                    plan_item_id: plan_item(n),
                    specification: spec,
                },
            );
        }
        self.run(
            &organizer(),
            C::ApproveContractDraft {
                contract_draft: contract_draft(),
            },
        );
        // Housing and the single source have only their representatives.
        if method != Method::PriceQuotations {
            self.run(
                &organizer(),
                C::SetRepresentatives {
                    representatives: representatives(),
                },
            );
        }
        if method == Method::SingleSource {
            self.run(
                &organizer(),
                C::SetSingleSourceTerms {
                    terms: single_source_terms(Method::PriceQuotations, FailureReason::NoAdmitted),
                },
            );
        }
        // The open tender, the auction and the state social order have a commission and
        // documentation.
        if matches!(
            method,
            Method::OpenTender
                | Method::Auction
                | Method::StateSocialOrder
                | Method::QualificationSelection
        ) {
            self.run(
                &organizer(),
                C::SetCommission {
                    commission: commission3(),
                },
            );
            self.run(
                &organizer(),
                C::SignTenderDocumentation {
                    documentation: tender_documentation(),
                },
            );
        }
        let (start, end) = self.valid_dates(method);
        self.run(&organizer(), C::SetAcceptanceDates { start, end });
    }

    /// OK: start on the 5th working day after today, end 15 days later. ЗЦП: tomorrow, for a week.
    pub fn valid_dates(&self, method: Method) -> (DateTime<Utc>, DateTime<Utc>) {
        match method {
            Method::OpenTender | Method::Auction => {
                let start = working_days_after(self.now, 5);
                (start, start + Duration::days(15))
            }
            Method::PriceQuotations => {
                let start = self.now + Duration::days(1);
                (start, start + Duration::days(7))
            }
            // Spec 000-C §5.1: the longest interval is 10 calendar days or 5 working days.
            Method::SingleSource => {
                let start = self.now + Duration::hours(1);
                (start, start + Duration::days(14))
            }
            // Spec 000-C §5.3: a working day by 18:00, for at least 20 calendar days.
            Method::StateSocialOrder => {
                let start = self.now + Duration::hours(1);
                (start, start + Duration::days(20))
            }
            Method::TwoStage
            | Method::Prequalification
            | Method::PriceQuotationsNonGz
            | Method::TenderNonGz => {
                let start = self.now + Duration::days(1);
                (start, start + Duration::days(7))
            }
            // Not described (spec 000-C §9.1): tomorrow, for a week (docs/decisions/0801).
            Method::QualificationSelection => {
                let start = self.now + Duration::days(1);
                (start, start + Duration::days(7))
            }
            // Tomorrow, for the 30 calendar days of spec 000-B D-17.
            Method::Housing => {
                let start = self.now + Duration::days(1);
                (start, start + Duration::days(30))
            }
        }
    }

    pub fn published_ok(&mut self, lots: u32) {
        self.draft(Method::OpenTender, SubjectType::Goods, lots);
        self.run(&organizer(), C::Publish);
    }

    /// Published, discussion ended without requests, acceptance started.
    pub fn accepting_ok(&mut self, lots: u32) {
        self.published_ok(lots);
        self.fire(TimedTransition::EndDiscussion);
        self.fire(TimedTransition::StartAcceptance);
    }

    /// Supplier `n` applies to `lots` at `price` tenge each.
    pub fn apply(&mut self, n: u32, lots: &[u32], price: u64) {
        let offers = lots
            .iter()
            .map(|l| LotOffer {
                plan_item_id: plan_item(*l),
                price: Money::from_tenge(price),
            })
            .collect();
        self.run(
            &supplier(n),
            C::SubmitApplication {
                application_id: application_id(n),
                offers,
            },
        );
    }

    /// Acceptance ended with the given applications: `(supplier, lots)` at 9 000 000 ₸.
    pub fn reviewing_ok(&mut self, lots: u32, applications: &[(u32, &[u32])]) {
        self.accepting_ok(lots);
        for (n, applied) in applications {
            self.apply(*n, applied, 9_000_000);
        }
        self.fire(TimedTransition::EndAcceptance);
    }

    pub fn vote(&mut self, member: &Actor, supplier_n: u32, ballot: Ballot) {
        self.run(
            member,
            C::CastVote {
                application_id: application_id(supplier_n),
                ballot,
            },
        );
    }

    /// Every voter in `members` admits every application on every lot under review.
    pub fn admit_everyone(&mut self, members: &[Actor]) {
        let state = self.state();
        for application in state.offers.applications.keys() {
            let lots: Vec<PlanItemId> = state.review_lots(application).into_iter().collect();
            if lots.is_empty() {
                continue;
            }
            for member in members {
                self.run(
                    member,
                    C::CastVote {
                        application_id: *application,
                        ballot: admit(&lots),
                    },
                );
            }
        }
    }

    pub fn current_version(&self, kind: ProtocolKind) -> (u32, String) {
        let state = self.state();
        let p = state.valid_protocol(kind).expect("a valid protocol");
        (p.version(), p.content_sha256.clone())
    }

    pub fn sign(
        &mut self,
        signer: &Actor,
        kind: ProtocolKind,
    ) -> Result<Vec<AnnouncementEvent>, DomainError> {
        let (version, hash) = self.current_version(kind);
        self.try_run(
            signer,
            C::SignProtocol {
                kind,
                version,
                signer_iin: signer.iin,
                content_sha256: hash,
                dissent: None,
                proof: proof(),
            },
        )
    }

    /// Secretary, chairman and member A sign; then the secretary publishes.
    pub fn sign_and_publish(&mut self, kind: ProtocolKind) -> Vec<AnnouncementEvent> {
        for signer in [secretary(), chairman(), member_a()] {
            self.sign(&signer, kind).expect("signs");
        }
        self.run(&secretary(), C::PublishProtocol { kind })
    }
}
