//! The PPP competition's mutations (spec 002-003 part B, decision 0910): the wizard W1–W13, the
//! publication, the chat, conclusions, the contract and completion. Each sends one command to
//! `competition-<id>`; the aggregate decides who may (role and organisation) and what is valid.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::competition::{
    Competition, CompetitionCommand as C, ConclusionKind as DomainKind, PppMethod as DomainMethod,
    Project,
};
use zakup_domain::ident::{IdKind, ParticipantId};
use zakup_domain::kernel::file::FileRef;

use super::input::FileRefInput;
use super::{CommandOutcome, meta};
use crate::page::app;
use crate::refusal;

/// «Жеке серіктесті анықтау әдісі».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::competition::PppMethod",
    rename_items = "snake_case"
)]
pub enum PppMethod {
    /// «Тікелей келіссөздер».
    DirectNegotiations,
}

/// «Оң қорытынды» / «Теріс қорытынды».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::competition::ConclusionKind",
    rename_items = "snake_case"
)]
pub enum ConclusionKind {
    Positive,
    Negative,
}

/// The form «Жобаны құру» (W4): every field at most 1000 characters.
#[derive(InputObject, Debug)]
pub struct CompetitionProjectInput {
    pub name_kk: String,
    pub name_ru: String,
    pub name_en: Option<String>,
    pub short_description: String,
    pub goals_and_tasks: String,
    pub main_tech_economic_params: String,
    pub main_efficiency_criteria: String,
    pub planned_implementation_terms: String,
}

/// A project initiator (W8).
#[derive(InputObject, Debug)]
pub struct CompetitionInitiatorInput {
    pub initiator_id: Uuid,
    /// The registered user picked in «Пайдаланушыны таңдау» (ИИН), notified of the chat.
    pub user_iin: Option<String>,
    /// «Әлеуетті жеке серіктес*»: ЖСН/БСН; empty is refused `missing_field`.
    pub private_partner: String,
    pub representative: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Default)]
pub struct CompetitionMutation;

#[Object]
impl CompetitionMutation {
    /// W1–W2: «Конкурс құру» → «Келесі»: the draft in «Жоба».
    // A GraphQL field's arguments, one per form field.
    #[allow(clippy::too_many_arguments)]
    async fn create_competition(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        method: Option<PppMethod>,
        name_kk: String,
        name_ru: String,
        name_en: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::CreateDraft {
            competition_id,
            method: method.map(DomainMethod::from),
            name_kk,
            name_ru,
            name_en,
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// W3: edit the draft's general data.
    // A GraphQL field's arguments, one per form field.
    #[allow(clippy::too_many_arguments)]
    async fn edit_competition_general(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        method: Option<PppMethod>,
        name_kk: String,
        name_ru: String,
        name_en: Option<String>,
    ) -> Result<CommandOutcome> {
        let command = C::EditGeneral {
            method: method.map(DomainMethod::from),
            name_kk,
            name_ru,
            name_en,
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// W3: delete the draft.
    async fn delete_competition_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
    ) -> Result<CommandOutcome> {
        run(ctx, command_id, competition_id, C::DeleteDraft).await
    }

    /// W4: the project (the lot).
    async fn save_competition_project(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        project: CompetitionProjectInput,
    ) -> Result<CommandOutcome> {
        let p = project;
        let project = Project {
            name_kk: p.name_kk,
            name_ru: p.name_ru,
            name_en: p.name_en,
            short_description: p.short_description,
            goals_and_tasks: p.goals_and_tasks,
            main_tech_economic_params: p.main_tech_economic_params,
            main_efficiency_criteria: p.main_efficiency_criteria,
            planned_implementation_terms: p.planned_implementation_terms,
        };
        run(ctx, command_id, competition_id, C::SaveProject(project)).await
    }

    /// W5–W6: the state partner by БИН and its representative (an employee with the role
    /// «Басшы», who confirms, decision 0911). Empty strings are refused `missing_field`.
    async fn set_competition_state_partner(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        responsible_contact: String,
        bin: String,
        representative_iin: String,
    ) -> Result<CommandOutcome> {
        let bin = optional(&bin, super::bin)?;
        let representative_iin = optional(&representative_iin, super::iin)?;
        let command = C::SetStatePartner {
            responsible_contact,
            bin,
            representative_iin,
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// The named representative confirms being the state partner's «Басшы» (decision 0911).
    async fn confirm_competition_state_partner(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
    ) -> Result<CommandOutcome> {
        run(ctx, command_id, competition_id, C::ConfirmStatePartner).await
    }

    /// W7: the lot saved in «Жоба».
    async fn save_competition_lot(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
    ) -> Result<CommandOutcome> {
        run(ctx, command_id, competition_id, C::SaveLot).await
    }

    /// W8: add or edit an initiator.
    async fn save_competition_initiator(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        initiator: CompetitionInitiatorInput,
    ) -> Result<CommandOutcome> {
        let i = initiator;
        let user_iin = match i.user_iin.as_deref() {
            Some(raw) => optional(raw, super::iin)?,
            None => None,
        };
        let private_partner = optional(&i.private_partner, |raw| {
            raw.parse::<ParticipantId>()
                .map_err(|e| refusal::domain(&e.into_domain(IdKind::Participant)))
        })?;
        let command = C::SaveInitiator {
            initiator_id: i.initiator_id,
            user_iin,
            private_partner,
            representative: i.representative,
            position: i.position,
            phone: i.phone,
            email: i.email,
        };
        run(ctx, command_id, competition_id, command).await
    }

    async fn remove_competition_initiator(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        initiator_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::RemoveInitiator { initiator_id };
        run(ctx, command_id, competition_id, command).await
    }

    /// W10: a regulation by its Russian and Kazakh names.
    async fn add_competition_regulation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        regulation_id: Uuid,
        name_ru: String,
        name_kk: String,
    ) -> Result<CommandOutcome> {
        let command = C::AddRegulation {
            regulation_id,
            name_ru,
            name_kk,
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// W11: the regulation's mandatory file.
    async fn attach_competition_regulation_file(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        regulation_id: Uuid,
        file: FileRefInput,
    ) -> Result<CommandOutcome> {
        let command = C::AttachRegulationFile {
            regulation_id,
            file: file_ref(file),
        };
        run(ctx, command_id, competition_id, command).await
    }

    async fn remove_competition_regulation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        regulation_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::RemoveRegulation { regulation_id };
        run(ctx, command_id, competition_id, command).await
    }

    /// W13: the discussion's dates.
    async fn set_competition_discussion_period(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<CommandOutcome> {
        let command = C::SetDiscussionPeriod { start, end };
        run(ctx, command_id, competition_id, command).await
    }

    /// C1–C2: «Жариялау».
    async fn publish_competition(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
    ) -> Result<CommandOutcome> {
        run(ctx, command_id, competition_id, C::Publish).await
    }

    /// C4: «Хабарлама жіберу», any signed-in user; `warningAcknowledged` says the warning of
    /// §9.7 (`CompetitionDiscussion.warningKk`) was shown and accepted.
    async fn post_competition_message(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        message_id: Uuid,
        text: String,
        warning_acknowledged: bool,
    ) -> Result<CommandOutcome> {
        let command = C::PostMessage {
            message_id,
            text,
            warning_acknowledged,
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// C5: always refused `message_immutable`; offered so that a client learns it from the rules.
    async fn edit_competition_message(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        message_id: Uuid,
        text: String,
    ) -> Result<CommandOutcome> {
        let command = C::EditMessage { message_id, text };
        run(ctx, command_id, competition_id, command).await
    }

    /// C5: always refused `message_immutable`.
    async fn delete_competition_message(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        message_id: Uuid,
    ) -> Result<CommandOutcome> {
        let command = C::DeleteMessage { message_id };
        run(ctx, command_id, competition_id, command).await
    }

    /// C6–C7: «Қорытындыны бастау».
    // A GraphQL field's arguments, one per form field.
    #[allow(clippy::too_many_arguments)]
    async fn initiate_competition_conclusion(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        conclusion_id: Uuid,
        kind: ConclusionKind,
        justification: String,
        attachment: Option<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let command = C::InitiateConclusion {
            conclusion_id,
            kind: DomainKind::from(kind),
            justification,
            attachment: attachment.map(file_ref),
        };
        run(ctx, command_id, competition_id, command).await
    }

    /// C8: the draft contract agreed; starts the 90-calendar-day counter.
    async fn agree_competition_contract(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        info: String,
    ) -> Result<CommandOutcome> {
        run(ctx, command_id, competition_id, C::AgreeContract { info }).await
    }

    /// C9–C10: «Конкурсты аяқтау», with the results protocol.
    async fn complete_competition(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        competition_id: Uuid,
        justification: String,
        attachment: Option<FileRefInput>,
    ) -> Result<CommandOutcome> {
        let command = C::Complete {
            justification,
            attachment: attachment.map(file_ref),
        };
        run(ctx, command_id, competition_id, command).await
    }
}

fn file_ref(f: FileRefInput) -> FileRef {
    FileRef {
        file_id: f.file_id,
        name: f.name,
    }
}

/// A blank field is the domain's `missing_field`, not a malformed number.
fn optional<T>(raw: &str, parse: impl Fn(&str) -> Result<T>) -> Result<Option<T>> {
    let raw = raw.trim();
    if raw.is_empty() {
        Ok(None)
    } else {
        parse(raw).map(Some)
    }
}

async fn run(
    ctx: &Context<'_>,
    command_id: Uuid,
    competition_id: Uuid,
    command: C,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<Competition>(&competition_id.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
