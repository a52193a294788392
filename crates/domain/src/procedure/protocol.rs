//! Protocols (spec 000-A §6): their deterministic content, its SHA-256, versions, signatures,
//! and the protocol lifecycle as a procedure component: [`Protocols`] forms, signs (in the
//! order and with the quorum of a [`SignerPolicy`]), publishes and deletes versions of any kind.
//! Versions and validity are derived by replay in [`Protocols`]'s evolve, never stored.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::application::ApplicationId;
use crate::commission::{Commission, Person};
use crate::discussion::DiscussionRequest;
use crate::error::DomainError;
use crate::ident::{Bin, Iin};
use crate::kernel::act::GroundingAct;
use crate::kernel::file::FileRef;
use crate::lot::{CustomerRefusal, LotOutcome};
use crate::money::Money;
use crate::plan_item::PlanItemId;
use crate::procedure::entered_results::EnteredResults;
use crate::procedure::refusal;
use crate::status::{AdmissionDecision, ProtocolValidity, portal_terms};

portal_terms! {
    ProtocolKind {
        Discussion => "discussion", "Протокол обсуждения";
        PreliminaryAdmission => "preliminary_admission", "Протокол предварительного допуска";
        Results => "results", "Протокол итогов";
        // Auction: the admission protocol, whose publication fixes the bidding's time frame
        // (spec 000-B §6.3, L5504–5564). A plain comment keeps the schema a plain enum.
        Admission => "admission", "Протокол допуска";
    }
}

/// One application on one lot as the protocol states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolApplication {
    pub application_id: ApplicationId,
    pub supplier_bin: Bin,
    pub price: Money,
    pub decision: Option<AdmissionDecision>,
    #[schemars(schema_with = "crate::kernel::money::optional_decimal_string")]
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
    /// An auction's results protocol states its bidding (spec 000-B §6.4). Added after
    /// version 1 of `ProtocolFormed`: absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bidding: Option<ProtocolBidding>,
    /// A procurement run off the portal states the results entered by hand (spec 000-C §6.3).
    /// Added after version 1 of `ProtocolFormed`: absent means none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_results: Option<EnteredResults>,
}

/// The bidding as an auction's results protocol states it: when the round ended, how many
/// offers it took, and the best one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolBidding {
    pub round_end: DateTime<Utc>,
    pub offers: u32,
    pub winner_application_id: Option<ApplicationId>,
    pub winner_bin: Option<Bin>,
    pub winning_price: Option<Money>,
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
    /// What lets anyone verify the signature again, offline (decision 0890). `null` only for a
    /// signature recorded before it (`ProtocolSigned` v1): verified at signing, not kept.
    pub proof: Option<SignatureProof>,
}

/// The signature itself and the key that made it (decision 0890): an Ed25519 signature over
/// the ASCII `content_sha256`, by the key whose id is `key_id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignatureProof {
    /// `crate::certificate::key_id` of the public key registered in `certificate-<ИИН>`.
    pub key_id: String,
    /// The 64-byte signature, lowercase hex.
    pub signature_hex: String,
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
    /// Deleted by the secretary before signing: kept «Не действительный» in the history, and
    /// its number is never given again (spec 000-A §6, docs/decisions/0605).
    pub deleted_at: Option<DateTime<Utc>>,
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

// ---- the lifecycle component ------------------------------------------------------------------

/// Who signs a protocol kind, in which order, and which signatures let it be published.
pub trait SignerPolicy {
    /// Refuses a signer the kind does not take now: not a signer, out of order, or with a
    /// dissenting opinion where none applies.
    fn admit(
        &self,
        protocol: &ProtocolVersion,
        signer: &Iin,
        dissent: bool,
    ) -> Result<(), DomainError>;

    /// Refuses publication until the signatures the kind needs are there.
    fn complete(&self, protocol: &ProtocolVersion) -> Result<(), DomainError>;
}

/// Every listed person signs, in any order: the discussion protocol's signers (L2011–2037).
pub struct ListedSigners<'a>(pub &'a [Person]);

impl SignerPolicy for ListedSigners<'_> {
    fn admit(&self, _: &ProtocolVersion, signer: &Iin, _: bool) -> Result<(), DomainError> {
        if self.0.iter().any(|p| &p.iin == signer) {
            Ok(())
        } else {
            Err(refusal::not_a_signer())
        }
    }

    fn complete(&self, protocol: &ProtocolVersion) -> Result<(), DomainError> {
        if self.0.iter().any(|p| !protocol.is_signed_by(&p.iin)) {
            Err(refusal::signatures_missing())
        } else {
            Ok(())
        }
    }
}

/// One person signs: the creator of a procurement run off the portal (spec 000-C §6.3).
pub struct SoleSigner(pub Option<Iin>);

impl SignerPolicy for SoleSigner {
    fn admit(&self, _: &ProtocolVersion, signer: &Iin, _: bool) -> Result<(), DomainError> {
        if self.0.as_ref() == Some(signer) {
            Ok(())
        } else {
            Err(refusal::not_a_signer())
        }
    }

    fn complete(&self, protocol: &ProtocolVersion) -> Result<(), DomainError> {
        match &self.0 {
            Some(signer) if protocol.is_signed_by(signer) => Ok(()),
            _ => Err(refusal::signatures_missing()),
        }
    }
}

/// The commission signs: the secretary first, then the voting members still in it; published
/// once the secretary and a majority including the chairman signed (L2545–2601; spec §6
/// AMBIGUOUS, docs/decisions/0203-voting-ties-and-signature-quorum.md).
pub struct CommissionSigners<'a> {
    pub commission: Option<&'a Commission>,
    /// Members removed by a change of commission (L1982–1992).
    pub excluded: &'a BTreeSet<Iin>,
}

impl CommissionSigners<'_> {
    fn is_active_voter(&self, commission: &Commission, iin: &Iin) -> bool {
        commission.is_voter(iin) && !self.excluded.contains(iin)
    }
}

impl SignerPolicy for CommissionSigners<'_> {
    fn admit(
        &self,
        protocol: &ProtocolVersion,
        signer: &Iin,
        dissent: bool,
    ) -> Result<(), DomainError> {
        let commission = self.commission.ok_or_else(refusal::commission_missing)?;
        if commission.is_secretary(signer) {
            if dissent {
                return Err(refusal::field_not_applicable("dissent"));
            }
        } else if self.is_active_voter(commission, signer) {
            if !protocol.is_signed_by(&commission.secretary.iin) {
                return Err(refusal::secretary_signs_first());
            }
        } else {
            return Err(refusal::not_a_signer());
        }
        Ok(())
    }

    fn complete(&self, protocol: &ProtocolVersion) -> Result<(), DomainError> {
        let quorum = self.commission.is_some_and(|c| {
            protocol.is_signed_by(&c.secretary.iin)
                && c.is_quorum(
                    protocol
                        .signers()
                        .filter(|iin| self.is_active_voter(c, iin)),
                )
        });
        if quorum {
            Ok(())
        } else {
            Err(refusal::no_signature_quorum())
        }
    }
}

/// A signature as the signer sends it.
pub struct Signing {
    pub kind: ProtocolKind,
    pub version: u32,
    pub signer_iin: Iin,
    pub content_sha256: String,
    pub dissent: Option<FileRef>,
    /// Verified by the engine before the command reaches the aggregate (decision 0401).
    pub proof: SignatureProof,
}

/// Every version of every protocol kind of one procedure, oldest first: all versions stay
/// visible (L3383–3387), deleted ones too. A new version of a kind makes the previous ones
/// «Не действительный».
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Protocols {
    versions: Vec<ProtocolVersion>,
}

impl Protocols {
    pub fn iter(&self) -> std::slice::Iter<'_, ProtocolVersion> {
        self.versions.iter()
    }

    /// The version of that number that is not deleted. Streams written before decision 0605
    /// may hold a deleted version and a later one with the same number: the later one is meant.
    pub fn get(&self, kind: ProtocolKind, version: u32) -> Option<&ProtocolVersion> {
        self.versions
            .iter()
            .rev()
            .find(|p| p.kind() == kind && p.version() == version && p.deleted_at.is_none())
    }

    /// The «Действительный» version of a kind.
    pub fn valid(&self, kind: ProtocolKind) -> Option<&ProtocolVersion> {
        self.versions
            .iter()
            .find(|p| p.kind() == kind && p.validity == ProtocolValidity::Valid)
    }

    /// When the valid version of a kind was published.
    pub fn published_at(&self, kind: ProtocolKind) -> Option<DateTime<Utc>> {
        self.valid(kind).and_then(|p| p.published_at)
    }

    pub fn versions(&self, kind: ProtocolKind) -> impl Iterator<Item = &ProtocolVersion> {
        self.versions.iter().filter(move |p| p.kind() == kind)
    }

    /// A published version of the kind was superseded: the kind is being revised.
    pub fn revised(&self, kind: ProtocolKind) -> bool {
        self.versions(kind)
            .any(|p| p.published_at.is_some() && p.validity == ProtocolValidity::Invalid)
    }

    // ---- decide ---------------------------------------------------------------------------

    /// A new version of the content's kind; the caller says what the protocol states. Deleted
    /// versions count: a re-formed protocol takes the next number (spec 000-A §6).
    pub fn form(&self, automatic: bool, mut content: ProtocolContent) -> ProtocolFormed {
        content.version = self
            .versions(content.kind)
            .map(ProtocolVersion::version)
            .max()
            .unwrap_or(0)
            + 1;
        let content_sha256 = content.sha256_hex();
        ProtocolFormed {
            automatic,
            content,
            content_sha256,
        }
    }

    /// The current, unpublished version a person may sign; `phase_open` is the method's word
    /// on whether its phase takes signatures of this kind.
    pub fn signable(
        &self,
        kind: ProtocolKind,
        version: u32,
        phase_open: bool,
    ) -> Result<&ProtocolVersion, DomainError> {
        let protocol = self
            .get(kind, version)
            .ok_or_else(refusal::protocol_not_found)?;
        if protocol.validity != ProtocolValidity::Valid {
            return Err(refusal::protocol_superseded());
        }
        if protocol.automatic {
            return Err(refusal::protocol_not_signable());
        }
        if protocol.published_at.is_some() {
            return Err(refusal::protocol_already_published());
        }
        if !phase_open {
            return Err(refusal::wrong_status());
        }
        Ok(protocol)
    }

    pub fn sign(
        &self,
        signing: Signing,
        policy: &dyn SignerPolicy,
        phase_open: bool,
        now: DateTime<Utc>,
    ) -> Result<ProtocolSigned, DomainError> {
        let Signing {
            kind,
            version,
            signer_iin,
            content_sha256,
            dissent,
            proof,
        } = signing;
        let protocol = self.signable(kind, version, phase_open)?;
        if !content_sha256.eq_ignore_ascii_case(&protocol.content_sha256) {
            return Err(refusal::content_hash_mismatch());
        }
        if protocol.is_signed_by(&signer_iin) {
            return Err(refusal::already_signed());
        }
        policy.admit(protocol, &signer_iin, dissent.is_some())?;
        if let Some(file) = &dissent {
            file.validate()?;
        }
        Ok(ProtocolSigned {
            kind,
            version,
            signature: Signature {
                signer_iin,
                content_sha256: protocol.content_sha256.clone(),
                dissent,
                signed_at: now,
                proof: Some(proof),
            },
        })
    }

    /// «Причина отсутствия подписи» for a member who cannot sign (L2569–2575).
    pub fn record_absence(
        &self,
        (kind, version): (ProtocolKind, u32),
        member_iin: Iin,
        is_member: bool,
        phase_open: bool,
        file: FileRef,
        now: DateTime<Utc>,
    ) -> Result<SignatureAbsenceRecorded, DomainError> {
        let protocol = self.signable(kind, version, phase_open)?;
        if !is_member {
            return Err(refusal::not_a_commission_member());
        }
        if protocol.is_signed_by(&member_iin) {
            return Err(refusal::already_signed());
        }
        file.validate()?;
        Ok(SignatureAbsenceRecorded {
            kind,
            version,
            member_iin,
            file,
            recorded_at: now,
        })
    }

    /// Publishes the valid version once the kind's signatures are there.
    pub fn publish(
        &self,
        kind: ProtocolKind,
        policy: &dyn SignerPolicy,
        phase_open: bool,
        now: DateTime<Utc>,
    ) -> Result<(&ProtocolVersion, ProtocolPublished), DomainError> {
        let valid = self.valid(kind).ok_or_else(refusal::protocol_not_found)?;
        let protocol = self.signable(kind, valid.version(), phase_open)?;
        policy.complete(protocol)?;
        let published = ProtocolPublished {
            kind,
            version: protocol.version(),
            published_at: now,
        };
        Ok((protocol, published))
    }

    /// The system publishes what it formed itself, without signatures (L1884–1926, L3123–3129).
    pub fn publish_automatic(formed: &ProtocolFormed, now: DateTime<Utc>) -> ProtocolPublished {
        ProtocolPublished {
            kind: formed.content.kind,
            version: formed.content.version,
            published_at: now,
        }
    }

    /// The valid version, if it is a secretary's unpublished one: only such a version is deleted.
    pub fn deletable(&self, kind: ProtocolKind) -> Result<&ProtocolVersion, DomainError> {
        let protocol = self.valid(kind).ok_or_else(refusal::protocol_not_found)?;
        if protocol.automatic || protocol.published_at.is_some() {
            return Err(refusal::protocol_already_published());
        }
        Ok(protocol)
    }

    pub fn delete(protocol: &ProtocolVersion, now: DateTime<Utc>) -> ProtocolDeleted {
        ProtocolDeleted {
            kind: protocol.kind(),
            version: protocol.version(),
            deleted_at: now,
        }
    }

    pub fn attach_expert_opinion(
        &self,
        kind: ProtocolKind,
        file: FileRef,
        now: DateTime<Utc>,
    ) -> Result<ExpertOpinionAttached, DomainError> {
        let protocol = self.valid(kind).ok_or_else(refusal::protocol_not_found)?;
        file.validate()?;
        Ok(ExpertOpinionAttached {
            kind,
            version: protocol.version(),
            file,
            attached_at: now,
        })
    }

    // ---- evolve ---------------------------------------------------------------------------

    pub fn formed(&mut self, e: &ProtocolFormed) {
        for previous in self
            .versions
            .iter_mut()
            .filter(|p| p.kind() == e.content.kind)
        {
            previous.validity = ProtocolValidity::Invalid;
        }
        self.versions.push(ProtocolVersion {
            content: e.content.clone(),
            content_sha256: e.content_sha256.clone(),
            automatic: e.automatic,
            signatures: Vec::new(),
            absences: Vec::new(),
            expert_opinion: None,
            published_at: None,
            validity: ProtocolValidity::Valid,
            deleted_at: None,
        });
    }

    pub fn deleted(&mut self, e: &ProtocolDeleted) {
        if let Some(p) = self.get_mut(e.kind, e.version) {
            p.validity = ProtocolValidity::Invalid;
            p.deleted_at = Some(e.deleted_at);
        }
        // The previous version still standing, if any, is current again.
        if let Some(last) = self
            .versions
            .iter_mut()
            .rev()
            .find(|p| p.kind() == e.kind && p.deleted_at.is_none())
        {
            last.validity = ProtocolValidity::Valid;
        }
    }

    pub fn signed(&mut self, e: &ProtocolSigned) {
        if let Some(p) = self.get_mut(e.kind, e.version) {
            p.signatures.push(e.signature.clone());
        }
    }

    pub fn absence_recorded(&mut self, e: &SignatureAbsenceRecorded) {
        if let Some(p) = self.get_mut(e.kind, e.version) {
            p.absences.push((e.member_iin, e.file.clone()));
        }
    }

    pub fn expert_opinion_attached(&mut self, e: &ExpertOpinionAttached) {
        if let Some(p) = self.get_mut(e.kind, e.version) {
            p.expert_opinion = Some(e.file.clone());
        }
    }

    pub fn published(&mut self, e: &ProtocolPublished) {
        if let Some(p) = self.get_mut(e.kind, e.version) {
            p.published_at = Some(e.published_at);
        }
    }

    fn get_mut(&mut self, kind: ProtocolKind, version: u32) -> Option<&mut ProtocolVersion> {
        self.versions
            .iter_mut()
            .rev()
            .find(|p| p.kind() == kind && p.version() == version && p.deleted_at.is_none())
    }
}

/// A new version of a protocol; the version number is in the content, validity is derived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolFormed {
    pub automatic: bool,
    pub content: ProtocolContent,
    pub content_sha256: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolDeleted {
    pub kind: ProtocolKind,
    pub version: u32,
    pub deleted_at: DateTime<Utc>,
}

/// Version 2 (decision 0890) keeps the signature's proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolSigned {
    pub kind: ProtocolKind,
    pub version: u32,
    pub signature: Signature,
}

/// `ProtocolSigned` version 1: the signature was verified at signing but not kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolSignedV1 {
    pub kind: ProtocolKind,
    pub version: u32,
    pub signature: SignatureV1,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignatureV1 {
    pub signer_iin: Iin,
    pub content_sha256: String,
    pub dissent: Option<FileRef>,
    pub signed_at: DateTime<Utc>,
}

impl From<ProtocolSignedV1> for ProtocolSigned {
    fn from(v1: ProtocolSignedV1) -> Self {
        let SignatureV1 {
            signer_iin,
            content_sha256,
            dissent,
            signed_at,
        } = v1.signature;
        Self {
            kind: v1.kind,
            version: v1.version,
            signature: Signature {
                signer_iin,
                content_sha256,
                dissent,
                signed_at,
                proof: None,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SignatureAbsenceRecorded {
    pub kind: ProtocolKind,
    pub version: u32,
    pub member_iin: Iin,
    pub file: FileRef,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExpertOpinionAttached {
    pub kind: ProtocolKind,
    pub version: u32,
    pub file: FileRef,
    pub attached_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolPublished {
    pub kind: ProtocolKind,
    pub version: u32,
    pub published_at: DateTime<Utc>,
}
