//! A key for one `scripto run`: minted from the parent key, narrowed to the
//! scopes and projects asked for (the server refuses anything wider than the
//! parent, before the child starts), living at most the duration asked for,
//! and revoked when the run ends. If the revoke cannot be done (the server
//! is gone), the key's expiry bounds it and one warning says so.

use std::time::Duration;

use scripto_wire::Secret;

use crate::api::Client;
use crate::api::types::{ApiKey, CreateKey, KeyCreated, Scope};
use crate::error::{Error, Result};
use crate::output::Output;

/// The shortest and the longest life `--ephemeral` gives a key.
pub const MIN: Duration = Duration::from_secs(60);
pub const MAX: Duration = Duration::from_secs(24 * 3600);

/// The clap value parser of `--ephemeral`: `15m`, `1h`, `90s`, within
/// [`MIN`]..=[`MAX`], whole seconds.
pub fn parse_lifetime(raw: &str) -> std::result::Result<Duration, String> {
    let bad = || format!("`{raw}` is not a lifetime: use 1m to 24h, like 15m, 90s or 2h");
    let lifetime = humantime::parse_duration(raw.trim()).map_err(|_| bad())?;
    if lifetime.subsec_nanos() != 0 || lifetime < MIN || lifetime > MAX {
        return Err(bad());
    }
    Ok(lifetime)
}

/// What the key is to be.
pub struct Request<'a> {
    pub name: String,
    /// Empty: the parent key's scopes.
    pub scopes: &'a [Scope],
    /// Empty: the parent key's projects.
    pub project_ids: &'a [String],
    pub lifetime: Duration,
}

/// A minted key, to be given to the child and then revoked.
pub struct EphemeralKey {
    pub secret: Secret,
    pub key: ApiKey,
}

/// `run:<command>@<host>`: the key list says what ran where. Control
/// characters are replaced and the whole is kept within the server's 100.
pub fn default_name(program: &std::ffi::OsStr) -> String {
    let base = std::path::Path::new(program)
        .file_name()
        .unwrap_or(program)
        .to_string_lossy();
    let clean = |s: &str, max: usize| -> String {
        s.chars()
            .map(|c| if c.is_control() { '?' } else { c })
            .take(max)
            .collect()
    };
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    let command = clean(&base, 60);
    if host.is_empty() {
        format!("run:{command}")
    } else {
        format!("run:{command}@{}", clean(&host, 35))
    }
}

/// Mints the key with the parent's `client`.
pub fn mint(client: &Client, request: &Request<'_>) -> Result<EphemeralKey> {
    let body = CreateKey {
        name: request.name.clone(),
        key_type: None,
        scopes: (!request.scopes.is_empty()).then(|| request.scopes.to_vec()),
        project_ids: (!request.project_ids.is_empty()).then(|| request.project_ids.to_vec()),
        expires_in_days: None,
        expires_in_seconds: Some(request.lifetime.as_secs()),
        // Absent: the parent key's own allow-list, never a wider one.
        allowed_ips: None,
    };
    let created = client
        .post::<_, KeyCreated>(&["keys"], &body)
        .map_err(|err| {
            err.map_message(|m| {
                format!("could not mint the key for this run: {m}; the command was not started")
            })
        })?;
    Ok(EphemeralKey {
        secret: created.data.api_key,
        key: created.data.key,
    })
}

/// Revokes the run's key with the parent's `client`; a failure is one
/// warning, since the key's expiry bounds it.
pub fn revoke(client: &Client, out: &Output, minted: &EphemeralKey) {
    let revoked: Result<ApiKey> = client
        .delete(&["keys", &minted.key.id])
        .map(|answer| answer.data);
    if let Err(err) = revoked {
        out.warn(format!(
            "could not revoke this run's key {} ({}); it expires at {} anyway",
            minted.key.id,
            one_line(&err),
            minted.key.expires_at.as_deref().unwrap_or("its expiry")
        ));
    }
}

fn one_line(err: &Error) -> &str {
    err.message.lines().next().unwrap_or("")
}
