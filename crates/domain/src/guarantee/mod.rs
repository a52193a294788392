//! Electronic bank guarantees («Электронные банковские гарантии», spec 000-D §3, seed
//! L10518–10838): one stream per guarantee, `guarantee-<uuid>`, linked to the announcement, its
//! lots and the supplier. The beneficiary asks the bank to hold (pay out) or to return (annul)
//! the guarantee on some of its lots (G1–G4, G7–G10); the bank's employees confirm or refuse
//! (G5, G6, G11, G12). Each lot keeps its own status; the guarantee's is derived from them and
//! from the request pending at the bank (§4.2's table, decision 0852).

mod decide;
pub mod event;
pub mod facts;
mod outcome;
pub mod refusal;

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use decide::GuaranteeCommand;
pub use event::*;
pub use facts::{LotFacts, ProcedureFacts};

use crate::actor::Context;
use crate::error::DomainError;
use crate::kernel::Decider;
use crate::kernel::term::portal_terms;
use crate::plan_item::PlanItemId;

portal_terms! {
    /// «Тип БГ» (L10636–10638).
    GuaranteeKind {
        ContractSecurity => "contract_security", "Обеспечение договора";
        ApplicationSecurity => "application_security", "Обеспечение заявки";
    }
}

portal_terms! {
    /// «Статус БГ» (spec §3.10).
    GuaranteeStatus {
        Active => "active", "Действует";
        HoldPendingBank => "hold_pending_bank", "Удержание (на подтверждении в банке)";
        Held => "held", "Удержано";
        ReturnPendingBank => "return_pending_bank", "Возврат (на подтверждении в банке)";
        /// Every lot annulled: the seed names no status (§9.6 item 12; decision 0852).
        Returned => "returned", "Возвращено (аннулировано)";
        Executed => "executed", "Исполнено";
    }
}

portal_terms! {
    /// A lot's status within the guarantee (L10744–10752, L10830–10838).
    GuaranteeLotStatus {
        Active => "active", "Действует";
        Held => "held", "Удержано";
        /// L10830–10832 says «Удержано» after a confirmed return: a copy-paste slip (§9.6 item 5).
        Annulled => "annulled", "Аннулировано";
    }
}

portal_terms! {
    /// What the beneficiary asks of the bank.
    RequestKind {
        /// «Удержать» (G1–G6).
        Hold => "hold", "Удержание";
        /// «Возврат» (G7–G12).
        Return => "return", "Возврат (аннулирование)";
    }
}

portal_terms! {
    /// Why a request was made: by the beneficiary's hand, or started by the procurement's outcome
    /// (decision 0853).
    RequestCause {
        Manual => "manual", "По решению бенефициара";
        ProcedureCompleted => "procedure_completed", "Закупка завершена";
        WinnerEvadedContract => "winner_evaded_contract", "Уклонение победителя от заключения договора";
        Cancelled => "cancelled", "Закупка (лот) отменена";
    }
}

/// A request's form: generated, then signed and pending at the bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub form: GuaranteeRequestFormGenerated,
    pub signed: Option<GuaranteeRequestSigned>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Guarantee {
    pub issued: Option<GuaranteeIssued>,
    pub lots: BTreeMap<PlanItemId, GuaranteeLotStatus>,
    /// The request being prepared or pending at the bank; one at a time, as the guarantee's
    /// status is one (L10730–10732, L10814–10816).
    pub request: Option<Request>,
}

impl Guarantee {
    /// The guarantee's status: a request pending at the bank, else derived from its lots
    /// (spec §4.2, the table after G12).
    pub fn status(&self) -> Option<GuaranteeStatus> {
        self.issued.as_ref()?;
        if let Some(Request {
            form,
            signed: Some(_),
        }) = &self.request
        {
            return Some(match form.request {
                RequestKind::Hold => GuaranteeStatus::HoldPendingBank,
                RequestKind::Return => GuaranteeStatus::ReturnPendingBank,
            });
        }
        Some(lots_status(self.lots.values().copied()))
    }

    /// The lots still active, those a request may name.
    pub fn active_lots(&self) -> impl Iterator<Item = &PlanItemId> {
        self.lots
            .iter()
            .filter(|(_, s)| **s == GuaranteeLotStatus::Active)
            .map(|(id, _)| id)
    }

    /// The request signed and waiting for the bank, if any.
    pub fn pending(&self) -> Option<&GuaranteeRequestFormGenerated> {
        self.request
            .as_ref()
            .filter(|r| r.signed.is_some())
            .map(|r| &r.form)
    }

    pub fn apply(&mut self, event: &GuaranteeEvent) {
        match event {
            GuaranteeEvent::Issued(e) => {
                self.lots = e
                    .lots
                    .iter()
                    .map(|l| (l.plan_item_id.clone(), GuaranteeLotStatus::Active))
                    .collect();
                self.issued = Some(e.clone());
            }
            GuaranteeEvent::FormGenerated(e) => {
                self.request = Some(Request {
                    form: e.clone(),
                    signed: None,
                })
            }
            GuaranteeEvent::Signed(e) => {
                if let Some(request) = &mut self.request {
                    request.signed = Some(e.clone());
                }
            }
            GuaranteeEvent::FormDeleted(_) | GuaranteeEvent::Refused(_) => self.request = None,
            GuaranteeEvent::Confirmed(e) => {
                let status = match e.request {
                    RequestKind::Hold => GuaranteeLotStatus::Held,
                    RequestKind::Return => GuaranteeLotStatus::Annulled,
                };
                for id in &e.plan_item_ids {
                    self.lots.insert(id.clone(), status);
                }
                self.request = None;
            }
        }
    }

    pub fn fold(events: &[GuaranteeEvent]) -> Self {
        let mut g = Guarantee::default();
        events.iter().for_each(|e| g.apply(e));
        g
    }
}

/// The guarantee's status from its lots' (§4.2): any lot active keeps it «Действует» (only the
/// lots' statuses change, L10746–10748, L10832–10834); all held is «Удержано» (L10744); held and
/// annulled lots, none active, «Исполнено» (L10750–10752, L10836–10838); all annulled
/// «Возвращено» (decision 0852).
pub fn lots_status(lots: impl Iterator<Item = GuaranteeLotStatus>) -> GuaranteeStatus {
    let (mut held, mut annulled, mut active) = (false, false, false);
    for status in lots {
        match status {
            GuaranteeLotStatus::Active => active = true,
            GuaranteeLotStatus::Held => held = true,
            GuaranteeLotStatus::Annulled => annulled = true,
        }
    }
    match (active, held, annulled) {
        (true, _, _) | (false, false, false) => GuaranteeStatus::Active,
        (false, true, false) => GuaranteeStatus::Held,
        (false, false, true) => GuaranteeStatus::Returned,
        (false, true, true) => GuaranteeStatus::Executed,
    }
}

impl Decider for Guarantee {
    const CATEGORY: &'static str = "guarantee";
    type Command = GuaranteeCommand;
    type Event = GuaranteeEvent;

    fn initial() -> Self {
        Guarantee::default()
    }

    fn decide(
        &self,
        command: GuaranteeCommand,
        ctx: &Context,
    ) -> Result<Vec<GuaranteeEvent>, DomainError> {
        Guarantee::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &GuaranteeEvent) {
        self.apply(event);
    }
}
