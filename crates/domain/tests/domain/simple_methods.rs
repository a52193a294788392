//! The methods without a commission, a vote of members or a discussion: «Закупка жилища»
//! (spec 000-B §1.6, seed L5914–6830), the paper procurement and the procurement for
//! non-subjects (spec 000-C §1.9–1.10, seed L8748–9678). A module of the domain's test binary;
//! its parts live in `tests/domain/simple_methods/`.

use crate::world;

#[path = "simple_methods/housing.rs"]
mod housing;
#[path = "simple_methods/housing_changes.rs"]
mod housing_changes;
#[path = "simple_methods/paper.rs"]
mod paper;
