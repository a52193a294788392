//! The contract suite on the in-memory backend.
use std::sync::Arc;

zakup_store::contract_suite!(async {
    Arc::new(zakup_store::MemoryStore::new()) as zakup_store::SharedStore
});
