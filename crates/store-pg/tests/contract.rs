//! The contract suite, the same tests as every backend, on real PostgreSQL.
mod common;

zakup_store::contract_suite!(async { common::fresh_store().await as zakup_store::SharedStore });
