//! The HTTP server: HTTP/1.1 with bounds on what a client may send and how slowly, so that no
//! request can hold the server (issue 26 item 4, docs/decisions/0636). WebSockets upgrade as
//! before; after the upgrade, graphql-transport-ws keeps its own rules.

use std::pin::pin;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;

/// The largest request body: a ballot on hundreds of lots is a few hundred kilobytes, and every
/// text a command carries is bounded far below this by the domain (decision 0633).
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;
/// The request line and headers together: a JWT is under 1 KiB. Larger heads are answered
/// 431 by hyper.
pub const MAX_HEAD_BYTES: usize = 16 * 1024;
/// The time a client has to send a request's line and headers, from the moment the connection
/// waits for them: a new connection, or a kept-alive one between requests (the idle timeout).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections on `listener` and serves `router` on each, until `shutdown` resolves:
/// then stops accepting, lets the requests in flight finish, and returns.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let (stop, stopping) = tokio::sync::watch::channel(());
    let mut connections = tokio::task::JoinSet::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // A connection that failed before it was accepted (reset, out of descriptors):
                // the next one may do; wait a moment so that a persistent error does not spin.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        // Who is asking, for the rate limit of anonymous requests (decision 0682).
        let service = TowerToHyperService::new(
            router
                .clone()
                .layer(axum::Extension(crate::ClientAddr(peer.ip()))),
        );
        let mut stopping = stopping.clone();
        connections.spawn(async move {
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES);
            let mut connection = pin!(
                builder
                    .serve_connection(TokioIo::new(stream), service)
                    .with_upgrades()
            );
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopping.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
        });
        while connections.try_join_next().is_some() {}
    }
    drop(listener);
    let _ = stop.send(());
    while connections.join_next().await.is_some() {}
    Ok(())
}

/// Refuses a body over [`MAX_BODY_BYTES`] with 413 and the code `payload_too_large`: at once when
/// `Content-Length` says so, else once the body read passes the limit.
pub async fn limit_body(request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(_) => too_large(),
    }
}

fn too_large() -> Response {
    let mut response = crate::http_error::json(
        StatusCode::PAYLOAD_TOO_LARGE,
        "payload_too_large",
        &format!("Размер тела запроса превышает {MAX_BODY_BYTES} байт"),
        &format!("the request body is larger than {MAX_BODY_BYTES} bytes"),
    );
    // The rest of the body is not read: the connection cannot carry another request.
    response.headers_mut().insert(
        header::CONNECTION,
        header::HeaderValue::from_static("close"),
    );
    response
}
