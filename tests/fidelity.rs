//! Fidelity end to end (issue 27): rules the engine once got wrong, driven over HTTP against a
//! real server and real PostgreSQL with a manual clock, as a frontend drives them. One module
//! per area of the spec, so that one test binary links the tree once.

mod e2e;

#[path = "fidelity/auction.rs"]
mod auction;

#[path = "fidelity/discussion.rs"]
mod discussion;

#[path = "fidelity/failures.rs"]
mod failures;
#[path = "fidelity/guarantees.rs"]
mod guarantees;

#[path = "fidelity/housing.rs"]
mod housing;

#[path = "fidelity/notices.rs"]
mod notices;

#[path = "fidelity/ppp.rs"]
mod ppp;

#[path = "fidelity/paper.rs"]
mod paper;

#[path = "fidelity/price_quotations.rs"]
mod price_quotations;

#[path = "fidelity/qualification_selection.rs"]
mod qualification_selection;

#[path = "fidelity/results_revision.rs"]
mod results_revision;

#[path = "fidelity/single_source.rs"]
mod single_source;

#[path = "fidelity/state_social_order.rs"]
mod state_social_order;
