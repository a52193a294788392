//! The guarantees' messages (spec 000-D §9.1): to the bank's employees when a hold or a return is
//! signed (L10730–10734, L10814–10818), to the requester when the bank refuses (with its reason,
//! L10736–10738, L10822–10824) or confirms (L10742–10744, L10828–10830). The requester is the
//! beneficiary's organisation (the organizer or the customer, decision 0850): a request the
//! procurement's outcome started (decision 0853) has no person behind it.

use zakup_domain::guarantee::GuaranteeKind;
use zakup_domain::guarantee::{Guarantee, GuaranteeEvent, GuaranteeIssued, RequestKind};

use crate::messages::{Message, Recipient};

/// The message `event` triggers on the guarantee as it stood `before` it.
pub fn triggered(before: &Guarantee, event: &GuaranteeEvent) -> Option<Message> {
    let issued = before.issued.as_ref()?;
    let number = &issued.number;
    let (kind, text, source, occurred_at, to) = match event {
        GuaranteeEvent::Signed(e) => {
            let (kind, text, source) = match e.request {
                RequestKind::Hold => (
                    "guarantee_hold_requested",
                    format!(
                        "Запрос на удержание по банковской гарантии № {number}: для перечисления денег"
                    ),
                    "L10730–10734",
                ),
                RequestKind::Return => (
                    "guarantee_return_requested",
                    format!(
                        "Запрос на возврат (аннулирование) банковской гарантии № {number}: аннулирования гарантии"
                    ),
                    "L10814–10818",
                ),
            };
            (kind, text, source, e.signed_at, bank(issued))
        }
        GuaranteeEvent::Refused(e) => {
            let (kind, source) = match e.request {
                RequestKind::Hold => ("guarantee_hold_refused", "L10736–10738"),
                RequestKind::Return => ("guarantee_return_refused", "L10822–10824"),
            };
            let text = format!(
                "Банк отказал в запросе «{}» по банковской гарантии № {number}. Причина: {}",
                e.request.original(),
                e.reason
            );
            (kind, text, source, e.refused_at, beneficiary(issued))
        }
        GuaranteeEvent::Confirmed(e) => {
            let (kind, text, source) = match e.request {
                RequestKind::Hold => (
                    "guarantee_hold_confirmed",
                    format!("О перечислении денег по банковской гарантии № {number}"),
                    "L10742–10744",
                ),
                RequestKind::Return => (
                    "guarantee_return_confirmed",
                    format!("О возврате (аннулировании) банковской гарантии № {number}"),
                    "L10828–10830",
                ),
            };
            (kind, text, source, e.confirmed_at, beneficiary(issued))
        }
        GuaranteeEvent::Issued(_)
        | GuaranteeEvent::FormGenerated(_)
        | GuaranteeEvent::FormDeleted(_) => return None,
    };
    Some(Message {
        kind,
        text,
        source,
        occurred_at,
        notice_id: None,
        recipients: vec![to],
    })
}

fn bank(issued: &GuaranteeIssued) -> (Recipient, &'static str) {
    (Recipient::Organisation(issued.bank_bin), "bank")
}

fn beneficiary(issued: &GuaranteeIssued) -> (Recipient, &'static str) {
    match issued.kind {
        GuaranteeKind::ApplicationSecurity => {
            (Recipient::Organisation(issued.organizer_bin), "organizer")
        }
        GuaranteeKind::ContractSecurity => {
            (Recipient::Organisation(issued.customer_bin), "customer")
        }
    }
}
