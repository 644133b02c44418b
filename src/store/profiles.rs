//! Profiles as a whole: a key and its server by name, kept across
//! config.json and the OS keyring. Saving, renaming and removing touch both,
//! and undo the keyring half when the file half fails, so neither is left
//! with a copy the other does not know of.

use scripto_wire::Secret;
use scripto_wire::codes;

use super::keyring::Keyring;
use super::lazy_config::LazyConfig;
use super::{StorageKind, StoragePreference};
use crate::credential::check_key;
use crate::error::{Error, Result};
use crate::invocation::Sourced;
use crate::next_action::login_command;
use crate::output::Output;
use crate::settings;
use crate::store::config_layout::{ConfigFile, Profile};

/// The stored profiles of one config directory, for one command: where its
/// warnings go is `out`.
pub struct ProfileStore<'a> {
    pub config: &'a LazyConfig,
    pub out: &'a Output,
}

impl ProfileStore<'_> {
    /// The keyring chain, serialised with other scripto processes that share
    /// this config directory.
    fn keyring(&self) -> Keyring {
        Keyring::new(self.config.dir().ok())
    }

    /// Where a new key goes: `flag` (a command's `--storage`) >
    /// `defaults.storage` > auto.
    pub fn preference(
        &self,
        flag: Option<StoragePreference>,
    ) -> Result<Sourced<StoragePreference>> {
        match flag {
            Some(flag) => Ok(settings::storage(Some(flag), None)),
            None => Ok(settings::storage(None, Some(&self.config.get(self.out)?))),
        }
    }

    /// The stored key of the profile `name`.
    pub fn key(&self, name: &str) -> Result<Secret> {
        let config = self.config.get(self.out)?;
        let profile = find_profile(&config, name)?;
        self.read_key(name, profile)
    }

    /// The key `profile` (stored as `name`) keeps, from the file or the
    /// keyring, checked for its format and checksum.
    pub fn read_key(&self, name: &str, profile: &Profile) -> Result<Secret> {
        let login = || login_command(name, &profile.api_url);
        let key = match profile.storage {
            StorageKind::File => profile.api_key.clone().ok_or_else(|| {
                Error::config(format!(
                    "profile '{name}' says its key is in {} but it is not there",
                    self.config
                        .path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| "config.json".into())
                ))
                .with_code(codes::cli::CREDENTIAL_MISSING)
                .with_next_action(login())
            })?,
            StorageKind::Keyring => match self.keyring().get(name, &profile.api_url) {
                Ok(Some(key)) => key,
                Ok(None) => {
                    return Err(Error::not_authenticated(format!(
                        "the key of profile '{name}' is no longer in the OS keyring (it was deleted, or the keyring was reset)"
                    ))
                    .with_code(codes::cli::CREDENTIAL_MISSING)
                    .with_next_action(login()));
                }
                Err(err) if err.ambiguous.is_some() => {
                    return Err(Error::config(format!(
                        "the key of profile '{name}' is ambiguous: {err}"
                    ))
                    .with_code(codes::cli::KEYRING_AMBIGUOUS)
                    .with_next_action(format!(
                        "remove every copy with `scripto profiles remove {name}`, then log in again: {}",
                        login()
                    )));
                }
                Err(err) => {
                    return Err(Error::config(format!(
                        "the key of profile '{name}' is in the OS keyring, which cannot be used: {err}"
                    ))
                    .with_code(codes::cli::KEYRING_UNAVAILABLE)
                    .with_next_action(
                        "unlock the keyring, or pass a key with --api-key - or SCRIPTO_API_KEY",
                    ));
                }
            },
        };
        check_key(&key, &format!("the stored key of profile '{name}'")).map_err(|err| {
            Error::config(err.message)
                .with_code(codes::cli::CREDENTIAL_CORRUPT)
                .with_next_action(login())
        })?;
        Ok(key)
    }

    /// Stores `key` as profile `name`, in the keyring or the file per
    /// `storage` (else `defaults.storage`, else auto), replacing any profile of
    /// that name. Refuses a key that fails its checksum. Under auto, says on
    /// stderr when the keyring did not answer and the key went to the file.
    /// The first profile stored becomes active even without `make_active`.
    pub fn save(
        &self,
        name: &str,
        mut profile: Profile,
        key: &Secret,
        storage: Option<StoragePreference>,
        make_active: bool,
    ) -> Result<StorageKind> {
        check_profile_name(name)?;
        check_key(key, "the API key")?;
        let path = self.config.path()?;
        let preference = self.preference(storage)?;
        // Said only once the profile is written: a warning that the key "is
        // stored" must not precede an error saying it could not be.
        let mut warning = None;
        let kind = match preference.value {
            StoragePreference::File => StorageKind::File,
            StoragePreference::Keyring | StoragePreference::Auto => {
                match self.keyring().set(name, &profile.api_url, key) {
                    Ok(backend) => {
                        if backend.forgets_at_reboot() {
                            warning = Some(format!(
                                "the key of profile '{name}' is in the {} keyring, which forgets it at reboot; to keep it, store it with --storage file",
                                backend.name()
                            ));
                        }
                        StorageKind::Keyring
                    }
                    Err(err) if preference.value == StoragePreference::Keyring => {
                        return Err(Error::config(format!(
                            "could not store the key of profile '{name}' in the OS keyring: {err}"
                        ))
                        .with_code(codes::cli::KEYRING_UNAVAILABLE)
                        .with_next_action(
                            "unlock or start the keyring, or rerun with --storage file",
                        ));
                    }
                    Err(err) => {
                        warning = Some(format!(
                            "no OS keyring answered ({err}); the key of profile '{name}' is stored in {} (readable only by you)",
                            path.display()
                        ));
                        StorageKind::File
                    }
                }
            }
        };
        profile.storage = kind;
        profile.key_start = scripto_wire::key_start(key.expose()).to_owned();
        profile.api_key = (kind == StorageKind::File).then(|| key.clone());
        let new_server = profile.api_url.clone();
        let replaced = self.config.update(|config| {
            let old = config.profiles.insert(name.to_owned(), profile);
            if make_active || config.active_profile.is_none() {
                config.active_profile = Some(name.to_owned());
            }
            Ok(old)
        });
        let replaced = match replaced {
            Ok(replaced) => replaced,
            Err(err) => {
                if kind == StorageKind::Keyring {
                    let _ = self.keyring().delete(name, &new_server);
                }
                return Err(err);
            }
        };
        if let Some(warning) = warning {
            self.out.warn(warning);
        }
        // A keyring entry the new profile no longer uses would be a stray
        // copy of the old key: remove it.
        if let Some(old) = replaced
            && old.storage == StorageKind::Keyring
            && (kind == StorageKind::File || old.api_url != new_server)
            && let Err(err) = self.keyring().delete(name, &old.api_url)
        {
            self.out.warn(format!(
                "the previous key of profile '{name}' may remain in the OS keyring: {err}"
            ));
        }
        Ok(kind)
    }

    /// Removes profile `name` and its keyring entry. The key stays valid on
    /// the server. Removing the active profile leaves no profile active.
    pub fn remove(&self, name: &str) -> Result<()> {
        let removed = self.config.update(|config| {
            let removed = config
                .profiles
                .remove(name)
                .ok_or_else(|| no_such_profile(name))?;
            if config.active_profile.as_deref() == Some(name) {
                config.active_profile = None;
            }
            Ok(removed)
        })?;
        if removed.storage == StorageKind::Keyring
            && let Err(err) = self.keyring().delete(name, &removed.api_url)
        {
            self.out.warn(format!(
                "profile '{name}' is removed, but its key may remain in the OS keyring: {err}"
            ));
        }
        Ok(())
    }

    /// Renames a profile, moving its keyring entry; the active profile follows.
    pub fn rename(&self, old: &str, new: &str) -> Result<()> {
        check_profile_name(new)?;
        let config = self.config.get(self.out)?;
        let profile = find_profile(&config, old)?.clone();
        if config.profiles.contains_key(new) {
            return Err(
                profile_exists(new).with_next_action(format!("scripto profiles remove {new}"))
            );
        }
        if profile.storage == StorageKind::Keyring {
            let key = self.read_key(old, &profile)?;
            self.keyring()
                .set(new, &profile.api_url, &key)
                .map_err(|err| {
                    Error::config(format!(
                        "could not move the key of profile '{old}' in the OS keyring: {err}"
                    ))
                    .with_code(codes::cli::KEYRING_UNAVAILABLE)
                })?;
        }
        let renamed = self.config.update(|config| {
            if config.profiles.contains_key(new) {
                return Err(profile_exists(new));
            }
            let profile = config
                .profiles
                .remove(old)
                .ok_or_else(|| no_such_profile(old))?;
            config.profiles.insert(new.to_owned(), profile);
            if config.active_profile.as_deref() == Some(old) {
                config.active_profile = Some(new.to_owned());
            }
            Ok(())
        });
        if profile.storage == StorageKind::Keyring {
            // Whichever entry is now unused goes.
            let unused = if renamed.is_ok() { old } else { new };
            let _ = self.keyring().delete(unused, &profile.api_url);
        }
        renamed
    }
}

/// A profile name must be safe in a file, a keyring entry and a shell.
pub fn check_profile_name(name: &str) -> Result<()> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !name.starts_with(['-', '.']);
    if ok {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "'{name}' is not a valid profile name: use 1 to 64 letters, digits, '-', '_' or '.', not starting with '-' or '.'"
        ))
        .with_code(codes::cli::INVALID_PROFILE_NAME))
    }
}

/// The profile `name` of `config`, or an error that lists what exists.
pub fn find_profile<'c>(config: &'c ConfigFile, name: &str) -> Result<&'c Profile> {
    config
        .profiles
        .get(name)
        .ok_or_else(|| no_such_profile_in(name, config))
}

fn profile_exists(name: &str) -> Error {
    Error::usage(format!("a profile named '{name}' already exists"))
        .with_code(codes::cli::PROFILE_EXISTS)
}

fn no_such_profile(name: &str) -> Error {
    Error::usage(format!("there is no profile named '{name}'"))
        .with_code(codes::cli::PROFILE_NOT_FOUND)
        .with_next_action("scripto profiles list")
}

fn no_such_profile_in(name: &str, config: &ConfigFile) -> Error {
    if config.profiles.is_empty() {
        Error::usage(format!(
            "there is no profile named '{name}': none is stored yet"
        ))
        .with_code(codes::cli::PROFILE_NOT_FOUND)
        .with_next_action(format!("scripto auth login --profile-name {name}"))
    } else {
        let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        no_such_profile(name).map_message(|m| format!("{m} (stored: {})", names.join(", ")))
    }
}
