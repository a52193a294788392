//! The frontend's read side end to end (issue 24): every screen's data read back through
//! GraphQL in typed fields, the viewer's available actions, and consistent answers, against a
//! real server and real PostgreSQL with a manual clock. One module per screen or concern, so
//! that one test binary links the tree once.

mod e2e;

#[path = "frontend/sandbox.rs"]
mod sandbox;
