//! Shell completion, computed by `scripto` itself at each TAB.
//!
//! The scripts in `completions/` (and what `scripto completions SHELL`
//! prints) are small: on TAB they run `scripto` with `_SCRIPTO_COMPLETE=SHELL`
//! and the words typed so far, and clap_complete's engine answers from the
//! same command tree that parses a real run. So subcommands come before
//! flags (`scripto keys <TAB>` offers `create`, `list`…; flags only after a
//! `-`), and values that only exist at run time can be offered: profile
//! names from config.json, and key ids from the server with the key's name
//! as the description where the shell shows one.
//!
//! A completion never prompts, never prints anything on stderr, and never
//! keeps the shell waiting: the server gets [`KEY_ID_BUDGET`] in all (the
//! keyring included), after which nothing is offered. Only ids and names are
//! offered, never a key.

use std::ffi::OsStr;
use std::sync::mpsc;
use std::time::Duration;

use clap::FromArgMatches;
use clap_complete::engine::{ArgValueCompleter, CompletionCandidate};
use clap_complete::env::{Bash, Elvish, EnvCompleter, Fish, Powershell, Zsh};
use clap_complete::{CompleteEnv, Shell};

use crate::api::types::ApiKey;
use crate::cli::{self, GlobalArgs};
use crate::context::Context;
use crate::output::terminal_safe;
use crate::store::profiles::check_profile_name;

/// The variable the scripts set to ask for candidates. Prefixed, so a
/// `COMPLETE` set for some other program never turns a real run of scripto
/// into a completion.
pub const ENV_VAR: &str = "_SCRIPTO_COMPLETE";

/// How long key-id completion may take, the server's answer and the
/// keyring's included. A shell that waits longer than this feels broken.
pub const KEY_ID_BUDGET: Duration = Duration::from_millis(900);

/// Answers a completion request and exits, when the environment holds one;
/// else returns and the command runs as usual.
pub fn complete_if_asked() {
    CompleteEnv::with_factory(cli::command)
        .var(ENV_VAR)
        .bin("scripto")
        .completer("scripto")
        .complete();
}

/// The script a shell sources: it calls `scripto` (found on `PATH`) for the
/// candidates at each TAB.
pub fn registration(shell: Shell) -> Vec<u8> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
        Shell::Elvish => &Elvish,
        Shell::PowerShell => &Powershell,
        _ => &Bash,
    };
    let mut script = Vec::new();
    completer
        .write_registration(ENV_VAR, "scripto", "scripto", "scripto", &mut script)
        .expect("writing to a Vec does not fail");
    script
}

/// Hooks the run-time candidates into the command tree: profile names for
/// `--profile` and the commands that take a profile, key ids for the
/// commands that take one.
pub fn attach(cmd: clap::Command) -> clap::Command {
    let profiles = || ArgValueCompleter::new(profile_names);
    let keys = || ArgValueCompleter::new(key_ids);
    let cmd = cmd.mut_arg("profile", |a| a.add(profiles()));
    let at = |cmd: clap::Command, group: &str, leaf: &str, arg: &str, with: ArgValueCompleter| {
        cmd.mut_subcommand(group, |g| {
            g.mut_subcommand(leaf, |l| l.mut_arg(arg, |a| a.add(with)))
        })
    };
    let cmd = at(cmd, "profiles", "use", "name", profiles());
    let cmd = at(cmd, "profiles", "show", "name", profiles());
    let cmd = at(cmd, "profiles", "rename", "old", profiles());
    let cmd = at(cmd, "profiles", "remove", "name", profiles());
    let cmd = at(cmd, "auth", "logout", "profile_name", profiles());
    let cmd = at(cmd, "keys", "get", "id", keys());
    let cmd = at(cmd, "keys", "revoke", "ids", keys());
    at(cmd, "keys", "rotate", "id", keys())
}

/// The context the command being typed would run with: its `--config-dir`,
/// `--profile`, `--api-url` and the environment, but never a prompt, a
/// spinner or stdin.
fn typed_context(timeout: Duration) -> Option<Context> {
    let words: Vec<_> = std::env::args_os()
        .skip_while(|a| a != "--")
        .skip(1)
        .collect();
    let matches = cli::command()
        .ignore_errors(true)
        .try_get_matches_from(words)
        .ok()?;
    let mut global = GlobalArgs::from_arg_matches(&matches).ok()?;
    if global.api_key.as_ref().is_some_and(|k| k.expose() == "-") {
        global.api_key = None;
    }
    global.timeout = Some(timeout.as_secs_f64());
    global.no_input = true;
    global.quiet = true;
    global.verbose = false;
    global.json = true;
    Context::new(global, &matches).ok()
}

/// Stored profile names (from config.json only: no keyring, no network).
pub fn profile_names(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy();
    let Some(ctx) = typed_context(KEY_ID_BUDGET) else {
        return Vec::new();
    };
    let Ok(config) = ctx.config() else {
        return Vec::new();
    };
    config
        .profiles
        .keys()
        .filter(|name| name.starts_with(current.as_ref()) && check_profile_name(name).is_ok())
        .map(CompletionCandidate::new)
        .collect()
}

/// The ids of the caller's active keys, asked of the server, each with its
/// name as help. Nothing when the answer takes longer than
/// [`KEY_ID_BUDGET`] or fails.
pub fn key_ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let current = current.to_string_lossy().into_owned();
    let (send, receive) = mpsc::channel();
    // The keyring and the server run on a thread the shell does not wait
    // for: after the budget the process answers and exits, taking it along.
    std::thread::spawn(move || {
        let _ = send.send(fetch_keys());
    });
    let keys = receive
        .recv_timeout(KEY_ID_BUDGET)
        .ok()
        .flatten()
        .unwrap_or_default();
    key_candidates(keys, &current)
}

fn fetch_keys() -> Option<Vec<ApiKey>> {
    let ctx = typed_context(KEY_ID_BUDGET)?;
    let credential = ctx.credential().ok()?;
    let client = ctx
        .client_for(&ctx.api_url().ok()?.value, Some(credential.key))
        .ok()?;
    let query = [("status", "active".to_owned()), ("limit", "100".to_owned())];
    Some(client.get::<Vec<ApiKey>>(&["keys"], &query).ok()?.data)
}

/// Only well-formed ids are offered (a hostile server's "id" could hold
/// spaces or shell syntax), and a name is shown with its control characters
/// escaped.
fn key_candidates(keys: Vec<ApiKey>, current: &str) -> Vec<CompletionCandidate> {
    keys.into_iter()
        .filter(|k| crate::commands::keys::check_key_id(&k.id).is_ok())
        .filter(|k| k.id.starts_with(current))
        .map(|k| {
            let name = terminal_safe(&k.name).into_owned();
            CompletionCandidate::new(k.id).help(Some(name.into()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    fn positionals(cmd: &clap::Command, path: &str, into: &mut Vec<String>) {
        let mut cmd = cmd.clone();
        cmd.build();
        let ids: Vec<&str> = cmd.get_positionals().map(|a| a.get_id().as_str()).collect();
        into.push(format!("{path}: {}", ids.join(" ")));
        for sub in cmd.get_subcommands() {
            positionals(sub, &format!("{path} {}", sub.get_name()), into);
        }
    }

    #[test]
    fn attaching_keeps_every_subcommand_and_positional_in_its_place() {
        let (mut derived, mut attached) = (Vec::new(), Vec::new());
        positionals(&crate::cli::Cli::command(), "scripto", &mut derived);
        positionals(&crate::cli::command(), "scripto", &mut attached);
        assert_eq!(derived, attached);
    }
}
