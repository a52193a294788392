//! The process's log: `tracing` events on standard error, as JSON lines by default (decision
//! 0629). Standard output stays for the commands' own results (`replay`, `verify`, …).

use crate::config::LogFormat;

/// Installs the log writer; events before this call (none are emitted) would be dropped.
pub fn init(format: LogFormat) {
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::INFO);
    // A second call (none in the binary) keeps the first writer: nothing to report.
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
