//! Workload 9 (issue 25's "W7, scale"; 7 and 8 were taken): the scheduler's resident memory and
//! its tick time as finished announcements pile up. Each point adds announcements that failed
//! for want of applications («Завершено»: published, acceptance ended, nothing left to fire),
//! then starts a fresh process (this binary with `--scale-client`) that catches its scheduler
//! up with the whole log and ticks: what a server does after a restart. The baselines: for its
//! memory, the same process on the empty log, measured first in the same run; for a tick, the
//! one read of the log's tail that every tick makes (the store's statement, nothing folded).

use std::sync::Arc;
use std::time::{Duration, Instant};

use zakup_domain::calendar::Calendar;
use zakup_engine::{Engine, ManualClock, Scheduler, system_actor};
use zakup_store::{EventStore, Filter, Position, SharedStore};
use zakup_store_pg::PgStore;

use crate::cluster::BenchCluster;
use crate::report::{Figure, Run, percentile};
use crate::seed::{self, Count};
use crate::world::{self, Lifecycle};
use crate::{Result, settle};

/// Steady ticks measured per point, after the catch-up.
const TICKS: usize = 50;

/// What the client process reports.
struct Point {
    followed: f64,
    rss_mib: f64,
    catch_up_s: f64,
    tick_ms: f64,
    tail_read_ms: f64,
}

pub async fn measure(
    cluster: &BenchCluster,
    calendar: &Arc<Calendar>,
    points: &[usize],
    run: &mut Run,
) -> Result<()> {
    let pool = cluster.database("scale", 4).await?;
    drop(PgStore::connect(pool.clone()).await?);
    let url = cluster.url("scale");
    let empty = client_run(&url).await?;
    let seeding = cluster.seeding_pool("scale", 2).await?;
    let mut seeded = 0;
    for &n in points {
        seeded += seed::lives(
            &seeding,
            calendar,
            n - seeded,
            Count::Announcements,
            |id, calendar| {
                let mut life = Lifecycle::new(id, calendar, (id.as_u128() % 300) as u32, 1, 0);
                life.reach_review();
                life
            },
        )
        .await?;
        sqlx::query("VACUUM ANALYZE").execute(&pool).await?;
        settle(&pool).await?;
        let at = client_run(&url).await?;
        let workload = format!("9. Scale, {seeded} finished announcements");
        run.add(Figure {
            workload: workload.clone(),
            metric: "scheduler process RSS",
            unit: "MiB",
            engine: Ok(at.rss_mib),
            baseline: Some(empty.rss_mib),
            goal: "≤ 1.5× empty log",
            met: Some(at.rss_mib <= 1.5 * empty.rss_mib),
        });
        run.add(Figure {
            workload: workload.clone(),
            metric: "tick, nothing due, median",
            unit: "ms",
            engine: Ok(at.tick_ms),
            baseline: Some(at.tail_read_ms),
            goal: "≤ 2× its tail read",
            met: Some(at.tick_ms <= 2.0 * at.tail_read_ms),
        });
        for (metric, unit, value) in [
            ("announcements held", "announcements", at.followed),
            ("catch-up after start", "s", at.catch_up_s),
        ] {
            run.add(Figure {
                workload: workload.clone(),
                metric,
                unit,
                engine: Ok(value),
                baseline: None,
                goal: "–",
                met: None,
            });
        }
    }
    seeding.close().await;
    pool.close().await;
    Ok(())
}

/// Runs the client process on `url` and reads its one line of figures.
async fn client_run(url: &str) -> Result<Point> {
    let child = tokio::process::Command::new(std::env::current_exe()?)
        .args(["--scale-client", url])
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let output = tokio::time::timeout(Duration::from_secs(900), child.wait_with_output())
        .await
        .map_err(|_| "the scale client did not finish within 15 minutes")??;
    let out = String::from_utf8(output.stdout)?;
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("scale "))
        .ok_or_else(|| format!("the scale client printed no figures: {out}"))?;
    let figures: Vec<f64> = line
        .split_whitespace()
        .map(str::parse)
        .collect::<std::result::Result<_, _>>()?;
    let [followed, rss_mib, catch_up_s, tick_ms, tail_read_ms] = figures[..] else {
        return Err(format!("the scale client printed {line:?}").into());
    };
    Ok(Point {
        followed,
        rss_mib,
        catch_up_s,
        tick_ms,
        tail_read_ms,
    })
}

/// The client process: a scheduler on `url`, caught up with the whole log, then ticked with
/// nothing new and nothing due, and the tail read alone. Prints
/// `scale <held> <RSS MiB> <catch-up s> <tick ms> <tail read ms>`.
pub async fn client(url: &str) -> Result<()> {
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await?;
    let store = PgStore::connect(pool.clone()).await?;
    // Before every seeded deadline: a tick finds nothing due, and measures what it scans.
    let clock = ManualClock::at(chrono::Utc::now() - chrono::Duration::days(3650));
    let engine = Engine::new(
        store.clone() as SharedStore,
        Arc::new(clock),
        Arc::new(Calendar::embedded()?),
    );
    let scheduler = Scheduler::new(engine, system_actor(world::bin(90), world::iin(90)));
    let started = Instant::now();
    scheduler.tick().await?;
    let catch_up_s = started.elapsed().as_secs_f64();
    let mut ticks = Vec::with_capacity(TICKS);
    for _ in 0..TICKS {
        let tick = Instant::now();
        scheduler.tick().await?;
        ticks.push(tick.elapsed().as_secs_f64() * 1000.0);
    }
    ticks.sort_by(f64::total_cmp);
    let tail: Option<(String, i64)> = sqlx::query_as(
        "SELECT tx_id::text, global_position FROM es_events
          ORDER BY tx_id DESC, global_position DESC LIMIT 1",
    )
    .fetch_optional(&pool)
    .await?;
    let after = tail
        .map(|(tx, position)| {
            let major = tx.parse().map_err(|_| format!("bad xid8 {tx}"))?;
            Ok::<_, crate::Error>(Position {
                major,
                minor: position as u64,
            })
        })
        .transpose()?;
    let filter = Filter::categories(["announcement"]);
    let mut reads = Vec::with_capacity(TICKS);
    for _ in 0..TICKS {
        let read = Instant::now();
        store.read_all_through(after, &filter, 1000).await?;
        reads.push(read.elapsed().as_secs_f64() * 1000.0);
    }
    reads.sort_by(f64::total_cmp);
    println!(
        "scale {} {:.1} {:.2} {:.3} {:.3}",
        scheduler.followed().await,
        resident_mib()?,
        catch_up_s,
        percentile(&ticks, 50.0),
        percentile(&reads, 50.0)
    );
    Ok(())
}

/// This process's resident set, from /proc (Linux, as the bench's machine is).
fn resident_mib() -> Result<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or("no VmRSS in /proc/self/status")?;
    Ok(kib / 1024.0)
}
