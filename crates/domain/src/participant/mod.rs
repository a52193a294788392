//! The participant of the portal («Участник», spec 002 §2.3–§2.5, §4.A.5–§4.A.8), in its own
//! stream `participant-<ИИН/БИН>`: its registration, attributes, contacts and bank accounts, its
//! employees with their powers, and their blocking. The registry says what a user may do for an
//! organisation; the token says only who the user is (docs/decisions/0820).

mod event;
pub mod refusal;

use std::collections::{BTreeMap, BTreeSet};

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::{Iin, ParticipantId};
use crate::kernel::Decider;
use crate::kernel::text;

pub use event::*;

/// The participant roles (L3265–3271, and the portal's own reading of «Заказчик» and the
/// auditors, docs/decisions/0821). An employee's power is one of these or «Администратор
/// организации».
pub const PARTICIPANT_ROLES: [Role; 5] = [
    Role::Organizer,
    Role::Customer,
    Role::Supplier,
    Role::Inspector,
    Role::AuditCommittee,
];

/// The form of «Зарегистрировать участника» (L3223–3332).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    pub participant: ParticipantId,
    pub kind: ParticipantKind,
    pub name: String,
    pub attributes: Attributes,
    pub contacts: Contacts,
    pub head: Option<Head>,
    /// «Поставщик» ticked (L3269–3271).
    pub supplier: bool,
    /// The participant agreement was signed (L3308–3310, L3324).
    pub agreement_signed: bool,
    /// The registering user's name, as the certificate gives it.
    pub full_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParticipantCommand {
    Register(Box<Registration>),
    /// The portal operator grants reserved roles (PR4).
    AssignRoles {
        roles: BTreeSet<Role>,
    },
    /// What only the participant's organisation administrator does (E1–E9).
    Admin(AdminCommand),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AdminCommand {
    AddEmployee {
        iin: Iin,
        full_name: String,
        powers: BTreeSet<Role>,
    },
    ChangePowers {
        iin: Iin,
        powers: BTreeSet<Role>,
    },
    BlockEmployee {
        iin: Iin,
        reason: String,
    },
    UnblockEmployee {
        iin: Iin,
    },
    EditContacts(Contacts),
    EditAttributes(Attributes),
    AddBankAccount(BankAccount),
    DeleteBankAccount {
        account_number: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub iin: Iin,
    pub full_name: String,
    pub powers: BTreeSet<Role>,
    /// «Причина блокировки» while blocked.
    pub blocked: Option<String>,
}

impl Employee {
    pub fn active(&self) -> bool {
        self.blocked.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Participant {
    pub registration: Option<ParticipantRegistered>,
    pub roles: BTreeSet<Role>,
    pub employees: BTreeMap<Iin, Employee>,
    pub attributes: Option<Attributes>,
    pub contacts: Contacts,
    pub bank_accounts: Vec<BankAccount>,
}

/// «КБе» = the residency digit then the КСЕ digit (spec 002 §8.1, L3364–3368). The seed gives no
/// digit values: 1 resident, 2 non-resident is the banks' practice (docs/decisions/0822).
pub fn kbe(attributes: &Attributes) -> String {
    let residency = if attributes.resident { 1 } else { 2 };
    format!("{residency}{}", attributes.kse)
}

impl Participant {
    pub fn registered(&self) -> bool {
        self.registration.is_some()
    }

    pub fn employee(&self, iin: &Iin) -> Option<&Employee> {
        self.employees.get(iin)
    }

    /// The powers `iin` acts with for this participant now: none when not an employee or
    /// blocked; a power whose participant role was taken away is not held either.
    pub fn powers_of(&self, iin: &Iin) -> BTreeSet<Role> {
        match self.employee(iin) {
            Some(e) if e.active() => e
                .powers
                .iter()
                .copied()
                .filter(|p| *p == Role::OrgAdmin || self.roles.contains(p))
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// The current «КБе» of the participant's accounts (recomputed when the attributes change).
    pub fn kbe(&self) -> Option<String> {
        self.attributes.as_ref().map(kbe)
    }

    pub fn decide(
        &self,
        command: ParticipantCommand,
        ctx: &Context,
    ) -> Result<Vec<ParticipantEvent>, DomainError> {
        let command = match command {
            ParticipantCommand::Register(form) => return self.register(*form, ctx),
            _ if !self.registered() => return Err(refusal::participant_not_registered()),
            ParticipantCommand::AssignRoles { roles } => return self.assign_roles(roles, ctx),
            ParticipantCommand::Admin(command) => command,
        };
        self.require_admin(ctx)?;
        Ok(vec![self.administer(command, ctx)?])
    }

    fn administer(
        &self,
        command: AdminCommand,
        ctx: &Context,
    ) -> Result<ParticipantEvent, DomainError> {
        use AdminCommand as C;
        let (by, at) = (ctx.actor.iin, ctx.now);
        Ok(match command {
            C::AddEmployee {
                iin,
                full_name,
                powers,
            } => {
                if self.employees.contains_key(&iin) {
                    return Err(refusal::employee_already_joined());
                }
                text::name("full_name", &full_name)?;
                self.require_powers(&powers)?;
                ParticipantEvent::EmployeeJoined(EmployeeJoined {
                    iin,
                    full_name,
                    powers,
                    added_by: by,
                    added_at: at,
                })
            }
            C::ChangePowers { iin, powers } => {
                self.existing(&iin)?;
                self.require_powers(&powers)?;
                ParticipantEvent::PowersChanged(EmployeePowersChanged {
                    iin,
                    powers,
                    changed_by: by,
                    changed_at: at,
                })
            }
            C::BlockEmployee { iin, reason } => {
                if !self.existing(&iin)?.active() {
                    return Err(refusal::employee_blocked());
                }
                if reason.trim().is_empty() {
                    return Err(refusal::block_reason_required());
                }
                text::text("reason", &reason)?;
                ParticipantEvent::EmployeeBlocked(EmployeeBlocked {
                    iin,
                    reason,
                    blocked_by: by,
                    blocked_at: at,
                })
            }
            C::UnblockEmployee { iin } => {
                if self.existing(&iin)?.active() {
                    return Err(refusal::employee_not_blocked());
                }
                ParticipantEvent::EmployeeUnblocked(EmployeeUnblocked {
                    iin,
                    unblocked_by: by,
                    unblocked_at: at,
                })
            }
            C::EditContacts(contacts) => {
                validate_contacts(&contacts)?;
                ParticipantEvent::ContactsEdited(ParticipantContactsEdited {
                    contacts,
                    edited_by: by,
                    edited_at: at,
                })
            }
            C::EditAttributes(attributes) => {
                validate_attributes(&attributes)?;
                ParticipantEvent::AttributesEdited(ParticipantAttributesEdited {
                    attributes,
                    edited_by: by,
                    edited_at: at,
                })
            }
            C::AddBankAccount(account) => self.add_account(account, ctx)?,
            C::DeleteBankAccount { account_number } => {
                let account = self
                    .bank_accounts
                    .iter()
                    .find(|a| a.account_number == account_number)
                    .ok_or_else(refusal::bank_account_not_found)?;
                if account.source != RowSource::Manual {
                    return Err(refusal::bank_account_not_manual());
                }
                ParticipantEvent::BankAccountDeleted(BankAccountDeleted {
                    account_number,
                    deleted_by: by,
                    deleted_at: at,
                })
            }
        })
    }

    /// PR1–PR3: the ИИН/БИН is the one in the user's certificate (the organisation's БИН for a
    /// legal entity, the user's own ИИН for an individual); the agreement is signed; the form
    /// passes the ФЛК; the registering user becomes its administrator (best reading of
    /// «соответствующие полномочия», L3316–3320).
    fn register(
        &self,
        form: Registration,
        ctx: &Context,
    ) -> Result<Vec<ParticipantEvent>, DomainError> {
        if self.registered() {
            return Err(refusal::participant_already_registered());
        }
        let own = match form.participant {
            ParticipantId::Bin(bin) => bin == ctx.actor.org,
            ParticipantId::Iin(iin) => iin == ctx.actor.iin,
        };
        if !own {
            return Err(refusal::participant_id_not_in_certificate());
        }
        if !form.agreement_signed {
            return Err(refusal::participant_agreement_not_signed());
        }
        text::name("name", &form.name)?;
        text::name("full_name", &form.full_name)?;
        validate_attributes(&form.attributes)?;
        validate_contacts(&form.contacts)?;
        // Fields 18–24 are not shown for an ИП (L3294–3306, spec §9.4); a legal entity has a head.
        match (&form.head, form.kind) {
            (Some(head), _) => validate_head(head)?,
            (None, ParticipantKind::LegalEntity) => return Err(refusal::head_required()),
            (None, _) => {}
        }
        let roles: BTreeSet<Role> = form
            .supplier
            .then_some(Role::Supplier)
            .into_iter()
            .collect();
        let mut powers = roles.clone();
        powers.insert(Role::OrgAdmin);
        Ok(vec![
            ParticipantEvent::Registered(ParticipantRegistered {
                participant: form.participant,
                kind: form.kind,
                name: form.name,
                attributes: form.attributes,
                contacts: form.contacts,
                head: form.head,
                roles,
                registered_by: ctx.actor.iin,
                registered_at: ctx.now,
            }),
            ParticipantEvent::EmployeeJoined(EmployeeJoined {
                iin: ctx.actor.iin,
                full_name: form.full_name,
                powers,
                added_by: ctx.actor.iin,
                added_at: ctx.now,
            }),
        ])
    }

    fn assign_roles(
        &self,
        roles: BTreeSet<Role>,
        ctx: &Context,
    ) -> Result<Vec<ParticipantEvent>, DomainError> {
        if !ctx.actor.has_role(Role::Operator) {
            return Err(refusal::role_not_self_assignable());
        }
        if roles.iter().any(|r| !PARTICIPANT_ROLES.contains(r)) {
            return Err(refusal::not_a_participant_role());
        }
        Ok(vec![ParticipantEvent::RolesAssigned(
            ParticipantRolesAssigned {
                roles,
                assigned_by: ctx.actor.iin,
                assigned_at: ctx.now,
            },
        )])
    }

    fn add_account(
        &self,
        account: BankAccount,
        ctx: &Context,
    ) -> Result<ParticipantEvent, DomainError> {
        if account.account_number.chars().count() > 34 {
            return Err(refusal::account_number_too_long());
        }
        text::number("account_number", &account.account_number)?;
        text::name("bank", &account.bank)?;
        text::name("account_type", &account.account_type)?;
        if self
            .bank_accounts
            .iter()
            .any(|a| a.account_number == account.account_number)
        {
            return Err(refusal::bank_account_exists());
        }
        let kbe = self.kbe().ok_or_else(refusal::participant_not_registered)?;
        Ok(ParticipantEvent::BankAccountAdded(BankAccountAdded {
            account,
            kbe,
            added_by: ctx.actor.iin,
            added_at: ctx.now,
        }))
    }

    /// E1–E9: only an active employee of this participant holding «Администратор организации».
    fn require_admin(&self, ctx: &Context) -> Result<(), DomainError> {
        let own = self
            .registration
            .as_ref()
            .is_some_and(|r| r.participant == ParticipantId::Bin(ctx.actor.org))
            || self
                .registration
                .as_ref()
                .is_some_and(|r| r.participant == ParticipantId::Iin(ctx.actor.iin));
        if !own || !self.powers_of(&ctx.actor.iin).contains(&Role::OrgAdmin) {
            return Err(refusal::not_org_admin());
        }
        Ok(())
    }

    fn existing(&self, iin: &Iin) -> Result<&Employee, DomainError> {
        self.employees
            .get(iin)
            .ok_or_else(refusal::employee_not_found)
    }

    /// A power is «Администратор организации» or a role the participant holds.
    fn require_powers(&self, powers: &BTreeSet<Role>) -> Result<(), DomainError> {
        if powers
            .iter()
            .any(|p| *p != Role::OrgAdmin && !self.roles.contains(p))
        {
            return Err(refusal::power_not_held_by_participant());
        }
        Ok(())
    }

    pub fn apply(&mut self, event: &ParticipantEvent) {
        match event {
            ParticipantEvent::Registered(e) => {
                self.roles = e.roles.clone();
                self.attributes = Some(e.attributes.clone());
                self.contacts = e.contacts.clone();
                self.registration = Some(e.clone());
            }
            ParticipantEvent::RolesAssigned(e) => {
                // The self-declared «Поставщик» stays unless the operator's list drops it.
                self.roles = e.roles.clone();
            }
            ParticipantEvent::EmployeeJoined(e) => {
                self.employees.insert(
                    e.iin,
                    Employee {
                        iin: e.iin,
                        full_name: e.full_name.clone(),
                        powers: e.powers.clone(),
                        blocked: None,
                    },
                );
            }
            ParticipantEvent::PowersChanged(e) => {
                if let Some(emp) = self.employees.get_mut(&e.iin) {
                    emp.powers = e.powers.clone();
                }
            }
            ParticipantEvent::EmployeeBlocked(e) => {
                if let Some(emp) = self.employees.get_mut(&e.iin) {
                    emp.blocked = Some(e.reason.clone());
                }
            }
            ParticipantEvent::EmployeeUnblocked(e) => {
                if let Some(emp) = self.employees.get_mut(&e.iin) {
                    emp.blocked = None;
                }
            }
            ParticipantEvent::ContactsEdited(e) => self.contacts = e.contacts.clone(),
            ParticipantEvent::AttributesEdited(e) => self.attributes = Some(e.attributes.clone()),
            ParticipantEvent::BankAccountAdded(e) => {
                if e.account.default {
                    for a in &mut self.bank_accounts {
                        a.default = false;
                    }
                }
                self.bank_accounts.push(e.account.clone());
            }
            ParticipantEvent::BankAccountDeleted(e) => self
                .bank_accounts
                .retain(|a| a.account_number != e.account_number),
        }
    }
}

fn validate_attributes(a: &Attributes) -> Result<(), DomainError> {
    text::number("kopf", &a.kopf)?;
    if !(1..=9).contains(&a.kse) {
        return Err(refusal::invalid_kse());
    }
    if let Some(kfs) = &a.kfs {
        text::number("kfs", kfs)?;
    }
    Ok(())
}

fn validate_contacts(c: &Contacts) -> Result<(), DomainError> {
    for (field, value) in [
        ("email", &c.email),
        ("website", &c.website),
        ("phones", &c.phones),
        ("address", &c.address),
    ] {
        if let Some(v) = value {
            text::name(field, v)?;
        }
    }
    Ok(())
}

fn validate_head(h: &Head) -> Result<(), DomainError> {
    text::name("head.last_name", &h.last_name)?;
    text::name("head.first_name", &h.first_name)?;
    text::name("head.position", &h.position)?;
    if let Some(p) = &h.patronymic {
        text::name("head.patronymic", p)?;
    }
    Ok(())
}

impl Decider for Participant {
    const CATEGORY: &'static str = "participant";
    type Command = ParticipantCommand;
    type Event = ParticipantEvent;

    fn initial() -> Self {
        Participant::default()
    }

    fn decide(
        &self,
        command: ParticipantCommand,
        ctx: &Context,
    ) -> Result<Vec<ParticipantEvent>, DomainError> {
        Participant::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &ParticipantEvent) {
        self.apply(event);
    }
}
