//! OCDS 1.1.5 (Open Contracting Data Standard) for Zakup: one job, the events of an
//! announcement as OCDS releases, and the standard's merge that compiles releases into a record.
//! Pure: it reads folds of the domain's aggregate and returns JSON; storing and serving the
//! releases is the read model's and the API's (docs/ocds.md, decisions 0780–0782).

pub mod mapping;
pub mod merge;
pub mod number;
pub mod package;
#[cfg(any(test, feature = "validation"))]
pub mod validation;

pub use mapping::{Change, EventRef, OCID_PREFIX, Public, content, ocid, release};
pub use merge::{compile, versioned};
pub use package::{Publication, record_package, release_package};
