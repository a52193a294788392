//! Which values of an event are personal, and how one is sealed and opened (decision 0840).
//!
//! A value is personal when it is an ИИН (found by its value, at any depth, in a value or an
//! object's key: the rule of decision 0671, so a new event type is covered as it is), or when it
//! is a person's name, phone or e-mail: a string under `full_name`, `phone`, `email` or
//! `<who>_full_name`, … beside that person's ИИН under `iin` or `<who>_iin`, in the same object
//! or the one enclosing it. Each is sealed with the key of the person it belongs to, the ИИН's
//! holder. A name with no ИИН near it has no holder the portal knows and is left as it is.
//!
//! A sealed value is a string, `pd1:<key id>:<hex of nonce and ciphertext>`, so an event keeps
//! its shape and its JSON types. Opened without the key (the person was forgotten), it becomes
//! [`erased`]: `erased:` and ten digits drawn from the key id, the same for every value of one
//! forgotten person, so that a fold that matches a person across events (a member and their
//! vote) still matches them.

use std::collections::{BTreeSet, HashMap};

use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use serde_json::Value;
use uuid::Uuid;

use crate::error::StoreError;

/// The prefix of a sealed value (format 1).
pub const SEALED: &str = "pd1:";
/// The prefix of a value whose key was destroyed.
pub const ERASED: &str = "erased:";

/// Whether a string is a person's identifier (an ИИН): the store does not know the domain's
/// types, so the binary that wires it gives the test.
pub type IsPerson = fn(&str) -> bool;

/// One person's data key.
#[derive(Clone, PartialEq, Eq)]
pub struct DataKey {
    pub id: Uuid,
    pub secret: [u8; 32],
}

impl std::fmt::Debug for DataKey {
    // The secret never reaches a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DataKey({})", self.id)
    }
}

impl DataKey {
    pub fn generate() -> Self {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        DataKey {
            id: Uuid::new_v4(),
            secret: key.into(),
        }
    }
}

/// The marker of a value sealed with the destroyed key `id`.
pub fn erased(id: Uuid) -> String {
    format!("{ERASED}{:010}", id.as_u128() % 10_000_000_000)
}

/// `plain` sealed with `key`. The key id is the associated data, so a value cannot be passed off
/// as another person's.
pub fn seal(key: &DataKey, plain: &str) -> Result<String, StoreError> {
    let cipher = XChaCha20Poly1305::new((&key.secret).into());
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = cipher
        .encrypt(
            &nonce,
            Payload {
                msg: plain.as_bytes(),
                aad: key.id.as_bytes(),
            },
        )
        .map_err(|_| StoreError::InvalidEvent("a personal value could not be sealed".into()))?;
    let mut out = format!("{SEALED}{}:", key.id);
    hex_into(&nonce, &mut out);
    hex_into(&sealed, &mut out);
    Ok(out)
}

/// The key id a sealed value names; `None` for any other string.
pub fn sealed_with(value: &str) -> Option<Uuid> {
    let rest = value.strip_prefix(SEALED)?;
    let (id, _) = rest.split_once(':')?;
    Uuid::parse_str(id).ok()
}

/// A sealed value opened with its key, or [`erased`] when `key` is `None`. A value that does not
/// open with its own key was altered after it was stored: corrupt, not erased.
pub fn open(value: &str, key: Option<&DataKey>) -> Result<String, StoreError> {
    let corrupt = || StoreError::Corrupt("a sealed personal value does not open".into());
    let id = sealed_with(value).ok_or_else(corrupt)?;
    let Some(key) = key else {
        return Ok(erased(id));
    };
    let hex = value.rsplit_once(':').ok_or_else(corrupt)?.1;
    let bytes = unhex(hex).ok_or_else(corrupt)?;
    if bytes.len() < 24 {
        return Err(corrupt());
    }
    let (nonce, sealed) = bytes.split_at(24);
    let cipher = XChaCha20Poly1305::new((&key.secret).into());
    let plain = cipher
        .decrypt(
            XNonce::from_slice(nonce),
            Payload {
                msg: sealed,
                aad: key.id.as_bytes(),
            },
        )
        .map_err(|_| corrupt())?;
    String::from_utf8(plain).map_err(|_| corrupt())
}

/// The persons whose plaintext values `value` holds.
pub fn persons(value: &Value, is_person: IsPerson, out: &mut BTreeSet<String>) {
    let mut copy = value.clone();
    let _ = seal_values(&mut copy, is_person, &mut |_, subject| {
        out.insert(subject.to_owned());
        Ok(None)
    });
}

/// What replaces one personal value, given it and its holder's ИИН; `None` leaves it.
pub type SealOne<'a> = dyn FnMut(&str, &str) -> Result<Option<String>, StoreError> + 'a;

/// Replaces every personal value of `value` by `f(value, person)` when it returns one; returns
/// how many were replaced.
pub fn seal_values(
    value: &mut Value,
    is_person: IsPerson,
    f: &mut SealOne<'_>,
) -> Result<usize, StoreError> {
    seal_within(value, is_person, &HashMap::new(), f)
}

/// [`seal_values`], where `outer` are the ИИН fields of the enclosing object: a name in an
/// object of its own (`approval.approver_full_name`) belongs to the holder named beside that
/// object (`approver_iin`).
fn seal_within(
    value: &mut Value,
    is_person: IsPerson,
    outer: &HashMap<String, String>,
    f: &mut SealOne<'_>,
) -> Result<usize, StoreError> {
    match value {
        Value::String(s) if is_person(s) => match f(s, s)? {
            Some(sealed) => {
                *s = sealed;
                Ok(1)
            }
            None => Ok(0),
        },
        Value::Array(items) => items
            .iter_mut()
            .try_fold(0, |n, item| Ok(n + seal_within(item, is_person, outer, f)?)),
        Value::Object(fields) => {
            let mut n = 0;
            // Read while the holders' ИИН are still plaintext.
            let holders: HashMap<String, String> = fields
                .iter()
                .filter_map(|(key, v)| {
                    let v = v.as_str().filter(|v| is_person(v))?;
                    (key == "iin" || key.ends_with("_iin")).then(|| (key.clone(), v.to_owned()))
                })
                .collect();
            let owners: Vec<(String, String)> = fields
                .iter()
                .filter(|(_, v)| v.is_string())
                .filter_map(|(key, _)| {
                    let holder = holder_key(key)?;
                    let person = holders.get(&holder).or_else(|| outer.get(&holder))?;
                    Some((key.clone(), person.clone()))
                })
                .collect();
            for (key, holder) in owners {
                if let Some(Value::String(s)) = fields.get_mut(&key)
                    && let Some(sealed) = f(s, &holder)?
                {
                    *s = sealed;
                    n += 1;
                }
            }
            for item in fields.values_mut() {
                n += seal_within(item, is_person, &holders, f)?;
            }
            let keyed: Vec<String> = fields.keys().filter(|k| is_person(k)).cloned().collect();
            for key in keyed {
                if let Some(sealed) = f(&key, &key)?
                    && let Some(item) = fields.remove(&key)
                {
                    fields.insert(sealed, item);
                    n += 1;
                }
            }
            Ok(n)
        }
        _ => Ok(0),
    }
}

/// Replaces every sealed value of `value` (and object key) by `f(sealed)`.
pub fn open_values(
    value: &mut Value,
    f: &mut dyn FnMut(&str) -> Result<String, StoreError>,
) -> Result<(), StoreError> {
    match value {
        Value::String(s) if s.starts_with(SEALED) => {
            *s = f(s)?;
            Ok(())
        }
        Value::Array(items) => items.iter_mut().try_for_each(|item| open_values(item, f)),
        Value::Object(fields) => {
            fields
                .values_mut()
                .try_for_each(|item| open_values(item, f))?;
            let keyed: Vec<String> = fields
                .keys()
                .filter(|k| k.starts_with(SEALED))
                .cloned()
                .collect();
            for key in keyed {
                if let Some(item) = fields.remove(&key) {
                    fields.insert(f(&key)?, item);
                }
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// The key ids named by the sealed values of `value`.
pub fn key_ids(value: &Value, out: &mut BTreeSet<Uuid>) {
    match value {
        Value::String(s) => out.extend(sealed_with(s)),
        Value::Array(items) => items.iter().for_each(|item| key_ids(item, out)),
        Value::Object(fields) => {
            out.extend(fields.keys().filter_map(|k| sealed_with(k)));
            fields.values().for_each(|item| key_ids(item, out));
        }
        _ => {}
    }
}

/// Where the holder of a name, phone or e-mail stands: `full_name` beside `iin`,
/// `approver_full_name` beside `approver_iin`.
fn holder_key(key: &str) -> Option<String> {
    ["full_name", "phone", "email"].iter().find_map(|suffix| {
        let who = key.strip_suffix(suffix)?;
        (who.is_empty() || who.ends_with('_')).then(|| format!("{who}iin"))
    })
}

/// Opens every sealed value of `value` with the keys found; a key not found was destroyed.
pub fn open_with(value: &mut Value, keys: &HashMap<Uuid, DataKey>) -> Result<(), StoreError> {
    open_values(value, &mut |sealed| {
        let key = sealed_with(sealed).and_then(|id| keys.get(&id));
        open(sealed, key)
    })
}

fn hex_into(bytes: &[u8], out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for b in bytes {
        out.push(DIGITS[(b >> 4) as usize] as char);
        out.push(DIGITS[(b & 0xf) as usize] as char);
    }
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A stand-in for the domain's ИИН check: twelve digits starting with 8.
    fn is_person(s: &str) -> bool {
        s.len() == 12 && s.starts_with('8') && s.bytes().all(|b| b.is_ascii_digit())
    }

    #[test]
    fn every_personal_value_is_sealed_and_opens_again() {
        let key = DataKey::generate();
        let original = json!({
            "members": [{"iin": "850101300203", "full_name": "Ахметов", "function": "chairman"}],
            "approver_iin": "850101300203",
            "approver_full_name": "Ахметов А.",
            "by_member": {"850101300203": "admitted"},
            "objection": {"approver_iin": "850101300203",
                          "approval": {"approver_full_name": "Ахметов А.", "approver_position": "x"}},
            "supplier_bin": "100140000001",
            "title": "Закуп"
        });
        let mut v = original.clone();
        let n = seal_values(&mut v, is_person, &mut |plain, who| {
            assert_eq!(who, "850101300203");
            seal(&key, plain).map(Some)
        })
        .unwrap();
        assert_eq!(n, 7);
        let text = v.to_string();
        assert!(!text.contains("850101300203") && !text.contains("Ахметов"));
        assert!(text.contains("100140000001") && text.contains("Закуп"));
        let mut ids = BTreeSet::new();
        key_ids(&v, &mut ids);
        assert_eq!(ids, BTreeSet::from([key.id]));

        let mut opened = v.clone();
        open_with(&mut opened, &HashMap::from([(key.id, key.clone())])).unwrap();
        assert_eq!(opened, original);

        let mut forgotten = v;
        open_with(&mut forgotten, &HashMap::new()).unwrap();
        let marker = erased(key.id);
        assert_eq!(forgotten["approver_iin"], json!(marker));
        assert_eq!(forgotten["members"][0]["full_name"], json!(marker));
        assert_eq!(
            forgotten["by_member"],
            json!({ marker.clone(): "admitted" })
        );
        assert_eq!(forgotten["supplier_bin"], json!("100140000001"));
    }

    #[test]
    fn an_altered_value_is_corrupt_not_erased() {
        let key = DataKey::generate();
        let mut sealed = seal(&key, "850101300203").unwrap();
        sealed.replace_range(sealed.len() - 2.., "00");
        assert!(matches!(
            open(&sealed, Some(&key)),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn a_name_without_its_holder_stays_as_it_is() {
        let mut v = json!({"full_name": "Ахметов", "iin": null});
        let n = seal_values(&mut v, is_person, &mut |_, _| Ok(Some("x".into()))).unwrap();
        assert_eq!(n, 0);
    }
}
