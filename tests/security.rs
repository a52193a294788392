//! Security end to end (issue 26): what an attacker or a failing database does to a real server,
//! over HTTP against real PostgreSQL. Each test asserts the refusal code and that nothing was
//! written. One module per area, so that one test binary links the tree once.

mod e2e;

#[path = "security/authorization.rs"]
mod authorization;
#[path = "security/forget.rs"]
mod forget;
#[path = "security/graphiql.rs"]
mod graphiql;
#[path = "security/graphql.rs"]
mod graphql;
#[path = "security/inputs.rs"]
mod inputs;
#[path = "security/limits.rs"]
mod limits;
#[path = "security/operations.rs"]
mod operations;
#[path = "security/privacy.rs"]
mod privacy;
#[path = "security/registry.rs"]
mod registry;
