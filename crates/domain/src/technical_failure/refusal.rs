//! The refusals of the failure and maintenance rules (spec 001-004 §4.9; the seeds give no
//! literal messages, the codes are the spec's proposals in snake_case). Codes are an API contract.

use crate::kernel::refusal::refusals;

refusals! {
    failure_not_found => "Технический сбой не найден", "Technical failure not found";
    failure_exists => "Технический сбой уже зарегистрирован", "Technical failure already reported";
    failure_wrong_status => "Действие недоступно на этом шаге обработки сбоя", "Not allowed at this step of the failure";
    failure_not_confirmed => "Технический сбой не подтвержден", "The technical failure is not confirmed";
    forbidden_failure_role => "Действие доступно только оператору веб-портала", "Only the portal operator may do this";
    foreign_operator => "Сбой зарегистрирован другой организацией оператора", "The failure was registered by another operator organisation";
    instant_in_future => "Указанное время еще не наступило", "The instant given is in the future";
    elimination_before_start => "Время устранения раньше начала сбоя", "Elimination before the failure's start";
    user_side_cause => "Причина на стороне пользователя не является техническим сбоем Системы: сбой опровергается", "A user-side cause is not a failure of the System: refute it";
    affected_announcements_required => "Укажите объявления, затронутые сбоем среднего уровня", "Name the announcements a medium failure affects";
    force_majeure_agreement_required => "Продление по обстоятельствам непреодолимой силы требует согласия собственника", "A force-majeure extension needs the proprietor's agreement";
    deadline_measures_applied => "Меры по этому сбою уже применены к процедуре", "The measures of this cause are already applied to the procedure";
    low_level_no_extension => "При низком уровне критичности сроки не переносятся", "A low-level failure moves no deadline";
    maintenance_notice_too_short => "О работах объявляется не позднее чем за 2 календарных дня", "Maintenance must be announced at least 2 calendar days ahead";
    maintenance_window_invalid => "Окончание работ должно быть позже начала", "The window must end after it starts";
    maintenance_window_exists => "Окно работ уже объявлено", "The maintenance window is already announced";
    maintenance_window_not_found => "Окно работ не найдено", "Maintenance window not found";
    authorized_body_agreement_required => "Укажите согласование с уполномоченным органом", "Reference the authorized body's agreement";
}
