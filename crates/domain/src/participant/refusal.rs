//! The refusals of registration and access (spec 002 §4.A). Codes are an API contract.

use crate::kernel::refusal::refusals;

refusals! {
    participant_already_registered => "Участник с этим ИИН/БИН уже зарегистрирован", "A participant with this ИИН/БИН is already registered";
    participant_not_registered => "Участник не зарегистрирован на портале", "The participant is not registered on the portal";
    participant_id_not_in_certificate => "ИИН/БИН участника берется из сертификата пользователя", "The participant's ИИН/БИН must be the one in the user's certificate";
    participant_agreement_not_signed => "Необходимо подписать соглашение участника", "The participant agreement must be signed";
    head_required => "Заполните данные руководителя", "The head of the organisation is required";
    invalid_kse => "Код КСЕ должен быть цифрой от 1 до 9", "The КСЕ code must be a digit 1–9";
    role_not_self_assignable => "Роль «Организатор» назначается только Единому дистрибьютору; самостоятельно указывается только роль «Поставщик»", "Only the Supplier role is self-declared; the other participant roles are assigned by the portal operator";
    not_a_participant_role => "Это не роль участника", "This is not a participant role";
    not_org_admin => "Действие доступно только администратору организации", "Only the organisation administrator may do this";
    not_an_employee => "Пользователь не является сотрудником организации", "The user is not an employee of the organisation";
    employee_not_found => "Сотрудник не найден", "No such employee";
    employee_already_joined => "Пользователь уже является сотрудником организации", "The user is already an employee";
    employee_blocked => "Сотрудник заблокирован", "The employee is blocked";
    employee_not_blocked => "Сотрудник не заблокирован", "The employee is not blocked";
    block_reason_required => "Введите причину блокировки", "A reason for blocking is required";
    power_not_held_by_participant => "Участник не имеет роли, соответствующей полномочию", "The participant does not hold the role this power acts in";
    account_number_too_long => "Номер счета не может быть длиннее 34 символов", "The account number is at most 34 characters";
    bank_account_exists => "Счет с этим номером уже добавлен", "An account with this number already exists";
    bank_account_not_found => "Счет не найден", "No such account";
    bank_account_not_manual => "Удалить можно только счет, введенный вручную", "Only an account entered by hand can be deleted";
}
