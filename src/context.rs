//! What a command runs with: the global flags with their sources, the
//! output, and (filled in as it is needed, never eagerly) the settings, the
//! config file, the credential and the API client.
//!
//! Laziness is a feature here: `auth token` with `SCRIPTO_API_KEY` must work
//! when the keyring is locked and the config file is corrupt, and the fast
//! paths (`--version`, `config show`) must never wait for a keyring. So no
//! method touches the keyring unless the command needs a stored key, and the
//! config file is read at most once, when first asked for.

use std::cell::{Cell, RefCell};
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;
use clap::parser::ValueSource;
use scripto_wire::Secret;
use serde::Serialize;

use crate::cli::{GlobalArgs, env_vars};
use crate::directory_profile;
use crate::error::{Error, Result};
use crate::output::Output;
use crate::settings::{self, KeyChoice};
use crate::store::config_file::{ConfigFile, ConfigStore, Loaded, OutputFormat};
use crate::store::{StorageKind, StoragePreference, keyring};

pub use crate::store::config_file::Profile;

/// Where a setting's value came from, strongest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Source {
    /// A command-line flag, e.g. `--api-url`.
    Flag(&'static str),
    /// An environment variable, e.g. `SCRIPTO_API_URL`.
    Env(&'static str),
    /// The selected profile.
    Profile(String),
    /// `active_profile` in config.json (for the profile selection itself).
    ActiveProfile,
    /// The `.scripto.toml` at this path (for the profile selection).
    DirectoryFile(String),
    /// `defaults` in config.json.
    ConfigDefault,
    /// Built into scripto.
    BuiltIn,
}

impl Source {
    pub fn is_flag(&self) -> bool {
        matches!(self, Self::Flag(_))
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Flag(flag) => write!(f, "flag {flag}"),
            Self::Env(var) => write!(f, "environment {var}"),
            Self::Profile(name) => write!(f, "profile {name}"),
            Self::ActiveProfile => f.write_str("active profile in config.json"),
            Self::DirectoryFile(path) => write!(f, "directory file {path}"),
            Self::ConfigDefault => f.write_str("config defaults"),
            Self::BuiltIn => f.write_str("built-in default"),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Source,
}

/// The global flags after parsing, each with where it came from.
#[derive(Debug)]
pub struct Invocation {
    pub profile: Option<Sourced<String>>,
    pub api_key: Option<Sourced<Secret>>,
    pub api_url: Option<Sourced<String>>,
    pub config_dir: Option<Sourced<PathBuf>>,
    pub timeout: Option<Sourced<Duration>>,
    /// `--json` or `SCRIPTO_OUTPUT`; `None` leaves it to config.json. The
    /// output in effect is `Context::out.json`.
    pub output: Option<Sourced<OutputFormat>>,
    /// `--no-input`, `SCRIPTO_NO_INPUT`, or no terminal to ask on.
    pub no_input: bool,
    pub yes: bool,
    pub verbose: bool,
}

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

pub struct Context {
    pub invocation: Invocation,
    pub out: Output,
    /// config.json as first read (or last written) by this process.
    config: RefCell<Option<Loaded>>,
    /// The "readable by others" warning is said once per command.
    warned_too_open: Cell<bool>,
    /// So is the "config file ignored" warning of a run with a given key.
    warned_ignored: Cell<bool>,
    /// The profile named by `.scripto.toml`, looked for at most once.
    directory: RefCell<Option<Option<Sourced<String>>>>,
}

impl Context {
    pub fn new(global: GlobalArgs, matches: &ArgMatches) -> Result<Self> {
        let no_color =
            global.no_color || std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty());
        let terminal = io::stdin().is_terminal() && io::stderr().is_terminal();

        let source =
            |id: &str, flag: &'static str, var: &'static str| match matches.value_source(id) {
                Some(ValueSource::EnvVariable) => Source::Env(var),
                _ => Source::Flag(flag),
            };
        let api_key = match global.api_key {
            Some(key) => {
                let source = source("api_key", "--api-key", env_vars::API_KEY);
                let key = if key.expose() == "-" && source == Source::Flag("--api-key") {
                    read_key_from_stdin()?
                } else {
                    Secret::new(key.expose().trim())
                };
                Some(Sourced { value: key, source })
            }
            None => None,
        };
        let timeout = match global.timeout {
            Some(seconds) => {
                let source = source("timeout", "--timeout", env_vars::TIMEOUT);
                let value = Duration::try_from_secs_f64(seconds)
                    .ok()
                    .filter(|d| !d.is_zero() && *d <= settings::MAX_TIMEOUT)
                    .ok_or_else(|| {
                        Error::usage(format!(
                            "{source} must be a positive number of seconds up to {}, not {seconds}",
                            settings::MAX_TIMEOUT.as_secs()
                        ))
                    })?;
                Some(Sourced { value, source })
            }
            None => None,
        };
        let output = if global.json {
            Some(Sourced {
                value: OutputFormat::Json,
                source: Source::Flag("--json"),
            })
        } else {
            output_from_env().map(|value| Sourced {
                value,
                source: Source::Env(env_vars::OUTPUT),
            })
        };
        let non_empty = |value: String| (!value.trim().is_empty()).then_some(value);
        let invocation = Invocation {
            profile: global.profile.and_then(non_empty).map(|value| Sourced {
                value,
                source: source("profile", "--profile", env_vars::PROFILE),
            }),
            api_key,
            api_url: global.api_url.and_then(non_empty).map(|value| Sourced {
                value,
                source: source("api_url", "--api-url", env_vars::API_URL),
            }),
            config_dir: global
                .config_dir
                .filter(|dir| !dir.as_os_str().is_empty())
                .map(|value| Sourced {
                    value,
                    source: source("config_dir", "--config-dir", env_vars::CONFIG_DIR),
                }),
            timeout,
            output,
            no_input: global.no_input || !terminal,
            yes: global.yes,
            verbose: global.verbose,
        };
        let mut ctx = Self {
            out: Output::new(false, global.quiet, no_color),
            invocation,
            config: RefCell::new(None),
            warned_too_open: Cell::new(false),
            warned_ignored: Cell::new(false),
            directory: RefCell::new(None),
        };
        let json = ctx.output_format().value == OutputFormat::Json;
        ctx.out = Output::new(json, global.quiet, no_color);
        Ok(ctx)
    }

    /// `--config-dir`/`SCRIPTO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/scripto`,
    /// else `~/.config/scripto` (on every platform, so docs and scripts can
    /// name one place).
    pub fn config_dir(&self) -> Result<PathBuf> {
        match &self.invocation.config_dir {
            Some(dir) => Ok(dir.value.clone()),
            None => default_config_dir(),
        }
    }

    /// The path of config.json (which may not exist yet).
    pub fn config_path(&self) -> Result<PathBuf> {
        Ok(self.config_store()?.path().to_owned())
    }

    fn config_store(&self) -> Result<ConfigStore> {
        Ok(ConfigStore::new(self.config_dir()?))
    }

    /// config.json as it is now (read once, without a lock); the empty
    /// default when it does not exist. Warns when others may read it.
    pub fn config(&self) -> Result<ConfigFile> {
        let cached = self.config.borrow().clone();
        let loaded = match cached {
            Some(loaded) => loaded,
            None => {
                let loaded = self.config_store()?.read()?;
                *self.config.borrow_mut() = Some(loaded.clone());
                loaded
            }
        };
        if loaded.too_open && !self.warned_too_open.replace(true) {
            let path = self.config_path()?;
            self.out.warn(format!(
                "{} can be read by other users of this machine; fix it with: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
        Ok(loaded.config)
    }

    /// config.json for resolving a setting. A run whose key is given
    /// (`--api-key`, `SCRIPTO_API_KEY`) needs no file at all (CI never
    /// touches one), so there a file that cannot be read is a warning and
    /// counts as empty; elsewhere it is the error it is.
    fn config_for_settings(&self) -> Result<Option<ConfigFile>> {
        match self.config() {
            Ok(config) => Ok(Some(config)),
            Err(err) => {
                match settings::key_choice(&self.invocation, self.invocation.profile.clone()) {
                    KeyChoice::Given(key) => {
                        if !self.warned_ignored.replace(true) {
                            self.out.warn(format!(
                                "{}; the file is ignored, since the API key comes from {}",
                                err.message, key.source
                            ));
                        }
                        Ok(None)
                    }
                    _ => Err(err),
                }
            }
        }
    }

    /// Changes config.json safely against concurrent scripto processes: lock,
    /// re-read, `change`, atomic write. Nothing is written if `change` fails.
    pub fn update_config<T>(&self, change: impl FnOnce(&mut ConfigFile) -> Result<T>) -> Result<T> {
        let store = self.config_store()?;
        let mut written = None;
        let answer = store.update(|config| {
            let answer = change(config)?;
            written = Some(config.clone());
            Ok(answer)
        })?;
        // The file was just rewritten 0600.
        *self.config.borrow_mut() = written.map(|config| Loaded {
            config,
            too_open: false,
        });
        Ok(answer)
    }

    /// `--profile`/`SCRIPTO_PROFILE`, else the nearest `.scripto.toml`, else
    /// the active profile in config.json. Selecting a profile never changes
    /// the active one on disk.
    pub fn selected_profile(&self) -> Result<Option<Sourced<String>>> {
        if !settings::profile_needs_config(&self.invocation) {
            return Ok(settings::selected_profile(&self.invocation, None, None));
        }
        let directory = self.directory_profile()?;
        let config = self.config()?;
        Ok(settings::selected_profile(
            &self.invocation,
            directory.as_ref(),
            Some(&config),
        ))
    }

    /// The profile the nearest `.scripto.toml` names, searched for once per
    /// command; a refused file is an error, an untrusted one a warning.
    pub fn directory_profile(&self) -> Result<Option<Sourced<String>>> {
        if let Some(known) = self.directory.borrow().clone() {
            return Ok(known);
        }
        let found = match std::env::current_dir() {
            Ok(dir) => directory_profile::find(&dir, dirs::home_dir().as_deref())?,
            Err(_) => directory_profile::Found::Nothing,
        };
        let profile = match found {
            directory_profile::Found::Nothing => None,
            directory_profile::Found::Ignored { path, reason } => {
                self.out
                    .warn(format!("ignoring {}: {reason}", path.display()));
                None
            }
            directory_profile::Found::Profile { path, name } => Some(Sourced {
                value: name,
                source: Source::DirectoryFile(path.display().to_string()),
            }),
        };
        *self.directory.borrow_mut() = Some(profile.clone());
        Ok(profile)
    }

    /// The server: `--api-url` > `--profile`'s server > `SCRIPTO_API_URL` >
    /// the selected profile's server > `defaults.api_url` > the built-in
    /// `http://127.0.0.1:8787`.
    pub fn api_url(&self) -> Result<Sourced<String>> {
        if !settings::api_url_needs_config(&self.invocation) {
            return Ok(settings::api_url(&self.invocation, None, None));
        }
        let directory = if settings::profile_needs_config(&self.invocation) {
            self.directory_profile()?
        } else {
            None
        };
        let config = self.config_for_settings()?;
        let selected =
            settings::selected_profile(&self.invocation, directory.as_ref(), config.as_ref());
        Ok(settings::api_url(
            &self.invocation,
            selected.as_ref(),
            config.as_ref(),
        ))
    }

    /// Where a new key goes: `flag` (a command's `--storage`) >
    /// `defaults.storage` > auto.
    pub fn storage_preference(
        &self,
        flag: Option<StoragePreference>,
    ) -> Result<Sourced<StoragePreference>> {
        match flag {
            Some(flag) => Ok(settings::storage(Some(flag), None)),
            None => Ok(settings::storage(None, Some(&self.config()?))),
        }
    }

    /// The output format in effect, with its source. Reading config.json for
    /// `defaults.output` is tolerant: a broken file is reported by whatever
    /// command needs it, not by the choice of output.
    pub fn output_format(&self) -> Sourced<OutputFormat> {
        if self.invocation.output.is_some() {
            return settings::output(&self.invocation, None);
        }
        if self.config.borrow().is_none()
            && let Ok(store) = self.config_store()
            && let Ok(loaded) = store.read()
        {
            // Kept, so the command that needs the file does not read it again.
            *self.config.borrow_mut() = Some(loaded);
        }
        let config = self.config.borrow();
        settings::output(&self.invocation, config.as_ref().map(|l| &l.config))
    }

    /// The API key for this command, checksum-checked: `--api-key` >
    /// `--profile`'s key > `SCRIPTO_API_KEY` > the key of `SCRIPTO_PROFILE` or
    /// the active profile. A given key never touches storage; a stored one
    /// touches the keyring only when its profile lives there.
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
                        Source::DirectoryFile(path) => Error {
                            message: format!("{} (named by {path})", err.message),
                            ..err
                        },
                        _ => err,
                    })?;
                let key = self.read_profile_key(&name.value, profile)?;
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
        error.with_code("no_credential")
    }

    /// The stored key of the profile `name`.
    pub fn profile_key(&self, name: &str) -> Result<Secret> {
        let config = self.config()?;
        let profile = find_profile(&config, name)?;
        self.read_profile_key(name, profile)
    }

    fn read_profile_key(&self, name: &str, profile: &Profile) -> Result<Secret> {
        let key = match profile.storage {
            StorageKind::File => profile.api_key.clone().ok_or_else(|| {
                Error::config(format!(
                    "profile '{name}' says its key is in {} but it is not there",
                    self.config_path()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|_| "config.json".into())
                ))
                .with_code("credential_missing")
                .with_next_action(login_command(name, profile))
            })?,
            StorageKind::Keyring => match self.keyring().get(name, &profile.api_url) {
                Ok(Some(key)) => key,
                Ok(None) => {
                    return Err(Error::not_authenticated(format!(
                        "the key of profile '{name}' is no longer in the OS keyring (it was deleted, or the keyring was reset)"
                    ))
                    .with_code("credential_missing")
                    .with_next_action(login_command(name, profile)));
                }
                Err(err) if err.ambiguous.is_some() => {
                    return Err(Error::config(format!(
                        "the key of profile '{name}' is ambiguous: {err}"
                    ))
                    .with_code("keyring_ambiguous")
                    .with_next_action(format!(
                        "remove every copy with `scripto profiles remove {name}`, then log in again: {}",
                        login_command(name, profile)
                    )));
                }
                Err(err) => {
                    return Err(Error::config(format!(
                        "the key of profile '{name}' is in the OS keyring, which cannot be used: {err}"
                    ))
                    .with_code("keyring_unavailable")
                    .with_next_action(
                        "unlock the keyring, or pass a key with --api-key - or SCRIPTO_API_KEY",
                    ));
                }
            },
        };
        check_key(&key, &format!("the stored key of profile '{name}'")).map_err(|err| {
            Error::config(err.message)
                .with_code("credential_corrupt")
                .with_next_action(login_command(name, profile))
        })?;
        Ok(key)
    }

    /// Stores `key` as profile `name`, in the keyring or the file per
    /// `storage` (else `defaults.storage`, else auto), replacing any profile of
    /// that name. Refuses a key that fails its checksum. Under auto, says on
    /// stderr when the keyring did not answer and the key went to the file.
    /// The first profile stored becomes active even without `make_active`.
    pub fn save_profile(
        &self,
        name: &str,
        mut profile: Profile,
        key: &Secret,
        storage: Option<StoragePreference>,
        make_active: bool,
    ) -> Result<StorageKind> {
        validate_profile_name(name)?;
        check_key(key, "the API key")?;
        let path = self.config_path()?;
        let preference = self.storage_preference(storage)?;
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
                        .with_code("keyring_unavailable")
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
        let replaced = self.update_config(|config| {
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
    pub fn remove_profile(&self, name: &str) -> Result<()> {
        let removed = self.update_config(|config| {
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
    pub fn rename_profile(&self, old: &str, new: &str) -> Result<()> {
        validate_profile_name(new)?;
        let config = self.config()?;
        let profile = find_profile(&config, old)?.clone();
        if config.profiles.contains_key(new) {
            return Err(
                Error::usage(format!("a profile named '{new}' already exists"))
                    .with_code("profile_exists")
                    .with_next_action(format!("scripto profiles remove {new}")),
            );
        }
        if profile.storage == StorageKind::Keyring {
            let key = self.read_profile_key(old, &profile)?;
            self.keyring()
                .set(new, &profile.api_url, &key)
                .map_err(|err| {
                    Error::config(format!(
                        "could not move the key of profile '{old}' in the OS keyring: {err}"
                    ))
                    .with_code("keyring_unavailable")
                })?;
        }
        let renamed = self.update_config(|config| {
            if config.profiles.contains_key(new) {
                return Err(
                    Error::usage(format!("a profile named '{new}' already exists"))
                        .with_code("profile_exists"),
                );
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

    /// The keyring chain, serialised with other scripto processes that share
    /// this config directory.
    fn keyring(&self) -> keyring::Keyring {
        keyring::Keyring::new(self.config_dir().ok())
    }

    /// `--timeout`/`SCRIPTO_TIMEOUT`, default 30 seconds.
    pub fn timeout(&self) -> Duration {
        settings::timeout(&self.invocation).value
    }

    pub fn no_input(&self) -> bool {
        self.invocation.no_input
    }

    pub fn yes(&self) -> bool {
        self.invocation.yes
    }

    pub fn verbose(&self) -> bool {
        self.invocation.verbose
    }

    /// Asks for a secret at the terminal without echo; `None` when there is
    /// no terminal or `--no-input` is set, so the caller can fail with exit 9
    /// and say how to pass it instead.
    pub fn prompt_secret(&self, prompt: &str) -> Result<Option<Secret>> {
        if self.no_input() {
            return Ok(None);
        }
        let value = rpassword::prompt_password(crate::output::terminal_safe_lines(prompt))
            .map_err(|err| Error::unexpected(format!("could not read from the terminal: {err}")))?;
        Ok(Some(Secret::new(value.trim())))
    }

    /// Asks a yes/no question. `--yes` answers yes; without a terminal (or
    /// with `--no-input`) it fails with exit 9 and the command to rerun.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        if self.yes() {
            return Ok(true);
        }
        if self.no_input() {
            return Err(Error::input_needed(
                format!("{question} Confirmation is needed and there is no terminal to ask"),
                rerun_with_yes(),
            )
            .with_code("confirmation_needed"));
        }
        let answer = ask_line(&format!("{question} [y/N] "))?;
        Ok(matches!(
            answer.trim().to_ascii_lowercase().as_str(),
            "y" | "yes"
        ))
    }
}

/// Writes `question` on stderr and reads the answer, one line of at most
/// 64 KiB, from stdin (the caller has made sure it is a terminal).
pub fn ask_line(question: &str) -> Result<String> {
    let mut stderr = io::stderr();
    // A question may quote a profile name or an address: untrusted text.
    let _ = write!(stderr, "{}", crate::output::terminal_safe_lines(question));
    let _ = stderr.flush();
    let mut answer = String::new();
    io::stdin()
        .lock()
        .take(64 * 1024)
        .read_line(&mut answer)
        .map_err(|err| Error::unexpected(format!("could not read the answer: {err}")))?;
    Ok(answer)
}

/// A profile name must be safe in a file, a keyring entry and a shell.
pub fn validate_profile_name(name: &str) -> Result<()> {
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
        .with_code("invalid_profile_name"))
    }
}

/// The profile `name` of `config`, or an error that lists what exists.
pub fn find_profile<'c>(config: &'c ConfigFile, name: &str) -> Result<&'c Profile> {
    config
        .profiles
        .get(name)
        .ok_or_else(|| no_such_profile_in(name, config))
}

fn no_such_profile(name: &str) -> Error {
    Error::usage(format!("there is no profile named '{name}'"))
        .with_code("profile_not_found")
        .with_next_action("scripto profiles list")
}

fn no_such_profile_in(name: &str, config: &ConfigFile) -> Error {
    let err = no_such_profile(name);
    if config.profiles.is_empty() {
        Error::usage(format!(
            "there is no profile named '{name}': none is stored yet"
        ))
        .with_code("profile_not_found")
        .with_next_action(format!("scripto auth login --profile-name {name}"))
    } else {
        let names: Vec<&str> = config.profiles.keys().map(String::as_str).collect();
        Error {
            message: format!("{} (stored: {})", err.message, names.join(", ")),
            ..err
        }
    }
}

/// Checks the key's format and checksum (exit 2 when it fails); `what`
/// names the key in the message.
pub fn check_key(key: &Secret, what: &str) -> Result<()> {
    scripto_wire::check_key(key.expose()).map_err(|reason| {
        Error::usage(format!("{what} {reason}"))
            .with_code("invalid_key_format")
            .with_next_action(
                "copy the whole key again; it starts with scripto_ and has 46 characters",
            )
    })
}

/// The command that stores a fresh key under this profile name.
fn login_command(name: &str, profile: &Profile) -> String {
    let mut command = format!("scripto auth login --profile-name {name}");
    if profile.api_url != settings::DEFAULT_API_URL {
        command.push_str(&format!(" --api-url {}", shell_quote(&profile.api_url)));
    }
    command
}

/// This command line with `--yes` added, every key replaced by a
/// placeholder so the `next_action` never echoes a secret.
fn rerun_with_yes() -> String {
    let mut words = vec!["scripto".to_owned()];
    let mut hide_next = false;
    for arg in std::env::args().skip(1) {
        if hide_next {
            words.push("<KEY>".to_owned());
            hide_next = false;
        } else if arg == "--api-key" {
            words.push(arg);
            hide_next = true;
        } else if arg.starts_with("--api-key=") {
            words.push("--api-key=<KEY>".to_owned());
        } else {
            words.push(shell_quote(&arg));
        }
    }
    words.push("--yes".to_owned());
    words.join(" ")
}

/// Quotes a word for a POSIX shell only when it needs it, so a
/// `next_action` reads as typed and still runs as is.
pub fn shell_quote(word: &str) -> String {
    if !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_./:=@,+%".contains(&b))
    {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `$XDG_CONFIG_HOME/scripto`, else `~/.config/scripto`: where config.json
/// lives when neither `--config-dir` nor `SCRIPTO_CONFIG_DIR` says.
fn default_config_dir() -> Result<PathBuf> {
    if let Some(xdg) = std::env::var_os(env_vars::XDG_CONFIG_HOME)
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
    {
        return Ok(xdg.join("scripto"));
    }
    match dirs::home_dir().filter(|home| !home.as_os_str().is_empty()) {
        Some(home) => Ok(home.join(".config").join("scripto")),
        None => Err(
            Error::config("cannot find your home directory to keep config.json in")
                .with_code("config_dir_unknown")
                .with_next_action("set SCRIPTO_CONFIG_DIR to a directory of your own"),
        ),
    }
}

/// Whether a failure found before a `Context` exists (a usage error from
/// clap) should be the JSON envelope: `--json` anywhere in the arguments,
/// else `SCRIPTO_OUTPUT`, else `defaults.output` in config.json, read
/// tolerantly from the directory the arguments or the environment name.
pub fn json_without_context() -> bool {
    let args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    if args.iter().any(|a| a == "--json") {
        return true;
    }
    if let Some(output) = output_from_env() {
        return output == OutputFormat::Json;
    }
    let flag_dir = args.iter().enumerate().find_map(|(i, arg)| {
        let text = arg.to_str()?;
        if text == "--config-dir" {
            args.get(i + 1).map(PathBuf::from)
        } else {
            text.strip_prefix("--config-dir=").map(PathBuf::from)
        }
    });
    let dir = flag_dir
        .or_else(|| std::env::var_os(env_vars::CONFIG_DIR).map(PathBuf::from))
        .filter(|dir| !dir.as_os_str().is_empty())
        .or_else(|| default_config_dir().ok());
    dir.and_then(|dir| ConfigStore::new(dir).read().ok())
        .and_then(|loaded| loaded.config.defaults.output)
        == Some(OutputFormat::Json)
}

/// `SCRIPTO_OUTPUT`: `json` or `human`; anything else is ignored.
fn output_from_env() -> Option<OutputFormat> {
    let value = std::env::var(env_vars::OUTPUT).ok()?;
    OutputFormat::parse(&value.trim().to_ascii_lowercase())
}

/// `--api-key -`: the key is the first line of stdin, so it never shows in
/// the process list or the shell history.
fn read_key_from_stdin() -> Result<Secret> {
    let mut input = String::new();
    io::stdin()
        .take(64 * 1024)
        .read_to_string(&mut input)
        .map_err(|e| Error::usage(format!("could not read the API key from stdin: {e}")))?;
    let key = input.lines().next().unwrap_or("").trim();
    if key.is_empty() {
        return Err(Error::usage("`--api-key -` read nothing from stdin")
            .with_next_action("echo \"$KEY\" | scripto --api-key - <command>"));
    }
    Ok(Secret::new(key))
}
