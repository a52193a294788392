//! `Announcement.details`: what the announcement's screens show beyond its header, lots and
//! protocols, as typed fields (issue 24): the documents, the acts, the discussion's requests and
//! answers, the commission's review, the conditional discounts and the supplement period. The
//! read model and the as-of replay both convert the same [`ScreenView`] (decision 0641).

use async_graphql::{Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use uuid::Uuid;
use zakup_domain::announcement::documents::{Representatives, TenderDocumentation};
use zakup_domain::application::ConditionalDiscounts;
use zakup_domain::commission::{CommissionQuery, Person as DomainPerson, QueryRecipient};
use zakup_domain::discussion::DiscussionRequest as DomainRequest;
use zakup_domain::kernel::act::GroundingAct;
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{LotTerms as DomainTerms, TechnicalSpecification, WorkDumping};
use zakup_domain::voting::{Article6Verdict, Ballot, DocumentationVerdict, QualificationVerdict};
use zakup_projections::views::ScreenView;
use zakup_projections::views::screen::{ActView, LotDocumentsView};

use crate::command::{EnteredResultsInfo, PublicationPlaces};
use crate::refusal;
use crate::term::Term;

#[derive(SimpleObject, Debug, Clone)]
pub struct AnnouncementDetails {
    /// «Представители» (the open tender's drafting step).
    pub representatives: Option<RepresentativesInfo>,
    /// The organizer's representative as it stands now (also after «Изменить данные
    /// представителя» on a ЗЦП).
    pub organizer_representative: Option<Person>,
    pub customer_representative: Option<Person>,
    pub tender_documentation: Option<TenderDocumentationInfo>,
    pub contract_draft: Option<ContractDraftInfo>,
    /// Each lot's terms, technical specification, cancellation and refusal, by plan item.
    pub lots: Vec<LotDocuments>,
    /// «Приостановление/продолжение/отмена закупки», oldest first.
    pub acts: Vec<Act>,
    pub discussion: DiscussionInfo,
    pub voting: VotingState,
    pub discounts: DiscountsInfo,
    /// «Срок дополнения заявок», once the supplement period started.
    pub supplement_start: Option<DateTime<Utc>>,
    pub supplement_end: Option<DateTime<Utc>>,
    /// Who created the announcement, or took it over by «Смена создателя»; for the organizer's
    /// staff and the auditors only (decision 0671).
    pub creator_iin: Option<String>,
    /// «Данные о запросах ЧКК», oldest first.
    pub commission_queries: Vec<CommissionQueryInfo>,
    /// The contract drafts the contract process reported, by lot.
    pub lot_contracts: Vec<LotContract>,
    /// The reasons of absent members' signatures and the expert opinion of each protocol
    /// version.
    pub protocol_files: Vec<ProtocolFiles>,
    /// For an index-2 copy, the original it was made from.
    pub source_announcement_id: Option<Uuid>,
    /// For an original whose documentation changed, its index-2 copy.
    pub copy_announcement_id: Option<Uuid>,
    /// A paper or non-GZ procurement: «Публикация объявления»'s places (spec 000-C §2.20).
    pub publication_places: Option<PublicationPlaces>,
    /// A paper or non-GZ procurement: «Данные для протокола» as saved (§2.21).
    pub entered_results: Option<EnteredResultsInfo>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct CommissionQueryInfo {
    pub plan_item_id: String,
    /// `supplier` (with `applicationId`) or `other_party` (with its names).
    pub sent_to: String,
    pub application_id: Option<Uuid>,
    pub recipient_name_ru: Option<String>,
    pub recipient_name_kk: Option<String>,
    pub info_ru: String,
    pub info_kk: String,
    pub sent_on: NaiveDate,
    pub answer_ru: Option<String>,
    pub answer_kk: Option<String>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct LotContract {
    pub plan_item_id: String,
    pub contract_id: Uuid,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct ProtocolFiles {
    pub kind: Term,
    pub version: i32,
    pub absences: Vec<SignatureAbsence>,
    pub expert_opinion: Option<File>,
}

/// «Причина отсутствия подписи» of one member.
#[derive(SimpleObject, Debug, Clone)]
pub struct SignatureAbsence {
    /// For the organizer's staff and the auditors only (decision 0671).
    pub member_iin: Option<String>,
    pub file: File,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct Person {
    /// For the organizer's staff and the auditors only (decision 0671).
    pub iin: Option<String>,
    pub full_name: String,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct File {
    pub file_id: String,
    pub name: String,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct RepresentativesInfo {
    /// «Срок действия заявки», calendar days.
    pub application_validity_days: i32,
    pub organizer_representative: Person,
    pub customer_representative: Person,
    pub organizer_bank_account: String,
    pub security_bank_account: String,
    pub customer_bank_account: String,
    pub approver_full_name: String,
    pub approver_order_number: String,
    pub approver_order_date: NaiveDate,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct RequiredDocument {
    pub name: String,
    pub obligatory_for_supplier: bool,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct TenderDocumentationInfo {
    pub documents: Vec<RequiredDocument>,
    pub licences: Vec<String>,
    pub permits: Vec<String>,
    pub signed_documentation: File,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct ContractClause {
    pub name_ru: String,
    pub name_kk: String,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct ContractDraftInfo {
    pub template: String,
    pub added_clauses: Vec<ContractClause>,
    pub signed_document: File,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct LotDocuments {
    pub plan_item_id: String,
    pub terms: Option<LotTerms>,
    pub technical_specification: Option<TechnicalSpec>,
    /// The act that cancelled the lot.
    pub cancellation: Option<Act>,
    /// The customer's refusal to procure.
    pub refusal: Option<Refusal>,
}

/// Lot data by subject type (spec 000-A §2.4); the fields of other subjects are null.
#[derive(SimpleObject, Debug, Clone)]
pub struct LotTerms {
    pub subject: Term,
    /// Goods: Incoterms code.
    pub delivery_conditions: Option<String>,
    /// «Признак демпинга»; null for goods.
    pub dumping_attribute: Option<Term>,
    /// Works with dumping: «По комплексной вневедомственной экспертизе…».
    pub expertise: Option<bool>,
    pub work_kind: Option<Term>,
    pub work_experience: Option<String>,
    /// Services: «Инжиниринговая услуга».
    pub engineering: Option<bool>,
    /// «Сумма для расчета демпинга», tenge.
    pub dumping_amount: Option<Decimal>,
}

/// «Техническая спецификация»: the goods template or the attached files.
#[derive(SimpleObject, Debug, Clone)]
pub struct TechnicalSpec {
    /// `template` or `files`.
    pub form: String,
    pub description_ru: Option<String>,
    pub description_kk: Option<String>,
    pub characteristics_ru: Option<String>,
    pub characteristics_kk: Option<String>,
    /// The signed template, or the attached files.
    pub files: Vec<File>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct Act {
    /// `suspended`, `resumed` or `cancelled`.
    pub kind: String,
    pub body: Term,
    pub body_name: String,
    pub act_type: Term,
    pub number: String,
    pub date: NaiveDate,
    pub file: File,
    pub at: DateTime<Utc>,
    /// The lots cancelled by it; empty for a suspension or a resumption.
    pub plan_item_ids: Vec<String>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct Refusal {
    pub reason: String,
    pub document: File,
    pub refused_at: DateTime<Utc>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct DiscussionInfo {
    /// The discussion's deadline.
    pub end: Option<DateTime<Utc>>,
    pub ended: bool,
    /// The requests and their answers, by id: what the secretary answers. Who sent a request is
    /// not shown here (the portal publishes questions and answers, not who asked).
    pub requests: Vec<DiscussionRequest>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct DiscussionRequest {
    /// What `answerDiscussionRequest` takes.
    pub id: Uuid,
    /// The section or lot of the documentation the request is about.
    pub subject: String,
    pub text: String,
    pub submitted_at: DateTime<Utc>,
    pub answered: bool,
    pub answer: Option<DiscussionAnswer>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct DiscussionAnswer {
    pub decision: Term,
    pub text: Option<String>,
    pub answered_at: DateTime<Utc>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct VotingState {
    /// `initial`, or `supplements` after the ППД; null before the review opens.
    pub round: Option<String>,
    /// «Завершить голосование» done for the current round.
    pub completed: bool,
    /// While the commission reviews: each application's lots under review in this round.
    pub under_review: Vec<ApplicationLots>,
    /// Each member's ballot, by application and member.
    pub ballots: Vec<BallotInfo>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct ApplicationLots {
    pub application_id: Uuid,
    pub plan_item_ids: Vec<String>,
}

/// The commission member's ballot: section A (article 6, common to all lots) and section B per
/// lot (documentation, qualification, article 6).
#[derive(SimpleObject, Debug, Clone)]
pub struct BallotInfo {
    pub application_id: Uuid,
    /// For the organizer's staff and the auditors only (decision 0671).
    pub member_iin: Option<String>,
    pub common_article6: SectionVerdict,
    pub lots: Vec<LotBallotInfo>,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct LotBallotInfo {
    pub plan_item_id: String,
    pub documentation: SectionVerdict,
    pub qualification: SectionVerdict,
    pub article6: SectionVerdict,
    pub file: Option<File>,
}

/// One section's verdict with what a rejection names.
#[derive(SimpleObject, Debug, Clone)]
pub struct SectionVerdict {
    /// `admitted`, `rejected` or `rejected_no_resubmission`.
    pub verdict: String,
    /// The documents found wanting.
    pub documents: Vec<String>,
    /// The sub-paragraphs of article 6 of the Law.
    pub subparagraphs: Vec<String>,
    pub reason: Option<String>,
    /// Rejected on the application security (Appendix 8) without right of resubmission.
    pub security_no_resubmission: bool,
}

#[derive(SimpleObject, Debug, Clone)]
pub struct DiscountsInfo {
    /// «Требуется заполнение» / «Заполнено»; null where no lot needs discounts.
    pub status: Option<Term>,
    /// The lots whose discounts must be filled.
    pub plan_item_ids: Vec<String>,
    pub filled: Vec<FilledDiscounts>,
}

/// The conditional discounts filled for one application on one lot, percent.
#[derive(SimpleObject, Debug, Clone)]
pub struct FilledDiscounts {
    pub plan_item_id: String,
    pub application_id: Uuid,
    pub experience_years: i32,
    pub experience_months: i32,
    pub experience_pct: Decimal,
    pub qms_pct: Decimal,
    pub ems_pct: Decimal,
    pub sechp_pct: Decimal,
    pub voluntary_conformity_pct: Decimal,
    pub functional_pct: Decimal,
    pub technical_pct: Decimal,
    pub quality_pct: Decimal,
    pub operational_pct: Decimal,
    pub total_pct: Decimal,
}

/// The details of one announcement from the read model; null if it has none (no header yet).
pub async fn of_announcement(pool: &sqlx::PgPool, id: Uuid) -> Result<Option<AnnouncementDetails>> {
    let row: Option<(serde_json::Value,)> =
        sqlx::query_as("SELECT screen FROM rm.announcement_screens WHERE announcement_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(refusal::read_models)?;
    row.map(|(screen,)| {
        ScreenView::from_json(&screen)
            .map(AnnouncementDetails::from)
            .map_err(|e| refusal::read_models(sqlx::Error::Decode(Box::new(e))))
    })
    .transpose()
}

impl From<ScreenView> for AnnouncementDetails {
    fn from(v: ScreenView) -> Self {
        let d = v.documents;
        let (organizer, customer) = d
            .representative_persons
            .map(|(o, c)| (Some(o.into()), Some(c.into())))
            .unwrap_or_default();
        AnnouncementDetails {
            representatives: d.representatives.map(Into::into),
            organizer_representative: organizer,
            customer_representative: customer,
            tender_documentation: d.tender_documentation.map(Into::into),
            contract_draft: d.contract_draft.map(|c| ContractDraftInfo {
                template: c.template,
                added_clauses: c
                    .added_clauses
                    .into_iter()
                    .map(|c| ContractClause {
                        name_ru: c.name_ru,
                        name_kk: c.name_kk,
                    })
                    .collect(),
                signed_document: c.signed_document.into(),
            }),
            lots: d.lots.into_iter().map(Into::into).collect(),
            acts: v.acts.into_iter().map(Into::into).collect(),
            discussion: DiscussionInfo {
                end: v.discussion.end,
                ended: v.discussion.ended,
                requests: v.discussion.requests.into_iter().map(Into::into).collect(),
            },
            voting: VotingState {
                round: v.review.round.map(|r| stable_id(&r)),
                completed: v.review.completed,
                under_review: v
                    .review
                    .under_review
                    .into_iter()
                    .map(|(app, lots)| ApplicationLots {
                        application_id: app.0,
                        plan_item_ids: lots.into_iter().map(|l| l.0).collect(),
                    })
                    .collect(),
                ballots: v
                    .review
                    .ballots
                    .into_iter()
                    .map(|(app, iin, b)| BallotInfo::of(app.0, iin.to_string(), b))
                    .collect(),
            },
            discounts: DiscountsInfo {
                status: v.discounts.status.map(Term::of),
                plan_item_ids: v.discounts.lots.into_iter().map(|l| l.0).collect(),
                filled: v
                    .discounts
                    .filled
                    .into_iter()
                    .map(|(lot, app, c)| FilledDiscounts::of(lot.0, app.0, &c))
                    .collect(),
            },
            supplement_start: v.supplement.map(|s| s.0),
            supplement_end: v.supplement.map(|s| s.1),
            creator_iin: v.creator_iin.map(|i| i.to_string()),
            commission_queries: v.commission_queries.into_iter().map(Into::into).collect(),
            lot_contracts: v
                .lot_contracts
                .into_iter()
                .map(|(lot, contract_id)| LotContract {
                    plan_item_id: lot.0,
                    contract_id,
                })
                .collect(),
            protocol_files: v
                .protocol_files
                .into_iter()
                .map(|p| ProtocolFiles {
                    kind: Term::of(p.kind),
                    version: p.version as i32,
                    absences: p
                        .absences
                        .into_iter()
                        .map(|(iin, file)| SignatureAbsence {
                            member_iin: Some(iin.to_string()),
                            file: file.into(),
                        })
                        .collect(),
                    expert_opinion: p.expert_opinion.map(Into::into),
                })
                .collect(),
            source_announcement_id: v.source_announcement_id,
            copy_announcement_id: v.copy_announcement_id,
            publication_places: v.publication_places.map(Into::into),
            entered_results: v.entered_results.map(Into::into),
        }
    }
}

/// A domain value's serde name (`initial`, `supplements`).
fn stable_id<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<CommissionQuery> for CommissionQueryInfo {
    fn from(q: CommissionQuery) -> Self {
        let (sent_to, application_id, name_ru, name_kk) = match q.recipient {
            QueryRecipient::Supplier { application_id } => {
                ("supplier", Some(application_id.0), None, None)
            }
            QueryRecipient::OtherParty { name_kk, name_ru } => {
                ("other_party", None, Some(name_ru), Some(name_kk))
            }
        };
        CommissionQueryInfo {
            plan_item_id: q.plan_item_id.0,
            sent_to: sent_to.into(),
            application_id,
            recipient_name_ru: name_ru,
            recipient_name_kk: name_kk,
            info_ru: q.info_ru,
            info_kk: q.info_kk,
            sent_on: q.sent_on,
            answer_ru: q.answer_ru,
            answer_kk: q.answer_kk,
        }
    }
}

impl From<DomainPerson> for Person {
    fn from(p: DomainPerson) -> Self {
        Person {
            iin: Some(p.iin.to_string()),
            full_name: p.full_name,
        }
    }
}

impl From<FileRef> for File {
    fn from(f: FileRef) -> Self {
        File {
            file_id: f.file_id,
            name: f.name,
        }
    }
}

impl From<Representatives> for RepresentativesInfo {
    fn from(r: Representatives) -> Self {
        RepresentativesInfo {
            application_validity_days: r.application_validity_days as i32,
            organizer_representative: r.organizer_representative.into(),
            customer_representative: r.customer_representative.into(),
            organizer_bank_account: r.organizer_bank_account,
            security_bank_account: r.security_bank_account,
            customer_bank_account: r.customer_bank_account,
            approver_full_name: r.approver.full_name,
            approver_order_number: r.approver.order_number,
            approver_order_date: r.approver.order_date,
        }
    }
}

impl From<TenderDocumentation> for TenderDocumentationInfo {
    fn from(t: TenderDocumentation) -> Self {
        TenderDocumentationInfo {
            documents: t
                .documents
                .into_iter()
                .map(|d| RequiredDocument {
                    name: d.name,
                    obligatory_for_supplier: d.obligatory_for_supplier,
                })
                .collect(),
            licences: t.licences,
            permits: t.permits,
            signed_documentation: t.signed_documentation.into(),
        }
    }
}

impl From<LotDocumentsView> for LotDocuments {
    fn from(l: LotDocumentsView) -> Self {
        LotDocuments {
            plan_item_id: l.plan_item_id.0.clone(),
            terms: l.terms.map(Into::into),
            technical_specification: l.technical_specification.map(Into::into),
            cancellation: l.cancellation.map(|c| {
                Act::of(
                    "cancelled",
                    c.act,
                    c.cancelled_at,
                    vec![l.plan_item_id.0.clone()],
                )
            }),
            refusal: l.refusal.map(|r| Refusal {
                reason: r.reason,
                document: r.document.into(),
                refused_at: r.refused_at,
            }),
        }
    }
}

impl From<DomainTerms> for LotTerms {
    fn from(t: DomainTerms) -> Self {
        let mut out = LotTerms {
            subject: Term::of(t.subject()),
            delivery_conditions: None,
            dumping_attribute: t.dumping_attribute().map(Term::of),
            expertise: None,
            work_kind: t.work_kind().map(Term::of),
            work_experience: None,
            engineering: None,
            dumping_amount: None,
        };
        match t {
            DomainTerms::Goods {
                delivery_conditions,
            } => out.delivery_conditions = Some(delivery_conditions),
            DomainTerms::Work {
                dumping: WorkDumping::WorkWithoutDumping,
            } => {}
            DomainTerms::Work {
                dumping:
                    WorkDumping::WorkWithDumping {
                        expertise,
                        dumping_amount,
                        work_experience,
                        ..
                    },
            } => {
                out.expertise = Some(expertise);
                out.dumping_amount = Some(dumping_amount.amount());
                out.work_experience = work_experience;
            }
            DomainTerms::Service {
                engineering,
                dumping_amount,
            } => {
                out.engineering = Some(engineering);
                out.dumping_amount = dumping_amount.map(|m| m.amount());
            }
        }
        out
    }
}

impl From<TechnicalSpecification> for TechnicalSpec {
    fn from(t: TechnicalSpecification) -> Self {
        match t {
            TechnicalSpecification::Template {
                description_kk,
                description_ru,
                characteristics_kk,
                characteristics_ru,
                signed_document,
            } => TechnicalSpec {
                form: "template".into(),
                description_ru: Some(description_ru),
                description_kk: Some(description_kk),
                characteristics_ru: Some(characteristics_ru),
                characteristics_kk: Some(characteristics_kk),
                files: vec![signed_document.into()],
            },
            TechnicalSpecification::Files { files } => TechnicalSpec {
                form: "files".into(),
                description_ru: None,
                description_kk: None,
                characteristics_ru: None,
                characteristics_kk: None,
                files: files.into_iter().map(Into::into).collect(),
            },
        }
    }
}

impl Act {
    fn of(kind: &str, act: GroundingAct, at: DateTime<Utc>, plan_item_ids: Vec<String>) -> Act {
        Act {
            kind: kind.to_owned(),
            body: Term::of(act.body),
            body_name: act.body_name,
            act_type: Term::of(act.act_type),
            number: act.number,
            date: act.date,
            file: act.file.into(),
            at,
            plan_item_ids,
        }
    }
}

impl From<ActView> for Act {
    fn from(a: ActView) -> Self {
        let lots = a.plan_item_ids.into_iter().map(|l| l.0).collect();
        Act::of(&a.kind, a.act, a.at, lots)
    }
}

impl From<DomainRequest> for DiscussionRequest {
    fn from(r: DomainRequest) -> Self {
        DiscussionRequest {
            id: r.id.0,
            subject: r.subject,
            text: r.text,
            submitted_at: r.submitted_at,
            answered: r.answer.is_some(),
            answer: r.answer.map(|a| DiscussionAnswer {
                decision: Term::of(a.decision),
                text: a.text,
                answered_at: a.answered_at,
            }),
        }
    }
}

impl BallotInfo {
    fn of(application_id: Uuid, member_iin: String, b: Ballot) -> BallotInfo {
        BallotInfo {
            application_id,
            member_iin: Some(member_iin),
            common_article6: b.common_article6.into(),
            lots: b
                .lots
                .into_iter()
                .map(|l| LotBallotInfo {
                    plan_item_id: l.plan_item_id.0,
                    documentation: l.documentation.into(),
                    qualification: l.qualification.into(),
                    article6: l.article6.into(),
                    file: l.file.map(Into::into),
                })
                .collect(),
        }
    }
}

impl SectionVerdict {
    fn admitted() -> SectionVerdict {
        SectionVerdict {
            verdict: "admitted".into(),
            documents: Vec::new(),
            subparagraphs: Vec::new(),
            reason: None,
            security_no_resubmission: false,
        }
    }
}

impl From<Article6Verdict> for SectionVerdict {
    fn from(v: Article6Verdict) -> Self {
        match v {
            Article6Verdict::Admitted => SectionVerdict::admitted(),
            Article6Verdict::RejectedNoResubmission {
                subparagraphs,
                reason,
            } => SectionVerdict {
                verdict: "rejected_no_resubmission".into(),
                subparagraphs,
                reason: Some(reason),
                ..SectionVerdict::admitted()
            },
        }
    }
}

impl From<DocumentationVerdict> for SectionVerdict {
    fn from(v: DocumentationVerdict) -> Self {
        match v {
            DocumentationVerdict::Admitted => SectionVerdict::admitted(),
            DocumentationVerdict::Rejected {
                documents,
                reason,
                security_no_resubmission,
            } => SectionVerdict {
                verdict: if security_no_resubmission {
                    "rejected_no_resubmission".into()
                } else {
                    "rejected".into()
                },
                documents,
                reason: Some(reason),
                security_no_resubmission,
                ..SectionVerdict::admitted()
            },
        }
    }
}

impl From<QualificationVerdict> for SectionVerdict {
    fn from(v: QualificationVerdict) -> Self {
        match v {
            QualificationVerdict::Admitted => SectionVerdict::admitted(),
            QualificationVerdict::Rejected { documents, reason } => SectionVerdict {
                verdict: "rejected".into(),
                documents,
                reason: Some(reason),
                ..SectionVerdict::admitted()
            },
        }
    }
}

impl FilledDiscounts {
    fn of(plan_item_id: String, application_id: Uuid, c: &ConditionalDiscounts) -> Self {
        FilledDiscounts {
            plan_item_id,
            application_id,
            experience_years: c.experience_years.into(),
            experience_months: c.experience_months.into(),
            experience_pct: c.experience_pct,
            qms_pct: c.qms_pct,
            ems_pct: c.ems_pct,
            sechp_pct: c.sechp_pct,
            voluntary_conformity_pct: c.voluntary_conformity_pct,
            functional_pct: c.functional_pct,
            technical_pct: c.technical_pct,
            quality_pct: c.quality_pct,
            operational_pct: c.operational_pct,
            total_pct: c.total_pct(),
        }
    }
}
