//! The contract suite, the same tests as every backend, on a live KurrentDB.
//!
//! No server runs on an ordinary test machine, so the tests are ignored (shown as skipped, with
//! the reason) unless asked for:
//!
//! ```sh
//! KURRENTDB_URL='kurrentdb://admin:changeit@localhost:2113?tls=false' \
//!     cargo test -p zakup-store-kurrent --test contract -- --include-ignored
//! ```
//!
//! A server cannot be emptied between tests, so each test gets a store in a fresh namespace of
//! its own: an empty store, as the suite expects, on a shared server.

use zakup_store::SharedStore;
use zakup_store_kurrent::KurrentStore;

async fn fresh_store() -> SharedStore {
    let url = std::env::var("KURRENTDB_URL")
        .expect("KURRENTDB_URL must name a live KurrentDB (see the top of this file)");
    let namespace = format!("contract_{}", uuid::Uuid::new_v4().simple());
    KurrentStore::connect_namespaced(&url, &namespace)
        .await
        .expect("connect to KURRENTDB_URL")
}

zakup_store::contract_suite!(
    ignore = "needs a live KurrentDB: set KURRENTDB_URL and run with --include-ignored";
    fresh_store()
);
