//! Keeps the benchmark program working: every workload at tiny sizes, against its own throwaway
//! durable cluster. Asserts nothing about time (CI machines vary); only that it runs to the end.

use std::process::Command;

#[test]
fn every_workload_runs_at_smoke_size() {
    let out = Command::new(env!("CARGO_BIN_EXE_zakup-bench"))
        .args(["--smoke", "--no-write"])
        .output()
        .expect("the benchmark program starts");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "zakup-bench --smoke failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for workload in ["1. ", "3. ", "4. ", "5. ", "7. "] {
        assert!(
            stdout.lines().any(|l| l.starts_with(workload)),
            "no figure for workload {workload}in\n{stdout}"
        );
    }
}
