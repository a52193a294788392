//! HTTP-level refusals (a body that is not a GraphQL request, a wrong method, an unknown path, a
//! WebSocket request without its upgrade) answered as JSON in the GraphQL error shape, with a
//! code, so that a client reads every error the same way (issue 26, defect 9).

use async_graphql::ParseRequestError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// `{"errors": [{"message", "extensions": {"code", "messageRu", "messageEn"}}]}` with `status`.
pub fn json(status: StatusCode, code: &str, message_ru: &str, message_en: &str) -> Response {
    let body = json!({"errors": [{
        "message": message_en,
        "extensions": {"code": code, "messageRu": message_ru, "messageEn": message_en},
    }]});
    (status, Json(body)).into_response()
}

/// What `POST /graphql` refuses before GraphQL sees it: the extractor's rejection.
pub struct Malformed(ParseRequestError);

impl From<ParseRequestError> for Malformed {
    fn from(e: ParseRequestError) -> Self {
        Malformed(e)
    }
}

impl IntoResponse for Malformed {
    fn into_response(self) -> Response {
        match self.0 {
            ParseRequestError::PayloadTooLarge => json(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "Тело запроса слишком велико",
                "the request body is too large",
            ),
            // The parser's text names what it could not read (JSON syntax, a missing `query`),
            // never anything of the server.
            other => json(
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Тело запроса не является запросом GraphQL",
                &format!("the body is not a GraphQL request: {other}"),
            ),
        }
    }
}

pub async fn method_not_allowed() -> Response {
    json(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "Метод HTTP не поддерживается этим адресом",
        "this path does not accept that HTTP method",
    )
}

pub async fn not_found() -> Response {
    json(
        StatusCode::NOT_FOUND,
        "not_found",
        "Адрес не найден",
        "no such path",
    )
}

/// `/graphql/ws` without a WebSocket upgrade, or without the graphql-transport-ws protocol.
pub fn not_a_websocket(why: impl std::fmt::Display) -> Response {
    json(
        StatusCode::BAD_REQUEST,
        "websocket_required",
        "Подписки работают только по WebSocket (graphql-transport-ws)",
        &format!("subscriptions need a WebSocket with graphql-transport-ws: {why}"),
    )
}
