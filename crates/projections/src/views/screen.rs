//! What the announcement's screens show beyond its header, lots and protocols, one part per
//! procedure component: the documents (representatives, tender documentation, contract draft,
//! each lot's terms and technical specification), the acts, the discussion's requests and
//! answers, the commission's review (voting state, ballots, lots under review), the conditional
//! discounts and the supplement period.
//!
//! The parts hold the domain's own values, which serialize as their events do, so the read model
//! stores the view as one JSON document (`announcement_screens`, decision 0641) and reads back
//! exactly what the as-of replay builds from its fold.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;
use zakup_domain::announcement::Announcement;
use zakup_domain::announcement::documents::{ContractDraft, Representatives, TenderDocumentation};
use zakup_domain::application::{ApplicationId, ConditionalDiscounts};
use zakup_domain::commission::{CommissionQuery, Person};
use zakup_domain::discussion::DiscussionRequest;
use zakup_domain::ident::Iin;
use zakup_domain::kernel::act::GroundingAct;
use zakup_domain::kernel::file::FileRef;
use zakup_domain::lot::{CustomerRefusal, LotCancellation, LotTerms, TechnicalSpecification};
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::procedure::acts::ActRecord;
use zakup_domain::procedure::entered_results::{EnteredResults, PublicationPlaces};
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::DiscountsStatus;
use zakup_domain::voting::{Ballot, ReviewRound};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScreenView {
    pub documents: DocumentsView,
    pub acts: Vec<ActView>,
    pub discussion: DiscussionView,
    pub review: ReviewView,
    pub discounts: DiscountsView,
    /// «Срок дополнения заявок», once the supplement period started.
    pub supplement: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Who created the announcement, or took it over by «Смена создателя» (L618–680).
    pub creator_iin: Option<Iin>,
    /// «Данные о запросах ЧКК» (L2939–3079), oldest first.
    pub commission_queries: Vec<CommissionQuery>,
    /// The contract drafts the contract process reported, by lot.
    pub lot_contracts: Vec<(PlanItemId, Uuid)>,
    /// What each protocol version carries besides its content: the reasons of absent members'
    /// signatures (L2569–2575) and the expert opinion, by kind and version.
    pub protocol_files: Vec<ProtocolFilesView>,
    /// The original this index-2 copy was made from, and the copy made of this original when
    /// its documentation changed (spec 000-D L12039–12041): each links to the other.
    pub source_announcement_id: Option<Uuid>,
    pub copy_announcement_id: Option<Uuid>,
    /// A procurement run off the portal: «Публикация объявления»'s places (spec 000-C §2.20)
    /// and «Данные для протокола» as saved (§2.21), which «Редактировать данные» starts from.
    pub publication_places: Option<PublicationPlaces>,
    pub entered_results: Option<EnteredResults>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ProtocolFilesView {
    pub kind: ProtocolKind,
    pub version: u32,
    pub absences: Vec<(Iin, FileRef)>,
    pub expert_opinion: Option<FileRef>,
}

/// The drafting steps' documents.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DocumentsView {
    pub representatives: Option<Representatives>,
    /// The organizer's and the customer's representatives as they stand now: the
    /// representatives step's, or those a change of representatives named (decision 0602).
    pub representative_persons: Option<(Person, Person)>,
    pub tender_documentation: Option<TenderDocumentation>,
    pub contract_draft: Option<ContractDraft>,
    /// By plan item.
    pub lots: Vec<LotDocumentsView>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LotDocumentsView {
    pub plan_item_id: PlanItemId,
    pub terms: Option<LotTerms>,
    pub technical_specification: Option<TechnicalSpecification>,
    pub cancellation: Option<LotCancellation>,
    /// The customer's refusal to procure (spec 000-A §4.4).
    pub refusal: Option<CustomerRefusal>,
}

/// One act of «приостановление/продолжение/отмена закупки», oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ActView {
    /// `suspended`, `resumed` or `cancelled`.
    pub kind: String,
    pub act: GroundingAct,
    pub at: DateTime<Utc>,
    /// The lots cancelled; empty for a suspension or a resumption.
    pub plan_item_ids: Vec<PlanItemId>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiscussionView {
    pub end: Option<DateTime<Utc>>,
    pub ended: bool,
    /// By id; the sender is kept for the readers that may know it, never shown to everyone.
    pub requests: Vec<DiscussionRequest>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReviewView {
    pub round: Option<ReviewRound>,
    /// «Завершить голосование» done for the current round.
    pub completed: bool,
    /// Each member's ballot on each application, by application and member.
    pub ballots: Vec<(ApplicationId, Iin, Ballot)>,
    /// While the commission reviews: the lots of each application under review in this round
    /// (after the ППД only the supplemented lots it was rejected on, §7.5).
    pub under_review: Vec<(ApplicationId, Vec<PlanItemId>)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiscountsView {
    /// «Требуется заполнение» / «Заполнено» (§3.6); null where no lot needs discounts.
    pub status: Option<DiscountsStatus>,
    /// The lots whose discounts must be filled (more than one application, L2745–2767).
    pub lots: Vec<PlanItemId>,
    /// What was filled, by lot and application.
    pub filled: Vec<(PlanItemId, ApplicationId, ConditionalDiscounts)>,
}

impl ScreenView {
    pub fn of(a: &Announcement) -> ScreenView {
        ScreenView {
            documents: DocumentsView::of(a),
            acts: a.acts.records.iter().map(ActView::of).collect(),
            discussion: DiscussionView {
                end: a.discussion_end(),
                ended: a.discussion().is_some_and(|d| d.ended),
                requests: a.discussion_requests().values().cloned().collect(),
            },
            review: ReviewView::of(a),
            discounts: DiscountsView {
                status: a.discounts_status(),
                // Which lots have more than one application is a count of the applications:
                // sealed until opening, like them (decision 0670).
                lots: if super::opened(a) {
                    a.discount_lots().cloned().collect()
                } else {
                    Vec::new()
                },
                filled: a
                    .discounts()
                    .map(|d| {
                        d.by_lot
                            .iter()
                            .flat_map(|(lot, apps)| {
                                apps.iter().map(|(app, c)| (lot.clone(), *app, c.clone()))
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            },
            supplement: a.offers.supplement.map(|w| (w.start, w.end)),
            creator_iin: a.creator_iin,
            commission_queries: a.commission_queries().to_vec(),
            lot_contracts: a
                .lot_contracts
                .iter()
                .map(|(lot, id)| (lot.clone(), *id))
                .collect(),
            protocol_files: a
                .protocols
                .iter()
                .map(|p| ProtocolFilesView {
                    kind: p.kind(),
                    version: p.version(),
                    absences: p.absences.clone(),
                    expert_opinion: p.expert_opinion.clone(),
                })
                .collect(),
            source_announcement_id: a.source_announcement_id,
            copy_announcement_id: a.copy_announcement_id,
            publication_places: a.procedure.entered_data().and_then(|d| d.places.clone()),
            entered_results: a.procedure.entered_results().cloned(),
        }
    }

    /// The document the read model stores.
    pub fn to_json(&self) -> Result<Value, serde_json::Error> {
        let d = &self.documents;
        let lots: Vec<Value> = d
            .lots
            .iter()
            .map(|l| {
                json!([
                    l.plan_item_id,
                    l.terms,
                    l.technical_specification,
                    l.cancellation,
                    l.refusal
                ])
            })
            .collect();
        let acts: Vec<Value> = self
            .acts
            .iter()
            .map(|a| json!([a.kind, a.act, a.at, a.plan_item_ids]))
            .collect();
        Ok(json!({
            "representatives": d.representatives,
            "representative_persons": d.representative_persons,
            "tender_documentation": d.tender_documentation,
            "contract_draft": d.contract_draft,
            "lots": lots,
            "acts": acts,
            "discussion_end": self.discussion.end,
            "discussion_ended": self.discussion.ended,
            "discussion_requests": self.discussion.requests,
            "review_round": self.review.round,
            "review_completed": self.review.completed,
            "ballots": self.review.ballots,
            "under_review": self.review.under_review,
            "discounts_status": self.discounts.status,
            "discount_lots": self.discounts.lots,
            "discounts": self.discounts.filled,
            "supplement": self.supplement,
            "creator_iin": self.creator_iin,
            "commission_queries": self.commission_queries,
            "lot_contracts": self.lot_contracts,
            "protocol_files": self
                .protocol_files
                .iter()
                .map(|p| json!([p.kind, p.version, p.absences, p.expert_opinion]))
                .collect::<Vec<_>>(),
            "source_announcement_id": self.source_announcement_id,
            "copy_announcement_id": self.copy_announcement_id,
            "publication_places": self.publication_places,
            "entered_results": self.entered_results,
        }))
    }

    /// Reads back what [`ScreenView::to_json`] stored.
    pub fn from_json(v: &Value) -> Result<ScreenView, serde_json::Error> {
        // Each field's type says what to decode (a macro: the crate names no serde bound).
        macro_rules! get {
            ($v:expr, $key:literal) => {
                serde_json::from_value($v.get($key).cloned().unwrap_or(Value::Null))
            };
        }
        type LotRow = (
            PlanItemId,
            Option<LotTerms>,
            Option<TechnicalSpecification>,
            Option<LotCancellation>,
            Option<CustomerRefusal>,
        );
        let lots: Vec<LotRow> = get!(v, "lots")?;
        let acts: Vec<(String, GroundingAct, DateTime<Utc>, Vec<PlanItemId>)> = get!(v, "acts")?;
        type ProtocolRow = (ProtocolKind, u32, Vec<(Iin, FileRef)>, Option<FileRef>);
        let protocol_files: Vec<ProtocolRow> = get!(v, "protocol_files")?;
        Ok(ScreenView {
            documents: DocumentsView {
                representatives: get!(v, "representatives")?,
                representative_persons: get!(v, "representative_persons")?,
                tender_documentation: get!(v, "tender_documentation")?,
                contract_draft: get!(v, "contract_draft")?,
                lots: lots
                    .into_iter()
                    .map(|l| LotDocumentsView {
                        plan_item_id: l.0,
                        terms: l.1,
                        technical_specification: l.2,
                        cancellation: l.3,
                        refusal: l.4,
                    })
                    .collect(),
            },
            acts: acts
                .into_iter()
                .map(|(kind, act, at, plan_item_ids)| ActView {
                    kind,
                    act,
                    at,
                    plan_item_ids,
                })
                .collect(),
            discussion: DiscussionView {
                end: get!(v, "discussion_end")?,
                ended: get!(v, "discussion_ended")?,
                requests: get!(v, "discussion_requests")?,
            },
            review: ReviewView {
                round: get!(v, "review_round")?,
                completed: get!(v, "review_completed")?,
                ballots: get!(v, "ballots")?,
                under_review: get!(v, "under_review")?,
            },
            discounts: DiscountsView {
                status: get!(v, "discounts_status")?,
                lots: get!(v, "discount_lots")?,
                filled: get!(v, "discounts")?,
            },
            supplement: get!(v, "supplement")?,
            creator_iin: get!(v, "creator_iin")?,
            commission_queries: get!(v, "commission_queries")?,
            lot_contracts: get!(v, "lot_contracts")?,
            protocol_files: protocol_files
                .into_iter()
                .map(
                    |(kind, version, absences, expert_opinion)| ProtocolFilesView {
                        kind,
                        version,
                        absences,
                        expert_opinion,
                    },
                )
                .collect(),
            source_announcement_id: get!(v, "source_announcement_id")?,
            copy_announcement_id: get!(v, "copy_announcement_id")?,
            publication_places: get!(v, "publication_places")?,
            entered_results: get!(v, "entered_results")?,
        })
    }
}

impl DocumentsView {
    fn of(a: &Announcement) -> DocumentsView {
        DocumentsView {
            representatives: a.representatives.clone(),
            representative_persons: a
                .representative_persons()
                .map(|(o, c)| (o.clone(), c.clone())),
            tender_documentation: a.tender_documentation().cloned(),
            contract_draft: a.contract_draft.clone(),
            lots: a
                .lots
                .values()
                .map(|l| LotDocumentsView {
                    plan_item_id: l.plan_item_id().clone(),
                    terms: l.terms.clone(),
                    technical_specification: l.technical_specification.clone(),
                    cancellation: l.cancellation.clone(),
                    refusal: l.refusal.clone(),
                })
                .collect(),
        }
    }
}

impl ActView {
    fn of(r: &ActRecord) -> ActView {
        let (kind, act, at, lots) = match r {
            ActRecord::Suspended { act, at } => ("suspended", act, at, &[][..]),
            ActRecord::Resumed { act, at } => ("resumed", act, at, &[][..]),
            ActRecord::Cancelled {
                plan_item_ids,
                act,
                at,
            } => ("cancelled", act, at, &plan_item_ids[..]),
        };
        ActView {
            kind: kind.to_owned(),
            act: act.clone(),
            at: *at,
            plan_item_ids: lots.to_vec(),
        }
    }
}

impl ReviewView {
    fn of(a: &Announcement) -> ReviewView {
        let voting = a.voting();
        let reviewing = voting.round.is_some() && !voting.completed;
        let review = a.review();
        ReviewView {
            round: voting.round,
            completed: voting.completed,
            ballots: voting
                .votes
                .iter()
                .map(|((app, iin), b)| (*app, *iin, b.clone()))
                .collect(),
            under_review: if reviewing {
                a.applications()
                    .keys()
                    .map(|app| (*app, voting.review_lots(&review, app).into_iter().collect()))
                    .filter(|(_, lots): &(ApplicationId, Vec<PlanItemId>)| !lots.is_empty())
                    .collect()
            } else {
                Vec::new()
            },
        }
    }
}
