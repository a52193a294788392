//! Procurement methods as modules (spec 000-A: «Запрос ценовых предложений», «Открытый
//! конкурс»). A method owns its phases (the announcement statuses it can be in, shown in the
//! portal's words), one guard table saying which [`Step`] each phase allows, which components
//! it uses, its deadlines and its outcome rule. The shared mechanisms are the procedure
//! components (`crate::procedure`); the announcement routes a command to them once the method
//! allows it.
//!
//! [`Method::rules`] is the registry: the one place that matches on the method.

pub mod auction;
pub mod housing;
pub mod open_tender;
pub mod paper;
pub mod price_quotations;
pub mod procedure;
pub mod qualification_selection;
pub mod single_source;
pub mod state_social_order;

use chrono::{DateTime, Utc};

use crate::actor::Context;
use crate::announcement::header::Header;
pub use crate::announcement::header::Method;
use crate::error::DomainError;
use crate::lot::FailureReason;
use crate::method::procedure::MethodProcedure;
use crate::protocol::ProtocolKind;
use crate::status::{AdmissionDecision, AnnouncementStatus, LotStatus};
use crate::voting::VotingRules;

impl Method {
    /// The method's module.
    pub fn rules(self) -> &'static dyn MethodRules {
        match self {
            Method::PriceQuotations => &price_quotations::PriceQuotations,
            Method::OpenTender => &open_tender::OpenTender,
            Method::Auction => &auction::Auction,
            Method::SingleSource => &single_source::SingleSource,
            Method::StateSocialOrder => &state_social_order::StateSocialOrder,
            Method::Housing => &housing::Housing,
            Method::TwoStage | Method::Prequalification => &paper::PAPER,
            Method::PriceQuotationsNonGz | Method::TenderNonGz => &paper::NON_SUBJECTS,
            Method::QualificationSelection => &qualification_selection::QualificationSelection,
        }
    }
}

/// A step of the procedure whose phase the method decides: the guard tables' vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Supplier requests and their answers, the discussion protocol, the end of the
    /// discussion (§4.2).
    Discussion,
    StartAcceptance,
    /// The auction's bidding begins (spec 000-B P5).
    StartAuction,
    /// The bidding's outcome arrives (spec 000-B P7).
    CompleteAuction,
    /// Submitting and withdrawing offers, the end of acceptance.
    Acceptance,
    /// Supplementing applications after the ППД, and the end of that period.
    Supplements,
    /// Votes, their completion and reopening.
    Review,
    /// «Сведения о квалификации» of the admitted suppliers (spec 000-C Q8).
    QualificationInfo,
    /// Filling and completing the conditional discounts.
    ConditionalDiscounts,
    FormResultsProtocol,
    FormPreliminaryAdmissionProtocol,
    /// The auction's admission protocol (spec 000-B P1, L5504–5506).
    FormAdmissionProtocol,
    /// Deleting a results protocol before its publication.
    DeleteResultsProtocol,
    /// Entering the results of a procurement run off the portal (spec 000-C B6–B7).
    EnterResults,
    CommissionQuery,
    SignProtocol(ProtocolKind),
    ExpertOpinion(ProtocolKind),
    Suspend,
    Resume,
    ChangeCreator,
    ChangeRepresentatives,
    /// Changing the commission whatever the vote.
    ChangeCommission,
    /// Changing the commission while its vote is still open.
    ChangeCommissionWhileVoting,
}

/// Who reviews the applications once acceptance ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewer {
    /// Nobody: the offers are compared automatically (ЗЦП, L434–448).
    Automatic,
    /// The commission votes, the secretary completes the vote, the commission signs.
    Commission,
    /// The organizer's representative alone: his decisions are final once he has decided on
    /// every application, and he alone signs the results protocol (housing, spec 000-B §7.7,
    /// L6270–6364; docs/decisions/0745).
    OrganizerRepresentative,
    /// Nobody on the portal: the applications are submitted on paper and the creator enters
    /// the results by hand (spec 000-C §2.21, docs/decisions/0748).
    EnteredByHand,
}

/// The acceptance window as the organizer sets it.
#[derive(Debug, Clone, Copy)]
pub struct AcceptanceDates {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// 1 for the original, 2 for the documentation-change copy.
    pub index: u32,
    /// «Повторная закупка»: a method may exempt it from its minimum interval (spec 000-B D-4).
    pub repeat: bool,
    /// The failed procurement a single source follows, for a method whose interval depends on
    /// it (spec 000-C §5.1).
    pub source_failure: Option<single_source::SourceFailure>,
}

/// The latest end of an acceptance window, counted from the moment it is set: the seeds bound
/// the window from below only, and a window of a century holds the lots and the commission for
/// nothing (docs/decisions/0635).
pub const ACCEPTANCE_HORIZON_DAYS: i64 = 366;

impl AcceptanceDates {
    /// `acceptance_period_too_long` when the window ends past [`ACCEPTANCE_HORIZON_DAYS`].
    pub fn require_within_horizon(&self, ctx: &Context) -> Result<(), DomainError> {
        if self.end > ctx.now + chrono::Duration::days(ACCEPTANCE_HORIZON_DAYS) {
            return Err(crate::announcement::refusal::acceptance_period_too_long());
        }
        Ok(())
    }
}

/// What the announcement asks of its method.
pub trait MethodRules: Sync {
    /// The guard table: whether a status allows a step.
    fn allows(&self, status: AnnouncementStatus, step: Step) -> bool;

    /// The status while offers are accepted.
    fn accepting(&self) -> AnnouncementStatus;

    /// The rules of the commission's review, for a method with a commission; without one (the
    /// default) the creator acts as secretary and [`MethodRules::reviewer`] says who reviews.
    fn commission(&self) -> Option<&'static dyn VotingRules> {
        None
    }

    /// Who reviews the applications: the commission where the method has one.
    fn reviewer(&self) -> Reviewer {
        match self.commission() {
            Some(_) => Reviewer::Commission,
            None => Reviewer::Automatic,
        }
    }

    /// The working days of the documentation's discussion, for a method that has one (none by
    /// default).
    fn discussion_days(&self) -> Option<u32> {
        None
    }

    /// The deadlines: whether the acceptance window may be set so.
    fn validate_dates(&self, dates: AcceptanceDates, ctx: &Context) -> Result<(), DomainError>;

    /// The outcome rule: whether an offer with this admission decision competes for its lot
    /// (the lowest conditional price of those competing wins).
    fn competes(&self, decision: Option<&AdmissionDecision>) -> bool;

    /// The outcome rule's other half: whether a lot with `submitted` offers, `competing` of
    /// them, fails whatever the prices, and why. A lot fails with no offer, or with none
    /// competing (spec 000-C L7464–7484, docs/decisions/0601).
    fn fails(&self, submitted: usize, competing: usize) -> Option<FailureReason> {
        match (submitted, competing) {
            (0, _) => Some(FailureReason::NoApplications),
            (_, 0) => Some(FailureReason::NoAdmitted),
            _ => None,
        }
    }

    /// Where the procurement goes when the ППД is not revised and no application was
    /// supplemented (spec 000-D L12560–12598); none for a method without a ППД (the default).
    fn without_supplements(&self) -> Option<AnnouncementStatus> {
        None
    }

    /// Camera control covers the method: the open tender and the auction only, so not by
    /// default (spec 000-D L10840–10844).
    fn under_camera_control(&self) -> bool {
        false
    }

    /// The method's own parts, empty, for a new draft.
    fn procedure(&self) -> MethodProcedure;

    /// What the method demands of the header beyond the common fields (the auction: goods
    /// only, spec 000-B L3743–3745).
    fn validate_header(&self, _header: &Header) -> Result<(), DomainError> {
        Ok(())
    }

    /// The method takes exactly one lot (the auction, spec 000-B A4, L3840–3842).
    fn single_lot(&self) -> bool {
        false
    }

    /// The creator runs the procedure as the secretary does (forms, publishes, cancels): a
    /// method without a commission, and the single source, whose one voter is not its creator
    /// (spec 000-C §9.9).
    fn creator_is_secretary(&self) -> bool {
        self.commission().is_none()
    }

    /// The review is completed by forming the results protocol, with no separate completion of
    /// the voting (the single source, spec 000-C P1, L7746–7766).
    fn voting_completed_by_results_protocol(&self) -> bool {
        false
    }

    /// With nothing to review at the end of acceptance the results protocol is formed to be
    /// signed and published, rather than published automatically (the single source, spec
    /// 000-C O5, §4.3 AMBIGUOUS).
    fn empty_results_signed(&self) -> bool {
        false
    }

    /// What a lot of a draft is called (spec 000-C B2: «Проект лота»).
    fn draft_lot_status(&self) -> LotStatus {
        LotStatus::Draft
    }

    /// The draft prepares the technical specifications and the contract draft on the portal.
    fn documents_on_portal(&self) -> bool {
        true
    }

    /// The draft has the representatives step (not the procurement for non-subjects, spec
    /// 000-C L9385–9387).
    fn representatives_step(&self) -> bool {
        true
    }

    /// The status while the results protocol is formed, signed and published.
    fn results_protocol_status(&self) -> AnnouncementStatus {
        AnnouncementStatus::FormingResultsProtocol
    }

    /// Where the completed voting leads, given whether anyone was admitted: nowhere else by
    /// default (the review's status stays).
    fn status_after_voting(&self, _any_admitted: bool) -> Option<AnnouncementStatus> {
        None
    }

    /// The secretary may delete the results protocol before its publication (the
    /// qualification selection, spec 000-C Q12), not only a revision's.
    fn protocol_deletable_before_publication(&self) -> bool {
        false
    }
}

/// Declares a method's phases: each is one announcement status, shown in the portal's words
/// and stored by its snake_case id (`crate::status`).
#[macro_export]
macro_rules! phases {
    ($(#[$meta:meta])* $name:ident { $($phase:ident => $status:ident,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($phase,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$phase),+];

            pub fn status(self) -> $crate::status::AnnouncementStatus {
                match self {
                    $(Self::$phase => $crate::status::AnnouncementStatus::$status,)+
                }
            }

            pub fn of(status: $crate::status::AnnouncementStatus) -> Option<Self> {
                match status {
                    $($crate::status::AnnouncementStatus::$status => Some(Self::$phase),)+
                    #[allow(unreachable_patterns)]
                    _ => None,
                }
            }
        }
    };
}
/// Looks a step up in a guard table.
pub fn guard<P: Copy + PartialEq>(table: &[(Step, &[P])], phase: Option<P>, step: Step) -> bool {
    phase.is_some_and(|phase| {
        table
            .iter()
            .any(|(s, phases)| *s == step && phases.contains(&phase))
    })
}
