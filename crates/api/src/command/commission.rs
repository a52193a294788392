//! The tender commission (spec 000-A §2.6, §4.8): its composition, a change of it on a
//! decision, and the secretary's record of a member's queries during the re-review.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use chrono::NaiveDate;
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::application::ApplicationId;
use zakup_domain::commission::ChangeDecision;
use zakup_domain::commission::{Commission, CommissionQuery, QueryRecipient};

use super::input::{self, FileRefInput, IntoDomain, PersonInput, absent, field, required};
use super::{CommandOutcome, announce};

/// Chairman and members vote and sign; the secretary runs the procedure (`Commission`).
#[derive(InputObject, Debug)]
pub struct CommissionInput {
    pub chairman: PersonInput,
    pub members: Vec<PersonInput>,
    pub secretary: PersonInput,
}

impl IntoDomain for CommissionInput {
    type Domain = Commission;
    fn into_domain(self, at: &str) -> Result<Commission> {
        Ok(Commission {
            chairman: self.chairman.into_domain(&field(at, "chairman"))?,
            members: self.members.into_domain(&field(at, "members"))?,
            secretary: self.secretary.into_domain(&field(at, "secretary"))?,
        })
    }
}

/// The decision behind a change of commission (`ChangeDecision`).
#[derive(InputObject, Debug)]
pub struct ChangeDecisionInput {
    pub number: String,
    pub date: NaiveDate,
    pub file: FileRefInput,
}

impl IntoDomain for ChangeDecisionInput {
    type Domain = ChangeDecision;
    fn into_domain(self, at: &str) -> Result<ChangeDecision> {
        Ok(ChangeDecision {
            number: self.number,
            date: self.date,
            file: self.file.into_domain(&field(at, "file"))?,
        })
    }
}

/// «Запрос отправлен».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(rename_items = "snake_case")]
pub enum QuerySentTo {
    /// One of the suppliers that applied to the lot.
    Supplier,
    /// Another organisation or person, named in both languages.
    OtherParty,
}

/// To whom a member's query went (`QueryRecipient`, tagged by `sentTo`): the `applicationId`
/// of a `supplier`, or the names of an `other_party`.
#[derive(InputObject, Debug)]
pub struct QueryRecipientInput {
    pub sent_to: QuerySentTo,
    pub application_id: Option<Uuid>,
    pub name_kk: Option<String>,
    pub name_ru: Option<String>,
}

impl IntoDomain for QueryRecipientInput {
    type Domain = QueryRecipient;
    fn into_domain(self, at: &str) -> Result<QueryRecipient> {
        match self.sent_to {
            QuerySentTo::Supplier => {
                absent(at, "nameKk", &self.name_kk, "supplier")?;
                absent(at, "nameRu", &self.name_ru, "supplier")?;
                let id = required(at, "applicationId", self.application_id, "supplier")?;
                Ok(QueryRecipient::Supplier {
                    application_id: ApplicationId(id),
                })
            }
            QuerySentTo::OtherParty => {
                let variant = "other_party";
                absent(at, "applicationId", &self.application_id, variant)?;
                Ok(QueryRecipient::OtherParty {
                    name_kk: required(at, "nameKk", self.name_kk, variant)?,
                    name_ru: required(at, "nameRu", self.name_ru, variant)?,
                })
            }
        }
    }
}

/// «Данные о запросах ЧКК»: a member's query for information on a lot (`CommissionQuery`).
#[derive(InputObject, Debug)]
pub struct CommissionQueryInput {
    pub plan_item_id: String,
    pub recipient: QueryRecipientInput,
    pub info_kk: String,
    pub info_ru: String,
    pub sent_on: NaiveDate,
    pub answer_kk: Option<String>,
    pub answer_ru: Option<String>,
}

impl IntoDomain for CommissionQueryInput {
    type Domain = CommissionQuery;
    fn into_domain(self, at: &str) -> Result<CommissionQuery> {
        Ok(CommissionQuery {
            plan_item_id: input::plan_item(&field(at, "planItemId"), &self.plan_item_id)?,
            recipient: self.recipient.into_domain(&field(at, "recipient"))?,
            info_kk: self.info_kk,
            info_ru: self.info_ru,
            sent_on: self.sent_on,
            answer_kk: self.answer_kk,
            answer_ru: self.answer_ru,
        })
    }
}

#[derive(Default)]
pub struct CommissionMutation;

#[Object]
impl CommissionMutation {
    async fn set_commission(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        commission: CommissionInput,
    ) -> Result<CommandOutcome> {
        let commission = commission.into_domain("commission")?;
        let command = C::SetCommission { commission };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// A new composition and the decision behind it.
    async fn change_commission(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        commission: CommissionInput,
        decision: ChangeDecisionInput,
    ) -> Result<CommandOutcome> {
        let command = C::ChangeCommission {
            commission: commission.into_domain("commission")?,
            decision: decision.into_domain("decision")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    /// «Добавить данные» in «Данные о запросах ЧКК».
    async fn record_commission_query(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        query: CommissionQueryInput,
    ) -> Result<CommandOutcome> {
        let query = query.into_domain("query")?;
        let command = C::RecordCommissionQuery { query };
        announce(ctx, command_id, announcement_id, command).await
    }
}
