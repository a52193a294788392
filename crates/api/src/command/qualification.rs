//! «Отбор на включение в Реестр квалифицированных поставщиков» (spec 000-C §1.11): what only the
//! qualification selection has, «Сведения о квалификации». Its commission, votes (with the
//! `bankruptcy` category of a ballot), requests and protocol are the shared mutations.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::application::ApplicationId;
use zakup_domain::method::qualification_selection::info::QualificationRowInput as Row;

use super::{CommandOutcome, announce};

/// The part of the qualification data a row belongs to.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::method::qualification_selection::QualificationSection",
    rename_items = "snake_case"
)]
pub enum QualificationSection {
    WorkExperience,
    Standards,
}

/// «Подтверждено» / «Не подтверждено».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::method::qualification_selection::QualificationRowDecision",
    rename_items = "snake_case"
)]
pub enum QualificationRowDecision {
    Confirmed,
    NotConfirmed,
}

/// One row of a supplier's qualification data with the secretary's decision; a row left
/// without one is refused (`qualification_row_undecided`).
#[derive(InputObject, Debug)]
pub struct QualificationRowInput {
    pub section: QualificationSection,
    pub description: String,
    pub decision: Option<QualificationRowDecision>,
}

#[derive(Default)]
pub struct QualificationMutation;

#[Object]
impl QualificationMutation {
    /// «Сведения о квалификации» → «Сохранить» for an admitted supplier (the secretary).
    async fn fill_qualification_info(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        application_id: Uuid,
        rows: Vec<QualificationRowInput>,
    ) -> Result<CommandOutcome> {
        let rows = rows
            .into_iter()
            .map(|r| Row {
                section: r.section.into(),
                description: r.description,
                decision: r.decision.map(Into::into),
            })
            .collect();
        let command = C::FillQualificationInfo {
            application_id: ApplicationId(application_id),
            rows,
        };
        announce(ctx, command_id, announcement_id, command).await
    }
}
