//! `scripto keys revoke`
use clap::Args;
use scripto_wire::codes;
use serde::Serialize;
use serde_json::json;

use super::{check_key_id, key_in_use};
use crate::api::Client;
use crate::api::types::ApiKey;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::output::terminal_safe;

/// Revoke API keys; they stop working on the next request.
///
/// Asks first at a terminal; without one, `--yes` is needed. Revoking the key
/// this very command authenticates with needs `--yes` even at a terminal.
#[derive(Debug, Args)]
pub struct RevokeArgs {
    /// The keys to revoke: ids (key_…), or names that name one active key of yours
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
    let credential = ctx.credential()?;
    let client = ctx.client_with(&credential)?;
    // id → name, where the name is known (a key given by name, or looked up
    // for the question at a terminal).
    let mut names: Vec<(String, Option<String>)> = Vec::new();
    for arg in &args.ids {
        let (id, name) = if looks_like_id(arg) {
            check_key_id(arg)?;
            (arg.clone(), None)
        } else {
            let key = key_by_name(&client, arg)?;
            (key.id, Some(key.name))
        };
        if !names.iter().any(|(known, _)| *known == id) {
            names.push((id, name));
        }
    }
    let asks = !ctx.yes() && !ctx.no_input();
    if asks {
        for (id, name) in names.iter_mut().filter(|(_, name)| name.is_none()) {
            // Only to name the key in the question: a key that cannot be
            // read is reported by the revocation itself.
            *name = client
                .get::<ApiKey>(&["keys", id], &[])
                .ok()
                .map(|a| a.data.name);
        }
    }
    let mut ids: Vec<&str> = names.iter().map(|(id, _)| id.as_str()).collect();
    let shown: Vec<String> = names
        .iter()
        .map(|(id, name)| match name {
            Some(name) => format!("{id} ({name})"),
            None => id.clone(),
        })
        .collect();
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
        .with_code(codes::cli::REVOKING_OWN_KEY));
    }
    let question = if ids.len() == 1 {
        format!("Revoke {}? It stops working on the next request.", shown[0])
    } else {
        format!(
            "Revoke {} keys: {}? They stop working on the next request.",
            ids.len(),
            shown.join(", ")
        )
    };
    if !ctx.prompt.confirm(&question)? {
        return Err(Error::usage("cancelled; nothing was revoked").with_code(codes::cli::CANCELLED));
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

/// Whether an argument is meant as an id (`key_…`, or a pasted secret that
/// `check_key_id` refuses) rather than a key's name.
fn looks_like_id(arg: &str) -> bool {
    arg.starts_with("key_") || arg.starts_with(scripto_wire::key::KEY_PREFIX)
}

/// The one active key of the caller named `name`; none or several is an
/// error that says what to do.
fn key_by_name(client: &Client, name: &str) -> Result<ApiKey> {
    let query = [("status", "active".to_owned()), ("limit", "100".to_owned())];
    let mut found: Vec<ApiKey> = client
        .list::<ApiKey>(&["keys"], &query, true)?
        .items
        .into_iter()
        .filter(|k| k.name == name)
        .collect();
    let shown = terminal_safe(name).into_owned();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Error::new(
            ErrorKind::NotFound,
            format!("no active key of yours is named `{shown}`"),
        )
        .with_code(codes::kind::NOT_FOUND)
        .with_next_action("scripto keys list")),
        n => Err(Error::usage(format!(
            "{n} active keys are named `{shown}` ({}); give the id of the one to revoke",
            found
                .iter()
                .map(|k| k.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .with_code(codes::cli::AMBIGUOUS_KEY_NAME)
        .with_next_action("scripto keys list")),
    }
}
