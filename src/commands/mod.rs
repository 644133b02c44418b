//! The command tree: one module per group, one file per leaf command.

pub mod audit;
pub mod auth;
pub mod completions;
pub mod config;
pub mod keys;
pub mod profiles;
pub mod run;
pub mod scan;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in and out, and see which key is in use
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// Create, list, revoke and rotate API keys on the server
    // `key` works too, but is not listed: TAB offers `keys` alone.
    #[command(subcommand, alias = "key")]
    Keys(keys::KeysCommand),
    /// Settings and stored keys
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Stored profiles: a key and its server, by name
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// The server's audit log: keys and logins, who and from where
    #[command(subcommand)]
    Audit(audit::AuditCommand),
    /// Find scripto API keys in files, and revoke the ones that leaked
    Scan(scan::ScanArgs),
    /// Same as `scripto auth status`
    Whoami(auth::status::StatusArgs),
    Run(run::RunArgs),
    Completions(completions::CompletionsArgs),
}

/// How a command that succeeded ends: most exit 0; `scan` exits 1 when it
/// found keys, as a linter does; `run` exits as its child did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exit(pub u8);

impl Exit {
    pub const SUCCESS: Exit = Exit(0);
    /// `scan` found what it looks for.
    pub const FOUND: Exit = Exit(1);
}

pub fn run(ctx: &Context, command: &Command) -> Result<Exit> {
    match command {
        Command::Auth(command) => auth::run(ctx, command),
        Command::Keys(command) => keys::run(ctx, command),
        Command::Config(command) => config::run(ctx, command),
        Command::Profiles(command) => profiles::run(ctx, command),
        Command::Audit(command) => audit::run(ctx, command),
        Command::Scan(args) => return scan::run(ctx, args),
        Command::Whoami(args) => auth::status::run(ctx, args),
        Command::Run(args) => return run::run(ctx, args).map(Exit),
        Command::Completions(args) => completions::run(ctx, args),
    }
    .map(|()| Exit::SUCCESS)
}
