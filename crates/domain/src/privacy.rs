//! The record of personal data made unreadable (issue 18 item 5, decisions 0840–0842), on the
//! streams `privacy-<id>`. The event store seals personal values with a key per person, outside
//! the log; these events tell the log what was done to those keys and to the stored events, so
//! that an auditor who finds an erased value, or a chain computed again, finds why and when.
//! They name no person: a forgotten person is named by the id of the destroyed key.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ident::Iin;
use crate::kernel::event::event_set;

/// Whether a value of an event is a person's ИИН, whose holder's key seals it and the name,
/// phone or e-mail beside it (decision 0840). Found by the value, as decision 0671 finds what it
/// hides: a БИН never passes (its fifth digit is no day's tens), an erased ИИН neither.
pub fn is_person(value: &str) -> bool {
    value.len() == 12 && value.parse::<Iin>().is_ok()
}

/// `privacy-<key id>` for a forgetting, `privacy-sealed-<run>-<n>` for the sealing of old events.
pub const CATEGORY: &str = "privacy";

/// A person's key was destroyed: every value sealed with it now reads as `erased`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonForgotten {
    /// The destroyed key, named in every value it sealed (`pd1:<key id>:…`).
    pub key_id: Uuid,
    /// What those values read as from now on.
    pub erased_as: String,
}

/// A stream's plaintext personal values, written before they were sealed, were sealed in place,
/// and its hash chain was computed again over what is now stored (decision 0842).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonalDataSealed {
    pub stream_id: String,
    /// The stream's events, all of which were hashed again.
    pub events: u64,
    /// The personal values sealed.
    pub values: u64,
    /// The head hash before: what an earlier `zakup verify`, or an exported copy, knew.
    pub previous_head: String,
    /// The head hash after.
    pub head: String,
}

event_set! {
    /// What a `privacy-` stream holds.
    pub enum PrivacyEvent {
        Forgotten(PersonForgotten) = 1,
        Sealed(PersonalDataSealed) = 1,
    }
}
