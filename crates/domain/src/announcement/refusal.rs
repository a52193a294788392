//! Every refusal of the announcement and plan-item rules: a stable snake_case code with a
//! Russian and an English message. Codes are an API contract: never rename one.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::DomainError;

/// Shared by every aggregate: the kernel's.
pub use crate::kernel::refusal::missing_field;

fn refuse(code: &'static str, ru: impl Into<String>, en: impl Into<String>) -> DomainError {
    DomainError::new(code, ru, en)
}

macro_rules! refusals {
    ($($name:ident => $ru:literal, $en:literal;)+) => {
        $(
            pub fn $name() -> DomainError {
                refuse(stringify!($name), $ru, $en)
            }
        )+

        /// Every fixed refusal code, for documentation and uniqueness tests.
        pub const CODES: &[&str] = &[$(stringify!($name)),+];
    };
}

refusals! {
    announcement_not_found => "Объявление не найдено", "Announcement not found";
    announcement_exists => "Объявление уже создано", "Announcement already exists";
    forbidden_role => "Действие недоступно для вашей роли", "Action not available for your role";
    foreign_organization => "Объявление принадлежит другой организации", "Announcement belongs to another organisation";
    not_secretary => "Действие доступно только секретарю объявления", "Only the announcement's secretary may do this";
    not_a_draft => "Редактировать можно только объявление в статусе «Проект»", "Only a draft («Проект») can be edited";
    wrong_status => "Действие недоступно в текущем статусе", "Action not available in the current status";
    suspended => "Закупка приостановлена", "Procurement is suspended";
    not_applicable_to_method => "Недоступно для данного способа закупки", "Not available for this procurement method";
    not_editable_in_copy => "Поле не подлежит изменению в объявлении с индексом 2", "Field cannot be changed in the index-2 copy";
    not_a_documentation_change_copy => "Объявление не изменено по итогам обсуждения", "The source announcement has no documentation change";
    remove_lots_first => "Сначала удалите выбранные лоты", "Remove the selected lots first";
    duplicate_id => "Идентификатор уже использован", "Identifier already used";
    no_lots_selected => "Не выбраны лоты", "No lots selected";
    unknown_lot => "Лот не найден в объявлении", "Lot not found in the announcement";
    lot_already_added => "Лот уже добавлен", "Lot already added";
    lot_cancelled => "Лот отменен", "Lot is cancelled";
    lot_subject_mismatch => "Данные лота не соответствуют виду предмета закупки", "Lot data do not match the subject type";
    lot_data_missing => "Не заполнены данные лота", "Lot data are not filled";
    lot_change_not_allowed => "Такое изменение признака демпинга недопустимо", "This dumping attribute change is not allowed";
    invalid_amount => "Сумма должна быть больше нуля", "Amount must be positive";
    technical_specification_exists => "Техническая спецификация уже сформирована: удалите ее, чтобы изменить", "Technical specification exists: delete it to change it";
    technical_specification_missing => "Не заполнена техническая спецификация", "Technical specification missing";
    technical_specification_form_mismatch => "Форма технической спецификации не соответствует виду предмета закупки", "Technical specification form does not match the subject type";
    contract_draft_already_approved => "Проект договора утвержден: отзовите его для изменения", "Contract draft approved: revoke it to edit";
    contract_draft_missing => "Не утвержден проект договора", "Contract draft not approved";
    representatives_missing => "Не заполнены данные представителей", "Representatives not filled";
    application_validity_too_short => "Минимальный срок действия заявки 60 календарных дней", "Application validity must be at least 60 calendar days";
    commission_missing => "Не сформирована конкурсная комиссия", "Tender commission not set";
    commission_size_even => "Состав комиссии должен быть нечетным", "Commission size must be odd";
    commission_duplicate_person => "Лицо указано в комиссии дважды", "A person appears twice in the commission";
    tender_documentation_missing => "Не подписана конкурсная документация", "Tender documentation not signed";
    acceptance_dates_missing => "Не указаны сроки приема заявок", "Acceptance dates not set";
    acceptance_start_too_early => "Срок начала приема заявок должен быть не ранее 5 рабочих дней с даты публикации", "Acceptance must start at least 5 working days after publication";
    acceptance_start_not_working_day => "Срок начала приема заявок должен приходиться на рабочий день", "Acceptance must start on a working day";
    acceptance_period_too_short => "Срок приема заявок должен быть не менее 15 календарных дней", "Acceptance period must be at least 15 calendar days";
    invalid_acceptance_dates => "Сроки приема указаны некорректно", "Acceptance dates are invalid";
    discussion_not_available => "Обсуждение документации не предусмотрено", "No discussion of the documentation for this announcement";
    discussion_period_over => "Срок обсуждения документации истек", "Discussion period is over";
    discussion_not_ended => "Срок обсуждения документации не истек", "Discussion period has not ended";
    discussion_request_not_found => "Запрос не найден", "Discussion request not found";
    discussion_request_already_answered => "На запрос уже предоставлен ответ", "Discussion request already answered";
    discussion_request_not_answered => "На запрос не предоставлен ответ", "Discussion request not answered";
    discussion_requests_unanswered => "Не на все запросы предоставлены ответы", "Not all discussion requests are answered";
    no_discussion_requests => "Запросы по обсуждению не поступали", "There are no discussion requests";
    discussion_signers_required => "Добавьте представителей для подписания протокола обсуждения", "Add representatives to sign the discussion protocol";
    discussion_not_completed => "Обсуждение документации не завершено", "Discussion not completed";
    discussion_protocol_not_published => "Протокол обсуждения не опубликован", "Discussion protocol not published";
    not_a_discussion_responder => "Ответ может предоставить секретарь или представитель организатора либо заказчика", "Only the secretary or a representative may answer";
    acceptance_period_over => "Срок приема заявок истек", "Acceptance period is over";
    application_already_submitted => "Заявка поставщика уже подана", "The supplier has already applied";
    application_not_found => "Заявка не найдена", "Application not found";
    not_own_application => "Заявка принадлежит другому поставщику", "Application belongs to another supplier";
    price_above_allocated_amount => "Цена превышает сумму, выделенную для закупки", "Price exceeds the amount allocated to the lot";
    supplement_period_over => "Срок дополнения заявок истек", "Supplement period is over";
    no_right_to_supplement => "Отклонен без права переподачи", "Rejected without right of resubmission";
    camera_control_notice_open => "По объявлению имеется неисполненное уведомление камерального контроля", "A camera-control notice is open";
    camera_control_notice_too_late => "Уведомление по третьему направлению направлено позднее трех рабочих дней с размещения ППД", "A third-direction notice must come within 3 working days of the ППД";
    camera_control_notice_unknown => "Уведомление не найдено", "Notice not found";
    no_supplemented_applications => "Нет дополненных заявок", "No supplemented applications";
    lot_not_rejected => "Заявка по лоту не отклонена", "Application is not rejected on this lot";
    not_a_commission_member => "Голосуют только члены конкурсной комиссии", "Only commission members vote";
    excluded_from_commission => "Член комиссии исключен и не может голосовать", "Excluded member cannot vote";
    nothing_to_review => "Нет заявок для рассмотрения", "Nothing to review";
    ballot_lots_mismatch => "Решение должно охватывать все рассматриваемые лоты заявки", "The vote must cover exactly the lots under review";
    already_voted => "Голос уже подан: отзовите его, чтобы изменить", "Already voted: withdraw the vote to change it";
    no_vote_to_withdraw => "Нет голоса для отзыва", "No vote to withdraw";
    rejection_reason_required => "Укажите причину отклонения", "Rejection reason required";
    rejected_documents_required => "Укажите документы, по которым заявка отклонена", "List the rejected documents";
    article6_subparagraph_required => "Отметьте подпункт статьи 6 Закона", "Tick the sub-paragraph of article 6";
    no_quorum => "Нет кворума", "No quorum";
    voting_completed => "Голосование завершено", "Voting is completed";
    voting_not_completed => "Голосование не завершено", "Voting is not completed";
    no_rejected_applications => "Нет отклоненных заявок с правом дополнения", "No application rejected with the right to supplement";
    preliminary_admission_protocol_required => "Требуется протокол предварительного допуска", "A preliminary admission protocol is required";
    conditional_discounts_not_completed => "Не завершено заполнение условных скидок", "Conditional discounts not completed";
    discounts_not_required_for_lot => "Условные скидки по лоту не заполняются", "No conditional discounts for this lot";
    discount_entries_mismatch => "Заполните скидки по всем заявкам лота", "Fill discounts for every application of the lot";
    discounts_incomplete => "Условные скидки заполнены не по всем лотам", "Conditional discounts missing on some lots";
    discounts_already_completed => "Условные скидки уже заполнены", "Conditional discounts already completed";
    protocol_not_found => "Протокол не найден", "Protocol not found";
    protocol_superseded => "Версия протокола не действительна", "Protocol version is no longer valid";
    protocol_not_signable => "Протокол сформирован системой и не подписывается", "A system-formed protocol cannot be signed";
    protocol_already_formed => "Протокол уже сформирован", "Protocol already formed";
    protocol_already_signed => "Протокол подписан и не может быть удален", "Protocol is signed and cannot be deleted";
    protocol_already_published => "Протокол опубликован", "Protocol already published";
    content_hash_mismatch => "Подписываемое содержимое не совпадает с протоколом", "Signed content does not match the protocol";
    signer_mismatch => "ИИН подписанта не совпадает с пользователем", "Signer IIN does not match the user";
    already_signed => "Протокол уже подписан этим лицом", "Already signed by this person";
    secretary_signs_first => "Первым протокол подписывает секретарь", "The secretary signs first";
    not_a_signer => "Пользователь не является подписантом протокола", "User is not a signer of this protocol";
    signatures_missing => "Протокол подписан не всеми", "Not all signatures are present";
    no_signature_quorum => "Нет кворума подписей", "No quorum of signatures";
    expert_opinion_not_allowed => "Экспертное заключение можно прикрепить только до публикации протокола", "Expert opinion only before the protocol is published";
    commission_change_not_allowed => "Изменение комиссии недоступно", "Commission cannot be changed now";
    only_chairman_changes_secretary => "Секретаря может изменить только председатель", "Only the chairman can change the secretary";
    creator_change_not_allowed => "Изменение создателя недоступно", "Creator cannot be changed now";
    creator_not_blocked => "Создатель объявления не заблокирован", "The creator is not blocked";
    creator_unchanged => "Выбран действующий создатель объявления", "The new creator is the current one";
    new_creator_blocked => "Выберите незаблокированного пользователя", "Choose a user who is not blocked";
    representatives_change_not_allowed => "Изменение данных представителя недоступно", "Representatives cannot be changed now";
    contract_draft_exists => "По лоту создан проект договора: удалите его", "A contract draft exists for the lot: delete it first";
    contract_not_found => "Договор не найден", "Contract not found";
    lot_not_held => "Закупка по лоту не состоялась", "The lot's procurement was not held";
    invalid_plan_item_id => "Некорректный идентификатор пункта плана", "Invalid plan item id";
    plan_item_not_requested => "Заявка заказчика на закупку пункта плана отсутствует", "No customer request for this plan item";
    plan_item_already_requested => "Заявка заказчика уже направлена", "Customer request already sent";
    plan_item_reserved => "Лот уже включен в другое объявление", "Lot is already in another announcement";
    plan_item_already_procured => "Закупка по пункту плана состоялась", "Plan item was already procured";
    plan_item_not_failed => "В повторную закупку включаются только лоты несостоявшихся конкурсов", "A repeat tender takes only lots of failed tenders";
    plan_item_in_other_procurement => "Лот включен в другую закупку: сначала отмените ее", "Lot is in another procurement: cancel that one first";
}

pub fn field_not_applicable(field: &str) -> DomainError {
    refuse(
        "field_not_applicable",
        format!("Поле {field} недоступно для заполнения"),
        format!("Field {field} is not applicable"),
    )
}

pub fn commission_too_small(minimum: usize) -> DomainError {
    refuse(
        "commission_too_small",
        format!("Минимальный состав комиссии {minimum} человек с председателем"),
        format!("The commission needs at least {minimum} people including the chairman"),
    )
}

pub fn discount_field_empty(field: &str) -> DomainError {
    refuse(
        "discount_field_empty",
        format!("Поле {field} обязательно: укажите 0, если скидка отсутствует"),
        format!("Field {field} is required: enter 0 if there is no discount"),
    )
}

pub fn discount_out_of_range(field: &str) -> DomainError {
    refuse(
        "discount_out_of_range",
        format!("Недопустимое значение поля {field}"),
        format!("Value of {field} is not allowed"),
    )
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
