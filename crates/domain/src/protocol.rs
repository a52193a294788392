//! Protocols (spec 000-A §6): their deterministic content, its SHA-256, versions, signatures.
//! Versions and validity are derived by the announcement's fold from `ProtocolFormed` events.

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::announcement::act::{FileRef, GroundingAct};
use crate::application::ApplicationId;
use crate::discussion::DiscussionRequest;
use crate::ident::{Bin, Iin};
use crate::lot::{CustomerRefusal, LotOutcome};
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::status::{AdmissionDecision, ProtocolValidity, portal_terms};

portal_terms! {
    ProtocolKind {
        Discussion => "discussion", "Протокол обсуждения";
        PreliminaryAdmission => "preliminary_admission", "Протокол предварительного допуска";
        Results => "results", "Протокол итогов";
    }
}

/// One application on one lot as the protocol states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolApplication {
    pub application_id: ApplicationId,
    pub supplier_bin: Bin,
    pub price: Money,
    pub decision: Option<AdmissionDecision>,
    #[schemars(schema_with = "crate::announcement::json_schema::optional_decimal_string")]
    pub discount_pct: Option<Decimal>,
    pub conditional_price: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolLot {
    pub plan_item_id: PlanItemId,
    pub lot_number: String,
    pub name_ru: String,
    pub amount: Money,
    pub applications: Vec<ProtocolApplication>,
    /// The reason of cancellation appears in the results protocol (L590–594, L3333–3337).
    pub cancellation: Option<GroundingAct>,
    /// Added after version 1 of `ProtocolFormed`: absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<CustomerRefusal>,
    pub outcome: Option<LotOutcome>,
}

/// What a protocol says. Serialized with serde_json in field order, it is the exact content
/// that is signed; its SHA-256 is what signature commands must match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolContent {
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub kind: ProtocolKind,
    pub version: u32,
    pub formed_at: DateTime<Utc>,
    pub lots: Vec<ProtocolLot>,
    pub discussion: Vec<DiscussionRequest>,
}

impl ProtocolContent {
    pub fn canonical_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("protocol content holds only serializable data")
    }

    pub fn sha256_hex(&self) -> String {
        Sha256::digest(self.canonical_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Signature {
    pub signer_iin: Iin,
    pub content_sha256: String,
    /// A member's dissenting opinion (L2595–2601).
    pub dissent: Option<FileRef>,
    pub signed_at: DateTime<Utc>,
}

/// One version of one protocol as the fold knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolVersion {
    pub content: ProtocolContent,
    pub content_sha256: String,
    /// Formed by the system without signatures (no requests, no applications, full
    /// cancellation): nobody can sign it (L3123–3129).
    pub automatic: bool,
    pub signatures: Vec<Signature>,
    /// «Причина отсутствия подписи» per absent member (L2569–2575).
    pub absences: Vec<(Iin, FileRef)>,
    pub expert_opinion: Option<FileRef>,
    pub published_at: Option<DateTime<Utc>>,
    pub validity: ProtocolValidity,
}

impl ProtocolVersion {
    pub fn kind(&self) -> ProtocolKind {
        self.content.kind
    }

    pub fn version(&self) -> u32 {
        self.content.version
    }

    pub fn is_signed_by(&self, iin: &Iin) -> bool {
        self.signatures.iter().any(|s| &s.signer_iin == iin)
    }

    pub fn signers(&self) -> impl Iterator<Item = &Iin> {
        self.signatures.iter().map(|s| &s.signer_iin)
    }
}
