//! Every refusal of the announcement and plan-item rules: a stable snake_case code with a
//! Russian and an English message. Codes are an API contract: never rename one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;
use crate::kernel::refusal::refusals;

/// Shared by every aggregate: the kernel's; and the procedure components' own.
pub use crate::kernel::refusal::missing_field;
pub use crate::procedure::refusal::{
    commission_too_small, discount_field_empty, discount_out_of_range, field_not_applicable,
};

fn refuse(code: &'static str, ru: impl Into<String>, en: impl Into<String>) -> DomainError {
    DomainError::new(code, ru, en)
}

refusals! {
    @reexport crate::procedure::refusal::{
        two_applications_required, already_signed, already_voted, application_not_found, article6_subparagraph_required, ballot_lots_mismatch, commission_duplicate_person, commission_missing, commission_size_even, content_hash_mismatch, discount_entries_mismatch, discounts_incomplete, discounts_not_required_for_lot, excluded_from_commission, lot_subject_mismatch, no_quorum, no_signature_quorum, no_vote_to_withdraw, not_a_commission_member, not_a_signer, nothing_to_review, protocol_already_published, protocol_not_found, protocol_not_signable, protocol_superseded, rejected_documents_required, rejection_reason_required, secretary_signs_first, signatures_missing, technical_specification_form_mismatch, voting_completed, voting_not_completed, wrong_status, acceptance_period_over, application_already_submitted, duplicate_id, no_lots_selected, unknown_lot, lot_cancelled, lot_already_added, invalid_amount, price_above_allocated_amount, supplement_period_over, no_right_to_supplement, lot_not_rejected, not_own_application, contract_draft_exists, discussion_not_available, discussion_period_over, discussion_not_ended, discussion_request_not_found, discussion_request_already_answered, discussion_request_not_answered, not_editable_in_copy, technical_specification_exists, technical_specification_missing, lot_change_not_allowed, bankruptcy_verdict_required, category_not_in_method,
    };
    announcement_not_found => "Объявление не найдено", "Announcement not found";
    announcement_exists => "Объявление уже создано", "Announcement already exists";
    forbidden_role => "Действие недоступно для вашей роли", "Action not available for your role";
    foreign_organization => "Объявление принадлежит другой организации", "Announcement belongs to another organisation";
    not_secretary => "Действие доступно только секретарю объявления", "Only the announcement's secretary may do this";
    not_a_draft => "Редактировать можно только объявление в статусе «Проект»", "Only a draft («Проект») can be edited";
    suspended => "Закупка приостановлена", "Procurement is suspended";
    not_applicable_to_method => "Недоступно для данного способа закупки", "Not available for this procurement method";
    not_a_documentation_change_copy => "Объявление не изменено по итогам обсуждения", "The source announcement has no documentation change";
    remove_lots_first => "Сначала удалите выбранные лоты", "Remove the selected lots first";
    lot_data_missing => "Не заполнены данные лота", "Lot data are not filled";
    contract_draft_already_approved => "Проект договора утвержден: отзовите его для изменения", "Contract draft approved: revoke it to edit";
    contract_draft_missing => "Не утвержден проект договора", "Contract draft not approved";
    representatives_missing => "Не заполнены данные представителей", "Representatives not filled";
    application_validity_too_short => "Минимальный срок действия заявки 60 календарных дней", "Application validity must be at least 60 calendar days";
    tender_documentation_missing => "Не подписана конкурсная документация", "Tender documentation not signed";
    acceptance_dates_missing => "Не указаны сроки приема заявок", "Acceptance dates not set";
    acceptance_start_too_early => "Срок начала приема заявок должен быть не ранее 5 рабочих дней с даты публикации", "Acceptance must start at least 5 working days after publication";
    acceptance_start_not_working_day => "Срок начала приема заявок должен приходиться на рабочий день", "Acceptance must start on a working day";
    acceptance_end_required => "Укажите дату окончания приема заявок", "Enter the end of acceptance first";
    acceptance_end_not_required => "Дата окончания приема заявок вводится только при публикации протокола обсуждения без исполнения уведомления", "The end of acceptance is entered only when the discussion protocol is published without executing a notice";
    acceptance_period_too_short => "Срок приема заявок должен быть не менее 15 календарных дней", "Acceptance period must be at least 15 calendar days";
    invalid_acceptance_dates => "Сроки приема указаны некорректно", "Acceptance dates are invalid";
    acceptance_start_not_after_today => "Дата начала приема заявок должна быть позднее текущей даты", "Acceptance must start on a later date than today";
    publication_period_too_short => "Закупка жилья публикуется не менее чем на 30 календарных дней", "A housing purchase is published for at least 30 calendar days";
    acceptance_period_too_long => "Прием заявок должен завершиться не позднее чем через 366 дней", "Acceptance must end within 366 days";
    discussion_requests_unanswered => "Не на все запросы предоставлены ответы", "Not all discussion requests are answered";
    no_discussion_requests => "Запросы по обсуждению не поступали", "There are no discussion requests";
    discussion_signers_required => "Добавьте представителей для подписания протокола обсуждения", "Add representatives to sign the discussion protocol";
    discussion_not_completed => "Обсуждение документации не завершено", "Discussion not completed";
    discussion_protocol_not_published => "Протокол обсуждения не опубликован", "Discussion protocol not published";
    not_a_discussion_responder => "Ответ может предоставить секретарь или представитель организатора либо заказчика", "Only the secretary or a representative may answer";
    camera_control_notice_open => "По объявлению имеется неисполненное уведомление камерального контроля", "A camera-control notice is open";
    camera_control_notice_too_late => "Уведомление по третьему направлению направлено позднее трех рабочих дней с размещения ППД", "A third-direction notice must come within 3 working days of the ППД";
    camera_control_notice_unknown => "Уведомление не найдено", "Notice not found";
    no_supplemented_applications => "Нет дополненных заявок", "No supplemented applications";
    no_rejected_applications => "Нет отклоненных заявок с правом дополнения", "No application rejected with the right to supplement";
    preliminary_admission_protocol_required => "Требуется протокол предварительного допуска", "A preliminary admission protocol is required";
    conditional_discounts_not_completed => "Не завершено заполнение условных скидок", "Conditional discounts not completed";
    discounts_already_completed => "Условные скидки уже заполнены", "Conditional discounts already completed";
    protocol_already_formed => "Протокол уже сформирован", "Protocol already formed";
    protocol_already_signed => "Протокол подписан и не может быть удален", "Protocol is signed and cannot be deleted";
    signer_mismatch => "ИИН подписанта не совпадает с пользователем", "Signer IIN does not match the user";
    signature_required => "Подпись протокола требует ЭЦП", "Signing a protocol needs the signature itself";
    expert_opinion_not_allowed => "Экспертное заключение можно прикрепить только до публикации протокола", "Expert opinion only before the protocol is published";
    commission_change_not_allowed => "Изменение комиссии недоступно", "Commission cannot be changed now";
    only_chairman_changes_secretary => "Секретаря может изменить только председатель", "Only the chairman can change the secretary";
    creator_change_not_allowed => "Изменение создателя недоступно", "Creator cannot be changed now";
    creator_not_blocked => "Создатель объявления не заблокирован", "The creator is not blocked";
    creator_unchanged => "Выбран действующий создатель объявления", "The new creator is the current one";
    new_creator_blocked => "Выберите незаблокированного пользователя", "Choose an employee of the organisation who is not blocked";
    representatives_change_not_allowed => "Изменение данных представителя недоступно", "Representatives cannot be changed now";
    contract_not_found => "Договор не найден", "Contract not found";
    lot_not_held => "Закупка по лоту не состоялась", "The lot's procurement was not held";
    contract_evasion_recorded => "Уклонение победителя от заключения договора уже зафиксировано", "the winner's evasion of the contract is already recorded";
    invalid_plan_item_id => "Некорректный идентификатор пункта плана", "Invalid plan item id";
    plan_item_not_requested => "Заявка заказчика на закупку пункта плана отсутствует", "No customer request for this plan item";
    plan_item_already_requested => "Заявка заказчика уже направлена", "Customer request already sent";
    plan_item_reserved => "Лот уже включен в другое объявление", "Lot is already in another announcement";
    plan_item_already_procured => "Закупка по пункту плана состоялась", "Plan item was already procured";
    plan_item_not_failed => "В повторную закупку включаются только лоты несостоявшихся закупок того же способа", "A repeat procurement takes only lots of failed procurements by the same method";
    single_lot_only => "В проект закупки со способом «Аукцион» может быть добавлен только один лот", "An auction takes exactly one lot";
    goods_only => "Способом «Аукцион» закупаются только товары", "An auction procures goods only";
    admission_protocol_not_published => "Протокол допуска не опубликован", "The admission protocol is not published";
    publication_places_missing => "Не указаны место получения документации и места предоставления заявок", "The places of the documentation and of the applications are not stated";
    results_data_missing => "Не внесены данные для протокола", "The results data are not entered";
    plan_item_in_other_procurement => "Лот включен в другую закупку: сначала отмените ее", "Lot is in another procurement: cancel that one first";
    single_source_terms_missing => "Не указаны способ несостоявшейся закупки и приглашенный поставщик", "The failed procurement and the invited supplier are not set";
    single_source_source_invalid => "Способ несостоявшейся закупки указан некорректно", "The failed procurement's method is invalid";
    single_source_interval_too_short => "Срок приема заявок короче установленного для способа и причины несостоявшейся закупки", "The acceptance period is shorter than the failed procurement's method and reason allow";
    plan_item_not_failed_for_single_source => "В закупку из одного источника включаются только пункты плана в статусе «Закупка не состоялась»", "A single source takes only plan items whose procurement failed";
    single_source_banned => "В течение 5 рабочих дней со дня публикации протокола итогов несостоявшегося конкурса закупка из одного источника запрещена", "Single source is forbidden for 5 working days after the failed tender's results protocol";
    supplier_rejected_under_article6 => "Поставщик, отклоненный по статье 6 Закона в несостоявшейся закупке, не может быть приглашен", "A supplier the failed procurement rejected under article 6 of the Law cannot be invited";
    no_single_source_lots => "Нет лотов, несостоявшихся по причине «подана одна заявка», для закупки из одного источника", "No lots failed with one application await a single source";
    services_only => "Способом государственного социального заказа закупаются только услуги", "The state social order procures services only";
    acceptance_start_after_working_hours => "Срок начала приема заявок должен приходиться на рабочее время (до 18:00 включительно)", "Acceptance must start within working hours (until 18:00 inclusive)";
    social_order_acceptance_too_short => "Срок приема заявок должен быть не менее 20 календарных дней", "Acceptance period must be at least 20 calendar days";
    supplier_not_invited => "Заявку подает только приглашенный поставщик", "Only the invited supplier may apply";
    single_source_single_voter => "В закупке из одного источника комиссия не создается: заявку рассматривает представитель организатора", "A single source has no commission: the organizer's representative reviews alone";
    qualification_info_admitted_only => "Сведения о квалификации заполняются только по допущенным поставщикам", "Qualification data are filled for admitted suppliers only";
    qualification_rows_missing => "Нет строк сведений о квалификации", "No qualification data rows";
    qualification_row_undecided => "Укажите решение по каждой строке сведений о квалификации", "Decide on every qualification data row";
    qualification_info_not_filled => "Сведения о квалификации заполнены не по всем допущенным поставщикам", "Qualification data are not filled for every admitted supplier";
    selection_acceptance_dates_invalid => "Срок окончания приема заявок должен быть позже срока начала, начало не ранее текущего времени", "Acceptance must end after it starts and start no earlier than now";
}

pub fn too_early(at: DateTime<Utc>) -> DomainError {
    refuse(
        "too_early",
        format!("Срок не наступил: {at}"),
        format!("Not before {at}"),
    )
}

pub fn plan_item_not_held_by(announcement_id: Uuid) -> DomainError {
    refuse(
        "plan_item_not_held",
        format!("Пункт плана не включен в объявление {announcement_id}"),
        format!("Plan item is not held by announcement {announcement_id}"),
    )
}
