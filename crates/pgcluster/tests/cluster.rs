//! Real PostgreSQL, started from the system's binaries. Every test that starts a cluster uses
//! its own scratch folder, so tests run in parallel threads or processes do not interfere.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sqlx::postgres::PgConnection;
use sqlx::{Connection, Row};
use zakup_pgcluster::{
    APP_DATABASE, Cluster, ClusterConfig, ClusterError, ensure_running, test_database,
    test_database_on,
};

/// A scratch folder for one test; on drop, stops any server in it and removes it.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Self {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.subsec_nanos());
        let dir = std::env::temp_dir()
            .join("zakup-pgcluster-tests")
            .join(format!("{test}-{}-{nanos}", std::process::id()));
        Self { dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // SIGINT is PostgreSQL's fast shutdown; wait for the process to go before removing
        // the folder it writes into.
        let pid = std::fs::read_to_string(self.dir.join("postmaster.pid"))
            .ok()
            .and_then(|file| file.lines().next().map(str::to_owned));
        if let Some(pid) = pid {
            let _ = Command::new("kill").args(["-INT", &pid]).status();
            let deadline = Instant::now() + Duration::from_secs(10);
            while Path::new("/proc").join(&pid).exists() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url)
        .await
        .unwrap_or_else(|error| panic!("connect to {url}: {error}"))
}

async fn start_time(cluster: &Cluster) -> String {
    let mut conn = connect(&cluster.database_url("postgres")).await;
    sqlx::query_scalar("SELECT pg_postmaster_start_time()::text")
        .fetch_one(&mut conn)
        .await
        .expect("read the server start time")
}

fn expect_started(result: Result<Cluster, ClusterError>) -> Cluster {
    result.unwrap_or_else(|error| panic!("start the cluster: {error}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_folder_gets_a_socket_only_cluster_with_the_app_database() {
    let scratch = Scratch::new("fresh");
    let cluster = expect_started(ensure_running(&scratch.dir).await);

    let mut conn = connect(&cluster.database_url(APP_DATABASE)).await;
    let row = sqlx::query(
        "SELECT 1 AS one, current_database() AS db, current_setting('listen_addresses') AS tcp, \
         current_setting('data_checksums') AS checksums",
    )
    .fetch_one(&mut conn)
    .await
    .expect("SELECT 1");
    assert_eq!(row.get::<i32, _>("one"), 1);
    assert_eq!(row.get::<String, _>("db"), APP_DATABASE);
    assert_eq!(row.get::<String, _>("tcp"), "", "no TCP port is opened");
    assert_eq!(
        row.get::<String, _>("checksums"),
        "on",
        "corrupted pages are detected"
    );
    assert_eq!(cluster.socket_dir(), cluster.data_dir());
    conn.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn data_survives_a_stop_and_a_restart() {
    let scratch = Scratch::new("restart");
    let cluster = expect_started(ensure_running(&scratch.dir).await);
    let mut conn = connect(&cluster.database_url(APP_DATABASE)).await;
    sqlx::query("CREATE TABLE kept (note text)")
        .execute(&mut conn)
        .await
        .expect("create table");
    sqlx::query("INSERT INTO kept VALUES ('still here')")
        .execute(&mut conn)
        .await
        .expect("insert");
    conn.close().await.expect("close");

    cluster.stop().await.expect("stop");
    assert!(
        PgConnection::connect(&cluster.database_url(APP_DATABASE))
            .await
            .is_err(),
        "the server is down after stop"
    );
    cluster
        .stop()
        .await
        .expect("stopping a stopped cluster is a no-op");

    let restarted = expect_started(ensure_running(&scratch.dir).await);
    let mut conn = connect(&restarted.database_url(APP_DATABASE)).await;
    let note: String = sqlx::query_scalar("SELECT note FROM kept")
        .fetch_one(&mut conn)
        .await
        .expect("the table survived the restart");
    assert_eq!(note, "still here");
    conn.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_running_cluster_is_reused_even_by_simultaneous_callers() {
    let scratch = Scratch::new("reuse");
    let starts = (0..4).map(|_| {
        let dir = scratch.dir.clone();
        tokio::spawn(async move { ClusterConfig::new(dir).throwaway().start().await })
    });
    let mut start_times = Vec::new();
    for start in starts {
        let cluster = expect_started(start.await.expect("task"));
        start_times.push(start_time(&cluster).await);
    }
    let again = expect_started(ClusterConfig::new(&scratch.dir).throwaway().start().await);
    start_times.push(start_time(&again).await);

    start_times.dedup();
    assert_eq!(
        start_times.len(),
        1,
        "one server, started once: {start_times:?}"
    );
}

/// Run only as a child of `concurrent_processes_share_one_server`.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "child process of concurrent_processes_share_one_server"]
async fn child_process_starts_the_shared_folder() {
    let dir = std::env::var_os("ZAKUP_PGCLUSTER_CHILD_DIR").expect("folder from the parent");
    let cluster = expect_started(ClusterConfig::new(dir).throwaway().start().await);
    println!("START_TIME={}", start_time(&cluster).await);
}

#[test]
fn concurrent_processes_share_one_server() {
    let scratch = Scratch::new("processes");
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(&exe)
                .args([
                    "child_process_starts_the_shared_folder",
                    "--exact",
                    "--ignored",
                    "--nocapture",
                ])
                .env("ZAKUP_PGCLUSTER_CHILD_DIR", &scratch.dir)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn a child test process")
        })
        .collect();
    let mut start_times: Vec<String> = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("child output");
            let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
            assert!(
                output.status.success(),
                "child failed: {stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            stdout
                .lines()
                .find_map(|line| line.strip_prefix("START_TIME="))
                .unwrap_or_else(|| panic!("no start time in {stdout}"))
                .to_owned()
        })
        .collect();
    start_times.dedup();
    assert_eq!(
        start_times.len(),
        1,
        "one server for all processes: {start_times:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_data_folder_too_long_for_a_socket_path_gets_a_short_socket_folder() {
    let scratch = Scratch::new("long");
    let dir = scratch
        .dir
        .join("a-folder-name-long-enough-to-overflow-the-107-byte-unix-socket-path-limit");
    let cluster = expect_started(ClusterConfig::new(&dir).throwaway().start().await);

    assert!(
        cluster.socket_dir().starts_with("/tmp"),
        "{}",
        cluster.socket_dir().display()
    );
    let conn = connect(&cluster.database_url("postgres")).await;
    conn.close().await.expect("close");
    cluster.stop().await.expect("stop");
    let _ = std::fs::remove_dir_all(cluster.socket_dir());
}

#[tokio::test(flavor = "multi_thread")]
async fn test_database_gives_each_caller_a_fresh_empty_database() {
    let (first, second) = tokio::join!(test_database(), test_database());
    let first = first.unwrap_or_else(|error| panic!("first test database: {error}"));
    let second = second.unwrap_or_else(|error| panic!("second test database: {error}"));
    assert_ne!(first.name, second.name);

    let first_pool = first.pool().await.expect("pool on the first");
    let second_pool = second.pool().await.expect("pool on the second");
    let user_tables = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'";
    for pool in [&first_pool, &second_pool] {
        let tables: i64 = sqlx::query_scalar(user_tables)
            .fetch_one(pool)
            .await
            .expect("count tables");
        assert_eq!(tables, 0, "a new test database is empty");
    }
    sqlx::query("CREATE TABLE only_in_first (id int)")
        .execute(&first_pool)
        .await
        .expect("create table");
    let in_second: i64 = sqlx::query_scalar(user_tables)
        .fetch_one(&second_pool)
        .await
        .expect("count tables");
    assert_eq!(in_second, 0, "the databases are separate");
}

#[tokio::test(flavor = "multi_thread")]
async fn test_database_on_creates_the_database_on_the_given_server() {
    let scratch = Scratch::new("on-url");
    let cluster = expect_started(ClusterConfig::new(&scratch.dir).throwaway().start().await);

    let database = test_database_on(&cluster.database_url("postgres"))
        .await
        .unwrap_or_else(|error| panic!("test database: {error}"));
    assert!(database.url.contains(&database.name));
    let mut conn = connect(&database.url).await;
    let name: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&mut conn)
        .await
        .expect("current database");
    assert_eq!(name, database.name);
    conn.close().await.expect("close");
}

#[tokio::test]
async fn a_wrong_binaries_folder_names_the_folder_and_what_to_do() {
    let scratch = Scratch::new("no-binaries");
    let error = ClusterConfig::new(&scratch.dir)
        .bin_dir("/nonexistent/postgresql/bin")
        .start()
        .await
        .expect_err("no initdb there");

    assert!(
        matches!(error, ClusterError::BinDirIncomplete { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    for needle in [
        "/nonexistent/postgresql/bin",
        "initdb",
        "apt-get install postgresql",
        "DATABASE_URL",
    ] {
        assert!(
            message.contains(needle),
            "{needle:?} missing from: {message}"
        );
    }
    assert!(
        !scratch.dir.exists(),
        "nothing is created before the binaries are found"
    );
}

#[tokio::test]
async fn a_folder_holding_other_files_is_refused_with_initdb_s_reason() {
    let scratch = Scratch::new("not-a-cluster");
    std::fs::create_dir_all(&scratch.dir).expect("create folder");
    std::fs::write(scratch.dir.join("notes.txt"), "not a cluster").expect("write file");

    let error = ensure_running(&scratch.dir)
        .await
        .expect_err("initdb refuses a non-empty folder");

    assert!(
        matches!(error, ClusterError::CommandFailed { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    for needle in ["initdb", "exists but is not empty"] {
        assert!(
            message.contains(needle),
            "{needle:?} missing from: {message}"
        );
    }
}
