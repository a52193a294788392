//! The process's log: `tracing` events on standard error, as JSON lines by default (decision
//! 0629). Standard output stays for the commands' own results (`replay`, `verify`, …).
//!
//! With an OTLP endpoint configured, the spans around commands, appends and projection batches
//! are also exported as OpenTelemetry traces, over HTTP with protobuf (decision 0684).

use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::{Protocol, WithExportConfig};
use opentelemetry_sdk::Resource;
use opentelemetry_sdk::trace::SdkTracerProvider;
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::prelude::*;

use crate::config::LogFormat;

/// What must be flushed before the process ends: the spans not yet exported.
pub struct Log {
    traces: Option<SdkTracerProvider>,
}

impl Log {
    /// Exports the spans still buffered (waiting at most the exporter's timeout).
    pub fn shutdown(self) {
        if let Some(provider) = self.traces
            && let Err(e) = provider.shutdown()
        {
            tracing::warn!(error = %e, "the last traces could not be exported");
        }
    }
}

/// Installs the log writer, and the trace exporter when `otlp_endpoint` is given; events
/// before this call (none are emitted) would be dropped.
pub fn init(format: LogFormat, otlp_endpoint: Option<&str>) -> Result<Log, String> {
    let fmt = tracing_subscriber::fmt::layer().with_writer(std::io::stderr);
    let fmt = match format {
        LogFormat::Json => fmt
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .boxed(),
        LogFormat::Text => fmt.boxed(),
    };
    let traces = otlp_endpoint.map(tracer_provider).transpose()?;
    let otel = traces
        .as_ref()
        .map(|p| tracing_opentelemetry::layer().with_tracer(p.tracer("zakup")));
    // A second call (none in the binary) keeps the first writer: nothing to report.
    let _ = tracing_subscriber::registry()
        .with(fmt.with_filter(LevelFilter::INFO))
        .with(otel.with_filter(LevelFilter::INFO))
        .try_init();
    Ok(Log { traces })
}

/// Spans exported in batches from a thread of their own, so that a slow or absent collector
/// never holds a request: the batch processor drops what its queue cannot take.
fn tracer_provider(endpoint: &str) -> Result<SdkTracerProvider, String> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_protocol(Protocol::HttpBinary)
        .with_endpoint(endpoint)
        .build()
        .map_err(|e| format!("ZAKUP_OTLP_ENDPOINT={endpoint:?}: {e}"))?;
    Ok(SdkTracerProvider::builder()
        .with_batch_exporter(exporter)
        .with_resource(Resource::builder().with_service_name("zakup").build())
        .build())
}

#[cfg(test)]
mod tests;
