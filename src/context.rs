//! What a command runs with: the invocation (the global flags with their
//! sources), the output, a prompter, and config.json, read when first asked
//! for. Everything else a command needs is reached from here: settings
//! resolved by precedence ([`crate::settings`]), the credential
//! ([`crate::credential`]), the stored profiles ([`ProfileStore`]) and the
//! API client ([`crate::api`]).
//!
//! Laziness is a feature here: `auth token` with `SCRIPTO_API_KEY` must work
//! when the keyring is locked and the config file is corrupt, and the fast
//! paths (`--version`, `config show`) must never wait for a keyring. So no
//! method touches the keyring unless the command needs a stored key, and the
//! config file is read at most once, when first asked for.

use std::cell::{Cell, RefCell};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::Duration;

use clap::ArgMatches;

use crate::cli::GlobalArgs;
use crate::directory_profile;
use crate::env_vars;
use crate::error::Result;
use crate::input::Prompter;
use crate::invocation::{Invocation, Source, Sourced};
use crate::output::Output;
use crate::settings::{self, KeyChoice};
use crate::store::config_layout::{ConfigFile, OutputFormat};
use crate::store::lazy_config::LazyConfig;
use crate::store::profiles::ProfileStore;

pub struct Context {
    pub invocation: Invocation,
    pub out: Output,
    /// Asks at the terminal, or says what to pass instead.
    pub prompt: Prompter,
    config: LazyConfig,
    /// The "config file ignored" warning of a run with a given key is said
    /// once per command.
    warned_ignored: Cell<bool>,
    /// The profile named by `.scripto.toml`, looked for at most once.
    directory: RefCell<Option<Option<Sourced<String>>>>,
}

impl Context {
    pub fn new(global: GlobalArgs, matches: &ArgMatches) -> Result<Self> {
        let no_color =
            global.no_color || std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty());
        let terminal = io::stdin().is_terminal() && io::stderr().is_terminal();
        let invocation = Invocation::new(&global, matches, terminal)?;
        let mut ctx = Self {
            out: Output::new(false, global.quiet, no_color),
            prompt: Prompter {
                no_input: invocation.no_input,
                yes: invocation.yes,
            },
            config: LazyConfig::new(invocation.config_dir()),
            invocation,
            warned_ignored: Cell::new(false),
            directory: RefCell::new(None),
        };
        let json = ctx.output_format().value == OutputFormat::Json;
        ctx.out = Output::new(json, global.quiet, no_color);
        Ok(ctx)
    }

    /// `--config-dir`/`SCRIPTO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/scripto`,
    /// else `~/.config/scripto`.
    pub fn config_dir(&self) -> Result<PathBuf> {
        self.config.dir()
    }

    /// The path of config.json (which may not exist yet).
    pub fn config_path(&self) -> Result<PathBuf> {
        self.config.path()
    }

    /// config.json as it is now (read once, without a lock); the empty
    /// default when it does not exist. Warns when others may read it.
    pub fn config(&self) -> Result<ConfigFile> {
        self.config.get(&self.out)
    }

    /// Changes config.json safely against concurrent scripto processes: lock,
    /// re-read, `change`, atomic write. Nothing is written if `change` fails.
    pub fn update_config<T>(&self, change: impl FnOnce(&mut ConfigFile) -> Result<T>) -> Result<T> {
        self.config.update(change)
    }

    /// The stored profiles: save, rename, remove, read a key.
    pub fn profiles(&self) -> ProfileStore<'_> {
        ProfileStore {
            config: &self.config,
            out: &self.out,
        }
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

    /// The output format in effect, with its source. Reading config.json for
    /// `defaults.output` is tolerant: a broken file is reported by whatever
    /// command needs it, not by the choice of output.
    pub fn output_format(&self) -> Sourced<OutputFormat> {
        if self.invocation.output.is_some() {
            return settings::output(&self.invocation, None);
        }
        settings::output(&self.invocation, self.config.get_quietly().as_ref())
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
}
