//! Event sets: the facts an aggregate records, as the store keeps them.
//!
//! Events are a contract (docs/decisions/0209, 0501). Each variant of an event set carries one
//! payload struct, stored under the struct's name as its `event_type` with the set's
//! `schema_version` for it; a payload changed incompatibly gets the next version, and its old
//! struct stays, decoded and lifted by a typed upcaster. [`event_set!`] declares all of it in one
//! place, and [`EventSet`] is how the engine and the checks see the result.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Why a stored event cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    UnknownType(String),
    UnknownVersion {
        event_type: String,
        schema_version: u32,
    },
    InvalidPayload {
        event_type: String,
        message: String,
    },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::UnknownType(t) => write!(f, "unknown event type {t}"),
            DecodeError::UnknownVersion {
                event_type,
                schema_version,
            } => {
                write!(f, "unknown schema version {schema_version} of {event_type}")
            }
            DecodeError::InvalidPayload {
                event_type,
                message,
            } => write!(f, "invalid {event_type} payload: {message}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// A set of events mapped to and from the store's `(event_type, schema_version, payload)`.
/// Implemented by [`event_set!`], which also gives the set the same items as inherent ones, so
/// callers need not import this trait.
pub trait EventSet: Sized + Send + Sync + 'static {
    /// Every `(event_type, current schema_version)` the set declares; a nested set lists its own.
    const TYPES: &'static [(&'static str, u32)];

    fn to_stored(&self) -> (&'static str, u32, Value);

    /// Decodes a stored event of any version the set knows, upcasting an old one.
    fn from_stored(
        event_type: &str,
        schema_version: u32,
        payload: &Value,
    ) -> Result<Self, DecodeError>;

    /// The JSON Schema of every current payload, as `TYPES` lists them.
    fn current_schemas() -> Vec<(&'static str, u32, schemars::Schema)>;

    /// The JSON Schema of every superseded payload version that `from_stored` still accepts.
    fn historical_schemas() -> Vec<(&'static str, u32, schemars::Schema)>;
}

pub(crate) fn encode<T: Serialize>(payload: &T) -> Value {
    serde_json::to_value(payload).expect("event payloads hold only JSON-representable data")
}

pub(crate) fn decode<T: DeserializeOwned>(
    event_type: &str,
    payload: &Value,
) -> Result<T, DecodeError> {
    T::deserialize(payload).map_err(|e| DecodeError::InvalidPayload {
        event_type: event_type.to_owned(),
        message: e.to_string(),
    })
}

/// Declares an event set: the enum, its stored names and versions, its upcasters and schemas.
///
/// ```text
/// event_set! {
///     pub enum PlanItemEvent {
///         Reserved(PlanItemReserved) = 1,
///         // Current version 3; stored versions 1 and 2 decode as their old structs and are
///         // lifted with `From<PlanItemReleasedV1> for PlanItemReleased` (and V2).
///         Released(PlanItemReleased) = 3 { 1 => PlanItemReleasedV1, 2 => PlanItemReleasedV2 },
///     }
///     // Optional: a component's set stored in the same stream under its own names.
///     nested CameraControl(CameraControlEvent);
/// }
/// ```
///
/// Guarantees: the stored `event_type` is the payload struct's name, so it cannot drift from the
/// code; each variant has exactly one current version; every upcaster is typed (an old struct and
/// a `From` into the current one) and lifts a version older than the current one; a type or
/// version listed twice does not compile (an unreachable pattern is an error under the
/// workspace's `-D warnings`).
macro_rules! event_set {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident($payload:ident) = $version:literal
                $({ $($old:literal => $old_payload:ident),+ $(,)? })?
            ),+ $(,)?
        }
        $(
            $(#[$nmeta:meta])*
            nested $nested_variant:ident($nested:ty);
        )*
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis enum $name {
            $($(#[$vmeta])* $variant($payload),)+
            $($(#[$nmeta])* $nested_variant($nested),)*
        }

        impl $name {
            /// Every `(event_type, current schema_version)` the set declares itself.
            pub const TYPES: &'static [(&'static str, u32)] = &[$((stringify!($payload), $version)),+];

            /// The stored event type: the payload struct's name.
            pub fn event_type(&self) -> &'static str {
                match self {
                    $(Self::$variant(_) => stringify!($payload),)+
                    $(Self::$nested_variant(e) => e.event_type(),)*
                }
            }

            pub fn schema_version(&self) -> u32 {
                match self {
                    $(Self::$variant(_) => $version,)+
                    $(Self::$nested_variant(e) => e.schema_version(),)*
                }
            }

            /// `(event_type, schema_version, payload)` as the store keeps them.
            pub fn to_stored(&self) -> (&'static str, u32, serde_json::Value) {
                match self {
                    $(Self::$variant(p) => (stringify!($payload), $version, $crate::kernel::event::encode(p)),)+
                    $(Self::$nested_variant(e) => e.to_stored(),)*
                }
            }

            /// Decodes a stored event; an old schema version is decoded as its old struct and
            /// lifted with its typed upcaster (`From`).
            pub fn from_stored(
                event_type: &str,
                schema_version: u32,
                payload: &serde_json::Value,
            ) -> Result<Self, $crate::kernel::event::DecodeError> {
                use $crate::kernel::event::{DecodeError, decode};
                $(
                    if <$nested>::TYPES.iter().any(|(t, _)| *t == event_type) {
                        return <$nested>::from_stored(event_type, schema_version, payload)
                            .map(Self::$nested_variant);
                    }
                )*
                match (event_type, schema_version) {
                    $(
                        (stringify!($payload), $version) => {
                            decode::<$payload>(event_type, payload).map(Self::$variant)
                        }
                        $($(
                            (stringify!($payload), $old) => decode::<$old_payload>(event_type, payload)
                                .map(|old| Self::$variant(<$payload>::from(old))),
                        )+)?
                        (stringify!($payload), _) => Err(DecodeError::UnknownVersion {
                            event_type: event_type.to_owned(),
                            schema_version,
                        }),
                    )+
                    _ => Err(DecodeError::UnknownType(event_type.to_owned())),
                }
            }

            /// The JSON Schema of every current payload.
            pub fn current_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
                vec![$((stringify!($payload), $version, schemars::schema_for!($payload))),+]
            }

            /// The JSON Schema of every superseded payload version still accepted.
            pub fn historical_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
                vec![$($($((stringify!($payload), $old, schemars::schema_for!($old_payload)),)+)?)+]
            }
        }

        // An upcaster lifts an older version to the current one, never the other way.
        const _: () = {
            $($($(assert!($old < $version, "an upcaster lifts an older schema version");)+)?)+
        };

        impl $crate::kernel::event::EventSet for $name {
            const TYPES: &'static [(&'static str, u32)] = $name::TYPES;

            fn to_stored(&self) -> (&'static str, u32, serde_json::Value) {
                $name::to_stored(self)
            }

            fn from_stored(
                event_type: &str,
                schema_version: u32,
                payload: &serde_json::Value,
            ) -> Result<Self, $crate::kernel::event::DecodeError> {
                $name::from_stored(event_type, schema_version, payload)
            }

            fn current_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
                $name::current_schemas()
            }

            fn historical_schemas() -> Vec<(&'static str, u32, schemars::Schema)> {
                $name::historical_schemas()
            }
        }
    };
}
pub(crate) use event_set;

#[cfg(test)]
mod tests {
    use schemars::JsonSchema;
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// Version 3: the amount is a decimal string and the note optional.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    struct Priced {
        amount: String,
        note: Option<String>,
    }

    /// Version 1: an integer amount and no note.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    struct PricedV1 {
        amount: u64,
    }

    /// Version 2: an integer amount and an always-present note, empty when none.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    struct PricedV2 {
        amount: u64,
        note: String,
    }

    // Each old version converts straight to the current one, through the steps in between.
    impl From<PricedV2> for Priced {
        fn from(v2: PricedV2) -> Self {
            Priced {
                amount: v2.amount.to_string(),
                note: Some(v2.note).filter(|n| !n.is_empty()),
            }
        }
    }

    impl From<PricedV1> for Priced {
        fn from(v1: PricedV1) -> Self {
            Priced::from(PricedV2 {
                amount: v1.amount,
                note: String::new(),
            })
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
    struct Closed {
        reason: String,
    }

    event_set! {
        enum Inner {
            Closed(Closed) = 1,
        }
    }

    event_set! {
        enum Sample {
            Priced(Priced) = 3 { 1 => PricedV1, 2 => PricedV2 },
        }
        nested Inner(Inner);
    }

    fn generic_round_trip<E: EventSet + PartialEq + std::fmt::Debug>(event: &E) {
        let (event_type, version, payload) = event.to_stored();
        assert_eq!(
            &E::from_stored(event_type, version, &payload).unwrap(),
            event
        );
    }

    #[test]
    fn the_stored_name_is_the_payload_struct_and_the_version_the_declared_one() {
        let event = Sample::Priced(Priced {
            amount: "10".into(),
            note: None,
        });
        assert_eq!(
            event.to_stored(),
            ("Priced", 3, json!({ "amount": "10", "note": null }))
        );
        assert_eq!(Sample::TYPES, &[("Priced", 3)]);
        generic_round_trip(&event);
    }

    #[test]
    fn every_old_version_is_lifted_by_its_typed_upcaster() {
        let v1 = Sample::from_stored("Priced", 1, &json!({ "amount": 7 })).unwrap();
        let v2 = Sample::from_stored("Priced", 2, &json!({ "amount": 7, "note": "" })).unwrap();
        let current = Sample::Priced(Priced {
            amount: "7".into(),
            note: None,
        });
        assert_eq!(v1, current);
        assert_eq!(v2, current);
        assert_eq!(v1.schema_version(), 3);
    }

    #[test]
    fn unknown_types_versions_and_payloads_are_decode_errors() {
        assert!(matches!(
            Sample::from_stored("Nope", 1, &json!({})),
            Err(DecodeError::UnknownType(_))
        ));
        for version in [0, 4] {
            assert!(matches!(
                Sample::from_stored("Priced", version, &json!({ "amount": 7 })),
                Err(DecodeError::UnknownVersion { .. })
            ));
        }
        assert!(matches!(
            Sample::from_stored("Priced", 1, &json!({ "amount": "7" })),
            Err(DecodeError::InvalidPayload { .. })
        ));
    }

    #[test]
    fn a_nested_set_keeps_its_own_names() {
        let closed = Sample::Inner(Inner::Closed(Closed {
            reason: "done".into(),
        }));
        assert_eq!(closed.event_type(), "Closed");
        generic_round_trip(&closed);
        assert!(matches!(
            Sample::from_stored("Closed", 2, &json!({ "reason": "x" })),
            Err(DecodeError::UnknownVersion { .. })
        ));
    }

    #[test]
    fn schemas_cover_current_and_historical_versions() {
        let current: Vec<_> = <Sample as EventSet>::current_schemas()
            .into_iter()
            .map(|(t, v, _)| (t, v))
            .collect();
        assert_eq!(current, [("Priced", 3)]);
        let historical: Vec<_> = <Sample as EventSet>::historical_schemas()
            .into_iter()
            .map(|(t, v, _)| (t, v))
            .collect();
        assert_eq!(historical, [("Priced", 1), ("Priced", 2)]);
        assert!(Inner::historical_schemas().is_empty());
    }
}
