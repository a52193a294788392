//! A lot of an announcement: one customer plan item put up for procurement, with the data the
//! organizer fills in. Spec 000-A §2.4, §2.9.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::ApplicationId;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::act::GroundingAct;
use crate::kernel::file::FileRef;
use crate::ktru::KtruCode;
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::procedure::refusal;
use crate::status::portal_terms;

portal_terms! {
    /// «Вид предмета закупки» (L144–154).
    SubjectType {
        Work => "work", "Работа";
        Service => "service", "Услуга";
        Goods => "goods", "Товар";
    }
}

portal_terms! {
    /// «Признак демпинга», spec 000-A §3.9 (L898–900, L1015).
    DumpingAttribute {
        WorkWithoutDumping => "work_without_dumping", "Работа без расчета демпинга";
        WorkWithDumping => "work_with_dumping", "Работа с расчетом демпинга";
        ServiceWithDumping => "service_with_dumping", "Услуга с расчетом демпинга";
    }
}

portal_terms! {
    /// «Работа», spec 000-A §3.9 (L942–944).
    WorkKind {
        WithFeasibilityAndDesign => "work_with_feasibility_and_design", "Работа с ТЭО и ПСД";
        DevelopingFeasibilityOrDesign => "work_developing_feasibility_or_design", "Работа на разработку ТЭО/ПСД";
    }
}

/// What the customer's plan item brings into the announcement (the lot pool, §9.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotSource {
    pub plan_item_id: PlanItemId,
    pub lot_number: String,
    pub customer_bin: Bin,
    pub name_ru: String,
    pub name_kk: String,
    /// The amount allocated to the lot (выделенная сумма).
    pub amount: Money,
    /// The plan item's code in the classifier of goods, works and services (КТРУ), by which
    /// the public search filters lots (spec 000-A §2.2, L65). Absent in events written before
    /// it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ktru: Option<KtruCode>,
}

/// Lot data by subject type, spec 000-A §2.4 and its dumping decision tree (L894–1045).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "subject", rename_all = "snake_case")]
pub enum LotTerms {
    Goods {
        /// Incoterms code, required for goods (L208–212, L885–887).
        delivery_conditions: String,
    },
    Work {
        dumping: WorkDumping,
    },
    Service {
        /// «Инжиниринговая услуга» (L1023–1025).
        engineering: bool,
        /// Required exactly when `engineering` (L1023–1029).
        dumping_amount: Option<Money>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "attribute", rename_all = "snake_case")]
pub enum WorkDumping {
    /// Every other work field is inactive (L904–910).
    WorkWithoutDumping,
    WorkWithDumping {
        /// «По комплексной вневедомственной/градостроительной экспертизе…» (L916–920).
        expertise: bool,
        /// Required without the expertise flag, inactive with it (L928–944).
        kind: Option<WorkKind>,
        /// «Сумма для расчета демпинга», required on every branch that reaches here (L930–996).
        dumping_amount: Money,
        /// «Опыт работы», optional; not available for «Работа на разработку ТЭО/ПСД» (L962–998).
        work_experience: Option<String>,
    },
}

impl LotTerms {
    pub fn subject(&self) -> SubjectType {
        match self {
            LotTerms::Goods { .. } => SubjectType::Goods,
            LotTerms::Work { .. } => SubjectType::Work,
            LotTerms::Service { .. } => SubjectType::Service,
        }
    }

    pub fn dumping_attribute(&self) -> Option<DumpingAttribute> {
        match self {
            LotTerms::Goods { .. } => None,
            LotTerms::Work {
                dumping: WorkDumping::WorkWithoutDumping,
            } => Some(DumpingAttribute::WorkWithoutDumping),
            LotTerms::Work { .. } => Some(DumpingAttribute::WorkWithDumping),
            LotTerms::Service { .. } => Some(DumpingAttribute::ServiceWithDumping),
        }
    }

    pub fn work_kind(&self) -> Option<WorkKind> {
        match self {
            LotTerms::Work {
                dumping: WorkDumping::WorkWithDumping { kind, .. },
            } => *kind,
            _ => None,
        }
    }

    pub fn validate(&self, subject: SubjectType) -> Result<(), DomainError> {
        if self.subject() != subject {
            return Err(refusal::lot_subject_mismatch());
        }
        match self {
            LotTerms::Goods {
                delivery_conditions,
            } if delivery_conditions.trim().is_empty() => {
                Err(refusal::missing_field("delivery_conditions"))
            }
            LotTerms::Goods { .. }
            | LotTerms::Work {
                dumping: WorkDumping::WorkWithoutDumping,
            } => Ok(()),
            LotTerms::Work {
                dumping:
                    WorkDumping::WorkWithDumping {
                        expertise,
                        kind,
                        work_experience,
                        ..
                    },
            } => match (expertise, kind) {
                (true, Some(_)) => Err(refusal::field_not_applicable("kind")),
                (false, None) => Err(refusal::missing_field("kind")),
                (_, Some(WorkKind::DevelopingFeasibilityOrDesign)) if work_experience.is_some() => {
                    Err(refusal::field_not_applicable("work_experience"))
                }
                _ => Ok(()),
            },
            LotTerms::Service {
                engineering,
                dumping_amount,
            } => match (engineering, dumping_amount) {
                (true, None) => Err(refusal::missing_field("dumping_amount")),
                (false, Some(_)) => Err(refusal::field_not_applicable("dumping_amount")),
                _ => Ok(()),
            },
        }
    }
}

/// «Техническая спецификация» (OK: «Приложение 2»), spec 000-A §2.9.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "form", rename_all = "snake_case")]
pub enum TechnicalSpecification {
    /// Goods: the filled template, approved and signed as a generated PDF (L224–258).
    Template {
        description_kk: String,
        description_ru: String,
        characteristics_kk: String,
        characteristics_ru: String,
        signed_document: FileRef,
    },
    /// Works and services: attached signed files (L274–300).
    Files { files: Vec<FileRef> },
}

impl TechnicalSpecification {
    pub fn validate(&self, subject: SubjectType) -> Result<(), DomainError> {
        match (self, subject) {
            (
                TechnicalSpecification::Template {
                    description_kk,
                    description_ru,
                    characteristics_kk,
                    characteristics_ru,
                    ..
                },
                SubjectType::Goods,
            ) => {
                let texts = [
                    description_kk,
                    description_ru,
                    characteristics_kk,
                    characteristics_ru,
                ];
                if texts.iter().any(|t| t.trim().is_empty()) {
                    return Err(refusal::missing_field("technical_specification"));
                }
                Ok(())
            }
            (TechnicalSpecification::Files { files }, SubjectType::Work | SubjectType::Service) => {
                if files.is_empty() {
                    return Err(refusal::missing_field("technical_specification"));
                }
                Ok(())
            }
            _ => Err(refusal::technical_specification_form_mismatch()),
        }
    }
}

/// A cancelled lot keeps its grounding act so the results protocol can state the reason
/// (L590–594, L3333–3337).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotCancellation {
    pub act: GroundingAct,
    pub cancelled_at: chrono::DateTime<chrono::Utc>,
}

/// «Отказ от закупки» by the customer (L1928–1940), with its reason and document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CustomerRefusal {
    pub reason: String,
    pub document: FileRef,
    pub refused_at: chrono::DateTime<chrono::Utc>,
}

portal_terms! {
    /// Why a lot did not take place, in the words the single-source procurement after a failed
    /// one chooses by (spec 000-C §3.6: L6872, L7466–7468, L7474–7482). A ЗЦП lot failed with
    /// «подана одна заявка» starts the automatic single source (L6866–6874).
    FailureReason {
        NoApplications => "no_applications", "нет поданных заявок";
        OneApplication => "one_application", "подана одна заявка";
        NoAdmitted => "no_admitted", "нет допущенных заявок";
        // Named by the single source's organizer (L7466–7468, L7480–7482).
        FewerThanTwoAdmitted => "fewer_than_two_admitted", "допущено менее двух заявок";
    }
}

/// How a lot ended: held with a winner, or failed (plan item «Закупка состоялась» /
/// «Закупка не состоялась», L3163–3169).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum LotOutcome {
    Held {
        winner: ApplicationId,
    },
    Failed {
        /// Absent in events written before the reason was recorded (docs/decisions/0601), and
        /// in a revision's outcome taken from a protocol that named none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<FailureReason>,
    },
    Cancelled,
}

impl LotOutcome {
    pub fn failed(reason: FailureReason) -> Self {
        LotOutcome::Failed {
            reason: Some(reason),
        }
    }

    pub fn is_failed(&self) -> bool {
        matches!(self, LotOutcome::Failed { .. })
    }

    pub fn failure_reason(&self) -> Option<FailureReason> {
        match self {
            LotOutcome::Failed { reason } => *reason,
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Lot {
    pub source: LotSource,
    pub terms: Option<LotTerms>,
    pub technical_specification: Option<TechnicalSpecification>,
    pub cancellation: Option<LotCancellation>,
    /// Added after version 1 of the events that carry a lot: absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<CustomerRefusal>,
    pub outcome: Option<LotOutcome>,
}

impl Lot {
    pub fn new(source: LotSource) -> Self {
        Lot {
            source,
            terms: None,
            technical_specification: None,
            cancellation: None,
            refusal: None,
            outcome: None,
        }
    }

    pub fn plan_item_id(&self) -> &PlanItemId {
        &self.source.plan_item_id
    }

    /// Cancelled by an act or refused by the customer: out of the procurement, back in the pool.
    pub fn is_cancelled(&self) -> bool {
        self.cancellation.is_some() || self.refusal.is_some()
    }

    /// A «Работа с ТЭО и ПСД» lot is procured on its design documentation: no technical
    /// specification and no discussion are needed for it (L1293–1303, L1527–1531).
    pub fn is_work_with_feasibility_and_design(&self) -> bool {
        self.terms.as_ref().and_then(LotTerms::work_kind)
            == Some(WorkKind::WithFeasibilityAndDesign)
    }
}

/// The ids in their first order, each once.
pub fn dedup(ids: Vec<PlanItemId>) -> Vec<PlanItemId> {
    let mut seen = std::collections::BTreeSet::new();
    ids.into_iter()
        .filter(|id| seen.insert(id.clone()))
        .collect()
}
