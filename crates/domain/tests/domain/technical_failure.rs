//! Technical failures and maintenance windows (spec 001-004 §4.1–§4.5, §5, §8; the acceptance
//! scenarios S1–S16 of §10). The parts live in `tests/domain/technical_failure/`.

#[path = "technical_failure/announcement.rs"]
mod announcement;
#[path = "technical_failure/lifecycle.rs"]
mod lifecycle;
#[path = "technical_failure/measures.rs"]
mod measures;
#[path = "technical_failure/schemas.rs"]
pub mod schemas;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::error::DomainError;
use zakup_domain::kernel::Decider;

use crate::world::{astana, bin, calendar, iin};

/// The operator's specialist: role `operator`, of the operator's organisation.
pub fn operator() -> Actor {
    Actor {
        user_id: "operator".into(),
        iin: iin(90),
        org: bin(90),
        roles: vec![Role::Operator],
    }
}

/// A specialist of another operator organisation.
pub fn other_operator() -> Actor {
    Actor {
        org: bin(91),
        ..operator()
    }
}

/// An aggregate's stream, folded after each command (the domain's own harness, no engine).
pub struct Stream<A: Decider> {
    pub state: A,
    pub events: Vec<A::Event>,
    pub now: DateTime<Utc>,
}

impl<A: Decider> Stream<A> {
    pub fn at(local: &str) -> Self {
        Stream {
            state: A::initial(),
            events: Vec::new(),
            now: astana(local),
        }
    }

    pub fn ctx(&self, actor: &Actor) -> Context {
        Context {
            now: self.now,
            actor: actor.clone(),
            calendar: Arc::clone(&calendar()),
            unread_notices: Default::default(),
            rules: zakup_domain::regime::RuleBook::embedded(),
        }
    }

    pub fn try_run(&mut self, actor: &Actor, command: A::Command) -> Result<(), DomainError> {
        let events = self.state.decide(command, &self.ctx(actor))?;
        for event in events {
            self.state.evolve(&event);
            self.events.push(event);
        }
        Ok(())
    }

    #[track_caller]
    pub fn run(&mut self, actor: &Actor, command: A::Command) {
        let shown = format!("{command:?}");
        self.try_run(actor, command)
            .unwrap_or_else(|e| panic!("refused {shown}: {e}"));
    }

    #[track_caller]
    pub fn refuse(&mut self, actor: &Actor, command: A::Command) -> &'static str {
        let before = self.events.len();
        let code = self.try_run(actor, command).expect_err("refused").code;
        assert_eq!(self.events.len(), before, "a refusal writes nothing");
        code
    }

    pub fn at_local(&mut self, local: &str) -> &mut Self {
        self.now = astana(local);
        self
    }
}
