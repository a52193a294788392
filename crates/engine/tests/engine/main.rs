//! The engine's tests, one binary: each module was its own test file (they link the whole tree,
//! so one binary links once). `support` holds the PostgreSQL set-ups and the domain's world.

mod support;

#[path = "auction.rs"]
mod auction;
#[path = "execute.rs"]
mod execute;
#[path = "failures.rs"]
mod failures;
#[path = "guarantee.rs"]
mod guarantee;
#[path = "index_copy.rs"]
mod index_copy;
#[path = "lot_pool.rs"]
mod lot_pool;
#[path = "lot_pool_crashes.rs"]
mod lot_pool_crashes;
#[path = "lot_pool_orphans.rs"]
mod lot_pool_orphans;
#[path = "lot_pool_restart.rs"]
mod lot_pool_restart;
#[path = "scheduler.rs"]
mod scheduler;
#[path = "single_source.rs"]
mod single_source;
