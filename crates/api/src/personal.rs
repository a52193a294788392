//! Personal data of natural persons (issue 26 item 3, decision 0671): an ИИН encodes its
//! holder's birth date and sex, so every ИИН an announcement shows (commission members, protocol
//! signers, representatives, the creator, the actors of its events) is read by the organizer's
//! staff and the auditors only (`vote::reads_personal_data`). Everyone else reads the same
//! answer with the ИИН left out (null, or removed from an event's payload).

use zakup_domain::ident::Iin;

use crate::protocol::Protocol;
use crate::screen::AnnouncementDetails;

/// The protocols without their signers' ИИН.
pub fn protocols(mut protocols: Vec<Protocol>, reads: bool) -> Vec<Protocol> {
    if !reads {
        protocols.iter_mut().for_each(|p| p.signer_iins = None);
    }
    protocols
}

/// The details without the ИИН of the creator, the representatives, the members whose ballots
/// or absent signatures they list.
pub fn details(mut d: AnnouncementDetails, reads: bool) -> AnnouncementDetails {
    if reads {
        return d;
    }
    d.creator_iin = None;
    if let Some(r) = d.representatives.as_mut() {
        r.organizer_representative.iin = None;
        r.customer_representative.iin = None;
    }
    for p in [
        d.organizer_representative.as_mut(),
        d.customer_representative.as_mut(),
    ]
    .into_iter()
    .flatten()
    {
        p.iin = None;
    }
    d.voting
        .ballots
        .iter_mut()
        .for_each(|b| b.member_iin = None);
    for files in &mut d.protocol_files {
        files.absences.iter_mut().for_each(|a| a.member_iin = None);
    }
    d
}

/// An event's payload without any ИИН: every string that is an ИИН (`signer_iin`, `signed_by`,
/// a member of `members`, an entry of `excluded_voters`, …), at any depth, becomes null, and an
/// entry keyed by one is left out. Payloads are stored as the events were decided; the rule is
/// applied when they are shown, and reads the values, not the field names, so a new event type
/// is covered as it is. A БИН is never an ИИН (its fifth digit, 4–6, is no day of a month).
pub fn payload(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) if is_iin(s) => *value = serde_json::Value::Null,
        serde_json::Value::Object(fields) => {
            fields.retain(|key, _| !is_iin(key));
            fields.values_mut().for_each(payload);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(payload),
        _ => {}
    }
}

fn is_iin(s: &str) -> bool {
    s.len() == 12 && s.parse::<Iin>().is_ok()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    /// Decision 0671: every ИИН of a payload is left out, at any depth, whatever its field;
    /// nothing else is (a БИН stays).
    #[test]
    fn a_payload_loses_every_iin_and_nothing_else() {
        let iin = "850101300203";
        assert!(super::is_iin(iin));
        let mut p = json!({
            "members": [{"iin": iin, "full_name": "Ахметов", "function": "chairman"}],
            "signed_by": iin,
            "excluded_voters": [iin],
            "absences": [[iin, {"file_id": "f"}]],
            "by_member": {iin: "admitted"},
            "supplier_bin": "100140000001",
            "plan_item_id": "PI-1",
            "amount": "9000000.00"
        });
        super::payload(&mut p);
        assert_eq!(
            p,
            json!({
                "members": [{"iin": null, "full_name": "Ахметов", "function": "chairman"}],
                "signed_by": null,
                "excluded_voters": [null],
                "absences": [[null, {"file_id": "f"}]],
                "by_member": {},
                "supplier_bin": "100140000001",
                "plan_item_id": "PI-1",
                "amount": "9000000.00"
            })
        );
    }
}
