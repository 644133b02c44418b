//! `scripto keys rotate`: the arguments, the steps of the flow in
//! [`crate::rotation`] one after the other, and what is shown at the end.

use scripto_wire::codes;
use std::time::Duration;

use clap::Args;
use scripto_wire::types::MAX_GRACE_SECONDS;
use serde::Serialize;

use super::{check_key_id, key_in_use};
use crate::api::types::{ApiKey, KeyStatus, human_duration};
use crate::context::Context;
use crate::display::masked_start;
use crate::error::{Error, Result};
use crate::rotation::{self, works_until};

/// Replace a key with a new one with the same settings.
///
/// The server makes the new key (same name, type, scopes, projects and
/// lifetime length) and ends the old one in one step. The new key is checked
/// with the server, then stored in every profile that held the old key
/// (matched by the key, whatever its server URL looks like). With --grace the
/// old key keeps working that long, for copies elsewhere (CI secrets) to be
/// replaced; without it, it is revoked at once. A key held by no profile is
/// printed once, like `keys create` does. Asks first at a terminal; without
/// one, `--yes` is needed.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The key to rotate (key_…) [default: the key this command uses]
    #[arg(value_name = "ID")]
    pub id: Option<String>,

    /// How long the old key keeps working: 30s, 10m, 12h, 7d, up to 30d [default: 0, revoked at once]
    #[arg(long, value_name = "DURATION", value_parser = parse_grace)]
    pub grace: Option<Duration>,
}

/// `--grace`: a humantime duration (`7d`, `30s`, `1h 30m`) of whole seconds,
/// from 0 to 30 days.
pub fn parse_grace(raw: &str) -> std::result::Result<Duration, String> {
    let bad = || format!("`{raw}` is not a grace period: use 0, 30s, 10m, 12h or 7d (at most 30d)");
    let trimmed = raw.trim();
    let grace = if trimmed == "0" {
        Duration::ZERO
    } else {
        humantime::parse_duration(trimmed).map_err(|_| bad())?
    };
    if grace.subsec_nanos() != 0 || grace.as_secs() > MAX_GRACE_SECONDS {
        return Err(bad());
    }
    Ok(grace)
}

#[derive(Debug, Serialize)]
struct Rotated<'a> {
    old_key_id: &'a str,
    key: &'a ApiKey,
    /// The old key as it is now: `revoked`, or `active` until `expires_at`.
    old_key: &'a ApiKey,
    /// Profiles that now hold the new key.
    profiles: Vec<String>,
    /// The new secret, only when no profile holds it (else it would be lost).
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

pub fn run(ctx: &Context, args: &RotateArgs) -> Result<()> {
    let grace = args.grace.unwrap_or(Duration::ZERO);
    let credential = ctx.credential()?;
    let client = ctx.client_with(&credential)?;
    let old_id = match &args.id {
        Some(id) => {
            check_key_id(id)?;
            id.clone()
        }
        None => key_in_use(ctx, &credential, &client)?.ok_or_else(|| {
            Error::usage(
                "the server did not say which key this is; name it: scripto keys rotate <ID>",
            )
        })?,
    };
    let old = rotation::rotatable_key(&client, &old_id)?;
    let ends = if grace.is_zero() {
        "the old one is revoked".to_owned()
    } else {
        format!("the old one keeps working for {}", human_duration(grace))
    };
    if !ctx.prompt.confirm(&format!(
        "Rotate {} ({})? A new key replaces it and {ends}.",
        old.name, old.id
    ))? {
        return Err(Error::usage("cancelled; nothing changed").with_code(codes::cli::CANCELLED));
    }
    let holders = rotation::holders_of(ctx, &old, &credential, &client)?;
    let rotated = rotation::rotate_on_server(&client, &old, grace)?;
    rotation::check_new_key(ctx, &client, &rotated)?;
    let profiles = rotation::give_new_key_to(ctx, &holders, &rotated)?;
    let old_now = rotation::end_old_key(ctx, &client, &rotated, grace);

    let old_ends = works_until(&old_now);
    if credential.profile.is_none() && args.id.is_none() {
        ctx.out.warn(format!(
            "the key from {} was the old key and stops working {old_ends}: replace it with the new one",
            credential.source
        ));
    }
    let unstored = profiles.is_empty().then(|| rotated.api_key.expose());
    let new_key = &rotated.key;
    let data = Rotated {
        old_key_id: &old.id,
        key: new_key,
        old_key: &old_now,
        profiles: profiles.clone(),
        api_key: unstored,
    };
    ctx.out.success(&data, |w| {
        if let Some(secret) = unstored {
            writeln!(w, "{secret}")?;
            ctx.out.warn(
                "no profile held the old key, so this is the only time the new key is shown: store it now",
            );
        }
        ctx.out.status(format!(
            "Rotated {}: {} ({}) replaces {} ({}), which {}.",
            new_key.name,
            new_key.id,
            masked_start(&new_key.start),
            old.id,
            masked_start(&old.start),
            if old_now.status == KeyStatus::Revoked {
                "is now revoked".to_owned()
            } else {
                format!("keeps working {old_ends}")
            }
        ));
        if !profiles.is_empty() {
            ctx.out
                .status(format!("Updated profile {}.", profiles.join(", ")));
        }
        Ok(())
    })
}
