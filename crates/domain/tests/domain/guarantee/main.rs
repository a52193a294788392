//! Electronic bank guarantees (spec 000-D §3, seed L10518–10838; G1–G12, S4–S6; decisions
//! 0850–0853): a world of one guarantee stream, decided and folded like the engine does.

mod requests;
mod schemas;
mod statuses;

use chrono::NaiveDate;
use uuid::Uuid;
use zakup_domain::actor::{Actor, Role};
use zakup_domain::error::DomainError;
use zakup_domain::guarantee::{
    Guarantee, GuaranteeCommand as G, GuaranteeEvent, GuaranteeKind, GuaranteeStatus,
    GuaranteedLot, LotFacts, ProcedureFacts, RequestKind,
};
use zakup_domain::money::Money;
use zakup_domain::plan_item::PlanItemId;
use zakup_domain::status::{AnnouncementStatus, LotStatus};

use crate::world::*;

pub fn bank_bin() -> zakup_domain::ident::Bin {
    bin(40)
}

/// An employee of the issuing bank (the token role `bank`, decision 0850).
pub fn bank() -> Actor {
    Actor {
        user_id: "bank".into(),
        iin: iin(40),
        org: bank_bin(),
        roles: vec![Role::Bank],
    }
}

pub fn other_bank() -> Actor {
    Actor {
        org: bin(41),
        ..bank()
    }
}

pub fn issue(kind: GuaranteeKind, lots: u32) -> G {
    G::Issue {
        guarantee_id: Uuid::from_u128(0xB6),
        number: "ЭБГ-2026-0001".into(),
        kind,
        bank_name: "АО «Банк»".into(),
        supplier_bin: supplier(1).org,
        customer_bin: customer_bin(),
        organizer_bin: organizer_bin(),
        amount: Money::from_tenge(150_000),
        issued_on: NaiveDate::from_ymd_opt(2026, 2, 2).unwrap(),
        valid_until: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
        announcement_id: Uuid::from_u128(0x2026),
        announcement_number: "123456-1".into(),
        lots: (1..=lots)
            .map(|n| GuaranteedLot {
                plan_item_id: plan_item(n),
                lot_number: format!("123456-1-{n}"),
            })
            .collect(),
        contract_number: None,
    }
}

/// The procurement as the engine reads it: every lot in `status`, the announcement in `of`.
pub fn facts(of: AnnouncementStatus, status: LotStatus, lots: u32) -> ProcedureFacts {
    ProcedureFacts {
        status: Some(of),
        lots: (1..=lots)
            .map(|n| {
                let facts = LotFacts {
                    status: Some(status),
                    winner_bin: None,
                    evaded: false,
                };
                (plan_item(n), facts)
            })
            .collect(),
    }
}

pub fn completed(lots: u32) -> ProcedureFacts {
    facts(AnnouncementStatus::Completed, LotStatus::Completed, lots)
}

pub fn lots(ns: &[u32]) -> Vec<PlanItemId> {
    ns.iter().copied().map(plan_item).collect()
}

pub fn form(request: RequestKind, ns: &[u32], of: u32) -> G {
    G::GenerateForm {
        request,
        plan_item_ids: lots(ns),
        grounds: "Победитель уклонился от заключения договора".into(),
        documents: vec![file("Письмо")],
        facts: completed(of),
    }
}

/// One guarantee's stream.
pub struct Stream {
    pub world: World,
    pub events: Vec<GuaranteeEvent>,
}

impl Stream {
    /// An application security over `lots` lots, issued by the bank.
    pub fn issued(lots: u32) -> Self {
        Self::issued_as(GuaranteeKind::ApplicationSecurity, lots)
    }

    pub fn issued_as(kind: GuaranteeKind, lots: u32) -> Self {
        let mut s = Stream {
            world: World::new(),
            events: Vec::new(),
        };
        s.run(&bank(), issue(kind, lots));
        s
    }

    pub fn state(&self) -> Guarantee {
        Guarantee::fold(&self.events)
    }

    pub fn status(&self) -> GuaranteeStatus {
        self.state().status().expect("issued")
    }

    pub fn try_run(
        &mut self,
        actor: &Actor,
        command: G,
    ) -> Result<Vec<GuaranteeEvent>, DomainError> {
        let events = self.state().decide(command, &self.world.ctx(actor))?;
        for event in &events {
            let (event_type, version, payload) = event.to_stored();
            let decoded =
                GuaranteeEvent::from_stored(event_type, version, &payload).expect("decodes");
            assert_eq!(&decoded, event, "{event_type} round-trips");
            self.events.push(decoded);
        }
        Ok(events)
    }

    #[track_caller]
    pub fn run(&mut self, actor: &Actor, command: G) -> Vec<GuaranteeEvent> {
        let shown = format!("{command:?}");
        self.try_run(actor, command)
            .unwrap_or_else(|e| panic!("refused {shown}: {e}"))
    }

    /// The refusal code; the stream is unchanged.
    #[track_caller]
    pub fn refuse(&mut self, actor: &Actor, command: G) -> &'static str {
        let before = self.events.len();
        let shown = format!("{command:?}");
        let code = match self.try_run(actor, command) {
            Err(e) => e.code,
            Ok(events) => panic!("accepted {shown}: {events:?}"),
        };
        assert_eq!(self.events.len(), before);
        code
    }

    /// The beneficiary (the organizer, for an application security) generates and signs.
    #[track_caller]
    pub fn requested(&mut self, request: RequestKind, ns: &[u32], of: u32) {
        self.run(&organizer(), form(request, ns, of));
        self.run(&organizer(), G::Sign);
    }
}
