//! The figures: one line each on the terminal, and the table of `docs/benchmarks.md`.

use std::fmt::Write as _;

/// One measured figure, with the raw PostgreSQL baseline measured in the same run.
pub struct Figure {
    pub workload: String,
    pub metric: &'static str,
    pub unit: &'static str,
    /// The engine's figure, or why it was not measured.
    pub engine: Result<f64, String>,
    pub baseline: Option<f64>,
    pub goal: &'static str,
    /// Whether the goal is met; `None` for figures without a goal of their own.
    pub met: Option<bool>,
}

impl Figure {
    pub fn ratio(&self) -> Option<f64> {
        match (&self.engine, self.baseline) {
            (Ok(e), Some(b)) if b > 0.0 => Some(e / b),
            _ => None,
        }
    }

    pub fn line(&self) -> String {
        let engine = match &self.engine {
            Ok(v) => format!("{} {}", number(*v), self.unit),
            Err(why) => format!("not measured: {why}"),
        };
        let baseline = self
            .baseline
            .map_or("–".to_owned(), |b| format!("{} {}", number(b), self.unit));
        let ratio = self.ratio().map_or("–".to_owned(), |r| format!("{r:.2}"));
        format!(
            "{:<46} {:<12} engine {:<22} raw {:<20} ratio {:<6} goal {} {}",
            self.workload,
            self.metric,
            engine,
            baseline,
            ratio,
            self.goal,
            verdict(self.met)
        )
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "NOT met",
        None => "",
    }
}

/// Three significant figures are all a 2-core machine's noise allows.
pub fn number(v: f64) -> String {
    if v >= 100.0 {
        format!("{v:.0}")
    } else if v >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// What a run measured: the figures, and where the CPU went while some of them were measured.
#[derive(Default)]
pub struct Run {
    pub figures: Vec<Figure>,
    pub cpu: Vec<(String, crate::cpu::Usage)>,
}

impl Run {
    pub fn add(&mut self, figure: Figure) {
        println!("{}", figure.line());
        self.figures.push(figure);
    }

    pub fn cpu(&mut self, during: &str, usage: crate::cpu::Usage) {
        println!("   (CPU during {during}: {})", usage.line());
        self.cpu.push((during.to_owned(), usage));
    }
}

pub struct Machine {
    pub date: String,
    pub cpus: usize,
    pub memory_gib: f64,
    pub postgres: String,
    pub settings: String,
    /// `/proc/loadavg` when the run started and ended: other work on the machine moves the
    /// figures.
    pub load: (String, String),
}

/// `docs/benchmarks.md`: the machine, the table, which goals are met, and the analysis.
pub fn markdown(machine: &Machine, run: &Run, sizes: &str, analysis: &str) -> String {
    let figures = &run.figures;
    let mut md = String::new();
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `just bench` (`cargo run --release -p zakup-bench`): the engine and raw \
         PostgreSQL measured side by side, in one run, on the same private cluster. Do not edit \
         the table by hand; the notes below it come from `crates/bench/src/analysis.md`.\n"
    );
    let _ = writeln!(md, "- Date: {}", machine.date);
    let _ = writeln!(
        md,
        "- Machine: {} CPUs (`nproc`), {:.1} GiB memory; client, engine and PostgreSQL share them",
        machine.cpus, machine.memory_gib
    );
    let _ = writeln!(md, "- PostgreSQL: {}", machine.postgres);
    let _ = writeln!(md, "- Cluster: {}", machine.settings);
    let _ = writeln!(
        md,
        "- Load average (1, 5, 15 min) at the start: {}; at the end: {}",
        machine.load.0, machine.load.1
    );
    let _ = writeln!(md, "- Sizes: {sizes}\n");
    let _ = writeln!(
        md,
        "| Workload | Figure | Engine | Raw baseline | Ratio | Goal | Met |\n|---|---|---|---|---|---|---|"
    );
    for f in figures {
        let engine = match &f.engine {
            Ok(v) => format!("{} {}", number(*v), f.unit),
            Err(why) => format!("not measured: {why}"),
        };
        let baseline = f
            .baseline
            .map_or("–".to_owned(), |b| format!("{} {}", number(b), f.unit));
        let ratio = f.ratio().map_or("–".to_owned(), |r| format!("{r:.2}"));
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        let _ = writeln!(
            md,
            "| {} | {} | {engine} | {baseline} | {ratio} | {} | {met} |",
            f.workload, f.metric, f.goal
        );
    }
    let met: Vec<&str> = figures
        .iter()
        .filter(|f| f.met == Some(true))
        .map(|f| f.workload.as_str())
        .collect();
    let missed: Vec<&str> = figures
        .iter()
        .filter(|f| f.met == Some(false))
        .map(|f| f.workload.as_str())
        .collect();
    let unmeasured: Vec<&str> = figures
        .iter()
        .filter(|f| f.engine.is_err())
        .map(|f| f.workload.as_str())
        .collect();
    let _ = writeln!(md, "\nGoals met: {}.", list(&met));
    let _ = writeln!(md, "Goals not met: {}.", list(&missed));
    let _ = writeln!(md, "Not measured: {}.\n", list(&unmeasured));
    if !run.cpu.is_empty() {
        let _ = writeln!(
            md,
            "Where the CPU went while these were measured (`/proc`: the cores' busy share, and \
             the CPU time of each kind of process over the window):\n"
        );
        for (during, usage) in &run.cpu {
            let _ = writeln!(md, "- {during}: {}", usage.line());
        }
        md.push('\n');
    }
    md.push_str(analysis);
    md
}

fn list(items: &[&str]) -> String {
    let mut unique: Vec<&str> = Vec::new();
    for i in items {
        if !unique.contains(i) {
            unique.push(i);
        }
    }
    if unique.is_empty() {
        "none".to_owned()
    } else {
        unique.join("; ")
    }
}

/// Nearest-rank percentile of sorted samples.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// The 1-, 5- and 15-minute load averages.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}
