//! The bidding's refusals: a stable snake_case code with a Russian and an English message.

use crate::kernel::refusal::refusals;

refusals! {
    bidding_not_opened => "Аукционные торги не открыты", "Bidding is not open";
    bidding_already_opened => "Аукционные торги уже открыты", "Bidding is already open";
    no_participants => "Нет допущенных участников аукциона", "No admitted participants";
    auction_not_started => "Аукционные торги еще не начались", "The auction has not started";
    auction_ended => "Аукцион завершен: прием ценовых предложений окончен", "The auction has ended: no more offers";
    bidding_closed => "Закупка отменена: прием ценовых предложений прекращен", "The procurement was cancelled: no more offers";
    not_an_auction_participant => "Ценовые предложения подают только допущенные участники аукциона", "Only admitted participants may bid";
    offer_price_zero => "Цена должна быть больше нуля", "The price must be above zero";
    price_above_starting_price => "Цена не может превышать сумму, выделенную для закупки", "The price may not exceed the starting price";
    price_above_best_offer => "Цена не может быть выше лучшего ценового предложения", "The price may not exceed the best offer";
    price_not_below_own_offer => "Цена должна быть ниже вашего предыдущего предложения", "The price must be below your previous offer";
}
