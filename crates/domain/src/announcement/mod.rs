//! The announcement aggregate for «Запрос ценовых предложений» (ЗЦП) and «Открытый конкурс»
//! (OK), spec 000-A. One stream per announcement: `announcement-<uuid>`.
//!
//! `decide` (in `decide.rs`) checks a command against the folded state and returns the facts;
//! `apply` folds one fact and never fails. Protocol versions and their validity are derived here.

pub mod act;
mod camera;
pub mod command;
pub mod deadline;
mod decide;
pub mod documents;
pub mod event;
pub mod header;
pub(crate) mod json_schema;
pub mod notice;
mod pool;
pub mod refusal;
pub mod stored;

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use command::AnnouncementCommand;
pub use deadline::{Deadline, TimedTransition};
pub use event::AnnouncementEvent;
pub use stored::DecodeError;

use crate::application::{Application, ApplicationId, ConditionalDiscounts};
use crate::commission::{Commission, CommissionQuery, Person};
use crate::discussion::{DiscussionAnswer, DiscussionRequest, DiscussionRequestId};
use crate::ident::{Bin, Iin};
use crate::lot::{Lot, LotOutcome};
use crate::plan_item::PlanItemId;
use crate::protocol::{ProtocolKind, ProtocolVersion, Protocols};
use crate::status::{AnnouncementStatus, ApplicationStatus, DiscountsStatus, LotStatus};
use crate::voting::Voting;
use act::GroundingAct;
use documents::{ContractDraft, Representatives, TenderDocumentation};
use header::{Header, Method};

/// A period with a start and an end instant (acceptance, supplements).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What the tab «приостановление/продолжение/отмена закупки» lists (L602–604, L3345–3347).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActRecord {
    Suspended {
        act: GroundingAct,
        at: DateTime<Utc>,
    },
    Resumed {
        act: GroundingAct,
        at: DateTime<Utc>,
    },
    Cancelled {
        plan_item_ids: Vec<PlanItemId>,
        act: GroundingAct,
        at: DateTime<Utc>,
    },
}

/// Shown to the secretary on every step of editing after plan items changed (L1870–1880).
pub const PLAN_CHANGED_WARNING_RU: &str = "Внимание! Изменились сведения в пунктах плана, в связи с этим \
автоматически обновились сведения в лотах. Необходимо обновить технические спецификации для измененных \
лотов, подписать заново автоматически сформированные документы: Конкурсную документацию, Приложение 1, \
обновить сведения в договоре, обновить лицензии и разрешения.";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Announcement {
    pub id: Option<Uuid>,
    pub number: String,
    /// 1 for an original, 2 for the copy made when the documentation changes (L1746–1760).
    pub index: u32,
    pub source_announcement_id: Option<Uuid>,
    pub copy_announcement_id: Option<Uuid>,
    pub header: Option<Header>,
    pub organizer_bin: Option<Bin>,
    pub creator_iin: Option<Iin>,
    pub status: Option<AnnouncementStatus>,
    pub deleted: bool,
    /// The status held when suspended, restored exactly on resumption (L3495–3597).
    pub status_before_suspension: Option<AnnouncementStatus>,
    pub lots: BTreeMap<PlanItemId, Lot>,
    /// Lots that were «Работа с ТЭО и ПСД» in the original: not editable in the copy (L1810–1816).
    pub frozen_lots: BTreeSet<PlanItemId>,
    /// Plan items changed while drafting: `PLAN_CHANGED_WARNING_RU` is shown until publication.
    pub plan_changed: bool,
    pub representatives: Option<Representatives>,
    pub commission: Option<Commission>,
    pub tender_documentation: Option<TenderDocumentation>,
    pub contract_draft: Option<ContractDraft>,
    pub acceptance: Option<Window>,
    pub published_at: Option<DateTime<Utc>>,
    pub discussion_end: Option<DateTime<Utc>>,
    pub discussion_ended: bool,
    pub discussion_requests: BTreeMap<DiscussionRequestId, DiscussionRequest>,
    pub discussion_signers: Option<Vec<Person>>,
    pub acceptance_started: bool,
    pub applications: BTreeMap<ApplicationId, Application>,
    /// The commission's review: rounds, votes, final decisions.
    pub voting: Voting,
    pub supplement: Option<Window>,
    pub commission_queries: Vec<CommissionQuery>,
    /// The internal state audit's notices and the objections to them (spec 000-D §4).
    pub camera_control: crate::camera_control::CameraControl,
    pub discounts: BTreeMap<PlanItemId, BTreeMap<ApplicationId, ConditionalDiscounts>>,
    pub discounts_completed: bool,
    pub protocols: Protocols,
    pub acts: Vec<ActRecord>,
    pub lot_contracts: BTreeMap<PlanItemId, Uuid>,
}

impl Announcement {
    pub fn fold<'a>(events: impl IntoIterator<Item = &'a AnnouncementEvent>) -> Self {
        let mut announcement = Announcement::default();
        events.into_iter().for_each(|e| announcement.apply(e));
        announcement
    }

    pub fn stream_id(id: Uuid) -> String {
        format!("announcement-{id}")
    }

    pub fn method(&self) -> Option<Method> {
        self.header.as_ref().map(|h| h.method)
    }

    /// Lots still in the procurement.
    pub fn active_lots(&self) -> impl Iterator<Item = &Lot> {
        self.lots.values().filter(|l| !l.is_cancelled())
    }

    /// Whether this announcement still holds its plan items (for the lot-pool invariant): from
    /// the draft until completion, except a documentation-changed original, a deleted draft and
    /// cancelled lots. A completed announcement holds only its held lots.
    pub fn holds_plan_item(&self, plan_item_id: &PlanItemId) -> bool {
        let Some(lot) = self.lots.get(plan_item_id) else {
            return false;
        };
        match self.status {
            None
            | Some(AnnouncementStatus::DocumentationChanged | AnnouncementStatus::Cancelled) => {
                false
            }
            _ if self.deleted || lot.is_cancelled() => false,
            // A completed procurement under camera control keeps only its held lots.
            Some(
                AnnouncementStatus::Completed
                | AnnouncementStatus::DecidingNoticeExecution
                | AnnouncementStatus::ResultsRevision,
            ) => matches!(lot.outcome, Some(LotOutcome::Held { .. })),
            _ => true,
        }
    }

    /// The statuses of §3.2: a lot mirrors the announcement where the spec names no lot status.
    pub fn lot_status(&self, plan_item_id: &PlanItemId) -> Option<LotStatus> {
        let lot = self.lots.get(plan_item_id)?;
        if lot.is_cancelled() {
            return Some(LotStatus::Cancelled);
        }
        use AnnouncementStatus as A;
        match self.status? {
            A::Published
            | A::PublishedAcceptingPriceOffers
            | A::PublishedAcceptingApplications
            | A::ReviewingApplications
            | A::ReviewingSupplements => Some(LotStatus::Published),
            A::FormingPreliminaryAdmissionProtocol => {
                Some(LotStatus::FormingPreliminaryAdmissionProtocol)
            }
            A::PublishedSupplementingApplications => {
                Some(LotStatus::PublishedSupplementingApplications)
            }
            A::DecidingPpdRevision => Some(LotStatus::DecidingPpdRevision),
            A::PpdRevision => Some(LotStatus::PpdRevision),
            A::ResultsRevision => Some(LotStatus::ResultsRevision),
            A::DecidingNoticeExecution => self
                .camera_control
                .open_notices(crate::camera_control::Direction::Fourth)
                .any(|n| &n.plan_item_id == plan_item_id)
                .then_some(LotStatus::DecidingNoticeExecution),
            A::FormingResultsProtocol => Some(LotStatus::FormingResultsProtocol),
            A::Suspended => Some(LotStatus::Suspended),
            A::FillingConditionalDiscounts => Some(LotStatus::FillingConditionalDiscounts),
            A::DocumentationChanged => Some(LotStatus::DocumentationChanged),
            A::DraftDocumentationChange => Some(LotStatus::DraftDocumentationChange),
            A::Draft | A::Completed | A::Cancelled => None,
        }
    }

    /// The statuses of §3.3 where the spec names one.
    pub fn application_status(&self, application_id: &ApplicationId) -> Option<ApplicationStatus> {
        let application = self.applications.get(application_id)?;
        match self.status? {
            AnnouncementStatus::FormingPreliminaryAdmissionProtocol => {
                Some(ApplicationStatus::FormingPreliminaryAdmissionProtocol)
            }
            AnnouncementStatus::FormingResultsProtocol => {
                Some(ApplicationStatus::FormingResultsProtocol)
            }
            AnnouncementStatus::ReviewingSupplements
                if !application.supplemented_lots.is_empty() =>
            {
                Some(ApplicationStatus::ReviewingSupplement)
            }
            _ => None,
        }
    }

    pub fn discounts_status(&self) -> Option<DiscountsStatus> {
        if self.discount_lots().next().is_none()
            || !self.voting.completed && !self.discounts_completed
        {
            return None;
        }
        Some(if self.discounts_completed {
            DiscountsStatus::Filled
        } else {
            DiscountsStatus::FillingRequired
        })
    }

    /// Lots whose conditional discounts must be filled: more than one application, admitted or
    /// rejected (L2745–2767).
    pub fn discount_lots(&self) -> impl Iterator<Item = &PlanItemId> {
        self.active_lots()
            .map(Lot::plan_item_id)
            .filter(|lot| self.applications_on(lot).count() > 1)
    }

    pub fn applications_on<'a>(
        &'a self,
        lot: &'a PlanItemId,
    ) -> impl Iterator<Item = &'a Application> {
        self.applications
            .values()
            .filter(move |a| a.applies_to(lot))
    }

    pub fn application_of(&self, supplier_bin: &Bin) -> Option<&Application> {
        self.applications
            .values()
            .find(|a| &a.supplier_bin == supplier_bin)
    }

    pub fn protocol(&self, kind: ProtocolKind, version: u32) -> Option<&ProtocolVersion> {
        self.protocols.get(kind, version)
    }

    /// The «Действительный» version of a protocol kind.
    pub fn valid_protocol(&self, kind: ProtocolKind) -> Option<&ProtocolVersion> {
        self.protocols.valid(kind)
    }

    /// A results protocol was published before the current one: the results are being revised
    /// (spec 000-D §4.1), not formed for the first time.
    pub fn revising_results(&self) -> bool {
        self.protocols.revised(ProtocolKind::Results)
    }

    /// Every version of a kind, oldest first: all versions stay visible (L3383–3387).
    pub fn protocol_versions(&self, kind: ProtocolKind) -> impl Iterator<Item = &ProtocolVersion> {
        self.protocols.versions(kind)
    }

    pub fn is_active_voter(&self, iin: &Iin) -> bool {
        self.voting.is_active_voter(self.commission.as_ref(), iin)
    }

    /// The «Секретарь объявления». ЗЦП has no commission in this part, and its secretary's
    /// actions (cancellation, representatives) fall to the creator (docs/decisions/0206).
    pub fn is_secretary(&self, iin: &Iin) -> bool {
        match (&self.commission, self.method().map(Method::rules)) {
            (Some(commission), _) => commission.is_secretary(iin),
            (None, Some(rules)) if rules.commission().is_none() => {
                self.creator_iin.as_ref() == Some(iin)
            }
            (None, _) => false,
        }
    }

    /// Whether discussion of the documentation takes place: OK only, not for a repeat
    /// procurement, not when every lot is «Работа с ТЭО и ПСД», not in an index-2 copy
    /// (L1527–1533, L1586–1592, §4.2.3 best reading).
    pub fn has_discussion(&self) -> bool {
        let Some(header) = &self.header else {
            return false;
        };
        header.method.rules().discussion_days().is_some()
            && header.procurement_type == header::ProcurementType::First
            && self.index <= 1
            && !self
                .active_lots()
                .all(Lot::is_work_with_feasibility_and_design)
    }

    /// With every lot cancelled or refused before completion the announcement is «Отменено»
    /// (decision 0208); a completed one stays «Завершено».
    fn close_if_all_withdrawn(&mut self) {
        let all_withdrawn = self.lots.values().all(Lot::is_cancelled);
        if all_withdrawn && self.status != Some(AnnouncementStatus::Completed) {
            self.status = Some(AnnouncementStatus::Cancelled);
            self.status_before_suspension = None;
        }
    }

    pub fn apply(&mut self, event: &AnnouncementEvent) {
        use AnnouncementEvent as E;
        match event {
            E::AnnouncementDrafted(e) => {
                self.id = Some(e.announcement_id);
                self.number = e.number.clone();
                self.index = 1;
                self.header = Some(e.header.clone());
                self.organizer_bin = Some(e.organizer_bin);
                self.creator_iin = Some(e.creator_iin);
                self.status = Some(AnnouncementStatus::Draft);
            }
            E::AnnouncementCopyCreated(e) => {
                self.id = Some(e.announcement_id);
                self.number = e.number.clone();
                self.index = e.index;
                self.source_announcement_id = Some(e.source_announcement_id);
                self.header = Some(e.header.clone());
                self.organizer_bin = Some(e.organizer_bin);
                self.creator_iin = Some(e.creator_iin);
                self.lots = e
                    .lots
                    .iter()
                    .map(|l| (l.plan_item_id().clone(), l.clone()))
                    .collect();
                self.frozen_lots = e
                    .lots
                    .iter()
                    .filter(|l| l.is_work_with_feasibility_and_design())
                    .map(|l| l.plan_item_id().clone())
                    .collect();
                self.representatives = e.representatives.clone();
                self.commission = e.commission.clone();
                self.tender_documentation = e.tender_documentation.clone();
                self.contract_draft = e.contract_draft.clone();
                self.acceptance = e.acceptance_end.map(|end| Window {
                    start: e.created_at,
                    end,
                });
                self.status = Some(AnnouncementStatus::DraftDocumentationChange);
            }
            E::AnnouncementHeaderUpdated(e) => self.header = Some(e.header.clone()),
            E::LotsAdded(e) => {
                for source in &e.lots {
                    self.lots
                        .insert(source.plan_item_id.clone(), Lot::new(source.clone()));
                }
            }
            E::LotsRemoved(e) => {
                for id in &e.plan_item_ids {
                    self.lots.remove(id);
                }
            }
            E::LotTermsSet(e) => {
                if let Some(lot) = self.lots.get_mut(&e.plan_item_id) {
                    lot.terms = Some(e.terms.clone());
                }
            }
            E::TechnicalSpecificationAttached(e) => {
                if let Some(lot) = self.lots.get_mut(&e.plan_item_id) {
                    lot.technical_specification = Some(e.specification.clone());
                }
            }
            E::TechnicalSpecificationRemoved(e) => {
                if let Some(lot) = self.lots.get_mut(&e.plan_item_id) {
                    lot.technical_specification = None;
                }
            }
            E::RepresentativesSet(e) => self.representatives = Some(e.representatives.clone()),
            E::CommissionSet(e) => self.commission = Some(e.commission.clone()),
            E::TenderDocumentationSigned(e) => {
                self.tender_documentation = Some(e.documentation.clone())
            }
            E::ContractDraftApproved(e) => self.contract_draft = Some(e.contract_draft.clone()),
            E::ContractDraftRevoked(_) => self.contract_draft = None,
            E::LotRefreshedFromPlan(e) => {
                if let Some(lot) = self.lots.get_mut(&e.source.plan_item_id) {
                    lot.source = e.source.clone();
                    lot.technical_specification = None;
                }
                self.tender_documentation = None;
                self.contract_draft = None;
                self.plan_changed = true;
            }
            E::AcceptanceDatesSet(e) => {
                self.acceptance = Some(Window {
                    start: e.start,
                    end: e.end,
                })
            }
            E::AnnouncementPublished(e) => {
                self.published_at = Some(e.published_at);
                self.acceptance = Some(Window {
                    start: e.acceptance_start,
                    end: e.acceptance_end,
                });
                self.discussion_end = e.discussion_end;
                self.status = Some(AnnouncementStatus::Published);
                self.plan_changed = false;
            }
            E::DraftDeleted(_) => self.deleted = true,
            E::DiscussionRequestSubmitted(e) => {
                self.discussion_requests.insert(
                    e.request_id,
                    DiscussionRequest {
                        id: e.request_id,
                        supplier_bin: e.supplier_bin,
                        subject: e.subject.clone(),
                        text: e.text.clone(),
                        submitted_at: e.submitted_at,
                        answer: None,
                    },
                );
            }
            E::DiscussionRequestAnswered(e) => {
                if let Some(request) = self.discussion_requests.get_mut(&e.request_id) {
                    request.answer = Some(DiscussionAnswer {
                        decision: e.decision,
                        text: e.text.clone(),
                        answered_by: e.answered_by,
                        answered_at: e.answered_at,
                    });
                }
            }
            E::DiscussionAnswerEdited(e) => {
                if let Some(answer) = self
                    .discussion_requests
                    .get_mut(&e.request_id)
                    .and_then(|r| r.answer.as_mut())
                {
                    answer.decision = e.decision;
                    answer.text = e.text.clone();
                }
            }
            E::DiscussionEnded(_) => self.discussion_ended = true,
            E::DiscussionCompleted(e) => self.discussion_signers = Some(e.signers.clone()),
            E::AcceptanceRescheduled(e) => {
                self.acceptance = Some(Window {
                    start: e.start,
                    end: e.end,
                })
            }
            E::DocumentationChangeDecided(e) => {
                self.copy_announcement_id = Some(e.copy_announcement_id);
                self.status = Some(AnnouncementStatus::DocumentationChanged);
            }
            E::AcceptanceStarted(_) => {
                self.acceptance_started = true;
                self.status = self.method().map(|m| m.rules().accepting());
            }
            E::ApplicationSubmitted(e) => {
                self.applications.insert(
                    e.application_id,
                    Application {
                        id: e.application_id,
                        supplier_bin: e.supplier_bin,
                        offers: e.offers.clone(),
                        submitted_at: e.submitted_at,
                        supplemented_lots: BTreeSet::new(),
                    },
                );
            }
            E::ApplicationWithdrawn(e) => {
                self.applications.remove(&e.application_id);
            }
            E::AcceptanceEnded(_) => {}
            // ЗЦП opens and compares automatically: no review by a commission (L434–448).
            E::ApplicationsOpened(_)
                if self
                    .method()
                    .is_some_and(|m| m.rules().commission().is_none()) => {}
            E::ApplicationsOpened(_) => {
                self.voting.opened();
                self.status = Some(AnnouncementStatus::ReviewingApplications);
            }
            E::VoteCast(e) => self.voting.vote_cast(e),
            E::VoteWithdrawn(e) => self.voting.vote_withdrawn(e),
            E::VotingCompleted(e) => self.voting.voting_completed(e),
            E::VotingReopened(e) => self.voting.reopened(e),
            E::ProtocolFormed(e) => {
                self.protocols.formed(e);
                match e.content.kind {
                    ProtocolKind::PreliminaryAdmission => {
                        self.status = Some(AnnouncementStatus::FormingPreliminaryAdmissionProtocol);
                    }
                    ProtocolKind::Results if !e.automatic => {
                        self.status = Some(AnnouncementStatus::FormingResultsProtocol);
                    }
                    ProtocolKind::Results | ProtocolKind::Discussion => {}
                }
            }
            E::ProtocolDeleted(e) => {
                self.protocols.deleted(e);
                // A revision's results protocol deleted: back to «Пересмотр итогов», to vote
                // again or change the discounts (L10500–10506).
                if e.kind == ProtocolKind::Results
                    && self.status == Some(AnnouncementStatus::FormingResultsProtocol)
                    && self
                        .protocol_versions(ProtocolKind::Results)
                        .any(|p| p.published_at.is_some())
                {
                    self.status = Some(AnnouncementStatus::ResultsRevision);
                }
            }
            E::ProtocolSigned(e) => self.protocols.signed(e),
            E::SignatureAbsenceRecorded(e) => self.protocols.absence_recorded(e),
            E::ExpertOpinionAttached(e) => self.protocols.expert_opinion_attached(e),
            E::ProtocolPublished(e) => self.protocols.published(e),
            E::SupplementPeriodStarted(e) => {
                self.supplement = Some(Window {
                    start: e.start,
                    end: e.end,
                });
                self.status = Some(AnnouncementStatus::PublishedSupplementingApplications);
            }
            E::ApplicationSupplemented(e) => {
                if let Some(application) = self.applications.get_mut(&e.application_id) {
                    application
                        .supplemented_lots
                        .extend(e.plan_item_ids.iter().cloned());
                }
            }
            E::SupplementPeriodEnded(_) => {
                self.voting.supplements_round();
                self.status = Some(AnnouncementStatus::ReviewingSupplements);
            }
            E::CameraControl(e) => self.apply_camera_control(e),
            // The legacy hooks, relayed by nothing since camera control lives in the announcement
            // (docs/decisions/0308, 0502): they decode, and camera control's own notices decide.
            E::CameraControlNoticeReceived(_) | E::CameraControlNoticeResolved(_) => {}
            E::PpdRevisionDecisionRequired(_) => {
                self.status = Some(AnnouncementStatus::DecidingPpdRevision)
            }
            E::PpdRevisionDeclined(_) => {
                let supplemented = self
                    .applications
                    .values()
                    .any(|a| !a.supplemented_lots.is_empty());
                let skipped = self
                    .method()
                    .and_then(|m| m.rules().without_supplements())
                    .filter(|_| !supplemented);
                // Nothing to re-review: the first review's decisions stand (S21a, L12560–12574).
                if skipped.is_some() {
                    self.voting.supplements_skipped();
                }
                self.status = Some(skipped.unwrap_or(AnnouncementStatus::ReviewingSupplements));
            }
            E::CommissionQueryRecorded(e) => self.commission_queries.push(e.query.clone()),
            E::ConditionalDiscountsFilled(e) => {
                let entries = e
                    .entries
                    .iter()
                    .map(|d| (d.application_id, d.discounts.clone()))
                    .collect();
                self.discounts.insert(e.plan_item_id.clone(), entries);
            }
            E::ConditionalDiscountsCompleted(_) => self.discounts_completed = true,
            E::ProcurementCompleted(e) => {
                for record in &e.outcomes {
                    if let Some(lot) = self.lots.get_mut(&record.plan_item_id) {
                        lot.outcome = Some(record.outcome.clone());
                    }
                }
                self.status = Some(AnnouncementStatus::Completed);
            }
            E::ProcurementSuspended(e) => {
                self.status_before_suspension = self.status;
                self.status = Some(AnnouncementStatus::Suspended);
                self.acts.push(ActRecord::Suspended {
                    act: e.act.clone(),
                    at: e.suspended_at,
                });
            }
            E::ProcurementResumed(e) => {
                self.status = self.status_before_suspension.take().or(self.status);
                self.acts.push(ActRecord::Resumed {
                    act: e.act.clone(),
                    at: e.resumed_at,
                });
            }
            E::LotsCancelled(e) => {
                for id in &e.plan_item_ids {
                    if let Some(lot) = self.lots.get_mut(id) {
                        lot.cancellation = Some(crate::lot::LotCancellation {
                            act: e.act.clone(),
                            cancelled_at: e.cancelled_at,
                        });
                        if lot.outcome.is_some() {
                            lot.outcome = Some(LotOutcome::Cancelled);
                        }
                    }
                }
                self.close_if_all_withdrawn();
                self.acts.push(ActRecord::Cancelled {
                    plan_item_ids: e.plan_item_ids.clone(),
                    act: e.act.clone(),
                    at: e.cancelled_at,
                });
            }
            E::ProcurementRefused(e) => {
                for id in &e.plan_item_ids {
                    if let Some(lot) = self.lots.get_mut(id) {
                        lot.refusal = Some(crate::lot::CustomerRefusal {
                            reason: e.reason.clone(),
                            document: e.document.clone(),
                            refused_at: e.refused_at,
                        });
                        if lot.outcome.is_some() {
                            lot.outcome = Some(LotOutcome::Cancelled);
                        }
                    }
                }
                self.close_if_all_withdrawn();
            }
            E::CommissionChanged(e) => {
                self.voting
                    .commission_changed(self.commission.as_ref(), &e.commission);
                self.commission = Some(e.commission.clone());
            }
            E::CreatorChanged(e) => self.creator_iin = Some(e.new_creator_iin),
            E::RepresentativesChanged(e) => {
                if let Some(r) = &mut self.representatives {
                    r.organizer_representative = e.organizer_representative.clone();
                    r.customer_representative = e.customer_representative.clone();
                }
            }
            E::LotContractDrafted(e) => {
                self.lot_contracts
                    .insert(e.plan_item_id.clone(), e.contract_id);
            }
            E::LotContractDeleted(e) => {
                self.lot_contracts.remove(&e.plan_item_id);
            }
        }
    }
}
