# Everyday recipes. `just --list` shows them.

# Run the engine on the embedded PostgreSQL (or DATABASE_URL if set).
serve:
    cargo run --release -p zakup -- serve

# All the tests (the README's test command).
test:
    cargo test --workspace

# What CI runs: format, lints, tests.
ci:
    bash .ci/run

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# Projections: status and rebuild.
status:
    cargo run --release -p zakup -- projections status

rebuild name:
    cargo run --release -p zakup -- projections rebuild {{name}}

verify:
    cargo run --release -p zakup -- verify

# Stop the shared throwaway cluster the tests leave running for speed.
stop-test-cluster:
    pidfile="${TMPDIR:-/tmp}/zakup-test-cluster-$(id -u)/postmaster.pid"; if [ -f "$pidfile" ]; then kill -INT "$(head -n 1 "$pidfile")"; fi

# Benchmarks against raw PostgreSQL on a private durable cluster; writes docs/benchmarks.md.
# Workload 8 runs `zakup serve` processes: the binary is built first.
bench:
    cargo build --release -p zakup
    cargo run --release -p zakup-bench
