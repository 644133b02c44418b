//! `scripto scan`
use std::path::PathBuf;

use clap::Args;
use scripto_wire::types::{LeakReceived, RevokeLeaked};
use serde_json::{Value, json};

use super::Exit;
use crate::context::Context;
use crate::error::Result;
use crate::output::terminal_safe;
use crate::scan::{self, Finding, Report};

/// Find scripto API keys in files, and revoke the ones that leaked.
///
/// Keys are recognised by their prefix and their checksum, so a string that
/// only looks like a key is never reported. Directories are searched
/// recursively, skipping `.git`, binary files and files over 10 MiB; symbolic
/// links inside them are not followed.
///
/// Exits 1 when it found a key and 0 when not, like a linter; the keys are
/// shown masked (`scripto_Ab3d…`).
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files and directories to search; `-` reads standard input
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Send the keys found to the server to be revoked at once (no login
    /// needed: whoever holds a key may revoke it)
    #[arg(long)]
    pub revoke: bool,
}

pub fn run(ctx: &Context, args: &ScanArgs) -> Result<Exit> {
    let report = scan::scan_paths(&args.paths);
    for (path, reason) in &report.unreadable {
        ctx.out.warn(format!("could not read {path}: {reason}"));
    }
    let revoked = if args.revoke && !report.findings.is_empty() {
        Some(send_for_revocation(ctx, &report.findings).map_err(|e| {
            // Under `--json` the error is the one document: it still says
            // what was found.
            e.with_details(json!({ "findings": findings_json(&report.findings) }))
        })?)
    } else {
        None
    };
    ctx.out.success(&report_json(&report, revoked), |w| {
        for f in &report.findings {
            writeln!(
                w,
                "{}:{}:{}  {}",
                terminal_safe(&f.path),
                f.line,
                f.column,
                f.key.masked()
            )?;
        }
        Ok(())
    })?;
    let files = plural(report.files_scanned, "file");
    match (report.findings.len(), revoked) {
        (0, _) => ctx.out.status(format!("no scripto keys found in {files}")),
        (n, None) => ctx.out.status(format!(
            "found {} in {files}; revoke them with `scripto scan --revoke`",
            plural(n, "key")
        )),
        (n, Some(sent)) => ctx.out.status(format!(
            "found {} in {files}; sent {} to {} to be revoked: each one that was live is revoked now",
            plural(n, "key"),
            plural(sent, "distinct key"),
            ctx.api_url()?.value
        )),
    }
    Ok(if report.findings.is_empty() {
        Exit::SUCCESS
    } else {
        Exit::FOUND
    })
}

/// Sends each distinct key once, a hundred to a request; how many were sent.
fn send_for_revocation(ctx: &Context, findings: &[Finding]) -> Result<usize> {
    let mut keys: Vec<_> = findings.iter().map(|f| f.key.clone()).collect();
    keys.sort_by(|a, b| a.expose().cmp(b.expose()));
    keys.dedup();
    let client = ctx.anonymous_client()?;
    for chunk in keys.chunks(100) {
        let body = RevokeLeaked {
            keys: chunk.to_vec(),
            source: Some("scripto scan".to_owned()),
        };
        let _: LeakReceived = client.post(&["keys", "revoke-leaked"], &body)?.data;
    }
    Ok(keys.len())
}

fn findings_json(findings: &[Finding]) -> Vec<Value> {
    findings
        .iter()
        .map(|f| {
            json!({
                "path": f.path,
                "line": f.line,
                "column": f.column,
                "key_start": scripto_wire::key_start(f.key.expose()),
            })
        })
        .collect()
}

fn report_json(report: &Report, revoked: Option<usize>) -> Value {
    json!({
        "findings": findings_json(&report.findings),
        "files_scanned": report.files_scanned,
        "files_skipped": report.files_skipped,
        "unreadable": report.unreadable.iter()
            .map(|(path, reason)| json!({ "path": path, "reason": reason }))
            .collect::<Vec<_>>(),
        "revoke_sent": revoked,
    })
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
