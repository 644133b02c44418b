//! `scripto keys rotate`
//!
//! The order is what keeps a rotation safe: the old key is revoked only once
//! the new one is stored everywhere the old one was and the server has
//! accepted it. Until then every failure is undone (profiles put back, the
//! new key revoked), so the old key stays in place and working; the error
//! says which state things were left in.

use clap::Args;
use scripto_wire::Secret;
use serde::Serialize;
use serde_json::json;

use super::{check_key_id, key_in_use};
use crate::api::Client;
use crate::api::types::{ApiKey, CreateKey, ExpiresIn, KeyCreated, KeyStatus, Me};
use crate::commands::StorageArg;
use crate::commands::auth::common::masked_start;
use crate::context::{Context, Profile};
use crate::error::{Error, Result};
use crate::store::StorageKind;

/// Replace a key with a new one with the same settings.
///
/// Creates the new key (same name, type, scopes, projects and expiry period),
/// stores it in every profile that held the old one, checks it with the
/// server, then revokes the old key. If a step fails, the old key stays in
/// place and working. A key held by no profile is printed once, like
/// `keys create` does. Asks first at a terminal; without one, `--yes` is needed.
#[derive(Debug, Args)]
pub struct RotateArgs {
    /// The key to rotate (key_…) [default: the key this command uses]
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

#[derive(Debug, Serialize)]
struct Rotated<'a> {
    old_key_id: &'a str,
    key: &'a ApiKey,
    /// Profiles that now hold the new key.
    profiles: Vec<String>,
    /// The new secret, only when no profile holds it (else it would be lost).
    #[serde(skip_serializing_if = "Option::is_none")]
    api_key: Option<&'a str>,
}

/// A profile that held the old key, as it was, to put back on failure.
struct Holder {
    name: String,
    before: Profile,
}

pub fn run(ctx: &Context, args: &RotateArgs) -> Result<()> {
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

    // Step 1: the old key's settings.
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
            crate::context::shell_quote(&old.name)
        )));
    }
    if !ctx.confirm(&format!(
        "Rotate {} ({})? A new key replaces it and the old one is revoked.",
        old.name, old.id
    ))? {
        return Err(Error::usage("cancelled; nothing changed").with_code("cancelled"));
    }
    let holders = holders_of(ctx, &old.id, client.base_url())?;
    // The old secret, to put back into the profiles if a later step fails.
    let old_secret = match (&credential.profile, holders.first()) {
        (Some(profile), _) if holders.iter().any(|h| &h.name == profile) => {
            Some(credential.key.clone())
        }
        (_, Some(holder)) => Some(ctx.profile_key(&holder.name)?),
        _ => None,
    };

    // Step 2: the new key, same settings.
    let request = CreateKey {
        name: old.name.clone(),
        key_type: Some(old.key_type),
        scopes: Some(old.scopes.clone()),
        project_ids: Some(old.project_ids.clone()),
        expires_in_days: ExpiresIn::of_key(&old.created_at, old.expires_at.as_deref()).days(),
        allowed_ips: Some(old.allowed_ips.clone()),
    };
    let created: KeyCreated = client
        .post(&["keys"], &request)
        .map_err(|e| unchanged(e, "creating the new key"))?
        .data;
    let new_key = &created.key;

    // Step 3: every profile that held the old key gets the new one.
    let mut updated: Vec<&Holder> = Vec::new();
    for holder in &holders {
        let mut profile = holder.before.clone();
        profile.key_id = Some(new_key.id.clone());
        profile.key_name = Some(new_key.name.clone());
        profile.scopes = new_key.scopes.clone();
        profile.expires_at = new_key.expires_at.clone();
        profile.created_at = crate::store::config_file::now_rfc3339();
        profile.minted_by_cli = true;
        profile.verified = true;
        let stored = ctx.save_profile(
            &holder.name,
            profile,
            &created.api_key,
            Some(storage_arg(holder.before.storage)),
            false,
        );
        if let Err(err) = stored {
            let state = undo(ctx, &client, &updated, old_secret.as_ref(), new_key);
            return Err(rolled_back(
                err,
                &format!("storing the new key in profile {}", holder.name),
                &state,
            ));
        }
        updated.push(holder);
    }

    // Step 4: the server accepts the new key.
    let verified = client
        .with_credential(created.api_key.clone())
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
        let state = undo(ctx, &client, &updated, old_secret.as_ref(), new_key);
        return Err(rolled_back(
            err,
            "checking the new key with the server",
            &state,
        ));
    }

    // Step 5: the old key goes, revoked with the new one.
    let profiles: Vec<String> = holders.iter().map(|h| h.name.clone()).collect();
    let unstored = profiles.is_empty().then(|| created.api_key.expose());
    let revoked = client
        .with_credential(created.api_key.clone())
        .and_then(|c| c.delete::<ApiKey>(&["keys", &old.id]));
    if let Err(err) = revoked {
        let held = if profiles.is_empty() {
            "is held by no profile".to_owned()
        } else {
            format!("is stored in profile {} and works", profiles.join(", "))
        };
        let mut failed = Error::new(
            err.kind,
            format!(
                "the new key {} ({}) {held}, but the old key {} ({}) could not be revoked and still works: {}",
                new_key.id,
                masked_start(&new_key.start),
                old.id,
                masked_start(&old.start),
                err.message
            ),
        )
        .with_code("rotation_incomplete")
        .with_next_action(format!("scripto keys revoke {} --yes", old.id));
        if let Some(secret) = unstored {
            // Nowhere else holds it: it is shown here, once, or it is lost.
            failed = failed.with_details(json!({ "api_key": secret, "key": new_key }));
            if !ctx.out.json {
                println!("{secret}");
                ctx.out
                    .warn("this is the only time the new key is shown: store it now");
            }
        }
        return Err(failed);
    }
    if credential.profile.is_none() && old.id == old_id && args.id.is_none() {
        ctx.out.warn(format!(
            "the key from {} was the old key and no longer works: replace it with the new one",
            credential.source
        ));
    }

    let data = Rotated {
        old_key_id: &old.id,
        key: new_key,
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
            "Rotated {}: {} ({}) replaces {} ({}), which is now revoked.",
            new_key.name,
            new_key.id,
            masked_start(&new_key.start),
            old.id,
            masked_start(&old.start)
        ));
        if !profiles.is_empty() {
            ctx.out
                .status(format!("Updated profile {}.", profiles.join(", ")));
        }
        Ok(())
    })
}

/// The profiles on this server whose key is `key_id`.
fn holders_of(ctx: &Context, key_id: &str, api_url: &str) -> Result<Vec<Holder>> {
    let config = ctx.config()?;
    Ok(config
        .profiles
        .iter()
        .filter(|(_, p)| {
            p.key_id.as_deref() == Some(key_id) && p.api_url.trim_end_matches('/') == api_url
        })
        .map(|(name, p)| Holder {
            name: name.clone(),
            before: p.clone(),
        })
        .collect())
}

fn storage_arg(kind: StorageKind) -> StorageArg {
    match kind {
        StorageKind::Keyring => StorageArg::Keyring,
        StorageKind::File => StorageArg::File,
    }
}

/// Puts the old key back into the profiles already changed and revokes the
/// new key (with the old one, which still works). Says what it could not do.
fn undo(
    ctx: &Context,
    client: &Client,
    updated: &[&Holder],
    old_secret: Option<&Secret>,
    new_key: &ApiKey,
) -> String {
    let mut problems = Vec::new();
    for holder in updated {
        let restored = old_secret
            .ok_or_else(|| Error::unexpected("the old key could not be read"))
            .and_then(|secret| {
                ctx.save_profile(
                    &holder.name,
                    holder.before.clone(),
                    secret,
                    Some(storage_arg(holder.before.storage)),
                    false,
                )
            });
        if let Err(err) = restored {
            problems.push(format!(
                "profile {} could not be given its old key back ({}) and holds the new key {}",
                holder.name, err.message, new_key.id
            ));
        }
    }
    match client.delete::<ApiKey>(&["keys", &new_key.id]) {
        Ok(_) => {}
        Err(err) if problems.is_empty() => problems.push(format!(
            "the new key {} could not be revoked ({}); revoke it with `scripto keys revoke {} --yes`",
            new_key.id, err.message, new_key.id
        )),
        Err(_) => {}
    }
    problems.join("; ")
}

fn unchanged(err: Error, step: &str) -> Error {
    let mut out = err.clone();
    out.message = format!(
        "{step} failed: {}; nothing changed, the old key is still in place and working",
        err.message
    );
    out
}

fn rolled_back(err: Error, step: &str, problems: &str) -> Error {
    let mut out = err.clone();
    out.message = if problems.is_empty() {
        format!(
            "{step} failed: {}; the rotation was undone, the old key is still in place and working",
            err.message
        )
    } else {
        format!(
            "{step} failed: {}; the old key still works, but {problems}",
            err.message
        )
    };
    out.with_code("rotation_failed")
}
