//! Limits on the text a user types: names and numbers on one line, free text (reasons, answers,
//! descriptions) over several. The seeds give no length of these fields, so the bounds are the
//! ones of docs/decisions/0633; characters that change how a text reads without being seen
//! (control characters, bidirectional overrides and isolates) are refused everywhere.
//!
//! The limits apply to commands only: stored events are facts and replay whatever they hold.

use crate::kernel::error::DomainError;
use crate::kernel::refusal::missing_field;

/// A name (of an announcement, a plan item, a person): one line.
pub const NAME_MAX_CHARS: usize = 1000;
/// A number or code the user types (an announcement's number): one line.
pub const NUMBER_MAX_CHARS: usize = 64;
/// Free text: a reason, a request, an answer, a description; line breaks allowed.
pub const TEXT_MAX_CHARS: usize = 10_000;

/// A required one-line name: not blank, at most [`NAME_MAX_CHARS`], no control or bidi character.
pub fn name(field: &str, value: &str) -> Result<(), DomainError> {
    required(field, value)?;
    bounded(field, value, NAME_MAX_CHARS, false)
}

/// A required one-line number: not blank, at most [`NUMBER_MAX_CHARS`].
pub fn number(field: &str, value: &str) -> Result<(), DomainError> {
    required(field, value)?;
    bounded(field, value, NUMBER_MAX_CHARS, false)
}

/// Required free text: not blank, at most [`TEXT_MAX_CHARS`], line breaks and tabs allowed.
pub fn text(field: &str, value: &str) -> Result<(), DomainError> {
    required(field, value)?;
    optional_text(field, value)
}

/// Required free text of at most `max` characters (a form whose fields the seed bounds itself,
/// like the PPP project's 1000 characters, seed 003 L75–77).
pub fn text_up_to(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    required(field, value)?;
    bounded(field, value, max, true)
}

/// Free text of at most `max` characters that may be empty.
pub fn optional_text_up_to(field: &str, value: &str, max: usize) -> Result<(), DomainError> {
    bounded(field, value, max, true)
}

/// Free text that may be empty.
pub fn optional_text(field: &str, value: &str) -> Result<(), DomainError> {
    bounded(field, value, TEXT_MAX_CHARS, true)
}

fn required(field: &str, value: &str) -> Result<(), DomainError> {
    if value.trim().is_empty() {
        Err(missing_field(field))
    } else {
        Ok(())
    }
}

fn bounded(field: &str, value: &str, max: usize, multiline: bool) -> Result<(), DomainError> {
    // Counting stops past the bound: a 50 MB name costs no more than a long one.
    if value.chars().nth(max).is_some() {
        return Err(DomainError::new(
            "text_too_long",
            format!("Поле {field} длиннее {max} символов"),
            format!("field {field} is longer than {max} characters"),
        ));
    }
    let allowed_break = |c: char| multiline && matches!(c, '\n' | '\r' | '\t');
    if value
        .chars()
        .any(|c| (c.is_control() && !allowed_break(c)) || is_bidi_control(c))
    {
        return Err(DomainError::new(
            "forbidden_characters",
            format!("Поле {field} содержит управляющие символы"),
            format!("field {field} contains control or bidirectional-override characters"),
        ));
    }
    Ok(())
}

/// The Unicode bidirectional formatting characters (UAX #9): marks, embeddings, overrides and
/// isolates, which can make a text display in another order than it is stored.
fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}
