use std::fmt;
use std::io;
use std::path::PathBuf;
use std::time::Duration;

/// What to tell someone who has no PostgreSQL server programs.
const INSTALL_HINT: &str = "install the PostgreSQL server (Debian/Ubuntu: `apt-get install postgresql`), \
     point ZAKUP_PG_BINDIR at the folder holding initdb and pg_ctl, \
     or set DATABASE_URL to use an existing PostgreSQL server";

/// Why a private PostgreSQL cluster could not be started, stopped or used.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClusterError {
    /// No folder holding `initdb` and `pg_ctl` was found.
    BinariesNotFound {
        /// The places that were searched, in order.
        searched: Vec<String>,
    },
    /// An explicitly configured binaries folder lacks a program.
    BinDirIncomplete {
        dir: PathBuf,
        missing: &'static str,
        /// Where the folder came from (`ZAKUP_PG_BINDIR` or `ClusterConfig::bin_dir`).
        configured_by: &'static str,
    },
    /// Running as root, but there is no `postgres` user to run the server as.
    NoPostgresUser { detail: String },
    /// Running as root, but neither `runuser`, `setpriv` nor `su` is available.
    NoUserSwitcher,
    /// The socket folder exists but belongs to another user, so it cannot be trusted.
    SocketDirNotOurs { dir: PathBuf, owner: u32 },
    /// A file-system step failed.
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
    /// A PostgreSQL program (`initdb`, `pg_ctl`, …) failed.
    CommandFailed {
        action: &'static str,
        command: String,
        /// Exit status, the tail of its output and, for the server, the tail of its log.
        detail: String,
    },
    /// The server did not accept connections in time.
    NotReady {
        socket_dir: PathBuf,
        waited: Duration,
        last_error: String,
        log_tail: String,
    },
    /// A SQL step (connecting, creating a database) failed.
    Sql { action: String, source: sqlx::Error },
    /// A database URL could not be understood.
    InvalidUrl { reason: &'static str },
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BinariesNotFound { searched } => write!(
                f,
                "PostgreSQL server programs (initdb, pg_ctl) were not found (looked in: {}); {INSTALL_HINT}",
                searched.join(", ")
            ),
            Self::BinDirIncomplete {
                dir,
                missing,
                configured_by,
            } => write!(
                f,
                "the PostgreSQL binaries folder {} (set by {configured_by}) has no `{missing}`; \
                 point it at the folder holding initdb and pg_ctl (e.g. /usr/lib/postgresql/15/bin), \
                 or {INSTALL_HINT}",
                dir.display()
            ),
            Self::NoPostgresUser { detail } => write!(
                f,
                "running as root, and PostgreSQL refuses to run as root, but there is no `postgres` \
                 user to run it as ({detail}); create one (Debian/Ubuntu: `apt-get install postgresql` \
                 does, or `useradd --system postgres`), run zakup as an unprivileged user, \
                 or set DATABASE_URL to use an existing PostgreSQL server"
            ),
            Self::NoUserSwitcher => write!(
                f,
                "running as root, and PostgreSQL refuses to run as root, but none of runuser, setpriv \
                 or su is available to run it as `postgres`; install util-linux, run zakup as an \
                 unprivileged user, or set DATABASE_URL to use an existing PostgreSQL server"
            ),
            Self::SocketDirNotOurs { dir, owner } => write!(
                f,
                "the socket folder {} belongs to uid {owner}, not to the user running PostgreSQL; \
                 remove it or use a shorter ZAKUP_DATA_DIR path",
                dir.display()
            ),
            Self::Io {
                action,
                path,
                source,
            } => write!(f, "could not {action} {}: {source}", path.display()),
            Self::CommandFailed {
                action,
                command,
                detail,
            } => write!(f, "could not {action} (`{command}`): {detail}"),
            Self::NotReady {
                socket_dir,
                waited,
                last_error,
                log_tail,
            } => write!(
                f,
                "PostgreSQL did not accept connections on the socket in {} within {}s \
                 (last error: {last_error}); server log tail:\n{log_tail}",
                socket_dir.display(),
                waited.as_secs()
            ),
            Self::Sql { action, source } => write!(f, "could not {action}: {source}"),
            Self::InvalidUrl { reason } => write!(f, "invalid database URL: {reason}"),
        }
    }
}

impl std::error::Error for ClusterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Io { source, .. } => Some(source),
            Self::Sql { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Builds a `map_err` closure for a file-system step on `path`.
pub(crate) fn io_error(
    action: &'static str,
    path: impl Into<PathBuf>,
) -> impl FnOnce(io::Error) -> ClusterError {
    let path = path.into();
    move |source| ClusterError::Io {
        action,
        path,
        source,
    }
}

/// Builds a `map_err` closure for a SQL step.
pub(crate) fn sql_error(action: impl Into<String>) -> impl FnOnce(sqlx::Error) -> ClusterError {
    let action = action.into();
    move |source| ClusterError::Sql { action, source }
}
