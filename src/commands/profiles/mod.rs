//! `scripto profiles`: the stored keys, by name.

pub mod list;
pub mod remove;
pub mod rename;
pub mod show;
pub mod use_;

use clap::Subcommand;

use crate::context::Context;
use crate::error::Result;

#[derive(Debug, Subcommand)]
pub enum ProfilesCommand {
    List(list::ListArgs),
    Use(use_::UseArgs),
    Show(show::ShowArgs),
    Rename(rename::RenameArgs),
    Remove(remove::RemoveArgs),
}

pub fn run(ctx: &Context, command: &ProfilesCommand) -> Result<()> {
    match command {
        ProfilesCommand::List(args) => list::run(ctx, args),
        ProfilesCommand::Use(args) => use_::run(ctx, args),
        ProfilesCommand::Show(args) => show::run(ctx, args),
        ProfilesCommand::Rename(args) => rename::run(ctx, args),
        ProfilesCommand::Remove(args) => remove::run(ctx, args),
    }
}
