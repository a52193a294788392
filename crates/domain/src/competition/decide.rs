//! The competition's rules: who may do what, in which status, with which data (spec 002-003
//! §4.B). Each refusal is the competition's own (`refusal`), or a kernel one given its Kazakh
//! message by `Competition::decide`.

use chrono::TimeDelta;
use uuid::Uuid;

use crate::actor::{Context, Role};
use crate::error::DomainError;
use crate::ident::{Bin, Iin, ParticipantId};
use crate::kernel::file::FileRef;
use crate::kernel::refusal::missing_field;
use crate::kernel::text;

use super::refusal as r;
use super::{
    CONTRACT_COUNTER_DAYS, Competition, CompetitionCommand as C, CompetitionEvent as E,
    CompetitionStatus as S, ConclusionKind, PppMethod, Project, StatePartner, event::*,
};

/// The seed's bound for the project's fields (L75–77).
pub const PROJECT_FIELD_MAX_CHARS: usize = 1000;

pub(super) fn decide(c: &Competition, command: C, ctx: &Context) -> Result<Vec<E>, DomainError> {
    ctx.require_portal_unblocked(None)?;
    let exists = c.created.is_some() && !c.deleted;
    match command {
        C::CreateDraft {
            competition_id,
            method,
            name_kk,
            name_ru,
            name_en,
        } => create(c, ctx, competition_id, method, name_kk, name_ru, name_en),
        _ if !exists => Err(r::competition_not_found()),
        C::EditGeneral {
            method,
            name_kk,
            name_ru,
            name_en,
        } => {
            require_draft_by_organizer(c, ctx)?;
            let method = general(method, &name_kk, &name_ru, name_en.as_deref())?;
            one(E::GeneralEdited(CompetitionGeneralEdited {
                method,
                name_kk,
                name_ru,
                name_en: non_blank(name_en),
            }))
        }
        C::DeleteDraft => {
            require_draft_by_organizer(c, ctx)?;
            one(E::DraftDeleted(CompetitionDraftDeleted {
                deleted_by: ctx.actor.iin,
                deleted_at: ctx.now,
            }))
        }
        C::SaveProject(project) => {
            require_draft_by_organizer(c, ctx)?;
            let project = validate_project(project)?;
            one(E::ProjectSaved(CompetitionProjectSaved { project }))
        }
        C::SetStatePartner {
            responsible_contact,
            bin,
            representative_iin,
        } => set_state_partner(c, ctx, responsible_contact, bin, representative_iin),
        C::ConfirmStatePartner => confirm_state_partner(c, ctx),
        C::SaveLot => save_lot(c, ctx),
        C::SaveInitiator {
            initiator_id,
            user_iin,
            private_partner,
            representative,
            position,
            phone,
            email,
        } => save_initiator(
            c,
            ctx,
            (initiator_id, user_iin, private_partner),
            [representative, position, phone, email],
        ),
        C::RemoveInitiator { initiator_id } => {
            require_draft_by_organizer(c, ctx)?;
            if !c.initiators.iter().any(|i| i.initiator_id == initiator_id) {
                return Err(r::initiator_not_found());
            }
            one(E::InitiatorRemoved(CompetitionInitiatorRemoved {
                initiator_id,
            }))
        }
        C::AddRegulation {
            regulation_id,
            name_ru,
            name_kk,
        } => {
            require_draft_by_organizer(c, ctx)?;
            text::name("regulation.name_ru", &name_ru)?;
            text::name("regulation.name_kk", &name_kk)?;
            one(E::RegulationAdded(CompetitionRegulationAdded {
                regulation_id,
                name_ru,
                name_kk,
            }))
        }
        C::AttachRegulationFile {
            regulation_id,
            file,
        } => {
            require_draft_by_organizer(c, ctx)?;
            require_regulation(c, regulation_id)?;
            file.validate()?;
            one(E::RegulationFileAttached(
                CompetitionRegulationFileAttached {
                    regulation_id,
                    file,
                },
            ))
        }
        C::RemoveRegulation { regulation_id } => {
            require_draft_by_organizer(c, ctx)?;
            require_regulation(c, regulation_id)?;
            one(E::RegulationRemoved(CompetitionRegulationRemoved {
                regulation_id,
            }))
        }
        C::SetDiscussionPeriod { start, end } => {
            require_draft_by_organizer(c, ctx)?;
            require_interval(method(c), start, end)?;
            one(E::DiscussionPeriodSet(CompetitionDiscussionPeriodSet {
                start,
                end,
            }))
        }
        C::Publish => publish(c, ctx),
        C::StartDiscussion => start_discussion(c, ctx),
        C::PostMessage {
            message_id,
            text: body,
            warning_acknowledged,
        } => post(c, ctx, message_id, body, warning_acknowledged),
        // «Жүйе жіберілген хабарламаны өңдеуге және жоюға мүмкіндік бермейді» (L442–445): for
        // anyone, the author included, in any status.
        C::EditMessage { .. } | C::DeleteMessage { .. } => Err(r::message_immutable()),
        C::InitiateConclusion {
            conclusion_id,
            kind,
            justification,
            attachment,
        } => conclude(c, ctx, conclusion_id, kind, justification, attachment),
        C::AgreeContract { info } => agree_contract(c, ctx, info),
        C::Complete {
            justification,
            attachment,
        } => complete(c, ctx, justification, attachment),
    }
}

fn one(e: E) -> Result<Vec<E>, DomainError> {
    Ok(vec![e])
}

fn non_blank(v: Option<String>) -> Option<String> {
    v.filter(|v| !v.trim().is_empty())
}

fn method(c: &Competition) -> PppMethod {
    c.general()
        .map_or(PppMethod::DirectNegotiations, |g| g.method)
}

fn create(
    c: &Competition,
    ctx: &Context,
    competition_id: Uuid,
    method: Option<PppMethod>,
    name_kk: String,
    name_ru: String,
    name_en: Option<String>,
) -> Result<Vec<E>, DomainError> {
    // W1: «Ұйымдастырушы» only (L3–10).
    if !ctx.actor.has_role(Role::Organizer) {
        return Err(r::not_organizer());
    }
    if c.created.is_some() {
        return Err(r::competition_exists());
    }
    let method = general(method, &name_kk, &name_ru, name_en.as_deref())?;
    one(E::DraftCreated(CompetitionDraftCreated {
        competition_id,
        method,
        name_kk,
        name_ru,
        name_en: non_blank(name_en),
        organizer_bin: ctx.actor.org,
        created_by: ctx.actor.iin,
        created_at: ctx.now,
    }))
}

/// W2: method, the Kazakh and Russian names required, the English one optional (L33–69).
fn general(
    method: Option<PppMethod>,
    name_kk: &str,
    name_ru: &str,
    name_en: Option<&str>,
) -> Result<PppMethod, DomainError> {
    let method = method.ok_or_else(|| missing_field("ppp_method"))?;
    text::name("name_kk", name_kk)?;
    text::name("name_ru", name_ru)?;
    if let Some(en) = name_en.filter(|v| !v.trim().is_empty()) {
        text::name("name_en", en)?;
    }
    Ok(method)
}

/// W4: every field of «Жобаны құру» at most 1000 characters; the English name optional.
fn validate_project(p: Project) -> Result<Project, DomainError> {
    let max = PROJECT_FIELD_MAX_CHARS;
    for (field, value) in [
        ("project_name_kk", &p.name_kk),
        ("project_name_ru", &p.name_ru),
        ("short_description", &p.short_description),
        ("goals_and_tasks", &p.goals_and_tasks),
        ("main_tech_economic_params", &p.main_tech_economic_params),
        ("main_efficiency_criteria", &p.main_efficiency_criteria),
        (
            "planned_implementation_terms",
            &p.planned_implementation_terms,
        ),
    ] {
        text::text_up_to(field, value, max)?;
    }
    if let Some(en) = &p.name_en {
        text::optional_text_up_to("project_name_en", en, max)?;
    }
    Ok(Project {
        name_en: non_blank(p.name_en),
        ..p
    })
}

/// The competition's organizer: the role «Ұйымдастырушы» in the organisation that created it.
fn require_organizer(c: &Competition, ctx: &Context) -> Result<(), DomainError> {
    let own = c.organizer_bin() == Some(ctx.actor.org);
    if own && ctx.actor.has_role(Role::Organizer) {
        Ok(())
    } else {
        Err(r::not_organizer())
    }
}

fn require_draft_by_organizer(c: &Competition, ctx: &Context) -> Result<(), DomainError> {
    require_organizer(c, ctx)?;
    if c.status != Some(S::Draft) {
        return Err(with_status(c, r::draft_only()));
    }
    Ok(())
}

fn with_status(c: &Competition, e: DomainError) -> DomainError {
    let allowed = match e.code {
        "draft_only" => vec![S::Draft.id()],
        "contract_agreement_not_allowed" => vec![S::DraftContractApproval.id()],
        "complete_not_allowed" => vec![
            S::Published.id(),
            S::PublishedDiscussion.id(),
            S::DraftContractApproval.id(),
        ],
        _ => vec![S::PublishedDiscussion.id()],
    };
    e.with_status(c.status.map(S::id), allowed)
}

fn require_regulation(c: &Competition, id: Uuid) -> Result<(), DomainError> {
    if c.regulations.iter().any(|r| r.regulation_id == id) {
        Ok(())
    } else {
        Err(r::regulation_not_found())
    }
}

fn require_interval(
    method: PppMethod,
    start: chrono::DateTime<chrono::Utc>,
    end: chrono::DateTime<chrono::Utc>,
) -> Result<(), DomainError> {
    if end - start < method.min_discussion() {
        return Err(r::discussion_interval_too_short());
    }
    Ok(())
}

/// The one check that the state partner's representative is its employee with the role
/// «Басшы» (L185–193). Until the participants registry lists employees and their roles, the
/// employee is the confirming user as their token says (decision 0911).
pub fn require_state_partner_head(
    partner: &StatePartner,
    iin: Iin,
    org: Bin,
    roles: &[Role],
) -> Result<(), DomainError> {
    if partner.representative_iin == iin && partner.bin == org && roles.contains(&Role::Head) {
        Ok(())
    } else {
        Err(r::not_state_partner_head())
    }
}

fn confirm_state_partner(c: &Competition, ctx: &Context) -> Result<Vec<E>, DomainError> {
    if c.status != Some(S::Draft) {
        return Err(with_status(c, r::draft_only()));
    }
    let partner = c
        .state_partner
        .as_ref()
        .ok_or_else(|| missing_field("state_partner"))?;
    require_state_partner_head(partner, ctx.actor.iin, ctx.actor.org, &ctx.actor.roles)?;
    one(E::StatePartnerConfirmed(CompetitionStatePartnerConfirmed {
        bin: partner.bin,
        representative_iin: partner.representative_iin,
        confirmed_at: ctx.now,
    }))
}

/// C1–C2: every step of the wizard done (decision 0916), then «Жарияланды» or, the start
/// having come, «Жарияланды (Талқылау)».
fn publish(c: &Competition, ctx: &Context) -> Result<Vec<E>, DomainError> {
    require_draft_by_organizer(c, ctx)?;
    let incomplete = |kk: &str, ru: &str, en: &str| {
        DomainError::new(
            "publish_check_failed",
            format!("Публикация невозможна: {ru}"),
            format!("cannot publish: {en}"),
        )
        .with_kk(format!("Жариялау мүмкін емес: {kk}"))
    };
    if c.project.is_none() || !c.lot_saved {
        return Err(incomplete(
            "жоба (лот) сақталмаған",
            "проект (лот) не сохранён",
            "the project (lot) is not saved",
        ));
    }
    match &c.state_partner {
        Some(p) if p.confirmed_at.is_some() => {}
        _ => {
            return Err(incomplete(
                "мемлекеттік әріптес өкілі расталмаған",
                "представитель государственного партнёра не подтверждён",
                "the state partner's representative has not confirmed",
            ));
        }
    }
    if c.initiators.is_empty() {
        return Err(incomplete(
            "жоба бастамашысы жоқ",
            "нет инициатора проекта",
            "no project initiator",
        ));
    }
    if c.regulations.is_empty() || c.regulations.iter().any(|r| r.file.is_none()) {
        return Err(r::regulation_file_required());
    }
    let Some(d) = c.discussion else {
        return Err(incomplete(
            "талқылау мерзімі белгіленбеген",
            "не заданы сроки обсуждения",
            "the discussion's dates are not set",
        ));
    };
    require_interval(method(c), d.start, d.end)?;
    if d.end <= ctx.now {
        return Err(incomplete(
            "талқылаудың аяқталу мерзімі өтіп кетті",
            "срок окончания обсуждения уже прошёл",
            "the discussion's end has passed",
        ));
    }
    one(E::Published(CompetitionPublished {
        published_at: ctx.now,
        discussion_open: d.start <= ctx.now,
    }))
}

/// C4: any signed-in user, from the start to the end, after the warning (decision 0915).
fn post(
    c: &Competition,
    ctx: &Context,
    message_id: Uuid,
    body: String,
    warning_acknowledged: bool,
) -> Result<Vec<E>, DomainError> {
    if c.chat.iter().any(|m| m.message_id == message_id) {
        return Err(r::message_immutable());
    }
    let Some(d) = c.discussion else {
        return Err(r::discussion_not_started());
    };
    match c.status {
        Some(S::Published | S::PublishedDiscussion) => {}
        Some(S::Draft) | None => return Err(r::discussion_not_started()),
        Some(S::DraftContractApproval | S::Completed) => return Err(r::discussion_ended()),
    }
    if ctx.now < d.start {
        return Err(r::discussion_not_started());
    }
    if ctx.now >= d.end {
        return Err(r::discussion_ended());
    }
    if !warning_acknowledged {
        return Err(r::chat_warning_not_acknowledged());
    }
    text::text("text", &body)?;
    one(E::ChatMessagePosted(CompetitionChatMessagePosted {
        message_id,
        text: body,
        author_user_id: ctx.actor.user_id.clone(),
        author_iin: ctx.actor.iin,
        author_bin: ctx.actor.org,
        sent_at: ctx.now,
    }))
}

fn justified(justification: &str, attachment: Option<FileRef>) -> Result<FileRef, DomainError> {
    match attachment {
        Some(file) if !justification.trim().is_empty() && file.validate().is_ok() => {
            text::text("justification", justification)?;
            Ok(file)
        }
        _ => Err(r::justification_and_attachment_required()),
    }
}

/// C6–C7: negative ones repeatable before and after the end; a positive one from the end, once.
fn conclude(
    c: &Competition,
    ctx: &Context,
    conclusion_id: Uuid,
    kind: ConclusionKind,
    justification: String,
    attachment: Option<FileRef>,
) -> Result<Vec<E>, DomainError> {
    require_organizer(c, ctx)?;
    match c.status {
        Some(S::PublishedDiscussion) => {}
        Some(S::DraftContractApproval | S::Completed) => {
            return Err(with_status(c, r::conclusion_after_positive()));
        }
        _ => return Err(with_status(c, r::conclusion_not_allowed())),
    }
    let attachment = justified(&justification, attachment)?;
    let end = c.discussion.map(|d| d.end);
    if kind == ConclusionKind::Positive && end.is_none_or(|end| ctx.now < end) {
        return Err(r::positive_before_discussion_end());
    }
    one(E::ConclusionInitiated(CompetitionConclusionInitiated {
        conclusion_id,
        kind,
        justification,
        attachment,
        initiated_by: ctx.actor.iin,
        initiated_at: ctx.now,
    }))
}

fn set_state_partner(
    c: &Competition,
    ctx: &Context,
    responsible_contact: String,
    bin: Option<Bin>,
    representative_iin: Option<Iin>,
) -> Result<Vec<E>, DomainError> {
    require_draft_by_organizer(c, ctx)?;
    text::name("responsible_contact", &responsible_contact)?;
    let bin = bin.ok_or_else(|| missing_field("state_partner_bin"))?;
    let representative_iin =
        representative_iin.ok_or_else(|| missing_field("state_partner_representative"))?;
    one(E::StatePartnerSet(CompetitionStatePartnerSet {
        responsible_contact,
        bin,
        representative_iin,
    }))
}

/// W7: the lot saved once the project and the state partner are.
fn save_lot(c: &Competition, ctx: &Context) -> Result<Vec<E>, DomainError> {
    require_draft_by_organizer(c, ctx)?;
    if c.project.is_none() {
        return Err(missing_field("project"));
    }
    if c.state_partner.is_none() {
        return Err(missing_field("state_partner"));
    }
    one(E::LotSaved(CompetitionLotSaved { saved_at: ctx.now }))
}

/// W8: an initiator, its ЖСН/БСН required; the representative, position, phone and e-mail
/// optional.
fn save_initiator(
    c: &Competition,
    ctx: &Context,
    (initiator_id, user_iin, private_partner): (Uuid, Option<Iin>, Option<ParticipantId>),
    optional: [Option<String>; 4],
) -> Result<Vec<E>, DomainError> {
    require_draft_by_organizer(c, ctx)?;
    let private_partner =
        private_partner.ok_or_else(|| missing_field("private_partner_iin_bin"))?;
    let fields = ["private_partner_rep", "position", "phone", "email"];
    for (field, value) in fields.into_iter().zip(&optional) {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            text::name(field, v)?;
        }
    }
    let [representative, position, phone, email] = optional.map(non_blank);
    one(E::InitiatorSaved(CompetitionInitiatorSaved {
        initiator: Initiator {
            initiator_id,
            user_iin,
            private_partner,
            representative,
            position,
            phone,
            email,
        },
    }))
}

/// C3: the portal, once the start has come.
fn start_discussion(c: &Competition, ctx: &Context) -> Result<Vec<E>, DomainError> {
    if !ctx.actor.has_role(Role::System) {
        return Err(r::not_portal());
    }
    match c.discussion_start_due() {
        Some(start) if start <= ctx.now => {
            one(E::DiscussionStarted(CompetitionDiscussionStarted {
                at: start,
            }))
        }
        _ => Err(r::discussion_not_due()),
    }
}

/// C8 (decision 0913).
fn agree_contract(c: &Competition, ctx: &Context, info: String) -> Result<Vec<E>, DomainError> {
    require_organizer(c, ctx)?;
    if c.status != Some(S::DraftContractApproval) || c.contract.is_some() {
        return Err(with_status(c, r::contract_agreement_not_allowed()));
    }
    text::text("contract_info", &info)?;
    one(E::ContractAgreed(CompetitionContractAgreed {
        info,
        agreed_by: ctx.actor.iin,
        agreed_at: ctx.now,
        deadline: ctx.now + TimeDelta::days(CONTRACT_COUNTER_DAYS),
    }))
}

/// C9–C10 (decision 0914).
fn complete(
    c: &Competition,
    ctx: &Context,
    justification: String,
    attachment: Option<FileRef>,
) -> Result<Vec<E>, DomainError> {
    require_organizer(c, ctx)?;
    // «Конкурсты аяқтау ... тікелей келіссөздердің кез келген кезеңінде» (L504–506):
    // from every published stage, not from a draft (decision 0914).
    if !matches!(
        c.status,
        Some(S::Published | S::PublishedDiscussion | S::DraftContractApproval)
    ) {
        return Err(with_status(c, r::complete_not_allowed()));
    }
    let attachment = justified(&justification, attachment)?;
    let id = c.id.unwrap_or_default();
    one(E::Completed(CompetitionCompleted {
        justification,
        attachment,
        protocol_id: Uuid::new_v5(&id, b"results_protocol"),
        completed_by: ctx.actor.iin,
        completed_at: ctx.now,
    }))
}
