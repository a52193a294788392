//! `zakup`: the event-sourced engine for state procurement.

mod audit;
mod config;
mod connect;
mod db;
mod demo;
mod log;
mod privacy;
mod serve;

use std::io::Write as _;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zakup_store::{Filter, StreamId, StreamRange};

#[derive(Parser)]
#[command(
    name = "zakup",
    version,
    about = "Event-sourced engine for state procurement"
)]
struct Cli {
    #[command(subcommand)]
    command: Top,
}

/// `token` needs no database and `db` manages the embedded one; everything else runs against
/// the event store.
#[derive(Subcommand)]
enum Top {
    /// Issue a development bearer token for GraphQL (`Authorization: Bearer …`).
    Token(TokenArgs),
    /// Start, stop or inspect the embedded PostgreSQL cluster.
    Db {
        #[command(subcommand)]
        command: db::DbCommand,
    },
    /// Check every signature of an announcement's protocols from an export file alone: no
    /// database, only the events and the public keys they hold.
    VerifyProtocol(audit::VerifyArgs),
    #[command(flatten)]
    Engine(Command),
}

#[derive(clap::Args)]
struct TokenArgs {
    /// The user id (JWT `sub`).
    #[arg(long)]
    user: String,
    /// The user's ИИН (12 digits, check digit verified).
    #[arg(long)]
    iin: String,
    /// The organisation's БИН.
    #[arg(long)]
    org: String,
    /// A portal role: organizer, customer, supplier, org_admin, inspector, audit_committee,
    /// system, operator. Repeat for several.
    #[arg(long = "role", required = true)]
    roles: Vec<String>,
    /// Validity in hours (at most 36).
    #[arg(long, default_value_t = 12)]
    hours: i64,
}

#[derive(Subcommand)]
enum Command {
    /// Serve GraphQL, /health and /metrics, and run the projections.
    Serve {
        /// The address to listen on; by default `ZAKUP_ADDR`, else 127.0.0.1:8080.
        #[arg(long)]
        addr: Option<String>,
        /// A sandbox: a clock moved by `advanceClock`, records that are not real (as
        /// `ZAKUP_SANDBOX=true`).
        #[arg(long)]
        sandbox: bool,
        /// `development` lets an organisation missing from the participant registry act on its
        /// token's roles (docs/decisions/0820), refused in production; by default `enforced` in
        /// production mode and `development` in development mode, where the demo's
        /// organisations act without registering.
        #[arg(long, value_parser = ["enforced", "development"])]
        registry: Option<String>,
    },
    /// Create or upgrade the event store and the read-model registry.
    Migrate,
    /// Inspect and rebuild read models.
    Projections {
        #[command(subcommand)]
        command: ProjectionsCommand,
    },
    /// Publish OCDS data (issue 23).
    Ocds {
        #[command(subcommand)]
        command: OcdsCommand,
    },
    /// Print a stream's events (and folded state) as JSON, optionally as of a version or instant.
    Replay {
        stream: String,
        /// A version (0-based) or an RFC 3339 instant.
        #[arg(long)]
        as_of: Option<String>,
    },
    /// Recompute every stream's hash chain, over the events as stored (personal values sealed);
    /// report the first broken link.
    Verify,
    /// Forget a person (issue 18 item 5): destroy the key of their personal data, record it in
    /// the log, and rebuild the read models, in which they now read as erased.
    Forget {
        /// The person's ИИН.
        iin: String,
    },
    /// Seal the personal values of events written before sealing began, re-chain those streams
    /// and record it in the log (PostgreSQL event store only).
    SealPersonalData,
    /// Write an auditor's export of one announcement (its events, hash chains, and its
    /// signers' keys) for `zakup verify-protocol`. It holds sealed data: an operator's tool.
    Export {
        announcement: uuid::Uuid,
        /// The file to write; standard output without.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
    },
    /// Load a realistic data set (announcements in every status) through the GraphQL mutations.
    Demo,
    /// Copy every stream, in global order, to another event store, keeping versions, event ids
    /// and hash chains; then verify both sides.
    MigrateEvents {
        #[arg(long, value_enum)]
        to: Target,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Target {
    /// The KurrentDB cluster at KURRENTDB_URL.
    Kurrentdb,
}

#[derive(Subcommand)]
enum ProjectionsCommand {
    /// Each projection's generation, checkpoint and lag.
    Status,
    /// Rebuild NAME into a new generation beside the live one; switch when caught up.
    Rebuild { name: String },
}

#[derive(Subcommand)]
enum OcdsCommand {
    /// Write the OCDS releases dated in [FROM, TO) as JSON Lines of release packages.
    Export {
        /// The first instant (RFC 3339), included.
        #[arg(long)]
        from: chrono::DateTime<chrono::Utc>,
        /// The instant (RFC 3339) the export stops before.
        #[arg(long)]
        to: chrono::DateTime<chrono::Utc>,
        /// The file to write; standard output without.
        #[arg(long)]
        out: Option<std::path::PathBuf>,
        /// The portal's public base URL, for the packages' URIs.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base_url: String,
        /// Releases per package (per line).
        #[arg(long, default_value_t = 1000)]
        per_package: i64,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(code) => code,
        Err(e) => {
            // Once the log is installed, in its format (JSON lines for a collector); a bad
            // configuration is reported before there is one.
            if tracing::dispatcher::has_been_set() {
                tracing::error!(error = %e, "zakup stopped on an error");
            } else {
                eprintln!("zakup: {e}");
            }
            ExitCode::FAILURE
        }
    }
}

type Error = Box<dyn std::error::Error + Send + Sync>;

async fn run(cli: Cli) -> Result<ExitCode, Error> {
    let mut config = config::Config::from_process()?;
    if let Top::Engine(Command::Serve { sandbox: true, .. }) = &cli.command {
        config.sandbox_flag()?;
    }
    let log = log::init(config.log_format, config.otlp_endpoint.as_deref())?;
    let result = run_configured(&config, cli).await;
    log.shutdown();
    result
}

async fn run_configured(config: &config::Config, cli: Cli) -> Result<ExitCode, Error> {
    let command = match cli.command {
        Top::Token(args) => return token(config, &args),
        Top::VerifyProtocol(args) => return audit::verify_protocol(&args),
        Top::Db { command } => return db::run(config, command).await,
        Top::Engine(command) => command,
    };
    if matches!(command, Command::Demo) && config.mode == config::Mode::Production {
        return Err("`zakup demo` loads the demo identities, which production refuses".into());
    }
    let env = connect::Environment::open(config).await?;
    let result = run_engine(config, &env, command).await;
    env.close().await;
    result
}

async fn run_engine(
    config: &config::Config,
    env: &connect::Environment,
    command: Command,
) -> Result<ExitCode, Error> {
    match command {
        Command::Serve {
            addr,
            sandbox: _,
            registry,
        } => {
            let production = config.mode == config::Mode::Production;
            let registry = match registry.as_deref() {
                Some("development") if production => {
                    return Err(Error::from(
                        "--registry development is refused in production mode (docs/decisions/0820)",
                    ));
                }
                Some("development") => zakup_api::RegistryMode::Development,
                Some(_) => zakup_api::RegistryMode::Enforced,
                None if production => zakup_api::RegistryMode::Enforced,
                None => zakup_api::RegistryMode::Development,
            };
            serve::serve(
                config,
                env,
                addr.as_deref().unwrap_or(&config.addr),
                registry,
            )
            .await
        }
        Command::Migrate => {
            // Opening the environment applied every migration.
            println!(
                "zakup: event store ({}) and read-model registry are up to date",
                env.store.backend()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Projections {
            command: ProjectionsCommand::Status,
        } => {
            let all = zakup_projections::all();
            for s in zakup_projections::status(&env.pool, env.store.as_ref(), &all).await? {
                println!(
                    "{:<16} generation {:<3} {:<8} checkpoint {:<24} applied {:<10} lag {} events, {:.1} s",
                    s.name,
                    s.generation,
                    s.state,
                    s.checkpoint
                        .map_or_else(|| "-".to_owned(), |p| p.to_string()),
                    s.events_applied,
                    s.lag_events,
                    s.lag_seconds
                );
            }
            // Which node runs the projections and the timers (decision 0760).
            for l in zakup_projections::lease::holders(&env.pool).await? {
                println!(
                    "lease {:<11} held by {:<32} since {} {} {}",
                    l.name,
                    l.holder,
                    l.acquired_at.to_rfc3339(),
                    if l.valid { "until" } else { "EXPIRED at" },
                    l.expires_at.to_rfc3339()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Projections {
            command: ProjectionsCommand::Rebuild { name },
        } => {
            let all = zakup_projections::all();
            let p = all
                .iter()
                .find(|p| p.name() == name)
                .ok_or_else(|| zakup_projections::ProjectionError::Unknown(name.clone()))?;
            let total = env.store.count_after(None, &p.filter()).await?;
            let report = zakup_projections::rebuild(
                &env.pool,
                env.store.as_ref(),
                p.as_ref(),
                |done, rate| {
                    let pct = if total == 0 {
                        100.0
                    } else {
                        done as f64 * 100.0 / total as f64
                    };
                    let bar = "#".repeat((pct / 5.0) as usize);
                    eprint!("\r{name} [{bar:<20}] {done}/{total} events, {rate:.0} events/s");
                    let _ = std::io::stderr().flush();
                },
            )
            .await?;
            eprintln!();
            println!(
                "{name}: generation {} live ({} events in {:.2} s, {:.0} events/s){}",
                report.generation,
                report.events,
                report.seconds,
                report.events as f64 / report.seconds.max(1e-9),
                report
                    .replaced
                    .map_or_else(String::new, |g| format!("; generation {g} dropped"))
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Ocds {
            command:
                OcdsCommand::Export {
                    from,
                    to,
                    out,
                    base_url,
                    per_package,
                },
        } => {
            if from >= to || per_package < 1 {
                return Err("--from must be before --to, and --per-package at least 1".into());
            }
            let mut sink: Box<dyn std::io::Write> = match &out {
                Some(path) => Box::new(std::io::BufWriter::new(std::fs::File::create(path)?)),
                None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
            };
            let n =
                zakup_api::ocds::export(&env.pool, from, to, &base_url, per_package, &mut *sink)
                    .await?;
            sink.flush()?;
            eprintln!("zakup: {n} OCDS releases exported");
            Ok(ExitCode::SUCCESS)
        }
        Command::Replay { stream, as_of } => {
            let stream: StreamId = stream.parse()?;
            let range = match as_of.as_deref() {
                None => StreamRange::all(),
                Some(v) => match v.parse::<u64>() {
                    Ok(version) => StreamRange::up_to_version(version),
                    Err(_) => StreamRange::up_to_instant(
                        chrono::DateTime::parse_from_rfc3339(v)
                            .map_err(|e| format!("--as-of {v:?} is neither a version nor an RFC 3339 instant: {e}"))?
                            .to_utc(),
                    ),
                },
            };
            let events = env.store.read_stream(&stream, range).await?;
            let state = zakup_engine::replay::state_view(&stream, &events)?;
            let out = serde_json::json!({
                "stream": stream,
                "version": events.last().map(|e| e.version),
                "state": state,
                "events": events,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::MigrateEvents { to } => migrate_events(config, env, to).await,
        Command::Forget { iin } => privacy::forget(config, env, &iin).await,
        Command::SealPersonalData => privacy::seal(config, env).await,
        Command::Export { announcement, out } => {
            audit::export(env, announcement, out.as_deref()).await
        }
        Command::Demo => {
            demo::load(
                env.store.clone(),
                env.pool.clone(),
                config.token_keys()?,
                config.operator()?,
            )
            .await
        }
        Command::Verify => {
            let report = zakup_store::verify_chains(env.raw.as_ref(), &Filter::all(), |n| {
                eprint!("\rverified {n} events");
            })
            .await?;
            eprintln!();
            match report.broken {
                None => {
                    println!(
                        "ok: {} streams, {} events, every hash chain intact",
                        report.streams, report.events
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!(
                        "BROKEN: stream {} version {}: {}",
                        b.stream, b.version, b.reason
                    );
                    Ok(ExitCode::from(2))
                }
            }
        }
    }
}

async fn migrate_events(
    config: &config::Config,
    env: &connect::Environment,
    to: Target,
) -> Result<ExitCode, Error> {
    let target = match to {
        Target::Kurrentdb => connect::kurrentdb(config).await?,
    };
    // As stored: the copy keeps the sealed values and the hashes over them.
    let report = zakup_store::migrate::copy_all(env.raw.as_ref(), target.as_ref(), |p| {
        use zakup_store::migrate::CopyStage as S;
        let what = match p.stage {
            S::Copying => "copied",
            S::VerifyingSource => "verified in the source",
            S::VerifyingTarget => "verified in the target",
        };
        eprint!("\r{what}: {} events          ", p.events);
    })
    .await?;
    eprintln!();
    println!(
        "copied {} events in {} appends ({} already present); source: {} streams, target: {} streams",
        report.events,
        report.appended,
        report.already_present,
        report.source.streams,
        report.target.streams
    );
    let broken = report
        .source
        .broken
        .iter()
        .chain(&report.target.broken)
        .next();
    if let Some(b) = broken {
        println!(
            "BROKEN: stream {} version {}: {}",
            b.stream, b.version, b.reason
        );
        return Ok(ExitCode::from(2));
    }
    if !report.mismatches.is_empty() {
        for m in &report.mismatches {
            let head = |h: &Option<zakup_store::migrate::Head>| {
                h.as_ref().map_or_else(
                    || "missing".to_owned(),
                    |h| format!("version {} hash {}", h.version, h.hash),
                )
            };
            println!(
                "MISMATCH: stream {}: source {}, target {}",
                m.stream,
                head(&m.source),
                head(&m.target)
            );
        }
        return Ok(ExitCode::from(2));
    }
    println!("ok: both sides verified, every stream's last version and hash agree");
    Ok(ExitCode::SUCCESS)
}

fn token(config: &config::Config, args: &TokenArgs) -> Result<ExitCode, Error> {
    let principal = zakup_api::Principal {
        user_id: args.user.clone(),
        iin: args.iin.clone(),
        org_bin: args.org.clone(),
        roles: args.roles.clone(),
    };
    // Refuse an identity the domain would refuse on every command.
    principal.actor()?;
    let token = config
        .token_keys()?
        .issue(&principal, chrono::Duration::hours(args.hours))?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}
