//! `keys rotate` as a flow of named steps, in the order that keeps every
//! profile working.
//!
//! The server rotates in one request (`POST /v1/keys/{id}/rotate`): the new
//! key and the end of the old one are one transaction, so there is no state
//! in which both or neither were made. What is left to the CLI is the local
//! side:
//!
//! 1. [`rotate_on_server`]: the old key is given an overlap on the server
//!    even when the user asks for none (`--grace 0` becomes
//!    [`SAFETY_OVERLAP`] there, and the old key is revoked by the CLI at the
//!    end), so a crash or a failure before the profiles are updated leaves
//!    them with a key that still works.
//! 2. [`check_new_key`]: the new key is checked with the server (`GET
//!    /v1/me`) before any stored copy is replaced.
//! 3. [`give_new_key_to`]: every profile that holds the old key
//!    ([`holders_of`]) gets the new one. A profile is matched by the key
//!    itself (its recorded key id, else its secret), never by how its server
//!    URL is spelt. A profile that cannot be written keeps the old key, which
//!    works until the grace ends; the ones already written hold the new key,
//!    which works: no undo is needed.
//! 4. [`end_old_key`]: without a grace, the old key is revoked now (its
//!    overlap on the server bounds it if this fails).

use scripto_wire::codes;
use std::time::Duration;

use scripto_wire::Secret;
use serde_json::json;

use crate::api::Client;
use crate::api::types::{ApiKey, KeyRotated, KeyStatus, Me, RotateKey, human_duration, time_left};
use crate::context::Context;
use crate::credential::ResolvedCredential;
use crate::display::masked_start;
use crate::error::{Error, ErrorKind, Result};
use crate::next_action::shell_quote;
use crate::store::StoragePreference;
use crate::store::config_layout::Profile;

/// How long the old key keeps working on the server when `--grace` is 0,
/// until the CLI has stored and checked the new key and revokes the old one
/// itself. It bounds the life of the old key if the CLI dies in between, and
/// leaves time to recover a rotation whose answer was lost (rotating the
/// successor with the old key, which updates the profiles that hold it).
pub const SAFETY_OVERLAP: Duration = Duration::from_secs(300);

/// A profile that holds the old key.
pub struct Holder {
    name: String,
    before: Profile,
}

/// Before anything changes: the key `id` must be active and not rotated
/// already.
pub fn rotatable_key(client: &Client, id: &str) -> Result<ApiKey> {
    let old: ApiKey = client
        .get(&["keys", id], &[])
        .map_err(|e| unchanged(e, "reading the key"))?
        .data;
    if old.status != KeyStatus::Active {
        return Err(Error::usage(format!(
            "{} is {}, so there is nothing to rotate; create a new key instead",
            old.id,
            old.status.as_str()
        ))
        .with_code(codes::cli::KEY_NOT_ACTIVE)
        .with_next_action(format!(
            "scripto keys create --name {}",
            shell_quote(&old.name)
        )));
    }
    if let Some(successor) = &old.replaced_by {
        return Err(Error::usage(format!(
            "{} was already rotated: {successor} replaced it",
            old.id
        ))
        .with_code(codes::cli::ALREADY_ROTATED)
        .with_next_action(format!("scripto keys rotate {successor}")));
    }
    Ok(old)
}

/// Step 1: the server makes the new key and gives the old one its end:
/// `grace`, or [`SAFETY_OVERLAP`] when that is 0.
pub fn rotate_on_server(client: &Client, old: &ApiKey, grace: Duration) -> Result<KeyRotated> {
    let server_grace = if grace.is_zero() {
        SAFETY_OVERLAP
    } else {
        grace
    };
    let rotated = client
        .post(
            &["keys", &old.id, "rotate"],
            &RotateKey {
                grace_seconds: server_grace.as_secs(),
            },
        )
        .map_err(|e| match e.kind {
            // The request may have reached the server and the answer been lost.
            ErrorKind::Network => outcome_unknown(e, old, server_grace),
            _ => unchanged(e, "rotating the key"),
        })?;
    Ok(rotated.data)
}

/// Step 2: the new key works, before any copy of the old one is replaced.
/// When it does not, no profile has changed and the new secret is handed
/// out once (see [`not_stored`]).
pub fn check_new_key(ctx: &Context, client: &Client, rotated: &KeyRotated) -> Result<()> {
    let verified = client
        .with_credential(rotated.api_key.clone())
        .and_then(|c| c.get::<Me>(&["me"], &[]))
        .and_then(|me| {
            if me.data.credential.key_id.as_deref() == Some(rotated.key.id.as_str()) {
                Ok(())
            } else {
                Err(Error::unexpected(
                    "the server identified the new key as another key",
                ))
            }
        });
    verified.map_err(|err| not_stored(ctx, err, "checking the new key with the server", rotated))
}

/// Step 3: every profile that held the old key gets the new one, kept
/// where it kept the old one. Returns the names of the profiles updated.
pub fn give_new_key_to(
    ctx: &Context,
    holders: &[Holder],
    rotated: &KeyRotated,
) -> Result<Vec<String>> {
    let new_key = &rotated.key;
    let mut updated: Vec<String> = Vec::new();
    for holder in holders {
        let mut profile = holder.before.clone();
        profile.key_id = Some(new_key.id.clone());
        profile.key_name = Some(new_key.name.clone());
        profile.scopes = new_key.scopes.clone();
        profile.expires_at = new_key.expires_at.clone();
        profile.created_at = crate::store::config_layout::now_rfc3339();
        profile.minted_by_cli = true;
        profile.verified = true;
        let stored = ctx.profiles().save(
            &holder.name,
            profile,
            &rotated.api_key,
            Some(StoragePreference::from(holder.before.storage)),
            false,
        );
        if let Err(err) = stored {
            let step = format!("storing the new key in profile {}", holder.name);
            if updated.is_empty() {
                return Err(not_stored(ctx, err, &step, rotated));
            }
            let old_works_until = works_until(&rotated.old_key);
            let updated_list = updated.join(", ");
            return Err(err
                .map_message(|m| {
                    format!(
                        "{step} failed: {m}; profile {updated_list} holds the new key {}, the others still hold the old key, which works {old_works_until}",
                        new_key.id
                    )
                })
                .with_code(codes::cli::ROTATION_INCOMPLETE)
                .with_next_action(format!(
                    "scripto --profile {} auth token | scripto auth login --with-token --profile-name {}",
                    updated[0], holder.name
                )));
        }
        updated.push(holder.name.clone());
    }
    Ok(updated)
}

/// Step 4: without a grace, the old key goes now; with one, it keeps
/// working until the server ends it. The old key as it is afterwards.
pub fn end_old_key(
    ctx: &Context,
    client: &Client,
    rotated: &KeyRotated,
    grace: Duration,
) -> ApiKey {
    let old = &rotated.old_key;
    if !grace.is_zero() {
        return old.clone();
    }
    let revoked = client
        .with_credential(rotated.api_key.clone())
        .and_then(|c| c.delete::<ApiKey>(&["keys", &old.id]));
    match revoked {
        Ok(answer) => answer.data,
        Err(err) => {
            ctx.out.warn(format!(
                "the old key {} could not be revoked ({}); it stops working {} anyway",
                old.id,
                err.message,
                works_until(old)
            ));
            old.clone()
        }
    }
}

/// "until 2026-12-01T10:00:00Z (in 7 days)", or "no longer" for a key that
/// is already revoked or expired.
pub fn works_until(key: &ApiKey) -> String {
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
pub fn holders_of(
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
    config: &crate::store::config_layout::ConfigFile,
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

/// The server rotated, but no profile took the new key: every profile still
/// holds the old key, which works until its grace ends. The new secret
/// exists nowhere else, so it is shown here, once, rather than lost.
fn not_stored(ctx: &Context, err: Error, step: &str, rotated: &KeyRotated) -> Error {
    let secret = rotated.api_key.expose();
    let old_works_until = works_until(&rotated.old_key);
    let err = err.map_message(|m| {
        format!(
            "{step} failed: {m}; the server made the new key {} ({}), but every profile still holds the old key, which works {old_works_until}",
            rotated.key.id,
            masked_start(&rotated.key.start)
        )
    });
    if !ctx.out.json {
        println!("{secret}");
        ctx.out
            .warn("this is the only time the new key is shown: store it now");
    }
    err.with_code(codes::cli::ROTATION_INCOMPLETE)
        .with_next_action("scripto auth login --with-token --profile-name NAME")
        .with_details(json!({ "api_key": secret, "key": rotated.key, "old_key": rotated.old_key }))
}

/// The rotation request got no answer: it may or may not have happened.
/// Either way every profile still holds the old key, which works for at
/// least the grace; if a successor was made, rotating it (with the old key,
/// from a profile that holds it) gives a new key to those profiles.
fn outcome_unknown(err: Error, old: &ApiKey, grace: Duration) -> Error {
    err.map_message(|m| {
        format!(
            "rotating the key got no answer: {m}; the server may have rotated {} or not, and every profile still holds it, working for at least {}; `scripto keys get {}` shows a successor if there is one",
            old.id,
            human_duration(grace),
            old.id
        )
    })
    .with_code(codes::cli::ROTATION_UNKNOWN)
    .with_next_action(format!("scripto keys get {}", old.id))
}

fn unchanged(err: Error, step: &str) -> Error {
    err.map_message(|m| {
        format!("{step} failed: {m}; nothing changed, the old key is still in place and working")
    })
}
