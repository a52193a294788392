//! What users and the scheduler ask of an announcement. Ids of new things (announcement,
//! application, discussion request) come with the command so a retry decides the same events.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::actor::Role;
use crate::commission::ChangeDecision;

use crate::kernel::file::FileRef;

use crate::announcement::documents::{ContractDraft, Representatives, TenderDocumentation};
use crate::announcement::header::Header;
use crate::application::{ApplicationId, DiscountForm, LotOffer};
use crate::commission::{Commission, CommissionQuery, Person};
use crate::discussion::{DiscussionDecision, DiscussionRequestId};
use crate::ident::{Bin, Iin};
use crate::kernel::act::GroundingAct;
use crate::lot::{LotSource, LotTerms, TechnicalSpecification};
use crate::method::qualification_selection::info::QualificationRowInput;
use crate::method::single_source::SingleSourceTerms;
use crate::plan_item::PlanItemId;
use crate::procedure::entered_results::{EnteredResults, PublicationPlaces};
use crate::protocol::{ProtocolKind, SignatureProof};
use crate::voting::Ballot;

#[derive(Debug, Clone, PartialEq)]
pub enum AnnouncementCommand {
    // Drafting (spec 000-A §4.2.1, §4.3).
    CreateDraft {
        announcement_id: Uuid,
        number: String,
        header: Header,
    },
    UpdateHeader {
        header: Header,
    },
    AddLots {
        lots: Vec<LotSource>,
    },
    RemoveLots {
        plan_item_ids: Vec<PlanItemId>,
    },
    SetLotTerms {
        plan_item_id: PlanItemId,
        terms: LotTerms,
    },
    AttachTechnicalSpecification {
        plan_item_id: PlanItemId,
        specification: TechnicalSpecification,
    },
    RemoveTechnicalSpecification {
        plan_item_id: PlanItemId,
    },
    SetRepresentatives {
        representatives: Representatives,
    },
    SetCommission {
        commission: Commission,
    },
    /// «Публикация объявления» of a paper or non-GZ procurement (spec 000-C §2.20).
    SetPublicationPlaces {
        places: PublicationPlaces,
    },
    SignTenderDocumentation {
        documentation: TenderDocumentation,
    },
    ApproveContractDraft {
        contract_draft: ContractDraft,
    },
    RevokeContractDraft,
    /// An ИОИ draft's failed procurement and invited supplier (spec 000-C M6, L7161–7207).
    SetSingleSourceTerms {
        terms: SingleSourceTerms,
    },
    /// «Предварительный просмотр» with the (preliminary) acceptance dates. In an index-2 copy
    /// only the end may change (L1856–1860).
    SetAcceptanceDates {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    Publish,
    DeleteDraft,
    /// Started by the engine on the new stream named by `DocumentationChangeDecided`.
    CreateIndexCopy {
        announcement_id: Uuid,
        number: String,
        source: Box<super::Announcement>,
    },

    /// The customer approved a changed plan item: the engine relays its new data to the draft's
    /// lot (§4.2.3 C2, L1864–1880).
    RefreshLotFromPlan {
        source: LotSource,
    },

    // Discussion of the documentation (§4.2.2).
    SubmitDiscussionRequest {
        request_id: DiscussionRequestId,
        subject: String,
        text: String,
    },
    AnswerDiscussionRequest {
        request_id: DiscussionRequestId,
        decision: DiscussionDecision,
        text: Option<String>,
    },
    EditDiscussionAnswer {
        request_id: DiscussionRequestId,
        decision: DiscussionDecision,
        text: Option<String>,
    },
    /// «Завершить обсуждение документации» with the representatives who will sign.
    CompleteDiscussion {
        signers: Vec<Person>,
    },
    FormDiscussionProtocol,
    DeleteDiscussionProtocol,
    /// The end of acceptance, entered in «Протоколы» once the discussion protocol without
    /// execution of a notice is signed (000-D S17, L12269–12299).
    EnterAcceptanceEnd {
        end: DateTime<Utc>,
    },

    // Timed transitions, fired by the engine's scheduler from `deadlines()`.
    EndDiscussion,
    StartAcceptance,
    EndAcceptance,
    EndSupplementPeriod,
    /// The auction's start instant (spec 000-B P5, L5572–5574).
    StartAuction,
    /// The bidding stream's end, brought by the results workflow (spec 000-B P7).
    CompleteAuction {
        ended: crate::bidding::AuctionBiddingEnded,
    },

    /// Notices, objections and the four directions (spec 000-D §4).
    CameraControl(crate::camera_control::CameraControlCommand),

    // Applications and price offers (§4.2.4, §4.3).
    /// The automatic single source (spec 000-C A1): started by the engine's workflow for the
    /// failed ЗЦП's creator on the new stream, created and published in one decision.
    CreateSingleSource {
        announcement_id: Uuid,
        number: String,
        source: Box<super::Announcement>,
        supplier_bin: Bin,
    },
    /// The workflow's last step, on the failed ЗЦП (spec 000-C A1–A2).
    RecordSingleSource {
        single_source_announcement_id: Uuid,
        supplier_bin: Bin,
    },
    /// A failure's, a maintenance window's or force majeure's measures on this procedure's
    /// deadlines (spec 001-004 §4.2, §4.4), brought by the engine's workflow.
    ExtendDeadlines {
        cause: crate::procedure::extensions::ExtensionCause,
    },
    /// «Вскрыть закупку» by a single source's creator before the end (spec 000-C O3).
    OpenApplications,
    /// «Отказ от участия» by a single source's invited supplier (spec 000-C O2).
    RefuseParticipation,
    SubmitApplication {
        application_id: ApplicationId,
        offers: Vec<LotOffer>,
    },
    WithdrawApplication {
        application_id: ApplicationId,
    },
    SupplementApplication {
        application_id: ApplicationId,
        plan_item_ids: Vec<PlanItemId>,
        documents: Vec<FileRef>,
    },

    // Voting (§7).
    CastVote {
        application_id: ApplicationId,
        ballot: Ballot,
    },
    WithdrawVote {
        application_id: ApplicationId,
    },
    CompleteVoting,
    ReopenVoting,

    // Protocols (§6).
    FormPreliminaryAdmissionProtocol,
    /// The auction's «Сформировать протокол допуска» (spec 000-B P1, L5504–5506).
    FormAdmissionProtocol,
    FormResultsProtocol,
    /// In a results revision, the new results protocol before its publication, even signed
    /// (spec 000-D §4.1 R9, L10500–10512).
    DeleteResultsProtocol,
    SignProtocol {
        kind: ProtocolKind,
        version: u32,
        signer_iin: Iin,
        content_sha256: String,
        dissent: Option<FileRef>,
        /// Set by the engine once it has verified the signature (decision 0401); a command
        /// without it is refused (`signature_required`).
        proof: Option<SignatureProof>,
    },
    RecordSignatureAbsence {
        kind: ProtocolKind,
        version: u32,
        member_iin: Iin,
        file: FileRef,
    },
    AttachExpertOpinion {
        kind: ProtocolKind,
        file: FileRef,
    },
    PublishProtocol {
        kind: ProtocolKind,
    },

    /// «Добавить данные» in «Данные о запросах ЧКК» (L2939–3079).
    RecordCommissionQuery {
        query: CommissionQuery,
    },

    // Conditional discounts (§8.1).
    FillConditionalDiscounts {
        plan_item_id: PlanItemId,
        entries: Vec<(ApplicationId, DiscountForm)>,
    },
    CompleteConditionalDiscounts,
    /// «Ввести данные» / «Редактировать данные» (spec 000-C B6–B7).
    EnterResultsData {
        results: EnteredResults,
    },
    /// «Сведения о квалификации» → «Сохранить» (spec 000-C Q8, L10042–10110).
    FillQualificationInfo {
        application_id: ApplicationId,
        rows: Vec<QualificationRowInput>,
    },

    // Acts and changes (§4.4–§4.8).
    Suspend {
        act: GroundingAct,
    },
    Resume {
        act: GroundingAct,
    },
    CancelLots {
        plan_item_ids: Vec<PlanItemId>,
        act: GroundingAct,
    },
    /// «Отказ от закупки» by the customer of the lots (§4.9).
    RefuseProcurement {
        plan_item_ids: Vec<PlanItemId>,
        reason: String,
        document: FileRef,
    },
    ChangeCommission {
        commission: Commission,
        decision: ChangeDecision,
    },
    /// The two facts of «Сотрудники организации» come from the participant registry
    /// (`participant-<БИН>`), looked up by the server when the command arrives, never from the
    /// client (docs/decisions/0823).
    ChangeCreator {
        new_creator_iin: Iin,
        creator_blocked: bool,
        /// The new creator is an employee of the organisation and not blocked.
        new_creator_active: bool,
    },
    ChangeRepresentatives {
        organizer_representative: Person,
        customer_representative: Person,
    },
    /// The contract process reports a contract draft on a lot: it blocks cancellation
    /// (L598–600, L3341–3343).
    RecordLotContractDraft {
        plan_item_id: PlanItemId,
        contract_id: Uuid,
    },
    RecordLotContractDeleted {
        plan_item_id: PlanItemId,
    },
    /// The customer records that the lot's winner evaded the contract (decision 0853).
    RecordContractEvasion {
        plan_item_id: PlanItemId,
        grounds: String,
    },
}

/// The staff of the procurement: the organizer's employees and the customer's (a commission
/// member or a representative is named by ИИН on the announcement, and is one of them).
const STAFF: &[Role] = &[Role::Organizer, Role::Customer];
/// Everyone but a supplier: the camera-control commands check their own actors (the inspector,
/// the Committee, the organizer's employees, the portal), none of them a supplier's.
const NOT_SUPPLIER: &[Role] = &[
    Role::Organizer,
    Role::Customer,
    Role::OrgAdmin,
    Role::Inspector,
    Role::AuditCommittee,
    Role::System,
];

/// The organisation an actor must belong to, besides holding a permitted role
/// (`AnnouncementCommand::acting_organisation`, docs/decisions/0674).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActingOrganisation {
    /// The organizer's: drafting, the secretary's commands, the creator's, the administrator's.
    Organizer,
    /// The organizer's or a lot's customer: the secretary and the two representatives
    /// (L1614–1616).
    OrganizerOrCustomer,
    /// A lot's customer; which lots, the command's own rule says.
    Customer,
    /// Any supplier; its own application, the command's own rule says.
    Supplier,
    /// A commission member (chairman, member), named by ИИН, may come from another organisation
    /// (seed 000 L13066–13068); the secretary's part is checked where it acts.
    CommissionMember,
    /// The portal's timed transitions.
    Portal,
    /// Camera control checks its own actors (the inspector, the Committee, the organizer's
    /// employees, the portal).
    CameraControl,
}

impl AnnouncementCommand {
    /// The portal roles that may issue the command at all, before any check by ИИН: a person
    /// named on the announcement (a commission member, a representative) acts only through a
    /// token of one of these roles, so a supplier's token carrying a member's ИИН votes nothing
    /// (issue 26 item 3, docs/decisions/0630). One match with no wildcard: a new command must
    /// say who may issue it.
    pub fn permitted_roles(&self) -> &'static [Role] {
        use AnnouncementCommand as C;
        match self {
            C::CreateDraft { .. }
            | C::CreateIndexCopy { .. }
            | C::UpdateHeader { .. }
            | C::AddLots { .. }
            | C::RemoveLots { .. }
            | C::SetLotTerms { .. }
            | C::AttachTechnicalSpecification { .. }
            | C::RemoveTechnicalSpecification { .. }
            | C::SetRepresentatives { .. }
            | C::SetCommission { .. }
            | C::SetPublicationPlaces { .. }
            | C::SignTenderDocumentation { .. }
            | C::ApproveContractDraft { .. }
            | C::RevokeContractDraft
            | C::SetSingleSourceTerms { .. }
            | C::SetAcceptanceDates { .. }
            | C::Publish
            | C::DeleteDraft
            | C::EditDiscussionAnswer { .. }
            | C::CompleteDiscussion { .. }
            | C::FormDiscussionProtocol
            | C::DeleteDiscussionProtocol
            | C::EnterAcceptanceEnd { .. }
            | C::CompleteVoting
            | C::ReopenVoting
            | C::FormPreliminaryAdmissionProtocol
            | C::FormAdmissionProtocol
            | C::FormResultsProtocol
            | C::DeleteResultsProtocol
            | C::RecordSignatureAbsence { .. }
            | C::AttachExpertOpinion { .. }
            | C::PublishProtocol { .. }
            | C::RecordCommissionQuery { .. }
            | C::FillConditionalDiscounts { .. }
            | C::CompleteConditionalDiscounts
            | C::EnterResultsData { .. }
            | C::FillQualificationInfo { .. }
            | C::Suspend { .. }
            | C::Resume { .. }
            | C::CancelLots { .. }
            | C::ChangeRepresentatives { .. }
            | C::CreateSingleSource { .. }
            | C::OpenApplications => &[Role::Organizer],
            C::RefreshLotFromPlan { .. }
            | C::EndDiscussion
            | C::StartAcceptance
            | C::EndAcceptance
            | C::EndSupplementPeriod
            | C::StartAuction
            | C::RecordSingleSource { .. }
            | C::ExtendDeadlines { .. }
            | C::CompleteAuction { .. } => &[Role::System],
            C::SubmitDiscussionRequest { .. }
            | C::SubmitApplication { .. }
            | C::RefuseParticipation
            | C::WithdrawApplication { .. }
            | C::SupplementApplication { .. } => &[Role::Supplier],
            C::AnswerDiscussionRequest { .. }
            | C::CastVote { .. }
            | C::WithdrawVote { .. }
            | C::SignProtocol { .. }
            | C::ChangeCommission { .. } => STAFF,
            C::RefuseProcurement { .. }
            | C::RecordLotContractDraft { .. }
            | C::RecordLotContractDeleted { .. }
            | C::RecordContractEvasion { .. } => &[Role::Customer],
            C::ChangeCreator { .. } => &[Role::OrgAdmin],
            C::CameraControl(_) => NOT_SUPPLIER,
        }
    }

    /// Which organisation a token of a permitted role must belong to (issue 26 item 3,
    /// docs/decisions/0674): the role says what a user may do at all, the organisation on whose
    /// procurement. One match with no wildcard, like `permitted_roles`.
    pub fn acting_organisation(&self) -> ActingOrganisation {
        use ActingOrganisation as O;
        use AnnouncementCommand as C;
        match self {
            C::CreateDraft { .. }
            | C::CreateIndexCopy { .. }
            | C::UpdateHeader { .. }
            | C::AddLots { .. }
            | C::RemoveLots { .. }
            | C::SetLotTerms { .. }
            | C::AttachTechnicalSpecification { .. }
            | C::RemoveTechnicalSpecification { .. }
            | C::SetRepresentatives { .. }
            | C::SetCommission { .. }
            | C::SetPublicationPlaces { .. }
            | C::SignTenderDocumentation { .. }
            | C::ApproveContractDraft { .. }
            | C::RevokeContractDraft
            | C::SetSingleSourceTerms { .. }
            | C::SetAcceptanceDates { .. }
            | C::Publish
            | C::DeleteDraft
            | C::EditDiscussionAnswer { .. }
            | C::CompleteDiscussion { .. }
            | C::FormDiscussionProtocol
            | C::DeleteDiscussionProtocol
            | C::EnterAcceptanceEnd { .. }
            | C::CompleteVoting
            | C::ReopenVoting
            | C::FormPreliminaryAdmissionProtocol
            | C::FormAdmissionProtocol
            | C::FormResultsProtocol
            | C::DeleteResultsProtocol
            | C::RecordSignatureAbsence { .. }
            | C::AttachExpertOpinion { .. }
            | C::PublishProtocol { .. }
            | C::RecordCommissionQuery { .. }
            | C::FillConditionalDiscounts { .. }
            | C::CompleteConditionalDiscounts
            | C::EnterResultsData { .. }
            | C::FillQualificationInfo { .. }
            | C::Suspend { .. }
            | C::Resume { .. }
            | C::CancelLots { .. }
            | C::ChangeRepresentatives { .. }
            | C::CreateSingleSource { .. }
            | C::OpenApplications
            | C::ChangeCreator { .. } => O::Organizer,
            C::AnswerDiscussionRequest { .. } => O::OrganizerOrCustomer,
            C::RefuseProcurement { .. }
            | C::RecordLotContractDraft { .. }
            | C::RecordLotContractDeleted { .. }
            | C::RecordContractEvasion { .. } => O::Customer,
            C::SubmitDiscussionRequest { .. }
            | C::SubmitApplication { .. }
            | C::RefuseParticipation
            | C::WithdrawApplication { .. }
            | C::SupplementApplication { .. } => O::Supplier,
            C::CastVote { .. }
            | C::WithdrawVote { .. }
            | C::SignProtocol { .. }
            | C::ChangeCommission { .. } => O::CommissionMember,
            C::RefreshLotFromPlan { .. }
            | C::EndDiscussion
            | C::StartAcceptance
            | C::EndAcceptance
            | C::EndSupplementPeriod
            | C::StartAuction
            | C::RecordSingleSource { .. }
            | C::ExtendDeadlines { .. }
            | C::CompleteAuction { .. } => O::Portal,
            C::CameraControl(_) => O::CameraControl,
        }
    }
}
