//! The command line: global flags and the command tree. Structs here hold no
//! logic; handlers get resolved values from `Context`.

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser};
use scripto_wire::Secret;

use crate::commands::Command;
use crate::env_vars;

/// Log in, mint and keep API keys, and manage them on a scripto server.
///
/// Every command works at a terminal, for an agent with no terminal (`--json`,
/// exit 9 with a `next_action` when input is needed) and in CI with
/// `SCRIPTO_API_KEY`.
#[derive(Debug, Parser)]
#[command(
    name = "scripto",
    version,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// The flags every command takes. Each also has an environment variable; a
/// flag beats its variable. In `--help` they come after the command's own
/// options, under their own heading, as in the man pages.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Use this profile for this command only (the active one on disk is unchanged)
    #[arg(long, global = true, value_name = "NAME", env = env_vars::PROFILE, hide_env_values = true)]
    pub profile: Option<String>,

    /// Use this API key; nothing is read from storage. `-` reads it from stdin
    #[arg(long, global = true, value_name = "KEY", env = env_vars::API_KEY, hide_env_values = true, value_parser = secret)]
    pub api_key: Option<Secret>,

    /// The server's base URL [default: http://127.0.0.1:8787]
    #[arg(long, global = true, value_name = "URL", env = env_vars::API_URL, hide_env_values = true)]
    pub api_url: Option<String>,

    /// Where config.json lives [default: $XDG_CONFIG_HOME/scripto or ~/.config/scripto]
    #[arg(long, global = true, value_name = "DIR", env = env_vars::CONFIG_DIR, hide_env_values = true)]
    pub config_dir: Option<PathBuf>,

    /// Machine output: one JSON document on stdout (also SCRIPTO_OUTPUT=json)
    #[arg(long, global = true)]
    pub json: bool,

    /// Never prompt; fail with exit 9 and a next_action instead (implied without a terminal)
    #[arg(long, global = true, env = env_vars::NO_INPUT, hide_env_values = true)]
    pub no_input: bool,

    /// Answer yes to confirmations
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,

    /// Show the HTTP exchange on stderr, secrets masked
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    pub verbose: bool,

    /// No status lines, only data and errors
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// No colour (also NO_COLOR)
    #[arg(long, global = true)]
    pub no_color: bool,

    /// Seconds to wait for each request, at most 600 [default: 30]
    #[arg(long, global = true, value_name = "SECONDS", env = env_vars::TIMEOUT, hide_env_values = true, allow_negative_numbers = true)]
    pub timeout: Option<f64>,
}

/// The command tree as `scripto` parses it: the derive's, plus each leaf
/// command's Examples and the run-time completion of profile names and key
/// ids. Everything that renders help or completes (the binary, the man
/// pages, the completion scripts) starts here.
pub fn command() -> clap::Command {
    let derived = Cli::command();
    let attached = crate::complete::attach(crate::examples::attach(derived.clone()));
    in_order_of(attached, &derived)
}

/// `mut_subcommand` and `mut_arg` move what they change to the end. The
/// order of subcommands is the order of man pages and docs/cli.md, and the
/// order of positionals is the order they are parsed in (`profiles rename
/// OLD NEW`), so put everything back where `original` has it: changing each
/// in turn, unchanged, moves each to the end in the original order.
fn in_order_of(mut cmd: clap::Command, original: &clap::Command) -> clap::Command {
    for arg in original.get_arguments() {
        cmd = cmd.mut_arg(arg.get_id(), |a| a);
    }
    for sub in original.get_subcommands() {
        cmd = cmd.mut_subcommand(sub.get_name(), |s| in_order_of(s, sub));
    }
    cmd
}

/// The parser of every flag that carries a key or a code: the value is a
/// [`Secret`] from the start, so a `Debug` of the parsed arguments cannot
/// show it.
pub fn secret(value: &str) -> Result<Secret, std::convert::Infallible> {
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::Cli;

    #[test]
    fn a_debug_of_the_parsed_arguments_shows_no_key_or_code() {
        let key = scripto_wire::key::format_key("Dbg0Dbg0Dbg0Dbg0Dbg0Dbg0Dbg0Dbg0");
        let parsed = [
            vec![
                "auth",
                "login-complete",
                "--email",
                "a@b.c",
                "--code",
                "314159",
            ],
            vec!["auth", "mfa", "--code", "314159"],
            vec!["auth", "mfa", "--backup-code", "bkp-314159"],
        ];
        for args in parsed {
            let cli = Cli::try_parse_from(
                ["scripto", "--api-key", key.as_str()]
                    .into_iter()
                    .chain(args.iter().copied()),
            )
            .unwrap();
            let shown = format!("{cli:?}");
            assert!(!shown.contains(&key[12..]), "{shown}");
            assert!(!shown.contains("314159"), "{shown}");
        }
    }
}
