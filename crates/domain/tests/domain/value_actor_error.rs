//! Refusals in two languages, portal roles, the actor and the decide context.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use zakup_domain::actor::{Actor, Context, Role};
use zakup_domain::calendar::Calendar;
use zakup_domain::error::DomainError;
use zakup_domain::refusal;

fn actor(roles: Vec<Role>) -> Actor {
    Actor {
        user_id: "u-1".into(),
        iin: "791028302728".parse().unwrap(),
        org: "940140000385".parse().unwrap(),
        roles,
    }
}

#[test]
fn a_refusal_has_a_stable_code_and_both_languages() {
    let e = refusal!(no_quorum, "Нет кворума", "No quorum");
    assert_eq!(e, DomainError::new("no_quorum", "Нет кворума", "No quorum"));
    assert_eq!(e.to_string(), "no_quorum: No quorum");
    let voted = 2;
    let e = refusal!(
        no_quorum,
        "Нет кворума: проголосовали {voted}",
        "No quorum: {voted} voted"
    );
    assert_eq!(
        (e.message_ru.as_str(), e.message_en.as_str()),
        ("Нет кворума: проголосовали 2", "No quorum: 2 voted")
    );
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["code"], "no_quorum");
    let _: &dyn std::error::Error = &e;
}

#[test]
fn roles_have_stable_ids_and_russian_names() {
    for role in Role::ALL {
        assert_eq!(serde_json::to_value(role).unwrap(), role.id());
        assert_eq!(Role::from_id(role.id()), Ok(role));
        assert_eq!(role.to_string(), role.id());
    }
    assert_eq!(Role::OrgAdmin.id(), "org_admin");
    assert_eq!(Role::AuditCommittee.id(), "audit_committee");
    assert_eq!(Role::Organizer.name_ru(), "Организатор");
    assert_eq!(
        Role::from_id("secretary").unwrap_err().code,
        "unknown_role",
        "a function, not a role"
    );
}

#[test]
fn an_actor_acts_only_in_the_roles_it_holds() {
    let a = actor(vec![Role::Organizer, Role::OrgAdmin]);
    assert!(a.has_role(Role::Organizer));
    assert_eq!(a.require_role(Role::OrgAdmin), Ok(()));
    let refused = a.require_role(Role::Supplier).unwrap_err();
    assert_eq!(refused.code, "forbidden_role");
    assert!(
        refused.message_ru.contains("Поставщик"),
        "{}",
        refused.message_ru
    );
}

#[test]
fn an_actor_with_a_bad_iin_or_bin_is_refused_on_deserialize() {
    let good = serde_json::json!({"user_id": "u", "iin": "791028302728", "org": "940140000385", "roles": ["customer"]});
    let a: Actor = serde_json::from_value(good.clone()).unwrap();
    assert_eq!(a.roles, vec![Role::Customer]);
    let mut bad = good.clone();
    bad["org"] = "940140000386".into();
    assert!(serde_json::from_value::<Actor>(bad).is_err());
    let mut bad = good;
    bad["roles"] = serde_json::json!(["chairman"]);
    assert!(serde_json::from_value::<Actor>(bad).is_err());
}

#[test]
fn the_context_knows_today_on_the_astana_clock() {
    let calendar = Arc::new(Calendar::embedded().unwrap());
    let at = |s: &str| Context {
        now: s.parse::<DateTime<Utc>>().unwrap(),
        actor: actor(vec![]),
        calendar: calendar.clone(),
        rules: zakup_domain::regime::RuleBook::embedded(),
        unread_notices: Default::default(),
    };
    assert_eq!(
        at("2025-06-01T18:59:59Z").today(),
        Ok(NaiveDate::from_ymd_opt(2025, 6, 1).unwrap())
    );
    assert_eq!(
        at("2025-06-01T19:00:00Z").today(),
        Ok(NaiveDate::from_ymd_opt(2025, 6, 2).unwrap())
    );
    assert_eq!(
        at("2030-01-01T00:00:00Z").today().unwrap_err().code,
        "calendar_out_of_range"
    );
}
