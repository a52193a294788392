//! `zakup export` and `zakup verify-protocol` (docs/decisions/0890): an auditor's export of one
//! announcement, and the check of its protocol signatures from that file alone, on any machine.

use std::process::ExitCode;
use std::sync::Arc;

use uuid::Uuid;
use zakup_engine::audit_export::{AnnouncementExport, SignatureOutcome, verify_export};
use zakup_engine::{Engine, SystemClock};

use crate::Error;

#[derive(clap::Args)]
pub struct VerifyArgs {
    /// The export written by `zakup export`.
    file: std::path::PathBuf,
    /// Only this protocol kind (`discussion`, `preliminary_admission`, `results`, …)…
    #[arg(long, requires = "version")]
    kind: Option<String>,
    /// …and this version of it.
    #[arg(long, requires = "kind")]
    version: Option<u32>,
}

/// Writes the export of one announcement (its stream and its signers' key streams).
pub async fn export(
    env: &crate::connect::Environment,
    announcement: Uuid,
    out: Option<&std::path::Path>,
) -> Result<ExitCode, Error> {
    // No command runs: the clock and calendar are never read.
    let calendar = Arc::new(zakup_domain::calendar::Calendar::embedded()?);
    let engine = Engine::new(env.store.clone(), Arc::new(SystemClock), calendar);
    let export = engine.export_announcement(announcement).await?;
    if export.streams[0].events.is_empty() {
        return Err(format!("no announcement {announcement}").into());
    }
    let text = serde_json::to_string_pretty(&export)? + "\n";
    match out {
        Some(path) => std::fs::write(path, text)?,
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// Checks every chain and signature of an export; exit code 2 when anything fails.
pub fn verify_protocol(args: &VerifyArgs) -> Result<ExitCode, Error> {
    let text =
        std::fs::read_to_string(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let export: AnnouncementExport = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not an announcement export: {e}", args.file.display()))?;
    let only = match (&args.kind, args.version) {
        (Some(kind), Some(version)) => Some((
            serde_json::from_value(serde_json::Value::String(kind.clone()))
                .map_err(|_| format!("unknown protocol kind {kind:?}"))?,
            version,
        )),
        _ => None,
    };
    let report = verify_export(&export, only)?;
    for b in &report.broken_chains {
        println!(
            "BROKEN: stream {} version {}: {}",
            b.stream_id, b.version, b.reason
        );
    }
    for s in &report.signatures {
        let word = match s.outcome {
            SignatureOutcome::Verified => "ok",
            SignatureOutcome::NotKept => "not kept (signed before decision 0890)",
            SignatureOutcome::UnknownKey => "FAILED: unknown key",
            SignatureOutcome::KeyNotActive => "FAILED: key not active when signed",
            SignatureOutcome::ContentMismatch => "FAILED: signed hash is not the content's",
            SignatureOutcome::Invalid => "FAILED: signature does not verify",
        };
        println!(
            "{} v{} signed by {} at {}: {word}",
            serde_json::to_value(s.kind)?.as_str().unwrap_or("?"),
            s.version,
            s.signer_iin,
            s.signed_at.to_rfc3339()
        );
    }
    if report.signatures.is_empty() {
        println!("no signatures to check");
    }
    if report.holds() {
        println!(
            "ok: {} chains intact, {} signatures checked",
            export.streams.len(),
            report.signatures.len()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::from(2))
    }
}
