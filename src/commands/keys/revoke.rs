//! `scripto keys revoke`
use clap::Args;
use serde::Serialize;
use serde_json::json;

use super::{check_key_id, key_in_use};
use crate::api::types::ApiKey;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};

/// Revoke API keys; they stop working on the next request.
///
/// Asks first at a terminal; without one, `--yes` is needed. Revoking the key
/// this very command authenticates with needs `--yes` even at a terminal.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The ids of the keys to revoke (key_…)
    #[arg(value_name = "ID", required = true)]
    pub ids: Vec<String>,
}

#[derive(Debug, Serialize)]
struct Failure {
    id: String,
    code: String,
    message: String,
}

pub fn run(ctx: &Context, args: &RevokeArgs) -> Result<()> {
    let mut ids: Vec<&str> = Vec::new();
    for id in &args.ids {
        check_key_id(id)?;
        if !ids.contains(&id.as_str()) {
            ids.push(id);
        }
    }
    let credential = ctx.credential()?;
    let client = ctx.client_with(&credential)?;
    let in_use = key_in_use(ctx, &credential, &client)?;
    let own = in_use.as_deref().filter(|id| ids.contains(id));
    if let Some(own) = own
        && !ctx.yes()
    {
        return Err(Error::input_needed(
            format!(
                "{own} is the key this command authenticates with (from {}); revoking it logs that out, so it needs --yes",
                credential.source
            ),
            format!("scripto keys revoke {} --yes", ids.join(" ")),
        )
        .with_code("revoking_own_key"));
    }
    let question = if ids.len() == 1 {
        format!("Revoke {}? It stops working on the next request.", ids[0])
    } else {
        format!(
            "Revoke {} keys ({})? They stop working on the next request.",
            ids.len(),
            ids.join(", ")
        )
    };
    if !ctx.confirm(&question)? {
        return Err(Error::usage("cancelled; nothing was revoked").with_code("cancelled"));
    }

    // The key in use goes last, so it can still revoke the others.
    ids.sort_by_key(|id| Some(*id) == own);
    let mut revoked: Vec<ApiKey> = Vec::new();
    let mut failed: Vec<(Failure, ErrorKind)> = Vec::new();
    for id in &ids {
        match client.delete::<ApiKey>(&["keys", id]) {
            Ok(answer) => revoked.push(answer.data),
            Err(err) => failed.push((
                Failure {
                    id: (*id).to_owned(),
                    code: err.code.clone(),
                    message: err.message.clone(),
                },
                err.kind,
            )),
        }
    }
    if let Some(own) = own
        && revoked.iter().any(|k| k.id == own)
    {
        let who = match &credential.profile {
            Some(profile) => format!(
                "profile {profile} no longer authenticates: log in again with `scripto auth login`"
            ),
            None => format!("the key from {} no longer works", credential.source),
        };
        ctx.out
            .warn(format!("{own} was the key this command used; {who}"));
    }
    if failed.is_empty() {
        return ctx.out.success(&revoked, |w| {
            for key in &revoked {
                writeln!(w, "Revoked {} ({}).", key.id, key.name)?;
            }
            Ok(())
        });
    }
    for key in &revoked {
        ctx.out
            .status(format!("Revoked {} ({}).", key.id, key.name));
    }
    let kind = failed[0].1;
    let failures: Vec<Failure> = failed.into_iter().map(|(f, _)| f).collect();
    let message = if failures.len() == 1 {
        format!(
            "could not revoke {}: {}",
            failures[0].id, failures[0].message
        )
    } else {
        format!(
            "could not revoke {} of {} keys: {}",
            failures.len(),
            ids.len(),
            failures
                .iter()
                .map(|f| format!("{} ({})", f.id, f.message))
                .collect::<Vec<_>>()
                .join("; ")
        )
    };
    Err(Error::new(kind, message)
        .with_code(failures[0].code.clone())
        .with_details(json!({
            "revoked": revoked.iter().map(|k| &k.id).collect::<Vec<_>>(),
            "failed": failures,
        })))
}
