//! Refusals: the one error type every `decide` returns.
//!
//! The `code` is a stable snake_case identifier (GraphQL copies it into `extensions.code`, clients
//! switch on it), so it is `&'static str`: codes are written in the source, never built at run time.
//! The portal speaks Russian (and Kazakh); the English message is for logs and the API docs.

use std::fmt;

use serde::Serialize;

/// A refused command or invalid value, in both languages.
///
/// Serialize only: a refusal is an answer to a command, never stored as an event, so it is never
/// read back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainError {
    pub code: &'static str,
    pub message_ru: String,
    pub message_en: String,
    /// The Kazakh message, where the refusing rule comes from a Kazakh seed (the PPP competition,
    /// seed 003, docs/decisions/0918); the other refusals have none yet.
    /// Boxed: a refusal is returned by value everywhere, and a `String` here would push every
    /// `Result<_, DomainError>` past clippy's `result_large_err` bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message_kk: Option<Box<str>>,
    /// For a refusal by status (`wrong_status`): where the procedure stands and where the action
    /// would be allowed, so a client can say why without a second query.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<StatusContext>,
}

/// The current status and the statuses that allow the refused action, as snake_case ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusContext {
    pub current: Option<&'static str>,
    pub allowed: Vec<&'static str>,
}

impl DomainError {
    pub fn new(
        code: &'static str,
        message_ru: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Self {
        // Codes are literals in the source: a malformed one is a programming error, caught by the
        // tests in debug builds, never by a user's input.
        debug_assert!(
            is_snake_case(code),
            "refusal code {code:?} is not snake_case"
        );
        Self {
            code,
            message_ru: message_ru.into(),
            message_en: message_en.into(),
            message_kk: None,
            status: None,
        }
    }

    /// The refusal with its Kazakh message.
    pub fn with_kk(self, message_kk: impl Into<String>) -> Self {
        Self {
            message_kk: Some(message_kk.into().into_boxed_str()),
            ..self
        }
    }

    /// The refusal with the current status and the statuses that would allow the action.
    pub fn with_status(self, current: Option<&'static str>, allowed: Vec<&'static str>) -> Self {
        Self {
            status: Some(StatusContext { current, allowed }),
            ..self
        }
    }
}

fn is_snake_case(code: &str) -> bool {
    !code.is_empty()
        && !code.starts_with('_')
        && !code.ends_with('_')
        && !code.contains("__")
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

impl fmt::Display for DomainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message_en)
    }
}

impl std::error::Error for DomainError {}

/// Builds a [`DomainError`] whose code is the identifier, with Russian and English messages.
/// The messages are `format!` strings and may capture variables in scope or take arguments
/// shared by both.
///
/// ```
/// use zakup_domain::refusal;
///
/// let e = refusal!(no_quorum, "Нет кворума", "No quorum");
/// assert_eq!(e.code, "no_quorum");
///
/// let present = 2;
/// let e = refusal!(no_quorum, "Нет кворума: присутствуют {present}", "No quorum: {present} present");
/// assert_eq!(e.message_ru, "Нет кворума: присутствуют 2");
///
/// let e = refusal!(lot_not_found, "Лот {} не найден", "Lot {} not found", "12345678-1");
/// assert_eq!(e.message_en, "Lot 12345678-1 not found");
/// ```
#[macro_export]
macro_rules! refusal {
    ($code:ident, $ru:literal, $en:literal $(, $arg:expr)* $(,)?) => {
        $crate::kernel::error::DomainError::new(stringify!($code), format!($ru $(, $arg)*), format!($en $(, $arg)*))
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_shows_the_code_and_the_english_message() {
        let e = refusal!(no_quorum, "Нет кворума", "No quorum");
        assert_eq!(e.to_string(), "no_quorum: No quorum");
        assert_eq!(e.message_ru, "Нет кворума");
    }

    #[test]
    fn snake_case_check() {
        assert!(is_snake_case("no_quorum"));
        assert!(is_snake_case("step2_missing"));
        assert!(!is_snake_case("NoQuorum"));
        assert!(!is_snake_case("no-quorum"));
        assert!(!is_snake_case("_no"));
        assert!(!is_snake_case(""));
    }
}
