//! What only one method has, held by the announcement beside its core (issue 14, item 3). The
//! announcement's core is what every method has; `MethodProcedure` is the one enum over the
//! methods, and the announcement reaches a method's own parts only through it.

use crate::announcement::documents::TenderDocumentation;
use crate::announcement::header::Method;
use crate::commission::{Commission, CommissionQuery};
use crate::discounts::Discounts;
use crate::discussion::Discussion;

/// The parts of an announcement that only its method has.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum MethodProcedure {
    /// ЗЦП: compared automatically, no commission and no documentation of its own (L434–448).
    /// Also what an announcement not yet drafted holds: nothing.
    #[default]
    PriceQuotations,
    /// Boxed: the commission's parts outweigh ЗЦП's nothing many times over.
    OpenTender(Box<OpenTenderProcedure>),
}

/// What only «Открытый конкурс» has: the commission, its documentation, its discussion and the
/// conditional discounts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpenTenderProcedure {
    pub commission: Option<Commission>,
    pub tender_documentation: Option<TenderDocumentation>,
    /// The discussion of the documentation: its deadline, requests and protocol signers.
    pub discussion: Discussion,
    /// The conditional discounts per lot and application.
    pub discounts: Discounts,
    /// The commission's queries to other bodies during the review.
    pub commission_queries: Vec<CommissionQuery>,
}

impl MethodProcedure {
    /// The empty parts of a method, for a new draft.
    pub fn of(method: Method) -> Self {
        match method {
            Method::PriceQuotations => MethodProcedure::PriceQuotations,
            Method::OpenTender => MethodProcedure::OpenTender(Box::default()),
        }
    }

    /// The method these parts belong to; a header naming another method resets them (a draft
    /// changes its method only with no lots, L734–1525).
    pub fn method(&self) -> Method {
        match self {
            MethodProcedure::PriceQuotations => Method::PriceQuotations,
            MethodProcedure::OpenTender(_) => Method::OpenTender,
        }
    }

    pub fn open_tender(&self) -> Option<&OpenTenderProcedure> {
        match self {
            MethodProcedure::OpenTender(parts) => Some(parts),
            MethodProcedure::PriceQuotations => None,
        }
    }

    pub fn open_tender_mut(&mut self) -> Option<&mut OpenTenderProcedure> {
        match self {
            MethodProcedure::OpenTender(parts) => Some(parts),
            MethodProcedure::PriceQuotations => None,
        }
    }

    pub fn commission(&self) -> Option<&Commission> {
        self.open_tender()?.commission.as_ref()
    }

    pub fn tender_documentation(&self) -> Option<&TenderDocumentation> {
        self.open_tender()?.tender_documentation.as_ref()
    }

    pub fn discussion(&self) -> Option<&Discussion> {
        Some(&self.open_tender()?.discussion)
    }

    pub fn discounts(&self) -> Option<&Discounts> {
        Some(&self.open_tender()?.discounts)
    }

    pub fn discounts_mut(&mut self) -> Option<&mut Discounts> {
        Some(&mut self.open_tender_mut()?.discounts)
    }

    pub fn discussion_mut(&mut self) -> Option<&mut Discussion> {
        Some(&mut self.open_tender_mut()?.discussion)
    }
}
