//! `zakup serve`: GraphQL, `/health` and `/metrics`, the projections, the scheduler, the lot
//! pool's runner and the auction runner, until SIGINT or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use crate::Error;
use crate::config::{Config, Mode};
use crate::connect::Environment;

/// How long requests in flight may finish after a stop signal. Requests are bounded by the
/// pool's acquire timeout, so a healthy server drains well within it; a server whose database is
/// down, or with WebSocket subscribers, stops when it runs out (decision 0625).
const GRACE: Duration = Duration::from_secs(3);

pub async fn serve(config: &Config, env: &Environment, addr: &str) -> Result<ExitCode, Error> {
    let daemon = zakup_projections::Daemon::start(
        env.store.clone(),
        env.pool.clone(),
        zakup_projections::all(),
    )
    .await?;
    let engine = zakup_engine::Engine::new(
        env.store.clone(),
        clock(config)?,
        Arc::new(zakup_domain::calendar::Calendar::embedded()?),
    );
    // A sandbox and real records never share a database (decision 0661).
    if engine.sandbox() {
        let opened = zakup_engine::sandbox::open(&engine).await?;
        tracing::warn!(
            now = %opened.now(chrono::Utc::now()),
            acceleration = opened.acceleration,
            "SANDBOX: the clock is moved by advanceClock; records are not real"
        );
    } else {
        zakup_engine::sandbox::refuse_sandbox_database(&env.store).await?;
    }
    // The lot pool's processes a crash interrupted end before commands are served (decision
    // 0503); the runner then goes on ending any whose steps fail, and logs those it cannot.
    let lot_pool = zakup_engine::LotPoolRunner::new(engine.clone(), config.operator()?);
    lot_pool.start_up().await?;
    let lot_pool = tokio::spawn(Arc::new(lot_pool).run(Duration::from_secs(5)));
    // The portal's own timers: deadlines fire as the `system` role.
    let scheduler = zakup_engine::Scheduler::new(engine.clone(), config.operator()?);
    let scheduler = tokio::spawn(Arc::new(scheduler).run(Duration::from_secs(5)));
    // The auctions in bidding: open, end by the clock, bring the results (decision 0705).
    let auctions = zakup_engine::AuctionRunner::new(engine.clone(), config.operator()?);
    let auctions = tokio::spawn(Arc::new(auctions).run(Duration::from_secs(1)));
    // A ЗЦП failed with one application is followed by its single source (decision 0724).
    let single_sources = zakup_engine::SingleSourceRunner::new(engine.clone(), config.operator()?);
    let single_sources = tokio::spawn(Arc::new(single_sources).run(Duration::from_secs(5)));
    let state = zakup_api::AppState {
        store: env.store.clone(),
        // The read side's own connections, read-only and cancelled after a statement timeout,
        // so that no query holds the command path's (decision 0680).
        pool: zakup_api::read_pool(
            &env.pool,
            config.max_connections,
            config.acquire_timeout,
            config.read_statement_timeout,
        ),
        daemon: Arc::new(daemon),
        engine,
        keys: Arc::new(config.token_keys()?),
    };
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
    let defaults = config.defaults();
    tracing::info!(
        addr = %listener.local_addr()?,
        mode = config.mode.as_str(),
        event_store = env.store.backend(),
        read_models = %env.describe_database(),
        "serving GraphQL (GraphiQL at /graphql), /health and /metrics"
    );
    if config.mode == Mode::Development {
        tracing::warn!(
            defaults = %defaults.join(", "),
            "DEVELOPMENT MODE, not for production: set ZAKUP_MODE=production and configure the \
             database, signing key and operator (README, Configuration)"
        );
    }
    let deployment = zakup_api::Deployment {
        mode: config.mode.as_str().to_owned(),
        database: match config.database {
            crate::config::Database::Embedded(_) => "embedded".to_owned(),
            crate::config::Database::External(_) => "external".to_owned(),
        },
        defaults,
    };
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let options = zakup_api::Options {
        deployment,
        rate_limit: config.rate_limit,
    };
    let server = zakup_api::serve_with(listener, state, options, async {
        let _ = stopped.await;
    });
    tokio::pin!(server);
    let result = tokio::select! {
        result = &mut server => result.map_err(Error::from),
        signal = stop_signal() => {
            let signal = signal?;
            tracing::info!(signal, grace_seconds = GRACE.as_secs(), "stopping");
            let _ = stop.send(());
            match tokio::time::timeout(GRACE, server).await {
                Ok(result) => result.map_err(Error::from),
                Err(_) => {
                    tracing::warn!(grace_seconds = GRACE.as_secs(), "requests still open were dropped");
                    Ok(())
                }
            }
        }
    };
    // Timed work stops before the database does.
    lot_pool.abort();
    scheduler.abort();
    auctions.abort();
    single_sources.abort();
    result.map(|()| ExitCode::SUCCESS)
}

/// The real clock, or a sandbox's started at its configured instant (the real time if none).
fn clock(config: &Config) -> Result<Arc<dyn zakup_engine::Clock>, Error> {
    Ok(match &config.sandbox {
        None => Arc::new(zakup_engine::SystemClock),
        Some(sandbox) => {
            let start = sandbox.start.unwrap_or_else(chrono::Utc::now);
            let real = Arc::new(zakup_engine::SystemClock);
            Arc::new(zakup_engine::Sandbox::new(
                real,
                start,
                1,
                config.operator()?,
            ))
        }
    })
}

/// The first of SIGINT and SIGTERM (a terminal's Ctrl-C, and what service managers and
/// container runtimes send).
async fn stop_signal() -> Result<&'static str, Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(tokio::select! {
        _ = interrupt.recv() => "SIGINT",
        _ = terminate.recv() => "SIGTERM",
    })
}
