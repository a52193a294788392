//! Facts of an announcement's stream. Each payload struct is named after its stable event type.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::announcement::documents::{ContractDraft, Representatives, TenderDocumentation};
use crate::announcement::header::Header;
use crate::announcement::notice::NoticeDirection;
use crate::commission::{Commission, Person};
use crate::ident::{Bin, Iin};
use crate::kernel::event::event_set;
// The components' payloads, named here so the set declares them and their paths keep working.
use crate::lot::{Lot, LotOutcome};
pub use crate::method::auction::result::AuctionResultRecorded;
pub use crate::method::auction::schedule::{AuctionScheduled, AuctionStarted};
pub use crate::method::qualification_selection::QualificationInfoFilled;
pub use crate::method::single_source::{
    ParticipationRefused, SingleSourceCreated, SingleSourceStarted, SingleSourceTermsSet,
};
use crate::plan_item::PlanItemId;
pub use crate::procedure::acts::{
    LotsCancelled, ProcurementRefused, ProcurementResumed, ProcurementSuspended,
};
pub use crate::procedure::commission::{CommissionChanged, CommissionQueryRecorded, CommissionSet};
pub use crate::procedure::discounts::{
    ConditionalDiscountsCompleted, ConditionalDiscountsFilled, DiscountEntry,
};
pub use crate::procedure::discussion::{
    AcceptanceEndEntered, DiscussionAnswerEdited, DiscussionCompleted, DiscussionEnded,
    DiscussionRequestAnswered, DiscussionRequestAnsweredV1, DiscussionRequestSubmitted,
};
pub use crate::procedure::entered_results::{PublicationPlacesSet, ResultsDataEntered};
pub use crate::procedure::extensions::{DeadlineExtended, DeadlineMeasuresApplied};
pub use crate::procedure::offers::{
    AcceptanceEnded, AcceptanceStarted, ApplicationSubmitted, ApplicationSupplemented,
    ApplicationWithdrawn, ApplicationsOpened, SupplementPeriodEnded, SupplementPeriodStarted,
};
pub use crate::procedure::plan_lots::{
    LotRefreshedFromPlan, LotTermsSet, LotsAdded, LotsRemoved, TechnicalSpecificationAttached,
    TechnicalSpecificationRemoved,
};
pub use crate::procedure::protocol::{
    ExpertOpinionAttached, ProtocolDeleted, ProtocolFormed, ProtocolPublished, ProtocolSigned,
    ProtocolSignedV1, SignatureAbsenceRecorded,
};
pub use crate::procedure::voting::{VoteCast, VoteWithdrawn, VotingCompleted, VotingReopened};
use crate::regime::RegimeRef;

event_set! {
    // Events are built once and folded by reference; boxing the copy's large payload would only
    // burden every match on it.
    #[allow(clippy::large_enum_variant)]
    pub enum AnnouncementEvent {
        AnnouncementDrafted(AnnouncementDrafted) = 1,
        /// Follows the drafting, the index-2 copy and the automatic single source.
        LegalRegimePinned(LegalRegimePinned) = 1,
        AnnouncementHeaderUpdated(AnnouncementHeaderUpdated) = 1,
        /// Names the plan items the engine must have reserved (docs/decisions/0201).
        LotsAdded(LotsAdded) = 1,
        /// Names the plan items the engine releases.
        LotsRemoved(LotsRemoved) = 1,
        LotTermsSet(LotTermsSet) = 1,
        TechnicalSpecificationAttached(TechnicalSpecificationAttached) = 1,
        TechnicalSpecificationRemoved(TechnicalSpecificationRemoved) = 1,
        RepresentativesSet(RepresentativesSet) = 1,
        CommissionSet(CommissionSet) = 1,
        TenderDocumentationSigned(TenderDocumentationSigned) = 1,
        ContractDraftApproved(ContractDraftApproved) = 1,
        ContractDraftRevoked(ContractDraftRevoked) = 1,
        LotRefreshedFromPlan(LotRefreshedFromPlan) = 1,
        AcceptanceDatesSet(AcceptanceDatesSet) = 1,
        AnnouncementPublished(AnnouncementPublished) = 1,
        DraftDeleted(DraftDeleted) = 1,
        AnnouncementCopyCreated(AnnouncementCopyCreated) = 1,
        DiscussionRequestSubmitted(DiscussionRequestSubmitted) = 1,
        DiscussionRequestAnswered(DiscussionRequestAnswered) = 2 { 1 => DiscussionRequestAnsweredV1 },
        DiscussionAnswerEdited(DiscussionAnswerEdited) = 1,
        DiscussionEnded(DiscussionEnded) = 1,
        DiscussionCompleted(DiscussionCompleted) = 1,
        AcceptanceRescheduled(AcceptanceRescheduled) = 1,
        DocumentationChangeDecided(DocumentationChangeDecided) = 1,
        AcceptanceEndEntered(AcceptanceEndEntered) = 1,
        AcceptanceStarted(AcceptanceStarted) = 1,
        ApplicationSubmitted(ApplicationSubmitted) = 1,
        ApplicationWithdrawn(ApplicationWithdrawn) = 1,
        AcceptanceEnded(AcceptanceEnded) = 1,
        ApplicationsOpened(ApplicationsOpened) = 1,
        VoteCast(VoteCast) = 1,
        VoteWithdrawn(VoteWithdrawn) = 1,
        VotingCompleted(VotingCompleted) = 1,
        VotingReopened(VotingReopened) = 1,
        ProtocolFormed(ProtocolFormed) = 1,
        ProtocolDeleted(ProtocolDeleted) = 1,
        /// Version 2 keeps the signature and its key id (decision 0890).
        ProtocolSigned(ProtocolSigned) = 2 { 1 => ProtocolSignedV1 },
        SignatureAbsenceRecorded(SignatureAbsenceRecorded) = 1,
        ExpertOpinionAttached(ExpertOpinionAttached) = 1,
        ProtocolPublished(ProtocolPublished) = 1,
        SupplementPeriodStarted(SupplementPeriodStarted) = 1,
        ApplicationSupplemented(ApplicationSupplemented) = 1,
        SupplementPeriodEnded(SupplementPeriodEnded) = 1,
        CameraControlNoticeReceived(CameraControlNoticeReceived) = 1,
        CameraControlNoticeResolved(CameraControlNoticeResolved) = 1,
        PpdRevisionDecisionRequired(PpdRevisionDecisionRequired) = 1,
        PpdRevisionDeclined(PpdRevisionDeclined) = 1,
        CommissionQueryRecorded(CommissionQueryRecorded) = 1,
        ConditionalDiscountsFilled(ConditionalDiscountsFilled) = 1,
        ConditionalDiscountsCompleted(ConditionalDiscountsCompleted) = 1,
        /// Names each lot's outcome so the engine marks the plan items held or failed.
        ProcurementCompleted(ProcurementCompleted) = 1,
        ProcurementSuspended(ProcurementSuspended) = 1,
        ProcurementResumed(ProcurementResumed) = 1,
        /// Names the cancelled plan items the engine releases back to the pool.
        LotsCancelled(LotsCancelled) = 1,
        /// Names the refused plan items the engine releases back to the pool.
        ProcurementRefused(ProcurementRefused) = 1,
        CommissionChanged(CommissionChanged) = 1,
        CreatorChanged(CreatorChanged) = 1,
        RepresentativesChanged(RepresentativesChanged) = 1,
        LotContractDrafted(LotContractDrafted) = 1,
        LotContractDeleted(LotContractDeleted) = 1,
        ContractEvasionRecorded(ContractEvasionRecorded) = 1,
        /// The auction's time frame, fixed by the admission protocol's publication.
        AuctionScheduled(AuctionScheduled) = 1,
        AuctionStarted(AuctionStarted) = 1,
        /// The bidding's outcome, followed by the automatic results protocol.
        AuctionResultRecorded(AuctionResultRecorded) = 1,
        SingleSourceTermsSet(SingleSourceTermsSet) = 1,
        ParticipationRefused(ParticipationRefused) = 1,
        /// The automatic single source (spec 000-C A1): on the ИОИ, and on the failed ЗЦП.
        SingleSourceCreated(SingleSourceCreated) = 1,
        SingleSourceStarted(SingleSourceStarted) = 1,
        /// The results of a procurement run off the portal, entered by hand.
        ResultsDataEntered(ResultsDataEntered) = 1,
        /// Where a procurement run off the portal hands out its documentation and takes its
        /// paper applications.
        PublicationPlacesSet(PublicationPlacesSet) = 1,
        /// The qualification selection's «Сведения о квалификации» of one admitted supplier.
        QualificationInfoFilled(QualificationInfoFilled) = 1,
        /// A deadline moved by a technical failure, a maintenance window or force majeure,
        /// carrying the cause's id (spec 001-004 §4.2, §4.4).
        DeadlineExtended(DeadlineExtended) = 1,
        /// The cause's step is done on this procedure.
        DeadlineMeasuresApplied(DeadlineMeasuresApplied) = 1,
    }
    /// Camera control (spec 000-D §4), stored under its own event types (docs/decisions/0308).
    nested CameraControl(crate::camera_control::CameraControlEvent);
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnouncementDrafted {
    pub announcement_id: Uuid,
    pub number: String,
    pub header: Header,
    pub organizer_bin: Bin,
    pub creator_iin: Iin,
    pub drafted_at: DateTime<Utc>,
}

/// The rule set in force when the announcement was drafted (decision 0891): its deadlines and
/// periods are those of this regime for good. A stream without it reads the default regime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LegalRegimePinned {
    pub regime: RegimeRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnouncementHeaderUpdated {
    pub header: Header,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepresentativesSet {
    pub representatives: Representatives,
    pub set_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TenderDocumentationSigned {
    pub documentation: TenderDocumentation,
    pub signed_by: Iin,
    pub signed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContractDraftApproved {
    pub contract_draft: ContractDraft,
    pub approved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContractDraftRevoked {
    pub revoked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AcceptanceDatesSet {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub set_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnouncementPublished {
    pub published_at: DateTime<Utc>,
    pub acceptance_start: DateTime<Utc>,
    pub acceptance_end: DateTime<Utc>,
    /// `None` when there is no discussion (ЗЦП, repeat OK, all lots «Работа с ТЭО и ПСД», index 2).
    pub discussion_end: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DraftDeleted {
    /// The plan items the engine releases.
    pub plan_item_ids: Vec<PlanItemId>,
    pub deleted_at: DateTime<Utc>,
}

/// The first event of an index-2 (or later) copy's stream (L1746–1760).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AnnouncementCopyCreated {
    pub announcement_id: Uuid,
    pub number: String,
    pub source_announcement_id: Uuid,
    pub index: u32,
    pub header: Header,
    pub organizer_bin: Bin,
    pub creator_iin: Iin,
    /// The plan items the engine transfers from the source.
    pub lots: Vec<Lot>,
    pub representatives: Option<Representatives>,
    pub commission: Option<Commission>,
    pub tender_documentation: Option<TenderDocumentation>,
    pub contract_draft: Option<ContractDraft>,
    pub acceptance_end: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// §5.6: after the automatic discussion protocol the acceptance window moves earlier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AcceptanceRescheduled {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub rescheduled_at: DateTime<Utc>,
}

/// The discussion protocol decided to amend the documentation: this announcement becomes
/// «Изменена документация» and the engine creates the copy under `copy_announcement_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DocumentationChangeDecided {
    pub copy_announcement_id: Uuid,
    pub decided_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CameraControlNoticeReceived {
    pub notice_id: Uuid,
    pub direction: NoticeDirection,
    pub plan_item_ids: Vec<PlanItemId>,
    pub received_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CameraControlNoticeResolved {
    pub notice_id: Uuid,
    pub resolved_at: DateTime<Utc>,
}

/// After the supplement period, a third-direction notice makes the announcement and lots
/// «Принятие решения по пересмотру ППД» (L2665–2675).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PpdRevisionDecisionRequired {
    pub notice_ids: Vec<Uuid>,
    pub required_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PpdRevisionDeclined {
    pub declined_by: Iin,
    pub declined_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotOutcomeRecord {
    pub plan_item_id: PlanItemId,
    pub outcome: LotOutcome,
    /// The suppliers rejected on the lot under article 6, whom its single source may not invite
    /// (spec 000-C §2.4 rule 4; docs/decisions/0726). Absent in events written before: none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub article6_rejected_bins: Vec<Bin>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProcurementCompleted {
    pub outcomes: Vec<LotOutcomeRecord>,
    pub completed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreatorChanged {
    pub previous_creator_iin: Iin,
    pub new_creator_iin: Iin,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepresentativesChanged {
    pub organizer_representative: Person,
    pub customer_representative: Person,
    pub changed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotContractDrafted {
    pub plan_item_id: PlanItemId,
    pub contract_id: Uuid,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LotContractDeleted {
    pub plan_item_id: PlanItemId,
    pub recorded_at: DateTime<Utc>,
}

/// The customer records that the lot's winner evaded concluding the contract: the outcome that
/// holds the winner's application security (decision 0853).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ContractEvasionRecorded {
    pub plan_item_id: PlanItemId,
    pub supplier_bin: Bin,
    pub grounds: String,
    pub recorded_by: Iin,
    pub recorded_at: DateTime<Utc>,
}
