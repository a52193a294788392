//! The portal's own words: every status and enumeration goes out as its stable id (for code)
//! and the exact Russian term the portal shows (for people).

use async_graphql::SimpleObject;
use zakup_domain::announcement::actions::{Action, LotAction};
use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
use zakup_domain::camera_control::notice::{Direction, Remedy};
use zakup_domain::camera_control::objection::Conclusion;
use zakup_domain::discussion::DiscussionDecision;
use zakup_domain::guarantee::{
    GuaranteeKind, GuaranteeLotStatus, GuaranteeStatus, RequestCause, RequestKind,
};
use zakup_domain::kernel::act::{ActType, Body};
use zakup_domain::lot::{DumpingAttribute, FailureReason, WorkKind};
use zakup_domain::method::qualification_selection::QualificationSection;
use zakup_domain::protocol::ProtocolKind;
use zakup_domain::status::{
    AdmissionDecision, AnnouncementStatus, ApplicationStatus, DiscountsStatus, LotInApplication,
    LotStatus, ProtocolValidity, VotingControlStatus,
};

#[derive(SimpleObject, Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Stable snake_case id, e.g. `published_accepting_applications`.
    pub id: String,
    /// The portal's Russian wording, e.g. «Опубликовано (прием заявок)».
    pub original: String,
}

/// A closed set of portal terms (the domain's `portal_terms!` enums).
pub trait PortalTerm: Copy + 'static {
    const ALL: &'static [Self];
    fn id(self) -> &'static str;
    fn original(self) -> &'static str;
}

macro_rules! portal_term {
    ($($t:ty),+) => {$(
        impl PortalTerm for $t {
            const ALL: &'static [Self] = <$t>::ALL;
            fn id(self) -> &'static str { <$t>::id(self) }
            fn original(self) -> &'static str { <$t>::original(self) }
        }
    )+};
}

portal_term!(
    Action,
    LotAction,
    AnnouncementStatus,
    LotStatus,
    ApplicationStatus,
    LotInApplication,
    AdmissionDecision,
    VotingControlStatus,
    ProtocolValidity,
    ProtocolKind,
    Method,
    ProcurementType,
    SubjectType,
    DiscussionDecision,
    Direction,
    Remedy,
    Conclusion,
    FailureReason,
    DiscountsStatus,
    Body,
    ActType,
    DumpingAttribute,
    WorkKind,
    QualificationSection,
    GuaranteeKind,
    GuaranteeStatus,
    GuaranteeLotStatus,
    RequestKind,
    RequestCause
);

impl Term {
    pub fn of<T: PortalTerm>(value: T) -> Term {
        Term {
            id: value.id().to_owned(),
            original: value.original().to_owned(),
        }
    }

    /// The term of a stored id; an id the code no longer knows is shown as is.
    pub fn stored<T: PortalTerm>(id: &str) -> Term {
        parse::<T>(id).map_or_else(
            || Term {
                id: id.to_owned(),
                original: id.to_owned(),
            },
            Term::of,
        )
    }
}

pub fn parse<T: PortalTerm>(id: &str) -> Option<T> {
    T::ALL.iter().copied().find(|t| t.id() == id)
}

/// Every id of `T`, for error messages.
pub fn ids<T: PortalTerm>() -> String {
    T::ALL.iter().map(|t| t.id()).collect::<Vec<_>>().join(", ")
}
