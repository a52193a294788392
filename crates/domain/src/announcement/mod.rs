//! The announcement aggregate for «Запрос ценовых предложений» (ЗЦП) and «Открытый конкурс»
//! (OK), spec 000-A. One stream per announcement: `announcement-<uuid>`.
//!
//! `decide` (in `decide.rs`) checks a command against the folded state and returns the facts;
//! `apply` folds one fact and never fails. Protocol versions and their validity are derived here.

pub mod actions;
mod camera;
pub mod command;
pub mod deadline;
mod decide;
pub mod documents;
pub mod event;
mod evolve;
pub mod header;
pub mod notice;
mod pool;
pub mod refusal;
pub mod stored;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

pub use command::{ActingOrganisation, AnnouncementCommand};
pub use deadline::{Deadline, TimedTransition};
pub use event::AnnouncementEvent;
pub use stored::DecodeError;

use crate::application::{Application, ApplicationId};
use crate::commission::{Commission, CommissionQuery, Person};
use crate::discounts::Discounts;
use crate::discussion::{Discussion, DiscussionRequest, DiscussionRequestId};
use crate::ident::{Bin, Iin};
use crate::lot::{Lot, LotOutcome};
use crate::method::procedure::MethodProcedure;
use crate::method::{Reviewer, Step};
use crate::plan_item::PlanItemId;
use crate::procedure::acts::Acts;
use crate::procedure::offers::Offers;
use crate::procedure::plan_lots::PlanLots;
use crate::protocol::{ProtocolKind, ProtocolVersion, Protocols};
use crate::regime::RegimeRef;
use crate::status::{AnnouncementStatus, ApplicationStatus, DiscountsStatus, LotStatus};
use crate::voting::Voting;
use documents::{ChangedRepresentatives, ContractDraft, Representatives, TenderDocumentation};
use header::{Header, Method};

pub use crate::procedure::acts::ActRecord;
pub use crate::procedure::offers::Window;

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
    /// The rule set pinned at drafting; `None` for a stream recorded before regimes were
    /// pinned: it reads the default (decision 0891).
    pub regime: Option<RegimeRef>,
    pub status: Option<AnnouncementStatus>,
    pub deleted: bool,
    /// The status held when suspended, restored exactly on resumption (L3495–3597).
    pub status_before_suspension: Option<AnnouncementStatus>,
    pub lots: BTreeMap<PlanItemId, Lot>,
    /// What lots from the plan keep beside the lots: frozen in a copy, changed in the plan.
    pub plan_lots: PlanLots,
    pub representatives: Option<Representatives>,
    /// The representatives the change named where the draft set none (a ЗЦП); with the
    /// draft's, the change edits `representatives` instead (docs/decisions/0602).
    pub changed_representatives: Option<ChangedRepresentatives>,
    pub contract_draft: Option<ContractDraft>,
    pub acceptance: Option<Window>,
    pub published_at: Option<DateTime<Utc>>,
    pub acceptance_started: bool,
    /// The applications and their supplements.
    pub offers: Offers,
    /// The internal state audit's notices and the objections to them (spec 000-D §4).
    pub camera_control: crate::camera_control::CameraControl,
    pub protocols: Protocols,
    /// Suspensions, resumptions and cancellations.
    pub acts: Acts,
    pub lot_contracts: BTreeMap<PlanItemId, Uuid>,
    /// The winners recorded as evading the contract, by lot: their application security is held
    /// (the guarantees' workflow, decision 0853).
    pub contract_evasions: BTreeMap<PlanItemId, event::ContractEvasionRecorded>,
    /// What only the method has: the one place that matches on the method.
    pub procedure: MethodProcedure,
    /// The single sources that followed this failed procurement, by invited supplier (spec
    /// 000-C A1).
    pub single_sources: BTreeMap<Bin, Uuid>,
    /// Deadlines moved by technical failures, maintenance windows and force majeure.
    pub extensions: crate::procedure::extensions::Extensions,
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
            | A::ReviewingSupplements
            // The auction's waiting and bidding: spec 000-B §3.2 names no lot status for them.
            | A::PublishedAwaitingAuction
            | A::PublishedAuctionInProgress => Some(LotStatus::Published),
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
            A::FillingQualificationInfo => Some(LotStatus::FillingQualificationInfo),
            A::FormingQualificationProtocol => Some(LotStatus::FormingQualificationProtocol),
            A::DocumentationChanged => Some(LotStatus::DocumentationChanged),
            A::DraftDocumentationChange => Some(LotStatus::DraftDocumentationChange),
            // Not named in §3.2: the lot mirrors the announcement (docs/decisions/0640).
            A::Draft => Some(
                self.method()
                    .map_or(LotStatus::Draft, |m| m.rules().draft_lot_status()),
            ),
            A::Completed => Some(LotStatus::Completed),
            A::Cancelled => Some(LotStatus::Cancelled),
        }
    }

    /// The statuses of §3.3 where the spec names one, «Отменено» with the announcement
    /// (spec 000-D §2.4; docs/decisions/0608), and the announcement's own status otherwise
    /// (§3.2's best reading for lots, applied to applications; docs/decisions/0640). Null only
    /// for an application the announcement does not hold.
    pub fn application_status(&self, application_id: &ApplicationId) -> Option<ApplicationStatus> {
        let application = self.offers.applications.get(application_id)?;
        use AnnouncementStatus as A;
        use ApplicationStatus as S;
        Some(match self.status? {
            // Every lot cancelled, by notices or by an act: the applications with the
            // announcement (L12131–12135, L12385, L12682). A lot cancelled alone changes only the
            // lot and its plan item (L12155–12159).
            A::Cancelled => S::Cancelled,
            A::FormingPreliminaryAdmissionProtocol => S::FormingPreliminaryAdmissionProtocol,
            A::FormingResultsProtocol => S::FormingResultsProtocol,
            A::ReviewingSupplements if !application.supplemented_lots.is_empty() => {
                S::ReviewingSupplement
            }
            A::ReviewingSupplements => S::ReviewingSupplements,
            A::Published => S::Published,
            A::PublishedAcceptingPriceOffers => S::PublishedAcceptingPriceOffers,
            A::PublishedAcceptingApplications => S::PublishedAcceptingApplications,
            A::DocumentationChanged => S::DocumentationChanged,
            A::ReviewingApplications => S::ReviewingApplications,
            A::PublishedSupplementingApplications => S::PublishedSupplementingApplications,
            A::DecidingPpdRevision => S::DecidingPpdRevision,
            A::Completed => S::Completed,
            A::Suspended => S::Suspended,
            A::PpdRevision => S::PpdRevision,
            A::ResultsRevision => S::ResultsRevision,
            A::DecidingNoticeExecution => S::DecidingNoticeExecution,
            A::FillingConditionalDiscounts => S::FillingConditionalDiscounts,
            A::FillingQualificationInfo => S::FillingQualificationInfo,
            A::FormingQualificationProtocol => S::FormingQualificationProtocol,
            A::PublishedAwaitingAuction => S::PublishedAwaitingAuction,
            A::PublishedAuctionInProgress => S::PublishedAuctionInProgress,
            // No application is held by a draft; an index-2 copy's are its original's.
            A::Draft | A::DraftDocumentationChange => return None,
        })
    }

    pub fn discounts_status(&self) -> Option<DiscountsStatus> {
        let completed = self.discounts().is_some_and(|d| d.completed);
        if self.discount_lots().next().is_none() || !self.voting().completed && !completed {
            return None;
        }
        Some(if completed {
            DiscountsStatus::Filled
        } else {
            DiscountsStatus::FillingRequired
        })
    }

    /// Lots whose conditional discounts must be filled: more than one application, admitted or
    /// rejected (L2745–2767).
    pub fn discount_lots(&self) -> impl Iterator<Item = &PlanItemId> {
        let discounts = self.method_has(Step::ConditionalDiscounts);
        self.active_lots()
            .map(Lot::plan_item_id)
            .filter(move |lot| discounts && self.applications_on(lot).count() > 1)
    }

    pub fn applications_on<'a>(
        &'a self,
        lot: &'a PlanItemId,
    ) -> impl Iterator<Item = &'a Application> {
        self.offers
            .applications
            .values()
            .filter(move |a| a.applies_to(lot))
    }

    /// The suppliers whose applications on the lot the review rejected under article 6.
    pub fn article6_rejected_on(&self, lot: &PlanItemId) -> Vec<Bin> {
        let voting = self.voting();
        let mut bins: Vec<Bin> = self
            .applications_on(lot)
            .filter(|a| voting.rejected_under_article6(&a.id, lot))
            .map(|a| a.supplier_bin)
            .collect();
        bins.sort();
        bins.dedup();
        bins
    }

    /// The outcome of a lot as the completion records it.
    pub fn outcome_record(
        &self,
        plan_item_id: PlanItemId,
        outcome: LotOutcome,
    ) -> event::LotOutcomeRecord {
        event::LotOutcomeRecord {
            article6_rejected_bins: self.article6_rejected_on(&plan_item_id),
            plan_item_id,
            outcome,
        }
    }

    pub fn application_of(&self, supplier_bin: &Bin) -> Option<&Application> {
        self.offers.application_of(supplier_bin)
    }

    /// The discussion's deadline, as the read models see it (the discussion component's).
    pub fn discussion_end(&self) -> Option<DateTime<Utc>> {
        self.discussion()?.end
    }

    /// The conditional discounts, for a method that has them.
    pub fn discounts(&self) -> Option<&Discounts> {
        self.procedure.discounts()
    }

    /// The discussion of the documentation, for a method that has one.
    pub fn discussion(&self) -> Option<&Discussion> {
        self.procedure.discussion()
    }

    /// Who signs the discussion protocol, once the discussion is completed.
    pub fn discussion_signers(&self) -> Option<&[Person]> {
        self.discussion()?.signers.as_deref()
    }

    /// The discussion's requests; none for a method without a discussion.
    pub fn discussion_requests(&self) -> &BTreeMap<DiscussionRequestId, DiscussionRequest> {
        static NONE: BTreeMap<DiscussionRequestId, DiscussionRequest> = BTreeMap::new();
        self.discussion().map_or(&NONE, |d| &d.requests)
    }

    /// The applications, as the read models see them (the offers component's).
    pub fn applications(&self) -> &BTreeMap<ApplicationId, Application> {
        &self.offers.applications
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

    /// The commission's review: rounds, votes, final decisions; never opened for a method
    /// without a commission.
    pub fn voting(&self) -> &Voting {
        self.procedure.voting()
    }

    /// The commission, for a method that has one.
    pub fn commission(&self) -> Option<&Commission> {
        self.procedure.commission()
    }

    pub fn tender_documentation(&self) -> Option<&TenderDocumentation> {
        self.procedure.tender_documentation()
    }

    /// The commission's queries; none for a method without a commission.
    pub fn commission_queries(&self) -> &[CommissionQuery] {
        self.procedure
            .open_tender()
            .map_or(&[], |parts| &parts.commission_queries)
    }

    pub fn is_active_voter(&self, iin: &Iin) -> bool {
        self.voting()
            .is_active_voter(self.procedure.review_panel(), iin)
    }

    /// Who reviews the applications, by the method.
    pub fn reviewer(&self) -> Reviewer {
        self.method()
            .map_or(Reviewer::Automatic, |m| m.rules().reviewer())
    }

    /// Whether the method's guard table allows the step in any of its phases: a method without
    /// a ППД or conditional discounts never waits for them.
    pub fn method_has(&self, step: Step) -> bool {
        self.method().is_some_and(|m| {
            let rules = m.rules();
            AnnouncementStatus::ALL
                .iter()
                .any(|s| rules.allows(*s, step))
        })
    }

    /// The «Секретарь объявления». ЗЦП has no commission in this part, and its secretary's
    /// actions (cancellation, representatives) fall to the creator (docs/decisions/0206).
    pub fn is_secretary(&self, iin: &Iin) -> bool {
        match (self.commission(), self.method().map(Method::rules)) {
            (_, Some(rules)) if rules.creator_is_secretary() => {
                self.creator_iin.as_ref() == Some(iin)
            }
            (Some(commission), _) => commission.is_secretary(iin),
            (None, _) => false,
        }
    }

    /// The organizer's and the customer's representatives as they stand: the draft's, as changed
    /// since, or those the change named on a ЗЦП published without them (decision 0602).
    pub fn representative_persons(&self) -> Option<(&Person, &Person)> {
        match (&self.representatives, &self.changed_representatives) {
            (Some(r), _) => Some((&r.organizer_representative, &r.customer_representative)),
            (None, Some(c)) => Some((&c.organizer_representative, &c.customer_representative)),
            (None, None) => None,
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
            E::CameraControl(e) => self.apply_camera_control(e),
            // The legacy hooks, relayed by nothing since camera control lives in the announcement
            // (docs/decisions/0308, 0502): they decode, and camera control's own notices decide.
            E::CameraControlNoticeReceived(_) | E::CameraControlNoticeResolved(_) => {}
            E::LegalRegimePinned(e) => self.regime = Some(e.regime.clone()),
            e @ (E::AnnouncementDrafted(_)
            | E::AnnouncementCopyCreated(_)
            | E::AnnouncementHeaderUpdated(_)
            | E::LotsAdded(_)
            | E::LotsRemoved(_)
            | E::LotTermsSet(_)
            | E::TechnicalSpecificationAttached(_)
            | E::TechnicalSpecificationRemoved(_)
            | E::RepresentativesSet(_)
            | E::CommissionSet(_)
            | E::TenderDocumentationSigned(_)
            | E::ContractDraftApproved(_)
            | E::ContractDraftRevoked(_)
            | E::SingleSourceTermsSet(_)
            | E::SingleSourceCreated(_)
            | E::SingleSourceStarted(_)
            | E::LotRefreshedFromPlan(_)
            | E::AcceptanceDatesSet(_)
            | E::AnnouncementPublished(_)
            | E::DraftDeleted(_)) => self.apply_drafting(e),
            e @ (E::DiscussionRequestSubmitted(_)
            | E::DiscussionRequestAnswered(_)
            | E::DiscussionAnswerEdited(_)
            | E::DiscussionEnded(_)
            | E::DiscussionCompleted(_)
            | E::AcceptanceRescheduled(_)
            | E::AcceptanceEndEntered(_)
            | E::DocumentationChangeDecided(_)) => self.apply_discussion(e),
            e @ (E::AcceptanceStarted(_)
            | E::ParticipationRefused(_)
            | E::ApplicationSubmitted(_)
            | E::ApplicationWithdrawn(_)
            | E::AcceptanceEnded(_)
            | E::ApplicationsOpened(_)
            | E::SupplementPeriodStarted(_)
            | E::ApplicationSupplemented(_)
            | E::SupplementPeriodEnded(_)
            | E::PpdRevisionDecisionRequired(_)
            | E::PpdRevisionDeclined(_)) => self.apply_offers(e),
            E::ResultsDataEntered(e) => {
                if let Some(data) = self.procedure.entered_results_mut() {
                    data.entered(e);
                }
            }
            E::DeadlineExtended(e) => {
                use crate::procedure::extensions::ExtendedDeadline as D;
                let window = match e.deadline {
                    D::AcceptanceEnd => self.acceptance.as_mut(),
                    D::SupplementEnd => self.offers.supplement.as_mut(),
                };
                if let Some(window) = window {
                    window.end = e.to;
                }
                self.extensions.apply_extended(e);
            }
            E::DeadlineMeasuresApplied(e) => self.extensions.apply_applied(e),
            E::PublicationPlacesSet(e) => {
                if let Some(data) = self.procedure.entered_results_mut() {
                    data.places_set(e);
                }
            }
            E::QualificationInfoFilled(e) => {
                if let Some(parts) = self.procedure.qualification_selection_mut() {
                    parts.filled(e);
                }
            }
            e @ (E::VoteCast(_)
            | E::VoteWithdrawn(_)
            | E::VotingCompleted(_)
            | E::VotingReopened(_)
            | E::ProtocolFormed(_)
            | E::ProtocolDeleted(_)
            | E::ProtocolSigned(_)
            | E::SignatureAbsenceRecorded(_)
            | E::ExpertOpinionAttached(_)
            | E::ProtocolPublished(_)
            | E::CommissionQueryRecorded(_)
            | E::ConditionalDiscountsFilled(_)
            | E::ConditionalDiscountsCompleted(_)
            | E::ProcurementCompleted(_)
            | E::AuctionScheduled(_)
            | E::AuctionStarted(_)
            | E::AuctionResultRecorded(_)) => self.apply_review(e),
            e @ (E::ProcurementSuspended(_)
            | E::ProcurementResumed(_)
            | E::LotsCancelled(_)
            | E::ProcurementRefused(_)
            | E::CommissionChanged(_)
            | E::CreatorChanged(_)
            | E::RepresentativesChanged(_)
            | E::LotContractDrafted(_)
            | E::LotContractDeleted(_)
            | E::ContractEvasionRecorded(_)) => self.apply_acts(e),
        }
    }
}
