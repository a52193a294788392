//! Drafting an announcement, both methods (spec 000-A §4.2.1, §4.3): the header, the
//! representatives, the tender documentation, the contract draft, the acceptance dates, and
//! publication or deletion.

use async_graphql::{Context, Enum, InputObject, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use zakup_domain::announcement::AnnouncementCommand as C;
use zakup_domain::announcement::documents::{
    Approver, ContractClause, ContractDraft, Representatives, RequiredDocument, TenderDocumentation,
};
use zakup_domain::announcement::header::Header;
use zakup_engine::clock::to_micros;

use super::input::{FileRefInput, IntoDomain, PersonInput, field};
use super::{CommandOutcome, announce};

/// «Способ проведения закупки».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::announcement::header::Method",
    rename_items = "snake_case"
)]
pub enum Method {
    PriceQuotations,
    OpenTender,
    Auction,
    SingleSource,
    StateSocialOrder,
    Housing,
    TwoStage,
    Prequalification,
    PriceQuotationsNonGz,
    TenderNonGz,
    QualificationSelection,
}

/// «Тип закупки».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::announcement::header::ProcurementType",
    rename_items = "snake_case"
)]
pub enum ProcurementType {
    First,
    Repeat,
}

/// «Вид предмета закупки».
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::announcement::header::SubjectType",
    rename_items = "snake_case"
)]
pub enum SubjectType {
    Work,
    Service,
    Goods,
}

/// The draft's header (`Header`, spec 000-A §2.3).
#[derive(InputObject, Debug)]
pub struct HeaderInput {
    pub method: Method,
    pub procurement_type: ProcurementType,
    pub subject_type: SubjectType,
    pub name_kk: String,
    pub name_ru: String,
    /// «Закупка среди организаций, созданных общественными объединениями инвалидов».
    pub among_disabled_organizations: bool,
    /// «единый организатор»: raises the commission minimum to 5.
    pub single_organizer: bool,
}

impl IntoDomain for HeaderInput {
    type Domain = Header;
    fn into_domain(self, _at: &str) -> Result<Header> {
        Ok(Header {
            method: self.method.into(),
            procurement_type: self.procurement_type.into(),
            subject_type: self.subject_type.into(),
            name_kk: self.name_kk,
            name_ru: self.name_ru,
            among_disabled_organizations: self.among_disabled_organizations,
            single_organizer: self.single_organizer,
        })
    }
}

/// «Лицо, утверждающее документацию» with its order.
#[derive(InputObject, Debug)]
pub struct ApproverInput {
    pub full_name: String,
    pub order_number: String,
    pub order_date: NaiveDate,
}

/// The representatives and bank accounts of the announcement (`Representatives`, §2.5).
#[derive(InputObject, Debug)]
pub struct RepresentativesInput {
    /// «Срок действия заявки», calendar days.
    pub application_validity_days: u32,
    pub organizer_representative: PersonInput,
    pub customer_representative: PersonInput,
    pub organizer_bank_account: String,
    /// «Банковские реквизиты для обеспечения заявки».
    pub security_bank_account: String,
    pub customer_bank_account: String,
    pub approver: ApproverInput,
}

impl IntoDomain for RepresentativesInput {
    type Domain = Representatives;
    fn into_domain(self, at: &str) -> Result<Representatives> {
        Ok(Representatives {
            application_validity_days: self.application_validity_days,
            organizer_representative: self
                .organizer_representative
                .into_domain(&field(at, "organizerRepresentative"))?,
            customer_representative: self
                .customer_representative
                .into_domain(&field(at, "customerRepresentative"))?,
            organizer_bank_account: self.organizer_bank_account,
            security_bank_account: self.security_bank_account,
            customer_bank_account: self.customer_bank_account,
            approver: Approver {
                full_name: self.approver.full_name,
                order_number: self.approver.order_number,
                order_date: self.approver.order_date,
            },
        })
    }
}

/// A document of the list generated from the Rules, with «обязательность для поставщика».
#[derive(InputObject, Debug)]
pub struct RequiredDocumentInput {
    pub name: String,
    pub obligatory_for_supplier: bool,
}

/// The generated tender documentation and Appendix 1, signed (`TenderDocumentation`, §2.7).
#[derive(InputObject, Debug)]
pub struct TenderDocumentationInput {
    pub documents: Vec<RequiredDocumentInput>,
    pub licences: Vec<String>,
    pub permits: Vec<String>,
    pub signed_documentation: FileRefInput,
    pub signed_appendix1: FileRefInput,
}

impl IntoDomain for TenderDocumentationInput {
    type Domain = TenderDocumentation;
    fn into_domain(self, at: &str) -> Result<TenderDocumentation> {
        let documents = self
            .documents
            .into_iter()
            .map(|d| RequiredDocument {
                name: d.name,
                obligatory_for_supplier: d.obligatory_for_supplier,
            })
            .collect();
        Ok(TenderDocumentation {
            documents,
            licences: self.licences,
            permits: self.permits,
            signed_documentation: self
                .signed_documentation
                .into_domain(&field(at, "signedDocumentation"))?,
            signed_appendix1: self
                .signed_appendix1
                .into_domain(&field(at, "signedAppendix1"))?,
        })
    }
}

/// A clause added to the contract template.
#[derive(InputObject, Debug)]
pub struct ContractClauseInput {
    pub name_kk: String,
    pub name_ru: String,
}

/// The approved and signed contract draft (`ContractDraft`, §2.10).
#[derive(InputObject, Debug)]
pub struct ContractDraftInput {
    pub template: String,
    pub added_clauses: Vec<ContractClauseInput>,
    pub signed_document: FileRefInput,
}

impl IntoDomain for ContractDraftInput {
    type Domain = ContractDraft;
    fn into_domain(self, at: &str) -> Result<ContractDraft> {
        let added_clauses = self
            .added_clauses
            .into_iter()
            .map(|c| ContractClause {
                name_kk: c.name_kk,
                name_ru: c.name_ru,
            })
            .collect();
        Ok(ContractDraft {
            template: self.template,
            added_clauses,
            signed_document: self
                .signed_document
                .into_domain(&field(at, "signedDocument"))?,
        })
    }
}

#[derive(Default)]
pub struct DraftingMutation;

#[Object]
impl DraftingMutation {
    /// «Создать объявление»: a draft with its header.
    async fn create_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        number: String,
        header: HeaderInput,
    ) -> Result<CommandOutcome> {
        let command = C::CreateDraft {
            announcement_id,
            number,
            header: header.into_domain("header")?,
        };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn update_header(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        header: HeaderInput,
    ) -> Result<CommandOutcome> {
        let header = header.into_domain("header")?;
        announce(ctx, command_id, announcement_id, C::UpdateHeader { header }).await
    }

    async fn set_representatives(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        representatives: RepresentativesInput,
    ) -> Result<CommandOutcome> {
        let representatives = representatives.into_domain("representatives")?;
        let command = C::SetRepresentatives { representatives };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn sign_tender_documentation(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        documentation: TenderDocumentationInput,
    ) -> Result<CommandOutcome> {
        let documentation = documentation.into_domain("documentation")?;
        let command = C::SignTenderDocumentation { documentation };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn approve_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        contract_draft: ContractDraftInput,
    ) -> Result<CommandOutcome> {
        let contract_draft = contract_draft.into_domain("contractDraft")?;
        let command = C::ApproveContractDraft { contract_draft };
        announce(ctx, command_id, announcement_id, command).await
    }

    async fn revoke_contract_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::RevokeContractDraft).await
    }

    /// «Предварительный просмотр»: the acceptance window. Instants are kept in microseconds, the
    /// stored precision (docs/decisions/0651), so a deadline never lies between two instants the
    /// engine can reach.
    async fn set_acceptance_dates(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Result<CommandOutcome> {
        let (start, end) = (to_micros(start), to_micros(end));
        announce(
            ctx,
            command_id,
            announcement_id,
            C::SetAcceptanceDates { start, end },
        )
        .await
    }

    async fn publish(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::Publish).await
    }

    async fn delete_draft(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        announcement_id: Uuid,
    ) -> Result<CommandOutcome> {
        announce(ctx, command_id, announcement_id, C::DeleteDraft).await
    }
}
