//! The creation wizard W1–W13 and publication C1–C2 (spec 002-003 §4.B.1–2; scenarios S18–S21).

use uuid::Uuid;
use zakup_domain::competition::{
    CompetitionCommand as C, CompetitionStatus as S, PROJECT_FIELD_MAX_CHARS, Project,
};
use zakup_domain::kernel::file::FileRef;

use super::*;

/// W1, S18 (L3–10): a user without «Ұйымдастырушы» cannot create a competition.
#[test]
fn w1_only_an_organizer_creates() {
    let mut w = World::new();
    assert_eq!(w.refused(&citizen(1), create()), "not_organizer");
    assert_eq!(w.refused(&head(), create()), "not_organizer");
}

/// W2, S18 (L14–69): method, kk and ru names (en empty) → saved in «Жоба».
#[test]
fn w2_the_general_form_saves_a_draft() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    let c = w.state();
    assert_eq!(c.status, Some(S::Draft));
    assert_eq!(S::Draft.name_kk(), "Жоба");
    assert_eq!(c.organizer_bin(), Some(organizer().org));
    assert_eq!(c.general().unwrap().name_en, None);
}

/// W2, S18: omitting the ru name or the method → refused, nothing saved.
#[test]
fn w2_missing_method_or_names_are_refused() {
    let mut w = World::new();
    let mut no_ru = create();
    if let C::CreateDraft { name_ru, .. } = &mut no_ru {
        name_ru.clear();
    }
    assert_eq!(w.refused(&organizer(), no_ru), "missing_field");
    let mut no_method = create();
    if let C::CreateDraft { method, .. } = &mut no_method {
        *method = None;
    }
    assert_eq!(w.refused(&organizer(), no_method), "missing_field");
    assert!(w.state().created.is_none());
}

/// W3 (L28–29): a draft is edited and deleted by its organizer; another organisation cannot.
#[test]
fn w3_edit_and_delete_the_draft_only() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    let edit = C::EditGeneral {
        method: Some(PppMethod::DirectNegotiations),
        name_kk: "Жаңа атауы".into(),
        name_ru: "Новое название".into(),
        name_en: Some("New name".into()),
    };
    assert_eq!(
        w.refused(&foreign_organizer(), edit.clone()),
        "not_organizer"
    );
    w.ok(&organizer(), edit);
    assert_eq!(w.state().general().unwrap().name_ru, "Новое название");
    w.ok(&organizer(), C::DeleteDraft);
    assert!(w.state().deleted);
    assert_eq!(w.refused(&organizer(), C::SaveLot), "competition_not_found");
}

/// W3: a published competition is neither edited nor deleted.
#[test]
fn w3_no_delete_after_publication() {
    let mut w = ready();
    w.ok(&organizer(), C::Publish);
    assert_eq!(w.refused(&organizer(), C::DeleteDraft), "draft_only");
    assert_eq!(
        w.refused(&organizer(), C::SaveProject(project())),
        "draft_only"
    );
}

/// W4, S19 (L75–139): a required field empty, or 1001 characters, is refused; 1000 pass.
#[test]
fn w4_project_fields_required_and_at_most_1000_characters() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    let no_criteria = Project {
        main_efficiency_criteria: " ".into(),
        ..project()
    };
    assert_eq!(
        w.refused(&organizer(), C::SaveProject(no_criteria)),
        "missing_field"
    );
    let long = Project {
        short_description: "а".repeat(PROJECT_FIELD_MAX_CHARS + 1),
        ..project()
    };
    assert_eq!(
        w.refused(&organizer(), C::SaveProject(long)),
        "text_too_long"
    );
    let full = Project {
        short_description: "а".repeat(PROJECT_FIELD_MAX_CHARS),
        ..project()
    };
    w.ok(&organizer(), C::SaveProject(full));
}

/// W5–W6, S19 (L171–203): «Табу» with an empty БИН, or no representative, is refused.
#[test]
fn w5_w6_state_partner_requires_bin_and_representative() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    let no_bin = C::SetStatePartner {
        responsible_contact: "+7 7172 000000".into(),
        bin: None,
        representative_iin: Some(head().iin),
    };
    assert_eq!(w.refused(&organizer(), no_bin), "missing_field");
    let no_rep = C::SetStatePartner {
        responsible_contact: "+7 7172 000000".into(),
        bin: Some(bin(40)),
        representative_iin: None,
    };
    assert_eq!(w.refused(&organizer(), no_rep), "missing_field");
    w.ok(&organizer(), set_partner());
}

/// W5 (L185–193, decision 0911): the representative must be the partner's employee with the
/// role «Басшы»: a user of another organisation or without the role cannot confirm.
#[test]
fn w5_the_representative_is_the_partners_head() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    w.ok(&organizer(), set_partner());
    let not_head = Actor {
        roles: vec![Role::Supplier],
        ..head()
    };
    assert_eq!(
        w.refused(&not_head, C::ConfirmStatePartner),
        "not_state_partner_head"
    );
    let other_org = Actor {
        org: bin(41),
        ..head()
    };
    assert_eq!(
        w.refused(&other_org, C::ConfirmStatePartner),
        "not_state_partner_head"
    );
    assert_eq!(
        w.refused(&citizen(1), C::ConfirmStatePartner),
        "not_state_partner_head"
    );
    w.ok(&head(), C::ConfirmStatePartner);
    assert!(w.state().state_partner.unwrap().confirmed_at.is_some());
}

/// W7, S19 (L211–234): «Келесі» saves the lot in «Жоба»; not before the project and partner.
#[test]
fn w7_the_lot_is_saved_in_draft() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    assert_eq!(w.refused(&organizer(), C::SaveLot), "missing_field");
    w.ok(&organizer(), C::SaveProject(project()));
    w.ok(&organizer(), set_partner());
    w.ok(&organizer(), C::SaveLot);
    assert_eq!(w.state().lot_status(), Some(S::Draft));
}

/// W8, S20 (L236–296): any number of initiators, the ЖСН/БСН required, the rest optional.
#[test]
fn w8_initiators_unlimited_iin_bin_required() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    for n in 1..=3 {
        w.ok(&organizer(), initiator(n));
    }
    assert_eq!(w.state().initiators.len(), 3);
    let no_id = C::SaveInitiator {
        initiator_id: Uuid::from_u128(9),
        user_iin: None,
        private_partner: None,
        representative: Some("Иванов".into()),
        position: None,
        phone: None,
        email: None,
    };
    assert_eq!(w.refused(&organizer(), no_id), "missing_field");
    w.ok(
        &organizer(),
        C::RemoveInitiator {
            initiator_id: Uuid::from_u128(0x1002),
        },
    );
    assert_eq!(w.state().initiators.len(), 2);
}

/// W9 (decision 0916): at least one initiator before publication.
#[test]
fn w9_publication_needs_an_initiator() {
    let mut w = ready();
    w.ok(
        &organizer(),
        C::RemoveInitiator {
            initiator_id: Uuid::from_u128(0x1001),
        },
    );
    assert_eq!(w.refused(&organizer(), C::Publish), "publish_check_failed");
}

/// W10, S20 (L357–363): the regulation without its Kazakh name is refused.
#[test]
fn w10_regulation_needs_both_names() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    let no_kk = C::AddRegulation {
        regulation_id: REGULATION,
        name_ru: "Регламент".into(),
        name_kk: "".into(),
    };
    assert_eq!(w.refused(&organizer(), no_kk), "missing_field");
}

/// W11–W12, S20 (L367–374): without its attached file the regulation blocks publication.
#[test]
fn w11_w12_the_regulation_file_is_mandatory() {
    let mut w = ready();
    w.ok(
        &organizer(),
        C::RemoveRegulation {
            regulation_id: REGULATION,
        },
    );
    w.ok(
        &organizer(),
        C::AddRegulation {
            regulation_id: Uuid::from_u128(0x2001),
            name_ru: "Регламент".into(),
            name_kk: "Регламент".into(),
        },
    );
    assert_eq!(
        w.refused(&organizer(), C::Publish),
        "regulation_file_required"
    );
    let empty = FileRef {
        file_id: "".into(),
        name: "".into(),
    };
    let attach = |file| C::AttachRegulationFile {
        regulation_id: Uuid::from_u128(0x2001),
        file,
    };
    assert_eq!(w.refused(&organizer(), attach(empty)), "missing_field");
    w.ok(&organizer(), attach(file("regulation")));
    w.ok(&organizer(), C::Publish);
}

/// W13, S21 (L387–390, decision 0912): an interval shorter than the method's minimum (a day).
#[test]
fn w13_the_discussion_interval_has_a_minimum() {
    let mut w = ready();
    let start = astana("2026-02-03 09:00");
    let short = C::SetDiscussionPeriod {
        start,
        end: start + chrono::TimeDelta::hours(23),
    };
    assert_eq!(
        w.refused(&organizer(), short),
        "discussion_interval_too_short"
    );
    w.ok(&organizer(), period(start, 1));
}

/// C1, S21 (L392–407): the start not yet come → «Жарияланды», the lot too.
#[test]
fn c1_publication_before_the_start() {
    let mut w = ready();
    assert_eq!(w.refused(&foreign_organizer(), C::Publish), "not_organizer");
    w.ok(&organizer(), C::Publish);
    let c = w.state();
    assert_eq!(c.status, Some(S::Published));
    assert_eq!(c.lot_status(), Some(S::Published));
    assert_eq!(c.discussion_start_due(), Some(astana("2026-02-03 09:00")));
}

/// C2, S21 (L402–414): the start already come → «Жарияланды (Талқылау)» at once.
#[test]
fn c2_publication_after_the_start() {
    let mut w = ready();
    w.ok(&organizer(), period(w.now, 2));
    w.ok(&organizer(), C::Publish);
    let c = w.state();
    assert_eq!(c.status, Some(S::PublishedDiscussion));
    assert_eq!(S::PublishedDiscussion.name_kk(), "Жарияланды (Талқылау)");
    assert_eq!(c.discussion_start_due(), None);
}

/// C1: the representative's confirmation and the discussion dates are publication checks.
#[test]
fn c1_incomplete_drafts_stay_drafts() {
    let mut w = World::new();
    w.ok(&organizer(), create());
    assert_eq!(w.refused(&organizer(), C::Publish), "publish_check_failed");
    let mut w = ready();
    w.ok(&organizer(), set_partner());
    assert_eq!(w.refused(&organizer(), C::Publish), "publish_check_failed");
    assert_eq!(w.state().status, Some(S::Draft));
}
