//! `scripto keys create`
use clap::Args;
use scripto_wire::Secret;
use scripto_wire::codes;
use serde::Serialize;

use crate::api::types::{
    ApiKey, CreateKey, ExpiresIn, KeyCreated, KeyType, Me, Scope, parse_expires_in,
};
use crate::context::Context;
use crate::display::storage_label;
use crate::error::{Error, Result};
use crate::login::store::{KeyToStore, save_key, store_minted};
use crate::store::{StorageKind, StoragePreference};

/// Create an API key. The secret is shown once and never again.
///
/// The key is printed alone on stdout (so `KEY=$(scripto keys create …)`
/// works); with `--json` it is `data.api_key`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// A name to recognise the key by (1–100 characters)
    #[arg(long, value_name = "NAME")]
    pub name: String,

    /// What the key is for [default: batch]: batch to store data and process it later, realtime
    /// to process it as it arrives
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub key_type: Option<KeyType>,

    /// read or write; repeat for both [default: read and write]
    #[arg(long = "scope", value_enum, value_name = "SCOPE")]
    pub scopes: Vec<Scope>,

    /// Limit the key to this project; repeat for several
    #[arg(long = "project", value_name = "ID")]
    pub projects: Vec<String>,

    /// How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never [default: never]
    #[arg(long, value_name = "PERIOD", value_parser = parse_expires_in)]
    pub expires_in: Option<ExpiresIn>,

    /// Allow the key only from this IPv4/IPv6 network or address
    /// (203.0.113.0/24, 2001:db8::/32, 198.51.100.7); repeat for several,
    /// up to 50 [default: anywhere, or your key's own networks]
    #[arg(long = "allow-ip", value_name = "CIDR")]
    pub allow_ips: Vec<String>,

    /// Also store the new key as this profile (the active one is unchanged)
    #[arg(long, value_name = "PROFILE")]
    pub save_as: Option<String>,

    /// Where --save-as keeps the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE", requires = "save_as")]
    pub storage: Option<StoragePreference>,
}

#[derive(Debug, Serialize)]
struct Created<'a> {
    /// The secret: this is the only time it is sent.
    api_key: &'a str,
    key: &'a ApiKey,
    /// The profile it was stored as, with `--save-as`.
    profile: Option<&'a str>,
}

pub fn run(ctx: &Context, args: &CreateArgs) -> Result<()> {
    let name = args.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(
            Error::usage("--name takes 1 to 100 characters").with_code(codes::cli::INVALID_NAME)
        );
    }
    if let Some(profile) = &args.save_as {
        crate::store::profiles::check_profile_name(profile)?;
        // Replacing a profile would drop the key it holds: refuse before
        // anything is minted.
        if ctx.config()?.profiles.contains_key(profile) {
            return Err(Error::usage(format!("a profile named {profile} already exists"))
                .with_code(codes::cli::PROFILE_EXISTS)
                .with_next_action(format!(
                    "choose another --save-as name, or remove it first: scripto auth logout {profile}"
                )));
        }
    }
    let client = ctx.client()?;
    let mut scopes: Vec<Scope> = args.scopes.clone();
    scopes.sort();
    scopes.dedup();
    let request = CreateKey {
        name: name.to_owned(),
        key_type: args.key_type,
        scopes: (!scopes.is_empty()).then_some(scopes),
        project_ids: (!args.projects.is_empty()).then(|| args.projects.clone()),
        expires_in_days: args.expires_in.and_then(ExpiresIn::days),
        allowed_ips: (!args.allow_ips.is_empty()).then(|| args.allow_ips.clone()),
        expires_in_seconds: None,
    };
    let created: KeyCreated = client.post(&["keys"], &request)?.data;
    let saved = match &args.save_as {
        Some(profile) => Some(save_as(ctx, &client, profile, &created, args.storage)?),
        None => None,
    };
    show(ctx, &created, args.save_as.as_deref(), saved)
}

/// Stores the new key as a profile, with the owner's details read with the
/// key itself (which also proves it works). A key that cannot be stored is
/// revoked (see `store_minted`), so the command fails whole: one error, and
/// no key left behind whose secret nobody kept.
fn save_as(
    ctx: &Context,
    client: &crate::api::Client,
    profile: &str,
    created: &KeyCreated,
    storage: Option<StoragePreference>,
) -> Result<StorageKind> {
    let me: Option<Me> = client
        .with_credential(created.api_key.clone())
        .and_then(|c| c.get::<Me>(&["me"], &[]))
        .ok()
        .map(|a| a.data);
    let new = KeyToStore {
        api_url: client.base_url(),
        secret: &created.api_key,
        key: Some(&created.key),
        user: me.as_ref().map(|m| &m.user),
        minted_by_cli: true,
    };
    let summary = store_minted(ctx, &new, || save_key(ctx, profile, &new, storage, false))?;
    Ok(summary.shown.storage)
}

fn show(
    ctx: &Context,
    created: &KeyCreated,
    profile: Option<&str>,
    saved: Option<StorageKind>,
) -> Result<()> {
    let secret: &Secret = &created.api_key;
    let data = Created {
        api_key: secret.expose(),
        key: &created.key,
        profile,
    };
    ctx.out.success(&data, |w| {
        // The one place besides `auth token` where a key is shown in full.
        writeln!(w, "{}", secret.expose())?;
        let key = &created.key;
        ctx.out.status(format!(
            "Created key {} ({}, {}, expires {}).",
            key.name,
            key.id,
            key.key_type.as_str(),
            key.expires_at.as_deref().unwrap_or("never")
        ));
        if let (Some(name), Some(storage)) = (profile, saved) {
            ctx.out.status(format!(
                "Stored as profile {name} in {}.",
                storage_label(storage)
            ));
        }
        ctx.out.warn(
            "this is the only time the key is shown: store it now, it will not be shown again",
        );
        Ok(())
    })
}
