//! Sign-in with the registered key (spec 002 §4.A.1 A1–A5, §8.3), one stream per user
//! `sign_in-<ИИН>`: the server issues a one-time nonce, the user signs it with the key registered
//! for the ИИН (`certificate-<ИИН>`), and five wrong signatures in a row lock the sign-in for ten
//! minutes (L3736–3738). Whether the signature verifies is computed by the server from the
//! registered key, as for protocol signatures (docs/decisions/0401, 0824); what it means —
//! counted, locked, consumed — is decided here.

use chrono::{DateTime, Duration, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::actor::Context;
use crate::error::DomainError;
use crate::ident::Bin;
use crate::kernel::Decider;
use crate::kernel::event::event_set;
use crate::kernel::refusal::refusals;

/// «5 раз подряд» (L3736–3738).
pub const FAILURES_BEFORE_LOCK: u32 = 5;
/// «заблокирован на 10 минут» (L3736–3738).
pub const LOCK: Duration = Duration::minutes(10);
/// How long a nonce may be signed: the seed gives nothing; a signing round trip through NCALayer
/// takes seconds (docs/decisions/0824).
pub const CHALLENGE_VALIDITY: Duration = Duration::minutes(5);

pub mod refusal {
    use super::refusals;

    refusals! {
        sign_in_locked => "Вход заблокирован на 10 минут после 5 неудачных попыток подряд", "Sign-in is locked for 10 minutes after 5 failed attempts in a row";
        challenge_not_found => "Запросите новый код для подписи", "No such challenge: request a new one";
        challenge_expired => "Срок действия кода для подписи истек", "The challenge has expired: request a new one";
        challenge_used => "Код для подписи уже использован", "The challenge was already used";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignInChallengeIssued {
    /// The random nonce to sign, hex.
    pub nonce: String,
    /// The organisation the user signs in for.
    pub org: Bin,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignInSucceeded {
    pub nonce: String,
    pub org: Bin,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignInFailed {
    pub nonce: String,
    /// Failures in a row, this one included.
    pub consecutive: u32,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignInLocked {
    pub until: DateTime<Utc>,
}

event_set! {
    pub enum SignInEvent {
        ChallengeIssued(SignInChallengeIssued) = 1,
        Succeeded(SignInSucceeded) = 1,
        Failed(SignInFailed) = 1,
        Locked(SignInLocked) = 1,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignInCommand {
    IssueChallenge {
        nonce: String,
        org: Bin,
    },
    /// `signature_valid`: the signature of `nonce` verifies with the user's registered key.
    Complete {
        nonce: String,
        signature_valid: bool,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignIn {
    pub challenge: Option<SignInChallengeIssued>,
    pub challenge_used: bool,
    pub consecutive_failures: u32,
    pub locked_until: Option<DateTime<Utc>>,
}

impl SignIn {
    /// Every attempt while locked is refused, even with the right key (S6).
    pub fn locked(&self, now: DateTime<Utc>) -> bool {
        self.locked_until.is_some_and(|until| now < until)
    }

    pub fn decide(
        &self,
        command: SignInCommand,
        ctx: &Context,
    ) -> Result<Vec<SignInEvent>, DomainError> {
        let now = ctx.now;
        if self.locked(now) {
            return Err(refusal::sign_in_locked());
        }
        match command {
            SignInCommand::IssueChallenge { nonce, org } => {
                Ok(vec![SignInEvent::ChallengeIssued(SignInChallengeIssued {
                    nonce,
                    org,
                    issued_at: now,
                    expires_at: now + CHALLENGE_VALIDITY,
                })])
            }
            SignInCommand::Complete {
                nonce,
                signature_valid,
            } => {
                let challenge = self
                    .challenge
                    .as_ref()
                    .filter(|c| c.nonce == nonce)
                    .ok_or_else(refusal::challenge_not_found)?;
                if self.challenge_used {
                    return Err(refusal::challenge_used());
                }
                if now >= challenge.expires_at {
                    return Err(refusal::challenge_expired());
                }
                if signature_valid {
                    return Ok(vec![SignInEvent::Succeeded(SignInSucceeded {
                        nonce,
                        org: challenge.org,
                        at: now,
                    })]);
                }
                let consecutive = self.consecutive_failures + 1;
                let mut events = vec![SignInEvent::Failed(SignInFailed {
                    nonce,
                    consecutive,
                    at: now,
                })];
                if consecutive >= FAILURES_BEFORE_LOCK {
                    events.push(SignInEvent::Locked(SignInLocked { until: now + LOCK }));
                }
                Ok(events)
            }
        }
    }

    pub fn apply(&mut self, event: &SignInEvent) {
        match event {
            SignInEvent::ChallengeIssued(e) => {
                self.challenge = Some(e.clone());
                self.challenge_used = false;
            }
            SignInEvent::Succeeded(_) => {
                // «подряд»: a success resets the count (spec §4.A.1, best reading).
                self.challenge_used = true;
                self.consecutive_failures = 0;
            }
            SignInEvent::Failed(e) => {
                // A nonce is signed once, rightly or wrongly: a new attempt asks a new one.
                self.challenge_used = true;
                self.consecutive_failures = e.consecutive;
            }
            SignInEvent::Locked(e) => {
                self.locked_until = Some(e.until);
                self.consecutive_failures = 0;
            }
        }
    }
}

impl Decider for SignIn {
    const CATEGORY: &'static str = "sign_in";
    type Command = SignInCommand;
    type Event = SignInEvent;

    fn initial() -> Self {
        SignIn::default()
    }

    fn decide(
        &self,
        command: SignInCommand,
        ctx: &Context,
    ) -> Result<Vec<SignInEvent>, DomainError> {
        SignIn::decide(self, command, ctx)
    }

    fn evolve(&mut self, event: &SignInEvent) {
        self.apply(event);
    }
}
