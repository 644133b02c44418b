//! `scripto auth logout`
use clap::Args;
use scripto_wire::codes;

use serde::Serialize;

use crate::api::types::{ApiKey, Me};
use crate::context::Context;
use crate::display::masked_start;
use crate::env_vars;
use crate::error::{Error, ErrorKind, Result};
use crate::store::config_layout::Profile;
use crate::store::profiles::find_profile;

/// Remove a profile and its stored key.
///
/// A key the CLI minted itself is revoked on the server; an imported one is
/// kept unless `--revoke` is given.
#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The profile to log out [default: the active one]
    #[arg(value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// Revoke the key on the server even if it was imported
    #[arg(long, conflicts_with = "keep_key")]
    pub revoke: bool,

    /// Keep the key valid on the server even if the CLI minted it
    #[arg(long)]
    pub keep_key: bool,
}

#[derive(Debug, Serialize)]
struct LoggedOut {
    profile: String,
    api_url: String,
    email: Option<String>,
    key_start: String,
    /// The key was revoked on the server by this command.
    revoked: bool,
    /// The server already refused the key (revoked or expired elsewhere).
    already_invalid: bool,
}

pub fn run(ctx: &Context, args: &LogoutArgs) -> Result<()> {
    let name = match &args.profile_name {
        Some(name) => name.clone(),
        None => ctx.selected_profile()?.map(|s| s.value).ok_or_else(|| {
            Error::not_authenticated("no profile is active, so there is nothing to log out of")
                .with_code(codes::cli::NO_CREDENTIAL)
                .with_next_action("scripto profiles list")
        })?,
    };
    let config = ctx.config()?;
    let profile = find_profile(&config, &name)?.clone();
    // A key the CLI minted is used by nothing else; an imported one may be.
    let revoke = args.revoke || (profile.minted_by_cli && !args.keep_key);
    let mut revoked = false;
    let mut already_invalid = false;
    if revoke {
        match revoke_key(ctx, &name, &profile) {
            Ok(()) => revoked = true,
            Err(err) if err.kind == ErrorKind::NotAuthenticated => already_invalid = true,
            Err(err) => {
                let start = masked_start(&profile.key_start);
                let kept = err.map_message(|m| {
                    format!(
                        "could not revoke the key {start} of profile {name}: {m}; the profile is kept and nothing changed"
                    )
                });
                return Err(kept.with_next_action(format!(
                    "retry, or remove the profile and keep the key valid: scripto auth logout {name} --keep-key"
                )));
            }
        }
    }
    ctx.profiles().remove(&name)?;

    if revoked && let Some(key_id) = &profile.key_id {
        let sharing: Vec<String> = config
            .profiles
            .iter()
            .filter(|(n, p)| *n != &name && p.key_id.as_ref() == Some(key_id))
            .map(|(n, _)| n.clone())
            .collect();
        if !sharing.is_empty() {
            ctx.out.warn(format!(
                "profile {} held the same key and no longer authenticates",
                sharing.join(", ")
            ));
        }
    }
    if std::env::var_os(env_vars::API_KEY).is_some_and(|v| !v.is_empty()) {
        ctx.out.warn(format!(
            "{} is set: commands still authenticate with that key until it is unset",
            env_vars::API_KEY
        ));
    }
    let done = LoggedOut {
        profile: name.clone(),
        api_url: profile.api_url.clone(),
        email: profile.email.clone(),
        key_start: profile.key_start.clone(),
        revoked,
        already_invalid,
    };
    ctx.out.success(&done, |w| {
        let key = masked_start(&done.key_start);
        let fate = if revoked {
            format!("the key {key} is revoked on the server")
        } else if already_invalid {
            format!("the server had already stopped accepting the key {key}")
        } else if profile.minted_by_cli {
            format!("the key {key} stays valid on the server (--keep-key)")
        } else {
            format!(
                "the key {key} was imported, so it stays valid on the server (use --revoke to revoke it)"
            )
        };
        writeln!(w, "Logged out of profile {name}; {fate}.")
    })
}

/// Revokes the profile's key with the key itself (which can always revoke
/// itself when it has the `write` scope).
fn revoke_key(ctx: &Context, name: &str, profile: &Profile) -> Result<()> {
    let key = ctx.profiles().key(name)?;
    let client = ctx.client_for(&profile.api_url, Some(key))?;
    let key_id = match &profile.key_id {
        Some(id) => id.clone(),
        None => client
            .get::<Me>(&["me"], &[])?
            .data
            .credential
            .key_id
            .ok_or_else(|| Error::unexpected("the server did not say which key this is"))?,
    };
    client.delete::<ApiKey>(&["keys", &key_id])?;
    Ok(())
}
