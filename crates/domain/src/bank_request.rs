//! «Заявка на регистрацию нового банка» (spec 002 §2.6, §4.A.7, L3402–3480), one stream per
//! request `bank_request-<uuid>`: a participant's user sends it for approval, the portal's
//! Administrator (the operator, spec §1.2) approves or rejects it with a reason. Approved banks
//! form the bank directory. The request's fields are only in a screenshot (L3422–3432): the bank's
//! name and БИК are what a directory needs, no more is invented.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::kernel::refusal::refusals;
use crate::kernel::term::portal_terms;
use crate::kernel::text;

portal_terms! {
    /// Statuses of a request (spec 002 §3.A, L3457–3475).
    BankRequestStatus {
        PendingApproval => "pending_approval", "На утверждении";
        Approved => "approved", "Утверждено";
        Rejected => "rejected", "Отклонено";
    }
}

pub mod refusal {
    use super::refusals;

    refusals! {
        bank_request_exists => "Заявка уже отправлена", "The request was already sent";
        bank_request_not_found => "Заявка не найдена", "No such request";
        bank_request_not_pending => "Заявка не находится на утверждении", "The request is not pending approval";
        not_portal_administrator => "Заявку утверждает Администратор портала", "Only the portal's Administrator decides on a request";
        rejection_reason_required => "Укажите причину отклонения", "A reason for rejecting is required";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankRegistrationRequested {
    pub bank_name: String,
    /// БИК (the bank's identifier code).
    pub bic: String,
    /// The participant whose «Мои заявки на регистрацию Банка» lists it (L3449–3451).
    pub participant: Bin,
    pub requested_by: crate::ident::Iin,
    pub requested_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankRegistrationApproved {
    pub approved_by: crate::ident::Iin,
    pub approved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BankRegistrationRejected {
    /// Shown through the link «Причина» (L3473–3480).
    pub reason: String,
    pub rejected_by: crate::ident::Iin,
    pub rejected_at: DateTime<Utc>,
}

event_set! {
    pub enum BankRequestEvent {
        Requested(BankRegistrationRequested) = 1,
        Approved(BankRegistrationApproved) = 1,
        Rejected(BankRegistrationRejected) = 1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BankRequestCommand {
    /// BR1: «Отправить на утверждение».
    Submit { bank_name: String, bic: String },
    /// BR2.
    Approve,
    /// BR3.
    Reject { reason: String },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankRequest {
    pub request: Option<BankRegistrationRequested>,
    pub status: Option<BankRequestStatus>,
    pub rejection_reason: Option<String>,
}

impl BankRequest {
    pub fn decide(
        &self,
        command: BankRequestCommand,
        ctx: &Context,
    ) -> Result<Vec<BankRequestEvent>, DomainError> {
        let (by, at) = (ctx.actor.iin, ctx.now);
        match command {
            BankRequestCommand::Submit { bank_name, bic } => {
                if self.request.is_some() {
                    return Err(refusal::bank_request_exists());
                }
                text::name("bank_name", &bank_name)?;
                text::number("bic", &bic)?;
                Ok(vec![BankRequestEvent::Requested(
                    BankRegistrationRequested {
                        bank_name,
                        bic,
                        participant: ctx.actor.org,
                        requested_by: by,
                        requested_at: at,
                    },
                )])
            }
            BankRequestCommand::Approve => {
                self.require_pending_and_administrator(ctx)?;
                Ok(vec![BankRequestEvent::Approved(BankRegistrationApproved {
                    approved_by: by,
                    approved_at: at,
                })])
            }
            BankRequestCommand::Reject { reason } => {
                self.require_pending_and_administrator(ctx)?;
                if reason.trim().is_empty() {
                    return Err(refusal::rejection_reason_required());
                }
                text::text("reason", &reason)?;
                Ok(vec![BankRequestEvent::Rejected(BankRegistrationRejected {
                    reason,
                    rejected_by: by,
                    rejected_at: at,
                })])
            }
        }
    }

    /// No transition leaves `approved` or `rejected` (spec 002 §4.A.7: terminal).
    fn require_pending_and_administrator(&self, ctx: &Context) -> Result<(), DomainError> {
        if !ctx.actor.has_role(Role::Operator) {
            return Err(refusal::not_portal_administrator());
        }
        match self.status {
            None => Err(refusal::bank_request_not_found()),
            Some(BankRequestStatus::PendingApproval) => Ok(()),
            Some(_) => Err(refusal::bank_request_not_pending()),
        }
    }

    pub fn apply(&mut self, event: &BankRequestEvent) {
        match event {
            BankRequestEvent::Requested(e) => {
                self.request = Some(e.clone());
                self.status = Some(BankRequestStatus::PendingApproval);
            }
            BankRequestEvent::Approved(_) => self.status = Some(BankRequestStatus::Approved),
            BankRequestEvent::Rejected(e) => {
                self.status = Some(BankRequestStatus::Rejected);
                self.rejection_reason = Some(e.reason.clone());
            }
        }
    }
}

impl Decider for BankRequest {
    const CATEGORY: &'static str = "bank_request";
    type Command = BankRequestCommand;
    type Event = BankRequestEvent;

    fn initial() -> Self {
        BankRequest::default()
    }

    fn decide(
        &self,
        command: BankRequestCommand,
        ctx: &Context,
    ) -> Result<Vec<BankRequestEvent>, DomainError> {
        BankRequest::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &BankRequestEvent) {
        self.apply(event);
    }
}
