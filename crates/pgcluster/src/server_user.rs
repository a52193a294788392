//! Who runs `initdb`, `pg_ctl` and the server.
//!
//! PostgreSQL refuses to run as root, and these machines and CI run as root. So as root the
//! programs run as the system user `postgres`, and the folders they write are handed to it.

use std::ffi::OsStr;
use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command as StdCommand;

use tokio::process::Command;

use crate::error::{ClusterError, io_error};

const SERVER_USER: &str = "postgres";

#[derive(Debug, Clone)]
pub(crate) enum ServerUser {
    /// Not root: everything runs as the current user.
    Current { uid: u32 },
    /// Root: everything runs as `postgres`, switched to with `switcher`.
    Postgres {
        uid: u32,
        gid: u32,
        switcher: Switcher,
    },
}

#[derive(Debug, Clone)]
pub(crate) enum Switcher {
    Runuser(PathBuf),
    Setpriv(PathBuf),
    Su(PathBuf),
}

impl ServerUser {
    pub(crate) fn detect() -> Result<Self, ClusterError> {
        let euid = effective_uid()?;
        if euid != 0 {
            return Ok(Self::Current { uid: euid });
        }
        let uid = id_of(&["-u", SERVER_USER])
            .map_err(|detail| ClusterError::NoPostgresUser { detail })?;
        let gid = id_of(&["-g", SERVER_USER])
            .map_err(|detail| ClusterError::NoPostgresUser { detail })?;
        let switcher = if let Some(path) = find_program("runuser") {
            Switcher::Runuser(path)
        } else if let Some(path) = find_program("setpriv") {
            Switcher::Setpriv(path)
        } else if let Some(path) = find_program("su") {
            Switcher::Su(path)
        } else {
            return Err(ClusterError::NoUserSwitcher);
        };
        Ok(Self::Postgres { uid, gid, switcher })
    }

    pub(crate) fn uid(&self) -> u32 {
        match self {
            Self::Current { uid } | Self::Postgres { uid, .. } => *uid,
        }
    }

    /// A command running `program args` as the server user.
    pub(crate) fn command(&self, program: &Path, args: &[&OsStr]) -> Command {
        let mut command = match self {
            Self::Current { .. } => {
                let mut command = Command::new(program);
                command.args(args);
                command
            }
            Self::Postgres {
                switcher: Switcher::Runuser(runuser),
                ..
            } => {
                let mut command = Command::new(runuser);
                command
                    .args(["-u", SERVER_USER, "--"])
                    .arg(program)
                    .args(args);
                command
            }
            Self::Postgres {
                uid,
                gid,
                switcher: Switcher::Setpriv(setpriv),
            } => {
                let mut command = Command::new(setpriv);
                command
                    .arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .args(["--init-groups", "--"])
                    .arg(program)
                    .args(args);
                command
            }
            Self::Postgres {
                switcher: Switcher::Su(su),
                ..
            } => {
                let script = std::iter::once(program.as_os_str())
                    .chain(args.iter().copied())
                    .map(shell_quote)
                    .collect::<Vec<_>>()
                    .join(" ");
                let mut command = Command::new(su);
                command
                    .args(["-s", "/bin/sh", SERVER_USER, "-c"])
                    .arg(format!("exec {script}"));
                command
            }
        };
        // The server user may not be allowed into the caller's working folder; English messages
        // keep the errors we pass on readable for everyone.
        command
            .current_dir("/")
            .env("LC_ALL", "C")
            .stdin(std::process::Stdio::null());
        command
    }

    /// Makes `dir` (which exists) the server user's and lets that user reach it.
    ///
    /// As root: hands the folder tree to `postgres` (only when its top is not already theirs, so
    /// a large cluster is not walked on every start), and adds search permission (`o+x`, not
    /// listing) to any parent folder `postgres` could not otherwise pass through, such as
    /// `/root`.
    pub(crate) fn take_ownership(&self, dir: &Path) -> Result<(), ClusterError> {
        let Self::Postgres { uid, gid, .. } = self else {
            return Ok(());
        };
        let metadata = fs::metadata(dir).map_err(io_error("inspect", dir))?;
        if metadata.uid() != *uid {
            chown_tree(dir, *uid, *gid)?;
        }
        for parent in dir.ancestors().skip(1) {
            let metadata = fs::metadata(parent).map_err(io_error("inspect", parent))?;
            let mode = metadata.mode();
            let passable = mode & 0o001 != 0
                || (metadata.uid() == *uid && mode & 0o100 != 0)
                || (metadata.gid() == *gid && mode & 0o010 != 0);
            if !passable {
                fs::set_permissions(parent, fs::Permissions::from_mode(mode | 0o001))
                    .map_err(io_error("let the postgres user pass through", parent))?;
            }
        }
        Ok(())
    }
}

fn chown_tree(path: &Path, uid: u32, gid: u32) -> Result<(), ClusterError> {
    std::os::unix::fs::lchown(path, Some(uid), Some(gid))
        .map_err(io_error("hand to the postgres user", path))?;
    let metadata = fs::symlink_metadata(path).map_err(io_error("inspect", path))?;
    if metadata.is_dir() {
        for entry in fs::read_dir(path).map_err(io_error("list", path))? {
            let entry = entry.map_err(io_error("list", path))?;
            chown_tree(&entry.path(), uid, gid)?;
        }
    }
    Ok(())
}

/// The effective uid, read from `/proc/self/status` (no `unsafe` `geteuid` call), with `id -u`
/// for systems without `/proc`.
pub(crate) fn effective_uid() -> Result<u32, ClusterError> {
    if let Ok(status) = fs::read_to_string("/proc/self/status") {
        let euid = status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .and_then(|euid| euid.parse().ok());
        if let Some(euid) = euid {
            return Ok(euid);
        }
    }
    id_of(&["-u"]).map_err(|detail| ClusterError::CommandFailed {
        action: "find the current user id",
        command: "id -u".to_owned(),
        detail,
    })
}

fn id_of(args: &[&str]) -> Result<u32, String> {
    let output = StdCommand::new("id")
        .args(args)
        .output()
        .map_err(|error| format!("`id` could not run: {error}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!(
            "`id {}`: {}",
            args.join(" "),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    stdout
        .trim()
        .parse()
        .map_err(|_| format!("`id {}` printed {:?}", args.join(" "), stdout.trim()))
}

/// `name` on PATH or in the sbin folders, which a non-login root shell may lack on PATH.
fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/sbin", "/sbin", "/usr/bin", "/bin"].map(PathBuf::from))
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Quotes `word` for `/bin/sh` (as `pg_ctl -o` and `su -c` pass strings through a shell).
pub(crate) fn shell_quote(word: &OsStr) -> String {
    format!("'{}'", word.to_string_lossy().replace('\'', r"'\''"))
}
