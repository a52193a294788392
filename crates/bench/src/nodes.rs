//! Workload 7 (issue 28, decision 0760): 1, 2 and 3 `zakup serve` processes on one database.
//! Workers send a command (`createDraft`) to one node and read it back with `minPosition` on the
//! next one, for a fixed time: the throughput per node count, and the CPU each process spent,
//! the lease holder's apart from the others'. With three nodes, the holder is then killed with
//! SIGKILL, a few commands go to the others, and the figure is the time from the kill to a lag of
//! 0 on the new holder.
//!
//! Raw baseline, measured right after each node count's window on the same database: the same
//! six closed loops on PostgreSQL alone, each inserting the event row a `createDraft` stored
//! (one statement, autocommit) on one connection and reading it back by its id on another.
//!
//! The nodes are real processes: the `zakup` binary beside this one (`cargo build --release -p
//! zakup` first); without it the workload is skipped and says so.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;
use zakup_api::{Principal, TokenKeys};
use zakup_domain::ident::{Bin, Iin};

use crate::Result;
use crate::cluster::BenchCluster;
use crate::http::Connection;
use crate::report::{Figure, Run};

const SECRET: &str = "zakup-bench-nodes-secret-0123456789ab";
const LEASE_TTL_MS: u64 = 2000;
/// Workers over all the nodes: the same offered load for each node count.
const WORKERS: usize = 6;

struct Node {
    child: Child,
    addr: String,
    id: String,
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The `zakup` binary built beside this one, if any.
fn binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let zakup = exe.parent()?.join("zakup");
    zakup.is_file().then_some(zakup)
}

pub async fn measure(cluster: &BenchCluster, seconds: f64, run: &mut Run) -> Result<()> {
    let Some(zakup) = binary() else {
        println!("   (workload 8 skipped: no zakup binary beside zakup-bench)");
        return Ok(());
    };
    let token = token()?;
    for count in 1..=3usize {
        let name = format!("nodes{count}");
        cluster.database(&name, 1).await?.close().await;
        let url = cluster.url(&name);
        let data = std::env::temp_dir().join(format!("zakup-bench-{name}-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&data)?;
        let mut nodes = Vec::new();
        for i in 0..count {
            nodes.push(start(&zakup, &url, &data, i).await?);
            if i == 0 {
                // The first node takes the leases: the others start as followers.
                let first = nodes[0].addr.clone();
                wait(Duration::from_secs(30), || {
                    let first = first.clone();
                    async move { holds(&first, "projections").await }
                })
                .await?;
            }
        }
        let ticks = |nodes: &[Node]| {
            nodes
                .iter()
                .map(|n| crate::cpu::ticks(n.child.id()).unwrap_or(0))
                .collect::<Vec<u64>>()
        };
        let before = ticks(&nodes);
        let (commands, queries) = load(&nodes, &token, seconds).await?;
        let cpu = spent(&before, &ticks(&nodes));
        let raw = raw_rate(&url, seconds).await?;
        let workload =
            format!("8. {count} node(s), {WORKERS} workers, command then read on the next node");
        for (metric, unit, value, baseline) in [
            ("commands", "/s", commands / seconds, Some(raw)),
            ("reads", "/s", queries / seconds, None),
            ("holder CPU", "s", cpu[0], None),
        ] {
            run.add(Figure {
                workload: workload.clone(),
                metric,
                unit,
                engine: Ok(value),
                baseline,
                goal: "",
                met: None,
            });
        }
        if count > 1 {
            // Serving a share of the load, then with every request sent to the holder (what
            // following the holder's projections costs the others, at that rate), then with no
            // load at all (the floor: lease renewals and the periodic look at the checkpoints).
            let others = |cpu: Vec<f64>| cpu[1..].iter().sum::<f64>() / (count - 1) as f64;
            let serving = others(cpu);
            let before = ticks(&nodes);
            let (to_holder, _) = load(&nodes[..1], &token, seconds).await?;
            let following = others(spent(&before, &ticks(&nodes)));
            let before = ticks(&nodes);
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            let idle = others(spent(&before, &ticks(&nodes)));
            for (metric, unit, value) in [
                ("non-holder CPU, serving", "s", serving),
                ("commands, all to the holder", "/s", to_holder / seconds),
                ("non-holder CPU, following only", "s", following),
                ("non-holder CPU, no load", "s", idle),
            ] {
                run.add(Figure {
                    workload: workload.clone(),
                    metric,
                    unit,
                    engine: Ok(value),
                    baseline: None,
                    goal: "",
                    met: None,
                });
            }
        }
        if count == 3 {
            let failover = failover(&mut nodes, &token).await?;
            run.add(Figure {
                workload: format!(
                    "8. kill -9 of the holder of 3 nodes (lease {LEASE_TTL_MS} ms) → lag 0"
                ),
                metric: "failover",
                unit: "s",
                engine: Ok(failover),
                baseline: None,
                goal: "≤ 4/3 of the lease time + catch-up",
                met: None,
            });
        }
        drop(nodes);
        let _ = std::fs::remove_dir_all(&data);
    }
    Ok(())
}

/// Cycles/s of the raw baseline: `WORKERS` loops, each inserting a copy of the first event a
/// `createDraft` stored into a table of the event table's shape (indexes included) on one
/// connection, then reading it back by its id on another, for `seconds`.
async fn raw_rate(url: &str, seconds: f64) -> Result<f64> {
    use sqlx::Connection as _;
    let mut admin = sqlx::PgConnection::connect(url).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS raw_events (LIKE es_events INCLUDING ALL)")
        .execute(&mut admin)
        .await?;
    let sample: (String, i32, Value, Value) = sqlx::query_as(
        "SELECT event_type, schema_version, payload, metadata FROM es_events
          WHERE category = 'announcement' ORDER BY global_position LIMIT 1",
    )
    .fetch_one(&mut admin)
    .await?;
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let workers = (0..WORKERS).map(|_| {
        let sample = sample.clone();
        async move {
            let mut write = sqlx::PgConnection::connect(url).await?;
            let mut read = sqlx::PgConnection::connect(url).await?;
            let stream = format!("raw-{}", Uuid::new_v4());
            let mut done = 0u64;
            while Instant::now() < until {
                let id = Uuid::new_v4();
                sqlx::query(
                    "INSERT INTO raw_events (stream_id, category, version, event_id, event_type,
                         schema_version, payload, metadata, hash)
                     VALUES ($1, 'announcement', $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&stream)
                .bind(done as i64)
                .bind(id)
                .bind(&sample.0)
                .bind(sample.1)
                .bind(&sample.2)
                .bind(&sample.3)
                .bind("0".repeat(64))
                .execute(&mut write)
                .await?;
                sqlx::query("SELECT payload FROM raw_events WHERE event_id = $1")
                    .bind(id)
                    .fetch_one(&mut read)
                    .await?;
                done += 1;
            }
            Ok::<_, crate::Error>(done)
        }
    });
    let mut total = 0.0;
    for done in futures::future::join_all(workers).await {
        total += done? as f64;
    }
    Ok(total / seconds)
}

/// CPU seconds per process between two readings of their ticks.
fn spent(before: &[u64], after: &[u64]) -> Vec<f64> {
    before
        .iter()
        .zip(after)
        .map(|(b, a)| a.saturating_sub(*b) as f64 / crate::cpu::TICKS_PER_SECOND)
        .collect()
}

async fn start(zakup: &PathBuf, url: &str, data: &std::path::Path, i: usize) -> Result<Node> {
    let addr = {
        let l = std::net::TcpListener::bind("127.0.0.1:0")?;
        l.local_addr()?.to_string()
    };
    let id = format!("node-{i}");
    let child = Command::new(zakup)
        .arg("serve")
        .env("DATABASE_URL", url)
        .env("ZAKUP_DATA_DIR", data)
        .env("ZAKUP_ADDR", &addr)
        .env("ZAKUP_JWT_SECRET", SECRET)
        .env("ZAKUP_NODE_ID", &id)
        .env("ZAKUP_LEASE_TTL_MS", LEASE_TTL_MS.to_string())
        // The workers share one token: the per-viewer limit (decision 0682) would measure itself.
        .env("ZAKUP_RATE_LIMIT_PER_SECOND", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()?;
    let node = Node { child, addr, id };
    wait(Duration::from_secs(60), || {
        let addr = node.addr.clone();
        async move { health(&addr).await.is_some() }
    })
    .await?;
    Ok(node)
}

/// `WORKERS` loops, worker `w` on node `w % n` of `nodes`: a new draft there, then the
/// announcements list with its position on the next node. Counts the commands and reads
/// answered.
async fn load(nodes: &[Node], token: &str, seconds: f64) -> Result<(f64, f64)> {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let addrs: Vec<std::net::SocketAddr> = nodes
        .iter()
        .map(|n| n.addr.parse())
        .collect::<std::result::Result<_, _>>()?;
    let workers = (0..WORKERS).map(|w| {
        let (here, there) = (addrs[w % addrs.len()], addrs[(w + 1) % addrs.len()]);
        async move {
            let (mut write, mut read) = (Connection::open(here).await?, Connection::open(there).await?);
            let (mut commands, mut reads) = (0u64, 0u64);
            while Instant::now() < until {
                let position = create(&mut write, token).await?;
                commands += 1;
                let q = "query ($p: String) { announcements(minPosition: $p, first: 1) { nodes { id } } }";
                let body = json!({"query": q, "variables": {"p": position}}).to_string();
                read.graphql(Some(token), body.as_bytes()).await?;
                reads += 1;
            }
            Ok::<_, crate::Error>((commands, reads))
        }
    });
    let mut total = (0.0, 0.0);
    for done in futures::future::join_all(workers).await {
        let (c, r) = done?;
        total.0 += c as f64;
        total.1 += r as f64;
    }
    Ok(total)
}

async fn create(connection: &mut Connection, token: &str) -> Result<Value> {
    let q = "mutation ($c: UUID!, $a: UUID!, $h: HeaderInput!) { createDraft(commandId: $c, \
             announcementId: $a, number: \"7-1\", header: $h) { position } }";
    let header = json!({"method": "open_tender", "procurementType": "first",
        "subjectType": "goods", "nameKk": "Қағаз", "nameRu": "Бумага",
        "amongDisabledOrganizations": false, "singleOrganizer": false});
    let variables = json!({"c": Uuid::new_v4(), "a": Uuid::new_v4(), "h": header});
    let body = json!({"query": q, "variables": variables}).to_string();
    let answer: Value =
        serde_json::from_slice(&connection.graphql(Some(token), body.as_bytes()).await?)?;
    Ok(answer["data"]["createDraft"]["position"].clone())
}

/// Kills the holder of the projections' lease, sends 20 commands to the other nodes, and times
/// from the kill until another node holds the lease and its lag is 0.
async fn failover(nodes: &mut Vec<Node>, token: &str) -> Result<f64> {
    let mut holder = None;
    for (i, n) in nodes.iter().enumerate() {
        if holds(&n.addr, "projections").await {
            holder = Some(i);
        }
    }
    let mut dead = nodes.remove(holder.ok_or("no node holds the projections' lease")?);
    let killed = Instant::now();
    dead.child.kill()?;
    let _ = dead.child.wait();
    let mut connection = Connection::open(nodes[0].addr.parse()?).await?;
    for _ in 0..20 {
        create(&mut connection, token).await?;
    }
    let nodes = &*nodes;
    wait(Duration::from_secs(120), || async move {
        for n in nodes {
            if holds(&n.addr, "projections").await && lag(&n.addr).await == Some(0) {
                return true;
            }
        }
        false
    })
    .await?;
    println!("   (workload 8: {} killed)", dead.id);
    Ok(killed.elapsed().as_secs_f64())
}

async fn wait<F: Future<Output = bool>>(
    bound: Duration,
    mut done: impl FnMut() -> F,
) -> Result<()> {
    let deadline = Instant::now() + bound;
    while Instant::now() < deadline {
        if done().await {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    Err(format!("not within {bound:?}").into())
}

async fn health(addr: &str) -> Option<Value> {
    let mut s = tokio::net::TcpStream::connect(addr).await.ok()?;
    let request = format!("GET /health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).await.ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).await.ok()?;
    serde_json::from_str(raw.split_once("\r\n\r\n")?.1).ok()
}

async fn holds(addr: &str, lease: &str) -> bool {
    health(addr).await.is_some_and(|h| {
        h["leases"]["held"]
            .as_array()
            .is_some_and(|held| held.iter().any(|l| l == lease))
    })
}

/// The largest lag of the node's read models, in events.
async fn lag(addr: &str) -> Option<u64> {
    let h = health(addr).await?;
    h["projections"]
        .as_array()?
        .iter()
        .map(|p| p["lagEvents"].as_u64())
        .try_fold(0, |max, lag| lag.map(|l| l.max(max)))
}

fn token() -> Result<String> {
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 20 + k)).ok())
        .ok_or("no ИИН")?;
    let bin = (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", 20 + k)).ok())
        .ok_or("no БИН")?;
    let who = Principal {
        user_id: "organizer".into(),
        iin: iin.to_string(),
        org_bin: bin.to_string(),
        roles: vec!["organizer".into()],
    };
    Ok(TokenKeys::hmac(SECRET.as_bytes())?.issue(&who, chrono::Duration::hours(1))?)
}
