//! What a command runs with: the global flags with their sources, the
//! output, and (filled in as it is needed, never eagerly) the settings, the
//! credential and the API client.

use std::io::{self, IsTerminal, Read};
use std::path::PathBuf;

use clap::ArgMatches;
use clap::parser::ValueSource;
use scripto_wire::Secret;
use serde::Serialize;

use crate::cli::{GlobalArgs, env_vars};
use crate::error::{Error, Result};
use crate::output::Output;

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
    /// `defaults` in config.json.
    ConfigDefault,
    /// Built into scripto.
    BuiltIn,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Flag(flag) => write!(f, "flag {flag}"),
            Self::Env(var) => write!(f, "environment {var}"),
            Self::Profile(name) => write!(f, "profile {name}"),
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
    pub timeout: Option<Sourced<f64>>,
    /// `--json` or `SCRIPTO_OUTPUT=json`.
    pub json: bool,
    /// `--no-input`, `SCRIPTO_NO_INPUT`, or no terminal to ask on.
    pub no_input: bool,
    pub yes: bool,
    pub verbose: bool,
    pub quiet: bool,
}

pub struct Context {
    pub invocation: Invocation,
    pub out: Output,
}

impl Context {
    pub fn new(global: GlobalArgs, matches: &ArgMatches) -> Result<Self> {
        let json = global.json || json_from_env();
        let no_color =
            global.no_color || std::env::var_os(env_vars::NO_COLOR).is_some_and(|v| !v.is_empty());
        let out = Output::new(json, global.quiet, no_color);
        let terminal = io::stdin().is_terminal() && io::stderr().is_terminal();

        let source =
            |id: &str, flag: &'static str, var: &'static str| match matches.value_source(id) {
                Some(ValueSource::EnvVariable) => Source::Env(var),
                _ => Source::Flag(flag),
            };
        let api_key = match global.api_key {
            Some(key) => {
                let source = source("api_key", "--api-key", env_vars::API_KEY);
                let key = if key == "-" && source == Source::Flag("--api-key") {
                    read_key_from_stdin()?
                } else {
                    Secret::new(key.trim())
                };
                Some(Sourced { value: key, source })
            }
            None => None,
        };
        let invocation = Invocation {
            profile: global.profile.map(|value| Sourced {
                value,
                source: source("profile", "--profile", env_vars::PROFILE),
            }),
            api_key,
            api_url: global.api_url.map(|value| Sourced {
                value,
                source: source("api_url", "--api-url", env_vars::API_URL),
            }),
            config_dir: global.config_dir.map(|value| Sourced {
                value,
                source: source("config_dir", "--config-dir", env_vars::CONFIG_DIR),
            }),
            timeout: global.timeout.map(|value| Sourced {
                value,
                source: source("timeout", "--timeout", env_vars::TIMEOUT),
            }),
            json,
            no_input: global.no_input || !terminal,
            yes: global.yes,
            verbose: global.verbose,
            quiet: global.quiet,
        };
        Ok(Self { invocation, out })
    }
}

/// `SCRIPTO_OUTPUT=json` asks for machine output like `--json`.
pub fn json_from_env() -> bool {
    std::env::var(env_vars::OUTPUT).is_ok_and(|v| v.eq_ignore_ascii_case("json"))
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
