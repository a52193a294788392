//! The guarantee's refusals. The seed gives no wording (spec 000-D §0); the codes are ours,
//! `guarantee_not_active` is §4.11's.

use crate::kernel::refusal::refusals;

refusals! {
    guarantee_not_found => "Банковская гарантия не найдена", "no such bank guarantee";
    guarantee_exists => "Банковская гарантия уже выпущена", "the bank guarantee is already issued";
    invalid_guarantee_terms => "Условия гарантии заполнены неверно (лоты, сроки, сумма)", "the guarantee's terms are invalid (lots, dates, amount)";
    guarantee_not_active => "Гарантия не в статусе «Действует»", "the guarantee is not «Действует» (active)";
    guarantee_lot_not_active => "Лот не входит в гарантию или гарантия по нему не действует", "the lot is not one the guarantee still secures";
    guarantee_request_form_exists => "Форма запроса уже сформирована: подпишите или удалите её", "a request form exists: sign or delete it first";
    guarantee_no_request_form => "Форма запроса не сформирована", "no request form to sign or delete";
    guarantee_request_signed => "Форма подписана и отправлена в банк", "the request is signed and sent to the bank";
    guarantee_no_pending_request => "Нет запроса на подтверждении в банке", "no request is pending at the bank";
    guarantee_wrong_request => "Запрос в банке другого вида", "the request pending at the bank is of the other kind";
    guarantee_not_beneficiary => "Запрос направляет только тот, в чей адрес выпущена гарантия", "only the beneficiary (organizer or customer) requests a hold or a return";
    guarantee_foreign_bank => "Запрос рассматривают только сотрудники банка, выпустившего гарантию", "only the issuing bank's employees decide on the request";
    guarantee_procedure_in_progress => "Статус закупки (лота) не позволяет этот запрос", "the announcement's or lot's status does not allow this request";
}
