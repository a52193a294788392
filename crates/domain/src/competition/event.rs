//! The facts of a PPP competition's stream `competition-<id>` (spec 002-003 §9.2). Every type is
//! prefixed `Competition`: stored event types are global names.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ident::{Bin, Iin, ParticipantId};
use crate::kernel::event::event_set;
use crate::kernel::file::FileRef;

use super::{ConclusionKind, PppMethod};

/// W2: the form «Конкурс құру» saved; the competition is «Жоба» (L14–31).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionDraftCreated {
    pub competition_id: Uuid,
    pub method: PppMethod,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub organizer_bin: Bin,
    pub created_by: Iin,
    pub created_at: DateTime<Utc>,
}

/// W3: the general data edited in «Жоба».
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionGeneralEdited {
    pub method: PppMethod,
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
}

/// W3: the draft deleted (L28–29); the stream refuses everything after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionDraftDeleted {
    pub deleted_by: Iin,
    pub deleted_at: DateTime<Utc>,
}

/// The project (the lot), form «Жобаны құру» (W4, L75–139): each field at most 1000 characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Project {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub short_description: String,
    pub goals_and_tasks: String,
    pub main_tech_economic_params: String,
    pub main_efficiency_criteria: String,
    pub planned_implementation_terms: String,
}

/// W4: the project saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionProjectSaved {
    pub project: Project,
}

/// W5–W6: the state partner (L145–203). Its representative is named; whether they are the
/// partner's «Басшы» is confirmed by `CompetitionStatePartnerConfirmed` (docs/decisions/0911).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionStatePartnerSet {
    pub responsible_contact: String,
    pub bin: Bin,
    pub representative_iin: Iin,
}

/// The named representative, an employee of the state partner with the role «Басшы», confirmed
/// being it (docs/decisions/0911).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionStatePartnerConfirmed {
    pub bin: Bin,
    pub representative_iin: Iin,
    pub confirmed_at: DateTime<Utc>,
}

/// W7: «Келесі» on the lot form: the lot saved in «Жоба» (L211–234).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionLotSaved {
    pub saved_at: DateTime<Utc>,
}

/// One project initiator (W8, L236–296).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Initiator {
    pub initiator_id: Uuid,
    /// The registered user picked in «Пайдаланушыны таңдау»: notified of the discussion.
    pub user_iin: Option<Iin>,
    /// «Әлеуетті жеке серіктес*»: the potential private partner's ЖСН/БСН.
    pub private_partner: ParticipantId,
    pub representative: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionInitiatorSaved {
    pub initiator: Initiator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionInitiatorRemoved {
    pub initiator_id: Uuid,
}

/// W10: a regulation listed by its two names (L302–363).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionRegulationAdded {
    pub regulation_id: Uuid,
    pub name_ru: String,
    pub name_kk: String,
}

/// W11: its file attached (L367–368).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionRegulationFileAttached {
    pub regulation_id: Uuid,
    pub file: FileRef,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionRegulationRemoved {
    pub regulation_id: Uuid,
}

/// W13: the discussion's dates (L387–390).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionDiscussionPeriodSet {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// C1–C2: published; `discussion_open` when the start had come (L392–414).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionPublished {
    pub published_at: DateTime<Utc>,
    pub discussion_open: bool,
}

/// C3: the discussion's start reached (a timed event sent by the portal).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionDiscussionStarted {
    pub at: DateTime<Utc>,
}

/// C4: a chat message, immutable (L420–445). The author is named by organisation and user id;
/// their ИИН is kept for the notifications and shown to nobody.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionChatMessagePosted {
    pub message_id: Uuid,
    pub text: String,
    pub author_user_id: String,
    pub author_iin: Iin,
    pub author_bin: Bin,
    pub sent_at: DateTime<Utc>,
}

/// C6–C7: a conclusion initiated (L449–488).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionConclusionInitiated {
    pub conclusion_id: Uuid,
    pub kind: ConclusionKind,
    pub justification: String,
    pub attachment: FileRef,
    pub initiated_by: Iin,
    pub initiated_at: DateTime<Utc>,
}

/// C8: the draft contract agreed; the 90-calendar-day counter runs to `deadline` (L487–491,
/// §8.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionContractAgreed {
    pub info: String,
    pub agreed_by: Iin,
    pub agreed_at: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

/// C9–C10: completed, with the results protocol («қорытындылар туралы хаттама», L499–527).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CompetitionCompleted {
    pub justification: String,
    pub attachment: FileRef,
    pub protocol_id: Uuid,
    pub completed_by: Iin,
    pub completed_at: DateTime<Utc>,
}

event_set! {
    /// What a competition's stream holds.
    pub enum CompetitionEvent {
        DraftCreated(CompetitionDraftCreated) = 1,
        GeneralEdited(CompetitionGeneralEdited) = 1,
        DraftDeleted(CompetitionDraftDeleted) = 1,
        ProjectSaved(CompetitionProjectSaved) = 1,
        StatePartnerSet(CompetitionStatePartnerSet) = 1,
        StatePartnerConfirmed(CompetitionStatePartnerConfirmed) = 1,
        LotSaved(CompetitionLotSaved) = 1,
        InitiatorSaved(CompetitionInitiatorSaved) = 1,
        InitiatorRemoved(CompetitionInitiatorRemoved) = 1,
        RegulationAdded(CompetitionRegulationAdded) = 1,
        RegulationFileAttached(CompetitionRegulationFileAttached) = 1,
        RegulationRemoved(CompetitionRegulationRemoved) = 1,
        DiscussionPeriodSet(CompetitionDiscussionPeriodSet) = 1,
        Published(CompetitionPublished) = 1,
        DiscussionStarted(CompetitionDiscussionStarted) = 1,
        ChatMessagePosted(CompetitionChatMessagePosted) = 1,
        ConclusionInitiated(CompetitionConclusionInitiated) = 1,
        ContractAgreed(CompetitionContractAgreed) = 1,
        Completed(CompetitionCompleted) = 1,
    }
}
