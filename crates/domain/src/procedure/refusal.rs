//! The refusals of the procedure components' rules: a stable snake_case code with a Russian and
//! an English message. Codes are an API contract: never rename one. The announcement's refusal
//! module re-exports them, so its callers find every code in one place.

use crate::kernel::error::DomainError;
use crate::kernel::refusal::refusals;

pub use crate::kernel::refusal::missing_field;

refusals! {
    two_applications_required => "Необходимо указать данные не менее двух заявок", "Enter at least two applications";
    already_signed => "Протокол уже подписан этим лицом", "Already signed by this person";
    already_voted => "Голос уже подан: отзовите его, чтобы изменить", "Already voted: withdraw the vote to change it";
    application_not_found => "Заявка не найдена", "Application not found";
    article6_subparagraph_required => "Отметьте подпункт статьи 6 Закона", "Tick the sub-paragraph of article 6";
    ballot_lots_mismatch => "Решение должно охватывать все рассматриваемые лоты заявки", "The vote must cover exactly the lots under review";
    commission_duplicate_person => "Лицо указано в комиссии дважды", "A person appears twice in the commission";
    commission_missing => "Не сформирована конкурсная комиссия", "Tender commission not set";
    commission_size_even => "Состав комиссии должен быть нечетным", "Commission size must be odd";
    content_hash_mismatch => "Подписываемое содержимое не совпадает с протоколом", "Signed content does not match the protocol";
    discount_entries_mismatch => "Заполните скидки по всем заявкам лота", "Fill discounts for every application of the lot";
    discounts_incomplete => "Условные скидки заполнены не по всем лотам", "Conditional discounts missing on some lots";
    discounts_not_required_for_lot => "Условные скидки по лоту не заполняются", "No conditional discounts for this lot";
    excluded_from_commission => "Член комиссии исключен и не может голосовать", "Excluded member cannot vote";
    lot_subject_mismatch => "Данные лота не соответствуют виду предмета закупки", "Lot data do not match the subject type";
    no_quorum => "Нет кворума", "No quorum";
    no_signature_quorum => "Нет кворума подписей", "No quorum of signatures";
    no_vote_to_withdraw => "Нет голоса для отзыва", "No vote to withdraw";
    not_a_commission_member => "Голосуют только члены конкурсной комиссии", "Only commission members vote";
    not_a_signer => "Пользователь не является подписантом протокола", "User is not a signer of this protocol";
    nothing_to_review => "Нет заявок для рассмотрения", "Nothing to review";
    protocol_already_published => "Протокол опубликован", "Protocol already published";
    protocol_not_found => "Протокол не найден", "Protocol not found";
    protocol_not_signable => "Протокол сформирован системой и не подписывается", "A system-formed protocol cannot be signed";
    protocol_superseded => "Версия протокола не действительна", "Protocol version is no longer valid";
    rejected_documents_required => "Укажите документы, по которым заявка отклонена", "List the rejected documents";
    rejection_reason_required => "Укажите причину отклонения", "Rejection reason required";
    secretary_signs_first => "Первым протокол подписывает секретарь", "The secretary signs first";
    signatures_missing => "Протокол подписан не всеми", "Not all signatures are present";
    bankruptcy_verdict_required => "Укажите решение по категории «Процедура банкротства либо ликвидации»", "Decide on the category «bankruptcy or liquidation procedure»";
    category_not_in_method => "Категория не рассматривается этим способом", "This category is not reviewed by this method";
    technical_specification_form_mismatch => "Форма технической спецификации не соответствует виду предмета закупки", "Technical specification form does not match the subject type";
    voting_completed => "Голосование завершено", "Voting is completed";
    voting_not_completed => "Голосование не завершено", "Voting is not completed";
    wrong_status => "Действие недоступно в текущем статусе", "Action not available in the current status";
    acceptance_period_over => "Срок приема заявок истек", "Acceptance period is over";
    application_already_submitted => "Заявка поставщика уже подана", "The supplier has already applied";
    duplicate_id => "Идентификатор уже использован", "Identifier already used";
    no_lots_selected => "Не выбраны лоты", "No lots selected";
    unknown_lot => "Лот не найден в объявлении", "Lot not found in the announcement";
    lot_cancelled => "Лот отменен", "Lot is cancelled";
    lot_already_added => "Лот уже добавлен", "Lot already added";
    invalid_amount => "Сумма должна быть больше нуля", "Amount must be positive";
    price_above_allocated_amount => "Цена превышает сумму, выделенную для закупки", "Price exceeds the amount allocated to the lot";
    supplement_period_over => "Срок дополнения заявок истек", "Supplement period is over";
    no_right_to_supplement => "Отклонен без права переподачи", "Rejected without right of resubmission";
    lot_not_rejected => "Заявка по лоту не отклонена", "Application is not rejected on this lot";
    not_own_application => "Заявка принадлежит другому поставщику", "Application belongs to another supplier";
    contract_draft_exists => "По лоту создан проект договора: удалите его", "A contract draft exists for the lot: delete it first";
    discussion_not_available => "Обсуждение документации не предусмотрено", "No discussion of the documentation for this announcement";
    discussion_period_over => "Срок обсуждения документации истек", "Discussion period is over";
    discussion_not_ended => "Срок обсуждения документации не истек", "Discussion period has not ended";
    discussion_request_not_found => "Запрос не найден", "Discussion request not found";
    discussion_request_already_answered => "На запрос уже предоставлен ответ", "Discussion request already answered";
    discussion_request_not_answered => "На запрос не предоставлен ответ", "Discussion request not answered";
    not_editable_in_copy => "Поле не подлежит изменению в объявлении с индексом 2", "Field cannot be changed in the index-2 copy";
    technical_specification_exists => "Техническая спецификация уже сформирована: удалите ее, чтобы изменить", "Technical specification exists: delete it to change it";
    technical_specification_missing => "Не заполнена техническая спецификация", "Technical specification missing";
    lot_change_not_allowed => "Такое изменение признака демпинга недопустимо", "This dumping attribute change is not allowed";
}

pub fn field_not_applicable(field: &str) -> DomainError {
    DomainError::new(
        "field_not_applicable",
        format!("Поле {field} недоступно для заполнения"),
        format!("Field {field} is not applicable"),
    )
}

pub fn commission_too_small(minimum: usize) -> DomainError {
    DomainError::new(
        "commission_too_small",
        format!("Минимальный состав комиссии {minimum} человек с председателем"),
        format!("The commission needs at least {minimum} people including the chairman"),
    )
}

pub fn discount_field_empty(field: &str) -> DomainError {
    DomainError::new(
        "discount_field_empty",
        format!("Поле {field} обязательно: укажите 0, если скидка отсутствует"),
        format!("Field {field} is required: enter 0 if there is no discount"),
    )
}

pub fn discount_out_of_range(field: &str) -> DomainError {
    DomainError::new(
        "discount_out_of_range",
        format!("Недопустимое значение поля {field}"),
        format!("Value of {field} is not allowed"),
    )
}
