//! The global flags after parsing, each with where its value came from (a
//! flag or its environment variable), and the one early look at them that a
//! failure before any command runs needs: whether to answer in JSON.

use scripto_wire::codes;
use std::path::PathBuf;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{ArgMatches, FromArgMatches};
use scripto_wire::Secret;
use serde::Serialize;

use crate::cli::GlobalArgs;
use crate::env_vars;
use crate::error::{Error, Result};
use crate::settings;
use crate::store::config_file::ConfigStore;
use crate::store::config_layout::OutputFormat;

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

impl Invocation {
    /// Reads the global flags; `terminal` says whether there is one to ask
    /// on. `--api-key -` reads the key from stdin here, once.
    pub fn new(global: &GlobalArgs, matches: &ArgMatches, terminal: bool) -> Result<Self> {
        let source =
            |id: &str, flag: &'static str, var: &'static str| match matches.value_source(id) {
                Some(ValueSource::EnvVariable) => Source::Env(var),
                _ => Source::Flag(flag),
            };
        let api_key = match &global.api_key {
            Some(key) => {
                let source = source("api_key", "--api-key", env_vars::API_KEY);
                let key = if key.expose() == "-" && source == Source::Flag("--api-key") {
                    crate::input::read_key_from_stdin()?
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
        let non_empty = |value: &String| (!value.trim().is_empty()).then(|| value.clone());
        Ok(Self {
            profile: global
                .profile
                .as_ref()
                .and_then(non_empty)
                .map(|value| Sourced {
                    value,
                    source: source("profile", "--profile", env_vars::PROFILE),
                }),
            api_key,
            api_url: global
                .api_url
                .as_ref()
                .and_then(non_empty)
                .map(|value| Sourced {
                    value,
                    source: source("api_url", "--api-url", env_vars::API_URL),
                }),
            config_dir: global
                .config_dir
                .clone()
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
        })
    }

    /// `--config-dir`/`SCRIPTO_CONFIG_DIR`, else `$XDG_CONFIG_HOME/scripto`,
    /// else `~/.config/scripto` (on every platform, so docs and scripts can
    /// name one place).
    pub fn config_dir(&self) -> Result<PathBuf> {
        match &self.config_dir {
            Some(dir) => Ok(dir.value.clone()),
            None => default_config_dir(),
        }
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
                .with_code(codes::cli::CONFIG_DIR_UNKNOWN)
                .with_next_action("set SCRIPTO_CONFIG_DIR to a directory of your own"),
        ),
    }
}

/// Whether a failure found before a `Context` exists (a usage error, a bad
/// `--timeout`) should be the JSON envelope: `--json`, else
/// `SCRIPTO_OUTPUT`, else `defaults.output` in the config.json of the
/// directory that `--config-dir` or the environment names, read tolerantly.
///
/// The arguments are parsed again by clap with errors ignored (as jj reads
/// its early flags): the flags before the word that failed count, those
/// after it are not reached. `--json` as the value of another flag, or
/// after `--`, is not the flag.
pub fn json_requested() -> bool {
    let early = crate::cli::command()
        .disable_help_flag(true)
        .disable_version_flag(true)
        .ignore_errors(true)
        .try_get_matches()
        .ok()
        .and_then(|matches| GlobalArgs::from_arg_matches(&matches).ok());
    if early.as_ref().is_some_and(|global| global.json) {
        return true;
    }
    if let Some(output) = output_from_env() {
        return output == OutputFormat::Json;
    }
    let dir = early
        .and_then(|global| global.config_dir)
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
