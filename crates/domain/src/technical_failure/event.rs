//! Facts of a technical failure's stream `technical_failure-<uuid>`: the Journal's row (spec
//! 001-004 §2.2.8, 004 L921–948) written step by step.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ident::{Bin, Iin};
use crate::kernel::event::event_set;
use crate::technical_failure::measures::Level;

/// How the request reached the operator (004 L491, L325); `monitoring` is the operator
/// specialist's own record of a deviation (I2, 004 L490).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Phone,
    OfficialLetter,
    InternetForum,
    Monitoring,
}

/// «Вид технического сбоя» (Journal column 15, 004 L460–473).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FailureType {
    OperatorDependent,
    OperatorIndependent,
}

/// The causes of 004 L461–473 (spec §3.2). The user-side ones are not failures of the System
/// (001 L350–358, A10): a report with such a cause is refuted, never confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    OperatorUnlawfulAction,
    OperatorInfosecBreach,
    OperatorPhysicalDamage,
    ThirdPartyDamage,
    ComputerAttack,
    ThirdPartyOrExternalConditions,
    UserNetworkOrPower,
    UserComputerSettings,
    UserMalware,
    UserNoncompliance,
    UserEdsKeyMisuse,
}

impl Cause {
    /// The type of a System-side cause; `None` for a user-side one.
    pub fn failure_type(self) -> Option<FailureType> {
        use Cause as C;
        match self {
            C::OperatorUnlawfulAction | C::OperatorInfosecBreach | C::OperatorPhysicalDamage => {
                Some(FailureType::OperatorDependent)
            }
            C::ThirdPartyDamage | C::ComputerAttack | C::ThirdPartyOrExternalConditions => {
                Some(FailureType::OperatorIndependent)
            }
            _ => None,
        }
    }
}

/// I1/I2: a user's request, or the operator's own record of a deviation. The two deadlines are
/// the contact centre's (T2, T5), in its working time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalFailureReported {
    pub failure_id: Uuid,
    pub reported_by: Iin,
    pub organisation: Bin,
    pub channel: Channel,
    pub description: String,
    /// When the user noticed it (Astana clock), as the user says (004 L488).
    pub detected_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub registration_due: DateTime<Utc>,
    pub analysis_due: DateTime<Utc>,
}

/// I3/I4: the request is in the Journal under its incident id, e-mailed within the hour.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalFailureRegistered {
    pub incident_id: String,
    pub operator: Bin,
    pub registered_by: Iin,
    pub registered_at: DateTime<Utc>,
    pub incident_id_due: DateTime<Utc>,
}

/// I8: confirmed, with its level and type; the measures of the level follow (§4.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalFailureConfirmed {
    pub level: Level,
    pub cause: Cause,
    pub failure_type: FailureType,
    /// The System module affected (004 L721).
    pub module: String,
    /// `S`: the failure's occurrence as the specialist recorded it (004 L490).
    pub started_at: DateTime<Utc>,
    pub planned_elimination: DateTime<Utc>,
    /// H9/H10 (004 L730–731): the price offers cannot be decrypted.
    pub decryption_impossible: bool,
    /// The procurements a medium failure names (004 L600); a high one affects every procedure
    /// of the module that coincides with it, found by the workflow.
    pub affected_announcements: Vec<Uuid>,
    pub confirmed_by: Iin,
    pub confirmed_at: DateTime<Utc>,
    /// L1 30 min, M1/M2 1 h, H3 30 min after confirmation (004 L568, L600–602, L722).
    pub notice_due: DateTime<Utc>,
}

/// I7: refuted; the user is told with the supporting information within 30 minutes (T6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalFailureRefuted {
    pub cause: Option<Cause>,
    pub reason: String,
    pub refuted_by: Iin,
    pub refuted_at: DateTime<Utc>,
    pub notice_due: DateTime<Utc>,
}

/// I11: eliminated at `eliminated_at` (`E`); the Journal's columns 12, 13 and 16.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TechnicalFailureEliminated {
    pub eliminated_at: DateTime<Utc>,
    pub causes: String,
    pub recommendations: String,
    pub recorded_by: Iin,
    pub recorded_at: DateTime<Utc>,
}

/// H11 (004 L731): force majeure lasted from `started_at` to `ended_at`; the extension by its
/// days is agreed with the proprietor, whose agreement is referenced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ForceMajeureAgreed {
    pub started_at: DateTime<Utc>,
    pub ended_at: DateTime<Utc>,
    pub days: u32,
    pub proprietor_agreement: String,
    pub recorded_by: Iin,
    pub recorded_at: DateTime<Utc>,
}

event_set! {
    pub enum TechnicalFailureEvent {
        Reported(TechnicalFailureReported) = 1,
        Registered(TechnicalFailureRegistered) = 1,
        Confirmed(TechnicalFailureConfirmed) = 1,
        Refuted(TechnicalFailureRefuted) = 1,
        Eliminated(TechnicalFailureEliminated) = 1,
        ForceMajeureAgreed(ForceMajeureAgreed) = 1,
    }
}
