//! Logging in, from the first step to a stored profile: the flows that the
//! `auth` commands call. A command file keeps its arguments, the call into
//! here, and its rendering; what the flows share lives here once:
//!
//! - [`store`]: a freshly minted key becomes a profile (or is revoked when
//!   it cannot be stored), and which profile ends up active;
//! - [`second_factor`] and [`challenge`]: the MFA step, at a terminal or
//!   saved for `scripto auth mfa`;
//! - [`device`]: the browser login (RFC 8628), polled at a terminal or
//!   saved for `scripto auth login-complete --device`.

pub mod challenge;
pub mod device;
pub mod second_factor;
pub mod store;

use clap::Args;

use crate::api::types::{ExpiresIn, parse_expires_in};
use crate::next_action::shell_quote;
use crate::store::StoragePreference;
use crate::store::config_layout::{ConfigFile, Profile};

/// The flags of `auth login` and `auth login-complete` that shape the key
/// and the profile, carried through every step of a flow (and saved with an
/// MFA challenge).
#[derive(Debug, Clone, Default, Args)]
pub struct LoginOptions {
    /// Name of the key minted for this login [default: scripto-cli@HOST]
    #[arg(long = "name", value_name = "KEY_NAME")]
    pub key_name: Option<String>,

    /// Name of the profile to store it as [default: from the e-mail address]
    #[arg(long, value_name = "PROFILE")]
    pub profile_name: Option<String>,

    /// How long the key lives: 1y, 2y, 5y, 90d (any Nd from 1 to 1826) or never
    #[arg(long, value_name = "PERIOD", value_parser = parse_expires_in)]
    pub expires_in: Option<ExpiresIn>,

    /// Where to keep the key: the OS keyring, the config file, or the keyring when it answers (auto)
    #[arg(long, value_enum, value_name = "STORE")]
    pub storage: Option<StoragePreference>,
}

impl LoginOptions {
    /// The flags to repeat in a `next_action`, so the step an agent runs
    /// next ends the way this one was asked to.
    pub fn as_flags(&self) -> String {
        let mut flags = String::new();
        if let Some(name) = &self.key_name {
            flags.push_str(&format!(" --name {}", shell_quote(name)));
        }
        if let Some(profile) = &self.profile_name {
            flags.push_str(&format!(" --profile-name {}", shell_quote(profile)));
        }
        match self.expires_in {
            Some(ExpiresIn::Days(days)) => flags.push_str(&format!(" --expires-in {days}d")),
            Some(ExpiresIn::Never) => flags.push_str(" --expires-in never"),
            None => {}
        }
        if let Some(storage) = self.storage {
            let name = storage.as_str();
            flags.push_str(&format!(" --storage {name}"));
        }
        flags
    }
}

/// A profile is named after the account's e-mail address unless told
/// otherwise: its local part (`alice`), or the whole address made safe
/// (`alice-example.com`) when `alice` is already another account's profile.
pub fn default_profile_name(config: &ConfigFile, email: &str, api_url: &str) -> String {
    let email = email.trim().to_ascii_lowercase();
    let safe = |s: &str| -> String {
        let cleaned: String = s
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let cleaned = cleaned.trim_start_matches(['-', '.']).to_owned();
        cleaned.chars().take(64).collect()
    };
    let local = safe(email.split('@').next().unwrap_or(""));
    let local = if local.is_empty() {
        "default".to_owned()
    } else {
        local
    };
    let same_account = |p: &Profile| {
        p.api_url == api_url
            && p.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email))
    };
    match config.profiles.get(&local) {
        Some(existing) if !same_account(existing) => safe(&email),
        _ => local,
    }
}

/// `scripto-cli@<hostname>` for the key of every login flow, so the key
/// list says which machine holds each one.
pub fn login_key_name() -> String {
    let host = gethostname::gethostname().to_string_lossy().into_owned();
    if host.is_empty() {
        "scripto-cli".to_owned()
    } else {
        format!("scripto-cli@{host}")
    }
}

#[cfg(test)]
mod tests {
    use scripto_wire::Secret;

    use super::*;

    fn profile(api_url: &str, email: &str) -> Profile {
        let mut p = Profile::new(api_url, &Secret::new("scripto_x"));
        p.email = Some(email.to_owned());
        p
    }

    #[test]
    fn a_profile_is_named_after_the_local_part_unless_another_account_has_it() {
        let mut config = ConfigFile::default();
        assert_eq!(
            default_profile_name(&config, "Ada.L@Example.com", "u"),
            "ada.l"
        );
        config
            .profiles
            .insert("ada".into(), profile("u", "ada@example.com"));
        assert_eq!(default_profile_name(&config, "ada@example.com", "u"), "ada");
        assert_eq!(
            default_profile_name(&config, "ada@other.org", "u"),
            "ada-other.org"
        );
        assert_eq!(
            default_profile_name(&config, "ada@example.com", "v"),
            "ada-example.com"
        );
    }
}
