//! `zakup serve`: GraphQL, `/health` and `/metrics`, the projections, the scheduler, the lot
//! pool's runner and the auction runner, until SIGINT or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use zakup_projections::lease::{self, Lease, Leases};

use crate::Error;
use crate::config::{Config, Mode};
use crate::connect::Environment;

/// How long requests in flight may finish after a stop signal. Requests are bounded by the
/// pool's acquire timeout, so a healthy server drains well within it; a server whose database is
/// down, or with WebSocket subscribers, stops when it runs out (decision 0625).
const GRACE: Duration = Duration::from_secs(3);

pub async fn serve(
    config: &Config,
    env: &Environment,
    addr: &str,
    registry: zakup_api::RegistryMode,
) -> Result<ExitCode, Error> {
    if registry == zakup_api::RegistryMode::Development {
        tracing::warn!(
            "--registry development: organisations missing from the participant registry act on \
             their tokens' roles (docs/decisions/0820); never in production"
        );
    }
    // Several nodes may share the database: what must run once runs on a lease's holder
    // (decision 0760).
    let leases = Arc::new(Leases::compete(
        &env.pool,
        &config.node_id,
        config.lease_ttl,
        &[lease::PROJECTIONS, lease::TIMERS],
    ));
    let daemon = zakup_projections::Daemon::start_with(
        env.store.clone(),
        env.pool.clone(),
        zakup_projections::all(),
        leases.clone(),
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
    let lot_pool = Arc::new(zakup_engine::LotPoolRunner::new(
        engine.clone(),
        config.operator()?,
    ));
    lot_pool.start_up().await?;
    let timers = leases.get(lease::TIMERS);
    let lot_pool = tokio::spawn(while_held(timers.clone(), move || {
        lot_pool.clone().run(Duration::from_secs(5))
    }));
    // The portal's own timers: deadlines fire as the `system` role.
    let scheduler = Arc::new(zakup_engine::Scheduler::new(
        engine.clone(),
        config.operator()?,
    ));
    let scheduler = tokio::spawn(while_held(timers.clone(), move || {
        scheduler.clone().run(Duration::from_secs(5))
    }));
    // The auctions in bidding: open, end by the clock, bring the results (decision 0705).
    // A ЗЦП failed with one application is followed by its single source (decision 0724): the
    // workflow runs on the timers' holder only, like the other runners.
    let single_sources = Arc::new(zakup_engine::SingleSourceRunner::new(
        engine.clone(),
        config.operator()?,
    ));
    let single_sources = tokio::spawn(while_held(timers.clone(), move || {
        single_sources.clone().run(Duration::from_secs(5))
    }));
    // The procurements' outcomes ask the banks to return or hold the guarantees (decision 0853).
    let guarantees = Arc::new(zakup_engine::GuaranteeRunner::new(
        engine.clone(),
        config.operator()?,
    ));
    let guarantees = tokio::spawn(while_held(timers.clone(), move || {
        guarantees.clone().run(Duration::from_secs(5))
    }));
    // The measures of technical failures and maintenance windows on the procurements they
    // touch (decision 0873), on the timers' holder like the other workflows.
    let failures = Arc::new(zakup_engine::FailureRunner::new(
        engine.clone(),
        config.operator()?,
    ));
    let failures = tokio::spawn(while_held(timers.clone(), move || {
        failures.clone().run(Duration::from_secs(5))
    }));
    let auctions = Arc::new(zakup_engine::AuctionRunner::new(
        engine.clone(),
        config.operator()?,
    ));
    let auctions = tokio::spawn(while_held(timers, move || {
        auctions.clone().run(Duration::from_secs(1))
    }));
    // Every node decides commands by the sandbox's clock, not only the timers' holder (whose
    // scheduler follows it too): each follows the moves the others record.
    let sandbox_clock = engine
        .sandbox()
        .then(|| tokio::spawn(follow_sandbox(engine.clone())));
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
        registry,
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
    guarantees.abort();
    failures.abort();
    if let Some(follow) = sandbox_clock {
        follow.abort();
    }
    // Another node takes over at once rather than when the leases expire.
    leases.release().await;
    result.map(|()| ExitCode::SUCCESS)
}

/// Runs `work` while this node holds `lease`: started when it is acquired, dropped when it is
/// lost (a timed command cut short is idempotent: the next holder sends it again, decided once
/// by its command id), started afresh when acquired again.
async fn while_held<F>(mut lease: Lease, work: impl Fn() -> F)
where
    F: Future<Output = ()>,
{
    loop {
        lease.acquired().await;
        tokio::select! {
            () = work() => return,
            () = lease.lost() => {}
        }
    }
}

/// Brings this node's sandbox clock up to every move recorded, on each new event and at least
/// every second.
async fn follow_sandbox(engine: zakup_engine::Engine) {
    let mut changes = engine.store().changes();
    loop {
        if let Err(e) = zakup_engine::sandbox::follow(&engine).await {
            tracing::warn!(error = %e, "the sandbox clock");
        }
        let _ = tokio::time::timeout(Duration::from_secs(1), changes.changed()).await;
    }
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
