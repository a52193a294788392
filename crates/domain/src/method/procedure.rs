//! What only one method has, held by the announcement beside its core (issue 14, item 3). The
//! announcement's core is what every method has; `MethodProcedure` is the one enum over the
//! methods, and the announcement reaches a method's own parts only through it.

use crate::announcement::documents::TenderDocumentation;
use crate::commission::{Commission, CommissionQuery, Person};
use crate::discounts::Discounts;
use crate::discussion::Discussion;
use crate::method::auction::schedule::AuctionProcedure;
use crate::method::qualification_selection::QualificationSelectionProcedure;
use crate::method::single_source::{SingleSourceProcedure, SingleSourceTerms};
use crate::procedure::entered_results::{EnteredData, EnteredResults};
use crate::voting::Voting;

/// The review of a method without a commission: never opened, nothing cast (ЗЦП compares
/// automatically, L434–448).
static NO_REVIEW: Voting = Voting::none();

/// The parts of an announcement that only its method has.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum MethodProcedure {
    /// ЗЦП: compared automatically, no commission and no documentation of its own (L434–448).
    /// Also what an announcement not yet drafted holds: nothing.
    #[default]
    PriceQuotations,
    /// Boxed: the commission's parts outweigh ЗЦП's nothing many times over.
    OpenTender(Box<OpenTenderProcedure>),
    /// «Аукцион»: the open tender's commission parts and the bidding's time frame.
    Auction(Box<AuctionProcedure>),
    /// «Из одного источника по несостоявшимся закупкам»: the failed procurement it follows and
    /// the invited supplier.
    SingleSource(Box<SingleSourceProcedure>),
    /// «Закупка жилища»: the organizer's representative's review, no commission.
    Housing(Box<HousingProcedure>),
    /// Paper and non-GZ procurements: the results entered by hand.
    EnteredResults(EnteredData),
    /// «Отбор на включение в Реестр квалифицированных поставщиков»: the commission's parts and
    /// the qualification data.
    QualificationSelection(Box<QualificationSelectionProcedure>),
}

/// What only «Закупка жилища» has: the review by the organizer's representative alone
/// (spec 000-B §7.7, docs/decisions/0745).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HousingProcedure {
    /// The representative as a review of one, rebuilt whenever the representative is named.
    pub reviewer: Option<Commission>,
    /// His decisions: the review component with a single voter.
    pub voting: Voting,
}

/// What only «Открытый конкурс» has: the commission, its documentation, its discussion and the
/// conditional discounts. The auction has the same parts (the discounts stay empty: its guard
/// table never allows them, spec 000-B §8.3).
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
    /// The commission's review: rounds, votes, final decisions.
    pub voting: Voting,
}

impl MethodProcedure {
    /// The commission's parts, of an open tender or an auction.
    pub fn open_tender(&self) -> Option<&OpenTenderProcedure> {
        match self {
            MethodProcedure::OpenTender(parts) => Some(parts),
            MethodProcedure::Auction(auction) => Some(&auction.review),
            MethodProcedure::QualificationSelection(parts) => Some(&parts.review),
            MethodProcedure::PriceQuotations
            | MethodProcedure::SingleSource(_)
            | MethodProcedure::Housing(_)
            | MethodProcedure::EnteredResults(_) => None,
        }
    }

    pub fn open_tender_mut(&mut self) -> Option<&mut OpenTenderProcedure> {
        match self {
            MethodProcedure::OpenTender(parts) => Some(parts),
            MethodProcedure::Auction(auction) => Some(&mut auction.review),
            MethodProcedure::QualificationSelection(parts) => Some(&mut parts.review),
            MethodProcedure::PriceQuotations
            | MethodProcedure::SingleSource(_)
            | MethodProcedure::Housing(_)
            | MethodProcedure::EnteredResults(_) => None,
        }
    }

    /// An ИОИ's terms, once its draft set them.
    pub fn single_source_terms(&self) -> Option<&SingleSourceTerms> {
        match self {
            MethodProcedure::SingleSource(parts) => parts.terms.as_ref(),
            _ => None,
        }
    }

    pub fn single_source_mut(&mut self) -> Option<&mut SingleSourceProcedure> {
        match self {
            MethodProcedure::SingleSource(parts) => Some(parts),
            _ => None,
        }
    }

    /// A qualification selection's own parts.
    pub fn qualification_selection(&self) -> Option<&QualificationSelectionProcedure> {
        match self {
            MethodProcedure::QualificationSelection(parts) => Some(parts),
            _ => None,
        }
    }

    pub fn qualification_selection_mut(&mut self) -> Option<&mut QualificationSelectionProcedure> {
        match self {
            MethodProcedure::QualificationSelection(parts) => Some(parts),
            _ => None,
        }
    }

    pub fn auction(&self) -> Option<&AuctionProcedure> {
        match self {
            MethodProcedure::Auction(auction) => Some(auction),
            _ => None,
        }
    }

    pub fn auction_mut(&mut self) -> Option<&mut AuctionProcedure> {
        match self {
            MethodProcedure::Auction(auction) => Some(auction),
            _ => None,
        }
    }

    /// The review; an unopened one for a method without a reviewer.
    pub fn voting(&self) -> &Voting {
        match self {
            MethodProcedure::SingleSource(parts) => &parts.voting,
            MethodProcedure::Housing(housing) => &housing.voting,
            _ => self.open_tender().map_or(&NO_REVIEW, |parts| &parts.voting),
        }
    }

    pub fn voting_mut(&mut self) -> Option<&mut Voting> {
        match self {
            MethodProcedure::SingleSource(parts) => Some(&mut parts.voting),
            MethodProcedure::Housing(housing) => Some(&mut housing.voting),
            _ => Some(&mut self.open_tender_mut()?.voting),
        }
    }

    /// Who votes in the review: the commission, or the representative reviewing alone.
    pub fn review_panel(&self) -> Option<&Commission> {
        match self {
            MethodProcedure::Housing(housing) => housing.reviewer.as_ref(),
            _ => self.commission(),
        }
    }

    /// What a procurement run off the portal holds: its publication places, its results.
    pub fn entered_data(&self) -> Option<&EnteredData> {
        match self {
            MethodProcedure::EnteredResults(data) => Some(data),
            _ => None,
        }
    }

    /// The results entered by hand, once saved.
    pub fn entered_results(&self) -> Option<&EnteredResults> {
        self.entered_data()?.results.as_ref()
    }

    pub fn entered_results_mut(&mut self) -> Option<&mut EnteredData> {
        match self {
            MethodProcedure::EnteredResults(data) => Some(data),
            _ => None,
        }
    }

    /// The draft names the organizer's representative: where he reviews alone, he is the panel.
    pub fn organizer_representative_named(&mut self, representative: &Person) {
        match self {
            MethodProcedure::Housing(housing) => {
                housing.reviewer = Some(Commission::sole(representative.clone()));
            }
            MethodProcedure::SingleSource(parts) => parts.representative_named(representative),
            _ => {}
        }
    }

    /// The published announcement's organizer representative is replaced: where he reviews
    /// alone, the one replaced loses his decisions and may not decide again (spec 000-B
    /// L6804–6830).
    pub fn organizer_representative_changed(&mut self, representative: &Person) {
        match self {
            MethodProcedure::Housing(housing) => {
                let panel = Commission::sole(representative.clone());
                housing
                    .voting
                    .commission_changed(housing.reviewer.as_ref(), &panel);
                housing.reviewer = Some(panel);
            }
            // The ИОИ's representative votes as a commission of one (R2a–R2c, L8028–8040).
            MethodProcedure::SingleSource(parts) => parts.representative_named(representative),
            _ => {}
        }
    }

    /// Who votes: the commission, or the single source's representative as a commission of one.
    pub fn commission(&self) -> Option<&Commission> {
        match self {
            MethodProcedure::SingleSource(parts) => parts.reviewer.as_ref(),
            _ => self.open_tender()?.commission.as_ref(),
        }
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
