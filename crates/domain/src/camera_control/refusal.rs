//! Every refusal of the camera-control rules (spec 000-D §4.11 and ours): a stable snake_case
//! code with a Russian and an English message. Codes are an API contract: never rename one.

use crate::error::DomainError;

/// The portal block is the kernel's rule (`Context::require_portal_unblocked`).
pub use crate::kernel::refusal::unread_notice_block;

macro_rules! refusals {
    ($($name:ident => $ru:literal, $en:literal;)+) => {
        $(
            pub fn $name() -> DomainError {
                DomainError::new(stringify!($name), $ru, $en)
            }
        )+

        /// Every refusal code, for documentation and uniqueness tests.
        pub const CODES: &[&str] = &[$(stringify!($name)),+];
    };
}

refusals! {
    notice_already_acknowledged => "Уведомление уже прочитано", "The notice is already acknowledged";
    notice_not_acknowledged => "Уведомление не в статусе «Ознакомлен»", "The notice is not «Ознакомлен»";
    objection_window_expired => "Истек срок отправки возражения (5 рабочих дней)", "The 5-working-day objection window has passed";
    notice_selected_for_execution => "Уведомление выбрано для исполнения: возражение недоступно", "The notice is selected for execution: no objection";
    objection_description_required => "Заполните описание возражения на русском или казахском языке", "Describe the objection in Russian or Kazakh";
    objection_approver_required => "Выберите согласующего", "Choose an approver";
    objection_reject_reason_required => "Укажите причину отклонения", "Give the rejection reason";
    objection_not_editable => "Возражение недоступно для изменения или удаления", "The objection cannot be edited or deleted";
    objection_exists => "На уведомление уже создано возражение", "The notice already has an objection";
    objection_not_found => "Возражение не найдено", "Objection not found";
    objection_not_pending_approval => "Возражение не находится на согласовании", "The objection is not pending approval";
    objection_not_approved => "Возражение не утверждено", "The objection is not approved";
    objection_not_delivered => "Возражение не доставлено в КВГА", "The objection has not been delivered to the Committee";
    not_the_approver => "Действие доступно только согласующему", "Only the approver may do this";
    notice_execution_closed => "Доступ на исполнение уведомления закрыт", "Execution of this notice is closed";
    only_cancellation_allowed => "Уведомление можно исполнить только путем отмены закупки", "This notice can only be executed by cancelling the procurement";
    remedy_mismatch => "Способ устранения нарушения по уведомлению другой", "The notice names another remedy";
    notice_in_execution => "Уведомление уже на исполнении", "The notice is already being executed";
    notice_already_executed => "Уведомление уже исполнено", "The notice is already executed";
    discussion_not_completed => "Обсуждение документации не завершено или есть запросы без ответа", "The discussion is not over or a request is unanswered";
    supplement_period_not_ended => "Срок дополнения заявок не завершен", "The supplement period has not ended";
    wrong_announcement_status => "Действие недоступно в текущем статусе объявления", "Not available in the announcement's current status";
    lot_has_no_notice => "По лоту не отправлено уведомление", "No notice was sent on this lot";
    no_lots_selected => "Не выбраны лоты", "No lots selected";
    no_lots_added_for_cancellation => "Нет добавленных лотов для отмены", "No lots added for cancellation";
    ppd_revision_already_started => "Пересмотр ППД уже проводился", "The ППД has already been revised";
    documentation_change_in_progress => "Изменение документации по уведомлениям уже начато", "A documentation change by notices is under way";
    no_direction_one_notice => "Нет уведомлений по первому направлению", "No direction-1 notice";
    no_direction_four_notice => "Нет уведомлений по четвертому направлению", "No direction-4 notice";
    notice_not_found => "Уведомление не найдено", "Notice not found";
    notice_exists => "Уведомление с таким идентификатором уже отправлено", "A notice with this id was already sent";
    notice_text_required => "Заполните текст уведомления", "The notice text is required";
    lot_not_in_announcement => "Лот не найден в объявлении", "Lot not found in the announcement";
    lot_cancelled => "Лот отменен", "The lot is cancelled";
    lot_has_open_notice => "По лоту уже есть неисполненное уведомление", "The lot already has an open notice";
    camera_control_not_applicable => "Камеральный контроль проводится только по открытому конкурсу и аукциону", "Camera control applies to open tenders and auctions only";
    direction_window_closed => "Срок направления уведомления по этому направлению истек или не начался", "The direction's window for sending notices is not open";
    remedy_not_allowed_for_direction => "Способ устранения недопустим для направления и лота", "This remedy is not allowed for the direction and lot";
    execution_not_pending_confirmation => "Исполнение уведомления не ожидает подтверждения", "The execution is not awaiting confirmation";
    foreign_organization => "Действие доступно только сотрудникам организации организатора", "Only employees of the organizer's organisation may do this";
    auditor_cannot_act_on_procurement => "Проверяющий не может выполнять действия по закупке", "An auditor cannot act on the procurement itself";
    not_secretary => "Действие доступно только секретарю объявления", "Only the announcement's secretary may do this";
}
