//! Canonical JSON: object keys sorted by bytes, no insignificant white space, no floats.
//!
//! The hash chain must give the same bytes whichever backend stored the event and however its
//! JSON column reordered keys (PostgreSQL `jsonb` does). We write the canonical form ourselves
//! instead of trusting `serde_json`'s map order, which a feature flag anywhere in the
//! dependency graph (`preserve_order`) would change.

use serde_json::Value;

use crate::error::StoreError;

pub fn to_canonical(value: &Value) -> Result<Vec<u8>, StoreError> {
    let mut out = Vec::with_capacity(256);
    write(value, &mut out)?;
    Ok(out)
}

fn write(value: &Value, out: &mut Vec<u8>) -> Result<(), StoreError> {
    match value {
        Value::String(text) => string(text, out),
        Value::Null | Value::Bool(_) => serde_json::to_writer(&mut *out, value)
            .map_err(|e| StoreError::InvalidEvent(e.to_string())),
        Value::Number(n) => {
            // Floats do not survive every backend's JSON type byte for byte (`1e2` comes back as
            // `100`); amounts are decimal strings, so a float in a payload is a bug upstream.
            if n.is_f64() {
                return Err(StoreError::InvalidEvent(format!(
                    "floating-point number {n} in an event; use a decimal string"
                )));
            }
            out.extend_from_slice(n.to_string().as_bytes());
            Ok(())
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out)?;
            }
            out.push(b']');
            Ok(())
        }
        Value::Object(map) => {
            let mut entries: Vec<_> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (key, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                string(key, out)?;
                out.push(b':');
                write(item, out)?;
            }
            out.push(b'}');
            Ok(())
        }
    }
}

/// PostgreSQL's `jsonb` and `text` cannot hold U+0000: the database refused such an event with
/// its own error text, which read as an outage. Every backend refuses it here instead, alike.
fn string(text: &str, out: &mut Vec<u8>) -> Result<(), StoreError> {
    if text.contains('\0') {
        return Err(StoreError::InvalidEvent(
            "a text holds the NUL character (U+0000), which cannot be stored".into(),
        ));
    }
    serde_json::to_writer(&mut *out, text).map_err(|e| StoreError::InvalidEvent(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_whatever_the_input_order() {
        let a: Value = serde_json::from_str(r#"{"b":1,"a":{"d":[1,"x"],"c":null}}"#).unwrap();
        let b: Value = serde_json::from_str(r#"{"a":{"c":null,"d":[1,"x"]},"b":1}"#).unwrap();
        assert_eq!(to_canonical(&a).unwrap(), to_canonical(&b).unwrap());
        assert_eq!(
            String::from_utf8(to_canonical(&a).unwrap()).unwrap(),
            r#"{"a":{"c":null,"d":[1,"x"]},"b":1}"#
        );
    }

    #[test]
    fn floats_are_refused() {
        let err = to_canonical(&json!({"amount": 1.5})).unwrap_err();
        assert!(matches!(err, StoreError::InvalidEvent(_)));
    }

    #[test]
    fn nul_characters_are_refused_in_values_and_keys() {
        for v in [json!({"nameRu": "a\u{0}b"}), json!({"a\u{0}": 1})] {
            let err = to_canonical(&v).unwrap_err();
            assert!(matches!(err, StoreError::InvalidEvent(ref why) if why.contains("NUL")));
        }
    }

    #[test]
    fn non_ascii_text_is_kept() {
        let v = json!({"name": "Объявление «Закуп»"});
        assert_eq!(
            String::from_utf8(to_canonical(&v).unwrap()).unwrap(),
            r#"{"name":"Объявление «Закуп»"}"#
        );
    }
}
