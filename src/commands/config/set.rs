//! `scripto config set`
use clap::Args;
use scripto_wire::Secret;
use scripto_wire::types::Me;
use serde::Serialize;

use super::Setting;
use crate::api::{Client, ClientOptions};
use crate::context::Context;
use crate::display::storage_label;
use crate::error::{Error, ErrorKind, Result};
use crate::settings::DEFAULT_API_URL;
use crate::store::config_layout::OutputFormat;
use crate::store::config_layout::Profile;
use crate::store::{StorageKind, StoragePreference};

/// Store an API key as a profile, or set a default.
///
/// `scripto config set --api-key KEY|- [--api-url URL] [--profile-name P]`
/// stores a key (checked with the server unless --no-verify);
/// `scripto config set NAME VALUE` sets `api-url`, `output` or `storage`.
#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting: api-url, output or storage
    #[arg(value_name = "NAME", requires = "value")]
    pub name: Option<String>,

    /// Its value
    #[arg(value_name = "VALUE")]
    pub value: Option<String>,

    /// Name of the profile for the key given with --api-key [default: the --profile one, else default]
    #[arg(long, value_name = "PROFILE", conflicts_with = "name")]
    pub profile_name: Option<String>,

    /// Store the key without checking it with the server
    #[arg(long, conflicts_with = "name")]
    pub no_verify: bool,

    /// Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE", conflicts_with = "name")]
    pub storage: Option<StoragePreference>,
}

pub fn run(ctx: &Context, args: &SetArgs) -> Result<()> {
    if let (Some(name), Some(value)) = (&args.name, &args.value) {
        return set_default(ctx, Setting::parse(name)?, value);
    }
    match &ctx.invocation.api_key {
        Some(key) if key.source.is_flag() => store_key(ctx, args, &key.value),
        _ => Err(Error::usage(
            "nothing to set: give a setting and its value, or a key with --api-key",
        )
        .with_next_action("scripto config set --api-key - < key.txt")),
    }
}

#[derive(Serialize)]
struct DefaultSet<'a> {
    name: &'a str,
    value: &'a str,
}

fn set_default(ctx: &Context, setting: Setting, raw: &str) -> Result<()> {
    let raw = raw.trim();
    let value = match setting {
        Setting::ApiUrl => {
            let url = check_api_url(raw)?;
            ctx.update_config(|config| {
                config.defaults.api_url = Some(url.clone());
                Ok(())
            })?;
            url
        }
        Setting::Output => {
            let output = OutputFormat::parse(raw).ok_or_else(|| {
                Error::usage(format!("output must be human or json, not '{raw}'"))
            })?;
            ctx.update_config(|config| {
                config.defaults.output = Some(output);
                Ok(())
            })?;
            output.as_str().to_owned()
        }
        Setting::Storage => {
            let storage = StoragePreference::parse(raw).ok_or_else(|| {
                Error::usage(format!(
                    "storage must be auto, keyring or file, not '{raw}'"
                ))
            })?;
            ctx.update_config(|config| {
                config.defaults.storage = Some(storage);
                Ok(())
            })?;
            storage.as_str().to_owned()
        }
    };
    ctx.out.done(
        &DefaultSet {
            name: setting.name(),
            value: &value,
        },
        format!("{} is now {value} by default", setting.name()),
    )
}

/// A server URL worth storing: http(s), a host, nothing else. Returned
/// without a trailing slash so the same server is always spelt the same.
pub fn check_api_url(raw: &str) -> Result<String> {
    Client::new(ClientOptions {
        base_url: raw.to_owned(),
        credential: None,
        timeout: crate::settings::DEFAULT_TIMEOUT,
        verbose: false,
    })?;
    Ok(raw.trim().trim_end_matches('/').to_owned())
}

#[derive(Serialize)]
struct KeyStored {
    profile: String,
    api_url: String,
    key: String,
    storage: StorageKind,
    verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    active: bool,
}

fn store_key(ctx: &Context, args: &SetArgs, key: &Secret) -> Result<()> {
    crate::credential::check_key(key, "the API key")?;
    // --profile-name, else the profile --profile/SCRIPTO_PROFILE selects,
    // else `default`.
    let name = args
        .profile_name
        .as_deref()
        .or(ctx.invocation.profile.as_ref().map(|p| p.value.as_str()))
        .unwrap_or("default");
    crate::store::profiles::check_profile_name(name)?;
    let existing = ctx.config()?.profiles.get(name).cloned();
    // The server: --api-url/SCRIPTO_API_URL, else the server of the profile
    // being replaced, else the configured default. Another selected profile's
    // server is not inherited: the key may belong elsewhere.
    let api_url = match &ctx.invocation.api_url {
        Some(url) => url.value.clone(),
        None => match &existing {
            Some(profile) => profile.api_url.clone(),
            None => ctx
                .config()?
                .defaults
                .api_url
                .unwrap_or_else(|| DEFAULT_API_URL.to_owned()),
        },
    };
    let api_url = check_api_url(&api_url)?;
    let client = Client::new(ClientOptions {
        base_url: api_url.clone(),
        credential: Some(key.clone()),
        timeout: ctx.timeout(),
        verbose: ctx.verbose(),
    })?;

    let mut profile = Profile::new(api_url.clone(), key);
    let mut unverified_reason = None;
    if args.no_verify {
        unverified_reason = Some("--no-verify".to_owned());
    } else {
        match client.get::<Me>(&["me"], &[]) {
            Ok(answer) => {
                let me = answer.data;
                profile.email = Some(me.user.email);
                profile.user_id = Some(me.user.id);
                profile.key_id = me.credential.key_id;
                profile.scopes = me.credential.scopes;
                profile.expires_at = me.credential.expires_at;
                profile.verified = true;
            }
            Err(err) if err.kind == ErrorKind::Network => {
                ctx.out.warn(format!(
                    "could not reach {api_url} to check the key ({}); storing it unverified",
                    err.message
                ));
                unverified_reason = Some("the server did not answer".to_owned());
            }
            Err(err) => return Err(err),
        }
    }

    // A profile named through --profile/SCRIPTO_PROFILE is a selection for
    // this command, which never changes the active profile (agents in
    // parallel rely on that); only an empty config gets it as its first.
    let make_active = args.profile_name.is_some() || ctx.invocation.profile.is_none();
    let storage = ctx
        .profiles()
        .save(name, profile.clone(), key, args.storage, make_active)?;
    let active = ctx.config()?.active_profile.as_deref() == Some(name);
    let verified = match (&profile.email, &unverified_reason) {
        (Some(email), _) => format!("verified as {email}"),
        (None, Some(reason)) => format!("not verified: {reason}"),
        (None, None) => "not verified".to_owned(),
    };
    let message = format!(
        "Stored {} as profile '{name}' for {api_url} in {} ({verified}){}",
        key.masked(),
        storage_label(storage),
        if active {
            "; it is now the active profile"
        } else {
            ""
        }
    );
    ctx.out.done(
        &KeyStored {
            profile: name.to_owned(),
            api_url,
            key: key.masked(),
            storage,
            verified: profile.verified,
            email: profile.email.clone(),
            active,
        },
        message,
    )
}
