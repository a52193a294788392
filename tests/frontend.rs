//! The frontend's read side end to end (issue 24): every screen's data read back through
//! GraphQL in typed fields, the viewer's available actions, and consistent answers, against a
//! real server and real PostgreSQL with a manual clock. One module per screen or concern, so
//! that one test binary links the tree once.

mod e2e;

#[path = "frontend/mutations.rs"]
mod mutations;
#[path = "frontend/screens.rs"]
mod screens;
#[path = "frontend/search.rs"]
mod search;

#[path = "frontend/read_your_writes.rs"]
mod read_your_writes;

#[path = "frontend/privacy.rs"]
mod privacy;

#[path = "frontend/consistency.rs"]
mod consistency;

#[path = "frontend/actions.rs"]
mod actions;

#[path = "frontend/sandbox.rs"]
mod sandbox;

#[path = "frontend/one_type.rs"]
mod one_type;

#[path = "frontend/lot_actions.rs"]
mod lot_actions;

#[path = "frontend/tasks.rs"]
mod tasks;

#[path = "frontend/ocds.rs"]
mod ocds;
