//! The portal messages of the signed-in user («Профиль участника» → «Уведомления», spec 000-D
//! §9.1, 000-A §9.3): `myMessages`, newest first, and the `messageReceived` subscription.
//!
//! A message reaches a person by ИИН or every employee of an organisation by БИН, as the
//! `messages` read model addresses it; a caller sees exactly the rows addressed to their token's
//! ИИН or БИН and nothing about other recipients. Suppliers are addressed only by messages that
//! name the announcement, never another supplier (docs/decisions/0350).
//!
//! Read or unread is the seed's only for a camera-control notice: read once an employee of the
//! organizer presses «Ознакомлен» (`acknowledgeNotice`, L10934–10944). No other message has a
//! read state, so there is no `markMessageRead` (docs/decisions/0351).

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, SimpleObject, Subscription as GqlSubscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use tokio::sync::broadcast::error::RecvError;
use uuid::Uuid;

use crate::page::{actor, app, connection, reach};
use crate::refusal;

/// One message to the caller.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
pub struct Message {
    /// The same for every recipient of the message: `UUIDv5(event id, kind)`.
    pub id: Uuid,
    /// The trigger, e.g. `ppd_revision_started`, `cancelled_by_notices` (all listed in docs/api.md,
    /// «Portal messages»).
    pub kind: String,
    /// The Russian text, naming the announcement.
    pub text: String,
    pub announcement_id: Uuid,
    pub announcement_number: String,
    pub occurred_at: DateTime<Utc>,
    /// `person` (to the caller's ИИН) or `organisation` (to every employee of the caller's БИН).
    pub addressed_to: String,
    /// Why the caller receives it: `secretary`, `signer`, `organizer_representative`,
    /// `customer_representative`, `commission_member`, `approver`, `inspector`, `organizer`,
    /// `applicant`, `discussion_participant`.
    pub recipient_role: String,
    /// The seed lines of the trigger, e.g. `L12508–12512`.
    pub source: String,
    /// The triggering event's position in the log.
    pub position: String,
    /// The camera-control notice a `notice_delivered` message carries: `acknowledgeNotice` on it
    /// reads the message.
    pub notice_id: Option<Uuid>,
    /// A notice not yet acknowledged («не прочитанное уведомление», L10934); false for every
    /// other kind, which the seed never reads or leaves unread.
    pub unread: bool,
    /// When the notice was acknowledged, by any employee of the organizer.
    pub read_at: Option<DateTime<Utc>>,
}

/// Whom a caller is: the ИИН and the БИН the messages may be addressed to.
#[derive(Debug, Clone)]
struct Addressee {
    iin: String,
    bin: String,
}

/// The caller as the domain accepts them: without a token `unauthenticated`, with a malformed
/// ИИН or БИН the domain's own code, so a bad token is told apart from an empty inbox.
fn addressee(ctx: &Context<'_>) -> Result<Addressee> {
    let who = actor(ctx)?;
    Ok(Addressee {
        iin: who.iin.to_string(),
        bin: who.org.to_string(),
    })
}

/// A caller matched by ИИН and by БИН gets one row per message, the personal one.
const SELECT: &str = "SELECT DISTINCT ON (position_major, position_minor, message_id)
        message_id, kind, text, announcement_id, announcement_number, occurred_at,
        recipient_kind, recipient_role, source, position_major, position_minor,
        notice_id, read_at
   FROM rm.messages
  WHERE ((recipient_kind = 'person' AND recipient = $1)
         OR (recipient_kind = 'organisation' AND recipient = $2))";

type MessageRow = (
    Uuid,
    String,
    String,
    Uuid,
    String,
    DateTime<Utc>,
    String,
    String,
    String,
    i64,
    i64,
    Option<Uuid>,
    Option<DateTime<Utc>>,
);

fn from_row(r: MessageRow) -> Message {
    Message {
        id: r.0,
        kind: r.1,
        text: r.2,
        announcement_id: r.3,
        announcement_number: r.4,
        occurred_at: r.5,
        addressed_to: r.6,
        recipient_role: r.7,
        source: r.8,
        position: format!("{}:{}", r.9, r.10),
        notice_id: r.11,
        unread: r.11.is_some() && r.12.is_none(),
        read_at: r.12,
    }
}

#[derive(Default)]
pub struct MessageQuery;

#[Object]
impl MessageQuery {
    /// The caller's messages, newest first: those to their ИИН and those to every employee of
    /// their organisation's БИН. `unread: true` keeps the notices not yet acknowledged, `false`
    /// the others.
    async fn my_messages(
        &self,
        ctx: &Context<'_>,
        unread: Option<bool>,
        first: Option<i32>,
        after: Option<String>,
        min_position: Option<String>,
    ) -> Result<Connection<usize, Message>> {
        let to = addressee(ctx)?;
        reach(ctx, "announcement", min_position).await?;
        let pool = &app(ctx).pool;
        connection(after, first, |offset, limit| async move {
            let rows: Vec<MessageRow> = sqlx::query_as(&format!(
                "{SELECT}
                   AND ($5::boolean IS NULL
                        OR $5 = (notice_id IS NOT NULL AND read_at IS NULL))
                 ORDER BY position_major DESC, position_minor DESC, message_id,
                          recipient_kind DESC
                 OFFSET $3 LIMIT $4"
            ))
            .bind(&to.iin)
            .bind(&to.bin)
            .bind(offset)
            .bind(limit)
            .bind(unread)
            .fetch_all(pool)
            .await
            .map_err(refusal::read_models)?;
            Ok(rows.into_iter().map(from_row).collect())
        })
        .await
    }
}

#[derive(Default)]
pub struct MessageSubscription;

#[GqlSubscription]
impl MessageSubscription {
    /// Each new message to the caller (their ИИН or their organisation's БИН), once the read
    /// model holds it. A message that cannot be sent (the subscriber fell behind, the read model
    /// is unreachable) comes as an error with its code, so the client re-reads `myMessages`
    /// instead of missing it unaware.
    async fn message_received(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<Message>> + use<>> {
        let to = addressee(ctx)?;
        let slot = crate::feeds::feeds(ctx).admit(ctx, crate::page::viewer(ctx)?)?;
        let state = app(ctx).clone();
        let rx = state.daemon.subscribe();
        let messages = futures::stream::unfold(rx, move |mut rx| {
            let (pool, to) = (state.pool.clone(), to.clone());
            async move {
                loop {
                    let applied = match rx.recv().await {
                        Ok(applied) => applied,
                        Err(RecvError::Lagged(missed)) => {
                            let missed = refusal::subscription_lagged(missed);
                            return Some((futures::stream::iter(vec![Err(missed)]), rx));
                        }
                        Err(RecvError::Closed) => return None,
                    };
                    if applied.projection != "messages" {
                        continue;
                    }
                    let ids: Vec<Uuid> = applied.events.iter().map(|e| e.event_id).collect();
                    let fresh: Vec<Result<Message>> = match sqlx::query_as(&format!(
                        "{SELECT} AND event_id = ANY($3)
                         ORDER BY position_major, position_minor, message_id,
                                  recipient_kind DESC"
                    ))
                    .bind(&to.iin)
                    .bind(&to.bin)
                    .bind(&ids)
                    .fetch_all(&pool)
                    .await
                    {
                        Ok(rows) => rows
                            .into_iter()
                            .map(|r: MessageRow| Ok(from_row(r)))
                            .collect(),
                        Err(e) => vec![Err(refusal::read_models(e))],
                    };
                    if !fresh.is_empty() {
                        return Some((futures::stream::iter(fresh), rx));
                    }
                }
            }
        });
        Ok(crate::feeds::holding(messages.flatten(), slot))
    }
}
