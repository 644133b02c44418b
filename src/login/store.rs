//! A key a login produced becomes a profile: stored (or revoked when it
//! cannot be), made active or not, and summed up for the user.

use std::io::{self, Write};

use scripto_wire::Secret;
use serde::Serialize;

use super::{LoginOptions, default_profile_name, login_key_name};
use crate::api::Client;
use crate::api::types::{ApiKey, CreateKey, ExpiresIn, KeyCreated, Role, Session, User};
use crate::context::Context;
use crate::display::{ProfileShown, masked_start, storage_label};
use crate::error::{Error, ErrorKind, Result};
use crate::store::StoragePreference;
use crate::store::config_layout::{ConfigFile, Profile};

/// What the login commands print (and return under `--json`): the profile,
/// never the secret.
#[derive(Debug, Serialize)]
pub struct ProfileSummary {
    pub profile: String,
    pub active: bool,
    #[serde(flatten)]
    pub shown: ProfileShown,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// When the profile was saved but not made active: how to use it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

/// What is known about a new key when it is stored.
pub struct KeyToStore<'a> {
    pub api_url: &'a str,
    pub secret: &'a Secret,
    pub key: Option<&'a ApiKey>,
    pub user: Option<&'a User>,
    pub minted_by_cli: bool,
}

/// Builds the profile of a new key, stores it as `name` (active when
/// `make_active`), and returns what to show about it.
pub fn save_key(
    ctx: &Context,
    name: &str,
    new: &KeyToStore<'_>,
    storage: Option<StoragePreference>,
    make_active: bool,
) -> Result<ProfileSummary> {
    let mut profile = Profile::new(new.api_url, new.secret);
    if let Some(user) = new.user {
        profile.email = Some(user.email.clone());
        profile.user_id = Some(user.id.clone());
    }
    if let Some(key) = new.key {
        profile.key_id = Some(key.id.clone());
        profile.key_name = (!key.name.is_empty()).then(|| key.name.clone());
        profile.key_start = key.start.clone();
        profile.scopes = key.scopes.clone();
        profile.expires_at = key.expires_at.clone();
    }
    profile.minted_by_cli = new.minted_by_cli;
    profile.verified = true;
    let mut shown = ProfileShown::of(&profile);
    shown.storage = ctx
        .profiles()
        .save(name, profile, new.secret, storage, make_active)?;
    Ok(ProfileSummary {
        profile: name.to_owned(),
        active: make_active,
        shown,
        role: new.user.map(|u| u.role),
        hint: None,
    })
}

/// Runs `store`, which keeps a key the server has just minted for this
/// command. Every flow that mints then stores (each login path, `keys
/// create --save-as`) goes through here, so none can leave a key active on
/// the server whose secret nobody has: when storing fails, the key is
/// revoked (with itself: a key may always revoke itself) and the error says
/// so, keeping its own exit code; nothing is lost, the command can simply
/// be run again. Should the revocation fail too, the error hands the key
/// out, this one time, in `details` (and, for a person, alone on stdout).
/// A key that was not minted here (`--with-token`) is the user's own and
/// is left alone.
pub fn store_minted<T>(
    ctx: &Context,
    new: &KeyToStore<'_>,
    store: impl FnOnce() -> Result<T>,
) -> Result<T> {
    match store() {
        Ok(stored) => Ok(stored),
        Err(err) if !new.minted_by_cli => Err(err),
        Err(err) => Err(revoke_unstored(ctx, new, err)),
    }
}

fn revoke_unstored(ctx: &Context, new: &KeyToStore<'_>, err: Error) -> Error {
    let start = masked_start(scripto_wire::key_start(new.secret.expose()));
    let key_id = new.key.map(|k| k.id.clone());
    let revoked = match &key_id {
        Some(id) => ctx
            .anonymous_client_for(new.api_url)
            .and_then(|c| c.with_credential(new.secret.clone()))
            .and_then(|c| c.delete::<ApiKey>(&["keys", id]))
            .map(|_| ())
            .map_err(|e| e.message),
        None => Err("the server did not say its id".to_owned()),
    };
    let mut details = match err.details.clone() {
        Some(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let outcome = match revoked {
        Ok(()) => {
            details.insert("revoked_key_id".into(), key_id.into());
            format!("the new key {start} was revoked on the server, so nothing is left behind")
        }
        Err(why) => {
            details.insert("key_id".into(), key_id.into());
            details.insert("api_key".into(), new.secret.expose().into());
            if !ctx.out.json {
                // Under --json the key is in the error's details instead.
                let mut stdout = io::stdout().lock();
                let _ = writeln!(stdout, "{}", new.secret.expose());
                let _ = stdout.flush();
            }
            format!(
                "the new key {start} is active but could not be revoked ({why}): it is shown this once, store it now or revoke it"
            )
        }
    };
    err.map_message(|m| format!("{m}; {outcome}"))
        .with_details(details.into())
}

/// Stores a key a login produced as a profile, and prints the masked
/// summary. Every login flow ends here, so the rule of which profile is
/// active lives here once: see [`makes_active`]. A profile of the same name
/// that held a key the CLI had minted is replaced, and that old key
/// revoked, so that logging in again does not leave keys behind on the
/// server.
pub fn finish(ctx: &Context, new: KeyToStore<'_>, options: &LoginOptions) -> Result<()> {
    let (name, replaced, previous, mut summary) = store_minted(ctx, &new, || {
        let email = new.user.map(|u| u.email.as_str()).unwrap_or("");
        let config = ctx.config()?;
        let name = options
            .profile_name
            .clone()
            .unwrap_or_else(|| default_profile_name(&config, email, new.api_url));
        let replaced = config.profiles.get(&name).cloned();
        let previous = active_other_than(&config, &name);
        let make_active = makes_active(ctx, previous.as_deref());
        let summary = save_key(ctx, &name, &new, options.storage, make_active)?;
        Ok((name, replaced, previous, summary))
    })?;
    if let Some(old) = replaced {
        revoke_replaced_key(ctx, &name, &old, &new);
    }
    match previous {
        Some(previous) if summary.active => ctx.out.status(format!(
            "Profile {name} is now active in place of {previous} (`scripto profiles use {previous}` switches back)."
        )),
        Some(previous) => {
            let hint = format!(
                "profile {previous} stays active: use this login with --profile {name}, or make it active with `scripto profiles use {name}`"
            );
            ctx.out.status(format!("Profile {name} is saved; {hint}."));
            summary.hint = Some(hint);
        }
        None => {}
    }
    if std::env::var_os(crate::env_vars::API_KEY).is_some_and(|v| !v.is_empty()) {
        // SCRIPTO_API_KEY beats the active profile: say so, or the login
        // would seem to have no effect.
        ctx.out.warn(format!(
            "{} is set and is used before the active profile: unset it, or pass --profile {name}",
            crate::env_vars::API_KEY
        ));
    }
    print_login_summary(ctx, &summary, "Logged in")
}

/// The active profile, when it is another existing profile than `name`.
fn active_other_than(config: &ConfigFile, name: &str) -> Option<String> {
    config
        .active_profile
        .clone()
        .filter(|active| active != name && config.profiles.contains_key(active))
}

/// Whether a login makes its profile active. A person at a terminal logs in
/// to use the account, so it does (as `gh auth login` does). Without a
/// terminal the caller may be one agent among several sharing the config
/// directory, and switching the active profile under the others would send
/// their next commands to another account: it does only when no other
/// profile is active, and otherwise says how to use the new one.
fn makes_active(ctx: &Context, other_active: Option<&str>) -> bool {
    !ctx.no_input() || other_active.is_none()
}

fn revoke_replaced_key(ctx: &Context, name: &str, old: &Profile, new: &KeyToStore<'_>) {
    let new_id = new.key.map(|k| k.id.as_str());
    let Some(old_id) = old.key_id.as_deref() else {
        return;
    };
    let same_user = new.user.map(|u| u.id.as_str()) == old.user_id.as_deref();
    if !old.minted_by_cli || !same_user || old.api_url != new.api_url || Some(old_id) == new_id {
        return;
    }
    // Another profile may still use the old key (`keys create --save-as`).
    let shared = ctx.config().is_ok_and(|c| {
        c.profiles
            .iter()
            .any(|(n, p)| n != name && p.key_id.as_deref() == Some(old_id))
    });
    if shared {
        return;
    }
    let revoked = ctx
        .anonymous_client_for(new.api_url)
        .and_then(|c| c.with_credential(new.secret.clone()))
        .and_then(|c| c.delete::<ApiKey>(&["keys", old_id]));
    match revoked {
        Ok(_) => ctx.out.status(format!(
            "Revoked {old_id} ({}…), the key of the earlier login to profile {name}.",
            old.key_start
        )),
        Err(err) => ctx.out.warn(format!(
            "the key {} that profile {name} held before could not be revoked: {}; revoke it with `scripto keys revoke {old_id}`",
            old.key_start, err.message
        )),
    }
}

pub fn print_login_summary(ctx: &Context, summary: &ProfileSummary, verb: &str) -> Result<()> {
    ctx.out.success(summary, |w| {
        let who = summary
            .shown
            .email
            .as_deref()
            .unwrap_or("an unknown account");
        let role = summary
            .role
            .map(|r| format!(" ({})", r.as_str()))
            .unwrap_or_default();
        writeln!(w, "{verb} to {} as {who}{role}.", summary.shown.api_url)?;
        writeln!(
            w,
            "Profile {} is {}; its key {} ({}) is stored in {}.",
            summary.profile,
            if summary.active {
                "now active"
            } else {
                "saved"
            },
            summary.shown.key_name.as_deref().unwrap_or("(unnamed)"),
            masked_start(&summary.shown.key_start),
            storage_label(summary.shown.storage),
        )?;
        if let Some(expires) = &summary.shown.expires_at {
            writeln!(w, "The key expires at {expires}.")?;
        }
        Ok(())
    })
}

/// With the session a password login produced, mints the CLI's own key and
/// stores it; the session token is dropped with the client that used it.
pub fn mint_with_session(
    ctx: &Context,
    anonymous: &Client,
    session: Session,
    options: &LoginOptions,
) -> Result<()> {
    let with_session = anonymous.with_credential(session.access_token)?;
    let request = CreateKey {
        name: options.key_name.clone().unwrap_or_else(login_key_name),
        key_type: None,
        scopes: None,
        project_ids: None,
        expires_in_days: options.expires_in.and_then(ExpiresIn::days),
        allowed_ips: None,
        expires_in_seconds: None,
    };
    let created: KeyCreated = with_session
        .post(&["keys"], &request)
        .map_err(|e| {
            if e.kind == ErrorKind::Forbidden {
                e.with_next_action(
                    "ask an admin for the developer role, or log in with a one-time code: scripto auth login --email <address>",
                )
            } else {
                e
            }
        })?
        .data;
    drop(with_session);
    finish(
        ctx,
        KeyToStore {
            api_url: anonymous.base_url(),
            secret: &created.api_key,
            key: Some(&created.key),
            user: Some(&session.user),
            minted_by_cli: true,
        },
        options,
    )
}
