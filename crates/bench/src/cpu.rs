//! Where the machine's CPU went while a latency workload ran: how busy the cores were, and each
//! process's user and system time over the window, from `/proc`.
//!
//! Latency tails on two shared cores come from queueing for a core as often as from the code on
//! the path, and a profile of one process does not show who held the core. This accounting does,
//! in the same run as the figure it explains.

use std::collections::HashMap;
use std::time::Instant;

/// `USER_HZ`: the unit of `/proc`'s CPU times, fixed at 100 by the Linux ABI on every
/// architecture the kernel exports it for.
pub const TICKS_PER_SECOND: f64 = 100.0;

struct Snapshot {
    at: Instant,
    /// `/proc/stat`'s first line: busy and total ticks summed over the cores.
    busy: u64,
    total: u64,
    /// Per process (pid and start time, so a reused pid is another process): what it is, and
    /// its user + system ticks so far.
    processes: HashMap<(u32, u64), (String, u64)>,
}

/// Runs `work` and says where the machine's CPU went meanwhile.
pub async fn during<T>(work: impl std::future::Future<Output = T>) -> (T, Usage) {
    let start = snapshot();
    let done = work.await;
    (done, Usage::between(&start, &snapshot()))
}

fn snapshot() -> Snapshot {
    let (busy, total) = machine_ticks().unwrap_or((0, 0));
    let mut processes = HashMap::new();
    let me = std::process::id();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry
                .file_name()
                .to_str()
                .and_then(|p| p.parse::<u32>().ok())
            else {
                continue;
            };
            if let Some(p) = process_ticks(pid) {
                processes.insert((pid, p.started), (label(pid, me, &p.comm), p.ticks));
            }
        }
    }
    Snapshot {
        at: Instant::now(),
        busy,
        total,
        processes,
    }
}

/// CPU use between two snapshots.
pub struct Usage {
    pub wall_seconds: f64,
    pub cores: usize,
    /// Busy share of all cores, 0 to 1.
    pub busy: f64,
    /// CPU seconds per kind of process, largest first.
    pub by_process: Vec<(String, f64)>,
}

impl Usage {
    fn between(start: &Snapshot, end: &Snapshot) -> Usage {
        let mut by_label: HashMap<String, u64> = HashMap::new();
        for (process, (label, ticks)) in &end.processes {
            // A process started inside the window spent all of its time in it. One that ended
            // inside it is missing: the machine's busy share still counts it.
            let before = start.processes.get(process).map_or(0, |(_, t)| *t);
            *by_label.entry(label.clone()).or_default() += ticks.saturating_sub(before);
        }
        let mut by_process: Vec<(String, f64)> = by_label
            .into_iter()
            .map(|(l, t)| (l, t as f64 / TICKS_PER_SECOND))
            .filter(|(_, s)| *s > 0.0)
            .collect();
        by_process.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let total = end.total.saturating_sub(start.total);
        Usage {
            wall_seconds: end.at.duration_since(start.at).as_secs_f64(),
            cores: std::thread::available_parallelism().map_or(1, |n| n.get()),
            busy: if total == 0 {
                f64::NAN
            } else {
                end.busy.saturating_sub(start.busy) as f64 / total as f64
            },
            by_process,
        }
    }

    /// Counts `seconds` of CPU that a process which ended inside the window reported itself.
    pub fn add(&mut self, label: &str, seconds: f64) {
        self.by_process.push((label.to_owned(), seconds));
        self.by_process
            .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }

    /// One line: the cores' busy share, then the largest users.
    pub fn line(&self) -> String {
        let top: Vec<String> = self
            .by_process
            .iter()
            .take(8)
            .map(|(l, s)| format!("{l} {s:.1} s"))
            .collect();
        format!(
            "{:.1} s on {} cores, {:.0}% busy; CPU time: {}",
            self.wall_seconds,
            self.cores,
            self.busy * 100.0,
            top.join(", ")
        )
    }
}

/// What a process is, coarse enough to add up: this benchmark (engine, server and daemon), its
/// load client, PostgreSQL by role (client backends by database), or anything else by name.
fn label(pid: u32, me: u32, comm: &str) -> String {
    if pid == me {
        return "engine (this process)".into();
    }
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    label_of(&String::from_utf8_lossy(&cmdline).replace('\0', " "), comm)
}

fn label_of(cmdline: &str, comm: &str) -> String {
    if cmdline.contains("--load-client") {
        return "load client".into();
    }
    // PostgreSQL rewrites its children's titles: `postgres: user db [local] SELECT`,
    // `postgres: autovacuum worker db`, `postgres: walwriter`.
    if let Some(title) = cmdline.trim().strip_prefix("postgres: ") {
        let words: Vec<&str> = title.split_whitespace().collect();
        return match words.iter().position(|w| w.starts_with('[')) {
            Some(at) if at >= 2 => format!("postgres backends ({})", words[at - 1]),
            _ => format!("postgres {}", title.trim()),
        };
    }
    // A kernel worker's name says what it is doing now (`kworker/u8:2-writeback`).
    if comm.starts_with("kworker/") {
        return "kernel workers".into();
    }
    comm.to_owned()
}

/// `(busy, total)` ticks of all cores since boot.
fn machine_ticks() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let cpu = stat.lines().next()?.strip_prefix("cpu ")?;
    let t: Vec<u64> = cpu
        .split_whitespace()
        .filter_map(|v| v.parse().ok())
        .collect();
    // user nice system idle iowait irq softirq steal (guest time is already in user).
    let idle = t.get(3)? + t.get(4).unwrap_or(&0);
    let total: u64 = t.iter().take(8).sum();
    Some((total - idle, total))
}

/// Another process's user + system ticks so far.
pub fn ticks(pid: u32) -> Option<u64> {
    process_ticks(pid).map(|p| p.ticks)
}

/// This process's own user + system CPU seconds so far.
pub fn own_seconds() -> f64 {
    process_ticks(std::process::id()).map_or(f64::NAN, |p| p.ticks as f64 / TICKS_PER_SECOND)
}

struct Process {
    comm: String,
    /// Start time after boot, in ticks.
    started: u64,
    /// User + system time.
    ticks: u64,
}

fn process_ticks(pid: u32) -> Option<Process> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The name is in parentheses and may hold spaces; the fields after it are fixed.
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_owned();
    let fields: Vec<&str> = stat[close + 2..].split_whitespace().collect();
    // Fields 14 and 15 of stat(5) (utime, stime), counted from the state, field 3.
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let started: u64 = fields.get(19)?.parse().ok()?;
    Some(Process {
        comm,
        started,
        ticks: utime + stime,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_benchmark_finds_its_own_cpu_time() {
        let start = snapshot();
        // Some work of our own to see.
        let mut x = 0u64;
        let until = Instant::now() + std::time::Duration::from_millis(200);
        while Instant::now() < until {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1);
        }
        std::hint::black_box(x);
        let usage = Usage::between(&start, &snapshot());
        let mine = usage
            .by_process
            .iter()
            .find(|(l, _)| l == "engine (this process)")
            .map(|(_, s)| *s);
        assert!(mine.is_some_and(|s| s > 0.0), "{}", usage.line());
        assert!(usage.busy > 0.0 && usage.busy <= 1.0, "{}", usage.line());
    }

    #[test]
    fn processes_are_grouped_by_role_and_database() {
        let cases = [
            (
                "postgres: bench rebuild [local] SELECT",
                "postgres",
                "postgres backends (rebuild)",
            ),
            (
                "postgres: bench lag [local] idle in transaction",
                "postgres",
                "postgres backends (lag)",
            ),
            (
                "postgres: autovacuum worker rebuild",
                "postgres",
                "postgres autovacuum worker rebuild",
            ),
            ("postgres: walwriter ", "postgres", "postgres walwriter"),
            (
                "/x/zakup-bench --load-client 127.0.0.1:1 1000 15",
                "zakup-bench",
                "load client",
            ),
            ("rustc --crate-name x", "rustc", "rustc"),
            ("", "kworker/u8:2-writeback", "kernel workers"),
        ];
        for (cmdline, comm, expected) in cases {
            assert_eq!(label_of(cmdline, comm), expected, "{cmdline}");
        }
    }
}
