//! `scripto keys`: manage API keys on the server.

pub mod create;
pub mod get;
pub mod list;
pub mod revoke;
pub mod rotate;

use scripto_wire::codes;
use std::io::Write;

use clap::Subcommand;

use crate::api::Client;
use crate::api::types::{ApiKey, Me};
use crate::context::Context;
use crate::credential::ResolvedCredential;
use crate::display::{ALL_PROJECTS, masked_start, scope_names};
use crate::error::{Error, Result};
use crate::timefmt::Cells;

#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    Create(create::CreateArgs),
    List(list::ListArgs),
    Get(get::GetArgs),
    Revoke(revoke::RevokeArgs),
    Rotate(rotate::RotateArgs),
}

pub fn run(ctx: &Context, command: &KeysCommand) -> Result<()> {
    match command {
        KeysCommand::Create(args) => create::run(ctx, args),
        KeysCommand::List(args) => list::run(ctx, args),
        KeysCommand::Get(args) => get::run(ctx, args),
        KeysCommand::Revoke(args) => revoke::run(ctx, args),
        KeysCommand::Rotate(args) => rotate::run(ctx, args),
    }
}

/// A key id is `key_` and base62: anything else is a typo (or a secret
/// pasted in the wrong place), refused before it reaches a URL.
pub fn check_key_id(id: &str) -> Result<()> {
    let well_formed = id
        .strip_prefix("key_")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric()));
    if well_formed {
        return Ok(());
    }
    let shown = if id.starts_with(scripto_wire::key::KEY_PREFIX) {
        // Someone pasted the secret itself: do not echo it.
        return Err(Error::usage(
            "that is an API key, not a key id: ids look like key_… (see `scripto keys list`)",
        )
        .with_code(codes::cli::INVALID_KEY_ID));
    } else {
        id
    };
    Err(
        Error::usage(format!("`{shown}` is not a key id: ids look like key_…"))
            .with_code(codes::cli::INVALID_KEY_ID)
            .with_next_action("scripto keys list"),
    )
}

/// The id of the key this command authenticates with: from its profile when
/// recorded there, else asked of the server.
pub fn key_in_use(
    ctx: &Context,
    credential: &ResolvedCredential,
    client: &Client,
) -> Result<Option<String>> {
    if let Some(profile) = &credential.profile
        && let Some(id) = ctx
            .config()?
            .profiles
            .get(profile)
            .and_then(|p| p.key_id.clone())
    {
        return Ok(Some(id));
    }
    Ok(client.get::<Me>(&["me"], &[])?.data.credential.key_id)
}

/// `keys get`: one key, a field per line; times relative (with the date)
/// at a terminal, exact when piped.
pub fn print_key(w: &mut dyn Write, key: &ApiKey, cells: &Cells) -> std::io::Result<()> {
    let time = |raw: &Option<String>, none: &str| {
        raw.as_deref()
            .map_or_else(|| none.to_owned(), |at| cells.when_with_date(at))
    };
    let projects = if key.project_ids.is_empty() {
        ALL_PROJECTS.to_owned()
    } else {
        key.project_ids.join(", ")
    };
    let allowed_ips = if key.allowed_ips.is_empty() {
        "any".to_owned()
    } else {
        key.allowed_ips.join(", ")
    };
    let rows = [
        ("ID", key.id.clone()),
        ("Name", key.name.clone()),
        ("Key", masked_start(&key.start)),
        ("Type", key.key_type.as_str().to_owned()),
        ("Scopes", scope_names(&key.scopes)),
        ("Projects", projects),
        ("Allowed IPs", allowed_ips),
        ("Status", key.status.as_str().to_owned()),
        ("Created", cells.when_with_date(&key.created_at)),
        ("Expires", time(&key.expires_at, "never")),
        ("Last used", time(&key.last_used_at, "never")),
        ("Revoked", time(&key.revoked_at, "-")),
        ("Owner", key.owner_id.clone()),
    ];
    let mut rows = rows.to_vec();
    // Only keys that took part in a rotation have these.
    if let Some(old) = &key.replaces {
        rows.push(("Replaces", old.clone()));
    }
    if let Some(new) = &key.replaced_by {
        rows.push(("Successor", new.clone()));
    }
    crate::output::write_fields(w, 11, &rows)
}
