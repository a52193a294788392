//! The SDL in `schemas/graphql/schema.graphql` is the contract frontends build against: this test
//! fails when the code's schema drifts from it. Regenerate with
//! `ZAKUP_UPDATE_SCHEMA=1 cargo test -p zakup-api --test schema`.

use std::path::PathBuf;

#[test]
fn the_kept_sdl_matches_the_schema() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../schemas/graphql/schema.graphql");
    let sdl = zakup_api::sdl();
    if std::env::var_os("ZAKUP_UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &sdl).expect("write the SDL");
        return;
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == sdl,
        "{} is out of date: regenerate it with ZAKUP_UPDATE_SCHEMA=1 cargo test -p zakup-api --test schema",
        path.display()
    );
}
