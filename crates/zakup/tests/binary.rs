//! The `zakup` binary on a fresh data folder with no configuration: the embedded PostgreSQL
//! default, persistence across restarts, replay and tamper detection.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use uuid::Uuid;
use zakup_store::contract::command;
use zakup_store::{EventStore, ExpectedVersion, StreamId};

#[path = "binary/audit.rs"]
mod audit;
#[path = "binary/nodes.rs"]
mod nodes;
#[path = "binary/privacy.rs"]
mod privacy;

fn zakup(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zakup"));
    // No configuration: the embedded default, whatever the test runner's environment says.
    c.env_remove("DATABASE_URL").env("ZAKUP_DATA_DIR", data);
    c
}

fn run(data: &Path, args: &[&str]) -> Output {
    zakup(data).args(args).output().expect("zakup runs")
}

fn free_addr() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().to_string()
}

fn get(addr: &str, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = String::new();
    s.read_to_string(&mut raw).ok()?;
    let status = raw.split(' ').nth(1)?.parse().ok()?;
    let body = raw
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

struct Server(Child);
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn serve(data: &Path) -> (Server, String) {
    serve_logging_to(data, Stdio::null())
}

fn serve_logging_to(data: &Path, log: Stdio) -> (Server, String) {
    let addr = free_addr();
    let child = zakup(data)
        .args(["serve"])
        .env("ZAKUP_ADDR", &addr)
        .env_remove("ZAKUP_LOG_FORMAT")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some((200, _)) = get(&addr, "/health") {
            return (server, addr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("zakup serve did not answer /health within 60 s");
}

async fn append_events(data: &Path, stream: &StreamId) {
    let cluster = zakup_pgcluster::ensure_running(&data.join("postgres"))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    let store = zakup_store_pg::PgStore::connect(pool).await.unwrap();
    for v in 0..3u64 {
        let events = command(
            Uuid::new_v4(),
            &[("Step", json!({"v": v, "reason": "тест"}))],
        );
        store
            .append(stream, ExpectedVersion::after(v.checked_sub(1)), events)
            .await
            .unwrap();
    }
}

/// A draft open tender, created through the engine as `zakup serve` would.
async fn draft_announcement(data: &Path) -> Uuid {
    use zakup_domain::actor::{Actor, Role};
    use zakup_domain::announcement::AnnouncementCommand;
    use zakup_domain::announcement::header::{Header, Method, ProcurementType, SubjectType};
    use zakup_domain::ident::{Bin, Iin};

    let cluster = zakup_pgcluster::ensure_running(&data.join("postgres"))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    let store = zakup_store_pg::PgStore::connect(pool).await.unwrap();
    let calendar = std::sync::Arc::new(zakup_domain::calendar::Calendar::embedded().unwrap());
    let engine = zakup_engine::Engine::new(
        store,
        std::sync::Arc::new(zakup_engine::SystemClock),
        calendar,
    );
    let iin = (0..20)
        .find_map(|k| Iin::from_prefix(&format!("8501013{:04}", 20 + k)).ok())
        .unwrap();
    let bin = (0..20)
        .find_map(|k| Bin::from_prefix(&format!("050140{:05}", 20 + k)).ok())
        .unwrap();
    let actor = Actor {
        user_id: "organizer".into(),
        iin,
        org: bin,
        roles: vec![Role::Organizer],
    };
    let id = Uuid::new_v4();
    let header = Header {
        method: Method::OpenTender,
        procurement_type: ProcurementType::First,
        subject_type: SubjectType::Goods,
        name_kk: "Қағаз сатып алу".into(),
        name_ru: "Закуп бумаги".into(),
        among_disabled_organizations: false,
        single_organizer: false,
    };
    let meta = zakup_engine::CommandMeta {
        command_id: Uuid::new_v4(),
        correlation_id: None,
        causation_id: None,
        actor,
        unread_notices: Default::default(),
    };
    let create = AnnouncementCommand::CreateDraft {
        announcement_id: id,
        number: "12345678-1".into(),
        header,
    };
    engine.announcement(id, &meta, create).await.unwrap();
    id
}

async fn stop_cluster(data: &Path) {
    let cluster = zakup_pgcluster::ClusterConfig::new(data.join("postgres"))
        .start()
        .await
        .unwrap();
    cluster.stop().await.unwrap();
}

/// Issue "Foundation", done-when: on a fresh folder with no configuration `zakup serve` starts
/// and `GET /health` answers; stopped and started again (PostgreSQL included), it still has its
/// events.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_on_the_embedded_default_and_keeps_events_across_restarts() {
    let data = std::env::temp_dir().join(format!("zakup-binary-{}", Uuid::new_v4()));
    let (server, addr) = serve(&data);
    let (_, health) = get(&addr, "/health").unwrap();
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["eventStore"]["backend"], "postgres");
    let (code, metrics) = get(&addr, "/metrics").unwrap();
    assert_eq!(code, 200);
    assert!(
        metrics.contains("zakup_oldest_transaction_seconds "),
        "{metrics}"
    );
    assert!(
        metrics.contains("zakup_projection_lag_events{projection=\"timeline\"}"),
        "{metrics}"
    );

    let stream = StreamId::new("sample", Uuid::new_v4()).unwrap();
    append_events(&data, &stream).await;
    let announcement = draft_announcement(&data).await;
    drop(server);
    stop_cluster(&data).await;

    let (_server, addr) = serve(&data);
    assert!(get(&addr, "/health").is_some_and(|(c, _)| c == 200));
    let replay = run(&data, &["replay", stream.as_str()]);
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let out: Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(
        out["events"].as_array().unwrap().len(),
        3,
        "events survive a restart"
    );

    assert_eq!(out["state"], Value::Null, "no aggregate for this category");

    // An announcement replays into its folded state, in the portal's own terms.
    let replay = run(&data, &["replay", &format!("announcement-{announcement}")]);
    assert!(
        replay.status.success(),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let out: Value = serde_json::from_slice(&replay.stdout).unwrap();
    assert_eq!(out["state"]["status"]["id"], "draft");
    assert_eq!(out["state"]["status"]["original"], "Проект");

    let as_of = run(&data, &["replay", stream.as_str(), "--as-of", "1"]);
    let out: Value = serde_json::from_slice(&as_of.stdout).unwrap();
    assert_eq!(out["version"], 1);
    let bad = run(&data, &["replay", stream.as_str(), "--as-of", "yesterday"]);
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("neither a version nor an RFC 3339 instant")
    );

    let verify = run(&data, &["verify"]);
    assert!(verify.status.success());
    assert!(String::from_utf8_lossy(&verify.stdout).contains("5 events"));
    drop(_server);
    stop_cluster(&data).await;
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue "Foundation", done-when: a test alters an event row in PostgreSQL and `zakup verify`
/// names the broken stream and version.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn verify_names_a_tampered_event() {
    let data = std::env::temp_dir().join(format!("zakup-verify-{}", Uuid::new_v4()));
    let stream = StreamId::new("announcement", Uuid::new_v4()).unwrap();
    append_events(&data, &stream).await;
    let cluster = zakup_pgcluster::ClusterConfig::new(data.join("postgres"))
        .start()
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    sqlx::query("UPDATE es_events SET metadata = jsonb_set(metadata, '{actor,iin}', '\"000000000000\"') WHERE stream_id = $1 AND version = 1")
        .bind(stream.as_str())
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let verify = run(&data, &["verify"]);
    assert_eq!(verify.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(
        stdout.contains(&format!("stream {stream} version 1")),
        "{stdout}"
    );
    cluster.stop().await.unwrap();
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue 26, done-when: "a production start without configuration fails with a clear message"
/// (decision 0626), naming every setting to give, before anything is started.
#[test]
fn a_production_start_without_configuration_fails_naming_every_missing_setting() {
    let data = std::env::temp_dir().join(format!("zakup-prod-{}", Uuid::new_v4()));
    let mut command = zakup(&data);
    for unset in [
        "ZAKUP_CONFIG",
        "ZAKUP_DATABASE_URL",
        "ZAKUP_JWT_SECRET",
        "ZAKUP_JWT_PUBLIC_KEY",
        "ZAKUP_OPERATOR_BIN",
        "ZAKUP_OPERATOR_IIN",
    ] {
        command.env_remove(unset);
    }
    let out = command
        .env("ZAKUP_MODE", "production")
        .arg("serve")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the production configuration is not valid"),
        "{stderr}"
    );
    for needed in [
        "ZAKUP_DATABASE_URL",
        "ZAKUP_JWT_SECRET",
        "ZAKUP_OPERATOR_BIN",
    ] {
        assert!(stderr.contains(needed), "{needed} in {stderr}");
    }
    assert!(!data.join("postgres").exists(), "nothing was started");
}

/// Issue 26, defect 8 (decision 0625): SIGTERM stops `zakup serve` at once, and the embedded
/// cluster it started stops with it; `/health` and the log label the development defaults
/// (decision 0626); the log is JSON lines (decision 0629); `zakup db start|status|stop` manage
/// the cluster for operators.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_serve_and_the_embedded_cluster_it_started() {
    let data = std::env::temp_dir().join(format!("zakup-sigterm-{}", Uuid::new_v4()));
    let cluster = zakup_pgcluster::ClusterConfig::new(data.join("postgres"));
    std::fs::create_dir_all(&data).unwrap();
    let log_path = data.join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let (mut server, addr) = serve_logging_to(&data, Stdio::from(log));
    let (_, health) = get(&addr, "/health").unwrap();
    let health: Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health["deployment"]["mode"], "development", "{health}");
    assert_eq!(health["deployment"]["database"], "embedded", "{health}");
    assert_eq!(
        health["deployment"]["defaults"],
        json!(["embedded_database", "generated_jwt_secret", "demo_operator"])
    );
    assert!(cluster.is_running());

    stop_with(&mut server, "TERM");
    assert!(!cluster.is_running(), "the embedded cluster outlived serve");
    let log: Vec<Value> = std::fs::read_to_string(&log_path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    // Not the first warning: on a loaded machine sqlx warns of slow statements before it.
    let warning = log
        .iter()
        .find(|l| {
            l["level"] == "WARN"
                && l["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("DEVELOPMENT MODE"))
        })
        .unwrap_or_else(|| panic!("the development warning in {log:?}"));
    assert_eq!(
        warning["defaults"],
        "embedded_database, generated_jwt_secret, demo_operator"
    );
    assert!(log.iter().any(|l| l["signal"] == "SIGTERM"), "{log:?}");

    assert_eq!(run(&data, &["db", "status"]).status.code(), Some(3));
    assert!(run(&data, &["db", "start"]).status.success());
    assert!(cluster.is_running());
    assert_eq!(run(&data, &["db", "status"]).status.code(), Some(0));
    // A command that found the cluster running leaves it running.
    assert!(run(&data, &["verify"]).status.success());
    assert!(cluster.is_running());
    assert!(run(&data, &["db", "stop"]).status.success());
    assert!(!cluster.is_running());
    let _ = std::fs::remove_dir_all(&data);
}

/// Sends SIG`signal` to `server`, which must then exit, successfully (30 s is no timing bound:
/// it tells a stop from a hang).
fn stop_with(server: &mut Server, signal: &str) {
    let pid = server.0.id().to_string();
    let kill = Command::new("kill")
        .args([format!("-{signal}"), pid])
        .status()
        .unwrap();
    assert!(kill.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.0.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "zakup serve ignored SIG{signal}");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "{status:?}");
}

/// Issue 26, defect 7 (decision 0625): with its database stopped under it, `zakup serve` says so
/// in `/health` (503) instead of hanging, and SIGINT still stops it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigint_stops_serve_while_its_database_is_down() {
    let data = std::env::temp_dir().join(format!("zakup-sigint-{}", Uuid::new_v4()));
    let (mut server, addr) = serve(&data);
    assert!(run(&data, &["db", "stop"]).status.success());
    let (status, health) = get(&addr, "/health").expect("/health answers");
    assert_eq!(status, 503, "{health}");
    stop_with(&mut server, "INT");
    let _ = std::fs::remove_dir_all(&data);
}

/// `zakup serve --sandbox` on `data`, once it answers `/health`.
fn serve_sandbox(data: &Path) -> (Server, String) {
    let addr = free_addr();
    let child = zakup(data)
        .args(["serve", "--sandbox"])
        .env("ZAKUP_ADDR", &addr)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Server(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some((200, _)) = get(&addr, "/health") {
            return (server, addr);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("zakup serve --sandbox did not answer /health within 60 s");
}

/// Runs `args`, which must fail within two minutes; its stderr.
fn refused(data: &Path, args: &[&str]) -> String {
    let mut child = zakup(data)
        .args(args)
        .env("ZAKUP_ADDR", free_addr())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("zakup {args:?} did not stop");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(
        !status.success(),
        "zakup {args:?} was not refused: {stderr}"
    );
    stderr
}

async fn count_events(data: &Path) -> u64 {
    let cluster = zakup_pgcluster::ensure_running(&data.join("postgres"))
        .await
        .unwrap();
    let pool = sqlx::PgPool::connect(&cluster.database_url(zakup_pgcluster::APP_DATABASE))
        .await
        .unwrap();
    let store = zakup_store_pg::PgStore::connect(pool).await.unwrap();
    store
        .count_after(None, &zakup_store::Filter::all())
        .await
        .unwrap()
}

/// Issue 22 item 5: the README's steps in order, `zakup serve --sandbox` then `zakup demo` on
/// the same data directory, give the whole demo; the server's clock follows the demo's moves,
/// and a second run reports the data set loaded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_then_demo_on_the_same_data_directory_gives_the_full_demo() {
    let data = std::env::temp_dir().join(format!("zakup-sandbox-demo-{}", Uuid::new_v4()));
    let (server, addr) = serve_sandbox(&data);
    let demo = run(&data, &["demo"]);
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(
        demo.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    for status in [
        "завершён",
        "отменён",
        "приостановлен",
        "приём заявок",
        "проект",
    ] {
        assert!(stdout.contains(status), "{status} in {stdout}");
    }
    // The demo's story is 90 days long: the server's clock follows it there.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, health) = get(&addr, "/health").unwrap();
        let health: Value = serde_json::from_str(&health).unwrap();
        let now: chrono::DateTime<chrono::Utc> = health["sandbox"]["now"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no sandbox time: {health}"));
        if now > chrono::Utc::now() + chrono::Duration::days(80) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the server did not follow: {health}"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let again = run(&data, &["demo"]);
    assert!(again.status.success());
    assert!(String::from_utf8_lossy(&again.stdout).contains("already loaded"));
    drop(server);
    stop_cluster(&data).await;
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue 22, "done when": `zakup demo` works whichever of the README's commands ran first. A
/// newcomer runs the first command (`zakup serve`, a real server), stops it with Ctrl-C, then
/// follows the sandbox steps on the same data directory: the real server wrote no records, so the
/// sandbox server and the demo accept the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readmes_first_command_then_the_sandbox_steps_give_the_demo() {
    let data = std::env::temp_dir().join(format!("zakup-first-serve-{}", Uuid::new_v4()));
    let (mut server, _) = serve(&data);
    let pid = server.0.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.0.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "zakup serve ignored SIGINT");
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(server);

    let (sandbox, _) = serve_sandbox(&data);
    let demo = run(&data, &["demo"]);
    let stdout = String::from_utf8_lossy(&demo.stdout);
    assert!(
        demo.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    assert!(stdout.contains("завершён"), "{stdout}");
    drop(sandbox);
    stop_cluster(&data).await;
    let _ = std::fs::remove_dir_all(&data);
}

/// Issue 22 item 3: a real server refuses a sandbox's database (here the demo's), and a sandbox
/// (server or demo) refuses a database with real records, each saying what to do and writing
/// nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_and_sandbox_databases_refuse_each_other() {
    let sandboxed = std::env::temp_dir().join(format!("zakup-sandboxed-{}", Uuid::new_v4()));
    let demo = run(&sandboxed, &["demo"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let stderr = refused(&sandboxed, &["serve"]);
    assert!(stderr.contains("sandbox_database_mismatch"), "{stderr}");
    assert!(stderr.contains("zakup serve --sandbox"), "{stderr}");

    let real = std::env::temp_dir().join(format!("zakup-real-{}", Uuid::new_v4()));
    let stream = StreamId::new("sample", Uuid::new_v4()).unwrap();
    append_events(&real, &stream).await;
    stop_cluster(&real).await;
    let stderr = refused(&real, &["serve", "--sandbox"]);
    assert!(stderr.contains("sandbox_database_mismatch"), "{stderr}");
    assert!(stderr.contains("production records"), "{stderr}");
    let stderr = refused(&real, &["demo"]);
    assert!(stderr.contains("zakup serve --sandbox"), "{stderr}");
    assert_eq!(count_events(&real).await, 3, "nothing written");
    stop_cluster(&real).await;
    stop_cluster(&sandboxed).await;
    let _ = std::fs::remove_dir_all(&sandboxed);
    let _ = std::fs::remove_dir_all(&real);
}
