//! A private PostgreSQL cluster started from the system's PostgreSQL programs.
//!
//! Two users:
//!
//! * the `zakup` binary, when `DATABASE_URL` is unset: [`ensure_running`] starts (or reuses) a
//!   durable cluster in the data folder, so nothing is lost between runs;
//! * the storage tests: [`test_database`] hands out a fresh, empty database on a shared
//!   throwaway cluster (or on the server named by `DATABASE_URL`).
//!
//! The server listens only on a Unix socket (no TCP port, so no port conflicts), with `trust`
//! authentication for that socket; the socket folder is private to the server user (mode 0700).
//! As root, PostgreSQL runs as the `postgres` system user (see `server_user`).
//!
//! The binaries folder can be chosen with `ZAKUP_PG_BINDIR` or [`ClusterConfig::bin_dir`].

mod binaries;
mod error;
mod server_user;
mod testing;

use std::ffi::OsStr;
use std::fmt::Write as _;
use std::fs::{self, File, OpenOptions};
use std::io::Write as _;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::{Connection, Executor};

use binaries::{Binaries, ConfiguredBinDir};
pub use error::ClusterError;
use error::{io_error, sql_error};
use server_user::{ServerUser, shell_quote};
pub use testing::{
    TestDatabase, stop_test_cluster, test_cluster_dir, test_database, test_database_on,
};

/// The application database [`ensure_running`] creates.
pub const APP_DATABASE: &str = "zakup";

/// The server's superuser, named explicitly at `initdb` so it does not depend on who runs it.
const SUPERUSER: &str = "postgres";

/// The port only names the socket file (`.s.PGSQL.5432`): the server opens no TCP port.
const PORT: u16 = 5432;

/// `sun_path` holds 108 bytes including the final NUL.
const MAX_SOCKET_PATH: usize = 107;

/// How long a server started by another process may take to accept connections.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Starts (or reuses) the durable cluster in `data_dir` and makes sure the database
/// [`APP_DATABASE`] exists. `data_dir` is the cluster's own folder (`PGDATA`): it is created
/// if missing and must be empty if it holds no cluster yet.
///
/// The server runs on after this process exits, so the next run reuses it; [`Cluster::stop`]
/// stops it. Its log is [`Cluster::log_file`].
pub async fn ensure_running(data_dir: &Path) -> Result<Cluster, ClusterError> {
    let cluster = ClusterConfig::new(data_dir).start().await?;
    cluster.create_database_if_missing(APP_DATABASE).await?;
    Ok(cluster)
}

/// How to find, create and start a cluster.
#[derive(Debug, Clone)]
pub struct ClusterConfig {
    data_dir: PathBuf,
    bin_dir: Option<ConfiguredBinDir>,
    throwaway: bool,
}

impl ClusterConfig {
    /// A durable cluster in `data_dir`, with the binaries from `ZAKUP_PG_BINDIR` if set, else
    /// found on the system.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        let bin_dir = std::env::var_os("ZAKUP_PG_BINDIR")
            .filter(|dir| !dir.is_empty())
            .map(|dir| ConfiguredBinDir {
                dir: PathBuf::from(dir),
                configured_by: "ZAKUP_PG_BINDIR",
            });
        Self {
            data_dir: data_dir.into(),
            bin_dir,
            throwaway: false,
        }
    }

    /// Uses the `initdb` and `pg_ctl` in `dir` (overrides `ZAKUP_PG_BINDIR`).
    pub fn bin_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.bin_dir = Some(ConfiguredBinDir {
            dir: dir.into(),
            configured_by: "ClusterConfig::bin_dir",
        });
        self
    }

    /// For clusters that will be thrown away (tests): when the cluster is created, trades
    /// crash safety for speed (`fsync`, `synchronous_commit` and `full_page_writes` off) and
    /// allows 300 connections for many test processes at once. Never for the legal record.
    pub fn throwaway(mut self) -> Self {
        self.throwaway = true;
        self
    }

    /// Creates the cluster if the folder holds none, starts it unless it is already running,
    /// and waits until it accepts connections.
    ///
    /// Safe to call from many threads and processes at once: the first start is serialized by a
    /// file lock, and later callers reuse the running server.
    pub async fn start(self) -> Result<Cluster, ClusterError> {
        let user = ServerUser::detect()?;
        let data_dir =
            std::path::absolute(&self.data_dir).map_err(io_error("resolve", &self.data_dir))?;
        let bins = Binaries::find(self.bin_dir.as_ref(), cluster_version(&data_dir).as_deref())?;
        if let Some(parent) = data_dir.parent() {
            fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        match fs::DirBuilder::new().mode(0o700).create(&data_dir) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(io_error("create the data folder", &data_dir)(error)),
        }
        let data_dir = fs::canonicalize(&data_dir).map_err(io_error("resolve", &data_dir))?;

        let _lock = lock(&data_dir).await?;
        user.take_ownership(&data_dir)?;
        let socket_dir = socket_dir_for(&data_dir);
        if socket_dir != data_dir {
            prepare_private_dir(&socket_dir, &user)?;
        }
        let cluster = Cluster {
            data_dir,
            socket_dir,
            bins,
            user,
        };
        if cluster_version(&cluster.data_dir).is_none() {
            cluster.initdb(self.throwaway).await?;
        }
        cluster.start_if_needed().await?;
        Ok(cluster)
    }

    /// Whether a server runs on the folder (its `postmaster.pid` names a live process), without
    /// creating or starting anything.
    pub fn is_running(&self) -> bool {
        postmaster_is_alive(&self.data_dir)
    }

    /// A handle on the cluster in the folder, without creating or starting anything: to stop
    /// it, or to ask whether it runs.
    pub fn attach(self) -> Result<Cluster, ClusterError> {
        let user = ServerUser::detect()?;
        let data_dir =
            std::path::absolute(&self.data_dir).map_err(io_error("resolve", &self.data_dir))?;
        let bins = Binaries::find(self.bin_dir.as_ref(), cluster_version(&data_dir).as_deref())?;
        let socket_dir = socket_dir_for(&data_dir);
        Ok(Cluster {
            data_dir,
            socket_dir,
            bins,
            user,
        })
    }
}

/// A running private cluster.
#[derive(Debug, Clone)]
pub struct Cluster {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    bins: Binaries,
    user: ServerUser,
}

impl Cluster {
    /// The cluster's folder (`PGDATA`).
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The folder holding the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.socket_dir
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("server.log")
    }

    /// A URL for database `db` that sqlx (and libpq) accept:
    /// `postgres://postgres@localhost:5432/<db>?host=<percent-encoded socket folder>`.
    /// The host is ignored for a socket; the port names the socket file.
    pub fn database_url(&self, db: &str) -> String {
        format!(
            "postgres://{SUPERUSER}@localhost:{PORT}/{}?host={}",
            percent_encode(db.as_bytes()),
            percent_encode(self.socket_dir.as_os_str().as_encoded_bytes()),
        )
    }

    /// Connection options for database `db`, without going through a URL.
    pub fn connect_options(&self, db: &str) -> PgConnectOptions {
        PgConnectOptions::new_without_pgpass()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(db)
    }

    /// Creates database `db` unless it exists.
    pub async fn create_database_if_missing(&self, db: &str) -> Result<(), ClusterError> {
        let mut conn = PgConnection::connect_with(&self.connect_options("postgres"))
            .await
            .map_err(sql_error("connect to the private PostgreSQL cluster"))?;
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(db)
                .fetch_one(&mut conn)
                .await
                .map_err(sql_error(format!("look up database {db}")))?;
        if !exists {
            conn.execute(format!("CREATE DATABASE {}", quote_ident(db)).as_str())
                .await
                .map_err(sql_error(format!("create database {db}")))?;
        }
        conn.close()
            .await
            .map_err(sql_error("close the connection"))?;
        Ok(())
    }

    /// Stops the server (`pg_ctl stop -m fast`: open sessions are rolled back) and waits until it
    /// is down. Does nothing if it is not running (including a stale `postmaster.pid` left by a
    /// crash, which the next start clears).
    pub async fn stop(&self) -> Result<(), ClusterError> {
        if !self.is_running() {
            return Ok(());
        }
        let args: [&OsStr; 6] = [
            "stop".as_ref(),
            "-D".as_ref(),
            self.data_dir.as_os_str(),
            "-m".as_ref(),
            "fast".as_ref(),
            "-w".as_ref(),
        ];
        self.run(&self.bins.pg_ctl, &args, "stop PostgreSQL").await
    }

    async fn initdb(&self, throwaway: bool) -> Result<(), ClusterError> {
        // Trust only the socket, which is private to the server user; no TCP login at all.
        let mut args: Vec<&OsStr> = vec![
            "-D".as_ref(),
            self.data_dir.as_os_str(),
            "--username=postgres".as_ref(),
            "--auth-local=trust".as_ref(),
            "--auth-host=reject".as_ref(),
            "--encoding=UTF8".as_ref(),
            "--locale=C".as_ref(),
        ];
        if throwaway {
            args.push("--no-sync".as_ref());
        } else {
            // The legal record: have PostgreSQL detect corrupted pages instead of serving them.
            args.push("--data-checksums".as_ref());
        }
        self.run(
            &self.bins.initdb,
            &args,
            "create the PostgreSQL cluster (initdb)",
        )
        .await?;

        // Written into the configuration (not only passed at start) so that a server started by
        // hand with plain `pg_ctl start` opens no TCP port either.
        let mut settings = format!(
            "\n# Added by zakup-pgcluster: Unix socket only.\nlisten_addresses = ''\nunix_socket_directories = '{}'\n",
            self.socket_dir.display().to_string().replace('\'', "''")
        );
        if throwaway {
            settings.push_str(
                "# Throwaway test cluster: speed over crash safety.\n\
                 fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 300\n",
            );
        }
        let conf = self.data_dir.join("postgresql.conf");
        OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut file| file.write_all(settings.as_bytes()))
            .map_err(io_error("write", conf))
    }

    async fn start_if_needed(&self) -> Result<(), ClusterError> {
        if self.try_connect().await.is_ok() {
            return Ok(());
        }
        if self.is_running() {
            // Started by someone else and not ready yet (recovering, or another process that
            // did not take our lock, e.g. a hand-run pg_ctl).
            return self.wait_until_ready(READY_TIMEOUT).await;
        }
        // The socket folder and listen address are passed at every start (through the shell
        // pg_ctl uses, hence the quoting) because the socket folder follows the data folder's
        // path, which may have moved since initdb.
        let server_options = format!(
            "-p {PORT} -k {} -c listen_addresses=''",
            shell_quote(self.socket_dir.as_os_str())
        );
        let log_file = self.log_file();
        let args: [&OsStr; 10] = [
            "start".as_ref(),
            "-D".as_ref(),
            self.data_dir.as_os_str(),
            "-l".as_ref(),
            log_file.as_os_str(),
            "-w".as_ref(),
            "-t".as_ref(),
            "120".as_ref(),
            "-o".as_ref(),
            server_options.as_ref(),
        ];
        self.run(&self.bins.pg_ctl, &args, "start PostgreSQL")
            .await?;
        self.wait_until_ready(READY_TIMEOUT).await
    }

    async fn try_connect(&self) -> Result<(), sqlx::Error> {
        let options = self.connect_options("postgres");
        match tokio::time::timeout(Duration::from_secs(5), PgConnection::connect_with(&options))
            .await
        {
            Ok(conn) => conn?.close().await,
            Err(_) => Err(sqlx::Error::PoolTimedOut),
        }
    }

    async fn wait_until_ready(&self, timeout: Duration) -> Result<(), ClusterError> {
        let started = Instant::now();
        loop {
            match self.try_connect().await {
                Ok(()) => return Ok(()),
                Err(error) if started.elapsed() >= timeout => {
                    return Err(ClusterError::NotReady {
                        socket_dir: self.socket_dir.clone(),
                        waited: timeout,
                        last_error: error.to_string(),
                        log_tail: self.log_tail(),
                    });
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Whether the server runs (`postmaster.pid` names a live process).
    pub fn is_running(&self) -> bool {
        postmaster_is_alive(&self.data_dir)
    }

    fn log_tail(&self) -> String {
        match fs::read_to_string(self.log_file()) {
            Ok(log) => tail(&log, 30),
            Err(error) => format!("(no server log at {}: {error})", self.log_file().display()),
        }
    }

    async fn run(
        &self,
        program: &Path,
        args: &[&OsStr],
        action: &'static str,
    ) -> Result<(), ClusterError> {
        let mut command = self.user.command(program, args);
        let command_line = std::iter::once(program.as_os_str())
            .chain(args.iter().copied())
            .map(|word| word.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        let output = command
            .output()
            .await
            .map_err(|error| ClusterError::CommandFailed {
                action,
                command: command_line.clone(),
                detail: format!("could not run it: {error}"),
            })?;
        if output.status.success() {
            return Ok(());
        }
        // The programs explain failures on stderr; stdout is progress chatter, kept only when
        // stderr says nothing.
        let stderr = String::from_utf8_lossy(&output.stderr);
        let (name, text) = if stderr.trim().is_empty() {
            ("stdout", String::from_utf8_lossy(&output.stdout))
        } else {
            ("stderr", stderr)
        };
        let mut detail = format!("{}\n{name}:\n{}\n", output.status, tail(&text, 30));
        if program == self.bins.pg_ctl {
            let _ = write!(detail, "server log tail:\n{}", self.log_tail());
        }
        Err(ClusterError::CommandFailed {
            action,
            command: command_line,
            detail,
        })
    }
}

/// Whether `<data_dir>/postmaster.pid` names a live process.
fn postmaster_is_alive(data_dir: &Path) -> bool {
    fs::read_to_string(data_dir.join("postmaster.pid"))
        .ok()
        .and_then(|pid_file| pid_file.lines().next()?.trim().parse::<u32>().ok())
        .is_some_and(|pid| Path::new("/proc").join(pid.to_string()).exists())
}

/// The major version in `PG_VERSION`, or `None` if the folder holds no cluster.
fn cluster_version(data_dir: &Path) -> Option<String> {
    fs::read_to_string(data_dir.join("PG_VERSION"))
        .ok()
        .map(|version| version.trim().to_owned())
}

/// The socket goes into the data folder itself when the socket path fits in `sun_path`;
/// otherwise into a short private folder under /tmp named after a hash of the data folder
/// (FNV-1a, stable across builds and processes, so every caller finds the same socket).
fn socket_dir_for(data_dir: &Path) -> PathBuf {
    let socket_file_len = "/.s.PGSQL.".len() + PORT.to_string().len();
    if data_dir.as_os_str().len() + socket_file_len <= MAX_SOCKET_PATH {
        data_dir.to_path_buf()
    } else {
        PathBuf::from(format!("/tmp/zakup-pg-{:016x}", path_hash(data_dir)))
    }
}

/// Creates `dir` for the server's socket, refusing one another user planted there (it is
/// under the world-writable /tmp), and makes it private to the server user.
fn prepare_private_dir(dir: &Path, user: &ServerUser) -> Result<(), ClusterError> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(error) => return Err(io_error("create the socket folder", dir)(error)),
    }
    let metadata = fs::symlink_metadata(dir).map_err(io_error("inspect", dir))?;
    let ours = metadata.uid() == user.uid()
        || (metadata.uid() == 0 && matches!(user, ServerUser::Postgres { .. }));
    if !metadata.is_dir() || !ours {
        return Err(ClusterError::SocketDirNotOurs {
            dir: dir.to_path_buf(),
            owner: metadata.uid(),
        });
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(io_error("make private", dir))?;
    user.take_ownership(dir)
}

/// Takes the cross-process lock for the cluster in `data_dir` (released when dropped): an
/// exclusive `flock` on the folder itself, so no lock file is left anywhere and `initdb` still
/// finds the folder empty.
async fn lock(data_dir: &Path) -> Result<File, ClusterError> {
    let folder = File::open(data_dir).map_err(io_error("open", data_dir))?;
    let path = data_dir.to_path_buf();
    tokio::task::spawn_blocking(move || folder.lock().map(|()| folder))
        .await
        .map_err(|error| ClusterError::Io {
            action: "wait for the lock on",
            path: path.clone(),
            source: std::io::Error::other(error),
        })?
        .map_err(io_error("lock", path))
}

/// FNV-1a: unlike `DefaultHasher`, the same in every build.
fn path_hash(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

fn percent_encode(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(byte) {
            out.push(char::from(*byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
        out
    })
}

pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.trim_end().lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}
