//! Every error a client sees carries a stable `code` in `extensions`, with `messageRu` and
//! `messageEn` (and `messageKk` where the domain gives one): the domain's refusals keep their own code, the engine's others come from
//! `EngineError::code()`, and malformed input is refused here before anything is written.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{Error, ErrorExtensions, Response};
use futures::StreamExt;
use futures::stream::BoxStream;
use zakup_domain::error::DomainError;
use zakup_engine::EngineError;
use zakup_store::StoreError;

pub(crate) fn coded(code: &str, message_ru: &str, message_en: &str) -> Error {
    Error::new(message_en).extend_with(|_, e| {
        e.set("code", code);
        e.set("messageRu", message_ru);
        e.set("messageEn", message_en);
    })
}

/// A domain refusal; one by status also names the current status and the allowed ones
/// (`extensions.currentStatus`, `extensions.allowedStatuses`, snake_case ids).
pub fn domain(e: &DomainError) -> Error {
    let mut error = coded(e.code, &e.message_ru, &e.message_en);
    if let Some(kk) = &e.message_kk {
        error = error.extend_with(|_, x| x.set("messageKk", kk.as_ref()));
    }
    match &e.status {
        None => error,
        Some(status) => error.extend_with(|_, x| {
            if let Some(current) = status.current {
                x.set("currentStatus", current);
            }
            x.set("allowedStatuses", status.allowed.clone());
        }),
    }
}

/// The store's backend text (a connection error, SQL) stays in the server: it says nothing a
/// client can act on and tells an attacker about the database.
pub fn engine(e: &EngineError) -> Error {
    match e {
        EngineError::Refused(d) => domain(d),
        EngineError::Store(StoreError::Backend(_) | StoreError::Corrupt(_)) => {
            tracing::error!(error = %e, "event store");
            coded(
                e.code(),
                &e.message_ru(),
                "the event store is unavailable; retry later",
            )
        }
        other => coded(other.code(), &other.message_ru(), &other.to_string()),
    }
}

/// Input that cannot be read at all (wrong shape, unknown enumeration id): nothing is written.
pub fn invalid_input(field: &str, why: impl std::fmt::Display) -> Error {
    coded(
        "invalid_input",
        &format!("Неверное значение поля «{field}»: {why}"),
        &format!("invalid {field}: {why}"),
    )
}

pub fn unauthenticated(why: impl std::fmt::Display) -> Error {
    coded(
        "unauthenticated",
        "Требуется вход в систему (токен Bearer)",
        &format!("authentication required: {why}"),
    )
}

/// The database's text stays in the server, as for the event store. A read the statement
/// timeout cancelled is `query_timeout` (decision 0680): asking again will not help, asking for
/// less will.
pub fn read_models(e: sqlx::Error) -> Error {
    if crate::read_pool::timed_out(&e) {
        return coded(
            "query_timeout",
            "Запрос выполнялся слишком долго и был прерван: запросите меньше данных",
            "the query ran too long and was cancelled; ask for less",
        );
    }
    tracing::error!(error = %e, "read models");
    coded(
        "read_models_unavailable",
        "Витрины данных временно недоступны",
        "read models unavailable; retry later",
    )
}

pub fn lagging(position: impl std::fmt::Display) -> Error {
    coded(
        "read_models_lagging",
        "Данные ещё не обновились, повторите запрос",
        &format!("the read models have not reached position {position} yet; retry"),
    )
}

/// A subscriber too slow for the daemon's broadcast: `missed` batches were dropped for it.
pub fn subscription_lagged(missed: u64) -> Error {
    coded(
        "subscription_lagged",
        "Часть обновлений пропущена, перечитайте список",
        &format!("the subscription fell behind and missed {missed} batches; re-read the list"),
    )
}

pub fn too_costly(budget: u64) -> Error {
    coded(
        "query_too_costly",
        "Запрос слишком затратный: уменьшите first/last или число вложенных списков",
        &format!(
            "the query would resolve more than {budget} fields; ask for smaller pages or fewer nested lists"
        ),
    )
}

pub fn too_deep(limit: usize) -> Error {
    coded(
        "query_too_deep",
        "Запрос слишком глубоко вложен",
        &format!("the query nests fields more than {limit} deep"),
    )
}

pub fn too_many_aliases(count: usize, limit: usize) -> Error {
    coded(
        "too_many_aliases",
        "В запросе слишком много псевдонимов",
        &format!("the query has {count} aliases, at most {limit} are allowed"),
    )
}

pub fn response_too_large(limit: usize) -> Error {
    coded(
        "response_too_large",
        "Ответ слишком велик: запросите меньше данных",
        &format!("the response would exceed {limit} bytes; ask for less"),
    )
}

/// `per` is `connection` or `viewer`.
pub fn too_many_subscriptions(per: &str, limit: usize) -> Error {
    coded(
        "too_many_subscriptions",
        "Слишком много подписок: закройте ненужные",
        &format!("at most {limit} live subscriptions per {per}; close some first"),
    )
}

/// Gives the errors async-graphql raises itself (a value of the wrong type, an unknown
/// enumeration value, a missing field of an input object, a query too deep) the code
/// `invalid_input`, so that every error a client sees has a code to switch on: over HTTP, and
/// in the messages of a WebSocket, whose operations do not pass through `request`.
pub struct Coded;

impl ExtensionFactory for Coded {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Coded)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for Coded {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        code_uncoded(next.run(ctx).await)
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream).map(code_uncoded).boxed()
    }
}

fn code_uncoded(mut response: Response) -> Response {
    for error in &mut response.errors {
        let extensions = error.extensions.get_or_insert_with(Default::default);
        if extensions.get("code").is_none() {
            extensions.set("code", "invalid_input");
            extensions.set("messageRu", format!("Неверный запрос: {}", error.message));
            extensions.set("messageEn", error.message.clone());
        }
    }
    response
}
