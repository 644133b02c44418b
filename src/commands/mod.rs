//! The command tree: one module per group, one file per leaf command.

pub mod auth;
pub mod completions;
pub mod config;
pub mod keys;
pub mod profiles;
pub mod run;

use clap::{Subcommand, ValueEnum};

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in and out, and see which key is in use
    #[command(subcommand)]
    Auth(auth::AuthCommand),
    /// Create, list, revoke and rotate API keys on the server
    #[command(subcommand)]
    Keys(keys::KeysCommand),
    /// Settings and stored keys
    #[command(subcommand)]
    Config(config::ConfigCommand),
    /// Stored profiles: a key and its server, by name
    #[command(subcommand)]
    Profiles(profiles::ProfilesCommand),
    /// Same as `scripto auth status`
    Whoami(auth::status::StatusArgs),
    Run(run::RunArgs),
    Completions(completions::CompletionsArgs),
}

pub fn run(ctx: &Context, command: &Command) -> Result<()> {
    match command {
        Command::Auth(command) => auth::run(ctx, command),
        Command::Keys(command) => keys::run(ctx, command),
        Command::Config(command) => config::run(ctx, command),
        Command::Profiles(command) => profiles::run(ctx, command),
        Command::Whoami(args) => auth::status::run(ctx, args),
        // The child's exit status is the process's: main runs it.
        Command::Run(args) => run::run(ctx, args).map(|_| ()),
        Command::Completions(args) => completions::run(ctx, args),
    }
}

/// `--storage`: where a new key is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StorageArg {
    /// The OS keyring when it answers within 3 seconds, else the config file
    Auto,
    /// The OS keyring, or fail
    Keyring,
    /// config.json (0600)
    File,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyTypeArg {
    Batch,
    Realtime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScopeArg {
    Read,
    Write,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    Active,
    Expired,
    Revoked,
    All,
}
