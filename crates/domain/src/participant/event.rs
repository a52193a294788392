//! The participant's facts (spec 002 §9.2, proposed names kept). One payload struct per fact; the
//! struct's name is the stored event type.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::Role;
use crate::ident::{Iin, ParticipantId};
use crate::kernel::event::event_set;
use crate::kernel::term::portal_terms;

portal_terms! {
    /// «ФЛ, ИП, КХ, ЮЛ» (seed 002 L3208).
    ParticipantKind {
        Individual => "individual", "Физическое лицо";
        IndividualEntrepreneur => "individual_entrepreneur", "Индивидуальный предприниматель";
        PeasantFarm => "peasant_farm", "Крестьянское хозяйство";
        LegalEntity => "legal_entity", "Юридическое лицо";
    }
}

portal_terms! {
    /// Where a row came from: only rows entered by hand may be edited or deleted (spec 002 §9.5,
    /// L3392–3394).
    RowSource {
        Manual => "manual", "Введено вручную";
        Inis => "inis", "ИНИС";
    }
}

/// The head of the organisation (fields 20–24 of the form, L3298–3306); not shown for an ИП.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Head {
    pub iin: Iin,
    pub last_name: String,
    pub first_name: String,
    pub patronymic: Option<String>,
    pub position: String,
}

/// The attributes the organisation administrator edits (E6, L3580–3588): fields 9–14 of the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Attributes {
    /// «КОПФ», the legal form (L3273).
    pub kopf: String,
    /// «КСЕ», the sector of the economy: its code gives the 2nd digit of КБе (L3277, L3364–3368).
    pub kse: u8,
    /// «КФС», the form of ownership (L3279); the form's requiredness is in a screenshot.
    pub kfs: Option<String>,
    /// «Резидент Республики Казахстан» (L3283): the 1st digit of КБе.
    pub resident: bool,
    pub small_business: bool,
    pub medium_business: bool,
}

/// The contacts the organisation administrator may change (E5, L3548–3576).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Contacts {
    pub email: Option<String>,
    pub website: Option<String>,
    pub phones: Option<String>,
    /// The organisation's address, one line (the field list of «Контактные данные» is in a
    /// screenshot, L3592–3616).
    pub address: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantRegistered {
    pub participant: ParticipantId,
    pub kind: ParticipantKind,
    /// «Наименование», from the certificate (L3253–3255).
    pub name: String,
    pub attributes: Attributes,
    pub contacts: Contacts,
    pub head: Option<Head>,
    /// The participant roles it took at registration: only «Поставщик» is self-declared
    /// (L3265–3271).
    pub roles: BTreeSet<Role>,
    pub registered_by: Iin,
    pub registered_at: DateTime<Utc>,
}

/// The portal operator grants the reserved participant roles (Организатор, Заказчик, the
/// auditors), docs/decisions/0821.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantRolesAssigned {
    pub roles: BTreeSet<Role>,
    pub assigned_by: Iin,
    pub assigned_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmployeeJoined {
    pub iin: Iin,
    pub full_name: String,
    pub powers: BTreeSet<Role>,
    pub added_by: Iin,
    pub added_at: DateTime<Utc>,
}

/// «Редактировать полномочия» → «Сохранить» (E1, L3491–3535).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmployeePowersChanged {
    pub iin: Iin,
    pub powers: BTreeSet<Role>,
    pub changed_by: Iin,
    pub changed_at: DateTime<Utc>,
}

/// «Заблокировать сотрудника» with «Причина блокировки» (E2, L3525–3527).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmployeeBlocked {
    pub iin: Iin,
    pub reason: String,
    pub blocked_by: Iin,
    pub blocked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmployeeUnblocked {
    pub iin: Iin,
    pub unblocked_by: Iin,
    pub unblocked_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantContactsEdited {
    pub contacts: Contacts,
    pub edited_by: Iin,
    pub edited_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ParticipantAttributesEdited {
    pub attributes: Attributes,
    pub edited_by: Iin,
    pub edited_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankAccount {
    /// «Номер счета», at most 34 characters (L3360).
    pub account_number: String,
    /// «Признак счета старого формата» (L3358).
    pub old_format: bool,
    /// «Наименование банка»: the bank's БИК as the directory names it (L3370–3372).
    pub bank: String,
    /// «Тип счета» (L3378).
    pub account_type: String,
    /// «Счет для гарантийного денежного взноса» (L3386–3388).
    pub guarantee_deposit: bool,
    /// «По-умолчанию»: at most one per participant (best reading, spec 002 §2.5).
    pub default: bool,
    pub source: RowSource,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankAccountAdded {
    pub account: BankAccount,
    /// «КБе», derived, never typed (L3364–3368): recorded as derived when the account was added.
    pub kbe: String,
    pub added_by: Iin,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankAccountDeleted {
    pub account_number: String,
    pub deleted_by: Iin,
    pub deleted_at: DateTime<Utc>,
}

event_set! {
    // Events are built once and folded by reference; boxing the registration would only burden
    // every match on it.
    #[allow(clippy::large_enum_variant)]
    pub enum ParticipantEvent {
        Registered(ParticipantRegistered) = 1,
        RolesAssigned(ParticipantRolesAssigned) = 1,
        EmployeeJoined(EmployeeJoined) = 1,
        PowersChanged(EmployeePowersChanged) = 1,
        EmployeeBlocked(EmployeeBlocked) = 1,
        EmployeeUnblocked(EmployeeUnblocked) = 1,
        ContactsEdited(ParticipantContactsEdited) = 1,
        AttributesEdited(ParticipantAttributesEdited) = 1,
        BankAccountAdded(BankAccountAdded) = 1,
        BankAccountDeleted(BankAccountDeleted) = 1,
    }
}
