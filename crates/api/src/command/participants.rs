//! Registration and access (spec 002 §4.A.5–§4.A.8): the participant, its employees and their
//! powers, its bank accounts, and the requests to register a bank. Each command is decided by
//! the participant's aggregate (`participant-<ИИН/БИН>`) or the request's
//! (`bank_request-<uuid>`).

use std::collections::BTreeSet;

use async_graphql::{Context, Enum, InputObject, Object, Result};
use uuid::Uuid;
use zakup_domain::actor::Role as DomainRole;
use zakup_domain::bank_request::{BankRequest, BankRequestCommand};
use zakup_domain::ident::ParticipantId;
use zakup_domain::participant::{
    AdminCommand, Attributes, BankAccount, Contacts, Head, Participant, ParticipantCommand,
    Registration,
};

use super::input::{IntoDomain, field, iin, participant};
use super::{CommandOutcome, meta, unregistered_meta};
use crate::page::app;
use crate::refusal;

/// A participant role or an employee's power (the envelope's role ids).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "zakup_domain::actor::Role", rename_items = "snake_case")]
pub enum Role {
    Organizer,
    Customer,
    Supplier,
    OrgAdmin,
    Inspector,
    AuditCommittee,
    System,
    Operator,
    Head,
    Bank,
}

/// «ФЛ, ИП, КХ, ЮЛ» (L3208).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::participant::ParticipantKind",
    rename_items = "snake_case"
)]
pub enum ParticipantKind {
    Individual,
    IndividualEntrepreneur,
    PeasantFarm,
    LegalEntity,
}

/// Where a row came from: only manual rows may be deleted (L3392–3394).
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(
    remote = "zakup_domain::participant::RowSource",
    rename_items = "snake_case"
)]
pub enum RowSource {
    Manual,
    Inis,
}

#[derive(InputObject, Debug, Clone)]
pub struct AttributesInput {
    pub kopf: String,
    pub kse: u8,
    pub kfs: Option<String>,
    pub resident: bool,
    pub small_business: bool,
    pub medium_business: bool,
}

impl From<AttributesInput> for Attributes {
    fn from(a: AttributesInput) -> Self {
        Attributes {
            kopf: a.kopf,
            kse: a.kse,
            kfs: a.kfs,
            resident: a.resident,
            small_business: a.small_business,
            medium_business: a.medium_business,
        }
    }
}

#[derive(InputObject, Debug, Clone, Default)]
pub struct ContactsInput {
    pub email: Option<String>,
    pub website: Option<String>,
    pub phones: Option<String>,
    pub address: Option<String>,
}

impl From<ContactsInput> for Contacts {
    fn from(c: ContactsInput) -> Self {
        Contacts {
            email: c.email,
            website: c.website,
            phones: c.phones,
            address: c.address,
        }
    }
}

#[derive(InputObject, Debug, Clone)]
pub struct HeadInput {
    pub iin: String,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub position: String,
}

impl IntoDomain for HeadInput {
    type Domain = Head;
    fn into_domain(self, at: &str) -> Result<Head> {
        Ok(Head {
            iin: iin(&field(at, "iin"), &self.iin)?,
            last_name: self.last_name,
            first_name: self.first_name,
            patronymic: self.patronymic,
            position: self.position,
        })
    }
}

/// «Зарегистрировать участника» (L3223–3332).
#[derive(InputObject, Debug, Clone)]
pub struct RegistrationInput {
    /// «ИИН/БИН»: the organisation's БИН of the token, or the user's own ИИН.
    pub iin_bin: String,
    pub kind: ParticipantKind,
    pub name: String,
    pub attributes: AttributesInput,
    #[graphql(default)]
    pub contacts: ContactsInput,
    pub head: Option<HeadInput>,
    pub supplier: bool,
    pub agreement_signed: bool,
    /// The registering user's name, as its certificate gives it.
    pub full_name: String,
}

#[derive(InputObject, Debug, Clone)]
pub struct BankAccountInput {
    pub account_number: String,
    #[graphql(default)]
    pub old_format: bool,
    pub bank: String,
    pub account_type: String,
    #[graphql(default)]
    pub guarantee_deposit: bool,
    #[graphql(default)]
    pub default: bool,
}

#[derive(Default)]
pub struct ParticipantMutation;

#[Object]
impl ParticipantMutation {
    /// Registers the participant of the caller's certificate; the caller becomes its
    /// administrator (PR1–PR3).
    async fn register_participant(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        registration: RegistrationInput,
    ) -> Result<CommandOutcome> {
        let id = participant("registration.iinBin", &registration.iin_bin)?;
        let form = Registration {
            participant: id,
            kind: registration.kind.into(),
            name: registration.name,
            attributes: registration.attributes.into(),
            contacts: registration.contacts.into(),
            head: registration.head.into_domain("registration.head")?,
            supplier: registration.supplier,
            agreement_signed: registration.agreement_signed,
            full_name: registration.full_name,
        };
        let meta = unregistered_meta(ctx, command_id).await?;
        execute(ctx, &meta, id, ParticipantCommand::Register(Box::new(form))).await
    }

    /// The portal operator grants the reserved participant roles (decision 0821).
    async fn assign_participant_roles(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin_bin: String,
        roles: Vec<Role>,
    ) -> Result<CommandOutcome> {
        let id = participant("iinBin", &iin_bin)?;
        let roles = powers(roles);
        let meta = meta(ctx, command_id).await?;
        execute(ctx, &meta, id, ParticipantCommand::AssignRoles { roles }).await
    }

    /// Adds a user as an employee of the caller's organisation with `powers` (E1).
    async fn add_employee(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        full_name: String,
        powers: Vec<Role>,
    ) -> Result<CommandOutcome> {
        let command = AdminCommand::AddEmployee {
            iin: super::iin(&iin)?,
            full_name,
            powers: self::powers(powers),
        };
        admin(ctx, command_id, command).await
    }

    /// «Редактировать полномочия» (E1).
    async fn change_employee_powers(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        powers: Vec<Role>,
    ) -> Result<CommandOutcome> {
        let command = AdminCommand::ChangePowers {
            iin: super::iin(&iin)?,
            powers: self::powers(powers),
        };
        admin(ctx, command_id, command).await
    }

    /// «Заблокировать сотрудника» with «Причина блокировки» (E2).
    async fn block_employee(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
        reason: String,
    ) -> Result<CommandOutcome> {
        let iin = super::iin(&iin)?;
        admin(ctx, command_id, AdminCommand::BlockEmployee { iin, reason }).await
    }

    async fn unblock_employee(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        iin: String,
    ) -> Result<CommandOutcome> {
        let iin = super::iin(&iin)?;
        admin(ctx, command_id, AdminCommand::UnblockEmployee { iin }).await
    }

    /// E5: e-mail, website, phones (and the address).
    async fn edit_participant_contacts(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        contacts: ContactsInput,
    ) -> Result<CommandOutcome> {
        admin(ctx, command_id, AdminCommand::EditContacts(contacts.into())).await
    }

    /// E6: the attributes; the accounts' КБе follows.
    async fn edit_participant_attributes(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        attributes: AttributesInput,
    ) -> Result<CommandOutcome> {
        let command = AdminCommand::EditAttributes(attributes.into());
        admin(ctx, command_id, command).await
    }

    /// B2: an account entered by hand; its КБе is derived.
    async fn add_bank_account(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        account: BankAccountInput,
    ) -> Result<CommandOutcome> {
        let account = BankAccount {
            account_number: account.account_number,
            old_format: account.old_format,
            bank: account.bank,
            account_type: account.account_type,
            guarantee_deposit: account.guarantee_deposit,
            default: account.default,
            source: zakup_domain::participant::RowSource::Manual,
        };
        admin(ctx, command_id, AdminCommand::AddBankAccount(account)).await
    }

    /// B3: only a manual account.
    async fn delete_bank_account(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        account_number: String,
    ) -> Result<CommandOutcome> {
        let command = AdminCommand::DeleteBankAccount { account_number };
        admin(ctx, command_id, command).await
    }

    /// BR1: «Отправить на утверждение»; `requestId` names the new request.
    async fn submit_bank_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        request_id: Uuid,
        bank_name: String,
        bic: String,
    ) -> Result<CommandOutcome> {
        let command = BankRequestCommand::Submit { bank_name, bic };
        bank_request(ctx, command_id, request_id, command).await
    }

    /// BR2 (the portal's Administrator).
    async fn approve_bank_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        request_id: Uuid,
    ) -> Result<CommandOutcome> {
        bank_request(ctx, command_id, request_id, BankRequestCommand::Approve).await
    }

    /// BR3 (the portal's Administrator), with the reason shown behind «Причина».
    async fn reject_bank_request(
        &self,
        ctx: &Context<'_>,
        command_id: Uuid,
        request_id: Uuid,
        reason: String,
    ) -> Result<CommandOutcome> {
        let command = BankRequestCommand::Reject { reason };
        bank_request(ctx, command_id, request_id, command).await
    }
}

fn powers(roles: Vec<Role>) -> BTreeSet<DomainRole> {
    roles.into_iter().map(DomainRole::from).collect()
}

/// An administrator's command acts on the caller's own organisation (the token's БИН).
async fn admin(
    ctx: &Context<'_>,
    command_id: Uuid,
    command: AdminCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    let id = ParticipantId::Bin(meta.actor.org);
    execute(ctx, &meta, id, ParticipantCommand::Admin(command)).await
}

async fn execute(
    ctx: &Context<'_>,
    meta: &zakup_engine::CommandMeta,
    id: ParticipantId,
    command: ParticipantCommand,
) -> Result<CommandOutcome> {
    app(ctx)
        .engine
        .execute::<Participant>(&id.to_string(), meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}

async fn bank_request(
    ctx: &Context<'_>,
    command_id: Uuid,
    request_id: Uuid,
    command: BankRequestCommand,
) -> Result<CommandOutcome> {
    let meta = meta(ctx, command_id).await?;
    app(ctx)
        .engine
        .execute::<BankRequest>(&request_id.to_string(), &meta, command)
        .await
        .map(CommandOutcome::from)
        .map_err(|e| refusal::engine(&e))
}
