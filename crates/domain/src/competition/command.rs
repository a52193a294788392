//! What may be asked of a competition. Ids of new things (the competition, an initiator, a
//! regulation, a message, a conclusion) come from the caller, so a retried command names the
//! same thing.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::ident::{Bin, Iin, ParticipantId};
use crate::kernel::file::FileRef;

use super::{ConclusionKind, PppMethod, Project};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompetitionCommand {
    /// W1–W2: «Конкурс құру» → «Келесі».
    CreateDraft {
        competition_id: Uuid,
        method: Option<PppMethod>,
        name_kk: String,
        name_ru: String,
        name_en: Option<String>,
    },
    /// W3: edit the general data of a draft.
    EditGeneral {
        method: Option<PppMethod>,
        name_kk: String,
        name_ru: String,
        name_en: Option<String>,
    },
    /// W3: delete the draft.
    DeleteDraft,
    /// W4: «Жобаны құру» → «Жалғастыру».
    SaveProject(Project),
    /// W5–W6: the state partner by БИН («Табу») and its representative → «Сақтау». An empty БИН
    /// comes as `None`.
    SetStatePartner {
        responsible_contact: String,
        bin: Option<Bin>,
        representative_iin: Option<Iin>,
    },
    /// The named representative confirms being the state partner's «Басшы» (decision 0911).
    ConfirmStatePartner,
    /// W7: «Келесі» on the lot form.
    SaveLot,
    /// W8: add or edit an initiator. An empty ЖСН/БСН comes as `None`.
    SaveInitiator {
        initiator_id: Uuid,
        user_iin: Option<Iin>,
        private_partner: Option<ParticipantId>,
        representative: Option<String>,
        position: Option<String>,
        phone: Option<String>,
        email: Option<String>,
    },
    RemoveInitiator {
        initiator_id: Uuid,
    },
    /// W10.
    AddRegulation {
        regulation_id: Uuid,
        name_ru: String,
        name_kk: String,
    },
    /// W11.
    AttachRegulationFile {
        regulation_id: Uuid,
        file: FileRef,
    },
    RemoveRegulation {
        regulation_id: Uuid,
    },
    /// W13: the discussion's dates.
    SetDiscussionPeriod {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// C1–C2: «Жариялау».
    Publish,
    /// C3: the portal, once the discussion's start has come.
    StartDiscussion,
    /// C4: «Хабарлама жіберу», after the warning of §9.7 was shown and acknowledged.
    PostMessage {
        message_id: Uuid,
        text: String,
        warning_acknowledged: bool,
    },
    /// C5: always refused.
    EditMessage {
        message_id: Uuid,
        text: String,
    },
    /// C5: always refused.
    DeleteMessage {
        message_id: Uuid,
    },
    /// C6–C7: «Қорытындыны бастау».
    InitiateConclusion {
        conclusion_id: Uuid,
        kind: ConclusionKind,
        justification: String,
        attachment: Option<FileRef>,
    },
    /// C8: the draft contract agreed; starts the 90-calendar-day counter.
    AgreeContract {
        info: String,
    },
    /// C9–C10: «Конкурсты аяқтау».
    Complete {
        justification: String,
        attachment: Option<FileRef>,
    },
}
