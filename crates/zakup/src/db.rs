//! `zakup db start|stop|status`: the operator's handle on the embedded PostgreSQL cluster
//! (decision 0625). A cluster started here runs on until `zakup db stop`; the other commands
//! reuse it and leave it running.

use std::process::ExitCode;

use crate::Error;
use crate::config::{Config, Database};

#[derive(clap::Subcommand)]
pub enum DbCommand {
    /// Start the embedded cluster (creating it on first use); it runs on after this command.
    Start,
    /// Stop the embedded cluster (fast: open sessions are rolled back).
    Stop,
    /// Whether the embedded cluster runs; exit status 3 when it does not.
    Status,
}

pub async fn run(config: &Config, command: DbCommand) -> Result<ExitCode, Error> {
    let dir = match &config.database {
        Database::Embedded(dir) => dir,
        Database::External(_) => {
            return Err(
                "the database is external (ZAKUP_DATABASE_URL or DATABASE_URL): \
                        `zakup db` manages only the embedded cluster"
                    .into(),
            );
        }
    };
    let cluster = zakup_pgcluster::ClusterConfig::new(dir);
    match command {
        DbCommand::Start => {
            let running = zakup_pgcluster::ensure_running(dir).await?;
            println!(
                "embedded PostgreSQL running in {} (socket folder {}, log {})",
                running.data_dir().display(),
                running.socket_dir().display(),
                running.log_file().display()
            );
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Stop => {
            if !cluster.is_running() {
                println!("embedded PostgreSQL in {} is not running", dir.display());
                return Ok(ExitCode::SUCCESS);
            }
            cluster.attach()?.stop().await?;
            println!("embedded PostgreSQL in {} stopped", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        DbCommand::Status => {
            if cluster.is_running() {
                println!("embedded PostgreSQL in {}: running", dir.display());
                Ok(ExitCode::SUCCESS)
            } else {
                println!("embedded PostgreSQL in {}: stopped", dir.display());
                // As `pg_ctl status` and LSB init scripts say "not running".
                Ok(ExitCode::from(3))
            }
        }
    }
}
