//! The MFA challenge a terminal-less login (password, or e-mail code for an
//! account with MFA) leaves behind, so that `scripto auth mfa --code …` can
//! finish it in a second process.
//!
//! It lives in `mfa-challenge.json` in the config directory, created 0600
//! (the challenge token is a short-lived secret), and expires with the
//! server's challenge. Once used, the token is erased but the file stays as a
//! marker, so that a second use is told exactly that rather than "no
//! challenge".

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use scripto_wire::Secret;
use serde::{Deserialize, Serialize};

use super::common::LoginOptions;
use super::second_factor::Via;
use crate::api::types::{ExpiresIn, parse_expires_in, parse_time};
use crate::commands::StorageArg;
use crate::context::Context;
use crate::error::{Error, ErrorKind, Result};
use crate::store::config_file::replace_private_file;

const FILE_NAME: &str = "mfa-challenge.json";
const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
pub struct SavedChallenge {
    pub version: u32,
    pub api_url: String,
    pub email: String,
    /// Erased once the challenge has been used.
    pub mfa_token: Option<Secret>,
    pub methods: Vec<String>,
    pub expires_at: String,
    #[serde(default)]
    pub used_at: Option<String>,
    /// The login's own choices, applied when the challenge is finished.
    #[serde(default)]
    pub key_name: Option<String>,
    #[serde(default)]
    pub profile_name: Option<String>,
    #[serde(default)]
    pub expires_in: Option<String>,
    #[serde(default)]
    pub storage: Option<String>,
    /// The first step that was accepted: `password` (also when absent, as
    /// written by earlier versions) or `code`.
    #[serde(default)]
    pub via: Option<String>,
}

impl SavedChallenge {
    pub fn new(
        api_url: &str,
        email: &str,
        mfa_token: Secret,
        methods: Vec<String>,
        lifetime: Duration,
        options: &LoginOptions,
        via: Via,
    ) -> Self {
        Self {
            version: VERSION,
            api_url: api_url.to_owned(),
            email: email.to_owned(),
            mfa_token: Some(mfa_token),
            methods,
            expires_at: humantime::format_rfc3339_seconds(SystemTime::now() + lifetime).to_string(),
            used_at: None,
            key_name: options.key_name.clone(),
            profile_name: options.profile_name.clone(),
            expires_in: options.expires_in.map(|e| match e {
                ExpiresIn::Days(days) => format!("{days}d"),
                ExpiresIn::Never => "never".to_owned(),
            }),
            storage: options
                .storage
                .map(|s| crate::store::StoragePreference::from(s).as_str().to_owned()),
            via: Some(via.as_str().to_owned()),
        }
    }

    pub fn via(&self) -> Via {
        Via::from_name(self.via.as_deref())
    }

    pub fn options(&self) -> LoginOptions {
        use clap::ValueEnum;
        LoginOptions {
            key_name: self.key_name.clone(),
            profile_name: self.profile_name.clone(),
            expires_in: self
                .expires_in
                .as_deref()
                .and_then(|e| parse_expires_in(e).ok()),
            storage: self
                .storage
                .as_deref()
                .and_then(|s| StorageArg::from_str(s, true).ok()),
        }
    }
}

fn path(ctx: &Context) -> Result<PathBuf> {
    Ok(ctx.config_dir()?.join(FILE_NAME))
}

/// The login to start again: the same first step as before.
fn relogin(email: &str, via: Via) -> String {
    let email = crate::context::shell_quote(email);
    match via {
        Via::Password => format!("scripto auth login --email {email} --password-stdin"),
        Via::Code => format!("scripto auth login --email {email}"),
    }
}

/// Writes the challenge, replacing any earlier one; 0600 from the start.
pub fn save(ctx: &Context, challenge: &SavedChallenge) -> Result<PathBuf> {
    let path = path(ctx)?;
    let dir = path.parent().unwrap_or(Path::new("."));
    create_private_dir(dir)?;
    let json = serde_json::to_vec_pretty(challenge)
        .map_err(|e| Error::unexpected(format!("could not encode the MFA challenge: {e}")))?;
    write_private(&path, &json)?;
    Ok(path)
}

/// Reads the challenge that `auth mfa` is to finish. No challenge, a used
/// one and an expired one are three different errors, each saying what to do.
pub fn load_usable(ctx: &Context) -> Result<(SavedChallenge, Secret)> {
    let path = path(ctx)?;
    let bytes = match crate::store::config_file::read_regular_file(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::usage("no login is waiting for a second factor")
                .with_code("no_mfa_challenge")
                .with_next_action("scripto auth login --email <address> --password-stdin"));
        }
        Err(e) => {
            return Err(Error::config(format!(
                "could not read the MFA challenge {}: {e}",
                path.display()
            )));
        }
    };
    let challenge: SavedChallenge = serde_json::from_slice(&bytes).map_err(|e| {
        Error::config(format!(
            "the MFA challenge {} is not readable ({e}); log in again",
            path.display()
        ))
        .with_next_action("scripto auth login --email <address> --password-stdin")
    })?;
    if let Some(used_at) = &challenge.used_at {
        return Err(Error::new(
            ErrorKind::NotAuthenticated,
            format!(
                "the MFA challenge for {} was already used, at {used_at}; each challenge finishes one login",
                challenge.email
            ),
        )
        .with_code("mfa_challenge_used")
        .with_next_action(relogin(&challenge.email, challenge.via())));
    }
    let expired = parse_time(&challenge.expires_at).is_none_or(|t| t <= SystemTime::now());
    let token = challenge.mfa_token.clone();
    match token {
        Some(token) if !expired => Ok((challenge, token)),
        _ => {
            let _ = fs::remove_file(&path);
            Err(expired_error(&challenge))
        }
    }
}

pub fn expired_error(challenge: &SavedChallenge) -> Error {
    let (email, expires_at) = (&challenge.email, &challenge.expires_at);
    Error::new(
        ErrorKind::NotAuthenticated,
        format!(
            "the MFA challenge for {email} expired at {expires_at}; a challenge lasts 5 minutes, so log in again"
        ),
    )
    .with_code("mfa_challenge_expired")
    .with_next_action(relogin(email, challenge.via()))
}

/// Erases the token and marks the challenge used, so a second `auth mfa`
/// says so.
pub fn mark_used(ctx: &Context, mut challenge: SavedChallenge) {
    challenge.mfa_token = None;
    challenge.used_at = Some(crate::store::config_file::now_rfc3339());
    let written = path(ctx).and_then(|path| {
        let json =
            serde_json::to_vec_pretty(&challenge).map_err(|e| Error::unexpected(e.to_string()))?;
        write_private(&path, &json)
    });
    if written.is_err() {
        // The server has consumed the challenge anyway; a leftover file only
        // gives a less precise error next time.
        let _ = path(ctx).map(fs::remove_file);
    }
}

/// Removes the challenge (it was burnt by the server).
pub fn discard(ctx: &Context) {
    if let Ok(path) = path(ctx) {
        let _ = fs::remove_file(path);
    }
}

/// Creates the config directory 0700 if missing (also for the device login's
/// file, `web.rs`).
pub(super) fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|e| {
        Error::config(format!(
            "could not create the config directory {}: {e}",
            dir.display()
        ))
    })
}

/// Replaces the challenge file (or the device login's, `web.rs`)
/// atomically, 0600 from the start, so a reader never sees half of it and
/// the token is never world-readable.
pub(super) fn write_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension(format!(
        "json.{}.{:08x}.tmp",
        std::process::id(),
        fastrand::u32(..)
    ));
    replace_private_file(&tmp, path, bytes)
        .map_err(|e| Error::config(format!("could not write {}: {e}", path.display())))
}
