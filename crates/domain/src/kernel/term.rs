//! The portal's words: closed sets of terms, each with a stable snake_case id and the exact Russian
//! wording the portal shows (spec 000-A §3).

/// Declares a closed set of portal terms: `id()` is the stable snake_case id (also the serde
/// form), `original()` the exact Russian wording, `ALL` every value in the spec's order.
macro_rules! portal_terms {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $id:literal, $original:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $id)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn id(self) -> &'static str {
                match self { $(Self::$variant => $id),+ }
            }

            pub fn original(self) -> &'static str {
                match self { $(Self::$variant => $original),+ }
            }
        }
    };
}
pub(crate) use portal_terms;
