//! Workloads 2 and 6: the GraphQL API over HTTP, served by `zakup_api::serve` on 127.0.0.1.
//!
//! Workload 2 sends the votes of workload 1 as `castVote`/`withdrawVote` mutations with bearer
//! tokens. Workload 6 runs its load client in a second process (this binary with
//! `--load-client`), so client and server do not share a runtime: a steady, open-loop rate of
//! list queries, each latency measured from the instant the request was due, so a slow answer
//! delays nothing it should not and no queueing is hidden.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_api::{AppState, Principal, TokenKeys};
use zakup_domain::actor::Actor;
use zakup_domain::announcement::AnnouncementCommand;

use crate::Result;
use crate::commands::Votes;
use crate::http::Connection;
use crate::report::percentile;
use crate::world::voters;

pub struct Server {
    pub addr: SocketAddr,
    stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub async fn start(state: AppState) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(zakup_api::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Ok(Server { addr, stop, task })
    }

    pub async fn stop(self) -> Result<()> {
        let _ = self.stop.send(());
        self.task.await??;
        Ok(())
    }
}

/// A random HMAC key: the tokens live as long as the run.
pub fn token_keys() -> Result<TokenKeys> {
    let secret: Vec<u8> = (0..2).flat_map(|_| Uuid::new_v4().into_bytes()).collect();
    Ok(TokenKeys::hmac(&secret)?)
}

fn token(keys: &TokenKeys, actor: &Actor) -> Result<String> {
    let who = Principal {
        user_id: actor.user_id.clone(),
        iin: actor.iin.to_string(),
        org_bin: actor.org.to_string(),
        roles: actor.roles.iter().map(|r| r.id().to_owned()).collect(),
    };
    Ok(keys.issue(&who, chrono::Duration::hours(1))?)
}

const CAST: &str = "mutation($c: UUID!, $a: UUID!, $p: UUID!, $b: BallotInput!) { \
    castVote(commandId: $c, announcementId: $a, applicationId: $p, ballot: $b) { version } }";
const WITHDRAW: &str = "mutation($c: UUID!, $a: UUID!, $p: UUID!) { \
    withdrawVote(commandId: $c, announcementId: $a, applicationId: $p) { version } }";

fn mutation(announcement: Uuid, command: AnnouncementCommand) -> Result<Vec<u8>> {
    let body = match command {
        AnnouncementCommand::CastVote {
            application_id,
            ballot,
        } => json!({"query": CAST, "variables": {
            "c": Uuid::new_v4(), "a": announcement, "p": application_id.0,
            "b": camel_case_keys(serde_json::to_value(&ballot)?)}}),
        AnnouncementCommand::WithdrawVote { application_id } => json!({"query": WITHDRAW,
            "variables": {"c": Uuid::new_v4(), "a": announcement, "p": application_id.0}}),
        other => return Err(format!("not a vote: {other:?}").into()),
    };
    Ok(serde_json::to_vec(&body)?)
}

/// The domain's value in the shape of its GraphQL input: the event schema's field names in
/// camelCase; the values (enumeration ids included) stay as they are.
fn camel_case_keys(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .map(|(k, v)| (camel_case(&k), camel_case_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_case_keys).collect()),
        other => other,
    }
}

fn camel_case(snake: &str) -> String {
    let mut parts = snake.split('_');
    let first = parts.next().unwrap_or_default().to_owned();
    parts.fold(first, |mut name, part| {
        let mut chars = part.chars();
        if let Some(c) = chars.next() {
            name.extend(c.to_uppercase());
            name.push_str(chars.as_str());
        }
        name
    })
}

pub struct Mutations {
    pub rate: f64,
    /// Sorted latencies, milliseconds.
    pub latencies: Vec<f64>,
}

/// Workload 1's votes as mutations: `clients` connections, each on its own announcements, as
/// fast as the server answers, for `duration`.
pub async fn mutation_rate(
    addr: SocketAddr,
    keys: &TokenKeys,
    announcements: &[Uuid],
    clients: usize,
    duration: Duration,
) -> Result<Mutations> {
    let tokens: Arc<HashMap<String, String>> = Arc::new(
        voters()
            .iter()
            .map(|v| Ok((v.user_id.clone(), token(keys, v)?)))
            .collect::<Result<_>>()?,
    );
    let started = Instant::now();
    let end = started + duration;
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let tokens = tokens.clone();
            let mut mine: Vec<Votes> = announcements
                .iter()
                .skip(c)
                .step_by(clients)
                .map(|id| Votes::new(*id))
                .collect();
            tokio::spawn(async move {
                let mut connection = Connection::open(addr).await?;
                let mut latencies = Vec::new();
                while Instant::now() < end {
                    let next = latencies.len() % mine.len();
                    let votes = &mut mine[next];
                    let (actor, command) = votes.next();
                    let body = mutation(votes.id, command)?;
                    let sent = Instant::now();
                    connection
                        .graphql(tokens.get(&actor.user_id).map(String::as_str), &body)
                        .await?;
                    latencies.push(sent.elapsed().as_secs_f64() * 1e3);
                }
                Ok::<_, crate::Error>(latencies)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    for t in tasks {
        latencies.extend(t.await??);
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    Ok(Mutations { rate, latencies })
}

/// The list query of workload 6: the first page of «Поиск объявлений», as a visitor's browser
/// asks for it (no token needed).
const LIST: &str = "{ announcements(first: 20) { edges { node { id number nameRu \
    status { id original } method { original } totalAmount acceptanceEnd } } \
    pageInfo { hasNextPage } } }";

/// What the load client reports on its one line of output.
pub struct Load {
    pub sent: usize,
    /// Requests not answered within the bound: the percentiles are then lower bounds.
    pub unanswered: usize,
    pub p50: f64,
    pub p99: f64,
    pub max: f64,
    /// The load client's own CPU time.
    pub cpu_seconds: f64,
}

/// Runs the load client in a second process and reads its figures.
pub async fn list_load(addr: SocketAddr, rate: u32, seconds: f64) -> Result<Load> {
    let mut child = tokio::process::Command::new(std::env::current_exe()?)
        .args([
            "--load-client",
            &addr.to_string(),
            &rate.to_string(),
            &seconds.to_string(),
        ])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = child.stdout.take().ok_or("the load client has no stdout")?;
    // Warm-up, measured run, and a margin; the child also bounds itself.
    let limit = Duration::from_secs_f64(seconds + 60.0);
    let output = tokio::time::timeout(limit, async {
        use tokio::io::AsyncReadExt;
        let mut out = String::new();
        tokio::io::BufReader::new(stdout)
            .read_to_string(&mut out)
            .await?;
        let status = child.wait().await?;
        Ok::<_, crate::Error>((status, out))
    })
    .await
    .map_err(|_| "the load client did not finish in time")??;
    let (status, out) = output;
    if !status.success() {
        return Err(format!("the load client failed: {out}").into());
    }
    let numbers: Vec<f64> = out
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match numbers[..] {
        [sent, unanswered, p50, p99, max, cpu_seconds] => Ok(Load {
            sent: sent as usize,
            unanswered: unanswered as usize,
            p50,
            p99,
            max,
            cpu_seconds,
        }),
        _ => Err(format!("unreadable load client output {out:?}").into()),
    }
}

/// Connections the load client spreads its rate over: a browser-like fan-in that keeps each
/// connection's own rate low enough that one slow answer rarely holds up the next request.
const CONNECTIONS: u32 = 32;

/// The second process: `rate` list queries per second for `seconds` after one second of warm-up,
/// then one line `sent unanswered p50 p99 max cpu` (milliseconds; its own CPU seconds). Bounded: it sends at most
/// `rate × seconds` measured requests and stops waiting 10 s after the last one was due. A request
/// still unanswered then counts with the time it had waited, so the percentiles are lower bounds
/// when `unanswered` is not zero.
pub async fn load_client(addr: &str, rate: &str, seconds: &str) -> Result<()> {
    let addr: SocketAddr = addr.parse()?;
    let rate: u32 = rate.parse()?;
    let seconds: f64 = seconds.parse()?;
    let body = Arc::new(serde_json::to_vec(&json!({ "query": LIST }))?);
    let per_connection = f64::from(rate) / f64::from(CONNECTIONS);
    let measured = (per_connection * seconds).ceil() as usize;
    let warm_up = per_connection.ceil() as usize;
    let period = Duration::from_secs_f64(1.0 / per_connection);
    let start = tokio::time::Instant::now();
    let deadline = start + period * (warm_up + measured) as u32 + Duration::from_secs(10);
    let tasks: Vec<_> = (0..CONNECTIONS)
        .map(|c| {
            let body = body.clone();
            tokio::spawn(async move {
                let mut connection = Connection::open(addr).await?;
                // Spread the connections' ticks over one period.
                let first = start + period.mul_f64(f64::from(c) / f64::from(CONNECTIONS));
                let mut tick = tokio::time::interval_at(first, period);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
                let mut latencies = Vec::with_capacity(measured);
                let mut unanswered = 0;
                for n in 0..warm_up + measured {
                    let due = tick.tick().await;
                    let answer =
                        tokio::time::timeout_at(deadline, connection.graphql(None, &body)).await;
                    match answer {
                        Ok(answered) => {
                            answered?;
                            if n >= warm_up {
                                latencies.push(due.elapsed().as_secs_f64() * 1e3);
                            }
                        }
                        Err(_) => {
                            // This request and every later one waited at least until the
                            // deadline.
                            for k in n.max(warm_up)..warm_up + measured {
                                let due = first + period * k as u32;
                                latencies.push((deadline - due).as_secs_f64() * 1e3);
                                unanswered += 1;
                            }
                            break;
                        }
                    }
                }
                Ok::<_, crate::Error>((latencies, unanswered))
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut unanswered = 0;
    for t in tasks {
        let (mine, missed) = t.await??;
        latencies.extend(mine);
        unanswered += missed;
    }
    latencies.sort_by(f64::total_cmp);
    println!(
        "{} {unanswered} {:.3} {:.3} {:.3} {:.2}",
        latencies.len(),
        percentile(&latencies, 50.0),
        percentile(&latencies, 99.0),
        latencies.last().copied().unwrap_or(f64::NAN),
        crate::cpu::own_seconds()
    );
    Ok(())
}
