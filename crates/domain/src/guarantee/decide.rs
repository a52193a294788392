//! The guarantee's commands: the bank issues it; the beneficiary prepares, deletes and signs a
//! hold or return form (G1–G4, G7–G10); the bank confirms or refuses (G5, G6, G11, G12); the
//! procurement's outcome starts a request through the engine's workflow (decision 0853).

use std::collections::BTreeSet;

use chrono::NaiveDate;
use uuid::Uuid;

use super::event::*;
use super::{
    Guarantee, GuaranteeKind, ProcedureFacts, Request, RequestCause, RequestKind, refusal,
};
use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::file::FileRef;
use crate::kernel::text;
use crate::money::Money;
use crate::plan_item::PlanItemId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GuaranteeCommand {
    /// «Создать банковскую гарантию» (L10596–10598): by the bank's employee, for its bank.
    Issue {
        guarantee_id: Uuid,
        number: String,
        kind: GuaranteeKind,
        bank_name: String,
        supplier_bin: Bin,
        customer_bin: Bin,
        organizer_bin: Bin,
        amount: Money,
        issued_on: NaiveDate,
        valid_until: NaiveDate,
        announcement_id: Uuid,
        announcement_number: String,
        lots: Vec<GuaranteedLot>,
        contract_number: Option<String>,
    },
    /// «Удержать» / «Возврат», then «Сформировать форму …» (G1–G2, G7–G8): reason required,
    /// documents optional (L10698–10706, L10784–10792).
    GenerateForm {
        request: RequestKind,
        plan_item_ids: Vec<PlanItemId>,
        grounds: String,
        documents: Vec<FileRef>,
        facts: ProcedureFacts,
    },
    /// «Удалить форму» (G3, G9).
    DeleteForm,
    /// Signing the form sends it to the bank (G4, G10).
    Sign,
    /// The bank confirms the transfer or the annulment (G6, G12); `request` is what the bank saw.
    Confirm { request: RequestKind },
    /// The bank refuses, with its reason (G5, G11).
    Refuse {
        request: RequestKind,
        reason: String,
    },
    /// The procurement's outcome asks the bank on the beneficiary's behalf: the form generated
    /// and sent in one step by the portal (decision 0853).
    RequestByProcedure {
        request: RequestKind,
        plan_item_ids: Vec<PlanItemId>,
        cause: RequestCause,
        facts: ProcedureFacts,
    },
}

impl Guarantee {
    pub fn decide(
        &self,
        command: GuaranteeCommand,
        ctx: &Context,
    ) -> Result<Vec<GuaranteeEvent>, DomainError> {
        use GuaranteeCommand as C;
        ctx.require_portal_unblocked(None)?;
        let issued = match (&command, &self.issued) {
            (C::Issue { .. }, None) => return self.issue(command, ctx),
            (C::Issue { .. }, Some(_)) => return Err(refusal::guarantee_exists()),
            (_, None) => return Err(refusal::guarantee_not_found()),
            (_, Some(issued)) => issued,
        };
        let now = ctx.now;
        match command {
            C::Issue { .. } => unreachable!("answered above"),
            C::GenerateForm {
                request,
                plan_item_ids,
                grounds,
                documents,
                facts,
            } => {
                require_beneficiary(issued, ctx)?;
                text::text("grounds", &grounds)?;
                documents.iter().try_for_each(FileRef::validate)?;
                let form = self.form(request, plan_item_ids, &facts, RequestCause::Manual, ctx)?;
                Ok(vec![GuaranteeEvent::FormGenerated(
                    GuaranteeRequestFormGenerated {
                        grounds,
                        documents,
                        ..form
                    },
                )])
            }
            C::DeleteForm => {
                require_beneficiary(issued, ctx)?;
                let form = self.unsigned_form()?;
                Ok(vec![GuaranteeEvent::FormDeleted(
                    GuaranteeRequestFormDeleted {
                        request: form.request,
                        deleted_by: ctx.actor.iin,
                        deleted_at: now,
                    },
                )])
            }
            C::Sign => {
                require_beneficiary(issued, ctx)?;
                let form = self.unsigned_form()?;
                Ok(vec![GuaranteeEvent::Signed(GuaranteeRequestSigned {
                    request: form.request,
                    signed_by: ctx.actor.iin,
                    signed_at: now,
                })])
            }
            C::Confirm { request } => {
                require_bank(issued.bank_bin, ctx)?;
                let form = self.pending_of(request)?;
                Ok(vec![GuaranteeEvent::Confirmed(GuaranteeRequestConfirmed {
                    request,
                    plan_item_ids: form.plan_item_ids.clone(),
                    confirmed_by: ctx.actor.iin,
                    confirmed_at: now,
                })])
            }
            C::Refuse { request, reason } => {
                require_bank(issued.bank_bin, ctx)?;
                self.pending_of(request)?;
                text::text("reason", &reason)?;
                Ok(vec![GuaranteeEvent::Refused(GuaranteeRequestRefused {
                    request,
                    reason,
                    refused_by: ctx.actor.iin,
                    refused_at: now,
                })])
            }
            C::RequestByProcedure {
                request,
                plan_item_ids,
                cause,
                facts,
            } => {
                ctx.actor.require_role(Role::System)?;
                if cause == RequestCause::Manual {
                    return Err(refusal::guarantee_not_beneficiary());
                }
                let form = self.form(request, plan_item_ids, &facts, cause, ctx)?;
                Ok(vec![
                    GuaranteeEvent::FormGenerated(form),
                    GuaranteeEvent::Signed(GuaranteeRequestSigned {
                        request,
                        signed_by: ctx.actor.iin,
                        signed_at: now,
                    }),
                ])
            }
        }
    }

    fn issue(
        &self,
        command: GuaranteeCommand,
        ctx: &Context,
    ) -> Result<Vec<GuaranteeEvent>, DomainError> {
        let GuaranteeCommand::Issue {
            guarantee_id,
            number,
            kind,
            bank_name,
            supplier_bin,
            customer_bin,
            organizer_bin,
            amount,
            issued_on,
            valid_until,
            announcement_id,
            announcement_number,
            lots,
            contract_number,
        } = command
        else {
            unreachable!("called for Issue only");
        };
        // The bank issues for itself: its БИН is the employee's organisation's (L10588–10598).
        require_bank(ctx.actor.org, ctx)?;
        text::number("number", &number)?;
        text::name("bank_name", &bank_name)?;
        text::number("announcement_number", &announcement_number)?;
        if let Some(contract) = &contract_number {
            text::number("contract_number", contract)?;
        }
        let distinct: BTreeSet<_> = lots.iter().map(|l| &l.plan_item_id).collect();
        lots.iter()
            .try_for_each(|l| text::number("lot_number", &l.lot_number))?;
        if lots.is_empty()
            || distinct.len() != lots.len()
            || valid_until < issued_on
            || amount.is_zero()
        {
            return Err(refusal::invalid_guarantee_terms());
        }
        Ok(vec![GuaranteeEvent::Issued(GuaranteeIssued {
            guarantee_id,
            number,
            kind,
            bank_bin: ctx.actor.org,
            bank_name,
            supplier_bin,
            customer_bin,
            organizer_bin,
            amount,
            issued_on,
            valid_until,
            announcement_id,
            announcement_number,
            lots,
            contract_number,
            issued_by: ctx.actor.iin,
            issued_at: ctx.now,
        })])
    }

    /// A new request's form on `lots`, its grounds the cause's wording (a manual form replaces
    /// them with the beneficiary's): the guarantee «Действует» with no other request open
    /// (L10694, L10780: the buttons of an active guarantee), every lot still active in it, and
    /// the procurement's statuses allowing the request.
    fn form(
        &self,
        request: RequestKind,
        plan_item_ids: Vec<PlanItemId>,
        facts: &ProcedureFacts,
        cause: RequestCause,
        ctx: &Context,
    ) -> Result<GuaranteeRequestFormGenerated, DomainError> {
        match &self.request {
            Some(Request { signed: None, .. }) => {
                return Err(refusal::guarantee_request_form_exists());
            }
            Some(Request {
                signed: Some(_), ..
            }) => return Err(refusal::guarantee_not_active()),
            None => {}
        }
        if self.active_lots().next().is_none() {
            return Err(refusal::guarantee_not_active());
        }
        let distinct: BTreeSet<_> = plan_item_ids.iter().collect();
        let all_active = plan_item_ids
            .iter()
            .all(|id| self.active_lots().any(|a| a == id));
        if plan_item_ids.is_empty() || distinct.len() != plan_item_ids.len() || !all_active {
            return Err(refusal::guarantee_lot_not_active());
        }
        facts.allow(request, &plan_item_ids)?;
        Ok(GuaranteeRequestFormGenerated {
            request,
            plan_item_ids,
            grounds: cause.original().to_owned(),
            documents: Vec::new(),
            cause,
            generated_by: ctx.actor.iin,
            generated_at: ctx.now,
        })
    }

    fn unsigned_form(&self) -> Result<&GuaranteeRequestFormGenerated, DomainError> {
        match &self.request {
            None => Err(refusal::guarantee_no_request_form()),
            Some(Request {
                signed: Some(_), ..
            }) => Err(refusal::guarantee_request_signed()),
            Some(Request { form, signed: None }) => Ok(form),
        }
    }

    fn pending_of(
        &self,
        request: RequestKind,
    ) -> Result<&GuaranteeRequestFormGenerated, DomainError> {
        let form = self
            .pending()
            .ok_or_else(refusal::guarantee_no_pending_request)?;
        if form.request != request {
            return Err(refusal::guarantee_wrong_request());
        }
        Ok(form)
    }
}

/// The party in whose favour the guarantee was issued (L10628–10632): the organizer for an
/// application security, the customer for a contract security (spec §1.2's best reading, §9.6
/// item 12; decision 0850).
fn require_beneficiary(issued: &GuaranteeIssued, ctx: &Context) -> Result<(), DomainError> {
    let (role, bin) = match issued.kind {
        GuaranteeKind::ApplicationSecurity => (Role::Organizer, issued.organizer_bin),
        GuaranteeKind::ContractSecurity => (Role::Customer, issued.customer_bin),
    };
    if ctx.actor.has_role(role) && ctx.actor.org == bin {
        Ok(())
    } else {
        Err(refusal::guarantee_not_beneficiary())
    }
}

/// The one place that says who acts for a bank: an employee with the role `bank` of the bank's
/// own organisation. The participants registry will say which employees are «Инициатор БГ» and
/// «Утверждающий БГ» (L10588–10592); until then the role is a token's (decision 0850).
pub fn require_bank(bank_bin: Bin, ctx: &Context) -> Result<(), DomainError> {
    ctx.actor.require_role(Role::Bank)?;
    if ctx.actor.org != bank_bin {
        return Err(refusal::guarantee_foreign_bank());
    }
    Ok(())
}
