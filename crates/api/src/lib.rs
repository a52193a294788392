//! The HTTP face of Zakup: GraphQL for frontends and auditors, `/health` and `/metrics` for
//! operators.
//!
//! `POST /graphql` answers queries and mutations, `GET /graphql` is GraphiQL (its files under
//! `/graphiql/`, embedded in the binary), and `/graphql/ws` serves subscriptions over
//! graphql-transport-ws. Read models answer searches and lists;
//! `announcement(id, asOf)` replays the event store; every mutation goes through the engine, and
//! the domain decides who may do what.

mod actions;
mod announcement;
mod application;
mod auction;
mod audit;
pub mod auth;
mod cabinet;
mod command;
mod competition;
mod cost;
mod customer_request;
mod documents;
mod failure;
mod feeds;
mod graphiql;
mod guarantee;
mod health;
mod http_error;
mod lot;
mod message;
mod metrics;
mod notice;
pub mod ocds;
mod page;
mod participant;
mod personal;
mod powers;
mod protocol;
mod rate;
mod read_pool;
mod refusal;
mod registry;
mod sandbox;
mod screen;
mod sealed;
pub mod server;
mod sign_in;
mod task;
mod term;
mod vote;
mod ws;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{MergedObject, MergedSubscription, Schema};
use async_graphql_axum::{GraphQLProtocol, GraphQLRequest, GraphQLResponse};
use axum::Router;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{Extension, FromRef, FromRequest, Request, State, WebSocketUpgrade};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use sqlx::PgPool;
use zakup_engine::Engine;
use zakup_projections::Daemon;
use zakup_store::SharedStore;

pub use auth::{Principal, TokenKeys, Viewer};
pub use health::Deployment;
pub use powers::RegistryMode;
pub use rate::{ClientAddr, RateLimit};
pub use read_pool::{READ_STATEMENT_TIMEOUT, read_pool};

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: SharedStore,
    /// The read-model database, as the read side sees it: a [`read_pool`] (read-only, with a
    /// statement timeout) in a server; the event store and the projections use their own.
    pub pool: PgPool,
    pub daemon: Arc<Daemon>,
    pub engine: Engine,
    pub keys: Arc<TokenKeys>,
    /// Whether an organisation missing from the registry may act on its token's roles
    /// (development and tests only, docs/decisions/0820).
    pub registry: RegistryMode,
}

#[derive(MergedObject, Default)]
pub struct Query(
    announcement::AnnouncementQuery,
    audit::AuditQuery,
    customer_request::CustomerRequestQuery,
    task::TaskQuery,
    notice::NoticeQuery,
    message::MessageQuery,
    guarantee::GuaranteeQuery,
    cabinet::CabinetQuery,
    registry::RegistryQuery,
    competition::CompetitionQuery,
    participant::ParticipantQuery,
    sandbox::SandboxQuery,
    failure::FailureQuery,
);

/// The mutations, grouped by the procedure component or stream they act on.
#[derive(MergedObject, Default)]
pub struct Mutation(
    command::DraftingMutation,
    command::LotMutation,
    command::DiscussionMutation,
    command::ApplicationMutation,
    command::CommissionMutation,
    command::VotingMutation,
    command::ProtocolMutation,
    command::EnteredResultsMutation,
    command::DiscountMutation,
    command::ActMutation,
    command::SingleSourceMutation,
    command::QualificationMutation,
    command::CameraControlMutation,
    command::BiddingMutation,
    command::PlanItemMutation,
    command::CertificateMutation,
    command::CompetitionMutation,
    command::ParticipantMutation,
    sign_in::SignInMutation,
    command::GuaranteeMutation,
    command::FailureMutation,
    sandbox::SandboxMutation,
);

// Named apart from `task::Subscription`, whose GraphQL name a merged type may not reuse.
#[derive(MergedSubscription)]
pub struct SubscriptionRoot(
    task::Subscription,
    notice::NoticeSubscription,
    message::MessageSubscription,
    auction::AuctionSubscription,
    competition::CompetitionSubscription,
);

pub type ZakupSchema = Schema<Query, Mutation, SubscriptionRoot>;

/// How long a query with `minPosition` waits for the read models (read-your-writes).
pub const READ_YOUR_WRITES_WAIT: Duration = Duration::from_secs(2);

pub fn schema(state: AppState) -> ZakupSchema {
    schema_with(state, Arc::default())
}

fn schema_with(state: AppState, feeds: Arc<feeds::Feeds>) -> ZakupSchema {
    builder().data(state).data(feeds).finish()
}

/// The schema's SDL, as kept in `schemas/graphql/schema.graphql`. With the scalars'
/// `@specifiedBy`, which introspection also gives: the SDL is what tools read (decision 0685).
pub fn sdl() -> String {
    let options = async_graphql::SDLExportOptions::new().include_specified_by();
    builder().finish().sdl_with_options(options)
}

fn builder() -> async_graphql::SchemaBuilder<Query, Mutation, SubscriptionRoot> {
    let subscription = SubscriptionRoot(
        task::Subscription,
        notice::NoticeSubscription,
        message::MessageSubscription,
        auction::AuctionSubscription,
        competition::CompetitionSubscription,
    );
    Schema::build(Query::default(), Mutation::default(), subscription)
        .extension(cost::Budget)
        .extension(refusal::Coded)
}

#[derive(Clone)]
struct Http {
    app: AppState,
    feeds: Arc<feeds::Feeds>,
    schema: ZakupSchema,
    documents: documents::Documents,
    deployment: Arc<Deployment>,
    limiter: Arc<rate::Limiter>,
}

impl FromRef<Http> for AppState {
    fn from_ref(http: &Http) -> AppState {
        http.app.clone()
    }
}

impl FromRef<Http> for Arc<feeds::Feeds> {
    fn from_ref(http: &Http) -> Arc<feeds::Feeds> {
        http.feeds.clone()
    }
}

pub fn router(state: AppState) -> Router {
    router_for(state, Deployment::default())
}

/// The router of a server whose `/health` names its deployment (mode and database).
pub fn router_for(state: AppState, deployment: Deployment) -> Router {
    router_with(
        state,
        Options {
            deployment,
            ..Options::default()
        },
    )
}

/// How a server is set up beyond its state.
#[derive(Default)]
pub struct Options {
    /// What `/health` says of the deployment.
    pub deployment: Deployment,
    /// The per-viewer rate limit of GraphQL requests; none if `None` (decision 0682).
    pub rate_limit: Option<RateLimit>,
}

/// The router of a server set up by `options`.
pub fn router_with(state: AppState, options: Options) -> Router {
    let feeds = Arc::<feeds::Feeds>::default();
    let http = Http {
        schema: schema_with(state.clone(), feeds.clone()),
        feeds,
        app: state,
        documents: documents::Documents::default(),
        deployment: Arc::new(options.deployment),
        limiter: Arc::new(rate::Limiter::new(options.rate_limit)),
    };
    Router::new()
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .route(
            "/graphql",
            get(graphiql::page)
                .post(graphql)
                .fallback(http_error::method_not_allowed),
        )
        .route(
            "/graphiql/{file}",
            get(graphiql::asset).fallback(http_error::method_not_allowed),
        )
        .route(
            "/graphql/ws",
            get(subscriptions).fallback(http_error::method_not_allowed),
        )
        .route("/ocds/releases", get(ocds::releases))
        .route("/ocds/records/{ocid}", get(ocds::record))
        .route("/ocds/extensions/zakup/{file}", get(ocds::extension))
        .fallback(http_error::not_found)
        .layer(axum::middleware::from_fn(server::limit_body))
        .with_state(http)
}

/// The codes of a database that cannot be reached: the request was not carried out and may be
/// retried, which HTTP says with 503 (decision 0625).
const UNAVAILABLE: [&str; 2] = ["event_store_unavailable", "read_models_unavailable"];

async fn graphql(
    State(http): State<Http>,
    client: Option<Extension<ClientAddr>>,
    request: Request,
) -> Response {
    let header = request
        .headers()
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let viewer = Viewer::from_header(&http.app.keys, header);
    // Before the body is parsed: a viewer over the limit costs next to nothing.
    if let Some(limited) = http.limiter.refusal(&viewer, client.map(|c| c.0)) {
        return limited;
    }
    let request = match GraphQLRequest::<http_error::Malformed>::from_request(request, &http).await
    {
        Ok(request) => request,
        Err(malformed) => return malformed.into_response(),
    };
    let mut request = request.into_inner();
    http.documents.prepare(&mut request);
    let response = cost::limit_size(http.schema.execute(request.data(viewer)).await);
    let unavailable = response.errors.iter().any(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("code"))
            .is_some_and(|c| matches!(c, async_graphql::Value::String(c) if UNAVAILABLE.contains(&c.as_str())))
    });
    let mut out = GraphQLResponse::from(response).into_response();
    if unavailable {
        *out.status_mut() = axum::http::StatusCode::SERVICE_UNAVAILABLE;
        out.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from_static("1"),
        );
    }
    out
}

/// graphql-transport-ws, with a bounded send buffer (see [`ws`]).
async fn subscriptions(
    State(http): State<Http>,
    client: Option<Extension<ClientAddr>>,
    protocol: Result<GraphQLProtocol, axum::http::StatusCode>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    // The token comes later, in `connection_init`: a connection counts against the address.
    if let Some(limited) = http.limiter.refusal(
        &Viewer::from_header(&http.app.keys, None),
        client.map(|c| c.0),
    ) {
        return limited;
    }
    let (protocol, upgrade) = match (protocol, upgrade) {
        (Ok(p), Ok(u)) => (p, u),
        (_, Err(e)) => return http_error::not_a_websocket(e.body_text()),
        (Err(_), _) => return http_error::not_a_websocket("no supported Sec-WebSocket-Protocol"),
    };
    upgrade
        .protocols(async_graphql::http::ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            ws::serve(socket, http.schema, protocol, http.app.keys, http.feeds)
        })
        .into_response()
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_for(listener, state, Deployment::default(), shutdown).await
}

/// [`serve`] for a labelled deployment (see [`router_for`]).
pub async fn serve_for(
    listener: tokio::net::TcpListener,
    state: AppState,
    deployment: Deployment,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve(listener, router_for(state, deployment), shutdown).await
}

/// [`serve`] set up by `options` (see [`router_with`]).
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    state: AppState,
    options: Options,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    server::serve(listener, router_with(state, options), shutdown).await
}
