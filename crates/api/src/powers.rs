//! What a user may do for an organisation comes from the registry (`participant-<БИН>`, spec 002
//! §4.A.8), not from the token: the token says who the user is (ИИН) and for which organisation
//! it acts (БИН); the participant's stream says whether the user is its employee, blocked or
//! not, and with which powers (docs/decisions/0820).

use zakup_domain::actor::{Actor, Role};
use zakup_domain::error::DomainError;
use zakup_domain::ident::Bin;
use zakup_domain::participant::Participant;
use zakup_domain::participant::refusal as participant_refusal;
use zakup_engine::Engine;
use zakup_store::StreamRange;

use crate::refusal;

/// How a server treats an organisation that is not in the registry (docs/decisions/0820).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistryMode {
    /// An organisation not in the registry acts in no participant role: its commands are
    /// refused with `participant_not_registered`. What `zakup serve` runs by default.
    #[default]
    Enforced,
    /// Development and the end-to-end tests: an organisation with no participant stream acts on
    /// the roles of its token. A registered organisation is checked as in `Enforced`. Chosen
    /// explicitly (`zakup serve --registry development`), and logged at start-up.
    Development,
}

/// The roles of the installation itself, not of a participant: the portal's timers and its
/// operator's staff, whom the identity provider vouches for (decision 0820).
const INSTALLATION_ROLES: [Role; 2] = [Role::System, Role::Operator];

/// The actor a command runs as: the token's identity with the registry's powers.
pub(crate) async fn actor(
    engine: &Engine,
    mode: RegistryMode,
    token: Actor,
) -> async_graphql::Result<Actor> {
    let participant = participant(engine, token.org).await?;
    let installation: Vec<Role> = token
        .roles
        .iter()
        .copied()
        .filter(|r| INSTALLATION_ROLES.contains(r))
        .collect();
    let roles = roles(&participant, mode, &token, installation).map_err(|e| refusal::domain(&e))?;
    Ok(Actor { roles, ..token })
}

/// The organisation `org` as the registry knows it now (empty when not registered).
pub(crate) async fn participant(engine: &Engine, org: Bin) -> async_graphql::Result<Participant> {
    Ok(engine
        .load::<Participant>(&org.to_string(), StreamRange::all())
        .await
        .map_err(|e| refusal::engine(&e))?
        .state)
}

fn roles(
    participant: &Participant,
    mode: RegistryMode,
    token: &Actor,
    installation: Vec<Role>,
) -> Result<Vec<Role>, DomainError> {
    if !participant.registered() {
        let only_installation = token.roles.len() == installation.len();
        return match mode {
            _ if only_installation && !installation.is_empty() => Ok(installation),
            RegistryMode::Development => Ok(token.roles.clone()),
            RegistryMode::Enforced => Err(participant_refusal::participant_not_registered()),
        };
    }
    let employee = participant
        .employee(&token.iin)
        .ok_or_else(participant_refusal::not_an_employee)?;
    if !employee.active() {
        return Err(participant_refusal::employee_blocked());
    }
    let mut roles = installation;
    roles.extend(participant.powers_of(&token.iin));
    Ok(roles)
}
