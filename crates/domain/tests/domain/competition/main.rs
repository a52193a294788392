//! The PPP competition by direct negotiations (spec 002-003 part B, seed 003): given/when/then
//! for the wizard W1–W13, the life-cycle C1–C10 and the acceptance scenarios S18–S25.

#[path = "lifecycle.rs"]
mod lifecycle;
#[path = "schemas.rs"]
mod schemas;
#[path = "wizard.rs"]
mod wizard;

use chrono::{DateTime, TimeDelta, Utc};
use uuid::Uuid;
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::competition::{
    Competition, CompetitionCommand as C, CompetitionEvent, PppMethod, Project,
};
use zakup_domain::error::DomainError;
use zakup_domain::ident::ParticipantId;
use zakup_domain::kernel::Decider;

pub use crate::world::{astana, bin, calendar, file, iin};

pub fn organizer() -> Actor {
    crate::world::organizer()
}

/// An organizer of another organisation.
pub fn foreign_organizer() -> Actor {
    crate::world::foreign_organizer()
}

/// The state partner's head, «Басшы» (bin 40).
pub fn head() -> Actor {
    Actor {
        user_id: "head".into(),
        iin: iin(40),
        org: bin(40),
        roles: vec![Role::Head],
    }
}

/// Any signed-in user.
pub fn citizen(n: u32) -> Actor {
    Actor {
        user_id: format!("citizen{n}"),
        iin: iin(200 + n),
        org: bin(200 + n),
        roles: vec![Role::Supplier],
    }
}

pub fn system() -> Actor {
    crate::world::system()
}

/// A competition's world: its events and the clock (Monday 2 February 2026, 09:00 Astana).
pub struct World {
    pub events: Vec<CompetitionEvent>,
    pub now: DateTime<Utc>,
}

impl World {
    pub fn new() -> Self {
        World {
            events: Vec::new(),
            now: astana("2026-02-02 09:00"),
        }
    }

    pub fn state(&self) -> Competition {
        let mut c = Competition::initial();
        for e in &self.events {
            c.evolve(e);
        }
        c
    }

    pub fn ctx(&self, actor: &Actor) -> Context {
        Context {
            now: self.now,
            actor: actor.clone(),
            calendar: calendar(),
            unread_notices: Default::default(),
            rules: zakup_domain::regime::RuleBook::embedded(),
        }
    }

    /// Decides and, when accepted, records.
    pub fn run(&mut self, actor: &Actor, command: C) -> Result<Vec<CompetitionEvent>, DomainError> {
        let events = self.state().decide(command, &self.ctx(actor))?;
        self.events.extend(events.clone());
        Ok(events)
    }

    pub fn ok(&mut self, actor: &Actor, command: C) {
        self.run(actor, command).expect("accepted");
    }

    /// The refusal's code, checking it reads in Kazakh and Russian.
    pub fn refused(&mut self, actor: &Actor, command: C) -> &'static str {
        let before = self.events.len();
        let e = self.run(actor, command).expect_err("refused");
        assert_eq!(self.events.len(), before, "a refusal writes nothing");
        assert!(
            e.message_kk.as_deref().is_some_and(|m| !m.is_empty()),
            "{e:?} has no Kazakh"
        );
        assert!(!e.message_ru.is_empty());
        e.code
    }

    pub fn at(&mut self, at: DateTime<Utc>) {
        self.now = at;
    }
}

pub fn create() -> C {
    C::CreateDraft {
        competition_id: Uuid::from_u128(0x0021),
        method: Some(PppMethod::DirectNegotiations),
        name_kk: "Астанадағы мектеп".into(),
        name_ru: "Школа в Астане".into(),
        name_en: None,
    }
}

pub fn project() -> Project {
    Project {
        name_kk: "Мектеп салу".into(),
        name_ru: "Строительство школы".into(),
        name_en: None,
        short_description: "1200 орындық мектеп".into(),
        goals_and_tasks: "Орын тапшылығын азайту".into(),
        main_tech_economic_params: "1200 орын, 3 қабат".into(),
        main_efficiency_criteria: "Орын құны".into(),
        planned_implementation_terms: "2026–2028".into(),
    }
}

pub fn set_partner() -> C {
    C::SetStatePartner {
        responsible_contact: "+7 7172 000000".into(),
        bin: Some(bin(40)),
        representative_iin: Some(head().iin),
    }
}

pub fn initiator(n: u128) -> C {
    C::SaveInitiator {
        initiator_id: Uuid::from_u128(0x1000 + n),
        user_iin: Some(citizen(n as u32).iin),
        private_partner: Some(ParticipantId::Bin(bin(300 + n as u32))),
        representative: None,
        position: None,
        phone: None,
        email: None,
    }
}

pub const REGULATION: Uuid = Uuid::from_u128(0x2000);

/// The discussion from `start` for `days` days.
pub fn period(start: DateTime<Utc>, days: i64) -> C {
    C::SetDiscussionPeriod {
        start,
        end: start + TimeDelta::days(days),
    }
}

/// A draft with every wizard step done; the discussion from tomorrow 09:00 for 5 days.
pub fn ready() -> World {
    let mut w = World::new();
    let o = organizer();
    w.ok(&o, create());
    w.ok(&o, C::SaveProject(project()));
    w.ok(&o, set_partner());
    w.ok(&head(), C::ConfirmStatePartner);
    w.ok(&o, C::SaveLot);
    w.ok(&o, initiator(1));
    w.ok(
        &o,
        C::AddRegulation {
            regulation_id: REGULATION,
            name_ru: "Регламент".into(),
            name_kk: "Регламент".into(),
        },
    );
    w.ok(
        &o,
        C::AttachRegulationFile {
            regulation_id: REGULATION,
            file: file("regulation"),
        },
    );
    w.ok(&o, period(astana("2026-02-03 09:00"), 5));
    w
}

/// A published competition whose discussion is open (the start has come, C3 sent).
pub fn discussing() -> World {
    let mut w = ready();
    w.ok(&organizer(), C::Publish);
    w.at(astana("2026-02-03 09:00"));
    w.ok(&system(), C::StartDiscussion);
    w
}
