//! «Профиль участника» and «Сотрудники организации» (spec 002 §9.2 read models), folded from the
//! participant's own stream. Who the employees are and the bank accounts are shown only to the
//! participant's own active employees: names and ИИН are personal data (decision 0671).

use async_graphql::{Context, Object, Result, SimpleObject};
use zakup_domain::participant::{Participant, ParticipantRegistered};
use zakup_store::StreamRange;

use crate::command::{ParticipantKind, Role, RowSource};
use crate::page::{app, viewer};
use crate::refusal;

#[derive(Default)]
pub struct ParticipantQuery;

#[Object]
impl ParticipantQuery {
    /// The participant registered under `iinBin`, null if none.
    async fn participant(
        &self,
        ctx: &Context<'_>,
        iin_bin: String,
    ) -> Result<Option<ParticipantProfile>> {
        let id = crate::command::input::participant("iinBin", &iin_bin)?;
        let state = app(ctx)
            .engine
            .load::<Participant>(&id.to_string(), StreamRange::all())
            .await
            .map_err(|e| refusal::engine(&e))?
            .state;
        Ok(state
            .registration
            .clone()
            .map(|registration| ParticipantProfile {
                registration,
                state,
            }))
    }
}

pub struct ParticipantProfile {
    registration: ParticipantRegistered,
    state: Participant,
}

#[derive(SimpleObject)]
pub struct EmployeeView {
    pub iin: String,
    pub full_name: String,
    pub powers: Vec<Role>,
    pub blocked: bool,
    /// «Причина блокировки».
    pub block_reason: Option<String>,
}

#[derive(SimpleObject)]
pub struct BankAccountView {
    pub account_number: String,
    pub bank: String,
    pub account_type: String,
    /// «КБе», derived from residency and КСЕ (L3364–3368).
    pub kbe: Option<String>,
    pub guarantee_deposit: bool,
    pub default: bool,
    pub old_format: bool,
    pub source: RowSource,
}

impl ParticipantProfile {
    /// Whether the viewer is an active employee of this participant.
    fn own(&self, ctx: &Context<'_>) -> Result<bool> {
        let Some(principal) = viewer(ctx)? else {
            return Ok(false);
        };
        let Ok(actor) = principal.actor() else {
            return Ok(false);
        };
        let ours = self.registration.participant.to_string() == actor.org.to_string();
        Ok(ours && self.state.employee(&actor.iin).is_some_and(|e| e.active()))
    }
}

#[Object]
impl ParticipantProfile {
    async fn iin_bin(&self) -> String {
        self.registration.participant.to_string()
    }

    async fn name(&self) -> &str {
        &self.registration.name
    }

    async fn kind(&self) -> ParticipantKind {
        self.registration.kind.into()
    }

    /// The participant roles it holds now.
    async fn roles(&self) -> Vec<Role> {
        self.state.roles.iter().map(|r| Role::from(*r)).collect()
    }

    /// «Сотрудники организации»: null unless the viewer is one of them.
    async fn employees(&self, ctx: &Context<'_>) -> Result<Option<Vec<EmployeeView>>> {
        if !self.own(ctx)? {
            return Ok(None);
        }
        Ok(Some(
            self.state
                .employees
                .values()
                .map(|e| EmployeeView {
                    iin: e.iin.to_string(),
                    full_name: e.full_name.clone(),
                    powers: e.powers.iter().map(|r| Role::from(*r)).collect(),
                    blocked: !e.active(),
                    block_reason: e.blocked.clone(),
                })
                .collect(),
        ))
    }

    /// «Банковские счета»: null unless the viewer is an employee.
    async fn bank_accounts(&self, ctx: &Context<'_>) -> Result<Option<Vec<BankAccountView>>> {
        if !self.own(ctx)? {
            return Ok(None);
        }
        let kbe = self.state.kbe();
        Ok(Some(
            self.state
                .bank_accounts
                .iter()
                .map(|a| BankAccountView {
                    account_number: a.account_number.clone(),
                    bank: a.bank.clone(),
                    account_type: a.account_type.clone(),
                    kbe: kbe.clone(),
                    guarantee_deposit: a.guarantee_deposit,
                    default: a.default,
                    old_format: a.old_format,
                    source: a.source.into(),
                })
                .collect(),
        ))
    }
}
