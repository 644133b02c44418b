//! Which key a command authenticates with: `--api-key` > `--profile`'s key >
//! `SCRIPTO_API_KEY` > the key of `SCRIPTO_PROFILE`, the directory's or the
//! active profile (the order is `settings::key_choice`'s). A given key never
//! touches storage; a stored one touches the keyring only when its profile
//! lives there.

use scripto_wire::Secret;
use scripto_wire::codes;

use crate::context::Context;
use crate::error::{Error, Result};
use crate::invocation::Source;
use crate::settings::{self, KeyChoice};
use crate::store::StorageKind;
use crate::store::profiles::find_profile;

/// The key a command authenticates with, and where it came from.
#[derive(Debug, Clone)]
pub struct ResolvedCredential {
    pub key: Secret,
    /// `Flag("--api-key")`, `Env("SCRIPTO_API_KEY")`, `Profile(name)`, or
    /// `DirectoryFile(path)` for the profile a `.scripto.toml` named.
    pub source: Source,
    /// The profile the key was read from; `None` for a given key.
    pub profile: Option<String>,
    /// Where that profile keeps it; `None` for a given key.
    pub storage: Option<StorageKind>,
}

/// Checks the key's format and checksum (exit 2 when it fails); `what`
/// names the key in the message.
pub fn check_key(key: &Secret, what: &str) -> Result<()> {
    scripto_wire::check_key(key.expose()).map_err(|reason| {
        Error::usage(format!("{what} {reason}"))
            .with_code(codes::cli::INVALID_KEY_FORMAT)
            .with_next_action(
                "copy the whole key again; it starts with scripto_ and has 46 characters",
            )
    })
}

impl Context {
    /// The API key for this command, checksum-checked.
    pub fn credential(&self) -> Result<ResolvedCredential> {
        let selected = if settings::profile_needs_config(&self.invocation)
            && self.invocation.api_key.is_none()
        {
            self.selected_profile()?
        } else {
            settings::selected_profile(&self.invocation, None, None)
        };
        match settings::key_choice(&self.invocation, selected) {
            KeyChoice::Given(key) => {
                check_key(&key.value, &format!("the API key from {}", key.source))?;
                Ok(ResolvedCredential {
                    key: key.value,
                    source: key.source,
                    profile: None,
                    storage: None,
                })
            }
            KeyChoice::Profile(name) => {
                let config = self.config()?;
                let profile =
                    find_profile(&config, &name.value).map_err(|err| match &name.source {
                        Source::DirectoryFile(path) => {
                            err.map_message(|m| format!("{m} (named by {path})"))
                        }
                        _ => err,
                    })?;
                let key = self.profiles().read_key(&name.value, profile)?;
                // A profile chosen by a directory file names that file.
                let source = match name.source {
                    Source::DirectoryFile(_) => name.source.clone(),
                    _ => Source::Profile(name.value.clone()),
                };
                Ok(ResolvedCredential {
                    key,
                    source,
                    profile: Some(name.value),
                    storage: Some(profile.storage),
                })
            }
            KeyChoice::None => Err(self.no_credential_error()),
        }
    }

    /// No key was given and no profile is selected: either nothing is
    /// stored yet (log in), or profiles exist but none is active (pick one).
    fn no_credential_error(&self) -> Error {
        let stored: Vec<String> = self
            .config()
            .map(|config| config.profiles.keys().cloned().collect())
            .unwrap_or_default();
        let error = if stored.is_empty() {
            Error::not_authenticated(
                "no API key: no profile is stored and neither --api-key nor SCRIPTO_API_KEY is set",
            )
            .with_next_action("scripto auth login")
        } else {
            Error::not_authenticated(format!(
                "no API key: no profile is active (stored: {}) and neither --api-key nor SCRIPTO_API_KEY is set",
                stored.join(", ")
            ))
            .with_next_action(format!("scripto profiles use {}", stored[0]))
        };
        error.with_code(codes::cli::NO_CREDENTIAL)
    }
}
