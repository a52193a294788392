//! What an announcement shows, one view per component: its header, its lots, the applications
//! (sealed until opening), the commission's voting, the protocols, and camera control. Each view
//! is built from the folded announcement by one function.
//!
//! The projectors write these views as rows, and the auditors' as-of replay (the API's
//! `announcement(id, asOf)`) builds the same views from its own fold of the same events, so what
//! an auditor sees as of version N is, by construction, what the read model showed at N. A view
//! lists its items in the order the API shows them (the read model's `ORDER BY`).
//!
//! Sealing is part of the views, not of their readers: before opening an application is visible
//! only to the supplier that submitted it ([`ApplicationView::visible_to`]), and so are the
//! events that submitted, withdrew or supplemented it ([`sealed_until_opening`]). What each
//! event type shows, and to whom, is one table ([`visibility`]).

pub mod announcement;
pub mod application;
pub mod auction;
pub mod camera_control;
pub mod lot;
pub mod protocol;
pub mod qualified;
pub mod screen;
pub mod visibility;
pub mod voting;

pub use announcement::AnnouncementView;
pub use application::{ApplicationView, OfferView, opened, sealed_until_opening};
pub use auction::{AuctionView, BidView};
pub use camera_control::{NoticeView, ObjectionView};
pub use lot::LotView;
pub use protocol::ProtocolView;
pub use qualified::QualifiedSupplierView;
pub use screen::ScreenView;
pub use voting::{
    CommissionMemberView, TallyView, VoteView, VotesFixed, VotingControlView, VotingView,
};
