//! The WebSocket of subscriptions, with a bounded send buffer (issue 26 item 2, decision 0681).
//!
//! async-graphql writes each message to the socket and waits until it is written, so a client
//! that stops reading held its connection's subscriptions (and their memory) for as long as it
//! stayed connected. Here the messages go through a queue of [`SEND_BUFFER`] messages to a
//! writer task; when the queue is full, the client has not read for that long: the connection
//! is closed with [`SLOW_CLIENT`], its subscriptions end, and no one else waits for it.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures::{SinkExt, StreamExt};
use tokio::sync::mpsc::error::TrySendError;

use crate::auth::{TokenKeys, Viewer};
use crate::{ZakupSchema, feeds};

/// Messages queued for one connection beyond what its socket holds: a burst of every
/// subscription a connection may hold (20) on a batch of a dozen events fits.
pub const SEND_BUFFER: usize = 256;
/// The close code of a client that did not read: 1008, policy violation (RFC 6455).
pub const SLOW_CLIENT: u16 = 1008;
const SLOW_CLIENT_REASON: &str = "send buffer full: the client does not read its messages";
/// How long the close frame may wait for room in the socket before the connection is dropped
/// without it.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Serves graphql-transport-ws on `socket`: the token comes in the `connection_init` payload as
/// `{"Authorization": "Bearer …"}` (browsers cannot set headers on a WebSocket).
pub async fn serve(
    socket: WebSocket,
    schema: ZakupSchema,
    protocol: GraphQLProtocol,
    keys: Arc<TokenKeys>,
    feeds: Arc<feeds::Feeds>,
) {
    let (mut socket_sink, socket_stream) = socket.split();
    let (queue, mut queued) = tokio::sync::mpsc::channel::<Message>(SEND_BUFFER);
    let overflowed = Arc::new(AtomicBool::new(false));
    // Never waits: a full queue fails the send, which ends async-graphql's loop and with it the
    // connection's subscriptions.
    let bounded = futures::sink::unfold(
        (queue, overflowed.clone()),
        |(queue, overflowed), message: Message| async move {
            match queue.try_send(message) {
                Ok(()) => Ok((queue, overflowed)),
                Err(TrySendError::Full(_)) => {
                    overflowed.store(true, Ordering::SeqCst);
                    Err(Unsent)
                }
                Err(TrySendError::Closed(_)) => Err(Unsent),
            }
        },
    );
    let graphql = GraphQLWebSocket::new_with_pair(bounded, socket_stream, schema, protocol)
        .on_connection_init(move |payload| async move {
            let header = ["Authorization", "authorization"]
                .iter()
                .find_map(|k| payload.get(*k).and_then(|v| v.as_str()));
            let mut data = Data::default();
            data.insert(Viewer::from_header(&keys, header));
            data.insert(feeds::ConnectionSlots::default());
            Ok(data)
        })
        .serve();
    {
        let writer = async {
            while let Some(message) = queued.recv().await {
                if socket_sink.send(message).await.is_err() {
                    return;
                }
            }
        };
        tokio::pin!(graphql, writer);
        tokio::select! {
            () = &mut graphql => {}
            // The socket failed: the client is gone.
            () = &mut writer => return,
        }
        if !overflowed.load(Ordering::SeqCst) {
            // The client closed the connection: what is queued is still written.
            writer.await;
            return;
        }
        // The writer, blocked on a socket nobody reads, is dropped here.
    }
    feeds.note_dropped_client();
    let close = Message::Close(Some(CloseFrame {
        code: SLOW_CLIENT,
        reason: SLOW_CLIENT_REASON.into(),
    }));
    // The frame goes out if the client reads again soon; either way the connection is dropped.
    let _ = tokio::time::timeout(CLOSE_WAIT, socket_sink.send(close)).await;
}

/// A message the connection's queue did not take.
#[derive(Debug)]
struct Unsent;
