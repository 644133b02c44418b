//! `scripto config`: settings and stored keys.

pub mod get;
pub mod path;
pub mod set;
pub mod show;
pub mod unset;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

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
