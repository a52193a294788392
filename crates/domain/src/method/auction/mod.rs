//! «Аукцион» (spec 000-B §1.5, seed L3707–5912): an electronic reverse auction for goods, one
//! lot. Up to the admission protocol it is the open tender's procedure (documentation and its
//! discussion, the commission's review, the ППД, supplements and re-review); the admission
//! protocol's publication fixes the bidding's time frame, and bidding replaces the conditional
//! discounts and the results protocol the commission signs (docs/decisions/0700).

pub mod result;
pub mod schedule;

use super::{AcceptanceDates, MethodRules, Step, guard};
use crate::actor::Context;
use crate::announcement::header::{Header, SubjectType};
use crate::announcement::refusal;
use crate::error::DomainError;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus};
use crate::voting::{CommissionMajority, VotingRules};

/// Minimum working days between publication and the start of acceptance, and length of the
/// discussion (spec 000-B D-1, D-6; L4309–4311, L4367–4371).
const DISCUSSION_WORKING_DAYS: u32 = 5;

crate::phases! {
    /// The statuses an auction goes through (spec 000-B §3.1, §4.2).
    Phase {
        Draft => Draft,
        Published => Published,
        DocumentationChanged => DocumentationChanged,
        DraftDocumentationChange => DraftDocumentationChange,
        AcceptingApplications => PublishedAcceptingApplications,
        ReviewingApplications => ReviewingApplications,
        FormingPreliminaryAdmission => FormingPreliminaryAdmissionProtocol,
        SupplementingApplications => PublishedSupplementingApplications,
        DecidingPpdRevision => DecidingPpdRevision,
        PpdRevision => PpdRevision,
        ReviewingSupplements => ReviewingSupplements,
        AwaitingAuction => PublishedAwaitingAuction,
        AuctionInProgress => PublishedAuctionInProgress,
        FormingResults => FormingResultsProtocol,
        Completed => Completed,
        Suspended => Suspended,
        Cancelled => Cancelled,
    }
}

use Phase::*;

/// The admission protocol follows a completed (re-)review; the announcement keeps the review's
/// status until it is published (spec 000-B §3.1, P1–P4).
const ADMISSION: &[Phase] = &[ReviewingApplications, ReviewingSupplements];

/// Which steps each phase allows.
const GUARDS: &[(Step, &[Phase])] = &[
    (Step::Discussion, &[Published]),
    (Step::SignProtocol(ProtocolKind::Discussion), &[Published]),
    (Step::StartAcceptance, &[Published]),
    (Step::Acceptance, &[AcceptingApplications]),
    // R2–R13; the ППД revision by notice reopens the first review (spec 000-D L12518–12540).
    (
        Step::Review,
        &[ReviewingApplications, ReviewingSupplements, PpdRevision],
    ),
    (
        Step::FormPreliminaryAdmissionProtocol,
        &[ReviewingApplications, PpdRevision],
    ),
    (
        Step::SignProtocol(ProtocolKind::PreliminaryAdmission),
        &[FormingPreliminaryAdmission],
    ),
    (
        Step::ExpertOpinion(ProtocolKind::PreliminaryAdmission),
        &[FormingPreliminaryAdmission],
    ),
    (Step::Supplements, &[SupplementingApplications]),
    // R14: only after a published ППД and supplemented applications (L5354–5356).
    (Step::CommissionQuery, &[ReviewingSupplements]),
    (Step::FormAdmissionProtocol, ADMISSION),
    (Step::SignProtocol(ProtocolKind::Admission), ADMISSION),
    (Step::StartAuction, &[AwaitingAuction]),
    (Step::CompleteAuction, &[AuctionInProgress]),
    // A results protocol re-formed by a cancellation is signed again (X6, L5752–5766).
    (Step::SignProtocol(ProtocolKind::Results), &[FormingResults]),
    // From publication until bidding begins, whole procurement (spec 000-B §4.1.10;
    // docs/decisions/0702).
    (
        Step::Suspend,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            FormingPreliminaryAdmission,
            SupplementingApplications,
            DecidingPpdRevision,
            ReviewingSupplements,
            AwaitingAuction,
        ],
    ),
    (Step::Resume, &[Suspended]),
    // Spec 000-A L618–622, as for every method.
    (Step::ChangeCreator, &[Published, FormingResults, Completed]),
    // RC1, S23 (L5864–5868).
    (
        Step::ChangeRepresentatives,
        &[
            Published,
            AcceptingApplications,
            ReviewingApplications,
            ReviewingSupplements,
        ],
    ),
    // C1–C4 (L4672–4720), as in the open tender.
    (
        Step::ChangeCommission,
        &[Published, AcceptingApplications, SupplementingApplications],
    ),
    (
        Step::ChangeCommissionWhileVoting,
        &[ReviewingApplications, ReviewingSupplements],
    ),
];

pub struct Auction;

impl MethodRules for Auction {
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool {
        guard(GUARDS, Phase::of(status), step)
    }

    fn accepting(&self) -> AnnouncementStatus {
        AcceptingApplications.status()
    }

    /// The auction commission: majority with the chairman (spec 000-B §7.3, L5088–5092).
    fn commission(&self) -> Option<&'static dyn VotingRules> {
        Some(&CommissionMajority)
    }

    /// Primary procurement only: `Announcement::has_discussion` skips a repeat one (D-4).
    fn discussion_days(&self) -> Option<u32> {
        Some(DISCUSSION_WORKING_DAYS)
    }

    /// D-1..D-4: start ≥ publication + 5 working days unless a repeat auction, on a working day
    /// always (docs/decisions/0717); end ≥ start + 15 calendar days. The copy's acceptance starts at once: only its
    /// length counts (D-9).
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError> {
        super::open_tender::acceptance_dates(dates, ctx, dates.repeat)
    }

    /// Only admitted suppliers bid (spec 000-B P6, L5576).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool {
        decision == Some(&AdmissionDecision::Admitted)
    }

    /// No conditional discounts (spec 000-B §8.3): the ППД kept with no supplement leads back
    /// to the re-review's status, where the admission protocol is formed (docs/decisions/0700).
    fn without_supplements(&self) -> Option<AnnouncementStatus> {
        Some(ReviewingSupplements.status())
    }

    /// Spec 000-D L10840–10844; the auction's hooks, spec 000-B §9.4.
    fn under_camera_control(&self) -> bool {
        true
    }

    /// The commission's parts, as the open tender's, and the bidding's time frame.
    fn procedure(&self) -> MethodProcedure {
        MethodProcedure::Auction(Box::default())
    }

    /// «Вид предмета закупки» is «Товар» and not editable (L3743–3745, L3783–3789).
    fn validate_header(&self, header: &Header) -> Result<(), DomainError> {
        if header.subject_type != SubjectType::Goods {
            return Err(refusal::goods_only());
        }
        Ok(())
    }

    /// L3840–3842.
    fn single_lot(&self) -> bool {
        true
    }
}
