//! Who sees what of each stored event type of an announcement: ONE table (`RULES`), read by
//! every place that shows events (the auditors' replay `events`, the `timeline` read model's
//! answers) so that a rule is written once. A new event type gets its row here; the test below
//! fails until it has one. A type missing from the table is shown like camera control (only to
//! the auditors and the organizer's organisation): forgetting a row hides, never leaks.
//!
//! The rules (issue 24 item 5, docs/decisions/0650):
//! * `Public`: everyone who may see the announcement reads the payload and who acted.
//! * `SealedUntilOpening`: before opening, the event exists only for the organisation that
//!   acted (the supplier's own application, L2093–2101); afterwards it is public.
//! * `CameraControl`: the type and instants are public, the payload and the actor only for the
//!   auditors and the organizer's organisation (decision 0308).
//! * `SenderPrivate`: the portal publishes the question and its answer but not who asked
//!   (spec 000-A §4.2.2): the payload without the sender's field, and no actor, for everyone but
//!   the sender's organisation, the organizer's organisation and the auditors.

/// How much of one event type a viewer may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Public,
    SealedUntilOpening,
    CameraControl,
    /// `field` of the payload names the sender.
    SenderPrivate {
        field: &'static str,
    },
    /// A price offer: `field` names the bidder, shown as [`bid_shown`] says.
    BidderPrivate {
        field: &'static str,
    },
}

use Visibility::{CameraControl as Camera, Public, SealedUntilOpening as Sealed};

/// Every stored event type of the announcement stream and its rule (the bidding stream's are
/// [`BIDDING_RULES`]).
pub const RULES: &[(&str, Visibility)] = &[
    ("AnnouncementDrafted", Public),
    ("LegalRegimePinned", Public),
    ("AnnouncementHeaderUpdated", Public),
    ("LotsAdded", Public),
    ("LotsRemoved", Public),
    ("LotTermsSet", Public),
    ("TechnicalSpecificationAttached", Public),
    ("TechnicalSpecificationRemoved", Public),
    ("RepresentativesSet", Public),
    ("CommissionSet", Public),
    ("TenderDocumentationSigned", Public),
    ("ContractDraftApproved", Public),
    ("ContractDraftRevoked", Public),
    ("LotRefreshedFromPlan", Public),
    ("AcceptanceDatesSet", Public),
    ("AnnouncementPublished", Public),
    ("DraftDeleted", Public),
    ("AnnouncementCopyCreated", Public),
    (
        "DiscussionRequestSubmitted",
        Visibility::SenderPrivate {
            field: "supplier_bin",
        },
    ),
    ("DiscussionRequestAnswered", Public),
    ("DiscussionAnswerEdited", Public),
    ("DiscussionEnded", Public),
    ("DiscussionCompleted", Public),
    ("AcceptanceRescheduled", Public),
    ("DocumentationChangeDecided", Public),
    ("AcceptanceStarted", Public),
    ("ApplicationSubmitted", Sealed),
    ("ApplicationWithdrawn", Sealed),
    ("AcceptanceEnded", Public),
    // S17: the end the secretary enters is published with the protocol (decision 0606).
    ("AcceptanceEndEntered", Public),
    // The auction's schedule and start are on its public page; its result is recorded after
    // the round ends, when the portal publishes the results (decisions 0701, 0704).
    ("AuctionScheduled", Public),
    ("AuctionStarted", Public),
    ("AuctionResultRecorded", Public),
    ("ResultsDataEntered", Public),
    ("PublicationPlacesSet", Public),
    ("ApplicationsOpened", Public),
    ("VoteCast", Public),
    ("VoteWithdrawn", Public),
    ("VotingCompleted", Public),
    ("VotingReopened", Public),
    ("ProtocolFormed", Public),
    ("ProtocolDeleted", Public),
    ("ProtocolSigned", Public),
    ("SignatureAbsenceRecorded", Public),
    ("ExpertOpinionAttached", Public),
    ("ProtocolPublished", Public),
    ("SupplementPeriodStarted", Public),
    ("ApplicationSupplemented", Sealed),
    ("SupplementPeriodEnded", Public),
    ("CameraControlNoticeReceived", Public),
    ("CameraControlNoticeResolved", Public),
    ("PpdRevisionDecisionRequired", Public),
    ("PpdRevisionDeclined", Public),
    ("CommissionQueryRecorded", Public),
    ("ConditionalDiscountsFilled", Public),
    ("ConditionalDiscountsCompleted", Public),
    ("ProcurementCompleted", Public),
    ("ProcurementSuspended", Public),
    ("ProcurementResumed", Public),
    ("LotsCancelled", Public),
    ("ProcurementRefused", Public),
    ("CommissionChanged", Public),
    ("CreatorChanged", Public),
    ("RepresentativesChanged", Public),
    ("LotContractDrafted", Public),
    ("LotContractDeleted", Public),
    // Names the winner, public since the results protocol (decision 0853).
    ("ContractEvasionRecorded", Public),
    // A deadline moved by a technical failure or a maintenance window, and the mark of its
    // step: the new deadline is public like the one it replaces (spec 001-004 §4.2).
    ("DeadlineExtended", Public),
    ("DeadlineMeasuresApplied", Public),
    // The single source (spec 000-C §1.7): its creation after a failed ЗЦП and the record of it
    // on the ЗЦП, its terms (the invited supplier is on the announcement, L6908), and the invited
    // supplier's refusal, which opens the procurement in the same decision (O2, L7566–7576).
    ("SingleSourceCreated", Public),
    ("SingleSourceStarted", Public),
    ("SingleSourceTermsSet", Public),
    ("ParticipationRefused", Public),
    // The qualification selection (spec 000-C Q8): the confirmed data go to the public registry
    // (L10100–10104); the secretary's ИИН leaves the payload as every ИИН does (decision 0671).
    ("QualificationInfoFilled", Public),
    // Camera control (spec 000-D §4).
    ("NoticeDelivered", Camera),
    ("NoticeAcknowledged", Camera),
    ("NoticeExpired", Camera),
    ("ObjectionSaved", Camera),
    ("ObjectionDeleted", Camera),
    ("ObjectionSubmittedForApproval", Camera),
    ("ObjectionApprovalRejected", Camera),
    ("ObjectionApproved", Camera),
    ("ObjectionSigned", Camera),
    ("ObjectionConcluded", Camera),
    ("DocumentationChangeByNoticesStarted", Camera),
    ("NoticesSelectedForCancellation", Camera),
    ("LotsCancelledByNotices", Camera),
    ("DiscussionProtocolWithoutExecutionChosen", Camera),
    ("PpdRevisionStarted", Camera),
    ("ContinuedWithoutPpdRevision", Camera),
    ("ResultsRevisionStarted", Camera),
    ("ContinuedWithoutNoticeExecution", Camera),
    ("NoticeExecutionSubmittedForConfirmation", Camera),
    ("NoticeExecutionConfirmed", Camera),
    ("NoticeExecutionNotConfirmed", Camera),
    ("NoticesHandedOverToCopy", Camera),
    ("NoticesTakenOverFromSource", Camera),
];

/// The auction's bidding stream (`auction-<id>`, decision 0703). Its opening and end are public
/// (the admitted suppliers are the admission protocol's, the winner the results protocol's); an
/// offer's price and instant are public, but who offered it is not (decision 0711, see
/// [`bid_shown`]).
pub const BIDDING_RULES: &[(&str, Visibility)] = &[
    ("AuctionBiddingOpened", Public),
    (
        "AuctionPriceOffered",
        Visibility::BidderPrivate {
            field: "supplier_bin",
        },
    ),
    ("AuctionBiddingEnded", Public),
    ("AuctionBiddingClosed", Public),
];

/// Whether `viewer` may know that organisation `bidder` made an offer (issue 15 item 6): the
/// bidder always; while bidding runs nobody else, not even the organizer (the portal shows
/// suppliers the prices only, and a named bid invites collusion); once bidding has ended the
/// auditors and the organizer's organisation (decision 0711). Other suppliers never do.
pub fn bid_shown(bidder: &str, ended: bool, viewer: Viewer<'_>) -> bool {
    viewer.org == Some(bidder) || (ended && viewer.oversees)
}

/// The rule of `event_type`; a type without a row is read like camera control.
pub fn rule(event_type: &str) -> Visibility {
    RULES
        .iter()
        .chain(BIDDING_RULES)
        .find(|(t, _)| *t == event_type)
        .map_or(Visibility::CameraControl, |(_, v)| *v)
}

/// The event types with rule `v`, for SQL filters (`event_type = ANY($n)`).
pub fn types(v: Visibility) -> Vec<&'static str> {
    RULES
        .iter()
        .filter(|(_, r)| *r == v)
        .map(|(t, _)| *t)
        .collect()
}

/// Who is looking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer<'a> {
    /// The viewer's organisation, when signed in.
    pub org: Option<&'a str>,
    /// An auditor, or the staff of the organizer's organisation: reads every event whole.
    pub oversees: bool,
}

/// What a viewer sees of one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    /// Not at all: neither its number nor its instants.
    Hidden,
    /// The type and instants; no payload, no actor.
    Sealed,
    /// The payload without the field naming the sender; no actor.
    WithoutSender(&'static str),
    Whole,
}

/// What `viewer` sees of an event of `event_type` acted by organisation `actor_org`, on an
/// announcement whose applications are `opened` or not.
pub fn shown(event_type: &str, actor_org: &str, opened: bool, viewer: Viewer<'_>) -> Shown {
    let own = viewer.org == Some(actor_org);
    match rule(event_type) {
        Visibility::Public => Shown::Whole,
        Visibility::SealedUntilOpening if !opened && !own => Shown::Hidden,
        Visibility::SealedUntilOpening => Shown::Whole,
        Visibility::CameraControl if viewer.oversees => Shown::Whole,
        Visibility::CameraControl => Shown::Sealed,
        Visibility::SenderPrivate { .. } if viewer.oversees || own => Shown::Whole,
        Visibility::SenderPrivate { field } => Shown::WithoutSender(field),
        // Only the bidding stream has such events, and its reader (`bid_shown`) knows whether
        // bidding has ended; without that, the bidder's field is shown to the bidder alone.
        Visibility::BidderPrivate { .. } if own => Shown::Whole,
        Visibility::BidderPrivate { field } => Shown::WithoutSender(field),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use zakup_domain::announcement::AnnouncementEvent;
    use zakup_domain::camera_control::CameraControlEvent;

    #[test]
    fn every_stored_event_type_has_exactly_one_rule() {
        let stored: BTreeSet<&str> = AnnouncementEvent::TYPES
            .iter()
            .chain(CameraControlEvent::TYPES)
            .map(|(t, _)| *t)
            .collect();
        let ruled: Vec<&str> = RULES.iter().map(|(t, _)| *t).collect();
        let distinct: BTreeSet<&str> = ruled.iter().copied().collect();
        assert_eq!(distinct.len(), ruled.len(), "a type with two rules");
        assert_eq!(distinct, stored);
        for (t, _) in CameraControlEvent::TYPES {
            assert_eq!(rule(t), Visibility::CameraControl, "{t}");
        }
    }

    #[test]
    fn every_bidding_event_type_has_exactly_one_rule() {
        use zakup_domain::bidding::BiddingEvent;
        let stored: BTreeSet<&str> = BiddingEvent::TYPES.iter().map(|(t, _)| *t).collect();
        let ruled: Vec<&str> = BIDDING_RULES.iter().map(|(t, _)| *t).collect();
        let distinct: BTreeSet<&str> = ruled.iter().copied().collect();
        assert_eq!(distinct.len(), ruled.len(), "a type with two rules");
        assert_eq!(distinct, stored);
    }

    /// Issue 15 item 6, decision 0711: during bidding a supplier sees the prices but not who
    /// offered them; the bidder sees its own; the organizer and the auditors see every bidder
    /// once bidding has ended, other suppliers never.
    #[test]
    fn a_bid_names_its_bidder_to_the_bidder_and_afterwards_to_the_organizer_and_auditors() {
        let bidder = "100140000001";
        let other = Viewer {
            org: Some("100140000002"),
            oversees: false,
        };
        let own = Viewer {
            org: Some(bidder),
            oversees: false,
        };
        let organizer = Viewer {
            org: Some("100140000009"),
            oversees: true,
        };
        let anonymous = Viewer {
            org: None,
            oversees: false,
        };
        for ended in [false, true] {
            assert!(!bid_shown(bidder, ended, other));
            assert!(!bid_shown(bidder, ended, anonymous));
            assert!(bid_shown(bidder, ended, own));
        }
        assert!(!bid_shown(bidder, false, organizer), "not during bidding");
        assert!(bid_shown(bidder, true, organizer), "afterwards");
        assert_eq!(
            shown("AuctionPriceOffered", bidder, true, other),
            Shown::WithoutSender("supplier_bin")
        );
        assert_eq!(shown("AuctionBiddingEnded", "p", true, other), Shown::Whole);
    }

    /// Spec 000-A §4.2.2: the request and its answer are published, the sender is not.
    #[test]
    fn a_discussion_request_names_its_sender_only_to_the_sender_the_organizer_and_auditors() {
        let t = "DiscussionRequestSubmitted";
        let sender = "100140000001";
        let other = Viewer {
            org: Some("100140000002"),
            oversees: false,
        };
        let anonymous = Viewer {
            org: None,
            oversees: false,
        };
        for v in [other, anonymous] {
            assert_eq!(
                shown(t, sender, false, v),
                Shown::WithoutSender("supplier_bin")
            );
            assert_eq!(
                shown(t, sender, true, v),
                Shown::WithoutSender("supplier_bin")
            );
        }
        let own = Viewer {
            org: Some(sender),
            oversees: false,
        };
        let staff = Viewer {
            org: Some("100140000009"),
            oversees: true,
        };
        assert_eq!(shown(t, sender, false, own), Shown::Whole);
        assert_eq!(shown(t, sender, false, staff), Shown::Whole);
        // The answer is public.
        assert_eq!(
            shown("DiscussionRequestAnswered", "x", false, other),
            Shown::Whole
        );
    }

    #[test]
    fn applications_before_opening_and_camera_control_keep_their_rules() {
        let supplier = Viewer {
            org: Some("s1"),
            oversees: false,
        };
        assert_eq!(
            shown("ApplicationSubmitted", "s2", false, supplier),
            Shown::Hidden
        );
        assert_eq!(
            shown("ApplicationSubmitted", "s1", false, supplier),
            Shown::Whole
        );
        assert_eq!(
            shown("ApplicationSubmitted", "s2", true, supplier),
            Shown::Whole
        );
        assert_eq!(shown("NoticeDelivered", "k", true, supplier), Shown::Sealed);
        let auditor = Viewer {
            org: None,
            oversees: true,
        };
        assert_eq!(shown("NoticeDelivered", "k", true, auditor), Shown::Whole);
        assert_eq!(rule("NoSuchEvent"), Visibility::CameraControl);
    }
}
