//! The refusals of the kernel's own rules, shared by every aggregate: a stable snake_case code
//! with a Russian and an English message. Codes are an API contract: never rename one.

use crate::kernel::error::DomainError;

/// The actor's organisation has an unread camera-control notice on another announcement: «Система
/// не позволит выполнять дальнейшие действия на Портале» (L11082–11088, docs/decisions/0310).
pub fn unread_notice_block() -> DomainError {
    DomainError::new(
        "unread_notice_block",
        "Имеется непрочитанное уведомление: нажмите «Ознакомлен»",
        "An unread notice blocks the organisation: acknowledge it first",
    )
}

pub fn missing_field(field: &str) -> DomainError {
    DomainError::new(
        "missing_field",
        format!("Необходимо заполнить поле {field}"),
        format!("Field {field} is required"),
    )
}

/// Declares fixed refusals: one function per code, named after it, and `CODES`, every code the
/// module answers with (for documentation and uniqueness tests). `@reexport` names refusals
/// another module declares, so a caller finds all of them in one module.
macro_rules! refusals {
    (
        $(@reexport $($seg:ident)::+::{ $($shared:ident),+ $(,)? };)?
        $($name:ident => $ru:literal, $en:literal;)+
    ) => {
        $(pub use $($seg)::+::{$($shared),+};)?

        $(
            pub fn $name() -> $crate::kernel::error::DomainError {
                $crate::kernel::error::DomainError::new(stringify!($name), $ru, $en)
            }
        )+

        /// Every fixed refusal code, for documentation and uniqueness tests.
        pub const CODES: &[&str] = &[$($(stringify!($shared),)+)? $(stringify!($name)),+];
    };
}
pub(crate) use refusals;
