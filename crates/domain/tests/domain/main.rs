//! The domain's tests, one binary: each module was its own test file, kept as it was (they
//! link the whole domain, so one binary links once). The two shared worlds are
//! loaded once, here.

#[path = "announcement_acts.rs"]
mod announcement_acts;
#[path = "announcement_discounts.rs"]
mod announcement_discounts;
#[path = "announcement_drafting.rs"]
mod announcement_drafting;
#[path = "announcement_main_path.rs"]
mod announcement_main_path;
#[path = "announcement_organisations.rs"]
mod announcement_organisations;
#[path = "announcement_properties.rs"]
mod announcement_properties;
#[path = "announcement_protocols.rs"]
mod announcement_protocols;
#[path = "announcement_scenarios/main.rs"]
mod announcement_scenarios;
#[path = "announcement_schemas.rs"]
mod announcement_schemas;
#[path = "announcement_statuses.rs"]
mod announcement_statuses;
#[path = "announcement_timers.rs"]
mod announcement_timers;
#[path = "announcement_voting.rs"]
mod announcement_voting;
#[path = "auction.rs"]
mod auction;
#[path = "camera_control_announcement.rs"]
mod camera_control_announcement;
#[path = "camera_control_directions.rs"]
mod camera_control_directions;
#[path = "camera_control_notices.rs"]
mod camera_control_notices;
#[path = "camera_control_objections.rs"]
mod camera_control_objections;
#[path = "camera_control_portal_block.rs"]
mod camera_control_portal_block;
#[path = "camera_control_schemas.rs"]
mod camera_control_schemas;
#[path = "camera_control_world.rs"]
mod camera_control_world;
#[path = "certificate.rs"]
mod certificate;
#[path = "competition/main.rs"]
mod competition;
#[path = "erased_person.rs"]
mod erased_person;
#[path = "guarantee/main.rs"]
mod guarantee;
#[path = "kernel_imports.rs"]
mod kernel_imports;
#[path = "lot_pool_schemas.rs"]
mod lot_pool_schemas;
#[path = "method_example.rs"]
mod method_example;
#[path = "participant.rs"]
mod participant;
#[path = "plan_item_rules.rs"]
mod plan_item_rules;
#[path = "qualification_selection.rs"]
mod qualification_selection;
#[path = "regime.rs"]
mod regime;
#[path = "schema_files.rs"]
mod schema_files;
#[path = "sign_in.rs"]
mod sign_in;
#[path = "simple_methods.rs"]
mod simple_methods;
#[path = "single_source.rs"]
mod single_source;
#[path = "technical_failure.rs"]
mod technical_failure;
#[path = "value_actor_error.rs"]
mod value_actor_error;
#[path = "value_calendar.rs"]
mod value_calendar;
#[path = "value_ident.rs"]
mod value_ident;
#[path = "value_ktru.rs"]
mod value_ktru;
#[path = "value_money.rs"]
mod value_money;
#[path = "value_numbering.rs"]
mod value_numbering;
#[path = "value_robustness.rs"]
mod value_robustness;
#[path = "announcement_world.rs"]
mod world;
