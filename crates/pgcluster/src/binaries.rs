use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::error::ClusterError;

/// Debian and Ubuntu install each major version's server programs here, side by side.
const DEBIAN_VERSIONS_DIR: &str = "/usr/lib/postgresql";

/// The PostgreSQL server programs this crate drives.
#[derive(Debug, Clone)]
pub(crate) struct Binaries {
    pub(crate) initdb: PathBuf,
    pub(crate) pg_ctl: PathBuf,
}

/// A binaries folder chosen by the caller, with who chose it (for the error message).
#[derive(Debug, Clone)]
pub(crate) struct ConfiguredBinDir {
    pub(crate) dir: PathBuf,
    pub(crate) configured_by: &'static str,
}

impl Binaries {
    /// Finds `initdb` and `pg_ctl`: the configured folder if any; otherwise the Debian folder of
    /// `cluster_version` (so an existing cluster keeps its major version when a newer one is
    /// installed beside it), then `pg_config --bindir`, then the highest version under
    /// /usr/lib/postgresql, then PATH.
    pub(crate) fn find(
        configured: Option<&ConfiguredBinDir>,
        cluster_version: Option<&str>,
    ) -> Result<Self, ClusterError> {
        if let Some(configured) = configured {
            return Self::in_dir(&configured.dir).map_err(|missing| {
                ClusterError::BinDirIncomplete {
                    dir: configured.dir.clone(),
                    missing,
                    configured_by: configured.configured_by,
                }
            });
        }

        let mut searched = Vec::new();
        if let Some(version) = cluster_version {
            let dir = Path::new(DEBIAN_VERSIONS_DIR).join(version).join("bin");
            if let Ok(found) = Self::in_dir(&dir) {
                return Ok(found);
            }
        }
        match pg_config_bindir() {
            Some(dir) => match Self::in_dir(&dir) {
                Ok(found) => return Ok(found),
                Err(_) => searched.push(format!("{} (from pg_config --bindir)", dir.display())),
            },
            None => searched.push("pg_config --bindir (no pg_config on PATH)".to_owned()),
        }
        if let Some(Ok(found)) = highest_debian_version().map(|dir| Self::in_dir(&dir)) {
            return Ok(found);
        }
        searched.push(format!("{DEBIAN_VERSIONS_DIR}/*/bin"));
        if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
            return Ok(Self { initdb, pg_ctl });
        }
        searched.push("PATH".to_owned());
        Err(ClusterError::BinariesNotFound { searched })
    }

    /// The programs in `dir`, or the name of the first one missing.
    fn in_dir(dir: &Path) -> Result<Self, &'static str> {
        let program = |name: &'static str| {
            let path = dir.join(name);
            if path.is_file() { Ok(path) } else { Err(name) }
        };
        Ok(Self {
            initdb: program("initdb")?,
            pg_ctl: program("pg_ctl")?,
        })
    }
}

fn pg_config_bindir() -> Option<PathBuf> {
    let output = Command::new("pg_config").arg("--bindir").output().ok()?;
    if !output.status.success() {
        return None;
    }
    let dir = String::from_utf8(output.stdout).ok()?;
    Some(PathBuf::from(dir.trim()))
}

/// `/usr/lib/postgresql/<highest numeric version>/bin`.
fn highest_debian_version() -> Option<PathBuf> {
    fs::read_dir(DEBIAN_VERSIONS_DIR)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .max_by_key(|(version, _)| *version)
        .map(|(_, dir)| dir)
}

fn on_path(name: &str) -> Option<PathBuf> {
    env::split_paths(&env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
}
