//! Sign-in with the registered key (spec 002 §4.A.1, §8.3; docs/decisions/0824): the server
//! issues a nonce for an ИИН and an organisation, the user signs it with the key registered for
//! the ИИН, and the server answers a short-lived token. Five wrong signatures in a row lock the
//! sign-in for ten minutes. The token's roles are the registry's powers when it is issued; every
//! command checks them again (docs/decisions/0820). `zakup token` stays for development.

use async_graphql::{Context, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use zakup_domain::actor::Actor;
use zakup_domain::sign_in::{SignIn, SignInCommand};
use zakup_engine::CommandMeta;

use crate::auth::Principal;
use crate::page::app;
use crate::refusal;

/// How long a token from a sign-in lives: a working session, far below the 36-hour bound
/// (decision 0628).
pub const SESSION: chrono::Duration = chrono::Duration::hours(1);

#[derive(SimpleObject)]
pub struct SignInChallenge {
    /// Sign these ASCII bytes (hex) with the key registered for the ИИН.
    pub nonce: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(SimpleObject)]
pub struct SignInToken {
    /// The bearer token.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Default)]
pub struct SignInMutation;

#[Object]
impl SignInMutation {
    /// A one-time nonce for `iin` acting for `orgBin` (A1–A3); refused while locked.
    async fn request_sign_in_challenge(
        &self,
        ctx: &Context<'_>,
        iin: String,
        org_bin: String,
    ) -> Result<SignInChallenge> {
        let claimed = claimed(&iin, &org_bin)?;
        let mut bytes = [0u8; 32];
        aws_lc_rs::rand::fill(&mut bytes)
            .map_err(|_| refusal::invalid_input("nonce", "no randomness"))?;
        let nonce: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let engine = &app(ctx).engine;
        let command = SignInCommand::IssueChallenge {
            nonce: nonce.clone(),
            org: claimed.org,
        };
        engine
            .execute::<SignIn>(&claimed.iin.to_string(), &meta(claimed), command)
            .await
            .map_err(|e| refusal::engine(&e))?;
        Ok(SignInChallenge {
            nonce,
            expires_at: engine.now() + zakup_domain::sign_in::CHALLENGE_VALIDITY,
        })
    }

    /// The signed nonce (A4): a token whose roles are the registry's powers, or a refusal
    /// (`invalid_signature`, counted; `sign_in_locked`; `employee_blocked`, …).
    async fn sign_in(
        &self,
        ctx: &Context<'_>,
        iin: String,
        org_bin: String,
        nonce: String,
        signature: String,
    ) -> Result<SignInToken> {
        let claimed = claimed(&iin, &org_bin)?;
        let state = app(ctx);
        let engine = &state.engine;
        let valid = engine
            .verify_registered_key(claimed.iin, nonce.as_bytes(), &signature)
            .await
            .map_err(|e| refusal::engine(&e))?;
        let command = SignInCommand::Complete {
            nonce,
            signature_valid: valid,
        };
        engine
            .execute::<SignIn>(&claimed.iin.to_string(), &meta(claimed.clone()), command)
            .await
            .map_err(|e| refusal::engine(&e))?;
        if !valid {
            return Err(refusal::domain(&zakup_domain::refusal!(
                invalid_signature,
                "Подпись недействительна",
                "the signature does not verify with the registered key"
            )));
        }
        let actor = crate::powers::actor(engine, state.registry, claimed).await?;
        let principal = Principal {
            user_id: actor.iin.to_string(),
            iin: actor.iin.to_string(),
            org_bin: actor.org.to_string(),
            roles: actor.roles.iter().map(|r| r.id().to_owned()).collect(),
        };
        let token = state
            .keys
            .issue(&principal, SESSION)
            .map_err(refusal::unauthenticated)?;
        Ok(SignInToken {
            token,
            expires_at: Utc::now() + SESSION,
        })
    }
}

/// Who the caller says it is, before any proof: no roles.
fn claimed(iin: &str, org_bin: &str) -> Result<Actor> {
    Ok(Actor {
        user_id: iin.to_owned(),
        iin: crate::command::input::iin("iin", iin)?,
        org: crate::command::input::bin("orgBin", org_bin)?,
        roles: Vec::new(),
    })
}

fn meta(actor: Actor) -> CommandMeta {
    CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    }
}
