//! The harness of the end-to-end tests: a real server on 127.0.0.1:0 over a fresh PostgreSQL
//! database, with a manual clock the test moves and the deadline scheduler it ticks, and a tiny
//! HTTP client (one request per connection) so the tests speak to the server as a frontend does.
// Each test binary includes this module and uses a part of it.
#![allow(dead_code)]

pub mod tender;

use std::net::SocketAddr;
use std::sync::Arc;

use aws_lc_rs::signature::{Ed25519KeyPair, KeyPair};
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use sqlx::PgPool;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use uuid::Uuid;
use zakup_api::{AppState, Principal, TokenKeys};
use zakup_domain::calendar::Calendar;
use zakup_domain::ident::{Bin, Iin};
use zakup_engine::{Clock, Engine, ManualClock, Sandbox, Scheduler};
use zakup_store::SharedStore;
use zakup_store::shred::{Sealer, ShreddingStore};
use zakup_store_pg::PgStore;
use zakup_store_pg::keyring::PgKeyring;

pub struct App {
    pub addr: SocketAddr,
    /// The engine's clock; in a sandbox, the real clock the sandbox reads (standing still
    /// unless the test moves it, so that only `advanceClock` moves the sandbox's time).
    pub clock: ManualClock,
    /// The engine's time: `clock`, or the sandbox's.
    time: Arc<dyn Clock>,
    pub calendar: Arc<Calendar>,
    pub scheduler: Scheduler,
    pub pool: PgPool,
    /// The store as `zakup serve` has it: personal values sealed (decision 0840).
    pub store: SharedStore,
    /// The events as stored, and the persons' keys.
    pub raw: Arc<PgStore>,
    pub keyring: Arc<PgKeyring>,
    pub sealer: Sealer,
    daemon: Arc<zakup_projections::Daemon>,
    keys: TokenKeys,
}

/// zero2prod's `spawn_app`: the whole server in process, on a port of its own.
/// Its registry is in development mode: the tests' organisations act on their tokens' roles
/// until they register (docs/decisions/0820).
pub async fn spawn_app(start: DateTime<Utc>) -> App {
    spawn(start, false, zakup_api::Options::default(), DEVELOPMENT).await
}

/// The server as `zakup serve` runs by default: an organisation acts only once registered.
pub async fn spawn_enforced(start: DateTime<Utc>) -> App {
    let options = zakup_api::Options::default();
    spawn(start, false, options, zakup_api::RegistryMode::Enforced).await
}

const DEVELOPMENT: zakup_api::RegistryMode = zakup_api::RegistryMode::Development;

/// [`spawn_app`] with a server set up by `options` (a rate limit, …).
pub async fn spawn_app_with(start: DateTime<Utc>, options: zakup_api::Options) -> App {
    spawn(start, false, options, DEVELOPMENT).await
}

/// The server in sandbox mode (issue 22): its clock starts at `start` and moves only by
/// `advanceClock`, as the `operator()` sends it.
pub async fn spawn_sandbox(start: DateTime<Utc>) -> App {
    spawn(start, true, zakup_api::Options::default(), DEVELOPMENT).await
}

async fn spawn(
    start: DateTime<Utc>,
    sandbox: bool,
    options: zakup_api::Options,
    registry: zakup_api::RegistryMode,
) -> App {
    let db = zakup_pgcluster::test_database()
        .await
        .expect("test database");
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(10)
        .connect(&db.url)
        .await
        .expect("connect");
    let raw = PgStore::connect(pool.clone()).await.expect("event store");
    let keyring = Arc::new(PgKeyring::open(pool.clone()).await.expect("keyring"));
    let sealer = Sealer::new(keyring.clone(), zakup_domain::privacy::is_person);
    let store: SharedStore = ShreddingStore::new(raw.clone(), sealer.clone());
    zakup_projections::migrate(&pool).await.expect("registry");
    let daemon =
        zakup_projections::Daemon::start(store.clone(), pool.clone(), zakup_projections::all())
            .await
            .expect("projections");
    let clock = ManualClock::at(start);
    let calendar = Arc::new(Calendar::embedded().expect("calendar"));
    let time: Arc<dyn Clock> = if sandbox {
        let real = Arc::new(clock.clone());
        Arc::new(Sandbox::new(real, start, 1, system().actor()))
    } else {
        Arc::new(clock.clone())
    };
    let engine = Engine::new(store.clone(), time.clone(), calendar.clone());
    if sandbox {
        zakup_engine::sandbox::open(&engine)
            .await
            .expect("the sandbox");
    }
    let mut secret = [0u8; 32];
    aws_lc_rs::rand::fill(&mut secret).expect("randomness");
    let keys = TokenKeys::hmac(&secret).expect("keys");
    let scheduler = Scheduler::new(engine.clone(), system().actor());
    let daemon = Arc::new(daemon);
    let state = AppState {
        store: store.clone(),
        // As `zakup serve` reads: read-only, with the statement timeout (decision 0680).
        pool: zakup_api::read_pool(
            &pool,
            10,
            std::time::Duration::from_secs(10),
            zakup_api::READ_STATEMENT_TIMEOUT,
        ),
        daemon: daemon.clone(),
        engine,
        keys: Arc::new(TokenKeys::hmac(&secret).expect("keys")),
        registry,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a port");
    let addr = listener.local_addr().expect("address");
    tokio::spawn(zakup_api::serve_with(
        listener,
        state,
        options,
        std::future::pending(),
    ));
    App {
        addr,
        clock,
        time,
        calendar,
        scheduler,
        pool,
        store,
        raw,
        keyring,
        sealer,
        daemon,
        keys,
    }
}

/// Someone with a token.
#[derive(Clone)]
pub struct Person {
    pub user: String,
    pub full_name: String,
    pub iin: String,
    pub org: String,
    pub roles: Vec<String>,
}

impl Person {
    pub fn principal(&self) -> Principal {
        Principal {
            user_id: self.user.clone(),
            iin: self.iin.clone(),
            org_bin: self.org.clone(),
            roles: self.roles.clone(),
        }
    }

    pub fn actor(&self) -> zakup_domain::actor::Actor {
        self.principal().actor().expect("a valid identity")
    }

    pub fn json(&self) -> Value {
        json!({"iin": self.iin, "fullName": self.full_name})
    }

    /// A signing key derived from the ИИН (test keys only).
    pub fn key(&self) -> Ed25519KeyPair {
        let a = Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{}/a", self.iin).as_bytes());
        let b = Uuid::new_v5(&Uuid::NAMESPACE_OID, format!("{}/b", self.iin).as_bytes());
        let mut seed = [0u8; 32];
        seed[..16].copy_from_slice(a.as_bytes());
        seed[16..].copy_from_slice(b.as_bytes());
        Ed25519KeyPair::from_seed_unchecked(&seed).expect("a key")
    }

    pub fn public_key_hex(&self) -> String {
        hex(self.key().public_key().as_ref())
    }

    pub fn sign(&self, message: &str) -> String {
        hex(self.key().sign(message.as_bytes()).as_ref())
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn bin(n: u32) -> String {
    (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", n * 20 + k)).ok())
        .expect("a БИН")
        .to_string()
}

pub fn iin(n: u32) -> String {
    (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", n * 20 + k)).ok())
        .expect("an ИИН")
        .to_string()
}

pub fn person(user: &str, full_name: &str, n: u32, org: String, role: &str) -> Person {
    Person {
        user: user.into(),
        full_name: full_name.into(),
        iin: iin(n),
        org,
        roles: vec![role.into()],
    }
}

pub fn system() -> Person {
    person("system", "Портал", 90, bin(90), "system")
}

/// The portal operator's staff: moves a sandbox's clock.
pub fn operator() -> Person {
    person("operator", "Оператор портала", 92, bin(92), "operator")
}

impl App {
    pub fn token(&self, who: &Person) -> String {
        self.keys
            .issue(&who.principal(), Duration::hours(1))
            .expect("a token")
    }

    /// POST /graphql as `who` (anonymous with None): the whole JSON response.
    pub async fn post(&self, who: Option<&Person>, query: &str, variables: Value) -> Value {
        let body = json!({"query": query, "variables": variables}).to_string();
        let auth = who
            .map(|w| format!("Authorization: Bearer {}\r\n", self.token(w)))
            .unwrap_or_default();
        let request = format!(
            "POST /graphql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.addr,
            body.len()
        );
        let (status, body) = self.http(&request).await;
        let response: Value = serde_json::from_str(&body).expect("a JSON response");
        // An outage is answered 503 so that clients retry (decision 0625); everything else 200.
        let outage = matches!(
            response["errors"][0]["extensions"]["code"].as_str(),
            Some("event_store_unavailable" | "read_models_unavailable")
        );
        assert_eq!(status, if outage { 503 } else { 200 }, "{body}");
        response
    }

    /// The data of a query that must succeed.
    pub async fn ok(&self, who: Option<&Person>, query: &str, variables: Value) -> Value {
        let response = self.post(who, query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "{query} failed: {response}"
        );
        response["data"].clone()
    }

    /// The error code of a request that must fail.
    pub async fn refused(&self, who: Option<&Person>, query: &str, variables: Value) -> String {
        let response = self.post(who, query, variables).await;
        response["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{query} was not refused with a code: {response}"))
            .to_owned()
    }

    /// A mutation `name(commandId: $c, …)` with a fresh command id; returns its outcome.
    pub async fn command(&self, who: &Person, call: &str, variables: Value) -> Value {
        let mut variables = variables;
        variables["c"] = json!(Uuid::new_v4());
        let data = self
            .ok(Some(who), &format!("mutation {call}"), variables)
            .await;
        data.as_object()
            .and_then(|o| o.values().next())
            .cloned()
            .expect("one mutation field")
    }

    /// Registers `admin`'s organisation in the participant registry as a legal entity (spec 002
    /// PR1–PR3, `admin` its administrator, its powers `org_admin` and its token's roles), has
    /// the operator grant it `roles` (decision 0821) and adds `employees` with their tokens'
    /// roles as powers. From then on the registry, not the tokens, says what they may do.
    pub async fn register_organisation(
        &self,
        admin: &Person,
        roles: &[&str],
        employees: &[&Person],
    ) {
        let registration = json!({
            "iinBin": admin.org, "kind": "legal_entity", "name": format!("Организация {}", admin.org),
            "attributes": {"kopf": "1150", "kse": 7, "resident": true, "smallBusiness": false, "mediumBusiness": false},
            "head": {"iin": admin.iin, "lastName": admin.full_name, "firstName": "-", "position": "Директор"},
            "supplier": roles.contains(&"supplier"), "agreementSigned": true, "fullName": admin.full_name,
        });
        self.command(admin, "($c: UUID!, $r: RegistrationInput!) { registerParticipant(commandId: $c, registration: $r) { version } }",
            json!({"r": registration})).await;
        self.command(&operator(), "($c: UUID!, $o: String!, $r: [Role!]!) { assignParticipantRoles(commandId: $c, iinBin: $o, roles: $r) { version } }",
            json!({"o": admin.org, "r": roles})).await;
        let mut own = admin.roles.clone();
        own.push("org_admin".into());
        own.dedup();
        self.command(admin, "($c: UUID!, $i: String!, $p: [Role!]!) { changeEmployeePowers(commandId: $c, iin: $i, powers: $p) { version } }",
            json!({"i": admin.iin, "p": own})).await;
        for e in employees {
            self.command(admin, "($c: UUID!, $i: String!, $n: String!, $p: [Role!]!) { addEmployee(commandId: $c, iin: $i, fullName: $n, powers: $p) { version } }",
                json!({"i": e.iin, "n": e.full_name, "p": e.roles})).await;
        }
    }

    /// «Заблокировать сотрудника» (`block`) or unblocks `who`, as `admin`.
    pub async fn block(&self, admin: &Person, who: &Person, block: bool) -> Value {
        if block {
            self.command(admin, "($c: UUID!, $i: String!) { blockEmployee(commandId: $c, iin: $i, reason: \"уволен\") { version } }",
                json!({"i": who.iin})).await
        } else {
            self.command(
                admin,
                "($c: UUID!, $i: String!) { unblockEmployee(commandId: $c, iin: $i) { version } }",
                json!({"i": who.iin}),
            )
            .await
        }
    }

    pub async fn get(&self, path: &str) -> (u16, String) {
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept: text/html\r\nConnection: close\r\n\r\n",
            self.addr
        );
        self.http(&request).await
    }

    pub async fn http(&self, request: &str) -> (u16, String) {
        let mut stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .expect("connect");
        stream.write_all(request.as_bytes()).await.expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await.expect("receive");
        let split = raw
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("a response");
        let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
        let body = &raw[split + 4..];
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status");
        let body = if head.contains("transfer-encoding: chunked") {
            dechunk(body)
        } else {
            body.to_vec()
        };
        (status, String::from_utf8(body).expect("UTF-8"))
    }

    /// Moves the clock to `at` (never back) and ticks the scheduler until it has fired
    /// `transition` of `announcement`, as the portal would. The scheduler folds the global log,
    /// which shows a commit shortly after it happens, so a tick may come too early to see it.
    pub async fn fire(&self, announcement: Uuid, transition: &str, at: DateTime<Utc>) {
        if at > self.now() {
            self.clock.set(at);
        }
        for _ in 0..500 {
            let fired = self.scheduler.tick().await.expect("scheduler");
            for f in &fired {
                assert!(f.result.is_ok(), "{f:?}");
            }
            let wanted = fired.iter().any(|f| {
                f.announcement_id == announcement
                    && serde_json::to_value(f.transition).ok() == Some(json!(transition))
            });
            if wanted {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the scheduler never fired {transition} of {announcement}");
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.time.now()
    }

    /// 10:00 Astana on the `n`-th working day after today.
    pub fn working_days_after(&self, n: u32) -> DateTime<Utc> {
        let c = &self.calendar;
        let day = c
            .add_working_days(c.to_local_date(self.now()).expect("date"), n)
            .expect("calendar");
        c.to_utc(day.and_hms_opt(10, 0, 0).expect("10:00"))
            .expect("calendar")
    }
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = body.windows(2).position(|w| w == b"\r\n") {
        let size = std::str::from_utf8(&body[..eol])
            .ok()
            .and_then(|s| usize::from_str_radix(s.trim(), 16).ok())
            .unwrap_or(0);
        if size == 0 {
            break;
        }
        let chunk = &body[eol + 2..];
        out.extend_from_slice(&chunk[..size]);
        body = &chunk[(size + 2).min(chunk.len())..];
    }
    out
}

/// An Astana wall-clock time, e.g. `"2026-02-02 09:00"`.
pub fn astana(calendar: &Calendar, local: &str) -> DateTime<Utc> {
    let local = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("a time");
    calendar.to_utc(local).expect("covered by the calendar")
}

impl App {
    /// Waits until every read model has applied every event (lag 0): the state to compare.
    pub async fn settle(&self) {
        let all = zakup_projections::all();
        for _ in 0..1500 {
            let statuses = zakup_projections::status(&self.pool, self.store.as_ref(), &all)
                .await
                .expect("status");
            if statuses.len() == all.len() && statuses.iter().all(|s| s.lag_events == 0) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the read models did not catch up");
    }
}

/// A graphql-transport-ws connection to `/graphql/ws`.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

impl App {
    /// Connects with `who`'s token (in `connection_init`) and starts `query` as subscription "1".
    /// Returns once the server listens for it: graphql-transport-ws acknowledges no subscription,
    /// and the server's resolver joins the projection daemon's feed only when it first polls the
    /// stream, so a write made right after sending `subscribe` could otherwise go unheard.
    pub async fn subscribe(&self, who: &Person, query: &str, variables: Value) -> Socket {
        self.subscribe_as(Some(who), query, variables).await
    }

    /// `subscribe` with `who`'s token, or anonymously.
    pub async fn subscribe_as(
        &self,
        who: Option<&Person>,
        query: &str,
        variables: Value,
    ) -> Socket {
        let mut request = format!("ws://{}/graphql/ws", self.addr)
            .into_client_request()
            .expect("a request");
        request.headers_mut().insert(
            "Sec-WebSocket-Protocol",
            "graphql-transport-ws".parse().expect("a header"),
        );
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("connect");
        let init = match who {
            Some(who) => {
                json!({"type": "connection_init", "payload": {"Authorization": format!("Bearer {}", self.token(who))}})
            }
            None => json!({"type": "connection_init", "payload": {}}),
        };
        socket
            .send(Message::text(init.to_string()))
            .await
            .expect("init");
        assert_eq!(next(&mut socket).await["type"], "connection_ack");
        let listening = self.daemon.subscribers();
        let start = json!({"id": "1", "type": "subscribe", "payload": {"query": query, "variables": variables}});
        socket
            .send(Message::text(start.to_string()))
            .await
            .expect("subscribe");
        for _ in 0..1500 {
            if self.daemon.subscribers() > listening {
                return socket;
            }
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        panic!("the subscription did not start: {query}");
    }
}

/// The next graphql-transport-ws message, pings answered; a test that waits in vain fails
/// instead of hanging.
pub async fn next(socket: &mut Socket) -> Value {
    let wait = std::time::Duration::from_secs(30);
    loop {
        let message = tokio::time::timeout(wait, socket.next())
            .await
            .expect("a message within 30 s")
            .expect("a message")
            .expect("no error");
        let Message::Text(text) = message else {
            continue;
        };
        let value: Value = serde_json::from_str(&text).expect("JSON");
        if value["type"] == "ping" {
            socket
                .send(Message::text(json!({"type": "pong"}).to_string()))
                .await
                .expect("pong");
            continue;
        }
        return value;
    }
}
