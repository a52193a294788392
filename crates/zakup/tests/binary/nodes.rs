//! Issue 28 (decisions 0760, 0761): three `zakup serve` processes on one PostgreSQL database.
//! Commands spread over the nodes under load, the holder of the leases killed with SIGKILL in
//! the middle, deadlines falling due while no node runs the timers; every acknowledged command in
//! the read models once, the lag back to 0, each deadline fired exactly once, a subscriber on a
//! node without the lease told of every change, and read-your-writes across nodes.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_store::{ExpectedVersion, Filter, Metadata, NewEvent, StreamRange};

use super::{Server, free_addr, get};

#[path = "../../../domain/tests/domain/announcement_world.rs"]
mod world;

const SECRET: &str = "three-nodes-one-database-0123456789";
/// Short, so that the failover is quick; the bound below is generous all the same.
const LEASE_TTL_MS: &str = "1500";

fn node(data: &Path, url: &str, id: &str) -> (Server, String) {
    let addr = free_addr();
    let log = std::fs::File::create(data.join(format!("{id}.log"))).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_zakup"))
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("ZAKUP_DATA_DIR", data)
        .env("ZAKUP_ADDR", &addr)
        .env("ZAKUP_JWT_SECRET", SECRET)
        .env("ZAKUP_NODE_ID", id)
        .env("ZAKUP_LEASE_TTL_MS", LEASE_TTL_MS)
        // The four workers share one token: the per-viewer limit (decision 0682) refuses them
        // with `rate_limited` when the machine is fast enough, as in the bench's workload.
        .env("ZAKUP_RATE_LIMIT_PER_SECOND", "0")
        .env_remove("ZAKUP_LOG_FORMAT")
        .env_remove("ZAKUP_MODE")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let server = Server(child);
    until(Duration::from_secs(60), "the node answers /health", || {
        matches!(get(&addr, "/health"), Some((200, _)))
    });
    (server, addr)
}

fn until(bound: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + bound;
    while Instant::now() < deadline {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("not within {bound:?}: {what}");
}

fn health(addr: &str) -> Value {
    get(addr, "/health")
        .and_then(|(_, body)| serde_json::from_str(&body).ok())
        .unwrap_or(Value::Null)
}

fn holds(addr: &str, lease: &str) -> bool {
    health(addr)["leases"]["held"]
        .as_array()
        .is_some_and(|held| held.iter().any(|l| l == lease))
}

fn graphql(addr: &str, token: &str, query: &str, variables: Value) -> Value {
    try_graphql(addr, token, query, variables).expect("an answer")
}

/// A GraphQL request over HTTP/1.1 (the response's body, de-chunked); None when the node does
/// not answer in full (a node killed in the middle of its answer acknowledged nothing).
fn try_graphql(addr: &str, token: &str, query: &str, variables: Value) -> Option<Value> {
    let body = json!({"query": query, "variables": variables}).to_string();
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok()?;
    write!(
        s,
        "POST /graphql HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let raw = String::from_utf8(raw).ok()?;
    let (head, mut body) = raw.split_once("\r\n\r\n")?;
    let mut text = String::new();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        loop {
            let (size, rest) = body.split_once("\r\n")?;
            let size = usize::from_str_radix(size.trim(), 16).ok()?;
            if size == 0 {
                break;
            }
            text.push_str(rest.get(..size)?);
            body = rest.get(size + 2..)?;
        }
    } else {
        text.push_str(body);
    }
    serde_json::from_str(&text).ok()
}

/// A graphql-transport-ws client on a blocking socket, enough for one subscription.
struct Ws(TcpStream);

impl Ws {
    fn connect(addr: &str, token: &str) -> Ws {
        let mut s = TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        write!(
            s,
            "GET /graphql/ws HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        )
        .unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            let mut byte = [0u8];
            s.read_exact(&mut byte).unwrap();
            head.push(byte[0]);
        }
        assert!(head.starts_with(b"HTTP/1.1 101"), "{head:?}");
        let mut ws = Ws(s);
        let auth = format!("Bearer {token}");
        ws.send(
            0x1,
            &json!({"type": "connection_init", "payload": {"Authorization": auth}}),
        );
        assert_eq!(ws.next()["type"], "connection_ack");
        ws
    }

    /// A client frame: final, masked (RFC 6455 §5.3).
    fn send(&mut self, opcode: u8, message: &Value) {
        let payload = message.to_string().into_bytes();
        let mask = [0x5a, 0x4b, 0x3c, 0x2d];
        let mut frame = vec![0x80 | opcode];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n => {
                frame.push(0x80 | 126);
                frame.extend((n as u16).to_be_bytes());
            }
        }
        frame.extend(mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.0.write_all(&frame).unwrap();
    }

    /// The next text message, pings answered.
    fn next(&mut self) -> Value {
        loop {
            let mut head = [0u8; 2];
            self.0.read_exact(&mut head).unwrap();
            let len = match head[1] & 0x7f {
                126 => {
                    let mut n = [0u8; 2];
                    self.0.read_exact(&mut n).unwrap();
                    u64::from(u16::from_be_bytes(n))
                }
                127 => {
                    let mut n = [0u8; 8];
                    self.0.read_exact(&mut n).unwrap();
                    u64::from_be_bytes(n)
                }
                n => u64::from(n),
            };
            let mut payload = vec![0u8; len as usize];
            self.0.read_exact(&mut payload).unwrap();
            match head[0] & 0x0f {
                0x1 => {
                    let value: Value = serde_json::from_slice(&payload).unwrap();
                    if value["type"] == "ping" {
                        self.send(0x1, &json!({"type": "pong"}));
                        continue;
                    }
                    return value;
                }
                0x9 => self.send(0xA, &Value::Null),
                _ => {}
            }
        }
    }
}

fn live_subscriptions(addr: &str) -> u64 {
    get(addr, "/metrics")
        .and_then(|(_, m)| {
            m.lines()
                .find_map(|l| l.strip_prefix("zakup_subscriptions_live "))
                .and_then(|n| n.trim().parse().ok())
        })
        .unwrap_or(0)
}

fn organizer() -> (String, zakup_api::Principal) {
    use zakup_domain::ident::{Bin, Iin};
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 20 + k)).ok())
        .unwrap();
    let bin = (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", 20 + k)).ok())
        .unwrap();
    let principal = zakup_api::Principal {
        user_id: "organizer".into(),
        iin: iin.to_string(),
        org_bin: bin.to_string(),
        roles: vec!["organizer".into()],
    };
    let token = zakup_api::TokenKeys::hmac(SECRET.as_bytes())
        .unwrap()
        .issue(&principal, chrono::Duration::hours(1))
        .unwrap();
    (token, principal)
}

const CREATE: &str = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, \
                      announcementId: $a, number: \"100-1\", header: $h) { position version } }";
const UPDATE: &str = "($c: UUID!, $a: UUID!, $h: HeaderInput!) { updateHeader(commandId: $c, \
                      announcementId: $a, header: $h) { position version } }";

fn header(n: usize) -> Value {
    json!({"method": "open_tender", "procurementType": "first", "subjectType": "goods",
        "nameKk": format!("Қағаз {n}"), "nameRu": format!("Бумага {n}"),
        "amongDisabledOrganizations": false, "singleOrganizer": false})
}

/// Sends a command; its outcome (`position`, `version`) if acknowledged (a node killed meanwhile
/// acknowledges nothing).
fn command(addr: &str, token: &str, query: &str, id: Uuid, n: usize) -> Option<Value> {
    let variables = json!({"c": Uuid::new_v4(), "a": id, "h": header(n)});
    let answer = try_graphql(addr, token, &format!("mutation {query}"), variables)?;
    assert!(answer["errors"].is_null(), "{answer}");
    answer["data"].as_object()?.values().next().cloned()
}

/// Commands sent from worker threads until stopped: drafts created on the three nodes in turn
/// (those a dead node does not acknowledge are left out), and updates of one draft on node-1
/// and node-2.
struct Load {
    stop: Arc<AtomicBool>,
    acknowledged: Arc<AtomicUsize>,
    drafts: Vec<std::thread::JoinHandle<Vec<Uuid>>>,
    updates: std::thread::JoinHandle<usize>,
}

impl Load {
    fn start(addrs: [String; 3], token: &str, watched: Uuid) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let acknowledged = Arc::new(AtomicUsize::new(0));
        let worker = || {
            (
                addrs.clone(),
                token.to_owned(),
                stop.clone(),
                acknowledged.clone(),
            )
        };
        let drafts = (0..3)
            .map(|w| {
                let (addrs, token, stop, acknowledged) = worker();
                std::thread::spawn(move || {
                    let mut created = Vec::new();
                    for n in w.. {
                        if stop.load(Ordering::SeqCst) {
                            break;
                        }
                        let id = Uuid::new_v4();
                        if command(&addrs[n % 3], &token, CREATE, id, n).is_some() {
                            created.push(id);
                            acknowledged.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    created
                })
            })
            .collect();
        let (addrs, token, stopped, done) = worker();
        let updates = std::thread::spawn(move || {
            let mut n = 0;
            while !stopped.load(Ordering::SeqCst) {
                command(&addrs[1 + n % 2], &token, UPDATE, watched, n)
                    .expect("node-1 and node-2 stay up: every update is acknowledged");
                n += 1;
                done.fetch_add(1, Ordering::SeqCst);
            }
            n
        });
        Load {
            stop,
            acknowledged,
            drafts,
            updates,
        }
    }

    fn acknowledged(&self) -> usize {
        self.acknowledged.load(Ordering::SeqCst)
    }

    fn until_acknowledged(&self, n: usize) {
        until(Duration::from_secs(120), "commands acknowledged", || {
            self.acknowledged() >= n
        });
    }

    /// Stops the workers: the drafts acknowledged, and how many updates.
    fn stop(self) -> (Vec<Uuid>, usize) {
        self.stop.store(true, Ordering::SeqCst);
        let drafts = self.drafts.into_iter().flat_map(|d| d.join().unwrap());
        (drafts.collect(), self.updates.join().unwrap())
    }
}

/// An open tender published on 2 February 2026 (as the engine would have stored it), its plan
/// item reserved: every deadline of it is long past, so the holder of the timers fires them.
async fn published_long_ago(store: &zakup_store::SharedStore) -> Uuid {
    use zakup_domain::announcement::Announcement;
    use zakup_domain::announcement::header::{Method, ProcurementType, SubjectType};
    use zakup_domain::money::Money;
    use zakup_domain::plan_item::PlanItemCommand;
    use zakup_engine::{CommandMeta, Engine, ManualClock};
    let mut w = world::World::new();
    w.published_ok(1);
    let engine = Engine::new(
        store.clone(),
        Arc::new(ManualClock::at(w.now)),
        world::calendar(),
    );
    let meta = |actor| CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    };
    let request = PlanItemCommand::RequestProcurement {
        plan_item_id: world::plan_item(1),
        organizer_bin: world::organizer_bin(),
        subject_type: SubjectType::Goods,
        name_ru: "Лот 1".into(),
        amount: Money::from_tenge(1_000_000),
    };
    let customer = meta(world::customer());
    engine
        .plan_item(&world::plan_item(1), &customer, request)
        .await
        .unwrap();
    let reserve = PlanItemCommand::Reserve {
        announcement_id: w.id,
        lot_number: "L-1".into(),
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        customer_bin: world::customer_bin(),
        amount: Money::from_tenge(1_000_000),
    };
    let organizer = meta(world::organizer());
    engine
        .plan_item(&world::plan_item(1), &organizer, reserve)
        .await
        .unwrap();
    let stream = Engine::stream::<Announcement>(&w.id.to_string()).unwrap();
    let command_id = Uuid::new_v4();
    let metadata = Metadata {
        command_id,
        correlation_id: command_id,
        causation_id: None,
        actor: zakup_engine::store_actor(&world::organizer()),
        occurred_at: w.now,
        sandbox: false,
    };
    let events = w
        .events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let (event_type, schema_version, payload) = e.to_stored();
            NewEvent {
                event_id: NewEvent::id_for(command_id, &stream, i),
                event_type: event_type.to_owned(),
                schema_version,
                payload,
                metadata: metadata.clone(),
            }
        })
        .collect();
    store
        .append(&stream, ExpectedVersion::NoStream, events)
        .await
        .unwrap();
    w.id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_nodes_share_the_work_and_survive_the_death_of_the_holder() {
    let db = zakup_pgcluster::test_database().await.unwrap();
    let data = std::env::temp_dir().join(format!("zakup-nodes-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&data).unwrap();
    // The first node takes both leases before the others start.
    let (first, a0) = node(&data, &db.url, "node-0");
    until(Duration::from_secs(30), "node-0 holds the leases", || {
        holds(&a0, "projections") && holds(&a0, "timers")
    });
    let (second, a1) = node(&data, &db.url, "node-1");
    let (_third, a2) = node(&data, &db.url, "node-2");
    let mut nodes = vec![first, second];
    let (token, _) = organizer();

    // A draft, then a subscriber to its changes on node-2, which holds no lease.
    let watched = Uuid::new_v4();
    let created = command(&a0, &token, CREATE, watched, 0).unwrap();
    let (created, drafted) = (
        created["position"].clone(),
        created["version"].as_i64().unwrap(),
    );
    // Read-your-writes across nodes: the position from node-0, the query on node-1 and node-2
    // (whose subscribers have then been told of the draft already).
    let q = "query ($p: String) { announcements(minPosition: $p, first: 100) { nodes { id } } }";
    for addr in [&a1, &a2] {
        let found = graphql(addr, &token, q, json!({"p": created}));
        assert!(found.to_string().contains(&watched.to_string()), "{found}");
    }
    let mut ws = Ws::connect(&a2, &token);
    let q = "subscription ($id: UUID!) { announcementChanged(id: $id) { version eventType } }";
    let query = json!({"query": q, "variables": {"id": watched}});
    ws.send(
        0x1,
        &json!({"id": "1", "type": "subscribe", "payload": query}),
    );
    until(Duration::from_secs(30), "the subscription is live", || {
        live_subscriptions(&a2) >= 1
    });
    assert!(!holds(&a2, "projections") && !holds(&a2, "timers"));
    // Item 4: /metrics and `zakup projections status` name the holder of each lease.
    for (addr, node, held) in [(&a0, "node-0", 1), (&a2, "node-2", 0)] {
        let metrics = get(addr, "/metrics").unwrap().1;
        for lease in ["projections", "timers"] {
            let line = format!("zakup_lease_held{{lease=\"{lease}\",node=\"{node}\"}} {held}");
            assert!(metrics.lines().any(|l| l == line), "{line} in {metrics}");
        }
    }
    let status = Command::new(env!("CARGO_BIN_EXE_zakup"))
        .args(["projections", "status"])
        .env("DATABASE_URL", &db.url)
        .env("ZAKUP_DATA_DIR", &data)
        .env_remove("ZAKUP_MODE")
        .output()
        .unwrap();
    let status = String::from_utf8(status.stdout).unwrap();
    for lease in ["projections", "timers"] {
        let holder = status.lines().find_map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words.get(..4) == Some(&["lease", lease, "held", "by"][..])).then(|| words[4])
        });
        assert_eq!(holder, Some("node-0"), "{status}");
    }

    // Commands spread over the three nodes under load: three workers create drafts on the nodes
    // in turn, a fourth updates the watched draft on node-1 and node-2 (which stay up, so each
    // of its commands is acknowledged and the subscriber's count is known). Node-0, the holder
    // of both leases, is killed with SIGKILL while they run.
    let store = zakup_store_pg::PgStore::connect(sqlx::PgPool::connect(&db.url).await.unwrap())
        .await
        .unwrap();
    let store: zakup_store::SharedStore = store;
    let load = Load::start([a0.clone(), a1.clone(), a2.clone()], &token, watched);
    load.until_acknowledged(10);
    // SIGKILL: no lease given back; and deadlines fall due while no node runs the timers.
    drop(nodes.remove(0));
    let due = published_long_ago(&store).await;
    let killed = load.acknowledged();

    // Another node takes each lease over while the load goes on.
    until(Duration::from_secs(60), "the leases are held again", || {
        let held = |lease| [&a1, &a2].iter().any(|a| holds(a, lease));
        held("projections") && held("timers")
    });
    load.until_acknowledged(killed + 10);
    let (drafts, updates) = load.stop();
    let drafts: Vec<Uuid> = [watched].into_iter().chain(drafts).collect();
    assert!(updates > 0, "the watched draft was updated under load");
    until(Duration::from_secs(120), "no lag on the nodes left", || {
        [&a1, &a2].iter().all(|a| {
            health(a)["projections"]
                .as_array()
                .is_some_and(|ps| !ps.is_empty() && ps.iter().all(|p| p["lagEvents"] == 0))
        })
    });

    // The deadline fired once, on whichever node holds the timers now.
    let stream = zakup_store::StreamId::new("announcement", due).unwrap();
    let started = Instant::now();
    let timed = loop {
        let timed = event_types(&store, &stream).await;
        if timed.iter().any(|t| t == "AcceptanceEnded") {
            break timed;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the acceptance ended: {timed:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    for once in ["DiscussionEnded", "AcceptanceStarted", "AcceptanceEnded"] {
        let n = timed.iter().filter(|t| *t == once).count();
        assert_eq!(n, 1, "{once} recorded {n} times: {timed:?}");
    }

    // Every acknowledged command is in the read models once.
    let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
    let rows: i64 =
        sqlx::query_scalar("SELECT count(*) FROM rm.announcements WHERE announcement_id = ANY($1)")
            .bind(&drafts)
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(rows as usize, drafts.len());
    let logged: i64 = store
        .count_after(None, &Filter::categories(["announcement", "plan_item"]))
        .await
        .unwrap() as i64;
    let (rows, applied): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM rm.timeline), events_applied
           FROM projection_generations WHERE projection = 'timeline' AND state = 'live'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!((rows, applied), (logged, logged), "each event applied once");
    let versions: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM rm.timeline WHERE stream_id = $1 ORDER BY version")
            .bind(format!("announcement-{watched}"))
            .fetch_all(&pool)
            .await
            .unwrap();
    let watched_stream = zakup_store::StreamId::new("announcement", watched).unwrap();
    let recorded = store
        .read_stream(&watched_stream, StreamRange::all())
        .await
        .unwrap();
    let recorded: Vec<i64> = recorded.iter().map(|e| e.version as i64).collect();
    assert_eq!(
        versions, recorded,
        "every event of the draft in the read model, once"
    );
    assert_eq!(versions.len(), drafted as usize + 1 + updates);

    // The subscriber on node-2 was told of every change after the draft, once each.
    let mut heard = Vec::new();
    while heard.len() < updates {
        let message = ws.next();
        assert_eq!(message["type"], "next", "{message}");
        heard.push(
            message["payload"]["data"]["announcementChanged"]["version"]
                .as_i64()
                .unwrap(),
        );
    }
    assert_eq!(
        heard,
        versions[drafted as usize + 1..],
        "every change, in order, once"
    );
    drop(nodes);
    let _ = std::fs::remove_dir_all(&data);
}

/// The stream's event types.
async fn event_types(
    store: &zakup_store::SharedStore,
    stream: &zakup_store::StreamId,
) -> Vec<String> {
    let events = store.read_stream(stream, StreamRange::all()).await.unwrap();
    events.into_iter().map(|e| e.event_type).collect()
}
