//! `scripto keys rotate`
//!
//! The server rotates in one request (`POST /v1/keys/{id}/rotate`): the new
//! key and the end of the old one are one transaction, so there is no state
//! in which both or neither were made. What is left to the CLI is the local
//! side, and its order is what keeps every profile working:
//!
//! 1. The old key is given an overlap on the server even when the user asks
//!    for none (`--grace 0` becomes [`SAFETY_OVERLAP`] there, and the old key
//!    is revoked by the CLI at the end), so a crash or a failure before the
//!    profiles are updated leaves them with a key that still works.
//! 2. The new key is checked with the server (`GET /v1/me`) before any stored
//!    copy is replaced.
//! 3. Every profile that holds the old key gets the new one. A profile is
//!    matched by the key itself (its recorded key id, else its secret), never
//!    by how its server URL is spelt. A profile that cannot be written keeps
//!    the old key, which works until the grace ends; the ones already written
//!    hold the new key, which works: no undo is needed.

use std::time::Duration;

use clap::Args;
use scripto_wire::Secret;
use scripto_wire::types::MAX_GRACE_SECONDS;
use serde::Serialize;
use serde_json::json;

use super::{check_key_id, key_in_use};
use crate::api::Client;
use crate::api::types::{ApiKey, KeyRotated, KeyStatus, Me, RotateKey, human_duration, time_left};
use crate::context::Context;
use crate::credential::ResolvedCredential;
use crate::display::masked_start;
use crate::error::{Error, ErrorKind, Result};
use crate::store::config_file::Profile;
use crate::store::{StorageKind, StoragePreference};

/// How long the old key keeps working on the server when `--grace` is 0,
/// until the CLI has stored and checked the new key and revokes the old one
/// itself. It bounds the life of the old key if the CLI dies in between, and
/// leaves time to recover a rotation whose answer was lost (rotating the
/// successor with the old key, which updates the profiles that hold it).
pub const SAFETY_OVERLAP: Duration = Duration::from_secs(300);

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

/// A profile that holds the old key.
struct Holder {
    name: String,
    before: Profile,
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

    let old: ApiKey = client
        .get(&["keys", &old_id], &[])
        .map_err(|e| unchanged(e, "reading the key"))?
        .data;
    if old.status != KeyStatus::Active {
        return Err(Error::usage(format!(
            "{} is {}, so there is nothing to rotate; create a new key instead",
            old.id,
            old.status.as_str()
        ))
        .with_code("key_not_active")
        .with_next_action(format!(
            "scripto keys create --name {}",
            crate::next_action::shell_quote(&old.name)
        )));
    }
    if let Some(successor) = &old.replaced_by {
        return Err(Error::usage(format!(
            "{} was already rotated: {successor} replaced it",
            old.id
        ))
        .with_code("already_rotated")
        .with_next_action(format!("scripto keys rotate {successor}")));
    }
    let ends = if grace.is_zero() {
        "the old one is revoked".to_owned()
    } else {
        format!("the old one keeps working for {}", human_duration(grace))
    };
    if !ctx.prompt.confirm(&format!(
        "Rotate {} ({})? A new key replaces it and {ends}.",
        old.name, old.id
    ))? {
        return Err(Error::usage("cancelled; nothing changed").with_code("cancelled"));
    }
    let holders = holders_of(ctx, &old, &credential, &client)?;

    // Step 1: the server makes the new key and gives the old one its end.
    let server_grace = if grace.is_zero() {
        SAFETY_OVERLAP
    } else {
        grace
    };
    let rotated: KeyRotated = client
        .post(
            &["keys", &old.id, "rotate"],
            &RotateKey {
                grace_seconds: server_grace.as_secs(),
            },
        )
        .map_err(|e| match e.kind {
            // The request may have reached the server and the answer been lost.
            ErrorKind::Network => outcome_unknown(e, &old, server_grace),
            _ => unchanged(e, "rotating the key"),
        })?
        .data;
    let new_key = &rotated.key;
    let old_works_until = works_until(&rotated.old_key);

    // Step 2: the new key works, before any copy of the old one is replaced.
    let verified = client
        .with_credential(rotated.api_key.clone())
        .and_then(|c| c.get::<Me>(&["me"], &[]))
        .and_then(|me| {
            if me.data.credential.key_id.as_deref() == Some(new_key.id.as_str()) {
                Ok(())
            } else {
                Err(Error::unexpected(
                    "the server identified the new key as another key",
                ))
            }
        });
    if let Err(err) = verified {
        return Err(not_stored(
            ctx,
            err,
            "checking the new key with the server",
            &rotated,
            &old_works_until,
        ));
    }

    // Step 3: every profile that held the old key gets the new one.
    let mut profiles: Vec<String> = Vec::new();
    for holder in &holders {
        let mut profile = holder.before.clone();
        profile.key_id = Some(new_key.id.clone());
        profile.key_name = Some(new_key.name.clone());
        profile.scopes = new_key.scopes.clone();
        profile.expires_at = new_key.expires_at.clone();
        profile.created_at = crate::store::config_file::now_rfc3339();
        profile.minted_by_cli = true;
        profile.verified = true;
        let stored = ctx.profiles().save(
            &holder.name,
            profile,
            &rotated.api_key,
            Some(storage_arg(holder.before.storage)),
            false,
        );
        if let Err(err) = stored {
            let step = format!("storing the new key in profile {}", holder.name);
            if profiles.is_empty() {
                return Err(not_stored(ctx, err, &step, &rotated, &old_works_until));
            }
            let mut out = err.clone();
            out.message = format!(
                "{step} failed: {}; profile {} holds the new key {}, the others still hold the old key, which works {old_works_until}",
                err.message,
                profiles.join(", "),
                new_key.id
            );
            return Err(out
                .with_code("rotation_incomplete")
                .with_next_action(format!(
                    "scripto --profile {} auth token | scripto auth login --with-token --profile-name {}",
                    profiles[0], holder.name
                )));
        }
        profiles.push(holder.name.clone());
    }

    // Step 4: without a grace, the old key goes now (its overlap on the
    // server bounds it if this fails).
    let mut old_now = rotated.old_key.clone();
    if grace.is_zero() {
        let revoked = client
            .with_credential(rotated.api_key.clone())
            .and_then(|c| c.delete::<ApiKey>(&["keys", &old.id]));
        match revoked {
            Ok(answer) => old_now = answer.data,
            Err(err) => ctx.out.warn(format!(
                "the old key {} could not be revoked ({}); it stops working {old_works_until} anyway",
                old.id, err.message
            )),
        }
    }
    let old_ends = works_until(&old_now);
    if credential.profile.is_none() && old.id == old_id && args.id.is_none() {
        ctx.out.warn(format!(
            "the key from {} was the old key and stops working {old_ends}: replace it with the new one",
            credential.source
        ));
    }

    let unstored = profiles.is_empty().then(|| rotated.api_key.expose());
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

/// "until 2026-12-01T10:00:00Z (in 7 days)", or "no longer" for a key that
/// is already revoked or expired.
fn works_until(key: &ApiKey) -> String {
    if key.status != KeyStatus::Active {
        return "no longer".to_owned();
    }
    match &key.expires_at {
        Some(at) => match time_left(at) {
            Some(left) => format!("until {at} (in {})", human_duration(left)),
            None => "no longer".to_owned(),
        },
        None => "with no end".to_owned(),
    }
}

/// The profiles that hold the old key: those that recorded its id, and
/// those without a recorded id whose stored secret is the old key. The
/// server URL plays no part, so `http://localhost:8787/` and
/// `http://127.0.0.1:8787` holding one key are both found.
fn holders_of(
    ctx: &Context,
    old: &ApiKey,
    credential: &ResolvedCredential,
    client: &Client,
) -> Result<Vec<Holder>> {
    let config = ctx.config()?;
    let mut holders = Vec::new();
    let mut unsure = Vec::new();
    for (name, profile) in &config.profiles {
        match &profile.key_id {
            // A profile left with the key this one replaced (a rotation
            // whose answer was lost) is brought up to date too.
            Some(id) if *id == old.id || old.replaces.as_ref() == Some(id) => {
                holders.push(Holder {
                    name: name.clone(),
                    before: profile.clone(),
                })
            }
            // Only a key with the same public start can be the old key.
            None if profile.key_start == old.start => unsure.push((name, profile)),
            _ => {}
        }
    }
    if unsure.is_empty() {
        return Ok(holders);
    }
    // The old secret, when this command can know it: the key in use (if it
    // is the old key), else the key of a profile that recorded the old id.
    let in_use_is_old = match key_id_of(credential, &config) {
        Some(id) => id == old.id,
        None => credential.key.expose().starts_with(&old.start) && is_key(client, &old.id),
    };
    let old_secret: Option<Secret> = if in_use_is_old {
        Some(credential.key.clone())
    } else {
        holders
            .iter()
            .find(|holder| holder.before.key_id.as_deref() == Some(old.id.as_str()))
            .and_then(|holder| ctx.profiles().key(&holder.name).ok())
    };
    for (name, profile) in unsure {
        let Ok(secret) = ctx.profiles().key(name) else {
            continue;
        };
        let same = match &old_secret {
            Some(old_secret) => old_secret.expose() == secret.expose(),
            // Nothing to compare with: ask the server whose key it is.
            None => client
                .with_credential(secret)
                .and_then(|c| c.get::<Me>(&["me"], &[]))
                .is_ok_and(|me| me.data.credential.key_id.as_deref() == Some(old.id.as_str())),
        };
        if same {
            holders.push(Holder {
                name: name.clone(),
                before: profile.clone(),
            });
        }
    }
    Ok(holders)
}

/// The key id the credential's profile recorded, if any.
fn key_id_of(
    credential: &ResolvedCredential,
    config: &crate::store::config_file::ConfigFile,
) -> Option<String> {
    let profile = config.profiles.get(credential.profile.as_ref()?)?;
    profile.key_id.clone()
}

/// Whether the client's own credential is the key `id`.
fn is_key(client: &Client, id: &str) -> bool {
    client
        .get::<Me>(&["me"], &[])
        .is_ok_and(|me| me.data.credential.key_id.as_deref() == Some(id))
}

fn storage_arg(kind: StorageKind) -> StoragePreference {
    match kind {
        StorageKind::Keyring => StoragePreference::Keyring,
        StorageKind::File => StoragePreference::File,
    }
}

/// The server rotated, but no profile took the new key: every profile still
/// holds the old key, which works until its grace ends. The new secret
/// exists nowhere else, so it is shown here, once, rather than lost.
fn not_stored(
    ctx: &Context,
    err: Error,
    step: &str,
    rotated: &KeyRotated,
    old_works_until: &str,
) -> Error {
    let secret = rotated.api_key.expose();
    let mut out = err.clone();
    out.message = format!(
        "{step} failed: {}; the server made the new key {} ({}), but every profile still holds the old key, which works {old_works_until}",
        err.message,
        rotated.key.id,
        masked_start(&rotated.key.start)
    );
    if !ctx.out.json {
        println!("{secret}");
        ctx.out
            .warn("this is the only time the new key is shown: store it now");
    }
    out.with_code("rotation_incomplete")
        .with_next_action("scripto auth login --with-token --profile-name NAME")
        .with_details(json!({ "api_key": secret, "key": rotated.key, "old_key": rotated.old_key }))
}

/// The rotation request got no answer: it may or may not have happened.
/// Either way every profile still holds the old key, which works for at
/// least the grace; if a successor was made, rotating it (with the old key,
/// from a profile that holds it) gives a new key to those profiles.
fn outcome_unknown(err: Error, old: &ApiKey, grace: Duration) -> Error {
    let mut out = err.clone();
    out.message = format!(
        "rotating the key got no answer: {}; the server may have rotated {} or not, and every profile still holds it, working for at least {}; `scripto keys get {}` shows a successor if there is one",
        err.message,
        old.id,
        human_duration(grace),
        old.id
    );
    out.with_code("rotation_unknown")
        .with_next_action(format!("scripto keys get {}", old.id))
}

fn unchanged(err: Error, step: &str) -> Error {
    let mut out = err.clone();
    out.message = format!(
        "{step} failed: {}; nothing changed, the old key is still in place and working",
        err.message
    );
    out
}
