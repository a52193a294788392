//! Realistic announcements, decided by the domain itself: valid people (ИИН/БИН with check
//! digits), an open tender with lots, applications, commission votes and signed protocols. The
//! events come out of `Announcement::decide`, so every read model sees a consistent history.

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::announcement::documents::{
    Approver, ContractDraft, Representatives, RequiredDocument, TenderDocumentation,
};
use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
use zakup_domain::announcement::{
    Announcement, AnnouncementCommand as C, AnnouncementEvent, TimedTransition,
};
use zakup_domain::application::{ApplicationId, DiscountForm, LotOffer};
use zakup_domain::calendar::Calendar;
use zakup_domain::commission::{Commission, Person};
use zakup_domain::ident::{Bin, Iin};
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{LotSource, LotTerms, TechnicalSpecification};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::voting::{
    Article6Verdict, Ballot, DocumentationVerdict, LotBallot, QualificationVerdict,
};
use zakup_engine::CommandMeta;
use zakup_store::{Metadata, NewEvent, StreamId};

/// A valid ИИН: a fixed birth date, a serial from `n`, the first serial with a check digit.
pub fn iin(n: u32) -> Iin {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
}

/// A valid БИН of a resident legal entity.
pub fn bin(n: u32) -> Bin {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("some serial has a check digit")
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
    actor("organizer", 1, bin(1), Role::Organizer)
}
pub fn secretary() -> Actor {
    actor("secretary", 2, bin(1), Role::Organizer)
}
pub fn chairman() -> Actor {
    actor("chairman", 3, bin(1), Role::Organizer)
}
pub fn member_a() -> Actor {
    actor("member_a", 4, bin(1), Role::Organizer)
}
pub fn member_b() -> Actor {
    actor("member_b", 5, bin(1), Role::Organizer)
}
fn organizer_rep() -> Actor {
    actor("organizer_rep", 8, bin(1), Role::Organizer)
}
fn customer_rep() -> Actor {
    actor("customer_rep", 9, bin(2), Role::Customer)
}
pub fn system() -> Actor {
    actor("system", 12, bin(1), Role::System)
}
pub fn supplier(n: u32) -> Actor {
    actor(
        &format!("supplier{n}"),
        100 + n,
        bin(100 + n),
        Role::Supplier,
    )
}

/// The commission members who vote.
pub fn voters() -> [Actor; 3] {
    [chairman(), member_a(), member_b()]
}

fn person(a: &Actor) -> Person {
    Person {
        iin: a.iin,
        full_name: format!("{} full name", a.user_id),
    }
}

fn file(name: &str) -> FileRef {
    FileRef {
        file_id: format!("file-{name}"),
        name: format!("{name}.pdf"),
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("yyyy-mm-dd")
}

pub fn plan_item(n: u32) -> PlanItemId {
    PlanItemId::parse(&format!("PI-{n}")).expect("valid plan item id")
}

/// Supplier `n`'s application in announcement `announcement`: distinct everywhere, as in life.
pub fn application_id(announcement: Uuid, n: u32) -> ApplicationId {
    ApplicationId(Uuid::new_v5(
        &announcement,
        format!("application-{n}").as_bytes(),
    ))
}

/// Every lot admitted on every ground.
pub fn admit(lots: &[PlanItemId]) -> Ballot {
    Ballot {
        common_article6: Article6Verdict::Admitted,
        lots: lots
            .iter()
            .map(|lot| LotBallot {
                plan_item_id: lot.clone(),
                documentation: DocumentationVerdict::Admitted,
                qualification: QualificationVerdict::Admitted,
                article6: Article6Verdict::Admitted,
                bankruptcy: None,
                file: None,
            })
            .collect(),
    }
}

/// «Отклонен» by qualification on `rejected`, admitted on the others.
fn reject_qualification(lots: &[PlanItemId], rejected: &PlanItemId) -> Ballot {
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

fn zero_discounts() -> DiscountForm {
    let z = Some(Decimal::ZERO);
    DiscountForm {
        experience_years: Some(0),
        experience_months: Some(0),
        experience_pct: z,
        qms_pct: z,
        ems_pct: z,
        sechp_pct: z,
        voluntary_conformity_pct: z,
        functional_pct: z,
        technical_pct: z,
        quality_pct: z,
        operational_pct: z,
    }
}

pub fn header(name_ru: String) -> Header {
    Header {
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        subject_type: SubjectType::Goods,
        name_kk: "Тауарларды сатып алу".into(),
        name_ru,
        among_disabled_organizations: false,
        single_organizer: false,
    }
}

/// One announcement's history being written: the folded state, the clock, and the envelopes of
/// the events decided so far.
pub struct Lifecycle {
    pub id: Uuid,
    pub stream: StreamId,
    pub state: Announcement,
    pub now: DateTime<Utc>,
    calendar: Arc<Calendar>,
    /// Events not yet taken by [`Lifecycle::take`].
    pending: Vec<NewEvent>,
    lots: u32,
    suppliers: u32,
}

impl Lifecycle {
    /// Drafted `start_day` days after Monday 2 February 2026, at 09:00 Astana.
    pub fn new(
        id: Uuid,
        calendar: Arc<Calendar>,
        start_day: u32,
        lots: u32,
        suppliers: u32,
    ) -> Self {
        let start = NaiveDateTime::parse_from_str("2026-02-02 09:00", "%Y-%m-%d %H:%M")
            .expect("a valid instant");
        let now = calendar.to_utc(start).expect("covered by the calendar")
            + Duration::days(i64::from(start_day));
        Lifecycle {
            id,
            stream: StreamId::new("announcement", id.to_string()).expect("valid stream id"),
            state: Announcement::default(),
            now,
            calendar,
            pending: Vec::new(),
            lots,
            suppliers,
        }
    }

    /// The events decided since the last call, each with its own command's envelope.
    pub fn take(&mut self) -> Vec<NewEvent> {
        std::mem::take(&mut self.pending)
    }

    fn lot_ids(&self) -> Vec<PlanItemId> {
        (1..=self.lots).map(plan_item).collect()
    }

    /// Decides `command` as `actor` and folds the result.
    pub fn run(&mut self, actor: &Actor, command: C) {
        let shown = format!("{command:?}");
        let ctx = Context {
            now: self.now,
            actor: actor.clone(),
            calendar: self.calendar.clone(),
            rules: zakup_domain::regime::RuleBook::embedded(),
            unread_notices: Default::default(),
        };
        let events = self
            .state
            .decide(command, &ctx)
            .unwrap_or_else(|e| panic!("the domain refused {shown}: {e}"));
        let meta = CommandMeta {
            command_id: Uuid::new_v4(),
            correlation_id: None,
            causation_id: None,
            actor: actor.clone(),
            unread_notices: Default::default(),
        };
        for (i, event) in events.iter().enumerate() {
            self.state.apply(event);
            self.pending
                .push(envelope(&self.stream, &meta, self.now, i, event));
        }
        // Users act a few minutes apart.
        self.now += Duration::minutes(3);
    }

    /// Moves the clock to the transition's deadline and fires it, as the scheduler does.
    fn fire(&mut self, transition: TimedTransition) {
        let deadline = self
            .state
            .deadlines()
            .into_iter()
            .find(|d| d.transition == transition)
            .unwrap_or_else(|| panic!("no {transition:?} deadline"));
        self.now = self.now.max(deadline.at);
        self.run(&system(), transition.command());
    }

    /// A published open tender whose applications are under review (the commission votes next).
    pub fn reach_review(&mut self) {
        let organizer = organizer();
        self.run(
            &organizer,
            C::CreateDraft {
                announcement_id: self.id,
                number: format!("{}-1", self.id.as_u128() % 100_000_000),
                header: header("Закупка товаров".into()),
            },
        );
        let lots = (1..=self.lots)
            .map(|n| LotSource {
                plan_item_id: plan_item(n),
                lot_number: format!("L-{n}"),
                customer_bin: bin(2),
                name_ru: format!("Лот {n}"),
                name_kk: format!("Лот {n}"),
                amount: Money::from_tenge(10_000_000),
                ktru: None,
            })
            .collect();
        self.run(&organizer, C::AddLots { lots });
        for lot in self.lot_ids() {
            self.run(
                &organizer,
                C::SetLotTerms {
                    plan_item_id: lot.clone(),
                    terms: LotTerms::Goods {
                        delivery_conditions: "DDP".into(),
                    },
                },
            );
            self.run(
                &organizer,
                C::AttachTechnicalSpecification {
                    plan_item_id: lot,
                    specification: TechnicalSpecification::Template {
                        description_kk: "Сипаттама".into(),
                        description_ru: "Описание".into(),
                        characteristics_kk: "Сипаттамалар".into(),
                        characteristics_ru: "Характеристики".into(),
                        signed_document: file("spec"),
                    },
                },
            );
        }
        self.run(
            &organizer,
            C::ApproveContractDraft {
                contract_draft: ContractDraft {
                    template: "typical-goods".into(),
                    added_clauses: vec![],
                    signed_document: file("contract"),
                },
            },
        );
        self.run(
            &organizer,
            C::SetRepresentatives {
                representatives: Representatives {
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
                },
            },
        );
        self.run(
            &organizer,
            C::SetCommission {
                commission: Commission {
                    chairman: person(&chairman()),
                    members: vec![person(&member_a()), person(&member_b())],
                    secretary: person(&secretary()),
                },
            },
        );
        self.run(
            &organizer,
            C::SignTenderDocumentation {
                documentation: TenderDocumentation {
                    documents: vec![RequiredDocument {
                        name: "Приложение 8".into(),
                        obligatory_for_supplier: true,
                    }],
                    licences: vec![],
                    permits: vec![],
                    signed_documentation: file("tender-documentation"),
                    signed_appendix1: file("appendix-1"),
                },
            },
        );
        let local = self.calendar.to_local_date(self.now).expect("in calendar");
        let day = self
            .calendar
            .add_working_days(local, 5)
            .expect("in calendar");
        let start = self
            .calendar
            .to_utc(day.and_hms_opt(10, 0, 0).expect("valid time"))
            .expect("in calendar");
        self.run(
            &organizer,
            C::SetAcceptanceDates {
                start,
                end: start + Duration::days(15),
            },
        );
        self.run(&organizer, C::Publish);
        self.fire(TimedTransition::EndDiscussion);
        self.fire(TimedTransition::StartAcceptance);
        for n in 1..=self.suppliers {
            let offers = self
                .lot_ids()
                .into_iter()
                .map(|lot| LotOffer {
                    plan_item_id: lot,
                    price: Money::from_tenge(9_000_000 - u64::from(n) * 100_000),
                })
                .collect();
            self.run(
                &supplier(n),
                C::SubmitApplication {
                    application_id: application_id(self.id, n),
                    offers,
                },
            );
        }
        self.fire(TimedTransition::EndAcceptance);
    }

    /// From review to «Завершено»: votes (supplier 1 rejected on one lot, so it supplements),
    /// the preliminary admission protocol, supplements, discounts, the results protocol.
    pub fn complete(&mut self) {
        let lots = self.lot_ids();
        for n in 1..=self.suppliers {
            for (i, voter) in voters().iter().enumerate() {
                let ballot = if n == 1 && i < 2 {
                    reject_qualification(&lots, &lots[0])
                } else {
                    admit(&lots)
                };
                self.run(
                    voter,
                    C::CastVote {
                        application_id: application_id(self.id, n),
                        ballot,
                    },
                );
            }
        }
        self.run(&secretary(), C::CompleteVoting);
        self.run(&secretary(), C::FormPreliminaryAdmissionProtocol);
        self.sign_and_publish(ProtocolKind::PreliminaryAdmission);
        self.run(
            &supplier(1),
            C::SupplementApplication {
                application_id: application_id(self.id, 1),
                plan_item_ids: vec![lots[0].clone()],
                documents: vec![file("experience")],
            },
        );
        self.fire(TimedTransition::EndSupplementPeriod);
        let application = application_id(self.id, 1);
        let review: Vec<PlanItemId> = self.state.review_lots(&application).into_iter().collect();
        for voter in voters() {
            self.run(
                &voter,
                C::CastVote {
                    application_id: application,
                    ballot: admit(&review),
                },
            );
        }
        self.run(&secretary(), C::CompleteVoting);
        for lot in &lots {
            self.run(
                &secretary(),
                C::FillConditionalDiscounts {
                    plan_item_id: lot.clone(),
                    entries: (1..=self.suppliers)
                        .map(|n| (application_id(self.id, n), zero_discounts()))
                        .collect(),
                },
            );
        }
        self.run(&secretary(), C::CompleteConditionalDiscounts);
        self.run(&secretary(), C::FormResultsProtocol);
        self.sign_and_publish(ProtocolKind::Results);
    }

    fn sign_and_publish(&mut self, kind: ProtocolKind) {
        for signer in [secretary(), chairman(), member_a()] {
            let p = self.state.valid_protocol(kind).expect("a valid protocol");
            let (version, content_sha256) = (p.version(), p.content_sha256.clone());
            self.run(
                &signer,
                C::SignProtocol {
                    kind,
                    version,
                    signer_iin: signer.iin,
                    content_sha256,
                    dissent: None,
                    proof: Some(zakup_domain::protocol::SignatureProof {
                        key_id: String::new(),
                        signature_hex: String::new(),
                    }),
                },
            );
        }
        self.run(&secretary(), C::PublishProtocol { kind });
    }
}

/// The envelope the engine would write for the `index`-th event of a command.
pub fn envelope(
    stream: &StreamId,
    meta: &CommandMeta,
    occurred_at: DateTime<Utc>,
    index: usize,
    event: &AnnouncementEvent,
) -> NewEvent {
    let (event_type, schema_version, payload) = event.to_stored();
    NewEvent {
        event_id: NewEvent::id_for(meta.command_id, stream, index),
        event_type: event_type.to_owned(),
        schema_version,
        payload,
        metadata: Metadata {
            command_id: meta.command_id,
            correlation_id: meta.correlation_id.unwrap_or(meta.command_id),
            causation_id: meta.causation_id,
            actor: zakup_engine::store_actor(&meta.actor),
            occurred_at,
            sandbox: false,
        },
    }
}
