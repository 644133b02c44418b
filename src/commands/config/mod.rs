//! `scripto config`: settings and stored keys.

pub mod get;
pub mod path;
pub mod set;
pub mod show;
pub mod unset;

use clap::Subcommand;
use scripto_wire::codes;

use crate::context::Context;
use crate::error::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    Set(set::SetArgs),
    Get(get::GetArgs),
    Unset(unset::UnsetArgs),
    Show(show::ShowArgs),
    Path(path::PathArgs),
}

pub fn run(ctx: &Context, command: &ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Set(args) => set::run(ctx, args),
        ConfigCommand::Get(args) => get::run(ctx, args),
        ConfigCommand::Unset(args) => unset::run(ctx, args),
        ConfigCommand::Show(args) => show::run(ctx, args),
        ConfigCommand::Path(args) => path::run(ctx, args),
    }
}

/// A default that `config set|get|unset` handle, kept under `defaults` in
/// config.json.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    ApiUrl,
    Output,
    Storage,
}

impl Setting {
    pub const NAMES: &str = "api-url, output or storage";

    pub fn parse(name: &str) -> Result<Self> {
        match name {
            "api-url" | "api_url" => Ok(Self::ApiUrl),
            "output" => Ok(Self::Output),
            "storage" => Ok(Self::Storage),
            _ => Err(Error::usage(format!(
                "unknown setting '{name}': the settings are {}",
                Self::NAMES
            ))
            .with_code(codes::cli::UNKNOWN_SETTING)
            .with_next_action("scripto config show")),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::ApiUrl => "api-url",
            Self::Output => "output",
            Self::Storage => "storage",
        }
    }
}
